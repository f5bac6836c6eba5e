"""Test oracle: the verdict rule (docs/methods.md, section 3) for one claim, in plain
Python, to check the vectorised `combine`/`decide` against. Numbers only: the
reasons' wording is tested on its own.

Combined evidence = [highest lower bound, lowest upper bound] over the independent
sources that speak (roles `both`, `lower`, `upper`); a side no source bounds stays
open (0 or infinity), set by no source (""); of tied bounds the first source in
ledger order sets the end.

- `not_checkable`: no independent source speaks.
- `sources_disagree`: the highest lower bound exceeds the lowest upper bound.
- `within_evidence`: the claim's range meets the evidence range (they share a number).
- `above_evidence` / `below_evidence`: the claim's range lies wholly above / below.

A claim's range is [low, high], or (low, high] when its low end is open (`more_than`):
then the low end itself is not in it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from reference.evidence import Evidence


@dataclass(frozen=True)
class Verdict:
    verdict: str
    low: float
    high: float
    low_by: str
    high_by: str


def _first_extreme(
    pairs: list[tuple[float, str]], pick: Callable[[Iterable[float]], float]
) -> tuple[float, str] | None:
    """The first (value, source) whose value is `pick` (min or max) of all values."""
    if not pairs:
        return None
    best = pick(value for value, _ in pairs)
    return next(pair for pair in pairs if pair[0] == best)


def decide(claim_low: float, claim_high: float, low_open: bool, found: list[Evidence]) -> Verdict:
    """The verdict on one claim, with the combined evidence's ends and their sources."""
    lows = [(e.low, e.source) for e in found if e.role in ("both", "lower")]
    highs = [(e.high, e.source) for e in found if e.role in ("both", "upper")]
    low, low_by = _first_extreme(lows, max) or (0.0, "")
    high, high_by = _first_extreme(highs, min) or (math.inf, "")

    def verdict(word: str) -> Verdict:
        return Verdict(word, low, high, low_by, high_by)

    if not lows and not highs:
        return verdict("not_checkable")
    if low > high:
        return verdict("sources_disagree")
    # the ranges share a number; the claim's low end is one of its numbers only when closed
    shared_from, shared_to = max(claim_low, low), min(claim_high, high)
    meets = shared_from < shared_to or (
        shared_from == shared_to and not (low_open and shared_from == claim_low)
    )
    if meets:
        return verdict("within_evidence")
    return verdict("above_evidence" if claim_low >= high else "below_evidence")
