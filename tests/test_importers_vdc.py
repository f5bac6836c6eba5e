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


def _weekly_files(weeks: tuple[int, ...], *, drop: tuple[str, int] | None = None) -> dict:
    """The six weekly CSVs for weeks of 2016, one category row per file and week
    (five cuts), as a fixture manifest's {relpath: (source, bytes)}; `drop` leaves out
    one file's row of one week."""
    rows = {  # file -> (row column, its label, deaths)
        "key_none.csv": ("none", "", 9),
        "key_status.csv": ("status", "Civilian", 7),
        "key_deathCause.csv": ("deathCause", "Shelling", 4),
        "key_province.csv": ("province", "Aleppo", 3),
        "key_gender.csv": ("gender", "Adult - Male", 2),
    }
    files = {}
    for name, (column, label, deaths) in rows.items():
        lines = [f"year,week,{column},total"]
        lines += [f"2016,{w},{label},{deaths}" for w in weeks if drop != (name, w)]
        files[name] = "\n".join(lines) + "\n"
    files["AggregatedInfVis.csv"] = "year,week,deaths\n" + "".join(f"2016,{w},9\n" for w in weeks)
    return {f"data/{name}": ("vdc_weekly", text.encode()) for name, text in files.items()}


def test_a_weekly_table_with_every_cut_in_every_week_loads(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_manifest(isolated, monkeypatch, _weekly_files((10, 11, 12)))
    table = tables.load("vdc_weekly")
    cuts = table.groupby(["status", "cause", "dimension", "value"])["week"].agg(list)
    assert cuts.to_dict() == {
        ("all", "Shelling", "total", "all"): [10, 11, 12],
        ("all", "all", "province", "aleppo"): [10, 11, 12],
        ("all", "all", "sex_age", "Adult - Male"): [10, 11, 12],
        ("all", "all", "total", "all"): [10, 11, 12],
        ("civilian", "all", "total", "all"): [10, 11, 12],
    }


def test_a_cut_lacking_a_week_is_refused_and_nothing_cached(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_manifest(isolated, monkeypatch, _weekly_files((10, 11, 12), drop=("key_status.csv", 11)))
    with pytest.raises(
        RawFileError,
        match=r"VDC weekly: 1 cell\(s\) missing: .*a missing week is unknown, not 0.*"
        r"for example 2016-W11\|civilian\|all\|total=all$",
    ):
        tables.load("vdc_weekly")
    assert not list((isolated / "cache").glob("*.parquet"))


def test_a_week_absent_from_every_file_is_refused(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_manifest(isolated, monkeypatch, _weekly_files((10, 12)))
    with pytest.raises(RawFileError, match=r"5 cell\(s\) missing: .*for example 2016-W11\|"):
        tables.load("vdc_weekly")
