"""Reading steps several importers share: text CSVs with required columns, whole
numbers stored as doubles, and the `cites` column. Each failure names the file, the column or row,
what was expected and what was found."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.errors import RawFileError
from analysis.monitors import CITES_PATTERN


def require_columns(raw: pd.DataFrame, expected: Sequence[str], path: Path) -> None:
    """Raise naming the missing columns, those expected and those found."""
    missing = [c for c in expected if c not in raw.columns]
    if missing:
        raise RawFileError(
            f"{path}: missing column(s) {missing}; expected {list(expected)}, "
            f"found {list(raw.columns)}"
        )


def read_text_csv(path: Path, required: Sequence[str]) -> pd.DataFrame:
    """A CSV read as text (no value guessed as missing), with its required columns."""
    try:
        raw = pd.read_csv(path, dtype="string", keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise RawFileError(f"{path}: not a readable CSV: {exc}") from exc
    require_columns(raw, required, path)
    return raw


def to_integer(raw: pd.Series, path: Path, key: pd.Series, dtype: str) -> pd.Series:
    """Whole numbers stored as doubles, as integers; a fraction is an error."""
    values = pd.to_numeric(raw, errors="coerce")
    bad = (values.notna() & (values % 1 != 0)) | (raw.notna() & values.isna())
    if bad.any():
        i = bad.idxmax()
        raise RawFileError(
            f"{path}: column {raw.name!r}, row with key {key[i]}: expected a whole number, "
            f"found {raw[i]!r}"
        )
    return values.astype(dtype)


def cites_column(what: str) -> pa.Column:
    """The `cites` column every tidy table carries: the monitors a record rests on."""
    return pa.Column(
        "string",
        pa.Check.str_matches(CITES_PATTERN),
        description=f"monitors the record rests on, sorted and joined by '|' "
        f"(see data/raw/monitors.csv), or 'unknown': {what}",
    )
