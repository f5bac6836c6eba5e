"""Contributions tables: the records behind each number, with their upstream bytes.

A contributions table lists, for one claim (or tally) and one source, every record
the source's rule looked at: `record_id`, what it adds to the low and the high end
(`low`, `high`, 0 where it does not count), which ends it counts toward
(`counts`), why (`why`), its page (`url`: the Airwars incident page, empty for
other sources), where its bytes are (`upstream`), the monitors it cites (`cites`,
ids joined by `|`, or `unknown`), and the record's own fields that the rule read.
The sum of `low` is the number's low end, exactly, and likewise `high` where the
high end is finite.

Record ids: Airwars `incident_code` (the table's `sequence` beside it, since two
codes repeat); GED event `id`; VDC weekly `YYYY-Www|status|cause|dimension=value`;
VDC daily the date; UCDP battle deaths the year; a published figure its
`figure_id`.

Upstream addresses, `<file>:<place>`: `airwars zip:cases/NNNN/data.json` (the zip
reassembled from the manifest's `airwars` parts, whose `manifest.json` names its
sha256), `<manifest resource>:row N` for UCDP's R objects (counted from 1),
`<manifest resource>:line N[, column C]` for the VDC's CSV files (the header is
line 1), `data/raw/published_figures.csv:figure P003` for a curated figure.

Writing is the slow part when a file holds thousands of claims, so each record's
cells are rendered to CSV text once (by pandas, so quoting and number formats are
pandas'), and each table's lines are joined from them.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis import sources
from analysis.csv_safety import neutralise
from analysis.csv_tables import DATE_FORMAT, FLOAT_FORMAT
from analysis.evidence.pairs import Contributions
from analysis.metrics.airwars import CATEGORY_COLUMNS

COMMON = ("record_id", "low", "high", "counts", "why", "url", "upstream")
#: The fields each source's rule reads, beyond what the record id says, as they are
#: written (renamed where a field's name would clash with a common column). Airwars
#: adds the category's minimum and maximum.
FIELDS: dict[str, tuple[str, ...]] = {
    "airwars": (
        "sequence",
        "date",
        "date_end",
        "belligerents",
        "grading",
        "governorate",
        "latitude",
        "longitude",
    ),
    "ucdp_ged": (
        "date_start",
        "date_end",
        "governorate",
        "latitude",
        "longitude",
        "deaths_civilians",
        "deaths_unknown",
        "low",
        "best",
        "high",
    ),
    "ucdp_brd": ("low",),
    "vdc_weekly": ("week_start", "week_days", "deaths"),
    "vdc_daily": ("deaths",),
    "published": (
        "monitor",
        "publisher",
        "published",
        "period_start",
        "period_end",
        "figure",
        "kind",
        "qualifier",
    ),
}
RENAMED = {"low": "low_estimate", "best": "best_estimate", "high": "high_estimate"}


def fields(source: str, category: str | None = None) -> list[str]:
    """The columns of the source's records a contributions table shows: what the
    record cites (the monitors it rests on), then the fields its rule reads."""
    shown = ["cites", *FIELDS[source]]
    if source == "airwars" and category in CATEGORY_COLUMNS:
        stem = CATEGORY_COLUMNS[category]
        shown += [f"{stem}_min", f"{stem}_max"]
    return shown


def cites(table: pd.DataFrame) -> pd.Series:
    """What each record of a table cites; every record `unknown` when the table has no
    `cites` column (a table made before sources were captured): unknown is never
    counted as independent."""
    if "cites" in table.columns:
        return table["cites"]
    return pd.Series("unknown", index=table.index)


def _resource(source: str, filename: str) -> str:
    named = {PurePosixPath(r.relpath).name: r.name for r in sources.resources(source)}
    return named.get(filename, filename)


def record_ids(source: str, table: pd.DataFrame) -> pd.Series:
    """Each record's id (see the module docstring)."""
    if source == "airwars":
        return table["incident_code"].astype(str)
    if source == "ucdp_ged":
        return table["id"].astype(str)
    if source == "ucdp_brd":
        return table["year"].astype(str)
    if source == "vdc_weekly":
        return (
            table["year"].astype(str)
            + "-W"
            + table["week"].astype(str).str.zfill(2)
            + "|"
            + table["status"].astype(str)
            + "|"
            + table["cause"].astype(str)
            + "|"
            + table["dimension"].astype(str)
            + "="
            + table["value"].astype(str)
        )
    if source == "vdc_daily":
        return table["date"].dt.strftime(DATE_FORMAT)
    return table["figure_id"].astype(str)


def upstream(source: str, table: pd.DataFrame) -> pd.Series:
    """Each record's upstream address (see the module docstring)."""
    if source == "airwars":
        return "airwars zip:" + table["entry"].astype(str)
    if source in ("ucdp_ged", "ucdp_brd"):
        name = _resource(source, "ucdp_syria_df.rda" if source == "ucdp_ged" else "ucdpbrds.rda")
        return f"{name}:row " + table["source_row"].astype(str)
    if source == "vdc_weekly":
        files = table["source_file"].astype(str)
        names = files.map({f: _resource(source, f) for f in set(files)})
        return (
            names
            + ":line "
            + table["source_line"].astype(str)
            + ", column "
            + table["source_column"].astype(str)
        )
    if source == "vdc_daily":
        return _resource(source, "counts.csv") + ":line " + table["source_line"].astype(str)
    return "data/raw/published_figures.csv:figure " + table["figure_id"].astype(str)


def urls(source: str, table: pd.DataFrame) -> pd.Series:
    if source == "airwars":
        return table["airwars_url"].astype(str)
    if source == "published":
        return table["url"].fillna("").astype(str)
    return pd.Series("", index=table.index)


def records(
    source: str, table: pd.DataFrame, positions: np.ndarray, category: str | None = None
) -> pd.DataFrame:
    """The record columns of a contributions table (`record_id`, `url`, `upstream`,
    then the fields) for the records at `positions` of `table`."""
    chosen = table.iloc[positions]
    out = pd.DataFrame(
        {
            "record_id": record_ids(source, chosen).to_numpy(),
            "url": urls(source, chosen).to_numpy(),
            "upstream": upstream(source, chosen).to_numpy(),
        }
    )
    shown = chosen.assign(cites=cites(chosen))[fields(source, category)].reset_index(drop=True)
    return pd.concat([out, shown.rename(columns=RENAMED)], axis=1)


def frame(
    found: Contributions,
    table: pd.DataFrame,
    mask: np.ndarray | slice,
    category: str | None = None,
) -> pd.DataFrame:
    """The contributions table of the pairs where `mask` holds (one query's, usually):
    columns `COMMON`, then the source's fields."""
    chosen = found.take(mask)
    shown = records(found.source, table, chosen.record, category)
    out = pd.DataFrame(
        {
            "record_id": shown["record_id"],
            "low": chosen.low,
            "high": chosen.high,
            "counts": np.asarray(found.ends, dtype=object)[chosen.why],
            "why": np.asarray(found.reasons, dtype=object)[chosen.why],
        }
    )
    return pd.concat([out, shown.drop(columns="record_id")], axis=1)


def _csv_lines(table: pd.DataFrame) -> list[str]:
    """One CSV line per row, as pandas writes it; line breaks inside text cells become
    spaces, so that a line is a row, and no text cell can start a formula
    (`analysis.csv_safety`). (Text goes to pandas as Python strings, which it writes
    several times faster than Arrow-backed ones.)"""
    flat = table.copy()
    for column in flat.columns:
        if pd.api.types.is_string_dtype(flat[column]):
            text = flat[column]
            if text.str.contains(r"[\r\n]", regex=True).fillna(False).any():
                text = text.str.replace(r"[\r\n]+", " ", regex=True)
            flat[column] = text.astype(object)
    text = neutralise(flat).to_csv(
        index=False,
        header=False,
        float_format=FLOAT_FORMAT,
        date_format=DATE_FORMAT,
        lineterminator="\n",
    )
    return text.split("\n")[:-1] if text else []


def csv_bytes(table: pd.DataFrame) -> bytes:
    """A contributions table as `Writer` writes it (header, cells made inert, the same
    number and date formats), from a frame of its columns (`frame`, or a store slice)."""
    header = ",".join(map(str, table.columns)) + "\n"
    return (header + "".join(line + "\n" for line in _csv_lines(table))).encode()


def _numbers(values: np.ndarray) -> pa.Array:
    """Counts as pandas writes them with `FLOAT_FORMAT`: whole numbers of up to ten
    digits without a point (its ten significant digits give a larger one an exponent),
    and a negative zero as `-0`."""
    integral = np.isfinite(values) & (values == np.round(values)) & (np.abs(values) < 1e10)
    whole = integral & ~((values == 0) & np.signbit(values))
    text = pc.cast(pa.array(np.where(whole, values, 0).astype("int64")), pa.string())
    if whole.all():
        return text
    others = [FLOAT_FORMAT % v for v in values[~whole]]
    return pc.replace_with_mask(text, pa.array(~whole), pa.array(others, pa.string()))


def largest_first(found: Contributions) -> np.ndarray:
    """The order of the pairs, each query's kept together: records that count first,
    then by what they add to the high end, then to the low end, largest first (the
    order the report's records pages show)."""
    counts = np.asarray([end != "neither" for end in found.ends], dtype=bool)
    counting = counts[np.asarray(found.why, dtype="int64")]
    return np.lexsort((-found.low, -found.high, ~counting, found.query))


class Writer:
    """Writes many contributions tables of one source (and category) quickly.

    Each record's cells are rendered to CSV once, by pandas; every pair's line is
    joined from them with Arrow's string kernels; and since pairs are sorted by
    query (and, within a query, largest first: `largest_first`), one table's lines
    lie next to each other in Arrow's data buffer and are written straight from it.
    """

    def __init__(
        self,
        found: Contributions,
        table: pd.DataFrame,
        category: str | None = None,
        *,
        largest: bool = True,
    ) -> None:
        """`largest=False` keeps the pairs in their order (one table per pair)."""
        used = np.unique(found.record)
        shown = records(found.source, table, used, category)
        named = [RENAMED.get(f, f) for f in fields(found.source, category)]
        self.header = (",".join([*COMMON, *named]) + "\n").encode()
        # record ids hold no comma or quote, so a line splits at its first comma
        split = [line.split(",", 1) for line in _csv_lines(shown)]
        head = pa.array([h for h, _ in split], pa.string())
        tail = pa.array([t + "\n" for _, t in split], pa.string())
        at = pa.array(np.searchsorted(used, found.record))
        why = pa.array(np.asarray(found.why, dtype="int64"))
        # each reason's `counts,why` cells, rendered once
        reasons = pd.DataFrame({"counts": list(found.ends), "why": list(found.reasons)})
        cells = pa.array(_csv_lines(reasons), pa.string())
        lines = pc.binary_join_element_wise(
            head.take(at),
            _numbers(found.low),
            _numbers(found.high),
            cells.take(why),
            tail.take(at),
            ",",
        ).cast(pa.large_string())
        if largest:
            lines = lines.take(pa.array(largest_first(found)))
        buffers = lines.buffers()
        self.offsets = np.frombuffer(buffers[1], dtype="int64")[
            lines.offset : lines.offset + len(lines) + 1
        ]
        self.data = memoryview(buffers[2]) if buffers[2] is not None else memoryview(b"")

    def write(self, target: Path, pairs: slice) -> None:
        """Write the table of the pairs in `pairs` (header included) to `target`."""
        first, last = self.offsets[pairs.start], self.offsets[pairs.stop]
        with open(target, "wb") as handle:
            handle.write(self.header)
            handle.write(self.data[first:last])


def safe_name(text: str) -> str:
    """A file or folder name for an id from a claims file: its own characters when
    they are safe, else a readable slug with a short hash, so two ids never share a
    name and none escapes its folder."""
    kept = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in text)
    kept = re.sub(r"\.{2,}", "_", kept).strip("._")[:60] or "claim"
    if kept == text:
        return kept
    return f"{kept}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"
