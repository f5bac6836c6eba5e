"""Deterministic CSV tables: the same DataFrame gives the same bytes every time.

Floats are written with one fixed format (`%.10g`: exact for whole counts up to ten
digits, no trailing zeros), dates as ISO days, lines end with `\\n` on every platform,
text is UTF-8 and the index is never written, so the sha256 of a table in
`reports/MANIFEST.sha256` changes only when its values do. Text cells that a
spreadsheet would run as formulas are made inert first (`analysis.csv_safety`).
A low-level module: the evidence engine, the linking, the sweep and the report all
write their tables here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.atomic import write_atomic
from analysis.csv_safety import neutralise

FLOAT_FORMAT = "%.10g"
DATE_FORMAT = "%Y-%m-%d"
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


def write_table(df: pd.DataFrame, target: Path) -> Path:
    """Write `df` to `target` deterministically, to a temporary name renamed into
    place, creating the folder; returns `target`."""
    safe = neutralise(df)
    return write_atomic(
        target,
        lambda tmp: safe.to_csv(
            tmp,
            index=False,
            float_format=FLOAT_FORMAT,
            date_format=DATE_FORMAT,
            lineterminator="\n",
            encoding="utf-8",
        ),
    )


def save_table(df: pd.DataFrame, output_dir: str | Path, name: str) -> Path:
    """Write `output_dir/tables/NAME.csv` and return its path."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"table name {name!r}: expected [a-z0-9][a-z0-9_-]*")
    return write_table(df, Path(output_dir) / "tables" / f"{name}.csv")
