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
from matplotlib.patches import Rectangle

from analysis import labels
from analysis.evidence.tallies import incident_rows
from analysis.figures import elements
from analysis.figures.save import Chart
from analysis.figures.theme import colour, look, who
from analysis.vocabulary import NAMED_AREAS


def area_name(area: str) -> str:
    """An area code as words for a title (`east_aleppo` -> East Aleppo)."""
    return labels.word("area", area)


def incidents(
    table: pd.DataFrame, perpetrator: str, area: str, start: str, end: str
) -> pd.DataFrame:
    """Incidents dated in [start, end], in the area and attributed to the perpetrator
    (shared reading): columns sequence, date, latitude, longitude, grading, low, high,
    counts_low, counts_high."""
    rows = incident_rows(table, perpetrator, "civilians", start, end, area)
    rows = rows[rows["in_scope"]]
    chosen = table.iloc[rows["record"].to_numpy()]
    out = rows[["low", "high", "counts_low", "counts_high"]].set_axis(chosen.index)
    out.insert(0, "sequence", chosen["sequence"])
    out["date"] = chosen["date"]
    out["latitude"] = chosen["latitude"].astype(float)
    out["longitude"] = chosen["longitude"].astype(float)
    out["grading"] = chosen["grading"].astype("string")
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
) -> Chart:
    """Incidents at their coordinates, sized by maximum civilian deaths; before and
    after `pivot` differ in colour and marker. The legend sits under the axes, where
    it covers neither the boxes nor the incidents."""
    fig, ax = elements.new_figure(height=7.4, width=7.2, bottom=0.27)
    boxes = {"east_aleppo": "--", "aleppo_city": ":"}
    for name, (south, west, north, east) in NAMED_AREAS.items():
        ax.add_patch(
            Rectangle(
                (west, south),
                east - west,
                north - south,
                fill=False,
                linestyle=boxes.get(name, "-."),
                edgecolor="#333333",
                linewidth=1.0,
            )
        )
        ax.text(west, north, f" {area_name(name)} (box)", va="bottom", fontsize=7.5)
    located = found.dropna(subset=["latitude", "longitude"])
    after = located["date"] >= pd.Timestamp(pivot)
    parts = []
    for part, key, label, layer in (
        (located[after], "sohr", f"from {labels.day(pivot)}", 2),
        (located[~after], "airwars", f"before {labels.day(pivot)}", 3),
    ):
        style = look(key)
        sizes = 15 + 12 * np.sqrt(part["high"].to_numpy(float))
        places = len(part[["latitude", "longitude"]].drop_duplicates())
        shape = "hollow circles" if key == "airwars" else "filled squares"
        parts.append(
            f"{label}, {shape}: {labels.count(len(part))} incidents at "
            f"{labels.count(places)} places, {labels.span(part['low'].sum(), part['high'].sum())}"
            " civilians killed"
        )
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
    period = f"{labels.day(start)} to {labels.day(end)}"
    ax.set_title(f"Incidents attributed to {who(perpetrator)}\nin {area_name(area)}, {period}")
    ax.legend(
        loc="upper left",
        bbox_to_anchor=(0.0, -0.1),
        title="Marker area ~ maximum civilians killed",
        alignment="left",
    )
    elements.source_note(
        fig,
        "Airwars incident archive, recorded coordinates "
        "(often neighbourhood-precise); no base map. Boxes are the "
        "package's named areas.",
    )
    unplaced = len(found) - len(located)
    caption = (
        f"Airwars incidents attributed to {who(perpetrator)} in {area_name(area)}, {period}, "
        "at their recorded coordinates, each marker's area growing with the incident's "
        f"maximum civilian deaths: filled squares from {labels.day(pivot)}, when the "
        "ceasefire collapsed, hollow circles before. The dashed box is East Aleppo, the "
        "dotted box Aleppo city. No base map: coordinates only"
        + (f"; {unplaced} incident(s) without coordinates are not drawn." if unplaced else ".")
    )
    alt = (
        f"Map without a base layer of {labels.count(len(located))} Airwars incidents in "
        f"{area_name(area)}, {period}: " + "; ".join(parts) + "."
    )
    return Chart(fig, caption, alt)


def daily_figure(
    days: pd.DataFrame,
    *,
    area: str,
    pivot: str,
    perpetrator: str,
    claims: pd.DataFrame | None = None,
) -> Chart:
    """Civilian deaths per day as range bars, the pivot date marked; `claims` (columns
    monitor, publisher, period_start, period_end, figure, qualifier, category, low)
    are drawn as a per-day average line over their period, for scale: SOHR's in its
    look, any other (the article's) in the article's, so the two never look alike.
    The legend sits under the axes, clear of the bars and the pivot's label."""
    fig, ax = elements.new_figure(height=6.2, bottom=0.42)
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
    # left of its line: after the collapse the tallest bars reach the top of the axes
    ax.text(
        pd.Timestamp(pivot),
        ax.get_ylim()[1] * 0.97,
        "ceasefire collapses ",
        ha="right",
        va="top",
        fontsize=7.5,
    )
    drawn = []
    for row in (claims if claims is not None else pd.DataFrame()).itertuples(index=False):
        span = (row.period_end - row.period_start).days + 1
        key = "sohr" if row.monitor == "SOHR" else "article"
        who_said = (
            f"The article ({row.publisher}, naming no monitor)"
            if row.monitor == "unattributed"
            else f"{row.monitor}, as published by {row.publisher}"
        )
        said = labels.claim(row.figure, row.qualifier, row.category)
        window = f"{labels.day(row.period_start)} to {labels.day(row.period_end)}"
        drawn.append(f"{who_said}: {said}, {window}, a mean of {row.low / span:,.1f} a day")
        ax.hlines(
            row.low / span,
            row.period_start,
            row.period_end,
            color=look(key).color,
            linewidth=2.2,
            linestyle=look(key).linestyle,
            label=f"{who_said}: {said} over {span} days, as a daily mean",
        )
    elements.day_axis(ax)
    ax.set_ylabel("Civilians killed per day (count)")
    ax.set_xlabel("Date of the incident (weeks start on Monday)")
    ax.set_title(f"Civilian deaths per day, {who(perpetrator)}, {area_name(area)}")
    ax.legend(loc="upper left", bbox_to_anchor=(-0.1, -0.36), fontsize=8)
    elements.source_note(
        fig,
        "Airwars incident archive (ledger rule: low Confirmed/Fair "
        "sole belligerent, high all but Discounted, shared); published figures "
        "as curated in data/raw/published_figures.csv.",
    )
    first, last = (
        labels.day(days["date"].iloc[0]),
        labels.day(days["date"].iloc[-1]),
    )
    caption = (
        f"Civilians killed per day in Airwars incidents attributed to {who(perpetrator)} in "
        f"{area_name(area)}, {first} to {last}: each {colour('airwars')} bar runs from the day's "
        "sum of incident "
        "minimums (Confirmed or Fair, sole belligerent) to its sum of maximums (all but "
        "Discounted, shared). The dotted line marks the collapse of the ceasefire on "
        f"{labels.day(pivot)}. "
        + (
            f"Horizontal lines: {len(drawn)} published figure(s) for the period from that "
            f"day ({colour('article')} for the article, dashed {colour('sohr')} for SOHR), "
            "each spread evenly over its own period as a daily mean, for scale."
            if drawn
            else f"No published figure covers a period from {labels.day(pivot)}, so none is drawn."
        )
    )
    worst = days.loc[days["high"].idxmax()]
    after = days[days["date"] >= pd.Timestamp(pivot)]
    alt = (
        f"Bar chart of {len(days)} days in {area_name(area)}: Airwars records "
        f"{labels.span(days['low'].sum(), days['high'].sum())} civilians killed in all, "
        f"{labels.span(after['low'].sum(), after['high'].sum())} from {labels.day(pivot)}; "
        f"the worst day by the high end, {labels.day(worst['date'])}, has "
        f"{labels.span(worst['low'], worst['high'])}. "
        + ("Lines: " + "; ".join(drawn) + "." if drawn else "")
    ).strip()
    return Chart(fig, caption, alt)
