"""The Airwars reader refuses hostile or broken zips with a clear error."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from analysis.errors import RawFileError
from analysis.importers import airwars_archive
from analysis.importers.airwars import earlier_codes

RECORD = json.dumps({"incident": {"التسلسل": 1, "رمز الحادثة": "RS1"}}).encode()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in entries.items():
            archive.writestr(name, payload)
    return buffer.getvalue()


def test_a_small_good_zip_is_read() -> None:
    records = airwars_archive.read_case_records(
        _zip({"cases/0001/data.json": RECORD, "x.html": b""})
    )
    assert records == [
        {"incident": {"التسلسل": 1, "رمز الحادثة": "RS1"}, "entry": "cases/0001/data.json"}
    ]


@pytest.mark.parametrize(
    "name", ["../x", "cases/../../x/data.json", "/abs/data.json", "C:\\evil.json"]
)
def test_entries_escaping_their_folder_are_refused(name: str) -> None:
    with pytest.raises(RawFileError, match="escape their folder"):
        airwars_archive.read_case_records(_zip({"cases/0001/data.json": RECORD, name: b"{}"}))


def test_too_many_entries_are_refused() -> None:
    blob = _zip({f"cases/{i:04d}/data.json": RECORD for i in range(6)})
    with pytest.raises(RawFileError, match="6 entries; refusing more than 5"):
        airwars_archive.read_case_records(blob, max_entries=5)


def test_a_record_inflating_past_its_bound_is_refused() -> None:
    bomb = _zip({"cases/0001/data.json": b" " * 100_000 + RECORD})
    assert len(bomb) < 2_000
    with pytest.raises(RawFileError, match="zip bomb"):
        airwars_archive.read_case_records(bomb, max_record_bytes=10_000)


def test_records_inflating_past_the_total_bound_are_refused() -> None:
    blob = _zip({f"cases/{i:04d}/data.json": RECORD for i in range(4)})
    with pytest.raises(RawFileError, match="in all; refused"):
        airwars_archive.read_case_records(blob, max_total_bytes=len(RECORD) * 3)


@pytest.mark.parametrize("cut", [10, 200])
def test_a_truncated_zip_is_a_clear_error(cut: int) -> None:
    blob = _zip({"cases/0001/data.json": RECORD * 20})
    with pytest.raises(RawFileError, match="Airwars zip"):
        airwars_archive.read_case_records(blob[:cut])


def test_a_corrupt_entry_is_a_clear_error() -> None:
    blob = bytearray(_zip({"cases/0001/data.json": RECORD * 50}))
    start = blob.index(b"data.json") + len("data.json")
    blob[start + 5 : start + 40] = b"\xff" * 35
    with pytest.raises(RawFileError, match=r"cases/0001/data\.json"):
        airwars_archive.read_case_records(bytes(blob))


def test_parts_that_do_not_hash_to_the_archive_manifest_are_refused(tmp_path: Path) -> None:
    blob = _zip({"cases/0001/data.json": RECORD})
    (tmp_path / "part-000").write_bytes(blob[:100])
    (tmp_path / "part-001").write_bytes(blob[100:-1])  # one byte lost
    manifest = {
        "archive_sha256": hashlib.sha256(blob).hexdigest(),
        "archive_size_bytes": len(blob),
        "parts": 2,
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(RawFileError, match=f"expects {len(blob):,} bytes"):
        airwars_archive.reassemble(sorted(tmp_path.iterdir()))


def test_earlier_codes_are_trimmed_deduplicated_and_joined() -> None:
    key = "الرموز السابقة JSON"
    stored = json.dumps(
        [
            {"previous_unique_reference_code": "R3846A "},
            {"previous_unique_reference_code": ""},
            {"previous_unique_reference_code": "RS4070"},
            {"previous_unique_reference_code": "R3846A"},
        ]
    )
    assert earlier_codes([{key: stored}]) == "R3846A|RS4070"
    assert earlier_codes([{key: None}]) is None
    assert earlier_codes([]) is None


def test_earlier_codes_that_are_not_json_are_a_clear_error() -> None:
    with pytest.raises(RawFileError, match="is not JSON"):
        earlier_codes([{"الرموز السابقة JSON": "[{"}])
