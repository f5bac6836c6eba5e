"""The vectorised verdict (`combine`, `decide`, `reason`) at its boundaries, and
`combine`/`decide` against the scalar rule written from the documentation
(tests/reference/verdict.py) on random claims and sources."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from reference.evidence import Evidence
from reference.verdict import decide as scalar_decide

from analysis.claims.verdict import combine, decide, reason
from analysis.intervals import INF, QUALIFIER_RULES, Interval, from_figure

NONE = math.nan


def _one(claim: Interval, lows: list[float], highs: list[float]) -> tuple[str, str]:
    names = [f"s{i}" for i in range(len(lows))]
    found = combine(np.array([lows], float), np.array([highs], float), names)
    verdict = decide(
        np.array([claim.low]), np.array([claim.high]), np.array([claim.low_open]), found
    )[0]
    return str(verdict), reason(verdict, claim, found, 0, "x")


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        # the claim's high end touches the evidence's low end: they share that number
        (Interval(50, 100), "within_evidence"),
        (Interval(50, 99.5), "below_evidence"),
        # the claim's low end touches the evidence's high end
        (Interval(200, 300), "within_evidence"),
        (Interval(200.5, 300), "above_evidence"),
        # an open low end at the evidence's high end excludes it; just under it meets it
        (from_figure(200, "more_than"), "above_evidence"),
        (from_figure(199.5, "more_than"), "within_evidence"),
        (from_figure(100, "exact"), "within_evidence"),
        (from_figure(200, "exact"), "within_evidence"),
    ],
)
def test_a_claim_touching_an_end_of_the_evidence(claim: Interval, verdict: str) -> None:
    assert _one(claim, [100, NONE], [NONE, 200])[0] == verdict


def test_sources_that_meet_in_one_number_do_not_disagree() -> None:
    assert _one(Interval(150, 150), [150, NONE], [NONE, 150])[0] == "within_evidence"
    assert _one(Interval(150, 150), [150.5, NONE], [NONE, 150])[0] == "sources_disagree"


def test_a_side_no_source_bounds_stays_open() -> None:
    found = combine(np.array([[NONE, 7.0]]), np.array([[NONE, NONE]]), ["a", "b"])
    assert (found.low[0], found.high[0], found.low_by[0], found.high_by[0]) == (7.0, INF, "b", "")
    assert bool(found.speaks[0])
    found = combine(np.array([[NONE, NONE]]), np.array([[NONE, 3.0]]), ["a", "b"])
    assert (found.low[0], found.high[0], found.low_by[0], found.high_by[0]) == (0.0, 3.0, "", "b")
    assert bool(found.speaks[0])
    silent = combine(np.array([[NONE, NONE]]), np.array([[NONE, NONE]]), ["a", "b"])
    assert not bool(silent.speaks[0])


def test_each_claim_is_combined_on_its_own_row() -> None:
    lows = np.array([[1.0, 5.0], [9.0, NONE], [NONE, NONE]])
    highs = np.array([[20.0, 10.0], [NONE, 30.0], [NONE, NONE]])
    found = combine(lows, highs, ["a", "b"])
    assert found.low.tolist() == [5.0, 9.0, 0.0]
    assert found.high.tolist() == [10.0, 30.0, INF]
    assert found.low_by.tolist() == ["b", "a", ""]
    assert found.high_by.tolist() == ["b", "b", ""]
    assert found.speaks.tolist() == [True, True, False]


def test_every_reason_names_its_numbers_and_sources() -> None:
    assert _one(Interval(1, 2), [NONE], [NONE])[1] == (
        "No source counts x for this period and area."
    )
    assert _one(Interval(1, 2), [10, NONE], [NONE, 100])[1] == (
        "The claim's range [1, 2] lies below the least documented, 10 from s0."
    )
    assert _one(Interval(20, 30), [10, NONE], [NONE, 100])[1] == (
        "The claim's range [20, 30] is consistent with what sources document, [10, 100] "
        "(low from s0, high from s1)."
    )
    assert _one(Interval(20, 30), [NONE], [100])[1] == (
        "The claim's range [20, 30] is consistent with what sources document, [0, 100] "
        "(low from no source, high from s0)."
    )
    assert _one(Interval(20, 30), [10], [NONE])[1] == (
        "Sources document at least 10 (s0) and none sets an upper bound; the claim's range "
        "is [20, 30]. It is consistent with what sources document, but they document 10 "
        "fewer than its least value."
    )


# -- the vectorised rule against the scalar one, on random claims and sources ----------------

counts = st.sampled_from([0.0, 1.0, 2.0, 3.0, 5.0, 8.0]) | st.floats(0, 50, allow_nan=False)
ROLES = ("both", "lower", "upper", "none")


@st.composite
def sources(draw: st.DrawFn) -> Evidence:
    role = draw(st.sampled_from(ROLES))
    a, b = sorted((draw(counts), draw(counts)))
    if role == "none":
        a, b = NONE, NONE
    return Evidence("", role, a, b)


@st.composite
def claims(draw: st.DrawFn) -> Interval:
    qualifier = draw(st.sampled_from(list(QUALIFIER_RULES)))
    return from_figure(draw(counts), qualifier)


@given(st.lists(st.tuples(claims(), st.lists(sources(), min_size=3, max_size=3)), min_size=1))
def test_vectorised_verdicts_equal_the_scalar_rule(cases: list[tuple[Interval, list[Evidence]]]):
    lows = np.array(
        [[e.low if e.role in ("both", "lower") else NONE for e in found] for _, found in cases]
    )
    highs = np.array(
        [[e.high if e.role in ("both", "upper") else NONE for e in found] for _, found in cases]
    )
    # one name per column (source), as the ledger gives them
    names = ["first", "second", "third"]
    cases = [
        (claim, [Evidence(names[j], e.role, e.low, e.high) for j, e in enumerate(found)])
        for claim, found in cases
    ]
    combined = combine(lows, highs, names)
    verdicts = decide(
        np.array([c.low for c, _ in cases]),
        np.array([c.high for c, _ in cases]),
        np.array([c.low_open for c, _ in cases]),
        combined,
    )
    for i, (claim, found) in enumerate(cases):
        expected = scalar_decide(claim.low, claim.high, claim.low_open, found)
        assert verdicts[i] == expected.verdict
        got = (combined.low[i], combined.high[i], combined.low_by[i], combined.high_by[i])
        assert got == (expected.low, expected.high, expected.low_by, expected.high_by)
