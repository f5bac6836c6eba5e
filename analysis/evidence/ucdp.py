"""UCDP's answers to many queries, event by event (GED) and year by year (BRD).

GED (rule of `analysis.metrics.ucdp`). For civilians, total or people: all parties
together, so for a claim about everyone (`all`) GED's deaths of events wholly
inside the period and strictly in the area are a floor; for one perpetrator, the
largest reading of every event overlapping the period that may lie in the area is
a ceiling, and only when the whole period lies inside GED's window. Records looked
at: the events overlapping the period that may lie in the area; for a floor, those
not wholly inside or not known to be in the area add 0.

BRD. Country-year battle deaths bound only claims about everyone killed by all
parties in Syria: the low estimates of the years wholly inside the period are a
floor. Records looked at: the years overlapping the period.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import labels
from analysis.evidence.answer import Answer, Queries, by_key, everyone_in_syria, span
from analysis.evidence.pairs import Contributions, days, expand_runs, overlapping
from analysis.metrics.areas import NAMED_AREA_GOVERNORATE, in_area
from analysis.metrics.ucdp import GED_CATEGORIES, GED_WINDOW
from analysis.vocabulary import NAMED_AREAS

GED_REASONS = (
    "inside period and area: floor",
    "overlaps period, not inside it: not in floor",
    "may be in area, not known to: not in floor",
    "overlaps period, may be in area: ceiling",
)
GED_ENDS = ("low", "neither", "neither", "high")
BRD_REASONS = (
    "year inside period: low estimate in floor",
    "year partly outside period: not in floor",
)
BRD_ENDS = ("low", "neither")
SYRIA = 652


def _number(series: pd.Series) -> np.ndarray:
    return series.astype("Float64").fillna(0.0).to_numpy(float)


def ged_readings(table: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per category, each event's (smallest, largest) reading (see the module docstring
    of `analysis.metrics.ucdp`)."""
    civilians = _number(table["deaths_civilians"])
    margin = np.clip(_number(table["high"]) - _number(table["best"]), 0, None)
    largest = civilians + _number(table["deaths_unknown"]) + margin
    total = (_number(table["low"]), _number(table["high"]))
    return {"civilians": (civilians, largest), "total": total, "people": total}


def _ged_basis(category: str, perpetrator: str, area: str, role: str, fit: str) -> str:
    if category not in GED_CATEGORIES:
        return f"GED does not count {category} separately"
    if fit == "outside":
        return "the claim's period lies outside GED's window"
    if role == "lower":
        return "documented all-party deaths of events wholly inside the period and area: a floor"
    if role == "none":
        return (
            "the claim's period starts or ends outside GED's window, so its all-party "
            "count cannot bound it from above"
        )
    reading = (
        "civilians + unknown + high-over-best margin"
        if category == "civilians"
        else "high estimate"
    )
    governorate = labels.word("governorate", NAMED_AREA_GOVERNORATE.get(area, ""))
    where = f" in all of {governorate} governorate" if area in NAMED_AREAS else ""
    return (
        f"all-party GED deaths ({category}: {reading}) of events overlapping the period{where}: "
        f"covers more perpetrators than {labels.word('perpetrator', perpetrator)}, an upper "
        "bound only"
    )


def answer_ged(table: pd.DataFrame, queries: Queries) -> Answer:
    first, last = GED_WINDOW
    coverage = (
        f"UCDP GED Syria events {span(first, last)}; all parties together (Russia is never a side)"
    )
    categories, perpetrators = queries.column("category"), queries.column("perpetrator")
    areas = queries.column("area")
    fit = queries.fit(first, last)
    counted = np.isin(categories, list(GED_CATEGORIES)) & (fit != "outside")
    everyone = perpetrators == "all"
    role = np.where(
        ~counted, "none", np.where(everyone, "lower", np.where(fit == "part", "none", "upper"))
    ).astype(object)
    event_first, event_last = (
        days(table["date_start"]),
        days(table["date_end"].fillna(table["date_start"])),
    )
    readings = ged_readings(table)
    chosen = role != "none"
    parts = [Contributions.empty("ucdp_ged", GED_REASONS, GED_ENDS)]
    for area, positions in pd.Series(np.flatnonzero(chosen)).groupby(areas[chosen], sort=False):
        q = positions.to_numpy()
        strict = in_area(table, area).to_numpy()
        looked = np.flatnonzero(in_area(table, area, superset=True).to_numpy())
        qi, ri = overlapping(
            event_first[looked], event_last[looked], queries.first[q], queries.last[q]
        )
        query, record = q[qi], looked[ri]
        floor = role[query] == "lower"
        inside = (event_first[record] >= queries.first[query]) & (
            event_last[record] <= queries.last[query]
        )
        small, large = np.zeros(len(query)), np.zeros(len(query))
        for category, (smallest, largest) in readings.items():
            mine = categories[query] == category
            small[mine], large[mine] = smallest[record[mine]], largest[record[mine]]
        counts = inside & strict[record]
        why = np.where(~floor, 3, np.where(counts, 0, np.where(~inside, 1, 2)))
        parts.append(
            Contributions(
                "ucdp_ged",
                query,
                record,
                np.where(floor & counts, small, 0.0),
                np.where(floor, 0.0, large),
                why.astype("int16"),
                GED_REASONS,
                GED_ENDS,
            )
        )
    keys = list(zip(categories, perpetrators, areas, role, fit, strict=True))
    basis = by_key(keys, {k: _ged_basis(*k) for k in set(keys)})
    found = Contributions.concat(parts, "ucdp_ged", GED_REASONS, GED_ENDS)
    return Answer.from_pairs("ucdp_ged", role, basis, coverage, fit == "outside", found)


def _brd_basis(perpetrator: str, category: str, area: str, fit: str) -> str:
    if perpetrator != "all" or category not in ("total", "people"):
        return (
            "country-year battle deaths of all parties bound only a claim about everyone "
            "killed by all parties"
        )
    if area != "syria":
        return "battle deaths are counted for Syria as a whole"
    if fit == "outside":
        return "the claim's period lies outside the series"
    return (
        "sum of the low estimate over calendar years wholly inside the period: a floor "
        "(battle deaths leave out one-sided violence)"
    )


def answer_brd(table: pd.DataFrame, queries: Queries) -> Answer:
    rows = np.flatnonzero((table["gwcode"] == SYRIA).to_numpy())
    years = table["year"].to_numpy()[rows].astype(int)
    first = pd.Timestamp(int(years.min()), 1, 1)
    last = pd.Timestamp(int(years.max()), 12, 31)
    coverage = (
        f"UCDP battle deaths, Syria, {first.year} to {last.year}, by year; "
        "state-based conflict only"
    )
    perpetrators, categories = queries.column("perpetrator"), queries.column("category")
    areas = queries.column("area")
    fit = queries.fit(first, last)
    speaks = everyone_in_syria(queries, fit)
    role = np.where(speaks, "lower", "none").astype(object)
    year_first = days(pd.to_datetime({"year": years, "month": 1, "day": 1}))
    year_last = days(pd.to_datetime({"year": years, "month": 12, "day": 31}))
    order = np.argsort(years, kind="stable")
    chosen = np.flatnonzero(speaks)
    lo = np.searchsorted(year_last[order], queries.first[chosen], side="left")
    hi = np.searchsorted(year_first[order], queries.last[chosen], side="right")
    qi, at = expand_runs(lo, hi)
    query, record = chosen[qi], rows[order[at]]
    local = order[at]
    whole = (year_first[local] >= queries.first[query]) & (year_last[local] <= queries.last[query])
    low = np.where(whole, _number(table["low"])[record], 0.0)
    found = Contributions(
        "ucdp_brd",
        query,
        record,
        low,
        np.zeros(len(query)),
        np.where(whole, 0, 1).astype("int16"),
        BRD_REASONS,
        BRD_ENDS,
    )
    keys = list(zip(perpetrators, categories, areas, fit, strict=True))
    basis = by_key(keys, {k: _brd_basis(*k) for k in set(keys)})
    return Answer.from_pairs("ucdp_brd", role, basis, coverage, fit == "outside", found)
