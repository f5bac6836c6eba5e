"""The records behind an evidence number: one page per contributions table.

A ledger run may publish, per claim and source, a CSV of the records that make up
the source's low and high ends (`tables/contributions/**.csv`, named by the ledger's
`contributions` column). Its columns are `record_id, low, high, counts, why, url,
upstream`, then fields of the source. Each becomes a page at
`pages/<run_id>/<path under tables/contributions, '/' as '--'>.html`: the records
that count toward an end first, the largest first, each record id linked to its
upstream page when the row has a `url` (Airwars incidents), then a count of the
records left out. A record's `low` and `high` are what it adds to each end, not a
range, so they stay two columns.

A record counts when its `counts` cell is anything but empty, `none`, `no`,
`neither`, `false` or `0`.

Known drawbacks. Pages show at most `SHOWN` records; the CSV linked from each page
holds them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from analysis.labels import column
from analysis.report.readable import Cell, Table, number, read_csv, readable

SHOWN = 300
PREFIX = PurePosixPath("tables/contributions")
_NOT_COUNTING = {"", "none", "no", "neither", "false", "0"}


def page_path(run_id: str, contributions: str) -> str:
    """Where the page of a contributions CSV lives, relative to the report folder."""
    inner = PurePosixPath(contributions)
    if inner.is_relative_to(PREFIX):
        inner = inner.relative_to(PREFIX)
    return f"pages/{run_id}/{'--'.join(inner.with_suffix('').parts)}.html"


@dataclass
class Records:
    """A contributions table as a page shows it."""

    run_id: str
    csv: str  # relative to the report folder
    page: str
    table: Table
    total: int
    counting: int


def _order(row: dict[str, str]) -> tuple[bool, float, float]:
    """Records that count first, then by what they add to the high end and to the low
    end, largest first (the order their CSV is written in)."""
    return (
        not counts(row),
        -(number(row.get("high", "")) or 0),
        -(number(row.get("low", "")) or 0),
    )


def counts(row: dict[str, str]) -> bool:
    """Whether a record counts toward the low or high end."""
    return row.get("counts", "").strip().lower() not in _NOT_COUNTING


def records(out_dir: Path, run_id: str, contributions: str) -> Records | None:
    """The page of one contributions CSV of run `run_id`, or None when it is missing."""
    path = out_dir / "runs" / run_id / contributions
    if not path.is_file():
        return None
    header, rows = read_csv(path)
    ordered = sorted(rows, key=_order)
    added = {"low": "low_added", "high": "high_added"}
    table = readable(
        [{added.get(k, k): v for k, v in row.items()} for row in ordered],
        [added.get(name, name) for name in header],
        limit=SHOWN,
    )
    if "url" in header and "record_id" in header:
        _link_ids(table, ordered)
    return Records(
        run_id=run_id,
        csv=f"runs/{run_id}/{contributions}",
        page=page_path(run_id, contributions),
        table=table,
        total=len(rows),
        counting=sum(map(counts, rows)),
    )


def _link_ids(table: Table, rows: list[dict[str, str]]) -> None:
    """Move each row's upstream url onto its record id, dropping the url column."""
    record, url = table.headers.index(column("record_id")), table.headers.index(column("url"))
    for cells, row in zip(table.rows, rows, strict=False):
        cells[record] = Cell(cells[record].text, row.get("url", ""))
        del cells[url]
    del table.headers[url]
