"""The Airwars rule of the evidence engine on hand-made incidents: ones with an end
date (one whose end precedes its start, as Airwars' RS2053 does, one that starts
before the period and ends inside it, an undated one), every rule class of four rule
sets written out from the rule's words, the reasons, and the answer's roles."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from fixtures.claims.tables import airwars_small

from analysis.evidence.airwars import (
    CLASSES,
    LEDGER,
    LOWER_ONLY,
    PART_WINDOW,
    Incidents,
    RuleSet,
    answer,
    decode,
    encode,
    reasons,
)
from analysis.evidence.answer import Queries
from analysis.evidence.pairs import NAT
from analysis.evidence.tallies import tallies
from analysis.intervals import INF


@pytest.fixture(scope="module")
def incidents() -> pd.DataFrame:
    table = airwars_small()
    ends = {1: "2015-10-03", 2: "2015-10-12"}  # sequence 2 ends before it starts
    table["date_end"] = pd.to_datetime(table["sequence"].map(ends)).astype("datetime64[ns]")
    return table


def _tally(table: pd.DataFrame, start: str, end: str, rules: RuleSet = LEDGER) -> pd.Series:
    query = pd.DataFrame(
        {
            "key": ["q"],
            "perpetrator": ["russia"],
            "category": ["civilians"],
            "area": ["syria"],
            "period_start": [pd.Timestamp(start)],
            "period_end": [pd.Timestamp(end)],
        }
    )
    return tallies(table, query, rules).table.iloc[0]


def test_an_incident_ending_before_it_starts_counts_on_its_start_date(incidents) -> None:
    # sequence 2: Confirmed, sole Russia, 5 to 5 civilians, dated 2015-10-15
    found = _tally(incidents, "2015-10-15", "2015-10-15")
    assert (found["low"], found["high"], found["incidents_low"]) == (5, 5, 1)
    assert _tally(incidents, "2015-10-15", "2015-10-15", RuleSet(edge="overlap"))["low"] == 5
    # its (inverted) end date does not stretch it back into an earlier period
    found = _tally(incidents, "2015-10-12", "2015-10-14", RuleSet(edge="overlap"))
    assert (found["low"], found["high"]) == (0, 0)


def test_an_incident_starting_before_the_period_counts_only_by_overlap(incidents) -> None:
    # sequence 1: Fair, sole Russia, 2 to 4 civilians, 2015-10-01 to 2015-10-03
    by_start = _tally(incidents, "2015-10-02", "2015-10-14")
    assert (by_start["low"], by_start["high"], by_start["incidents_high"]) == (0, 0, 0)
    by_overlap = _tally(incidents, "2015-10-02", "2015-10-14", RuleSet(edge="overlap"))
    assert (by_overlap["low"], by_overlap["high"], by_overlap["incidents_low"]) == (2, 4, 1)
    # the day after its end it is not looked at
    assert _tally(incidents, "2015-10-04", "2015-10-14", RuleSet(edge="overlap"))["high"] == 0


def test_a_period_of_one_day_counts_the_incidents_that_start_on_it(incidents) -> None:
    # sequences 1 (2..4) and, with no end date, nothing else start on 2015-10-01
    found = _tally(incidents, "2015-10-01", "2015-10-01")
    assert (found["low"], found["high"]) == (2, 4)
    found = _tally(incidents, "2015-10-16", "2015-10-19")
    assert (found["low"], found["high"]) == (0, 0)


# The rule classes, written out from the documented rule: a grading, sole or shared
# attribution, a start inside the period or only an overlap, inside the area's
# strict reading or not.
GRADED = ("Confirmed", "Fair", "Weak", "Contested", "Discounted", None)


def _documented(rules: RuleSet, grading: str | None, sole: bool, overlap: bool, strict: bool):
    """(counts low, counts high) of one class, from the rule's words alone."""
    low_gradings = {
        "confirmed_fair": {"Confirmed", "Fair"},
        "confirmed_fair_weak": {"Confirmed", "Fair", "Weak"},
        "all_but_discounted": {"Confirmed", "Fair", "Weak", "Contested", None},
        "all": set(GRADED),
    }
    dated = not overlap or rules.edge == "overlap"
    low = (
        grading in low_gradings[rules.low_grading]
        and (sole or rules.low_attribution == "shared")
        and dated
        and strict
    )
    high = (
        grading in low_gradings[rules.high_grading]
        and (sole or rules.high_attribution == "shared")
        and dated
        and strict
    )
    return low, high


@pytest.mark.parametrize(
    "rules",
    [
        RuleSet(),  # the ledger's, built afresh (LEDGER caches its classes)
        RuleSet(edge="overlap"),
        RuleSet("confirmed_fair_weak", "shared", "all", "sole"),
        RuleSet("all", "sole", "confirmed_fair", "shared", "overlap"),
    ],
    ids=lambda r: (
        f"{r.low_grading}-{r.low_attribution}-{r.high_grading}-{r.high_attribution}-{r.edge}"
    ),
)
def test_every_rule_class_counts_as_the_rule_says(rules: RuleSet) -> None:
    for g, grading in enumerate(GRADED):
        for sole, overlap, strict in itertools.product((0, 1), repeat=3):
            klass = encode(g, sole, overlap, strict)
            expected = _documented(rules, grading, bool(sole), bool(overlap), bool(strict))
            found = (bool(rules.low_classes[klass]), bool(rules.high_classes[klass]))
            assert found == expected, (grading, sole, overlap, strict)


def test_rule_classes_are_the_48_combinations_once() -> None:
    combos = list(itertools.product(range(len(GRADED)), (0, 1), (0, 1), (0, 1)))
    classes = [encode(*c) for c in combos]
    assert sorted(classes) == list(range(CLASSES)) == list(range(48))
    grade, sole, overlap, strict = decode(np.array(classes))
    assert list(zip(grade, sole, overlap, strict, strict=True)) == combos


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "low_grading",
            "confirmed",
            r"unknown grading rule 'confirmed'; known: \['confirmed_fair',",
        ),
        ("high_grading", "any", r"unknown grading rule 'any'; known: \['confirmed_fair',"),
        (
            "low_attribution",
            "only",
            r"unknown attribution rule 'only'; known: \('sole', 'shared'\)",
        ),
        (
            "high_attribution",
            "both",
            r"unknown attribution rule 'both'; known: \('sole', 'shared'\)",
        ),
        ("edge", "end_date", r"unknown period edge 'end_date'; known: \('start_date', 'overlap'\)"),
    ],
)
def test_an_unknown_rule_name_is_refused_naming_the_known_ones(field, value, message) -> None:
    with pytest.raises(ValueError, match=message):
        RuleSet(**{field: value})


def _why(rules: RuleSet, grading: str | None, sole: int, overlap: int, strict: int, bounded=True):
    texts, ends = reasons(rules)
    at = encode(GRADED.index(grading), sole, overlap, strict) + CLASSES * (not bounded)
    return texts[at], ends[at]


def test_each_reason_says_why_an_incident_counts_or_not() -> None:
    ledger = RuleSet()
    assert _why(ledger, "Fair", 1, 0, 0) == ("outside the area (strict reading)", "neither")
    assert _why(ledger, "Fair", 1, 1, 1) == (
        "starts before the period (counted by start date)",
        "neither",
    )
    assert _why(ledger, "Confirmed", 1, 0, 1) == ("Confirmed; sole", "low and high")
    assert _why(ledger, "Fair", 0, 0, 1) == (
        "Fair; shared; low end needs sole attribution",
        "high",
    )
    assert _why(ledger, "Weak", 1, 0, 1) == ("Weak; sole; low end needs Confirmed/Fair", "high")
    assert _why(ledger, "Discounted", 1, 0, 1) == ("Discounted; sole", "neither")
    assert _why(ledger, None, 0, 0, 1, bounded=False) == (
        "ungraded; shared; low end needs Confirmed/Fair; no upper bound here",
        "neither",
    )
    assert _why(ledger, "Confirmed", 1, 0, 1, bounded=False) == (
        "Confirmed; sole; no upper bound here",
        "low",
    )
    by_overlap = RuleSet(edge="overlap")
    assert _why(by_overlap, "Confirmed", 1, 1, 1) == ("Confirmed; sole", "low and high")
    weak = RuleSet(low_grading="confirmed_fair_weak")
    assert _why(weak, "Weak", 0, 0, 1) == ("Weak; shared; low end needs sole attribution", "high")
    assert _why(weak, "Contested", 1, 0, 1) == (
        "Contested; sole; low end needs Confirmed/Fair/Weak",
        "high",
    )
    # a rule whose low end counts an incident its high end does not
    odd = RuleSet("all", "shared", "confirmed_fair", "sole")
    assert _why(odd, "Discounted", 0, 0, 1) == ("Discounted; shared", "low")


def test_airwars_answers_each_query_with_the_role_its_coverage_allows() -> None:
    queries = pd.DataFrame(
        {
            "perpetrator": ["russia", "syrian_government", "russia", "russia", "russia", "all"],
            "category": [
                "civilians",
                "civilians",
                "civilians",
                "fighters",
                "civilians",
                "children",
            ],
            "area": "syria",
            "period_start": pd.to_datetime(
                ["2015-09-30", "2015-09-30", "2014-01-01", "2015-09-30", "2017-01-01", "2015-09-30"]
            ),
            "period_end": pd.to_datetime(
                ["2016-09-30", "2016-09-30", "2016-09-30", "2016-09-30", "2017-12-31", "2016-09-30"]
            ),
        }
    )
    found = answer(airwars_small(), Queries.of(queries))
    assert found.source == "airwars"
    assert found.coverage == (
        "Airwars incidents dated 2014-09-23 to 2016-10-01; civilian harm by the air forces "
        "it monitors"
    )
    assert found.role.tolist() == ["both", "lower", "lower", "none", "none", "lower"]
    assert found.outside.tolist() == [False, False, False, False, True, False]
    # russia over the year: 10..55 (airwars_small's docstring); the Syrian government
    # is named only beside Russia (row 9), so nothing is solely its own; from 2014 the
    # period starts before the archive, so Russia's 10 is a floor; children killed by
    # anyone, sole (every row) and Confirmed/Fair: rows 1, 3, 7, 9 give 1 + 0 + 1 + 1
    assert found.low[[0, 1, 2, 5]].tolist() == [10, 0, 10, 3]
    assert found.high[[0, 1, 2, 5]].tolist() == [55, INF, INF, INF]
    assert np.isnan(found.low[[3, 4]]).all() and np.isnan(found.high[[3, 4]]).all()
    rule = "low = sum of minimum {} over Confirmed/Fair incidents solely attributed to {}"
    assert found.basis.tolist() == [
        rule.format("civilians_killed", "Russia")
        + "; high = sum of maxima over every incident naming Russia, any grading but Discounted",
        rule.format("civilians_killed", "the Syrian government")
        + "; "
        + LOWER_ONLY["syrian_government"],
        rule.format("civilians_killed", "Russia") + "; " + PART_WINDOW,
        "Airwars records civilian harm only; it has no count of fighters (militant-death "
        "fields are empty for Russian incidents)",
        "the claim's period lies outside the archive's dates",
        rule.format("children_killed", "any party") + "; " + LOWER_ONLY["all"],
    ]
    # incident 1 (row 0: Fair, sole Russia) under a bounded and an unbounded high end
    pairs = found.contributions
    why = {
        int(q): (pairs.reasons[w], pairs.ends[w])
        for q, r, w in zip(pairs.query, pairs.record, pairs.why, strict=True)
        if r == 0
    }
    assert why[0] == ("Fair; sole", "low and high")
    assert why[2] == ("Fair; sole; no upper bound here", "low")
    assert pairs.source == "airwars"
    assert LOWER_ONLY["syrian_government"].startswith("Airwars barely tracks the Syrian")
    assert PART_WINDOW.startswith("the claim's period reaches beyond the archive's dates")


def test_an_undated_incident_is_never_looked_at_even_with_an_end_date() -> None:
    table = airwars_small()
    # sequence 8 (Fair, sole Russia, 9 civilians) has no start date
    table["date_end"] = pd.to_datetime(table["sequence"].map({8: "2015-12-01"}))
    found = _tally(table, "2015-09-30", "2016-09-30", RuleSet(edge="overlap"))
    assert (found["low"], found["high"]) == (10, 55)
    incidents = Incidents.of(table)
    undated = (table["sequence"] == 8).to_numpy()
    assert (incidents.first[undated] == NAT).all() and (incidents.last[undated] == NAT).all()
