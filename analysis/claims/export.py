"""`python -m analysis contributions RUN_DIR CLAIM_ID [--source S] [--out FILE]`.

Exports one claim's contributions from a run's store (`store`) as CSV, byte for byte
what the run writes with `--csv` for a table of one source: the same columns, number
formats and inert text cells (`analysis.csv_safety`). Without `--source` the claim's
tables follow one another in ledger order in one CSV, each row led by its `source`,
with the columns of every table (empty where a table has none).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from analysis.atomic import write_text_atomic
from analysis.claims import store
from analysis.evidence.records import csv_bytes


def export(run: Path, claim_id: str, source: str | None = None) -> bytes:
    """The CSV of claim `claim_id`'s contributions in run folder `run`."""
    found = store.read(run, claim_id, source)
    if len(found) == 1 and source is not None:
        return csv_bytes(found[0].frame)
    return csv_bytes(
        pd.concat([t.frame.assign(source=t.source) for t in found], ignore_index=True).pipe(
            lambda f: f[["source", *[c for c in f.columns if c != "source"]]]
        )
    )


def main(run: Path, claim_id: str, *, source: str | None = None, out: Path | None = None) -> int:
    text = export(run, claim_id, source)
    if out is None:
        sys.stdout.buffer.write(text)
        return 0
    write_text_atomic(out, text.decode("utf-8"))
    print(f"wrote {out}", file=sys.stderr)
    return 0
