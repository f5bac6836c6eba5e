"""`python -m analysis claims [FILE] [--out DIR]`: the ledger of a claims file.

Steps. (1) Read and validate the whole claims file; a bad file stops here and
nothing is written. (2) Load every tidy table the evidence needs; a table that
cannot be loaded stops the run too, since a silently missing source would change
verdicts. (3) For each claim, ask every source (`evidence.gather`), combine and
decide (`verdict.decide`). (4) Print a table on the terminal and write
`ledger.csv` and `ledger.json` into the output folder, each to a temporary name
first and renamed only when both are complete.

One row per claim and source, including sources that say nothing (role `none`,
with the reason) and published figures shown as context. Columns: see `COLUMNS`.
In the CSV an unbounded high end is `inf`; in the JSON it is `null`.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table

from analysis import paths
from analysis.claims.evidence import gather
from analysis.claims.format import read_claims
from analysis.claims.verdict import decide
from analysis.csv_safety import neutralise
from analysis.intervals import Interval, fmt, from_figure

#: Tables the evidence reads.
TABLES = ("airwars", "ucdp_ged", "ucdp_brd", "vdc_weekly", "vdc_daily", "published")

COLUMNS = [
    "claim_id",
    "statement",
    "perpetrator",
    "category",
    "area",
    "period_start",
    "period_end",
    "figure",
    "qualifier",
    "claim_low",
    "claim_high",
    "claim_range",
    "source",
    "role",
    "low",
    "high",
    "basis",
    "coverage",
    "evidence_low",
    "evidence_high",
    "verdict",
    "reason",
]

NOTE = (
    "Documented counts are minimums of what happened. above_evidence means a claim "
    "exceeds what independent sources document or allow under their attribution rules; "
    "it does not mean the claim is false. Published figures are context, not evidence."
)


def build(claims: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The ledger rows (see `COLUMNS`) for validated claims and loaded tables."""
    rows = []
    for _, claim in claims.iterrows():
        claimed = from_figure(claim["figure"], claim["qualifier"])
        found = gather(claim, tables)
        what = f"{claim['category']} killed by {claim['perpetrator']}"
        verdict = decide(claimed, found, what)
        for item in found:
            rows.append(
                {
                    "claim_id": claim["claim_id"],
                    "statement": claim["statement"],
                    "perpetrator": claim["perpetrator"],
                    "category": claim["category"],
                    "area": claim["area"],
                    "period_start": claim["period_start"].date().isoformat(),
                    "period_end": claim["period_end"].date().isoformat(),
                    "figure": claim["figure"],
                    "qualifier": claim["qualifier"],
                    "claim_low": claimed.low,
                    "claim_high": claimed.high,
                    "claim_range": str(claimed),
                    "source": item.source,
                    "role": item.role,
                    "low": item.low,
                    "high": item.high,
                    "basis": item.basis,
                    "coverage": item.coverage,
                    "evidence_low": verdict.evidence.low if verdict.evidence else math.nan,
                    "evidence_high": verdict.evidence.high if verdict.evidence else math.nan,
                    "verdict": verdict.verdict,
                    "reason": verdict.reason,
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def load_tables() -> dict[str, pd.DataFrame]:
    from analysis.tables import load

    return {name: load(name) for name in TABLES}


def _json_value(value: object) -> object:
    if isinstance(value, float) and (math.isinf(value) or math.isnan(value)):
        return None
    return value


def write(ledger: pd.DataFrame, out: Path) -> tuple[Path, Path]:
    """Write ledger.csv and ledger.json atomically (temporary names, then rename)."""
    out.mkdir(parents=True, exist_ok=True)
    targets = (out / "ledger.csv", out / "ledger.json")
    temps = tuple(t.with_name(f".{t.name}.{os.getpid()}.tmp") for t in targets)
    try:
        neutralise(ledger).to_csv(temps[0], index=False, lineterminator="\n")
        records = [{k: _json_value(v) for k, v in row.items()} for row in ledger.to_dict("records")]
        temps[1].write_text(
            json.dumps({"note": NOTE, "rows": records}, indent=1, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        for temp, target in zip(temps, targets, strict=True):
            os.replace(temp, target)
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)
    return targets


def show(ledger: pd.DataFrame, console: Console | None = None) -> None:
    """One terminal row per claim: its range, each independent source that speaks,
    the combined evidence and the verdict (published context is in the files)."""
    table = Table(title="Claims ledger", caption=NOTE, show_lines=True)
    for column in ("claim", "claimed", "independent sources", "evidence", "verdict"):
        table.add_column(column)
    for claim_id, rows in ledger.groupby("claim_id", sort=False):
        first = rows.iloc[0]
        speaking = [r for r in rows.itertuples() if r.role in ("both", "lower", "upper")]
        context = sum(1 for r in rows.itertuples() if r.role == "context")
        sources = "\n".join(
            f"{r.source} ({r.role}): [{fmt(r.low) if r.role != 'upper' else '-'}, "
            f"{fmt(r.high) if r.role != 'lower' else '-'}]"
            for r in speaking
        )
        evidence = (
            "-"
            if math.isnan(first["evidence_low"])
            else str(Interval(first["evidence_low"], first["evidence_high"]))
        )
        table.add_row(
            f"{claim_id}: {first['category']}, {first['perpetrator']}, {first['area']}, "
            f"{first['period_start']}..{first['period_end']}",
            f"{first['qualifier']} {fmt(first['figure'])} = {first['claim_range']}",
            (sources or "none speaks") + f"\n+{context} published figure(s) as context",
            evidence,
            first["verdict"],
        )
    console = console or Console()
    if not console.is_terminal:
        console.width = max(console.width, 150)
    console.print(table)


def main(file: Path | None = None, out: Path | None = None) -> int:
    """Validate the claims file, build the ledger, show it and write it."""
    claims = read_claims(file or paths.ARTICLE_CLAIMS)
    ledger = build(claims, load_tables())
    show(ledger)
    csv_path, json_path = write(ledger, out or paths.REPORTS / "claims")
    print(f"wrote {csv_path} and {json_path}")
    return 0
