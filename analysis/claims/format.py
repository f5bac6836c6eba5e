"""The claims file: a CSV a reviewer can write, one numeric claim per row.

Columns (all required, no others): claim_id, statement (a paraphrase), source
(who published the figure), published (date), period_start, period_end
(inclusive), perpetrator, category, area, figure, kind, qualifier, url. Dates are
ISO (`YYYY-MM-DD`); perpetrator, category, kind and qualifier take the values of
`analysis.vocabulary`; area is `syria`, a governorate (its code or its English
name) or a named area of `vocabulary.NAMED_AREAS`; figure is a non-negative
number; url may be empty.

Every problem of the file is collected and reported at once, each naming the file,
the line (the header is line 1), the column, what was expected and what was found.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from analysis.errors import ClaimsFileError
from analysis.vocabulary import (
    AREAS,
    CATEGORIES,
    GOVERNORATES,
    KINDS,
    PERPETRATORS,
    QUALIFIERS,
)

COLUMNS = (
    "claim_id",
    "statement",
    "source",
    "published",
    "period_start",
    "period_end",
    "perpetrator",
    "category",
    "area",
    "figure",
    "kind",
    "qualifier",
    "url",
)

_CHOICES: dict[str, tuple[str, ...]] = {
    "perpetrator": tuple(PERPETRATORS),
    "category": tuple(CATEGORIES),
    "kind": tuple(KINDS),
    "qualifier": tuple(QUALIFIERS),
}
_AREA_NAMES = {name.lower(): code for code, name in GOVERNORATES.items()}
_DATES = ("published", "period_start", "period_end")
_REQUIRED_TEXT = ("claim_id", "statement", "source")


def _area(value: str) -> str | None:
    if value in AREAS:
        return value
    return _AREA_NAMES.get(value.strip().lower())


def _date(value: str) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(value) if len(value) == 10 and value[4] == value[7] == "-" else None
    except ValueError:
        return None


def _figure(value: str) -> float | None:
    try:
        number = float(value.replace(",", ""))
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def _check_row(line: int, row: dict[str, str], problems: list[str]) -> dict[str, object]:
    def bad(column: str, expected: str) -> None:
        problems.append(f"line {line}, column {column}: expected {expected}, found {row[column]!r}")

    clean: dict[str, object] = {c: row[c].strip() for c in COLUMNS}
    for column in _REQUIRED_TEXT:
        if not clean[column]:
            bad(column, "a non-empty value")
    for column, choices in _CHOICES.items():
        if clean[column] not in choices:
            bad(column, f"one of {', '.join(choices)}")
    area = _area(str(clean["area"]))
    if area is None:
        bad("area", "syria, a governorate or a named area (" + ", ".join(AREAS) + ")")
    clean["area"] = area
    for column in _DATES:
        parsed = _date(str(clean[column]))
        if parsed is None:
            bad(column, "a date YYYY-MM-DD")
        clean[column] = parsed
    start, end = clean["period_start"], clean["period_end"]
    if isinstance(start, pd.Timestamp) and isinstance(end, pd.Timestamp) and end < start:
        bad("period_end", f"a date on or after period_start {start.date()}")
    figure = _figure(str(clean["figure"]))
    if figure is None:
        bad("figure", "a non-negative number")
    clean["figure"] = figure
    url = str(clean["url"])
    if url and not url.startswith(("http://", "https://")):
        bad("url", "empty or an http(s) address")
    return clean


def read_claims(path: Path) -> pd.DataFrame:
    """The validated claims of a file, or `ClaimsFileError` listing every problem."""
    if not path.is_file():
        raise ClaimsFileError(f"{path}: no such claims file")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except pd.errors.EmptyDataError as exc:
        raise ClaimsFileError(
            f"{path}: line 1: expected a header with columns {', '.join(COLUMNS)}, "
            "found an empty file"
        ) from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ClaimsFileError(f"{path}: not a readable UTF-8 CSV file: {exc}") from exc
    header = [str(c) for c in raw.columns]
    missing = [c for c in COLUMNS if c not in header]
    extra = [c for c in header if c not in COLUMNS]
    problems = [
        f"line 1, column {c}: expected this column in the header, found it missing" for c in missing
    ]
    problems += [
        f"line 1, column {c}: expected only the columns {', '.join(COLUMNS)}, "
        "found an unknown column"
        for c in extra
    ]
    if problems:
        raise ClaimsFileError(f"{path}: bad claims file:\n  " + "\n  ".join(problems))
    if raw.empty:
        raise ClaimsFileError(f"{path}: line 2: expected at least one claim, found none")
    rows = [_check_row(i + 2, row, problems) for i, row in enumerate(raw.to_dict("records"))]
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        claim_id = str(row["claim_id"])
        if claim_id in seen:
            problems.append(
                f"line {line}, column claim_id: expected a unique id, found "
                f"{claim_id!r} again (first on line {seen[claim_id]})"
            )
        seen.setdefault(claim_id, line)
    if problems:
        raise ClaimsFileError(f"{path}: bad claims file:\n  " + "\n  ".join(problems))
    claims = pd.DataFrame(rows, columns=list(COLUMNS))
    claims["line"] = range(2, len(claims) + 2)
    return claims
