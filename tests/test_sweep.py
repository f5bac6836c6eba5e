"""The sensitivity sweep against a plain-pandas recount, on a hand-made table and the mirror."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis import sweep
from analysis.errors import ConfigError

GRADES = pd.CategoricalDtype(["Confirmed", "Fair", "Weak", "Contested", "Discounted"], ordered=True)
ADMITS = {
    "confirmed_fair": {"Confirmed", "Fair"},
    "confirmed_fair_weak": {"Confirmed", "Fair", "Weak"},
    "all_but_discounted": {"Confirmed", "Fair", "Weak", "Contested", None},
    "all": {"Confirmed", "Fair", "Weak", "Contested", "Discounted", None},
}


def small_table() -> pd.DataFrame:
    rows = [  # date, belligerents, grading, civilians min, max, children min, max
        ("2015-09-29", "russia", "Fair", 1, 2, 0, 1),
        ("2015-09-30", "russia", "Fair", 3, 5, 1, 1),
        ("2015-10-01", "russia|syrian_government", "Weak", 2, 4, 0, 0),
        ("2016-03-01", "russia", "Contested", 10, 12, None, 3),
        ("2016-09-30", "russia", "Discounted", 7, 7, 2, 2),
        ("2016-09-30", "russia", None, 4, None, 1, 1),
        ("2016-10-01", "russia", "Confirmed", 5, 6, 0, 0),
        ("2016-05-05", "us_led_coalition", "Fair", 9, 9, 9, 9),
        (None, "russia", "Fair", 50, 50, 5, 5),
    ]
    table = pd.DataFrame(
        rows,
        columns=[
            "date",
            "belligerents",
            "grading",
            "civilians_killed_min",
            "civilians_killed_max",
            "children_killed_min",
            "children_killed_max",
        ],
    )
    table["date"] = pd.to_datetime(table["date"])
    table["grading"] = table["grading"].astype(GRADES)
    for column in table.columns[3:]:
        table[column] = table[column].astype("Int64")
    table["sequence"] = range(len(table))
    table["governorate"] = "aleppo"
    # columns of the tidy table the rule reads but this test leaves empty
    table["date_end"] = pd.Series(pd.NaT, index=table.index, dtype="datetime64[ns]")
    table[["latitude", "longitude"]] = float("nan")
    for stem in ("women_killed", "men_killed", "civilians_injured"):
        for end in ("min", "max"):
            table[f"{stem}_{end}"] = pd.array([None] * len(table), dtype="Int64")
    return table


def recount(
    table: pd.DataFrame, grading: str, attribution: str, start: str, end: str, category: str
) -> tuple[int, int, int]:
    """The tally done the long way, row by row."""
    count = low = high = 0
    for row in table.itertuples():
        codes = row.belligerents.split("|")
        if attribution == "sole" and codes != ["russia"]:
            continue
        if "russia" not in codes:
            continue
        grade = None if pd.isna(row.grading) else row.grading
        if grade not in ADMITS[grading] or pd.isna(row.date):
            continue
        if not pd.Timestamp(start) <= row.date <= pd.Timestamp(end):
            continue
        lo, hi = getattr(row, f"{category}_killed_min"), getattr(row, f"{category}_killed_max")
        # the metrics rule: a blank minimum is 0, a blank maximum falls back to the minimum
        lo = 0 if pd.isna(lo) else lo
        hi = lo if pd.isna(hi) else hi
        count, low, high = count + 1, low + min(lo, hi), high + max(lo, hi)
    return count, low, high


def test_every_grid_point_matches_a_row_by_row_recount() -> None:
    grid = {
        "perpetrator": "russia",
        "categories": ["civilians", "children"],
        "grading": list(ADMITS),
        "attribution": ["sole", "shared"],
        "start": ["2015-09-29", "2015-09-30", "2015-10-02"],
        "end": ["2016-09-29", "2016-09-30", "2016-10-01"],
    }
    table = small_table()
    result = sweep.sweep(table, grid)
    assert len(result) == 4 * 2 * 3 * 3 * 2
    for row in result.itertuples():
        expected = recount(table, row.grading, row.attribution, row.start, row.end, row.category)
        assert (row.incidents, row.low, row.high) == expected, row


def test_committed_grid_has_at_least_100_points_and_known_rules() -> None:
    grid = sweep.load_grid(sweep.default_config())
    points = 1
    for key in ("grading", "attribution", "start", "end"):
        points *= len(grid[key])
    assert points >= 100
    assert set(grid["grading"]) == set(ADMITS)


def test_bad_grid_names_file_key_and_value(tmp_path: Path) -> None:
    path = tmp_path / "sweep.yaml"
    path.write_text(
        sweep.default_config().read_text().replace("confirmed_fair_weak", "mostly_true")
    )
    with pytest.raises(ConfigError, match=r"sweep.yaml: grading: unknown \['mostly"):
        sweep.load_grid(path)


@pytest.mark.mirror
def test_sweep_on_the_mirror_writes_identical_bytes_twice(tmp_path: Path) -> None:
    from analysis import tables

    airwars = tables.load("airwars")
    for name in ("a", "b"):
        assert sweep.main(None, tmp_path / name) == 0
    written = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.*"))
    assert [str(p) for p in written] == [
        "figures/sweep.json",
        "figures/sweep.png",
        "figures/sweep.svg",
        "tables/sweep.csv",
    ]
    words = json.loads((tmp_path / "a" / "figures" / "sweep.json").read_text(encoding="utf-8"))
    assert "civilians: low end" in words["alt"] and "config/sweep.yaml" in words["caption"]
    for path in written:
        assert (tmp_path / "a" / path).read_bytes() == (tmp_path / "b" / path).read_bytes()
    result = pd.read_csv(tmp_path / "a" / "tables" / "sweep.csv")
    point = result.query(
        "grading == 'all' and attribution == 'shared' and "
        "start == '2015-09-30' and end == '2016-09-30' and "
        "category == 'civilians'"
    )
    # independent recount with plain pandas
    codes = airwars["belligerents"].fillna("").str.split("|")
    rs = airwars[codes.apply(lambda c: "russia" in c)]
    rs = rs[rs["date"].between("2015-09-30", "2016-09-30")]
    low = rs["civilians_killed_min"].fillna(0)
    high = rs["civilians_killed_max"].fillna(low)
    assert point["incidents"].item() == len(rs)
    assert point["low"].item() == int(pd.concat([low, high], axis=1).min(axis=1).sum())
    assert point["high"].item() == int(pd.concat([low, high], axis=1).max(axis=1).sum())
