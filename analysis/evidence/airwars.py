"""Airwars' answer to many queries, incident by incident.

Rule (documented in `analysis.metrics.airwars` and docs/methods.md): for a civilian
category, the low end sums the category's minimum over incidents graded Confirmed
or Fair whose sole belligerent is the perpetrator; the high end sums its maximum
over every incident naming the perpetrator, any grading but Discounted; both over
incidents dated (by start date) within the period and located in the area (strict
reading). The high end is dropped (a lower bound only) for the Syrian government,
Russia-or-government and all parties, which Airwars tracks in part, and when the
period reaches beyond the archive's dates.

Records looked at. For each query: every incident that names the perpetrator, may
lie in the area (its governorate, or an unknown one) and whose dates overlap the
period. Each is given its rule class: grading (five gradings or ungraded), sole
or shared attribution, start date inside the period or only an overlap, and inside
the area's strict reading or not (6 x 2 x 2 x 2 = 48 classes). Whether a class
counts toward each end is a `RuleSet`: the ledger's (`LEDGER`), or any other the
robustness grid tries, so every rule reads the same pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from analysis import labels
from analysis.evidence.answer import Answer, Queries, by_key, span
from analysis.evidence.pairs import NAT, Contributions, days, overlapping
from analysis.metrics.airwars import (
    ATTRIBUTION_RULES,
    CATEGORY_COLUMNS,
    GRADING_RULES,
    attribution,
    incident_range,
)
from analysis.metrics.areas import in_area
from analysis.vocabulary import GRADINGS

SOURCE = "airwars"
#: Grading code of an ungraded incident (the others index `GRADINGS`).
UNGRADED = len(GRADINGS)
CLASSES = (UNGRADED + 1) * 2 * 2 * 2
#: Period edges: incidents counted by start date, or by any overlap with the period.
EDGES = ("start_date", "overlap")

LOWER_ONLY = {
    "syrian_government": "Airwars barely tracks the Syrian government's own strikes, so its "
    "count is a lower bound only",
    "russia_or_syrian_government": "Airwars covers only the Russian side of this pair (and a "
    "handful of Syrian-government incidents), so its count is a lower bound only",
    "all": "Airwars covers only some air forces, so for all perpetrators its count is a lower "
    "bound only",
}
PART_WINDOW = "the claim's period reaches beyond the archive's dates, so only a lower bound holds"


def encode(grade: Any, sole: Any, overlap_only: Any, strict: Any) -> Any:
    """Rule class of each pair, or of one (see the module docstring)."""
    return ((grade * 2 + sole) * 2 + overlap_only) * 2 + strict


def decode(klass: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(grade, sole, overlap_only, strict) of rule classes."""
    return klass // 8, (klass // 4) % 2, (klass // 2) % 2, klass % 2


def _grades(names: tuple[str | None, ...]) -> set[int]:
    return {UNGRADED if g is None else GRADINGS.index(g) for g in names}


@dataclass(frozen=True)
class RuleSet:
    """Which incidents count toward each end: a grading rule and an attribution rule
    for the low end and for the high end, and the period edge for both."""

    low_grading: str = "confirmed_fair"
    low_attribution: str = "sole"
    high_grading: str = "all_but_discounted"
    high_attribution: str = "shared"
    edge: str = "start_date"

    def __post_init__(self) -> None:
        for grading in (self.low_grading, self.high_grading):
            if grading not in GRADING_RULES:
                raise ValueError(f"unknown grading rule {grading!r}; known: {list(GRADING_RULES)}")
        for rule in (self.low_attribution, self.high_attribution):
            if rule not in ATTRIBUTION_RULES:
                raise ValueError(f"unknown attribution rule {rule!r}; known: {ATTRIBUTION_RULES}")
        if self.edge not in EDGES:
            raise ValueError(f"unknown period edge {self.edge!r}; known: {EDGES}")

    def _admits(self, grading: str, attributed: str) -> np.ndarray:
        klass = np.arange(CLASSES)
        grade, sole, overlap_only, strict = decode(klass)
        return (
            np.isin(grade, list(_grades(GRADING_RULES[grading])))
            & ((sole == 1) | (attributed == "shared"))
            & ((overlap_only == 0) | (self.edge == "overlap"))
            & (strict == 1)
        )

    @cached_property
    def low_classes(self) -> np.ndarray:
        """Boolean per rule class: counts toward the low end."""
        return self._admits(self.low_grading, self.low_attribution)

    @cached_property
    def high_classes(self) -> np.ndarray:
        """Boolean per rule class: counts toward the high end."""
        return self._admits(self.high_grading, self.high_attribution)


#: The claims ledger's rule.
LEDGER = RuleSet()


#: How a grading rule reads in a reason.
GRADING_WORDS = {
    "confirmed_fair": "Confirmed/Fair",
    "confirmed_fair_weak": "Confirmed/Fair/Weak",
    "all_but_discounted": "any grading but Discounted",
    "all": "any grading",
}


def _reason(klass: int, rules: RuleSet, high_bounded: bool) -> tuple[str, str]:
    """Why an incident of this class counts (or not), and the ends it counts toward."""
    grade, sole, overlap_only, strict = (int(v) for v in decode(np.array(klass)))
    if not strict:
        return "outside the area (strict reading)", "neither"
    if overlap_only and rules.edge == "start_date":
        return "starts before the period (counted by start date)", "neither"
    grading = "ungraded" if grade == UNGRADED else GRADINGS[grade]
    parts = [grading, "sole" if sole else "shared"]
    in_low = bool(rules.low_classes[klass])
    in_high = bool(rules.high_classes[klass]) and high_bounded
    if not in_low and (in_high or not high_bounded):
        sole_would_count = bool(rules.low_classes[encode(grade, 1, overlap_only, 1)])
        parts.append(
            "low end needs sole attribution"
            if sole_would_count
            else f"low end needs {GRADING_WORDS[rules.low_grading]}"
        )
    if not high_bounded:
        parts.append("no upper bound here")
    ends = {
        (True, True): "low and high",
        (True, False): "low",
        (False, True): "high",
        (False, False): "neither",
    }[(in_low, in_high)]
    return "; ".join(parts), ends


def reasons(rules: RuleSet) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Reason and ends per (rule class, high end bounded or not): `why` indexes them as
    class + CLASSES * (high end not bounded)."""
    found = [_reason(k, rules, bounded) for bounded in (True, False) for k in range(CLASSES)]
    return tuple(r for r, _ in found), tuple(e for _, e in found)


@dataclass(frozen=True)
class Incidents:
    """Per-incident arrays the rule reads, computed once per table."""

    first: np.ndarray
    last: np.ndarray
    grade: np.ndarray
    minimum: dict[str, np.ndarray]
    maximum: dict[str, np.ndarray]

    @classmethod
    def of(cls, table: pd.DataFrame) -> Incidents:
        first = days(table["date"])
        end = days(table["date_end"].fillna(table["date"]))
        last = np.where(first == NAT, NAT, np.maximum(first, end))
        codes = table["grading"].astype("string").map({g: i for i, g in enumerate(GRADINGS)})
        grade = codes.fillna(UNGRADED).astype("int64").to_numpy()
        low, high = {}, {}
        for category in CATEGORY_COLUMNS:
            lo, hi = incident_range(table, category)
            low[category], high[category] = lo.to_numpy(float), hi.to_numpy(float)
        return cls(first, last, grade, low, high)


def pairs(
    table: pd.DataFrame, incidents: Incidents, queries: Queries, chosen: np.ndarray
) -> pd.DataFrame:
    """Every (query, incident) the rule looks at, for the queries where `chosen`
    holds: columns query, record, klass, sorted by query then record."""
    perps, areas = queries.column("perpetrator"), queries.column("area")
    named = {p: attribution(table, p, "shared").to_numpy() for p in set(perps[chosen])}
    sole = {p: attribution(table, p, "sole").to_numpy().astype("int64") for p in named}
    strict = {a: in_area(table, a).to_numpy().astype("int64") for a in set(areas[chosen])}
    maybe = {a: in_area(table, a, superset=True).to_numpy() for a in strict}
    found = [pd.DataFrame({"query": [], "record": [], "klass": []}, dtype="int64")]
    groups = pd.Series(np.flatnonzero(chosen)).groupby([perps[chosen], areas[chosen]], sort=False)
    for (perpetrator, area), positions in groups:
        q = positions.to_numpy()
        looked = np.flatnonzero(named[perpetrator] & maybe[area])
        qi, ri = overlapping(
            incidents.first[looked], incidents.last[looked], queries.first[q], queries.last[q]
        )
        record, query = looked[ri], q[qi]
        overlap_only = (incidents.first[record] < queries.first[query]).astype("int64")
        klass = encode(
            incidents.grade[record], sole[perpetrator][record], overlap_only, strict[area][record]
        )
        found.append(pd.DataFrame({"query": query, "record": record, "klass": klass}))
    out = pd.concat(found, ignore_index=True)
    return out.sort_values(["query", "record"], ignore_index=True)


def contributions(
    incidents: Incidents,
    queries: Queries,
    looked: pd.DataFrame,
    high_bounded: np.ndarray,
    rules: RuleSet = LEDGER,
) -> Contributions:
    """What each looked-at incident adds to each end under `rules`; the high end adds
    nothing for queries whose high end is not bounded."""
    query, record = looked["query"].to_numpy(), looked["record"].to_numpy()
    klass = looked["klass"].to_numpy()
    categories = queries.column("category")[query]
    low = np.zeros(len(query))
    high = np.zeros(len(query))
    for category in CATEGORY_COLUMNS:
        mine = categories == category
        low[mine] = incidents.minimum[category][record[mine]]
        high[mine] = incidents.maximum[category][record[mine]]
    bounded = high_bounded[query]
    why = (klass + CLASSES * (~bounded)).astype("int16")
    # each pair's own range stays beside what it adds, so other rule sets can re-read it
    extra = {"klass": klass.astype("int16"), "minimum": low, "maximum": high}
    texts, ends = reasons(rules)
    return Contributions(
        SOURCE,
        query,
        record,
        np.where(rules.low_classes[klass], low, 0.0),
        np.where(rules.high_classes[klass] & bounded, high, 0.0),
        why,
        texts,
        ends,
        extra,
    )


def answer(table: pd.DataFrame, queries: Queries) -> Answer:
    """Airwars' answer to every query under the ledger's rule."""
    first, last = table["date"].min(), table["date"].max()
    coverage = (
        f"Airwars incidents dated {span(first, last)}; civilian harm by the air forces it monitors"
    )
    categories = queries.column("category")
    perpetrators = queries.column("perpetrator")
    fit = queries.fit(first, last)
    counted = np.isin(categories, list(CATEGORY_COLUMNS))
    speaks = counted & (fit != "outside")
    lower = speaks & (np.isin(perpetrators, list(LOWER_ONLY)) | (fit == "part"))
    role = np.where(~speaks, "none", np.where(lower, "lower", "both")).astype(object)
    incidents = Incidents.of(table)
    looked = pairs(table, incidents, queries, speaks)
    found = contributions(incidents, queries, looked, high_bounded=role == "both")
    keys = list(zip(categories, perpetrators, role, fit, strict=True))
    basis = by_key(keys, {k: _basis(*k) for k in set(keys)})
    return Answer.from_pairs(SOURCE, role, basis, coverage, fit == "outside", found)


def _basis(category: str, perpetrator: str, role: str, fit: str) -> str:
    if category not in CATEGORY_COLUMNS:
        return (
            f"Airwars records civilian harm only; it has no count of {category} "
            "(militant-death fields are empty for Russian incidents)"
        )
    if role == "none":
        return "the claim's period lies outside the archive's dates"
    who = labels.word("perpetrator", perpetrator)
    rule = (
        f"low = sum of minimum {CATEGORY_COLUMNS[category]} over Confirmed/Fair "
        f"incidents solely attributed to {who}"
    )
    if role == "lower":
        return f"{rule}; {LOWER_ONLY.get(perpetrator, PART_WINDOW)}"
    return (
        f"{rule}; high = sum of maxima over every incident naming {who}, any grading but Discounted"
    )
