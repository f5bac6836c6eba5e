"""The claims file: a CSV a reviewer can write, one numeric claim per row.

Columns (all required, no others): claim_id, statement (a paraphrase), source
(who published the figure), published (date), period_start, period_end
(inclusive), perpetrator, category, area, figure, kind, qualifier, url. Dates are
ISO (`YYYY-MM-DD`) between `EARLIEST` and `LATEST`; perpetrator, category, kind and
qualifier take the values of `analysis.vocabulary`; area is `syria`, a governorate
(its code or its English name) or a named area of `vocabulary.NAMED_AREAS`; figure
is a number of people, from 0 to `MAX_FIGURE`; url may be empty; claim_id is at
most 64 ASCII letters, digits, `.`, `_` or `-` (`SAFE_ID`), since it names folders
and pages and is typed on command lines.

Claims files come from strangers, so the reader assumes nothing of its input but
that it fits in memory. Steps: decode UTF-8 (a byte-order mark is dropped); split
into records with the standard `csv` module (quoted fields may hold commas and line
breaks; blank lines are skipped); check the header; check each cell (at most
`MAX_CELL` characters, no control character but tab and line breaks); then check
each value. `parse_claims` does all but the decoding, on text, so a claim given
another way (command-line options) is checked by the same rules.

Every problem is collected and reported at once in one `ClaimsFileError`, each
naming the origin (a file, or e.g. "command-line options"), the line (the header is
line 1; a record spanning several lines is named by its first), the column, what
was expected and what was found. Cells are kept as written: a cell that a
spreadsheet would run as a formula is harmless here, and is neutralised when the
package writes a CSV (`analysis.csv_safety`).

Known drawbacks. The `csv` module caps a field at 128 KiB by a process-wide setting;
the reader lifts the cap to the size of the text while it parses (under a lock), so
that an overlong cell is reported with its line and column rather than as a parser
error. A quote left open swallows the rest of the file into one cell; the reader
then reports that record's missing columns and its overlong or multi-line cell.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
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
MAX_CELL = 10_000  # characters in one cell
MAX_FIGURE = 10_000_000_000  # more people than have ever lived at once
EARLIEST, LATEST = date(1900, 1, 1), date(2099, 12, 31)
MAX_PROBLEMS = 50  # listed in one error; the rest are counted

_CHOICES: dict[str, tuple[str, ...]] = {
    "perpetrator": tuple(PERPETRATORS),
    "category": tuple(CATEGORIES),
    "kind": tuple(KINDS),
    "qualifier": tuple(QUALIFIERS),
}
_AREA_NAMES = {name.lower(): code for code, name in GOVERNORATES.items()}
_DATES = ("published", "period_start", "period_end")
_REQUIRED_TEXT = ("claim_id", "statement", "source")
#: A claim id names folders and pages and is typed on command lines: plain ASCII only.
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER = re.compile(r"[0-9][0-9,]*(\.[0-9]*)?|\.[0-9]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|[\ud800-\udfff]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_FIELD_LIMIT = threading.Lock()


def _shown(value: str) -> str:
    """A cell as a message shows it: quoted, and cut short when long."""
    if len(value) <= 60:
        return repr(value)
    return f"{value[:40]!r}... ({len(value)} characters)"


def _area(value: str) -> str | None:
    if value in AREAS:
        return value
    return _AREA_NAMES.get(value.strip().lower())


def _date(value: str) -> pd.Timestamp | None:
    if not _ISO_DAY.fullmatch(value):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:  # a day that does not exist, such as 2016-02-30
        return None
    return pd.Timestamp(value) if EARLIEST <= day <= LATEST else None


def _figure(value: str) -> float | None:
    if not _NUMBER.fullmatch(value):
        return None
    number = float(value.replace(",", ""))
    return number if math.isfinite(number) and number <= MAX_FIGURE else None


def _check_cells(line: int, row: dict[str, str], problems: list[str]) -> bool:
    """Length and characters of every cell; False if a cell is unusable."""
    fine = True
    for column, value in row.items():
        if len(value) > MAX_CELL:
            problems.append(
                f"line {line}, column {column}: expected at most {MAX_CELL} characters, "
                f"found {len(value)}"
            )
            fine = False
        elif bad := _CONTROL.search(value):
            problems.append(
                f"line {line}, column {column}: expected text without control characters, "
                f"found {bad.group()!r} at character {bad.start() + 1}"
            )
            fine = False
    return fine


def _check_row(line: int, row: dict[str, str], problems: list[str]) -> dict[str, object]:
    def bad(column: str, expected: str) -> None:
        problems.append(
            f"line {line}, column {column}: expected {expected}, found {_shown(row[column])}"
        )

    clean: dict[str, object] = {c: row[c].strip() for c in COLUMNS}
    for column in _REQUIRED_TEXT:
        if not clean[column]:
            bad(column, "a non-empty value")
    if clean["claim_id"] and not SAFE_ID.fullmatch(str(clean["claim_id"])):
        bad(
            "claim_id",
            "an id of at most 64 letters, digits, '.', '_' or '-', starting with a letter or digit",
        )
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
            bad(column, f"a date YYYY-MM-DD from {EARLIEST} to {LATEST}")
        clean[column] = parsed
    start, end = clean["period_start"], clean["period_end"]
    if isinstance(start, pd.Timestamp) and isinstance(end, pd.Timestamp) and end < start:
        bad("period_end", f"a date on or after period_start {start.date()}")
    figure = _figure(str(clean["figure"]))
    if figure is None:
        bad("figure", f"a number of people from 0 to {MAX_FIGURE:,}")
    clean["figure"] = figure
    url = str(clean["url"])
    if url and (not url.startswith(("http://", "https://")) or re.search(r"\s", url)):
        bad("url", "empty or an http(s) address without spaces")
    return clean


@contextmanager
def _field_limit(size: int) -> Iterator[None]:
    """Let `csv` read fields up to `size` characters, for this parse only."""
    with _FIELD_LIMIT:
        previous = csv.field_size_limit()
        csv.field_size_limit(max(previous, size + 1))
        try:
            yield
        finally:
            csv.field_size_limit(previous)


def _records(text: str) -> list[tuple[int, list[str]]]:
    """Non-blank CSV records with the line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records = []
    with _field_limit(len(text)):
        while True:
            line = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                break
            if fields:
                records.append((line, fields))
    return records


def _header_problems(header: list[str]) -> list[str]:
    names = [name.strip() for name in header]
    problems = [
        f"line 1, column {c}: expected this column in the header, found it missing"
        for c in COLUMNS
        if c not in names
    ]
    problems += [
        f"line 1, column {i}: expected only the columns {', '.join(COLUMNS)}, "
        f"found an unknown column {_shown(name)}"
        for i, name in enumerate(names, start=1)
        if name not in COLUMNS
    ]
    problems += [
        f"line 1, column {c}: expected each column once, found it {names.count(c)} times"
        for c in COLUMNS
        if names.count(c) > 1
    ]
    return problems


def _fail(origin: str, problems: list[str]) -> ClaimsFileError:
    listed = problems[:MAX_PROBLEMS]
    if len(problems) > MAX_PROBLEMS:
        listed.append(f"... and {len(problems) - MAX_PROBLEMS} more problems")
    return ClaimsFileError(f"{origin}: bad claims file:\n  " + "\n  ".join(listed))


def parse_claims(text: str, origin: str) -> pd.DataFrame:
    """The validated claims of CSV text, or one `ClaimsFileError` listing every problem.

    `origin` names where the text came from in messages: a file, or e.g.
    "command-line options". The table has the columns `COLUMNS` and `line`.
    """
    records = _records(text.removeprefix("\ufeff"))
    if not records:
        raise _fail(
            origin,
            [
                f"line 1, column {COLUMNS[0]}: expected a header with columns "
                f"{', '.join(COLUMNS)}, found an empty file"
            ],
        )
    (_, header), rows = records[0], records[1:]
    problems = _header_problems(header)
    if problems:
        raise _fail(origin, problems)
    if not rows:
        raise _fail(origin, [f"line 2, column {COLUMNS[0]}: expected a claim, found none"])
    names = [name.strip() for name in header]
    claims: list[dict[str, object]] = []
    lines: list[int] = []
    for line, fields in rows:
        if len(fields) != len(names):
            where = names[len(fields)] if len(fields) < len(names) else len(names) + 1
            problems.append(
                f"line {line}, column {where}: expected {len(names)} fields, found {len(fields)}"
            )
            continue
        row = dict(zip(names, fields, strict=True))
        if _check_cells(line, row, problems):
            claims.append(_check_row(line, row, problems))
            lines.append(line)
    seen: dict[str, int] = {}
    for line, claim in zip(lines, claims, strict=True):
        claim_id = str(claim["claim_id"])
        if claim_id in seen:
            problems.append(
                f"line {line}, column claim_id: expected a unique id, found "
                f"{_shown(claim_id)} again (first on line {seen[claim_id]})"
            )
        seen.setdefault(claim_id, line)
    if problems:
        raise _fail(origin, problems)
    table = pd.DataFrame(claims, columns=list(COLUMNS))
    table["line"] = lines
    return table


def _undecodable(data: bytes, exc: UnicodeDecodeError) -> str:
    """Where the first byte that is not UTF-8 sits: its line and column."""
    before = data[: exc.start].decode("utf-8")
    line = len(_LINE_BREAK.findall(before)) + 1
    records = [fields for _, fields in _records(before)]
    header = [name.strip() for name in records[0]] if records else []
    at_line_start = not before or before.endswith(("\n", "\r"))
    index = 0 if at_line_start or not records else len(records[-1]) - 1
    name = header[index] if line > 1 and index < len(header) else None
    column = name if name in COLUMNS else index + 1
    return (
        f"line {line}, column {column}: expected UTF-8 text, found the byte 0x{data[exc.start]:02x}"
    )


def read_claims(path: Path) -> pd.DataFrame:
    """The validated claims of a file, or one `ClaimsFileError` listing every problem."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ClaimsFileError(f"{path}: no such claims file") from None
    except OSError as exc:
        raise ClaimsFileError(f"{path}: cannot read the claims file: {exc.strerror}") from None
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(str(path), [_undecodable(data, exc)]) from None
    return parse_claims(text, str(path))
