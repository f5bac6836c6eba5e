"""Figures of Aleppo around the collapse of the September 2016 ceasefire.

`incidents` selects the Airwars incidents of a period and area with their role in
the claims-ledger tally; `incident_map` draws them at their recorded coordinates
(no base map: tile servers cannot be reached, and a map's streets would suggest a
precision the coordinates lack), with the package's named-area boxes outlined;
`daily_figure` draws deaths per day as ranges.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from analysis.figures import elements
from analysis.figures.theme import look, who
from analysis.metrics import airwars
from analysis.vocabulary import NAMED_AREAS

AREA_NAMES = {
    "east_aleppo": "East Aleppo",
    "aleppo_city": "Aleppo city",
    "aleppo": "Aleppo governorate",
}


def area_name(area: str) -> str:
    """An area code as words for a title."""
    return AREA_NAMES.get(area, area.replace("_", " "))


def incidents(
    table: pd.DataFrame, perpetrator: str, area: str, start: str, end: str
) -> pd.DataFrame:
    """Incidents dated in [start, end], in the area and attributed to the perpetrator
    (shared reading): columns sequence, date, latitude, longitude, grading, low, high,
    counts_low, counts_high."""
    rows = airwars.tally_rows(table, perpetrator, "civilians", start, end, area)
    attributed = airwars.attribution(table, perpetrator, "shared")
    keep = rows["in_scope"] & attributed
    out = rows.loc[keep, ["sequence", "low", "high", "counts_low", "counts_high"]].copy()
    out["date"] = table.loc[keep, "date"]
    out["latitude"] = table.loc[keep, "latitude"].astype(float)
    out["longitude"] = table.loc[keep, "longitude"].astype(float)
    out["grading"] = table.loc[keep, "grading"].astype("string")
    return out.sort_values(["date", "sequence"]).reset_index(drop=True)


def daily(found: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """Civilian deaths per day from `incidents`: date, low (ledger's low rows), high,
    incidents; every day of the period, empty days as zero."""
    days = pd.date_range(start, end, freq="D")
    low = found[found["counts_low"]].groupby("date")["low"].sum()
    high = found[found["counts_high"]].groupby("date")["high"].sum()
    count = found.groupby("date").size()
    return pd.DataFrame(
        {
            "date": days,
            "low": low.reindex(days, fill_value=0).to_numpy(float),
            "high": high.reindex(days, fill_value=0).to_numpy(float),
            "incidents": count.reindex(days, fill_value=0).to_numpy(int),
        }
    )


def claims_for(published: pd.DataFrame, area: str, perpetrator: str, pivot: str) -> pd.DataFrame:
    """Published civilian figures for exactly this area and perpetrator whose period
    starts at `pivot`, with `low` (the figure): the claims the daily figure draws."""
    chosen = published[
        published["area"].eq(area)
        & published["perpetrator"].eq(perpetrator)
        & published["category"].eq("civilians")
        & published["period_start"].eq(pd.Timestamp(pivot))
        & published["figure"].notna()
        & published["period_end"].notna()
    ]
    return chosen.assign(low=chosen["figure"]).reset_index(drop=True)


def what_sources_say(
    claims: pd.DataFrame,
    tables: dict[str, pd.DataFrame],
    *,
    area: str,
    perpetrator: str,
    start: str,
    end: str,
) -> pd.DataFrame:
    """Each source's evidence for civilians killed by the perpetrator in the area over
    [start, end]: the claims ledger run on one probe claim ("at least 0"), so every
    source states what it can bound and why it cannot. Columns: source, role, low,
    high, basis, coverage. `claims` is any validated claims table (its first row is
    the template of the probe)."""
    from analysis.claims import ledger

    probe = claims.head(1).copy()
    probe = probe.assign(
        claim_id="probe",
        statement="probe",
        perpetrator=perpetrator,
        category="civilians",
        area=area,
        period_start=pd.Timestamp(start),
        period_end=pd.Timestamp(end),
        figure=0.0,
        kind="count",
        qualifier="at_least",
    )
    found = ledger.build(probe, tables)
    found = found[~found["source"].str.startswith("published:")]
    return found[["source", "role", "low", "high", "basis", "coverage"]].reset_index(drop=True)


def incident_map(
    found: pd.DataFrame, *, area: str, start: str, end: str, pivot: str, perpetrator: str
) -> Figure:
    """Incidents at their coordinates, sized by maximum civilian deaths; before and
    after `pivot` differ in colour and marker."""
    fig, ax = elements.new_figure(height=6.4, width=7.2, bottom=0.16)
    for name, (south, west, north, east) in NAMED_AREAS.items():
        ax.add_patch(
            Rectangle(
                (west, south),
                east - west,
                north - south,
                fill=False,
                linestyle="--" if name == "east_aleppo" else ":",
                edgecolor="#333333",
                linewidth=1.0,
            )
        )
        ax.text(west, north, f" {area_name(name)} (box)", va="bottom", fontsize=7.5)
    located = found.dropna(subset=["latitude", "longitude"])
    after = located["date"] >= pd.Timestamp(pivot)
    for part, key, label, layer in (
        (located[after], "sohr", f"from {pivot}", 2),
        (located[~after], "airwars", f"before {pivot}", 3),
    ):
        style = look(key)
        sizes = 15 + 12 * np.sqrt(part["high"].to_numpy(float))
        places = len(part[["latitude", "longitude"]].drop_duplicates())
        ax.scatter(
            part["longitude"],
            part["latitude"],
            s=sizes,
            marker=style.marker,
            facecolor="none" if key == "airwars" else style.color,
            alpha=0.6,
            edgecolor=style.color,
            linewidth=1.6,
            zorder=layer,
            label=f"{label}: {len(part)} incidents at {places} places",
        )
    south, west, north, east = NAMED_AREAS["aleppo_city"]
    ax.set_xlim(west - 0.03, east + 0.03)
    ax.set_ylim(south - 0.02, north + 0.03)
    ax.set_aspect(1 / np.cos(np.radians((south + north) / 2)))
    ax.set_xlabel("Longitude (degrees east)")
    ax.set_ylabel("Latitude (degrees north)")
    ax.set_title(
        f"Incidents attributed to {who(perpetrator)}\nin {area_name(area)}, {start} to {end}"
    )
    ax.legend(loc="lower left", title="Marker area ~ maximum civilians killed")
    elements.source_note(
        fig,
        "Airwars incident archive, recorded coordinates "
        "(often neighbourhood-precise); no base map. Boxes are the "
        "package's named areas.",
    )
    return fig


def daily_figure(
    days: pd.DataFrame,
    *,
    area: str,
    pivot: str,
    perpetrator: str,
    claims: pd.DataFrame | None = None,
) -> Figure:
    """Civilian deaths per day as range bars, the pivot date marked; `claims` (columns
    period_start, period_end, low) are drawn as a per-day average line over their
    period, for scale."""
    fig, ax = elements.new_figure(height=4.8, bottom=0.3)
    elements.range_bars(
        ax,
        days["date"],
        days["low"],
        days["high"],
        "airwars",
        width=0.8,
        label="Airwars civilians killed per day, minimum to maximum",
    )
    ax.axvline(pd.Timestamp(pivot), color="#333333", linestyle=(0, (1, 2)))
    ax.text(
        pd.Timestamp(pivot), ax.get_ylim()[1] * 0.97, " ceasefire collapses", va="top", fontsize=7.5
    )
    if claims is not None:
        for row in claims.itertuples(index=False):
            span = (row.period_end - row.period_start).days + 1
            ax.hlines(
                row.low / span,
                row.period_start,
                row.period_end,
                color="#000000",
                linewidth=2,
                linestyle="-",
                label=f"{row.monitor}, {row.qualifier.replace('_', ' ')} {row.low:,.0f} "
                f"over {span} days, as a daily mean",
            )
    elements.day_axis(ax)
    ax.set_ylabel("Civilians killed per day (count)")
    ax.set_xlabel("Date of the incident (weeks start on Monday)")
    ax.set_title(f"Civilian deaths per day, {who(perpetrator)}, {area_name(area)}")
    ax.legend(loc="upper right")
    elements.source_note(
        fig,
        "Airwars incident archive (ledger rule: low Confirmed/Fair "
        "sole belligerent, high all but Discounted, shared); the article's "
        "claim as curated in data/raw/published_figures.csv.",
    )
    return fig
