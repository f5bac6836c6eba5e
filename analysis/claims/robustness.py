"""Does a verdict survive other counting rules?

The counting rules have choices, all of them Airwars': which gradings count toward
the low end and toward the high end (the sweep's grading rules), sole or shared
attribution for each end (the sweep's attribution rules), and the period's edges
(incidents counted by start date, or by any overlap with the period). A rule set
takes one choice of each, keeping the high end at least as inclusive as the low
end (its gradings and attribution admit all the low end's), so each incident's
range stays a range: 10 grading pairs x 3 attribution pairs x 2 edges = 60 rule
sets (`RULE_SETS`), the ledger's own rule first. The sweep's points, one rule for
both ends, are among them.

For every claim and rule set, Airwars' ends are recomputed from the same incident
pairs the ledger read (their rule classes), the other sources' bounds are kept,
and the verdict is decided again. A claim is `robust` when every rule set gives
the same verdict, else `rule_dependent`, with a note naming the verdicts reached
and the rule choices they share.

Known drawbacks. Only Airwars' rules vary: the other sources' rules (UCDP's and
VDC's edges and area readings) are each fixed on the conservative side already.
"""

from __future__ import annotations

import itertools
from dataclasses import astuple, fields

import numpy as np
import pandas as pd

from analysis.claims.verdict import combine, decide
from analysis.evidence.airwars import CLASSES, EDGES, GRADING_WORDS, LEDGER, RuleSet
from analysis.evidence.answer import Answer
from analysis.intervals import INF
from analysis.labels import VERDICT_SHORT
from analysis.metrics.airwars import GRADING_RULES

_ATTRIBUTION_PAIRS = (("sole", "sole"), ("sole", "shared"), ("shared", "shared"))


def _rule_sets() -> tuple[RuleSet, ...]:
    gradings = list(GRADING_RULES)
    found = [
        RuleSet(low_g, low_a, high_g, high_a, edge)
        for (i, low_g), (j, high_g) in itertools.product(enumerate(gradings), repeat=2)
        if i <= j
        for low_a, high_a in _ATTRIBUTION_PAIRS
        for edge in EDGES
    ]
    return (LEDGER, *(r for r in found if r != LEDGER))


RULE_SETS = _rule_sets()
#: Rule-set columns of the grid, in `RuleSet` field order.
CHOICES = tuple(f.name for f in fields(RuleSet))


def airwars_ends(answer: Answer, rule_sets: tuple[RuleSet, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(claims x rule sets) Airwars low and high ends; NaN where Airwars is silent,
    an infinite high end where it bounds only from below."""
    found, n = answer.contributions, len(answer.role)
    at = found.query * CLASSES + found.extra["klass"]
    minimum = np.bincount(at, weights=found.extra["minimum"], minlength=n * CLASSES)
    maximum = np.bincount(at, weights=found.extra["maximum"], minlength=n * CLASSES)
    low_admit = np.stack([r.low_classes for r in rule_sets], axis=1).astype(float)
    high_admit = np.stack([r.high_classes for r in rule_sets], axis=1).astype(float)
    lows = minimum.reshape(n, CLASSES) @ low_admit
    highs = maximum.reshape(n, CLASSES) @ high_admit
    highs[answer.role == "lower"] = INF
    silent = answer.role == "none"
    lows[silent], highs[silent] = np.nan, np.nan
    return lows, highs


def grid(
    lows: np.ndarray,
    highs: np.ndarray,
    names: list[str],
    claim: tuple[np.ndarray, np.ndarray, np.ndarray],
    airwars: tuple[np.ndarray, np.ndarray] | None,
) -> pd.DataFrame:
    """The verdict of every claim under every rule set.

    `lows`/`highs` are the independent bounds (claims x sources, NaN where none) under
    the ledger's rule; `airwars` gives Airwars' independent ends per rule set (NaN
    where Airwars is silent or the claim's own monitor), or None when no claim reads
    Airwars. Returns one row per claim position and rule set: claim, rule_set (index
    into `RULE_SETS`), the rule choices, airwars_low, airwars_high, evidence_low,
    evidence_high, verdict.
    """
    n = lows.shape[0]
    column = names.index("airwars")
    parts = []
    for r, rules in enumerate(RULE_SETS):
        low_r, high_r = lows.copy(), highs.copy()
        if airwars is not None:
            low_r[:, column] = np.where(np.isnan(lows[:, column]), np.nan, airwars[0][:, r])
            high_r[:, column] = np.where(np.isnan(highs[:, column]), np.nan, airwars[1][:, r])
        found = combine(low_r, high_r, names)
        part = pd.DataFrame({"claim": np.arange(n), "rule_set": r})
        for choice, value in zip(CHOICES, astuple(rules), strict=True):
            part[choice] = value
        part["airwars_low"] = low_r[:, column]
        part["airwars_high"] = high_r[:, column]
        part["evidence_low"] = np.where(found.speaks, found.low, np.nan)
        part["evidence_high"] = np.where(found.speaks, found.high, np.nan)
        part["verdict"] = decide(*claim, found)
        parts.append(part)
    return pd.concat(parts, ignore_index=True).sort_values(["claim", "rule_set"], ignore_index=True)


#: What each grading rule counts beyond the one before it (the rules are nested,
#: narrowest first, in `GRADING_RULES`).
GRADING_ADDS = {
    "confirmed_fair_weak": "Weak",
    "all_but_discounted": "Contested",
    "all": "Discounted",
}
#: A choice's words as (singular verb phrase, plural verb phrase) per value set.
ATTRIBUTION_WORDS: dict[tuple[str, ...], tuple[str, str]] = {
    ("sole",): (
        "counts only incidents with one belligerent",
        "count only incidents with one belligerent",
    ),
    ("shared",): (
        "counts incidents with shared attribution",
        "count incidents with shared attribution",
    ),
}
EDGE_WORDS: dict[tuple[str, ...], str] = {
    ("start_date",): "incidents are counted by their start date",
    ("overlap",): "incidents are counted by any overlap with the period",
}


def _grading_words(values: list[str]) -> tuple[str, str]:
    """A set of grading rules in words, as what the end counts: `counts Contested
    incidents` (the most inclusive rules), `leaves out Weak incidents` (the narrowest),
    `counts Weak but not Contested incidents` (in between)."""
    order = list(GRADING_RULES)
    chosen = sorted(values, key=order.index)
    first, last = order.index(chosen[0]), order.index(chosen[-1])
    if last - first + 1 != len(chosen):  # not a run of nested rules: name each one
        named = " or ".join(GRADING_WORDS[v] for v in chosen)
        return f"takes {named}", f"take {named}"
    if first == 0:
        left_out = GRADING_ADDS[order[last + 1]]
        return f"leaves out {left_out} incidents", f"leave out {left_out} incidents"
    counted = GRADING_ADDS[order[first]]
    if last == len(order) - 1:
        return f"counts {counted} incidents", f"count {counted} incidents"
    but = f"{counted} but not {GRADING_ADDS[order[last + 1]]} incidents"
    return f"counts {but}", f"count {but}"


def _end_words(choice: str, values: list[str]) -> tuple[str, str]:
    if "grading" in choice:
        return _grading_words(values)
    return ATTRIBUTION_WORDS[tuple(values)]


def _shared_choices(chosen: pd.DataFrame) -> str:
    """The rule choices every row of `chosen` shares that the grid does not force, as
    a clause: `both ends count Contested incidents and the low end counts only
    incidents with one belligerent`."""
    ends: dict[str, dict[str, tuple[str, str]]] = {"low": {}, "high": {}}
    edge = []
    for choice in CHOICES:
        values = list(dict.fromkeys(chosen[choice]))
        every = list(dict.fromkeys(getattr(r, choice) for r in RULE_SETS))
        if len(values) == len(every):
            continue
        if choice == "edge":
            edge.append(EDGE_WORDS[tuple(values)])
        else:
            end, kind = choice.split("_", 1)
            ends[end][kind] = _end_words(choice, values)
    said = []
    for kind in ("grading", "attribution"):
        low, high = ends["low"].get(kind), ends["high"].get(kind)
        if low and low == high:
            said.append(f"both ends {low[1]}")
        else:
            said += [
                f"the {end} end {words[0]}"
                for end, words in (("low", low), ("high", high))
                if words
            ]
    said += edge
    return " and ".join(said) if said else "a mix of rule choices (see robustness.csv)"


def assess(table: pd.DataFrame) -> pd.DataFrame:
    """Per claim position: `robustness` (`robust` or `rule_dependent`) and
    `robustness_detail`, from the `grid`."""
    out = []
    total = len(RULE_SETS)
    for claim, rows in table.groupby("claim", sort=True):
        ledger = rows["verdict"].iloc[0]
        counts = rows["verdict"].value_counts()
        if len(counts) == 1:
            out.append((claim, "robust", f"{VERDICT_SHORT[ledger]} under all {total} rule sets"))
            continue
        notes = [
            f"{VERDICT_SHORT[ledger]} under the ledger's rule and {counts[ledger]} of {total} "
            "rule sets"
        ]
        for verdict in counts.index:
            if verdict != ledger:
                chosen = rows[rows["verdict"] == verdict]
                notes.append(
                    f"{VERDICT_SHORT[verdict]} when {_shared_choices(chosen)} "
                    f"({len(chosen)} of {total})"
                )
        out.append((claim, "rule_dependent", "; ".join(notes)))
    return pd.DataFrame(out, columns=["claim", "robustness", "robustness_detail"])
