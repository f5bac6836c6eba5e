"""Airwars tallies on the hand-made incidents of `airwars_small` (its docstring and
tests/test_metrics.py work the numbers out): the tally table and its contributions
files, one tally per category, the incidents a tally looks at, the rule grid's
rows, and the checks on what is asked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from fixtures.claims.tables import airwars_small

from analysis.evidence.airwars import RuleSet
from analysis.evidence.tallies import (
    FOLDER,
    by_category,
    incident_rows,
    rule_grid,
    tallies,
)

YEAR = (pd.Timestamp("2015-09-30"), pd.Timestamp("2016-09-30"))
#: Incidents naming Russia whose dates meet the year: all but undated 8 and 10.
LOOKED_AT = [1, 2, 3, 4, 5, 6, 9, 11, 12]


def _queries() -> pd.DataFrame:
    """Civilians over the year, children over the year, civilians on 2015-10-01."""
    return pd.DataFrame(
        {
            "key": ["civilians/year", "children", "first day"],
            "perpetrator": "russia",
            "category": ["civilians", "children", "civilians"],
            "area": "syria",
            "period_start": [YEAR[0], YEAR[0], pd.Timestamp("2015-10-01")],
            "period_end": [YEAR[1], YEAR[1], pd.Timestamp("2015-10-01")],
        }
    )


def test_tallies_sum_the_rule_s_incidents() -> None:
    found = tallies(airwars_small(), _queries()).table
    assert found.columns.tolist() == ["key", "low", "high", "incidents_low", "incidents_high"]
    assert found["key"].tolist() == ["civilians/year", "children", "first day"]
    # low: rows 1, 2, 11, 12 (sole, Confirmed/Fair); high: 1, 2, 3, 4, 6, 9, 11, 12
    assert found[["low", "high"]].to_numpy().tolist() == [[10, 55], [1, 9], [2, 4]]
    assert found["incidents_low"].tolist() == [4, 4, 1]
    assert found["incidents_high"].tolist() == [8, 8, 1]


def test_saved_tallies_name_their_contributions_tables_which_sum_to_them(
    tmp_path: Path,
) -> None:
    airwars = airwars_small()
    path = tallies(airwars, _queries()).save(airwars, tmp_path, "study")
    assert path == tmp_path / "tables" / "study.csv"
    saved = pd.read_csv(path)
    assert saved["records"].tolist() == [len(LOOKED_AT), len(LOOKED_AT), 1]
    names = saved["contributions"].tolist()
    assert [n.startswith(f"{FOLDER}/study/") and n.endswith(".csv") for n in names] == [True] * 3
    assert len(set(names)) == 3
    for row in saved.itertuples():
        part = pd.read_csv(tmp_path / row.contributions)
        assert len(part) == row.records
        assert (part["low"].sum(), part["high"].sum()) == (row.low, row.high)
    year = pd.read_csv(tmp_path / names[0])
    assert sorted(year["record_id"], key=lambda c: int(c[2:])) == [f"RS{s}" for s in LOOKED_AT]
    children = pd.read_csv(tmp_path / names[1])
    assert set(children["record_id"]) == set(year["record_id"])
    # the children's table reads the children's columns, not the civilians'
    assert children["low"].sum() == 1 and year["low"].sum() == 10
    assert pd.read_csv(tmp_path / names[2])["record_id"].tolist() == ["RS1"]
    # each table shows its own category's fields
    assert list(year.columns[-2:]) == ["civilians_killed_min", "civilians_killed_max"]
    assert list(children.columns[-2:]) == ["children_killed_min", "children_killed_max"]


def test_tallies_saved_again_replace_the_first_and_may_look_at_nothing(tmp_path: Path) -> None:
    airwars = airwars_small()
    queries = pd.concat(
        [
            _queries(),
            pd.DataFrame(
                {
                    "key": ["later"],
                    "perpetrator": "russia",
                    "category": "civilians",
                    "area": "syria",
                    "period_start": pd.Timestamp("2020-01-01"),
                    "period_end": pd.Timestamp("2020-12-31"),
                }
            ),
        ],
        ignore_index=True,
    ).set_axis([5, 6, 7, 8])  # the tallies' own index is not kept
    found = tallies(airwars, queries)
    pd.testing.assert_frame_equal(found.queries, queries.reset_index(drop=True))
    tallies(airwars, queries.iloc[:1]).save(airwars, tmp_path, "study")
    saved = pd.read_csv(found.save(airwars, tmp_path, "study"))
    assert saved["records"].tolist() == [len(LOOKED_AT), len(LOOKED_AT), 1, 0]
    assert saved[["low", "high"]].to_numpy().tolist() == [[10, 55], [1, 9], [2, 4], [0, 0]]
    assert pd.read_csv(tmp_path / saved["contributions"].iloc[3]).empty


def test_one_tally_per_category_keyed_by_the_category() -> None:
    found = by_category(airwars_small(), "russia", ["children", "civilians"], *YEAR)
    table = found.table.set_index("category")
    assert table["key"].tolist() == ["children", "civilians"]
    assert table.loc["civilians", ["low", "high"]].tolist() == [10, 55]
    assert table.loc["children", ["low", "high"]].tolist() == [1, 9]
    assert found.queries["area"].tolist() == ["syria", "syria"]
    low, high = found.contributions.sums(2)
    assert low.tolist() == [1, 10] and high.tolist() == [9, 55]
    aleppo = by_category(airwars_small(), "russia", ["civilians"], *YEAR, area="aleppo")
    assert aleppo.table[["low", "high"]].to_numpy().tolist() == [[2, 27]]


def test_incident_rows_mark_what_lies_outside_the_tally() -> None:
    table = airwars_small()
    rows = incident_rows(table, "russia", "civilians", *YEAR, area="aleppo")
    rows["sequence"] = table["sequence"].iloc[rows["record"]].to_numpy()
    # 12 has no governorate: looked at (it may lie in Aleppo), not in scope
    assert rows["sequence"].tolist() == [1, 4, 9, 12]
    assert rows["in_scope"].tolist() == [True, True, True, False]
    assert rows["counts_low"].tolist() == [True, False, False, False]
    assert rows["counts_high"].tolist() == [True, True, True, False]
    assert rows[["low", "high"]].to_numpy().tolist() == [[2, 4], [10, 20], [2, 3], [0, 4]]
    # incident 1 (2015-10-01 to 10-03) starts before the period: looked at, not in scope
    table["date_end"] = pd.to_datetime(table["sequence"].map({1: "2015-10-03"}))
    early = incident_rows(table, "russia", "civilians", "2015-10-02", "2015-10-20")
    assert table["sequence"].iloc[early["record"]].tolist() == [1, 2, 11]
    assert early["in_scope"].tolist() == [False, True, True]
    assert early["counts_low"].tolist() == [False, True, True]
    # by overlap, it counts
    overlap = incident_rows(
        table, "russia", "civilians", "2015-10-02", "2015-10-20", rules=RuleSet(edge="overlap")
    )
    assert overlap["counts_low"].tolist() == [True, True, True]
    assert overlap["in_scope"].tolist() == [False, True, True]  # in scope means by start date


def test_the_grid_answers_each_row_from_its_own_period() -> None:
    grid = pd.DataFrame(
        {
            "grading": ["all", "confirmed_fair", "all", "confirmed_fair", "all"],
            "attribution": ["shared", "sole", "sole", "sole", "shared"],
            "start": ["2015-10-02", "2015-09-30", "2015-10-02", "2015-10-01", "2020-01-01"],
            "end": ["2016-10-01", "2016-09-30", "2016-10-01", "2015-10-01", "2020-12-31"],
        },
        index=[10, 11, 12, 13, 14],  # the grid's own index is not the answer's
    )
    found = rule_grid(airwars_small(), "russia", "civilians", grid)
    assert found.index.tolist() == [0, 1, 2, 3, 4]
    assert found.columns.tolist() == [*grid.columns, "incidents", "low", "high"]
    assert found[["low", "high"]].dtypes.tolist() == ["float64", "float64"]
    assert found[["grading", "attribution"]].equals(
        grid[["grading", "attribution"]].reset_index(drop=True)
    )
    # all gradings, shared, 2015-10-02..2016-10-01: rows 2,3,4,5,6,9,10,11,12
    assert found.loc[0, ["incidents", "low", "high"]].tolist() == [9, 35, 62]
    # sole Confirmed/Fair over the year: rows 1, 2, 11, 12
    assert found.loc[1, ["incidents", "low", "high"]].tolist() == [4, 10, 18]
    # all gradings, sole, 2015-10-02..2016-10-01: rows 2, 4, 5, 6, 10, 11, 12
    assert found.loc[2, ["incidents", "low", "high"]].tolist() == [7, 30, 53]
    assert found.loc[3, ["incidents", "low", "high"]].tolist() == [1, 2, 4]
    assert found.loc[4, ["incidents", "low", "high"]].tolist() == [0, 0, 0]  # no incident
    assert found["incidents"].dtype == "int64"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda t: tallies_one(t, perpetrator="nato"),
            r"unknown perpetrator 'nato'; known: \['russia',",
        ),
        (
            lambda t: tallies_one(t, category="fighters"),
            r"Airwars has no count for category 'fighters'; it has \['civilians',",
        ),
        (
            lambda t: tallies_one(t, start="2016-01-02", end="2016-01-01"),
            r"period ends \(2016-01-01\) before it starts \(2016-01-02\)",
        ),
    ],
)
def test_a_bad_tally_is_refused_saying_why(call, message) -> None:
    with pytest.raises(ValueError, match=message):
        call(airwars_small())


def tallies_one(
    table, perpetrator="russia", category="civilians", start="2016-01-01", end="2016-01-31"
):
    return by_category(table, perpetrator, [category], start, end)


def test_a_bad_grid_is_refused_naming_the_row_or_column() -> None:
    table = airwars_small()
    grid = pd.DataFrame(
        {
            "grading": ["all", "all", "all"],
            "attribution": ["sole", "sole", "sole"],
            "start": ["2016-01-01", "2016-01-01", "2016-01-05"],
            "end": ["2016-01-31", "2016-01-01", "2016-01-04"],
        }
    )
    with pytest.raises(ValueError, match=r"grid: row 2 ends before it starts"):
        rule_grid(table, "russia", "civilians", grid)
    with pytest.raises(ValueError, match=r"grid lacks column\(s\) \['attribution', 'end'\]"):
        rule_grid(table, "russia", "civilians", grid.drop(columns=["end", "attribution"]))
    with pytest.raises(ValueError, match="unknown perpetrator 'nato'"):
        rule_grid(table, "nato", "civilians", grid.iloc[:2])
