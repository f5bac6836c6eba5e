"""Corroboration figures: the share of Airwars incidents a second source also
records, by month and grading (strict rule), and across the loose rule's grid.

Only links independent of Airwars' own reports count toward a share: a GED event
whose sources include Airwars (mixed) or are only Airwars (circular) is counted
beside the share, in captions and alt text, never in it.

Shares are drawn as percentages of incidents and of maximum civilian deaths, and
each grading has its own marker and line style as well as a colour, so the lines
stay apart in greyscale. The tables come from `analysis.linking.outputs`.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.ticker import NullLocator, PercentFormatter

from analysis import labels
from analysis.figures.elements import month_axis, new_figure, source_note
from analysis.figures.save import Chart
from analysis.figures.theme import Look, who
from analysis.linking.independence import INDEPENDENCE

#: Airwars gradings in order of confidence; same lightness rule as `theme.LOOKS`.
GRADING_LOOKS: dict[str, Look] = {
    "Confirmed": Look("Confirmed", "#000000", "*", "-", ""),
    "Fair": Look("Fair", "#0072B2", "o", "-", ""),
    "Weak": Look("Weak", "#009E73", "^", "--", ""),
    "Contested": Look("Contested", "#D55E00", "s", "-.", ""),
    "Discounted": Look("Discounted", "#999999", "x", ":", ""),
}
#: Loose-rule windows of k days: dark to light, solid to dotted.
DAY_LOOKS: dict[int, Look] = {
    0: Look("same day", "#000000", "o", "-", ""),
    1: Look("within 1 day", "#0072B2", "s", "--", ""),
    2: Look("within 2 days", "#56B4E9", "^", ":", ""),
}
SOURCES = "Airwars incidents; UCDP GED Syria (events located to the town, civilian deaths > 0)."


def monthly_shares(summary: pd.DataFrame, perpetrator: str, year: int) -> pd.DataFrame:
    """Strict-rule shares by month and grading for one perpetrator and year.

    Columns: `month` (first day, datetime), `grading`, `incidents`, `corroborated`
    (independent links), `mixed`, `circular`, `share` (independent links, of incidents);
    gradings with fewer than 5 incidents in the year are left out.
    """
    rows = summary[
        (summary["rule"] == "strict")
        & (summary["perpetrator"] == perpetrator)
        & summary["month"].str.startswith(str(year))
    ]
    counts = rows.groupby(["month", "grading"], as_index=False)[
        [
            "incidents_corroborated",
            "incidents_uncorroborated",
            *(f"incidents_corroborated_{kind}" for kind in INDEPENDENCE),
        ]
    ].sum()
    counts["incidents"] = counts["incidents_corroborated"] + counts["incidents_uncorroborated"]
    big = counts.groupby("grading")["incidents"].transform("sum") >= 5
    counts = counts[big & counts["grading"].isin(list(GRADING_LOOKS))]
    return pd.DataFrame(
        {
            "month": pd.to_datetime(counts["month"] + "-01"),
            "grading": counts["grading"],
            "incidents": counts["incidents"],
            "corroborated": counts["incidents_corroborated_independent"],
            "mixed": counts["incidents_corroborated_mixed"],
            "circular": counts["incidents_corroborated_circular"],
            "share": counts["incidents_corroborated_independent"] / counts["incidents"],
        }
    ).reset_index(drop=True)


def monthly_figure(shares: pd.DataFrame, perpetrator: str, year: int) -> Chart:
    """Share of incidents the strict rule corroborates independently of Airwars, per
    month, one line per grading."""
    fig, ax = new_figure(height=4.8)
    for grading, look in GRADING_LOOKS.items():
        part = shares[shares["grading"] == grading].sort_values("month")
        if part.empty:
            continue
        total = int(part["incidents"].sum())
        ax.plot(
            part["month"],
            part["share"],
            color=look.color,
            marker=look.marker,
            linestyle=look.linestyle,
            label=f"{look.label} ({total:,} incidents)",
        )
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel("Corroborated by GED, not from Airwars")
    ax.set_xlabel("Month of the incident")
    ax.set_title(f"Airwars incidents naming {who(perpetrator)}, {year}: share also in UCDP GED")
    month_axis(ax)
    ax.legend(loc="upper left", ncols=2, title="Airwars grading (strict rule)")
    source_note(fig, SOURCES + " Strict rule: Splink score; no GED death counts twice.")
    totals = shares.groupby("grading", sort=False)[
        ["incidents", "corroborated", "mixed", "circular"]
    ].sum()
    shown = [g for g in GRADING_LOOKS if g in totals.index]
    caption = (
        f"Share of Airwars incidents naming {who(perpetrator)} in {year} that UCDP GED also "
        "records from sources other than Airwars (strict rule: Splink score, each GED event's "
        "civilian deaths given to incidents, none twice), by month, one line for each "
        "grading with five "
        f"incidents or more ({', '.join(shown)}). Links to GED events that cite Airwars "
        f"({labels.count(totals['mixed'].sum())} mixed with other sources, "
        f"{labels.count(totals['circular'].sum())} citing Airwars alone) are not counted. "
        "A link shows that a second source recorded civilian deaths there and then, not "
        "who caused them; an uncorroborated incident is not false."
    )
    alt = (
        f"Line chart, {year} by month: the share of incidents corroborated independently "
        "of Airwars, per grading. "
        + "; ".join(
            f"{g}: {labels.count(totals.at[g, 'corroborated'])} of "
            f"{labels.count(totals.at[g, 'incidents'])} incidents in the year "
            f"({labels.count(totals.at[g, 'mixed'])} mixed and "
            f"{labels.count(totals.at[g, 'circular'])} circular links beside)"
            for g in shown
        )
        + "."
    )
    return Chart(fig, caption, alt)


def grid_shares(grid: pd.DataFrame, perpetrator: str, year: int) -> pd.DataFrame:
    """The loose grid of one perpetrator and year with both shares added: of
    independent links (`share_incidents`, `share_deaths`) and of any link (`_any`)."""
    rows = grid[(grid["perpetrator"] == perpetrator) & (grid["year"] == year)].copy()
    rows["share_incidents"] = rows["corroborated_independent"] / rows["incidents"]
    rows["share_deaths"] = rows["corroborated_civilians_high_independent"] / rows["civilians_high"]
    rows["share_incidents_any"] = rows["corroborated"] / rows["incidents"]
    rows["share_deaths_any"] = rows["corroborated_civilians_high"] / rows["civilians_high"]
    return rows.reset_index(drop=True)


def grid_figure(
    shares: pd.DataFrame,
    strict_share: tuple[float, float],
    perpetrator: str,
    year: int,
    strict_band: tuple[float, float] | None = None,
) -> Chart:
    """Loose-rule shares over distance (x) and days (one line each), incidents and
    deaths side by side; the strict rule's shares as a dashed reference line, and on
    the incidents panel its band over threshold and prior (`strict_band`, shaded)."""
    fig, ax = new_figure(height=4.6)
    fig.delaxes(ax)
    axes = fig.subplots(1, 2, sharey=True)
    fig.subplots_adjust(bottom=0.24, left=0.09, right=0.98, top=0.85, wspace=0.08)
    panels = (
        ("share_incidents", "Incidents", strict_share[0]),
        ("share_deaths", "Maximum civilian deaths", strict_share[1]),
    )
    for axis, (column, title, strict) in zip(axes, panels, strict=True):
        for k_days, look in DAY_LOOKS.items():
            part = shares[shares["k_days"] == k_days].sort_values("d_km")
            axis.plot(
                part["d_km"],
                part[column],
                color=look.color,
                marker=look.marker,
                linestyle=look.linestyle,
                label=f"Loose rule, {look.label}",
            )
        if strict_band is not None and column == "share_incidents":
            axis.axhspan(*strict_band, color="#BBBBBB", alpha=0.45, linewidth=0)
            axis.text(
                25, strict_band[1], "strict rule's band ", va="bottom", ha="right", fontsize=8
            )
        axis.axhline(strict, color="#555555", linestyle=(0, (6, 3)), linewidth=1.2)
        axis.text(2, strict, " strict rule", va="bottom", ha="left", fontsize=8, color="#333333")
        axis.set_xscale("log")
        axis.set_xticks(sorted(shares["d_km"].unique()))
        axis.set_xticklabels([f"{d:g}" for d in sorted(shares["d_km"].unique())])
        axis.xaxis.set_minor_locator(NullLocator())
        axis.set_xlabel("Distance d (km, log scale)")
        axis.set_title(title, fontsize=10)
    axes[0].set_ylim(0, 1)
    axes[0].yaxis.set_major_formatter(PercentFormatter(1.0))
    axes[0].set_ylabel("Corroborated by GED, not from Airwars")
    axes[0].legend(loc="lower right")
    fig.suptitle(
        f"Airwars incidents naming {who(perpetrator)}, {year}: corroboration by distance and days",
        x=0.01,
        ha="left",
        fontweight="bold",
        fontsize=11,
    )
    source_note(fig, SOURCES + " Loose rule: any such GED event within d km and k days.")
    low, high = (
        shares.iloc[shares["share_incidents"].argmin()],
        shares.iloc[shares["share_incidents"].argmax()],
    )
    distances = ", ".join(f"{d:g}" for d in sorted(shares["d_km"].unique()))
    windows = ", ".join(str(k) for k in sorted(shares["k_days"].unique()))
    caption = (
        f"Share of Airwars incidents naming {who(perpetrator)} in {year}, and of their "
        "maximum civilian deaths, that have a UCDP GED event with civilian deaths within d km "
        f"and k days (loose rule; d in {distances} km, k in {windows} days) whose sources do "
        "not include Airwars, against the strict rule's share (dashed), counted the same way"
        + (
            ", with its band over thresholds 0.3 to 0.7 and the prior's interval (shaded, "
            "incidents)."
            if strict_band is not None
            else "."
        )
    )
    alt = (
        "Two line charts, incidents and deaths, share corroborated against distance: from "
        f"{low['share_incidents']:.0%} of incidents at {low['d_km']:g} km and "
        f"{int(low['k_days'])} days to {high['share_incidents']:.0%} at {high['d_km']:g} km and "
        f"{int(high['k_days'])} days; the strict rule corroborates {strict_share[0]:.0%} of "
        f"incidents and {strict_share[1]:.0%} of deaths"
        + (
            f", {strict_band[0]:.0%} to {strict_band[1]:.0%} of incidents over its thresholds "
            "and priors."
            if strict_band is not None
            else "."
        )
    )
    return Chart(fig, caption, alt)


def sentence(cells: pd.DataFrame, strict: pd.Series, perpetrator: str, year: int) -> str:
    """One sentence comparing the loose rule's reference cell with the strict rule,
    counting links independent of Airwars, with mixed and circular links beside."""
    reference = cells[(cells["d_km"] == 10) & (cells["k_days"] == 1)].iloc[0]
    return (
        f"Of {int(reference['incidents']):,} incidents naming {who(perpetrator)} in {year} "
        f"with coordinates, {int(reference['corroborated_independent']):,} have a GED event "
        "with civilian deaths within 10 km and a day that does not rest on Airwars "
        f"({int(reference['corroborated']):,} counting every GED event); the strict rule, "
        "which gives each GED event's civilian deaths to incidents, none twice, corroborates "
        f"{int(strict['corroborated']):,} ({strict['share_incidents']:.0%}) independently of "
        f"Airwars, holding {int(strict['civilians_high_corroborated']):,} of "
        f"{int(strict['civilians_high']):,} maximum civilian deaths; beside these, "
        f"{int(strict['corroborated_mixed']):,} links rest on Airwars and other sources and "
        f"{int(strict['corroborated_circular']):,} on Airwars alone."
    )
