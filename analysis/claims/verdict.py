"""The verdict rule, for many claims at once: combine the independent bounds, then
compare each claim.

Combined evidence = [highest lower bound, lowest upper bound] over the independent
sources that speak; a side no source bounds stays open (0 or infinity). Ties go to
the source that comes first in ledger order. Published figures are context, and a
claim's own monitor is a consistency check: neither enters the evidence.

- `not_checkable`: no independent source speaks.
- `sources_disagree`: the highest lower bound exceeds the lowest upper bound; the
  two sources are named.
- `within_evidence`: the claim's range (from its qualifier) meets the evidence: it
  is consistent with what sources document. Where no source sets an upper bound and
  the claim lies above the documented floor, the reason gives the gap ("sources
  document at least 230,270; the claim's range is (400,000, inf)"): consistent is
  not documented.
- `above_evidence` / `below_evidence`: the claim's range lies wholly above / below.

Documented counts are minimums of what happened. `above_evidence` says the claim
exceeds what independent sources document or allow under their attribution
rules; it does not say the claim is false.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.intervals import INF, Interval, fmt

VERDICTS = (
    "within_evidence",
    "above_evidence",
    "below_evidence",
    "not_checkable",
    "sources_disagree",
)


@dataclass(frozen=True)
class Combined:
    """Per claim: the combined evidence ends, the sources that set them, and whether
    any independent source speaks."""

    low: np.ndarray
    high: np.ndarray
    low_by: np.ndarray
    high_by: np.ndarray
    speaks: np.ndarray


def combine(lows: np.ndarray, highs: np.ndarray, names: list[str]) -> Combined:
    """Combine bounds given as (claims x sources) matrices: a source's lower bound in
    `lows` and upper bound in `highs`, NaN where it gives none."""
    n = lows.shape[0]
    low_m = np.where(np.isnan(lows), -np.inf, lows)
    high_m = np.where(np.isnan(highs), np.inf, highs)
    has_low = ~np.isnan(lows).all(axis=1)
    has_high = ~np.isnan(highs).all(axis=1)
    low_at, high_at = np.argmax(low_m, axis=1), np.argmin(high_m, axis=1)
    rows = np.arange(n)
    label = np.array(names, dtype=object)
    return Combined(
        np.where(has_low, low_m[rows, low_at], 0.0),
        np.where(has_high, high_m[rows, high_at], INF),
        np.where(has_low, label[low_at], ""),
        np.where(has_high, label[high_at], ""),
        has_low | has_high,
    )


def decide(
    claim_low: np.ndarray, claim_high: np.ndarray, claim_open: np.ndarray, found: Combined
) -> np.ndarray:
    """The verdict of each claim, given its range and the combined evidence."""
    above = np.where(claim_open, claim_low >= found.high, claim_low > found.high)
    below = found.low > claim_high
    return np.select(
        [~found.speaks, found.low > found.high, above, below],
        ["not_checkable", "sources_disagree", "above_evidence", "below_evidence"],
        "within_evidence",
    ).astype(object)


def reason(verdict: str, claim: Interval, found: Combined, i: int, what: str) -> str:
    """The sentence that explains claim `i`'s verdict."""
    low, high = float(found.low[i]), float(found.high[i])
    low_by, high_by = str(found.low_by[i]), str(found.high_by[i])
    if verdict == "not_checkable":
        return f"No source counts {what} for this period and area."
    if verdict == "sources_disagree":
        return (
            f"{low_by} documents at least {fmt(low)} but {high_by} allows at most "
            f"{fmt(high)}, so the sources conflict and no evidence range exists."
        )
    evidence = Interval(low, high)
    by = f"low from {low_by or 'no source'}, high from {high_by or 'no source'}"
    if verdict == "within_evidence" and high == INF and claim.low > low:
        return (
            f"Sources document at least {fmt(low)} ({low_by}) and none sets an upper bound; "
            f"the claim's range is {claim}. It is consistent with what sources document, "
            f"but they document {fmt(claim.low - low)} fewer than its least value."
        )
    if verdict == "within_evidence":
        return (
            f"The claim's range {claim} is consistent with what sources document, "
            f"{evidence} ({by})."
        )
    if verdict == "above_evidence":
        return (
            f"The claim's range {claim} lies above the most the evidence allows, "
            f"{fmt(high)} from {high_by}; documented counts are "
            "minimums, so this is not a finding that the claim is false."
        )
    return f"The claim's range {claim} lies below the least documented, {fmt(low)} from {low_by}."
