"""One record as stored upstream, beside the values the package took from it.

`python -m analysis explain --record ID` reads the verified raw file again and
returns, for one record: where its bytes are (file, zip entry with its CRC, row or
line), the upstream fields the importer reads with their stored values, and the
value each became in the tidy table. It is how a reviewer checks a contribution
against the bytes without trusting the importer.

Record ids are those of the contributions tables (`analysis.evidence.records`).
Without `--source`, the id's shape names the source: an Airwars code (`RS123`),
a VDC weekly id (`2016-W14|civilian|...`), a day (`2016-03-01`, VDC daily), a year
(`2016`, UCDP battle deaths) or a number of five or more digits (a GED event).

Names of the dead never leave: the victim lists of an Airwars case are not shown,
and any stored value that holds a name from the archive's victim lists is replaced
by `[withheld: names a victim]`, as the importer empties such locations.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import sources
from analysis.errors import AnalysisError
from analysis.evidence.records import record_ids, upstream
from analysis.privacy import NameSet, find_names, names_from_victims

WITHHELD = "[withheld: names a victim]"
SHAPES = (
    ("airwars", re.compile(r"^[A-Z]{2,3}\d+[a-z]?\d*$")),
    ("vdc_weekly", re.compile(r"^\d{4}-W\d{2}\|")),
    ("vdc_daily", re.compile(r"^\d{4}-\d{2}-\d{2}$")),
    ("ucdp_brd", re.compile(r"^\d{4}$")),
    ("ucdp_ged", re.compile(r"^\d{5,}$")),
)


@dataclass
class Stored:
    """One record as stored upstream: where, what was read, and what it became."""

    source: str
    record_id: str
    where: list[tuple[str, str]]
    #: (upstream field, stored value, table column, value in the table)
    fields: list[tuple[str, str, str, str]] = field(default_factory=list)
    note: str = ""


def source_of(record_id: str) -> str:
    """The source an id's shape names (see the module docstring)."""
    for name, shape in SHAPES:
        if shape.match(record_id):
            return name
    raise AnalysisError(
        f"record {record_id!r}: its shape names no source; give --source "
        "(airwars, ucdp_ged, ucdp_brd, vdc_weekly or vdc_daily)"
    )


def _find(source: str, record_id: str, table: pd.DataFrame) -> pd.DataFrame:
    ids = record_ids(source, table)
    found = table[ids.to_numpy() == record_id]
    if source == "airwars" and found.empty and record_id.isdigit():
        found = table[table["sequence"] == int(record_id)]  # a sequence number also works
    if found.empty:
        raise AnalysisError(f"no {source} record with id {record_id!r}")
    return found


def _text(value: Any) -> str:
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else str(value)
    return str(value)


def _masked(value: Any, names: NameSet) -> str:
    text = _text(value)
    return WITHHELD if text and find_names(text, names) else text


def read(record_id: str, source: str | None = None) -> list[Stored]:
    """The record (or, for a repeated Airwars code, each record) as stored upstream."""
    from analysis.tables import load

    source = source or source_of(record_id)
    table = load(source)
    rows = _find(source, record_id, table)
    readers = {
        "airwars": _airwars,
        "ucdp_ged": _rdata,
        "ucdp_brd": _rdata,
        "vdc_weekly": _vdc_weekly,
        "vdc_daily": _vdc_daily,
    }
    if source not in readers:
        raise AnalysisError(f"unknown source {source!r}; known: {', '.join(readers)}")
    return [readers[source](source, record_id, row) for _, row in rows.iterrows()]


def _airwars(source: str, record_id: str, row: pd.Series) -> Stored:
    from analysis.importers import airwars_archive
    from analysis.importers.airwars import upstream_keys

    files = sources.ensure("airwars")
    blob = airwars_archive.reassemble(files)
    manifest = json.loads(next(f for f in files if f.name == "manifest.json").read_text())
    info, record = airwars_archive.read_entry(blob, str(row["entry"]))
    names = names_from_victims(
        r["victims"] for r in airwars_archive.read_case_records(blob, keys=("victims",))
    )
    incident = record.get("incident", {})
    stored = Stored(
        source,
        str(row["incident_code"]),
        [
            ("archive", "the zip reassembled from the manifest's airwars-part-* files"),
            ("archive sha256", hashlib.sha256(blob).hexdigest()),
            ("manifest.json says", str(manifest.get("archive_sha256"))),
            ("entry", info.filename),
            ("entry CRC-32", f"{info.CRC:08x}"),
            ("entry size", f"{info.file_size:,} bytes ({info.compress_size:,} compressed)"),
            ("page", str(row["airwars_url"])),
        ],
        note=f"{len(record.get('victims', []))} listed victim(s) not shown; names withheld",
    )
    for key, columns in upstream_keys().items():
        value = _masked(incident.get(key), names)
        for column in columns:
            stored.fields.append((key, value, column, _masked(row[column], names)))
    return stored


def _rdata(source: str, record_id: str, row: pd.Series) -> Stored:
    import pyreadr

    from analysis.importers import ucdp_brd, ucdp_ged

    (resource,) = sources.resources(source)
    path = sources.ensure(source)[0]
    obj = ucdp_ged.OBJECT if source == "ucdp_ged" else ucdp_brd.OBJECT
    raw = pyreadr.read_r(str(path))[obj]
    number = int(row["source_row"])
    stored_row = raw.iloc[number - 1]
    stored = Stored(
        source,
        record_id,
        [
            ("file", f"{resource.relpath} ({resource.name})"),
            ("file sha256", resource.sha256),
            ("R object, row", f"{obj}, row {number} (counted from 1)"),
        ],
        note="free-text source fields are not shown: no rule reads them",
    )
    for column in row.index:
        if column in stored_row.index and not column.startswith("source_"):
            stored.fields.append((column, _text(stored_row[column]), column, _text(row[column])))
    return stored


def _line(path: Path, number: int) -> str:
    with open(path, encoding="utf-8") as handle:
        for i, line in enumerate(handle, start=1):
            if i == number:
                return line.rstrip("\r\n")
    raise AnalysisError(f"{path}: has no line {number}")


def _csv_record(source: str, record_id: str, row: pd.Series, file: str) -> tuple[Stored, pd.Series]:
    """Where a CSV record is, and its line parsed with the file's header."""
    (resource,) = [r for r in sources.resources(source) if Path(r.relpath).name == file]
    path = next(p for p in sources.ensure(source) if p.name == file)
    number = int(row["source_line"])
    header, text = _line(path, 1), _line(path, number)
    cells = pd.read_csv(io.StringIO(f"{header}\n{text}\n"), dtype=str, keep_default_na=False)
    stored = Stored(
        source,
        record_id,
        [
            ("file", f"{resource.relpath} ({resource.name})"),
            ("file sha256", resource.sha256),
            ("line", f"{number} (the header is line 1)"),
            ("address", upstream(source, row.to_frame().T).iloc[0]),
        ],
    )
    return stored, cells.iloc[0]


def _vdc_weekly(source: str, record_id: str, row: pd.Series) -> Stored:
    stored, cells = _csv_record(source, record_id, row, str(row["source_file"]))
    column = str(row["source_column"])
    stored.fields.append((column, cells[column], "deaths", _text(row["deaths"])))
    for key in ("year", "week"):
        stored.fields.append((key, cells[key], key, _text(row[key])))
    for key in ("status", "cause", "dimension", "value"):
        stored.fields.append(("(from the file's layout)", "", key, _text(row[key])))
    return stored


def _vdc_daily(source: str, record_id: str, row: pd.Series) -> Stored:
    stored, cells = _csv_record(source, record_id, row, "counts.csv")
    for key, column in (("Date of death", "date"), ("# killed", "deaths")):
        stored.fields.append((key, cells[key], column, _text(row[column])))
    return stored
