"""Closed (or half-open) ranges of numbers: how every count in this package travels.

A documented count is rarely one number. Airwars gives a minimum and a maximum per
incident, UCDP a low and a high estimate, and a claim's qualifier ("almost",
"more than") turns a printed figure into a range. Carrying `low` and `high`
through every sum and ratio keeps that uncertainty visible instead of rounding it
away.

Conventions. `low <= high`; either end may be infinite. `low_open` marks a range
that excludes its lower end, as "more than 200" does: (200, inf). Sums add the
ends; ratios divide the extreme ends, so a ratio range always contains every
ratio the two ranges allow.

Known drawbacks. Interval arithmetic treats the ends of two ranges as independent.
When they are not (children are part of civilians, counted in the same incidents)
the ranges of shares and ratios are wider than the data strictly allow: they are
safe, not tight.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

INF = math.inf

#: How a claim's qualifier turns a printed figure x into a range (see `from_figure`).
QUALIFIER_RULES: dict[str, str] = {
    "exact": "[x, x]",
    "about": "[0.9x, 1.1x]",
    "almost": "[0.9x, x]",
    "at_least": "[x, inf)",
    "more_than": "(x, inf)",
    "up_to": "[0, x]",
}


@dataclass(frozen=True)
class Interval:
    """A range of counts or ratios; `low_open` excludes the lower end itself."""

    low: float
    high: float
    low_open: bool = False

    def __post_init__(self) -> None:
        if math.isnan(self.low) or math.isnan(self.high):
            raise ValueError(f"an interval's ends must be numbers, got [{self.low}, {self.high}]")
        if self.low > self.high:
            raise ValueError(f"an interval needs low <= high, got [{self.low}, {self.high}]")

    def __add__(self, other: Interval) -> Interval:
        return Interval(
            self.low + other.low, self.high + other.high, self.low_open or other.low_open
        )

    def scale(self, factor: float) -> Interval:
        if factor < 0:
            raise ValueError(f"scale factor must be >= 0, got {factor}")
        return Interval(self.low * factor, self.high * factor, self.low_open)

    def meets(self, other: Interval) -> bool:
        """True when the two ranges share at least one number."""
        return not (self.lies_above(other) or other.lies_above(self))

    def lies_above(self, other: Interval) -> bool:
        """True when every number of self exceeds every number of other."""
        return self.low >= other.high if self.low_open else self.low > other.high

    def clip(self, low: float, high: float) -> Interval:
        return Interval(
            min(max(self.low, low), high), max(min(self.high, high), low), self.low_open
        )

    def __str__(self) -> str:
        left = "(" if self.low_open else "["
        right = ")" if math.isinf(self.high) else "]"
        return f"{left}{fmt(self.low)}, {fmt(self.high)}{right}"


def fmt(value: float) -> str:
    """A count with thousands separators; shares and ratios to three significant digits."""
    if math.isnan(value):
        return "-"
    if math.isinf(value):
        return "inf"
    if float(value).is_integer() or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def from_figure(figure: float, qualifier: str) -> Interval:
    """A claim's printed figure as the range its qualifier allows (`QUALIFIER_RULES`)."""
    x = float(figure)
    if qualifier == "exact":
        return Interval(x, x)
    # x * 9 / 10 rather than 0.9 * x: exact for whole figures, so "about 430,000" ends
    # at 473,000 and not at 473,000.00000000006
    if qualifier == "about":
        return Interval(x * 9 / 10, x * 11 / 10)
    if qualifier == "almost":
        return Interval(x * 9 / 10, x)
    if qualifier == "at_least":
        return Interval(x, INF)
    if qualifier == "more_than":
        return Interval(x, INF, low_open=True)
    if qualifier == "up_to":
        return Interval(0.0, x)
    raise ValueError(f"unknown qualifier {qualifier!r}; known: {', '.join(QUALIFIER_RULES)}")


def total(intervals: Iterable[Interval]) -> Interval:
    """The sum of several ranges; the empty sum is [0, 0]."""
    out = Interval(0.0, 0.0)
    for interval in intervals:
        out = out + interval
    return out


def ratio(numerator: Interval, denominator: Interval) -> Interval:
    """Every `a / b` with a in numerator and b in denominator, for counts (>= 0).

    A denominator that may be zero leaves the ratio unbounded above; one that is
    only zero gives [0, inf), since nothing can be said.
    """
    if numerator.low < 0 or denominator.low < 0:
        raise ValueError("ratio expects non-negative counts")
    if denominator.high == 0:
        return Interval(0.0, INF)
    high = INF if denominator.low == 0 else numerator.high / denominator.low
    low = 0.0 if math.isinf(denominator.high) else numerator.low / denominator.high
    return Interval(low, max(low, high))
