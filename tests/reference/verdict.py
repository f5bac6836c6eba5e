"""Test oracle: `analysis/claims/verdict.py` as it was before the evidence engine (commit
4c9e62d), kept unchanged but for imports, to check the engine against.

The verdict rule: combine the independent bounds, then compare the claim.

Combined evidence = [highest lower bound, lowest upper bound] over the independent
sources that speak (`Evidence.speaks`); a side no source bounds stays open (0 or
infinity). Published figures are context and never enter it.

- `not_checkable`: no independent source speaks.
- `sources_disagree`: the highest lower bound exceeds the lowest upper bound; the
  two sources are named.
- `within_evidence`: the claim's range (from its qualifier) meets the evidence.
- `above_evidence` / `below_evidence`: the claim's range lies wholly above / below.

Documented counts are minimums of what happened. `above_evidence` says the claim
exceeds what independent sources document or allow under their attribution
rules; it does not say the claim is false.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.intervals import INF, Interval, fmt
from reference.evidence import Evidence

VERDICTS = (
    "within_evidence",
    "above_evidence",
    "below_evidence",
    "not_checkable",
    "sources_disagree",
)


@dataclass(frozen=True)
class Verdict:
    verdict: str
    evidence: Interval | None
    reason: str


def combine(found: list[Evidence]) -> tuple[Interval | None, str, str]:
    """(combined interval or None on conflict/silence, source of the low, of the high)."""
    lows = [(e.low, e.source) for e in found if e.role in ("both", "lower")]
    highs = [(e.high, e.source) for e in found if e.role in ("both", "upper")]
    low, low_by = max(lows, default=(0.0, ""), key=lambda pair: pair[0])
    high, high_by = min(highs, default=(INF, ""), key=lambda pair: pair[0])
    if low > high:
        return None, low_by, high_by
    return Interval(low, high), low_by, high_by


def decide(claim: Interval, found: list[Evidence], what: str) -> Verdict:
    """The verdict on one claim (`what` names it in the reason, e.g. "civilians killed
    by russia")."""
    if not any(e.speaks for e in found):
        return Verdict("not_checkable", None, f"No source counts {what} for this period and area.")
    evidence, low_by, high_by = combine(found)
    if evidence is None:
        low = max(e.low for e in found if e.role in ("both", "lower"))
        high = min(e.high for e in found if e.role in ("both", "upper"))
        return Verdict(
            "sources_disagree",
            None,
            f"{low_by} documents at least {fmt(low)} but {high_by} allows at most "
            f"{fmt(high)}, so the sources conflict and no evidence range exists.",
        )
    by = f"low from {low_by or 'no source'}, high from {high_by or 'no source'}"
    if claim.meets(evidence) and evidence.high == INF and claim.low > evidence.low:
        # open-ended evidence: say how far the documented floor falls short of the claim
        return Verdict(
            "within_evidence",
            evidence,
            f"Sources document at least {fmt(evidence.low)} ({low_by}) and none sets an "
            f"upper bound; the claim's range is {claim}. It is consistent with what sources "
            f"document, but they document {fmt(claim.low - evidence.low)} fewer than its "
            "least value.",
        )
    if claim.meets(evidence):
        return Verdict(
            "within_evidence",
            evidence,
            f"The claim's range {claim} is consistent with what sources document, "
            f"{evidence} ({by}).",
        )
    if claim.lies_above(evidence):
        return Verdict(
            "above_evidence",
            evidence,
            f"The claim's range {claim} lies above the most the evidence allows, "
            f"{fmt(evidence.high)} from {high_by}; documented counts are "
            "minimums, so this is not a finding that the claim is false.",
        )
    return Verdict(
        "below_evidence",
        evidence,
        f"The claim's range {claim} lies below the least documented, "
        f"{fmt(evidence.low)} from {low_by}.",
    )
