"""VDC importers on small fixtures: good input, missing columns, bad dates."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from analysis import tables
from analysis.errors import RawFileError, SchemaError
from analysis.importers import vdc_daily, vdc_weekly
from tests.conftest import FIXTURES, write_manifest


def _daily(tmp: Path, patch: pytest.MonkeyPatch, fixture: str) -> None:
    write_manifest(
        tmp, patch, {"data/counts.csv": ("vdc_daily", (FIXTURES / fixture).read_bytes())}
    )


def test_a_good_daily_file_loads(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _daily(isolated, monkeypatch, "vdc_daily_good.csv")
    table = tables.load("vdc_daily")
    assert table["deaths"].tolist() == [4, 7, 2]
    assert table["date"].iloc[0] == pd.Timestamp("2016-07-18")


def test_an_unparseable_date_names_line_and_value(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _daily(isolated, monkeypatch, "vdc_daily_bad_date.csv")
    with pytest.raises(RawFileError, match=r"counts.csv: line 3 .*Date of death.*'2016-07-32'"):
        tables.load("vdc_daily")
    assert not list((isolated / "cache").glob("*.parquet"))
    assert any((isolated / "raw").rglob("counts.csv"))


def test_a_missing_column_names_expected_and_found(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _daily(isolated, monkeypatch, "vdc_daily_missing_column.csv")
    with pytest.raises(RawFileError, match=r"missing column\(s\) \['# killed'\].*'killed'"):
        tables.load("vdc_daily")


def test_a_duplicate_day_breaks_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "counts.csv"
    path.write_text("Date of death,# killed\n2016-07-18,4\n2016-07-18,5\n")
    with pytest.raises(SchemaError, match="date"):
        from analysis.schema import validate

        validate(vdc_daily.read([path]), vdc_daily.SCHEMA, "vdc_daily")


def test_an_unknown_weekly_header_names_file_and_column(tmp_path: Path) -> None:
    path = tmp_path / "key_none.csv"
    path.write_text("year,week,none,Civilian,Martian,total\n2016,1,,3,1,4\n")
    with pytest.raises(RawFileError, match=r"key_none\.csv: column 'Martian'"):
        vdc_weekly._cells(path, "none")


def test_weekly_files_that_disagree_are_logged_and_the_first_kept(tmp_path: Path) -> None:
    none = pd.DataFrame({"year": [2016], "week": [1], "none": [""], "Civilian": [3], "total": [5]})
    total = pd.DataFrame({"year": [2016], "week": [1], "deaths": [6]})
    cells = [
        vdc_weekly._cells(_csv(tmp_path, "key_none.csv", none), "none")[0],
        vdc_weekly._cells(_csv(tmp_path, "AggregatedInfVis.csv", total), None)[0],
    ]
    kept, entry = vdc_weekly._combine(cells)
    assert entry["rows"] == 1
    assert entry["cells"][0]["values"] == {"key_none.csv": 5, "AggregatedInfVis.csv": 6}
    row = kept[(kept["status"] == "all") & (kept["dimension"] == "total")]
    assert row["deaths"].tolist() == [5]


def _csv(folder: Path, name: str, frame: pd.DataFrame) -> Path:
    frame.to_csv(folder / name, index=False)
    return folder / name


def test_the_week_calendar_handles_the_turn_of_the_year() -> None:
    weeks = vdc_weekly.week_calendar(2015, 2016).set_index(["year", "week"])
    assert weeks.loc[(2015, 53)].tolist() == [pd.Timestamp("2015-12-28"), 4]
    assert weeks.loc[(2016, 53)].tolist() == [pd.Timestamp("2016-01-01"), 3]
    assert weeks.loc[(2016, 52)].tolist() == [pd.Timestamp("2016-12-26"), 6]
    assert weeks["week_days"].sum() == 366 + 365


def test_second_load_reads_the_cache_and_a_changed_input_reimports(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _daily(isolated, monkeypatch, "vdc_daily_good.csv")
    calls: list[list[Path]] = []
    probe = [{"flag": "probe", "rows": 1, "action": "test"}]

    def counting(files: list[Path]) -> pd.DataFrame:
        calls.append(files)
        table = vdc_daily.read(files)
        table.attrs["import_log"] = probe
        return table

    original = tables.spec
    monkeypatch.setattr(tables, "spec", lambda name: replace(original(name), read=counting))
    first = tables.load("vdc_daily")
    second = tables.load("vdc_daily")
    assert len(calls) == 1
    pd.testing.assert_frame_equal(first, second)
    assert second.attrs["import_log"] == probe
    for stale in (isolated / "raw").rglob("counts.csv"):
        stale.unlink()  # a new upstream version: the manifest names new bytes
    write_manifest(
        isolated,
        monkeypatch,
        {"data/counts.csv": ("vdc_daily", b"Date of death,# killed\n2016-07-18,9\n")},
    )
    third = tables.load("vdc_daily")
    assert len(calls) == 2 and third["deaths"].tolist() == [9]
    assert len(list((isolated / "cache").glob("vdc_daily-*.parquet"))) == 1
