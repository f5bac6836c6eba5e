"""The Airwars archive as stored upstream: 112 zip parts, one zip, one JSON per case.

Both the importer (`analysis.importers.airwars`) and the privacy check
(`analysis.privacy`) read the archive, and `explain --record` reads one case as
stored; this module is the one place that does, so neither of them depends on the
other.

Steps. (1) Concatenate the parts in memory and check size and sha256 against the
archive's `manifest.json`. (2) Open the zip from memory (nothing is extracted to
disk), refusing entries that escape their folder and bounding entry count and
uncompressed bytes read, since a zip is hostile input. (3) Return the requested
objects of each `cases/NNNN/data.json`.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Any

import orjson

from analysis.errors import RawFileError

#: Key under which `read_case_records` names each record's zip entry.
ENTRY = "entry"

#: Bounds on what is read from the zip: far above the real archive (8,114 case
#: records, 211 MB uncompressed), far below what would exhaust memory.
MAX_ENTRIES = 100_000
MAX_RECORD_BYTES = 16 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024


def reassemble(files: list[Path]) -> bytes:
    """The whole zip, from its parts, checked against the archive's manifest.json."""
    manifest_path = next((f for f in files if f.name == "manifest.json"), None)
    parts = sorted(f for f in files if f.name.startswith("part-"))
    if manifest_path is None or not parts:
        raise RawFileError(f"Airwars: expected manifest.json and part-NNN files, got {files}")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        expected_sha = str(manifest["archive_sha256"])
        expected_size = int(manifest["archive_size_bytes"])
        expected_parts = int(manifest["parts"])
    except (ValueError, KeyError, TypeError) as exc:
        raise RawFileError(
            f"{manifest_path}: expected JSON with archive_sha256, archive_size_bytes and "
            f"parts; {exc!r}"
        ) from exc
    if len(parts) != expected_parts:
        raise RawFileError(
            f"{manifest_path}: manifest names {expected_parts} parts, found {len(parts)}"
        )
    blob = b"".join(p.read_bytes() for p in parts)
    actual_sha = hashlib.sha256(blob).hexdigest()
    if len(blob) != expected_size or actual_sha != expected_sha:
        raise RawFileError(
            f"Airwars zip reassembled from {len(parts)} parts in {parts[0].parent}: "
            f"{len(blob):,} bytes with sha256 {actual_sha}; manifest.json expects "
            f"{expected_size:,} bytes with sha256 {expected_sha}"
        )
    return blob


def _is_safe(name: str) -> bool:
    path = PurePosixPath(name)
    return not (name.startswith(("/", "\\")) or "\\" in name or ".." in path.parts or ":" in name)


def read_case_records(
    blob: bytes,
    *,
    keys: tuple[str, ...] = ("incident",),
    max_entries: int = MAX_ENTRIES,
    max_record_bytes: int = MAX_RECORD_BYTES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
) -> list[Any]:
    """The named objects (`keys`) of every case record, read from the zip in memory,
    each with the name of the zip entry it came from under `ENTRY`.

    Victim lists (`victims`) are read only to find names that must be withheld.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(blob))
        entries = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise RawFileError(f"Airwars zip is not a readable zip archive: {exc}") from exc
    if len(entries) > max_entries:
        raise RawFileError(
            f"Airwars zip has {len(entries):,} entries; refusing more than {max_entries:,}"
        )
    unsafe = [e.filename for e in entries if not _is_safe(e.filename)]
    if unsafe:
        raise RawFileError(
            f"Airwars zip has entries that escape their folder, refused: {unsafe[:5]}"
        )
    records: list[Any] = []
    total = 0
    for entry in entries:
        parts = PurePosixPath(entry.filename).parts
        if len(parts) != 3 or parts[0] != "cases" or parts[2] != "data.json":
            continue
        try:
            with archive.open(entry) as handle:
                payload = handle.read(max_record_bytes + 1)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error) as exc:
            raise RawFileError(f"Airwars zip entry {entry.filename}: cannot read: {exc}") from exc
        if len(payload) > max_record_bytes:
            raise RawFileError(
                f"Airwars zip entry {entry.filename} inflates past {max_record_bytes:,} bytes; "
                "refused as a possible zip bomb"
            )
        total += len(payload)
        if total > max_total_bytes:
            raise RawFileError(
                f"Airwars case records inflate past {max_total_bytes:,} bytes in all; "
                "refused as a possible zip bomb"
            )
        try:
            loaded = orjson.loads(payload)
            record = {name: loaded[name] for name in keys}
            record[ENTRY] = entry.filename
        except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
            raise RawFileError(
                f"Airwars zip entry {entry.filename}: expected JSON with {keys} object; {exc}"
            ) from exc
        records.append(record)
    if not records:
        raise RawFileError("Airwars zip holds no cases/NNNN/data.json records")
    return records


def read_entry(blob: bytes, name: str) -> tuple[zipfile.ZipInfo, dict[str, Any]]:
    """One case record as stored: its zip entry's metadata (CRC, sizes) and its JSON.

    The same guards as `read_case_records` apply: the name must be a
    `cases/NNNN/data.json` entry inside its folder, and the record is bounded.
    """
    parts = PurePosixPath(name).parts
    if not _is_safe(name) or len(parts) != 3 or parts[0] != "cases" or parts[2] != "data.json":
        raise RawFileError(f"Airwars zip: {name!r} is not a cases/NNNN/data.json entry")
    try:
        archive = zipfile.ZipFile(io.BytesIO(blob))
        info = archive.getinfo(name)
        with archive.open(info) as handle:
            payload = handle.read(MAX_RECORD_BYTES + 1)
    except KeyError as exc:
        raise RawFileError(f"Airwars zip has no entry {name!r}") from exc
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error) as exc:
        raise RawFileError(f"Airwars zip entry {name}: cannot read: {exc}") from exc
    if len(payload) > MAX_RECORD_BYTES:
        raise RawFileError(f"Airwars zip entry {name} inflates past {MAX_RECORD_BYTES:,} bytes")
    try:
        record = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise RawFileError(f"Airwars zip entry {name}: not JSON: {exc}") from exc
    if not isinstance(record, dict):
        raise RawFileError(f"Airwars zip entry {name}: expected a JSON object")
    return info, record
