"""One record as stored upstream (`analysis.evidence.stored`), read from small raw
files written here rather than the mirror: which source an id's shape names, where a
record's bytes are, each stored value beside the value the table holds, and a
victim's name withheld. Every name, id and number here is invented."""

from __future__ import annotations

import builtins
import hashlib
import io
import json
import re
import zipfile
import zlib
from pathlib import Path

import pandas as pd
import pyreadr
import pytest
from fixtures.claims.tables import airwars_small, vdc_small

from analysis import sources
from analysis.errors import AnalysisError
from analysis.evidence import stored
from analysis.evidence.stored import WITHHELD, Stored
from analysis.importers import airwars as airwars_importer
from analysis.privacy import names_from_victims

#: An invented victim's name: two naming words, as the archive's lists hold them.
VICTIM = "Zayd Qasimov"
NAMES = names_from_victims([[{"الاسم المحلي": VICTIM}]])
SHA = "ab" * 32


def _resource(name: str, source: str, file: str) -> sources.Resource:
    return sources.Resource(name, source, f"{sources.UPSTREAM_PREFIX}own/repo/c0/{file}", SHA, 1)


def _serve(
    monkeypatch: pytest.MonkeyPatch,
    source: str,
    table: pd.DataFrame,
    files: dict[str, tuple[sources.Resource, Path]],
) -> None:
    """Make `load(source)` return `table` and the manifest give `source` the `files`
    (resource, local path); asked for another source (or all), they fail."""
    monkeypatch.setattr("analysis.tables.load", lambda name, **_: {source: table}[name])
    held = tuple(r for r, _ in files.values())
    monkeypatch.setattr(sources, "resources", lambda name=None: {source: held}[name])
    monkeypatch.setattr(
        sources, "ensure", lambda name: {source: [p for _, p in files.values()]}[name]
    )


@pytest.mark.parametrize(
    ("record_id", "source"),
    [
        ("RS123", "airwars"),
        ("USC45", "airwars"),
        ("RS12a", "airwars"),
        ("RS12a3", "airwars"),
        ("2016-W14|civilian|all|total=all", "vdc_weekly"),
        ("2016-03-01", "vdc_daily"),
        ("2016", "ucdp_brd"),
        ("12345", "ucdp_ged"),
        ("123456789", "ucdp_ged"),
    ],
)
def test_an_id_s_shape_names_its_source(record_id: str, source: str) -> None:
    assert stored.source_of(record_id) == source


@pytest.mark.parametrize(
    "record_id",
    ["R123", "RSTU1", "rs123", "RS", "123", "2016-03", "x2016-03-01", "2016-W14", "2016-03-01x"],
)
def test_an_id_of_no_known_shape_asks_for_the_source(record_id: str) -> None:
    expected = (
        "shape names no source; give --source "
        "(airwars, ucdp_ged, ucdp_brd, vdc_weekly or vdc_daily)"
    )
    with pytest.raises(AnalysisError, match=re.escape(expected)):
        stored.source_of(record_id)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (float("nan"), ""),
        (pd.NA, ""),
        (pd.NaT, ""),
        (pd.Timestamp("2016-03-01"), "2016-03-01"),
        (pd.Timestamp("2016-03-01 12:30"), "2016-03-01 12:30:00"),
        (0, "0"),
        (7.5, "7.5"),
        ("aleppo", "aleppo"),
        ([1, 2], "[1, 2]"),
    ],
)
def test_a_value_is_shown_as_text_and_a_missing_one_as_nothing(value: object, text: str) -> None:
    assert stored._text(value) == text


def test_a_value_naming_a_victim_is_withheld() -> None:
    assert stored._masked(f"the home of {VICTIM.upper()}, east of the square", NAMES) == WITHHELD
    assert stored._masked("the square", NAMES) == "the square"
    assert stored._masked(None, NAMES) == ""


def test_a_record_is_found_by_its_id_and_an_airwars_one_also_by_its_sequence() -> None:
    table = airwars_small()
    assert stored._find("airwars", "RS3", table)["sequence"].tolist() == [3]
    assert stored._find("airwars", "3", table)["sequence"].tolist() == [3]
    for record_id in ("RS99", "99"):
        with pytest.raises(AnalysisError, match=rf"no airwars record with id '{record_id}'"):
            stored._find("airwars", record_id, table)
    ged = pd.DataFrame({"id": [7, 8]})
    assert stored._find("ucdp_ged", "8", ged)["id"].tolist() == [8]
    with pytest.raises(AnalysisError, match=r"no ucdp_ged record with id '3'"):
        stored._find("ucdp_ged", "3", ged)


def test_a_line_is_read_by_its_number_counted_from_one(tmp_path: Path) -> None:
    path = tmp_path / "counts.csv"
    path.write_bytes(b"a,b\r\n1,2 \r\n3,X\n")
    # only the line break goes: a trailing space or letter is the line's own
    assert [stored._line(path, n) for n in (1, 2, 3)] == ["a,b", "1,2 ", "3,X"]
    with pytest.raises(AnalysisError, match=r"counts.csv: has no line 4"):
        stored._line(path, 4)


def test_a_line_is_read_as_utf8_whatever_the_locale_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Raw files are UTF-8; a machine whose locale says Latin-1 must read them alike.
    The module's `open` is replaced by one that, asked for no encoding, decodes as
    such a locale would."""

    def open_in_a_latin1_locale(file, mode="r", *args, encoding=None, **kwargs):  # type: ignore[no-untyped-def]
        return builtins.open(file, mode, *args, encoding=encoding or "latin-1", **kwargs)

    monkeypatch.setattr(stored, "open", open_in_a_latin1_locale, raising=False)
    path = tmp_path / "counts.csv"
    path.write_text("place,deaths\nحلب,3\n", encoding="utf-8")
    assert stored._line(path, 2) == "حلب,3"


def test_a_source_without_a_reader_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    _serve(monkeypatch, "published", pd.DataFrame({"figure_id": ["P1"]}), {})
    with pytest.raises(AnalysisError, match=r"unknown source 'published'; known: airwars, "):
        stored.read("P1", "published")


def test_a_vdc_daily_record_is_its_line_of_counts_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "counts.csv"
    path.write_text("Date of death,# killed,note\n2011-03-18,3,x\n2012-01-01,NA,y\n")
    table = pd.DataFrame(
        {
            "date": pd.to_datetime(["2011-03-18", "2012-01-01"]),
            "deaths": pd.array([3, pd.NA], dtype="Int64"),
            "source_line": [2, 3],
        }
    )
    _serve(
        monkeypatch,
        "vdc_daily",
        table,
        {"c": (_resource("vdc-counts", "vdc_daily", "d/counts.csv"), path)},
    )
    (one,) = stored.read("2012-01-01")
    assert one == Stored(
        "vdc_daily",
        "2012-01-01",
        [
            ("file", "own/repo/c0/d/counts.csv (vdc-counts)"),
            ("file sha256", SHA),
            ("line", "3 (the header is line 1)"),
            ("address", "vdc-counts:line 3"),
        ],
        [
            ("Date of death", "2012-01-01", "date", "2012-01-01"),
            ("# killed", "NA", "deaths", ""),
        ],
    )


def _weekly_files(tmp_path: Path, table: pd.DataFrame) -> dict[str, tuple[sources.Resource, Path]]:
    """The weekly table's file as the VDC lays it out: a line a week, a column a cut;
    another file of the source beside it."""
    wide = table.pivot(index=["year", "week"], columns="source_column", values="deaths")
    path = tmp_path / "key_none.csv"
    wide.reset_index().to_csv(path, index=False)
    other = tmp_path / "key_other.csv"
    other.write_text("year,week\n")
    return {
        "other": (_resource("vdc-other", "vdc_weekly", "w/key_other.csv"), other),
        "none": (_resource("vdc-none", "vdc_weekly", "w/key_none.csv"), path),
    }


def test_a_vdc_weekly_record_is_a_cell_of_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = vdc_small()
    files = _weekly_files(tmp_path, table)
    table.loc[table["source_column"] == "civilian all all", "deaths"] = 51  # the table's value
    _serve(monkeypatch, "vdc_weekly", table, files)
    (one,) = stored.read("2016-W38|civilian|all|total=all")
    assert one == Stored(
        "vdc_weekly",
        "2016-W38|civilian|all|total=all",
        [
            ("file", "own/repo/c0/w/key_none.csv (vdc-none)"),
            ("file sha256", SHA),
            ("line", "3 (the header is line 1)"),
            ("address", "vdc-none:line 3, column civilian all all"),
        ],
        [
            ("civilian all all", "60", "deaths", "51"),
            ("year", "2016", "year", "2016"),
            ("week", "38", "week", "38"),
            ("(from the file's layout)", "", "status", "civilian"),
            ("(from the file's layout)", "", "cause", "all"),
            ("(from the file's layout)", "", "dimension", "total"),
            ("(from the file's layout)", "", "value", "all"),
        ],
    )


@pytest.mark.parametrize(
    ("source", "obj"), [("ucdp_ged", "ucdp_syria_df"), ("ucdp_brd", "ucdpbrds")]
)
def test_a_ucdp_record_is_a_row_of_its_r_object(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, obj: str
) -> None:
    key = "id" if source == "ucdp_ged" else "year"
    raw = pd.DataFrame(
        {
            key: [30001, 30002, 30003],
            "low": [4.0, 5.0, 6.0],
            "where_description": ["a", "b", "c"],
            "source_row": [9, 9, 9],
        }
    )
    path = tmp_path / f"{obj}.rda"
    pyreadr.write_rdata(str(path), raw, df_name=obj)
    table = pd.DataFrame(
        {
            key: [30003, 30002],
            "low": pd.array([6, 50], dtype="Int64"),
            "date_start": pd.to_datetime(["2016-01-01", "2016-02-01"]),
            "source_row": [3, 2],
        }
    )
    _serve(
        monkeypatch,
        source,
        table,
        {obj: (_resource(f"{source}-file", source, f"u/{obj}.rda"), path)},
    )
    (one,) = stored.read("30002", source)
    assert one == Stored(
        source,
        "30002",
        [
            ("file", f"own/repo/c0/u/{obj}.rda ({source}-file)"),
            ("file sha256", SHA),
            ("R object, row", f"{obj}, row 2 (counted from 1)"),
        ],
        [(key, "30002.0", key, "30002"), ("low", "5.0", "low", "50")],
        note="free-text source fields are not shown: no rule reads them",
    )


def _airwars_files(tmp_path: Path, entries: dict[str, dict[str, object]]) -> list[Path]:
    """The archive's manifest and its one part, holding `entries` as case records."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, record in entries.items():
            archive.writestr(name, json.dumps(record, ensure_ascii=False))
    blob = buffer.getvalue()
    manifest = tmp_path / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "archive_sha256": hashlib.sha256(blob).hexdigest(),
                "archive_size_bytes": len(blob),
                "parts": 1,
            }
        )
    )
    part = tmp_path / "part-000"
    part.write_bytes(blob)
    return [manifest, part]


def test_an_airwars_record_is_its_case_entry_with_victims_names_withheld(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = airwars_importer.upstream_keys()
    location = next(k for k, columns in keys.items() if "location" in columns)
    code = next(k for k, columns in keys.items() if "incident_code" in columns)
    incident = {location: f"near the home of {VICTIM}", code: "RS3"}
    victims = [{"الاسم المحلي": VICTIM}, {"الاسم المحلي": "Other Invented"}]
    payload = {"incident": incident, "victims": victims}
    files = _airwars_files(
        tmp_path,
        {
            "cases/0001/data.json": {"victims": []},  # a case with no incident object
            "cases/0003/data.json": payload,
        },
    )
    table = airwars_small()
    table["location"] = pd.array([f"{VICTIM} street"] + ["square"] * 12, dtype="string")
    monkeypatch.setattr("analysis.tables.load", lambda name, **_: {"airwars": table}[name])
    monkeypatch.setattr(sources, "ensure", lambda name: {"airwars": files}[name])
    (one,) = stored.read("RS3")
    data = json.dumps(payload, ensure_ascii=False).encode()
    with zipfile.ZipFile(io.BytesIO(files[1].read_bytes())) as archive:
        info = archive.getinfo("cases/0003/data.json")
    blob = files[1].read_bytes()
    assert (one.source, one.record_id) == ("airwars", "RS3")
    assert one.where == [
        ("archive", "the zip reassembled from the manifest's airwars-part-* files"),
        ("archive sha256", hashlib.sha256(blob).hexdigest()),
        ("manifest.json says", hashlib.sha256(blob).hexdigest()),
        ("entry", "cases/0003/data.json"),
        ("entry CRC-32", f"{zlib.crc32(data):08x}"),
        ("entry size", f"{len(data):,} bytes ({info.compress_size:,} compressed)"),
        ("page", "https://airwars.org/civilian-casualties/RS3"),
    ]
    assert one.note == "2 listed victim(s) not shown; names withheld"

    def shown(column: str) -> tuple[str, str, str, str]:
        return next(f for f in one.fields if f[2] == column)

    # the stored location names a victim, and so does the first incident's table value
    assert shown("location") == (location, WITHHELD, "location", "square")
    assert shown("incident_code") == (code, "RS3", "incident_code", "RS3")
    # a key the record lacks is shown empty, beside the table's value
    assert shown("grading")[1:] == ("", "grading", "Fair")
    assert [f[2] for f in one.fields] == [c for cs in keys.values() for c in cs]
    table["location"] = pd.array([f"{VICTIM} street"] * 13, dtype="string")
    (one,) = stored.read("3", "airwars")
    assert shown("location") == (location, WITHHELD, "location", WITHHELD)
    (one,) = stored.read("RS1")
    assert {f[1] for f in one.fields} == {""}
    assert one.note == "0 listed victim(s) not shown; names withheld"
