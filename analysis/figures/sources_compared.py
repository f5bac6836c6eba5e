"""Figure of the sources over time: cumulative deaths by each source's own rules.

`cumulative_series` prepares, from a start date, Airwars' cumulative civilian range
(the ledger's low and high rule, month by month), VDC's cumulative civilian deaths
by warplane shelling (every air force: an upper bound for any one of them) and
SOHR's published cumulative tallies; `coverage` gives each source's window. The
figure draws the three on one time axis with the windows as lanes beneath.

Known drawbacks. Monthly series place a month's deaths at its end; VDC weeks are
counted in the month they start in, so the first VDC month may include a few days
before the start date.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from analysis import labels
from analysis.figures import elements
from analysis.figures.save import Chart
from analysis.figures.theme import colour, look, who
from analysis.metrics import airwars, series, vdc

WARPLANE = "Warplane shelling"


def _from(monthly: pd.DataFrame, start: str, end: str, columns: tuple[str, ...]) -> pd.DataFrame:
    """Months from the start's month to the end's, re-cumulated; placed at month end."""
    first = pd.Timestamp(start).to_period("M").to_timestamp()
    chosen = monthly[(monthly["month"] >= first) & (monthly["month"] <= pd.Timestamp(end))]
    out = series.cumulative(chosen.drop(columns=[f"cum_{c}" for c in columns]), columns)
    out["date"] = out["month"] + pd.offsets.MonthEnd(0)
    return out.reset_index(drop=True)


def cumulative_series(
    airwars_table: pd.DataFrame,
    vdc_table: pd.DataFrame,
    published: pd.DataFrame,
    perpetrator: str,
    start: str,
    end: str,
) -> dict[str, pd.DataFrame]:
    """`airwars` (date, cum_low, cum_high), `vdc` (date, cum_deaths) and `sohr`
    (period_end, figure) from `start` to `end`."""
    aw = series.airwars_monthly(airwars_table, perpetrator, "civilians")
    vd = series.vdc_monthly(vdc_table, status="civilian", cause=WARPLANE)
    sohr = series.increments(published, perpetrator=perpetrator, category="civilians", since=start)
    sohr = sohr[sohr["period_end"] <= pd.Timestamp(end)].reset_index(drop=True)
    return {
        "airwars": _from(aw, start, end, ("low", "high")),
        "vdc": _from(vd, start, end, ("deaths",)),
        "sohr": sohr,
    }


def coverage(
    airwars_table: pd.DataFrame, vdc_table: pd.DataFrame, sohr: pd.DataFrame, perpetrator: str
) -> pd.DataFrame:
    """Each source's window: columns source, first, last, note. Airwars' window is that
    of its incidents attributed to the perpetrator (shared reading), dated no later
    than the table's last month with more than one such incident, so that a stray
    mistyped date does not stretch it."""
    mine = airwars_table[airwars.attribution(airwars_table, perpetrator, "shared")]
    dated = mine["date"].dropna()
    months = dated.dt.to_period("M").value_counts()
    busy = months[months > 1].index.max()
    dated = dated[dated.dt.to_period("M") <= busy]
    first_vdc, last_vdc = vdc.window(vdc_table)
    return pd.DataFrame(
        [
            {
                "source": "airwars",
                "first": dated.min(),
                "last": dated.max(),
                "note": "incidents, civilian harm, per belligerent",
            },
            {
                "source": "vdc",
                "first": first_vdc,
                "last": last_vdc,
                "note": "documented deaths, no perpetrator (warplane shelling: every air force)",
            },
            {
                "source": "sohr",
                "first": sohr["period_end"].min(),
                "last": sohr["period_end"].max(),
                "note": "published cumulative tallies (dates stated)",
            },
        ]
    )


def cumulative_figure(
    found: dict[str, pd.DataFrame], windows: pd.DataFrame, *, perpetrator: str, start: str, end: str
) -> Chart:
    """Cumulative civilian deaths per source, with coverage lanes underneath."""
    fig, (ax, lanes) = plt.subplots(
        2, 1, figsize=(8.0, 5.8), sharex=True, gridspec_kw={"height_ratios": [5, 1.2]}
    )
    fig.subplots_adjust(bottom=0.17, left=0.13, right=0.97, top=0.92, hspace=0.08)
    aw, vd, sohr = found["airwars"], found["vdc"], found["sohr"]
    elements.range_band(
        ax,
        aw["date"],
        aw["cum_low"],
        aw["cum_high"],
        "airwars",
        label=f"Airwars, {who(perpetrator)}: likely (low) to alleged (high)",
    )
    elements.series(
        ax,
        vd["date"],
        vd["cum_deaths"],
        "vdc",
        label="VDC, civilians killed by warplane shelling (all air forces)",
    )
    if not sohr.empty:
        elements.series(
            ax,
            sohr["period_end"],
            sohr["figure"],
            "sohr",
            label=f"SOHR published tallies, {who(perpetrator)}",
        )
    ax.set_ylim(bottom=0)
    elements.thousands(ax)
    ax.set_ylabel(f"Civilians killed since {start} (cumulative count)")
    ax.set_title(f"Civilian deaths from air strikes, cumulative from {start}")
    ax.legend(loc="upper left")
    for i, row in enumerate(windows.itertuples(index=False)):
        style = look(row.source)
        first = max(row.first, pd.Timestamp(start))
        last = min(row.last, pd.Timestamp(end))
        lanes.plot(
            [first, last],
            [i, i],
            color=style.color,
            linewidth=5,
            linestyle="-",
            solid_capstyle="butt",
        )
        lanes.text(first, i + 0.3, f"{style.label}: {row.note}", fontsize=7, va="bottom")
    lanes.set_ylim(-0.6, len(windows) + 0.2)
    lanes.set_yticks([])
    lanes.set_ylabel("coverage", fontsize=8)
    lanes.grid(False)
    lanes.set_xlim(
        pd.Timestamp(start) - pd.Timedelta(days=10), pd.Timestamp(end) + pd.Timedelta(days=10)
    )
    elements.month_axis(lanes)
    elements.source_note(
        fig,
        "Airwars incident archive; VDC weekly aggregates (status x "
        "cause); SOHR tallies as curated in data/raw/published_figures.csv. "
        "Documented counts are minimums.",
    )
    lanes_text = "; ".join(
        f"{look(row.source).label} {labels.day(row.first)} to {labels.day(row.last)}"
        for row in windows.itertuples(index=False)
    )
    tallies = len(found["sohr"])
    caption = (
        f"Civilians killed in air strikes, summed month by month from {labels.day(start)} to "
        f"{labels.day(end)}: Airwars' incidents attributed to {who(perpetrator)} as a "
        f"{colour('airwars')} band from likely (sum of minimums) to alleged (sum of maximums); "
        f"VDC's civilian deaths by warplane shelling ({colour('vdc')} triangles), which counts "
        "every air force and so bounds any one from above"
        + (
            f"; SOHR's {tallies} published running tallies for {who(perpetrator)} "
            f"({colour('sohr')} squares)."
            if tallies
            else f"; SOHR published no running tally for {who(perpetrator)} in the period."
        )
        + f" The lanes underneath give each source's coverage: {lanes_text}."
    )
    alt = f"Cumulative line chart, {labels.day(start)} to {labels.day(end)}. " + at_last_sohr(found)
    return Chart(fig, caption, alt)


def at_last_sohr(found: dict[str, pd.DataFrame]) -> str:
    """One sentence: each source's cumulative count at SOHR's last tally in the period."""
    sohr = found["sohr"]
    if sohr.empty:
        return "SOHR published no cumulative tally for this perpetrator and period."
    last = sohr.iloc[-1]
    when = pd.Timestamp(last["period_end"])
    parts = [f"By {when:%d %B %Y} SOHR counted {last['figure']:,.0f} civilians"]
    aw = found["airwars"][found["airwars"]["date"] <= when]
    if not aw.empty:
        parts.append(
            f"Airwars {aw['cum_low'].iloc[-1]:,.0f} to {aw['cum_high'].iloc[-1]:,.0f} "
            f"(to {aw['date'].iloc[-1]:%B %Y})"
        )
    vd = found["vdc"][found["vdc"]["date"] <= when]
    if not vd.empty:
        parts.append(
            f"VDC {vd['cum_deaths'].iloc[-1]:,.0f} by warplane shelling, all air "
            f"forces (to {vd['date'].iloc[-1]:%B %Y})"
        )
    return "; ".join(parts) + "."
