"""Figure of the war's toll: deaths per year, and war-to-date totals, by source.

`yearly` prepares UCDP battle-related deaths (low, best, high: state-based conflict
only) and VDC documented deaths (every status and cause) per calendar year;
`published_totals` takes the war-to-date figures of the published table, documented
counts apart from estimates. The figure shows the years on the left and the
war-to-date totals on the right, where the article's "more than 400,000" sits beside
SOHR's documented count and its estimate of the same date.

Known drawbacks. VDC weeks are counted in the year they start in; VDC's last year
is partial. UCDP BRD leaves out one-sided violence and non-state fighting.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from analysis import labels
from analysis.figures import elements
from analysis.figures.save import Chart
from analysis.figures.theme import look

SYRIA = 652


def yearly(brd: pd.DataFrame, vdc_table: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """Columns year, ucdp_low, ucdp_best, ucdp_high, vdc_deaths (NaN where VDC is
    silent), and their war-to-date sums cum_ucdp_low, cum_ucdp_high, cum_vdc."""
    rows = brd[(brd["gwcode"] == SYRIA) & brd["year"].between(first, last)]
    out = pd.DataFrame(
        {
            "year": rows["year"].astype(int).to_numpy(),
            "ucdp_low": rows["low"].astype(float).to_numpy(),
            "ucdp_best": rows["best"].astype(float).to_numpy(),
            "ucdp_high": rows["high"].astype(float).to_numpy(),
        }
    ).sort_values("year")
    total = vdc_table[
        (vdc_table["status"] == "all")
        & (vdc_table["cause"] == "all")
        & (vdc_table["dimension"] == "total")
    ]
    by_year = total.groupby(total["week_start"].dt.year)["deaths"].sum().astype(float)
    out["vdc_deaths"] = out["year"].map(by_year)
    out["cum_ucdp_low"] = out["ucdp_low"].cumsum()
    out["cum_ucdp_high"] = out["ucdp_high"].cumsum()
    out["cum_vdc"] = out["vdc_deaths"].cumsum().where(out["vdc_deaths"].notna())
    return out.reset_index(drop=True)


def published_totals(published: pd.DataFrame) -> pd.DataFrame:
    """War-to-date deaths of every party in Syria, one row per published figure:
    figure_id, monitor, period_end, figure, kind, qualifier."""
    chosen = published[
        published["perpetrator"].eq("all")
        & published["category"].eq("total")
        & published["area"].eq("syria")
        & published["figure"].notna()
        & (published["period_start"] <= pd.Timestamp("2011-03-31"))
    ]
    columns = ["figure_id", "monitor", "period_end", "figure", "kind", "qualifier"]
    return chosen[columns].sort_values(["period_end", "figure_id"]).reset_index(drop=True)


def toll_figure(years: pd.DataFrame, totals: pd.DataFrame) -> Chart:
    """Left: deaths per year. Right: war-to-date totals, documented against estimated."""
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(10.0, 5.0), gridspec_kw={"width_ratios": [1, 1.2]}
    )
    fig.subplots_adjust(bottom=0.2, left=0.1, right=0.98, top=0.86, wspace=0.3)
    elements.range_bars(
        left,
        years["year"] - 0.2,
        years["ucdp_low"],
        years["ucdp_high"],
        "ucdp",
        width=0.35,
        label="UCDP battle-related deaths, low to high",
    )
    left.plot(
        years["year"] - 0.2,
        years["ucdp_best"],
        linestyle="none",
        marker="D",
        color=look("ucdp").color,
        markersize=3,
        label="UCDP best estimate",
    )
    vdc_years = years.dropna(subset=["vdc_deaths"])
    left.bar(
        vdc_years["year"] + 0.2,
        vdc_years["vdc_deaths"],
        width=0.35,
        color=look("vdc").color,
        hatch=look("vdc").hatch,
        alpha=0.6,
        edgecolor=look("vdc").color,
        label="VDC documented deaths (all statuses)",
    )
    left.set_xticks(years["year"], [str(y) for y in years["year"]], rotation=45)
    left.set_xlabel("Calendar year")
    left.set_ylabel("Deaths per year (count)")
    elements.thousands(left)
    left.set_ylim(0, float(years[["ucdp_high", "vdc_deaths"]].max().max()) * 1.45)
    left.set_title("Deaths per year")
    left.legend(loc="upper right")
    ends = pd.to_datetime(years["year"].astype(str) + "-12-31")
    elements.range_band(
        right,
        ends,
        years["cum_ucdp_low"],
        years["cum_ucdp_high"],
        "ucdp",
        label="UCDP battle deaths, summed from 2011",
    )
    done = years["cum_vdc"].notna()
    elements.series(
        right, ends[done], years.loc[done, "cum_vdc"], "vdc", label="VDC documented deaths, summed"
    )
    counts = totals[totals["kind"].eq("count")]
    estimates = totals[totals["kind"].eq("estimate")]
    sohr_counts = counts[counts["monitor"].eq("SOHR")]
    elements.series(
        right,
        sohr_counts["period_end"],
        sohr_counts["figure"],
        "sohr",
        label="SOHR documented (stated at date)",
    )
    sohr = look("sohr")
    right.plot(
        estimates["period_end"],
        estimates["figure"],
        linestyle="none",
        marker="s",
        markerfacecolor="white",
        markeredgecolor=sohr.color,
        markersize=8,
        markeredgewidth=1.5,
        label="Estimates of the total (modelled, not counted)",
    )
    article = estimates[estimates["monitor"].ne("SOHR") & estimates["qualifier"].eq("more_than")]
    for row in article.itertuples(index=False):
        right.annotate(
            f"the article: more than {row.figure:,.0f}",
            (row.period_end, row.figure),
            xytext=(-135, 30),
            textcoords="offset points",
            fontsize=8,
            arrowprops={"arrowstyle": "->", "color": "#000000"},
        )
    right.set_ylim(bottom=0)
    elements.thousands(right)
    right.set_ylabel("Deaths since March 2011 (cumulative count)")
    right.set_xlabel("Date the total refers to")
    right.set_title("War-to-date totals: counted against estimated")
    right.legend(loc="lower right", fontsize=7.5)
    elements.source_note(
        fig,
        "UCDP battle-related deaths (state-based conflict only; GED "
        "23.1); VDC weekly aggregates (to Jan 2018); SOHR and the article as "
        "curated in data/raw/published_figures.csv.",
    )
    first, last = int(years["year"].min()), int(years["year"].max())
    vdc_span = f"{int(vdc_years['year'].min())} to {int(vdc_years['year'].max())}"
    caption = (
        f"Left: deaths per calendar year, {first} to {last}: UCDP battle-related deaths "
        "(state-based conflict only) from its low to its high estimate, the diamond its best "
        f"estimate, and VDC's documented deaths of every status ({vdc_span}). Right: the "
        f"same summed from {first}, against {len(totals)} war-to-date totals published by "
        "SOHR and others: filled squares on a dashed line are SOHR's documented counts, "
        "hollow squares estimates of the total (modelled, not counted)"
        + (
            "; the arrow points at the article's "
            + "; ".join(
                labels.claim(row.figure, row.qualifier, "total") for row in article.itertuples()
            )
            + "."
            if len(article)
            else "."
        )
        + " Documented counts are minimums."
    )
    worst = years.loc[years["ucdp_high"].idxmax()]
    alt = (
        f"Two panels. Left, bars per year {first} to {last}: UCDP's battle deaths peak in "
        f"{int(worst['year'])} at {labels.span(worst['ucdp_low'], worst['ucdp_high'])}. "
        f"Right, war-to-date totals: {summary(years, totals)}"
    )
    return Chart(fig, caption, alt)


def summary(years: pd.DataFrame, totals: pd.DataFrame, claim_id: str = "P007") -> str:
    """One sentence: a published estimate beside SOHR's latest documented count and
    estimate up to its date, and UCDP's battle deaths to the end of the year before."""
    claim = totals[totals["figure_id"].eq(claim_id)]
    if claim.empty:
        return f"No published figure {claim_id} to compare."
    row = claim.iloc[0]
    sentence = (
        f"The article's {row['figure']:,.0f} ({row['qualifier'].replace('_', ' ')}) "
        f"is an estimate of the total"
    )
    before = totals[(totals["period_end"] <= row["period_end"]) & totals["monitor"].eq("SOHR")]
    counted = before[before["kind"].eq("count")].tail(1)
    estimated = before[before["kind"].eq("estimate")].tail(1)
    if not counted.empty:
        sentence += (
            f": SOHR had documented {counted['figure'].iloc[0]:,.0f} deaths by "
            f"{counted['period_end'].iloc[0]:%d %B %Y}"
        )
    if not estimated.empty:
        sentence += (
            f" and estimated {estimated['figure'].iloc[0]:,.0f} by "
            f"{estimated['period_end'].iloc[0]:%d %B %Y}"
        )
    ucdp = years[years["year"] < pd.Timestamp(row["period_end"]).year].tail(1)
    if not ucdp.empty:
        sentence += (
            f"; UCDP's battle deaths (state-based fighting only) summed to "
            f"{ucdp['cum_ucdp_low'].iloc[0]:,.0f}-{ucdp['cum_ucdp_high'].iloc[0]:,.0f} "
            f"by the end of {ucdp['year'].iloc[0]}"
        )
    return sentence + "."
