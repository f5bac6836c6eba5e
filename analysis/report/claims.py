"""The claims of a ledger run, as the landing page states them.

From a run's `tables/ledger.csv` (one row per claim and source; else its
`tables/verdicts.csv`, one row per claim), each claim becomes a `Claim`: what was
claimed in words ("about 4,000 civilians killed by Russia, 30 Sep 2015 to 30 Sep
2016"), the range its wording allows, the verdict with its shape, and the evidence
range whose ends name the source that set them and, when the ledger has a
`contributions` column, the CSV of records behind them. Nothing is recomputed: an
end is the source row whose bound equals the ledger's `evidence_low` or
`evidence_high`. Ledgers with the independence columns also give each end's split
by what its records cite, the verdict from records independent of the claimant and
its reason, shown where the two verdicts differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analysis import labels
from analysis.report.readable import number, read_csv

SPEAKING = ("both", "lower", "upper")
LOWER, UPPER = ("both", "lower"), ("both", "upper")


@dataclass(frozen=True)
class End:
    """One end of the evidence range: the number, the source that set it, the
    contributions CSV behind it (relative to the run folder; "" when none), and the
    number split by what its records cite ("" when the ledger has no split)."""

    text: str
    source: str
    contributions: str
    parts: str = ""
    #: why a documented count bounds the claim from above ("" for a low end)
    note: str = ""


@dataclass(frozen=True)
class Claim:
    claim_id: str
    statement: str
    said: str  # "about 4,000 civilians", or the claim's range when the ledger lacks figures
    scope: str  # "killed by Russia in Syria, 30 Sep 2015 to 30 Sep 2016"
    claim_range: str  # "3,600 to 4,400"; "" when the claim is one number
    verdict: str  # code
    low: End | None  # None: no source bounds it from below
    high: End | None  # None: no source bounds it from above
    sources: int  # independent sources that speak
    robustness: str  # words, or "" when the ledger has no robustness column
    robustness_detail: str
    gap: str = ""  # "sources document at least 230,270; the claim says more than 400,000 ..."
    claimant: str = ""  # the claim's own monitor in words; "" when unknown or not in the ledger
    verdict_independent: str = ""  # code, "" when the ledger has none
    reason_independent: str = ""

    @property
    def shape_independent(self) -> str:
        return labels.VERDICT_SHAPES.get(self.verdict_independent, "")

    @property
    def words_independent(self) -> str:
        return labels.word("verdict", self.verdict_independent)

    @property
    def differs(self) -> bool:
        """The verdict from records independent of the claimant is another."""
        return bool(self.verdict_independent) and self.verdict_independent != self.verdict

    @property
    def shape(self) -> str:
        return labels.VERDICT_SHAPES.get(self.verdict, "")

    @property
    def verdict_words(self) -> str:
        return labels.word("verdict", self.verdict)


def parts(row: dict[str, str], end: str) -> str:
    """One end of a row split by what its records cite, in words: `1,990 independent
    of SOHR, 564 citing SOHR, 0 unknown`; "" without the split columns."""
    values = [number(row.get(f"{end}_{p}", "")) for p in ("independent", "claimant", "unknown")]
    if any(v is None for v in values):
        return ""
    independent, claimant, unknown = (labels.amount(v) for v in values if v is not None)
    monitor = row.get("claimant", "unknown")
    if monitor == "unknown":
        return f"{independent} with known sources (the claim names no monitor), {unknown} unknown"
    who = labels.word("monitor", monitor)
    return f"{independent} independent of {who}, {claimant} citing {who}, {unknown} unknown"


def _end(
    rows: list[dict[str, str]], column: str, target: str, roles: tuple[str, ...]
) -> End | None:
    want = number(target)
    if want is None or (column == "high" and want == float("inf")):
        return None
    for row in rows:
        if row.get("role") in roles and number(row.get(column, "")) == want:
            source = labels.word("source", row["source"])
            note = ""
            if column == "high" and row.get("role") == "upper":
                note = labels.upper_bound_note(
                    source, labels.word("perpetrator", row.get("perpetrator", ""))
                )
            return End(
                labels.count(want), source, row.get("contributions", ""), parts(row, column), note
            )
    return None


def _gap(first: dict[str, str], low: End | None, high: End | None, said: str) -> str:
    """Where no source sets an upper bound and the claim starts above the documented
    floor, the gap in words; else ""."""
    claim_low, floor = number(first.get("claim_low", "")), number(first.get("evidence_low", ""))
    if first.get("verdict") != "within_evidence" or high is not None or low is None:
        return ""
    if claim_low is None or floor is None or claim_low <= floor:
        return ""
    return f"sources document at least {low.text}; the claim says {said}"


def _scope(first: dict[str, str]) -> str:
    if "perpetrator" not in first:
        return ""
    where = "" if first.get("area") == "syria" else f" in {labels.word('area', first['area'])}"
    return (
        f"killed by {labels.word('perpetrator', first['perpetrator'])}{where}, "
        f"{labels.day(first['period_start'])} to {labels.day(first['period_end'])}"
    )


def _claim(rows: list[dict[str, str]]) -> Claim:
    first = rows[0]
    low, high = number(first.get("claim_low", "")), number(first.get("claim_high", ""))
    figure = number(first.get("figure", ""))
    excluded = first.get("qualifier") == "more_than"
    claimed = (
        labels.span(low, high, low_excluded=excluded)
        if low is not None and high is not None
        else ""
    )
    if figure is not None:
        said = labels.claim(figure, first.get("qualifier", "exact"), first.get("category", ""))
    else:
        said = claimed or first.get("claim_range", "")
    speaking = [r for r in rows if r.get("role") in SPEAKING]
    low_end = _end(speaking, "low", first.get("evidence_low", ""), LOWER)
    high_end = _end(speaking, "high", first.get("evidence_high", ""), UPPER)
    return Claim(
        claim_id=first["claim_id"],
        statement=first.get("statement", ""),
        said=said,
        scope=_scope(first),
        claim_range=claimed if figure is not None and low != high and not excluded else "",
        verdict=first.get("verdict", ""),
        low=low_end,
        high=high_end,
        sources=len({r["source"] for r in speaking}),
        robustness=labels.word("robustness", first["robustness"])
        if first.get("robustness")
        else "",
        robustness_detail=first.get("robustness_detail", ""),
        gap=_gap(first, low_end, high_end, said),
        claimant=labels.word("monitor", first["claimant"])
        if first.get("claimant") not in (None, "", "unknown")
        else "",
        verdict_independent=first.get("verdict_independent", ""),
        reason_independent=first.get("reason_independent", ""),
    )


def ledger_table(run_folder: Path) -> Path | None:
    """The ledger table a run published: ledger.csv, else verdicts.csv, else None."""
    for name in ("ledger.csv", "verdicts.csv"):
        path = run_folder / "tables" / name
        if path.is_file():
            return path
    return None


def read_claims(run_folder: Path) -> list[Claim]:
    """The claims of a ledger run, in the ledger's order; [] when it has no ledger."""
    path = ledger_table(run_folder)
    if path is None:
        return []
    _, rows = read_csv(path)
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        grouped.setdefault(row["claim_id"], []).append(row)
    return [_claim(group) for group in grouped.values()]
