"""A published CSV table as a reader reads it: headers and codes in words, counts with
thousands separators, and each low-high pair of columns as one range.

Why. The CSV files stay machine-readable (codes, `inf`, one number per column) and
are linked beside every table; the page shows the same rows in words, from the one
`analysis.labels` mapping the figures use too. Nothing is computed but formatting.

Rules, per column: a pair `X_low`/`X_high` (or `low`/`high`) becomes one column
headed `labels.column(X)` holding `labels.span(low, high)`; a column of a
vocabulary (`labels.CODED`) is written in words; whole numbers get thousands
separators, other numbers three decimals, and in a row whose `unit` is `share`
percentages with one decimal (`6.7%`); identifiers (`*_id`, `sequence`) stay as
written; ISO dates read `30 Sep 2016` (a `month`
`Sep 2016`); a verdict carries its shape; a textual `X_range` beside the pair
`X_low`/`X_high` is dropped as a copy; `True`
and `False` read `yes` and `no`; `url` cells become links. A `contributions` cell
(a path inside the run folder) is kept as `Cell.evidence`, for the page to link.

Known drawbacks. A value that looks like a number but is an identifier (a year, a
figure id) is formatted as a count only when it is not a year column; `figure_id`
and similar stay text because they are not numbers.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from analysis import labels

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")
#: Columns whose numbers are labels, not quantities (as are all `*_id` columns).
_AS_TEXT = {"year", "claim_id", "figure_id", "record_id", "sequence", "rule_set"}


@dataclass(frozen=True)
class Cell:
    """One cell: its text, and a link (an upstream page) or evidence (a CSV path)."""

    text: str
    href: str = ""
    evidence: str = ""


@dataclass
class Table:
    """A table for the page: headers in words and rows of cells."""

    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    hidden: int = 0  # rows of the CSV not shown


def number(text: str) -> float | None:
    """A CSV cell as a number, or None when it is not one (`inf` is one)."""
    try:
        value = float(text)
    except ValueError:
        return None
    return None if math.isnan(value) else value


def percent(value: float) -> str:
    """A share (0 to 1) as a percentage with one decimal: `6.7%`."""
    return f"{value * 100:.1f}%"


def value(name: str, text: str, share: bool = False) -> str:
    """One cell of column `name` in words; `share`: a number is a share of 1, read as
    a percentage."""
    if text == "":
        return ""
    if name in ("verdict", "verdict_independent"):
        return labels.verdict(text)
    if name == "sources":
        return "; ".join(labels.word("source", code) for code in text.split(";"))
    if name == "belligerents":
        return "; ".join(labels.word("perpetrator", code) for code in text.split("|"))
    if name == "month" and _DATE.match(text[:10]):
        return labels.day(text).split(" ", 1)[1]
    if name in labels.CODED:
        return labels.word(labels.CODED[name], text)
    if text in ("True", "False"):
        return "yes" if text == "True" else "no"
    if _DATE.match(text[:10]) and (len(text) == 10 or text[10:11] in " T"):
        return labels.day(text)
    found = number(text)
    if found is None or name in _AS_TEXT or name.endswith("_id"):
        return text
    if share and math.isfinite(found):
        return percent(found)
    if math.isinf(found):
        return "no upper bound" if found > 0 else text
    return labels.count(found) if found == int(found) else labels.decimal(found)


def _pairs(header: list[str]) -> dict[str, tuple[str, str]]:
    """Range columns: merged name -> (low column, high column), in header order."""
    found = {}
    for name in header:
        if name == "low" and "high" in header:
            found["range"] = ("low", "high")
        elif name.endswith("_low") and name[:-4] + "_high" in header:
            found[name[:-4]] = (name, name[:-4] + "_high")
        elif name.startswith("low_") and "high_" + name[4:] in header:
            found[f"{name[4:]}_part"] = (name, "high_" + name[4:])  # a range's share
    return found


def _span(low: str, high: str, share: bool = False) -> str:
    a, b = number(low), number(high)
    if a is None or b is None:
        return " to ".join(t for t in (low, high) if t)
    if share and math.isfinite(b):
        return percent(a) if a == b else f"{percent(a)} to {percent(b)}"
    return labels.span(a, b)


def readable(rows: list[dict[str, str]], header: list[str], limit: int | None = None) -> Table:
    """`rows` (from `csv.DictReader`) as a `Table`; at most `limit` rows shown."""
    pairs = _pairs(header)
    merged = {column for pair in pairs.values() for column in pair}
    order: list[str] = []
    for name in header:
        if name in merged:
            target = next(k for k, pair in pairs.items() if name in pair)
            if target not in order:
                order.append(target)
        elif name != "contributions" and not (
            name.endswith("_range") and name[: -len("_range")] in pairs
        ):
            order.append(name)
    shown = rows if limit is None else rows[:limit]
    table = Table([labels.column(name) for name in order], hidden=len(rows) - len(shown))
    for row in shown:
        cells = []
        share = row.get("unit") == "share"
        for name in order:
            if name in pairs:
                low, high = pairs[name]
                evidence = row.get("contributions", "") if name == "range" else ""
                cell = Cell(_span(row.get(low, ""), row.get(high, ""), share), "", evidence)
            elif name == "url":
                cell = Cell("upstream page" if row.get(name) else "", row.get(name, ""))
            else:
                cell = Cell(value(name, row.get(name, ""), share))
            cells.append(cell)
        table.rows.append(cells)
    return table


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a CSV file."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows
