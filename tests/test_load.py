"""The tidy tables on the real data reproduce the counts of the datasets README,
each checked against a computation that does not use the importer; and the cache."""

from __future__ import annotations

import csv
import io
import zipfile

import orjson
import pandas as pd
import pyreadr
import pytest

from analysis import load, sources, tables
from analysis.errors import UnknownSourceError

pytestmark = pytest.mark.usefixtures("real_tables")
YEAR_ONE = (pd.Timestamp("2015-09-30"), pd.Timestamp("2016-09-30"))


def _raw(source: str, suffix: str):
    (path,) = [p for p in sources.ensure(source) if p.name.endswith(suffix)]
    return path


@pytest.fixture(scope="module")
def airwars() -> pd.DataFrame:
    return load("airwars")


@pytest.mark.mirror
def test_airwars_counts_match_the_zip_read_directly(airwars: pd.DataFrame) -> None:
    parts = sorted(p for p in sources.ensure("airwars") if p.name.startswith("part-"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(p.read_bytes() for p in parts)))
    records = [n for n in archive.namelist() if n.startswith("cases/") and n.endswith("/data.json")]
    codes = [orjson.loads(archive.read(n))["incident"]["رمز الحادثة"] for n in records]
    assert len(records) == len(airwars) == 8_114
    assert sum(c.startswith("RS") for c in codes) == 4_771
    assert airwars["incident_code"].str.startswith("RS").sum() == 4_771


@pytest.mark.mirror
def test_airwars_russian_year_one_matches_the_readme(airwars: pd.DataFrame) -> None:
    rs = airwars[airwars["incident_code"].str.startswith("RS") & airwars["date"].between(*YEAR_ONE)]
    assert len(rs) == 1_343
    assert (rs["civilians_killed_min"].sum(), rs["civilians_killed_max"].sum()) == (6_145, 9_263)
    assert (rs["children_killed_min"].sum(), rs["children_killed_max"].sum()) == (1_621, 1_919)
    grading = rs["grading"].value_counts()
    assert grading.to_dict() == {
        "Contested": 693,
        "Fair": 536,
        "Weak": 102,
        "Discounted": 12,
        "Confirmed": 0,
    }
    fair = rs[rs["grading"] == "Fair"]
    assert (fair["civilians_killed_min"].sum(), fair["civilians_killed_max"].sum()) == (
        2_554,
        3_588,
    )


@pytest.mark.mirror
def test_ucdp_ged_matches_the_r_file() -> None:
    raw = pyreadr.read_r(str(_raw("ucdp_ged", ".rda")))["ucdp_syria_df"]
    table = load("ucdp_ged")
    assert len(raw) == len(table) == 16_566
    assert table["id"].is_unique
    y2016 = table[table["year"] == 2016]
    assert y2016["best"].sum() == raw.loc[raw["year"] == 2016, "best"].sum() == 48_710
    aggregate = y2016[y2016["date_prec"] == 5]
    assert (len(aggregate), aggregate["best"].sum()) == (15, 17_134)
    assert table["date_start"].min() == pd.Timestamp("2016-01-01")
    assert not table["side_a"].str.contains("Russia").any()
    assert not table["side_b"].str.contains("Russia").any()
    named = raw["adm_1"].notna()
    assert table["governorate"].notna().sum() == named.sum()


@pytest.mark.mirror
def test_ucdp_brd_syria_matches_the_readme() -> None:
    raw = pyreadr.read_r(str(_raw("ucdp_brd", ".rda")))["ucdpbrds"]
    table = load("ucdp_brd").set_index("year")
    assert len(table) == (raw["gwcode"] == 652).sum()
    assert tuple(table.loc[2015, ["best", "low", "high"]]) == (51_058, 49_235, 52_993)
    assert tuple(table.loc[2016, ["best", "low", "high"]]) == (44_829, 43_414, 46_320)


@pytest.mark.mirror
def test_vdc_weekly_year_one_matches_the_readme_and_the_csv() -> None:
    table = load("vdc_weekly")
    weeks = (table["year"] * 100 + table["week"]).between(201540, 201639)
    w = table[weeks]

    def cell(status: str, cause: str, dimension: str, values: list[str]) -> int:
        pick = (
            (w["status"] == status)
            & (w["cause"] == cause)
            & (w["dimension"] == dimension)
            & w["value"].isin(values)
        )
        return int(w.loc[pick, "deaths"].sum())

    civilians = cell("civilian", "all", "total", ["all"])
    children = cell("civilian", "all", "sex_age", ["Child - Female", "Child - Male"])
    warplane = cell("civilian", "Warplane shelling", "total", ["all"])
    fighters = cell("non_civilian", "all", "total", ["all"])
    assert (civilians, children, warplane, fighters) == (12_228, 2_754, 7_557, 6_514)
    raw = pd.read_csv(_raw("vdc_weekly", "key_status.csv"))
    raw = raw[(raw["year"] * 100 + raw["week"]).between(201540, 201639)]
    civ = raw[raw["status"] == "Civilian"]
    assert civ["total"].sum() == civilians
    assert (civ["Child - Female"] + civ["Child - Male"]).sum() == children
    assert civ["Warplane shelling"].sum() == warplane
    assert raw.loc[raw["status"] == "Non-Civilian", "total"].sum() == fighters


@pytest.mark.mirror
def test_vdc_weekly_week_mapping_reproduces_the_files_weeks() -> None:
    table = load("vdc_weekly")
    days = pd.Series(pd.date_range("2011-03-14", "2018-01-14"))
    pairs = set(zip(days.dt.year, days.dt.isocalendar().week, strict=True))
    assert set(zip(table["year"], table["week"], strict=True)) == pairs
    starts = table.drop_duplicates(["year", "week"]).set_index(["year", "week"])
    assert starts.loc[(2016, 53), "week_start"] == pd.Timestamp("2016-01-01")
    assert starts.loc[(2016, 53), "week_days"] == 3
    assert starts.loc[(2015, 40), "week_start"] == pd.Timestamp("2015-09-28")
    assert starts.loc[(2012, 1), "week_days"] == 8


@pytest.mark.mirror
def test_vdc_daily_matches_the_csv() -> None:
    with _raw("vdc_daily", "counts.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    table = load("vdc_daily")
    assert sum(int(r["# killed"]) for r in rows) == table["deaths"].sum() == 96_987
    assert (table["date"].min(), table["date"].max()) == (
        pd.Timestamp("2011-03-18"),
        pd.Timestamp("2016-07-20"),
    )


@pytest.mark.slow
@pytest.mark.mirror
@pytest.mark.parametrize("name", tables.TIDY_TABLES)
def test_cached_load_equals_a_fresh_import(name: str) -> None:
    cached = load(name)
    fresh = tables.import_table(name)
    pd.testing.assert_frame_equal(cached, fresh)
    assert cached.attrs["import_log"] == fresh.attrs["import_log"]


def test_an_unknown_name_lists_the_known_tables() -> None:
    with pytest.raises(UnknownSourceError, match=r"no table named 'acled'.*airwars.*published"):
        load("acled")


def test_the_inputs_a_cache_key_hashes_are_each_importer_s() -> None:
    for name in tables.TIDY_TABLES:
        importer = tables.spec(name)
        assert tables.INPUTS[name] == (importer.source, tuple(importer.committed_inputs)), name
