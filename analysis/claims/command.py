"""`python -m analysis claims [FILE] [--out DIR] [--robustness] [--csv] [--scheduler ADDRESS]`.

Reads and validates the claims file (nothing is written for a bad one), loads the
tables, checks the claims chunk by chunk (`ledger.CHUNK` at a time, locally or as
Dask tasks), writes the folder (`output.Staging`), and prints the ledger: one
terminal row per claim for the first `SHOWN` claims, then the verdict counts.

Every run writes the contributions store (`store`); a file of at most `CSV_CLAIMS`
claims, or any file with `--csv`, also gets one CSV per claim and source, for a
person to open.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from analysis import paths
from analysis.claims import ledger, store
from analysis.claims.format import read_claims
from analysis.claims.output import Staging, check_and_write
from analysis.errors import AnalysisError
from analysis.intervals import Interval, fmt

#: Claims shown on the terminal; the files hold them all.
SHOWN = 40
#: Files of at most this many claims get their contributions as CSV files too: the
#: article's 15 claims and a held-out set of some 50 are read by a person, table by
#: table, and 100 claims write 10 to 30 MB of CSV; beyond that a desk queries the store
#: and exports the claims it reads (`python -m analysis contributions`).
CSV_CLAIMS = 100
#: The most claims one machine checks with `--csv`; a larger file is refused before any
#: work. Memory is bounded by chunks whatever the length, and the store takes some
#: 8 kB a claim, but the CSV tables take 0.1 to 0.3 MB a claim: 20,000 write 2 to 6 GB.
MAX_CSV_CLAIMS = 20_000


def show(
    rows: pd.DataFrame, counts: Counter[str], claims: int, console: Console | None = None
) -> None:
    """One terminal row per claim (the first `SHOWN`): its range, each independent
    source that speaks, the combined evidence, the verdict and, when computed, its
    robustness; then the verdict counts of all claims."""
    robustness = "robustness" in rows.columns
    table = Table(title="Claims ledger", caption=ledger.NOTE, show_lines=True)
    for column in ("claim", "claimed", "independent sources", "evidence", "verdict"):
        table.add_column(column)
    if robustness:
        table.add_column("robustness")
    for claim_id, group in rows.groupby("claim_id", sort=False):
        first = group.iloc[0]
        speaking = [r for r in group.itertuples() if r.role in ledger.SPEAKING]
        context = int((group["role"] == "context").sum())
        own = [r.source for r in group.itertuples() if r.role == "own"]
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
        cells = [
            f"{claim_id}: {first['category']}, {first['perpetrator']}, {first['area']}, "
            f"{first['period_start']}..{first['period_end']}",
            f"{first['qualifier']} {fmt(first['figure'])} = {first['claim_range']}",
            (sources or "none speaks")
            + (f"\nown monitor: {', '.join(own)}" if own else "")
            + f"\n+{context} published figure(s) as context",
            evidence,
            first["verdict"],
        ]
        if robustness:
            cells.append(first["robustness"])
        table.add_row(*(Text(str(c)) for c in cells))
    console = console or Console()
    if not console.is_terminal:
        console.width = max(console.width, 150)
    console.print(table)
    shown = rows["claim_id"].nunique()
    more = f"{shown} of {claims:,} claims shown; " if shown < claims else ""
    console.print(f"{more}verdicts: " + ", ".join(f"{n:,} {v}" for v, n in sorted(counts.items())))


def main(
    file: Path | None = None,
    out: Path | None = None,
    *,
    robustness: bool = False,
    scheduler: str | None = None,
    csv: bool = False,
) -> int:
    """Validate the claims file, check every claim, write the folder and show it."""
    claims = read_claims(file or paths.ARTICLE_CLAIMS)
    if csv and len(claims) > MAX_CSV_CLAIMS and not scheduler:
        raise AnalysisError(
            f"{file}: {len(claims):,} claims; with --csv one machine checks at most "
            f"{MAX_CSV_CLAIMS:,} (their CSV tables take 0.1 to 0.3 MB a claim). Leave out "
            "--csv (the store holds every table; python -m analysis contributions exports "
            "one), split the file, or run it on a Dask cluster with --scheduler ADDRESS."
        )
    csv = csv or len(claims) <= CSV_CLAIMS
    target = out or paths.REPORTS / "claims"
    counts: Counter[str] = Counter()
    shown: list[pd.DataFrame] = []
    with Staging(target, robustness=robustness, note=ledger.NOTE) as stage:
        assert stage.folder is not None
        if scheduler:
            from analysis.claims.distributed import check_on_dask

            results = check_on_dask(claims, scheduler, robustness=robustness, folder=stage, csv=csv)
        else:
            tables = ledger.load_tables()
            results = (
                check_and_write(
                    chunk, tables, stage.folder, robustness=robustness, part=part, csv=csv
                )
                for part, chunk in enumerate(ledger.chunks(claims))
            )
        for result in results:
            stage.add(result)
            counts.update(result.rows.drop_duplicates("claim_id")["verdict"])
            if sum(len(s.drop_duplicates("claim_id")) for s in shown) < SHOWN:
                shown.append(result.rows)
        folder = stage.publish()
    rows = pd.concat(shown, ignore_index=True)
    show(rows[rows["claim_id"].isin(rows["claim_id"].unique()[:SHOWN])], counts, len(claims))
    print(
        f"wrote {folder}: ledger.csv, ledger.json, {store.STORE}"
        + (f", {stage.tables:,} contributions tables as CSV" if csv else "")
        + (", robustness.csv" if robustness else "")
    )
    if not csv:
        print(
            f"one claim's records: python -m analysis contributions {folder} CLAIM_ID "
            "[--source S] [--out FILE]"
        )
    return 0
