"""Interval arithmetic: qualifier rules by hand, and invariants by property tests."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.intervals import INF, Interval, fmt, from_figure, ratio, total

counts = st.floats(min_value=0, max_value=1e7, allow_nan=False)


@st.composite
def intervals(draw: st.DrawFn) -> Interval:
    a, b = draw(counts), draw(counts)
    return Interval(min(a, b), max(a, b))


@pytest.mark.parametrize(
    ("qualifier", "low", "high", "opened"),
    [
        ("exact", 200, 200, False),
        ("about", 180, 220, False),
        ("almost", 180, 200, False),
        ("at_least", 200, INF, False),
        ("more_than", 200, INF, True),
        ("up_to", 0, 200, False),
    ],
)
def test_qualifiers_turn_a_figure_into_the_issue_s_ranges(qualifier, low, high, opened):
    found = from_figure(200, qualifier)
    assert (found.low, found.high, found.low_open) == pytest.approx((low, high, opened))


def test_unknown_qualifier_is_refused():
    with pytest.raises(ValueError, match="'roughly'; known: exact, about, almost, at_least"):
        from_figure(1, "roughly")


def test_inverted_or_nan_interval_is_refused():
    with pytest.raises(ValueError, match="low <= high"):
        Interval(5, 4)
    with pytest.raises(ValueError, match="numbers"):
        Interval(math.nan, 4)


def test_more_than_excludes_its_own_figure():
    claim = from_figure(200, "more_than")
    assert claim.lies_above(Interval(30, 200))
    assert not claim.meets(Interval(30, 200))
    assert claim.meets(Interval(30, 201))
    assert not from_figure(200, "at_least").lies_above(Interval(30, 200))


def test_ratio_and_remainder_by_hand():
    assert ratio(Interval(10, 20), Interval(40, 50)) == Interval(0.2, 0.5)
    assert ratio(Interval(1, 2), Interval(0, 5)).high == INF
    assert total([Interval(1, 2), Interval(3, 5)]) == Interval(4, 7)
    assert str(from_figure(2746, "more_than")) == "(2,746, inf)"


@given(intervals(), intervals())
def test_sums_and_ratios_keep_low_at_most_high(a: Interval, b: Interval):
    assert (a + b).low <= (a + b).high
    r = ratio(a, b)
    assert r.low <= r.high
    for x in (a.low, a.high):
        for y in (b.low, b.high):
            if y > 0:
                assert r.low <= x / y * (1 + 1e-12) and x / y <= r.high * (1 + 1e-12)


@given(intervals(), intervals())
def test_meets_and_lies_above_are_exclusive_and_symmetric(a: Interval, b: Interval):
    assert a.meets(b) == b.meets(a)
    assert sum([a.meets(b), a.lies_above(b), b.lies_above(a)]) == 1


@given(counts, st.sampled_from(["exact", "about", "almost", "at_least", "up_to"]))
def test_every_closed_qualifier_meets_its_figure(x: float, qualifier: str):
    assert from_figure(x, qualifier).meets(Interval(x, x))


def test_scale_and_clip_keep_an_open_end_and_refuse_a_negative_factor():
    opened = Interval(2, 4, low_open=True)
    assert opened.scale(100.0) == Interval(200, 400, low_open=True)
    assert opened.scale(0.0) == Interval(0, 0, low_open=True)
    with pytest.raises(ValueError, match="-1"):
        opened.scale(-1)
    assert Interval(0.5, 3).clip(0, 1) == Interval(0.5, 1)
    assert Interval(-2, 0.5).clip(0, 1) == Interval(0, 0.5)
    assert Interval(2, 3, low_open=True).clip(0, 1) == Interval(1, 1, low_open=True)
    assert Interval(-3, -2).clip(0, 1) == Interval(0, 0)


def test_a_sum_is_open_below_when_either_part_is():
    closed, opened = Interval(1, 2), Interval(3, INF, low_open=True)
    assert (closed + opened).low_open and (opened + closed).low_open
    assert not (closed + closed).low_open
    assert (closed + opened) == Interval(4, INF, low_open=True)


def test_ratio_ends_by_hand():
    assert ratio(Interval(3, 6), Interval(0, 0)) == Interval(0, INF)
    assert ratio(Interval(3, 6), Interval(2, INF)) == Interval(0, 3)
    assert ratio(Interval(3, 6), Interval(0, 3)) == Interval(1, INF)
    assert ratio(Interval(0, 0), Interval(1, 2)) == Interval(0, 0)
    with pytest.raises(ValueError, match=r"^ratio expects non-negative counts$"):
        ratio(Interval(-1, 2), Interval(1, 2))
    with pytest.raises(ValueError, match=r"^ratio expects non-negative counts$"):
        ratio(Interval(1, 2), Interval(-1, 2))
    # an unbounded denominator lets the ratio fall to 0, even for an unbounded numerator
    assert ratio(Interval(INF, INF), Interval(1, INF)) == Interval(0, INF)
    assert total([]) == Interval(0, 0)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (math.nan, "-"),
        (INF, "inf"),
        (1234567.0, "1,234,567"),
        (150.4, "150"),
        (1234.5, "1,234"),
        (99.5, "99.5"),
        (0.12345, "0.123"),
        (2.0, "2"),
    ],
)
def test_fmt_by_hand(value: float, text: str):
    assert fmt(value) == text


def test_an_interval_prints_its_open_and_closed_ends():
    assert str(Interval(1, 2)) == "[1, 2]"
    assert str(Interval(1, INF)) == "[1, inf)"
    assert str(Interval(1, 2, low_open=True)) == "(1, 2]"
    with pytest.raises(ValueError, match=r"low <= high, got \[5, 4\]"):
        Interval(5, 4)
    with pytest.raises(ValueError, match="numbers"):
        Interval(4, math.nan)
