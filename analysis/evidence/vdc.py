"""The VDC's answers to many queries, week by week (weekly aggregates) and day by day
(the 2016 daily snapshot). The VDC records no perpetrator: every count is all parties.

Weekly (rule of `analysis.metrics.vdc` and docs/methods.md). For a claim about all
parties, the cut that answers the category and area exactly gives a floor: deaths
of weeks wholly inside the period. For a claim about one perpetrator's civilian
victims, deaths by warplane shelling of any air force give a ceiling, read from the
tightest cut that contains the request (loosening status, cause, age or province,
in `itertools.product` order, first smallest wins), over weeks overlapping the
period, and only when the whole period lies inside the weeks. Records looked at:
the chosen cut's weeks overlapping the period.

Daily. A count of everyone killed, all parties, Syria: its days inside the period
are a floor for a claim about everyone killed by all parties.
"""

from __future__ import annotations

from itertools import product

import numpy as np
import pandas as pd

from analysis import labels
from analysis.evidence.answer import Answer, Queries, by_key, everyone_in_syria, span
from analysis.evidence.pairs import Contributions, days, overlapping
from analysis.metrics.areas import NAMED_AREA_GOVERNORATE
from analysis.metrics.vdc import CATEGORY_CUTS, Cut, week_end, window
from analysis.vocabulary import NAMED_AREAS

#: Categories that count civilians only: where VDC's civilian status can bound a claim.
CIVILIAN_CATEGORIES = ("civilians", "children", "women", "civilian_men")
WEEKLY_REASONS = (
    "week inside period: floor",
    "week across a period edge: not in floor",
    "week overlaps period: ceiling",
)
WEEKLY_ENDS = ("low", "neither", "high")
DAILY_REASONS = ("day inside period: floor",)
DAILY_ENDS = ("low",)


class CutIndex:
    """Row positions of the weekly table by cut, found without scanning the table."""

    def __init__(self, table: pd.DataFrame) -> None:
        self.blocks = table.groupby(["status", "cause", "dimension"], sort=False).indices
        self.values = table["value"].to_numpy(dtype=object)

    def rows(self, cut: Cut) -> np.ndarray | None:
        """Positions answering the cut exactly, or None when no cut of the table does
        (the rule of `analysis.metrics.vdc`)."""
        if cut.sex_age and cut.province:
            return None
        dimension, wanted = (
            ("sex_age", list(cut.sex_age))
            if cut.sex_age
            else ("province", [cut.province])
            if cut.province
            else ("total", ["all"])
        )
        block = self.blocks.get((cut.status, cut.cause, dimension))
        if block is None:
            return None
        return np.sort(block[np.isin(self.values[block], wanted)])


def _province(area: str) -> str | None:
    if area == "syria":
        return None
    return NAMED_AREA_GOVERNORATE.get(area, area)


def loosenings(cut: Cut) -> list[Cut]:
    """Every cut containing `cut`, in the order ties are broken."""
    return [
        Cut(
            "all" if status else cut.status,
            "all" if cause else cut.cause,
            None if age else cut.sex_age,
            None if area else cut.province,
        )
        for status, cause, age, area in product((False, True), repeat=4)
    ]


def _none_basis(category: str, perpetrator: str, area: str, fit: str) -> str | None:
    if fit == "outside":
        return "the claim's period lies outside VDC's weeks"
    if perpetrator == "all":
        if category not in CATEGORY_CUTS or area in NAMED_AREAS:
            return f"no VDC cut counts {category} in {area} exactly"
        return None
    if category not in CIVILIAN_CATEGORIES:
        return (
            "VDC's non-civilian records are far from complete (few IS or government "
            "fighters), so they bound no count of fighters or of all dead"
        )
    if fit == "part":
        return "the claim's period reaches outside VDC's weeks, so no upper bound holds"
    return None


def _wanted(category: str, perpetrator: str, area: str) -> Cut:
    status, ages = CATEGORY_CUTS[category]
    cause = "all" if perpetrator == "all" else "Warplane shelling"
    return Cut(status, cause, ages, _province(area))


def answer_weekly(table: pd.DataFrame, queries: Queries) -> Answer:
    first, last = window(table)
    coverage = f"VDC weekly aggregates {span(first, last)}; all perpetrators, no perpetrator column"
    categories, perpetrators = queries.column("category"), queries.column("perpetrator")
    areas = queries.column("area")
    fit = queries.fit(first, last)
    n = len(queries)
    basis = np.empty(n, dtype=object)
    role = np.full(n, "none", dtype=object)
    wanted = np.empty(n, dtype=object)
    for i, key in enumerate(zip(categories, perpetrators, areas, fit, strict=True)):
        silent = _none_basis(*key)
        if silent is None:
            wanted[i] = _wanted(*key[:3])
        basis[i] = silent
    week_first = days(table["week_start"])
    week_last = days(week_end(table))
    deaths = table["deaths"].astype("Float64").fillna(0.0).to_numpy(float)
    index = CutIndex(table)
    parts = [Contributions.empty("vdc_weekly", WEEKLY_REASONS, WEEKLY_ENDS)]
    chosen = np.flatnonzero(wanted != None)  # noqa: E711 (an object array)
    for cut, positions in pd.Series(chosen).groupby(wanted[chosen], sort=False):
        q = positions.to_numpy()
        floor = cut.cause == "all"
        candidates = [cut] if floor else loosenings(cut)
        found: list[tuple[np.ndarray, np.ndarray] | None] = []
        for candidate in candidates:
            rows = index.rows(candidate)
            if rows is None:
                found.append(None)
                continue
            qi, ri = overlapping(
                week_first[rows], week_last[rows], queries.first[q], queries.last[q]
            )
            found.append((qi, rows[ri]))
        if floor:
            if found[0] is None:
                basis[q] = f"the weekly file has no cut {cut.describe()}"
                continue
            qi, record = found[0]
            query = q[qi]
            inside = (week_first[record] >= queries.first[query]) & (
                week_last[record] <= queries.last[query]
            )
            role[q] = "lower"
            basis[q] = (
                f"documented deaths ({cut.describe()}) in weeks wholly inside the period: a floor"
            )
            parts.append(
                Contributions(
                    "vdc_weekly",
                    query,
                    record,
                    np.where(inside, deaths[record], 0.0),
                    np.zeros(len(query)),
                    np.where(inside, 0, 1).astype("int16"),
                    WEEKLY_REASONS,
                    WEEKLY_ENDS,
                )
            )
            continue
        highs = np.full((len(q), len(candidates)), np.inf)
        for c, hit in enumerate(found):
            if hit is not None:
                highs[:, c] = np.bincount(hit[0], weights=deaths[hit[1]], minlength=len(q))
        if all(hit is None for hit in found):
            basis[q] = f"no cut of the weekly file contains {cut.describe()}"
            continue
        best = np.argmin(highs, axis=1)
        role[q] = "upper"
        for c in np.unique(best):
            mine = best == c
            qi, record = found[c]
            keep = mine[qi]
            query = q[qi[keep]]
            used = candidates[c]
            basis[q[mine]] = [
                f"deaths by warplane shelling of any air force ({used.describe()}) in weeks "
                "overlapping the period: covers more perpetrators than "
                f"{labels.word('perpetrator', perpetrators[i])}, "
                "an upper bound only"
                for i in q[mine]
            ]
            parts.append(
                Contributions(
                    "vdc_weekly",
                    query,
                    record[keep],
                    np.zeros(len(query)),
                    deaths[record[keep]],
                    np.full(len(query), 2, dtype="int16"),
                    WEEKLY_REASONS,
                    WEEKLY_ENDS,
                )
            )
    found_pairs = Contributions.concat(parts, "vdc_weekly", WEEKLY_REASONS, WEEKLY_ENDS)
    return Answer.from_pairs("vdc_weekly", role, basis, coverage, fit == "outside", found_pairs)


def _daily_basis(perpetrator: str, category: str, area: str, fit: str) -> str:
    if perpetrator != "all" or category not in ("total", "people"):
        return (
            "an all-party count of everyone killed bounds only a claim about everyone "
            "killed by all parties"
        )
    if area != "syria":
        return "the daily count is for Syria as a whole"
    if fit == "outside":
        return "the claim's period lies outside the snapshot"
    return "documented deaths on days inside the period: a floor"


def answer_daily(table: pd.DataFrame, queries: Queries) -> Answer:
    first, last = table["date"].min(), table["date"].max()
    coverage = (
        f"VDC daily count as of the 2016-07-20 snapshot, {span(first, last)}; all "
        "perpetrators, civilians and fighters together"
    )
    perpetrators, categories = queries.column("perpetrator"), queries.column("category")
    areas = queries.column("area")
    fit = queries.fit(first, last)
    speaks = everyone_in_syria(queries, fit)
    role = np.where(speaks, "lower", "none").astype(object)
    day = days(table["date"])
    chosen = np.flatnonzero(speaks)
    qi, record = overlapping(day, day, queries.first[chosen], queries.last[chosen])
    query = chosen[qi]
    deaths = table["deaths"].astype("Float64").fillna(0.0).to_numpy(float)
    found = Contributions(
        "vdc_daily",
        query,
        record,
        deaths[record],
        np.zeros(len(query)),
        np.zeros(len(query), dtype="int16"),
        DAILY_REASONS,
        DAILY_ENDS,
    )
    keys = list(zip(perpetrators, categories, areas, fit, strict=True))
    basis = by_key(keys, {k: _daily_basis(*k) for k in set(keys)})
    return Answer.from_pairs("vdc_daily", role, basis, coverage, fit == "outside", found)
