"""Metrics on hand-made tables, each expected value worked out by hand in the
fixture's docstring or beside the assertion."""

from __future__ import annotations

import pandas as pd
import pytest
from fixtures.claims.tables import (
    airwars_small,
    brd_small,
    ged_small,
    published_small,
    vdc_daily_small,
    vdc_small,
)

from analysis.evidence.tallies import incident_rows, rule_grid, tally
from analysis.intervals import Interval
from analysis.metrics import consistency, series, shares, ucdp, vdc
from analysis.metrics.areas import in_area

YEAR = ("2015-09-30", "2016-09-30")


def test_airwars_rule_by_hand():
    table = airwars_small()
    # low: sole russia, Confirmed/Fair, dated in the year: 2 + 5 + 3 (5..3 read as 3..5) + 0
    # high: naming russia, not Discounted: 4 + 5 + 6 + 20 + 8 + 3 + 5 + 4
    assert tally(table, "russia", "civilians", *YEAR) == Interval(10, 55)
    assert tally(table, "us_led_coalition", "civilians", *YEAR) == Interval(6, 6)
    # children: row 1 (1..1), row 3 (0..2), row 4 (2..5), row 9 (1..1); only row 1 is sole+Fair
    assert tally(table, "russia", "children", *YEAR) == Interval(1, 9)


def test_airwars_period_is_inclusive_at_both_ends():
    table = airwars_small()
    assert tally(table, "russia", "civilians", "2015-10-01", "2015-10-01") == Interval(2, 4)
    assert tally(table, "russia", "civilians", "2015-10-02", "2015-10-14") == Interval(0, 0)


def test_airwars_areas_governorate_and_named_box():
    table = airwars_small()
    assert tally(table, "russia", "civilians", *YEAR, area="aleppo") == Interval(2, 27)
    # east_aleppo's box holds rows 1 and 9; rows 4 and 10 lie west of it
    assert tally(table, "russia", "civilians", *YEAR, area="east_aleppo") == Interval(2, 7)
    pair = tally(
        table,
        "russia_or_syrian_government",
        "civilians",
        "2016-09-19",
        "2016-09-30",
        area="east_aleppo",
    )
    assert pair == Interval(2, 3)  # row 9 names only the pair, so it is sole for it


def test_incident_rows_list_what_a_tally_looks_at():
    table = airwars_small()
    rows = incident_rows(table, "russia", "civilians", *YEAR)
    # every row naming russia (9 of 13) less the undated row 8 and row 10 (after the year)
    assert table["sequence"].iloc[rows["record"]].tolist() == [1, 2, 3, 4, 5, 6, 9, 11, 12]
    assert rows["in_scope"].all()
    assert rows.loc[rows["counts_low"], "low"].sum() == 10
    assert rows.loc[rows["counts_high"], "high"].sum() == 55


def test_unknown_category_or_backwards_period_is_refused():
    table = airwars_small()
    with pytest.raises(ValueError, match="is_fighters"):
        tally(table, "russia", "is_fighters", *YEAR)
    with pytest.raises(ValueError, match="before it starts"):
        tally(table, "russia", "civilians", "2016-01-02", "2016-01-01")


def test_grid_matches_plain_loops():
    table = airwars_small()
    combos = pd.DataFrame(
        {
            "grading": ["confirmed_fair", "all_but_discounted", "all", "confirmed_fair_weak"],
            "attribution": ["sole", "shared", "shared", "sole"],
            "start": ["2015-09-30", "2015-09-30", "2015-10-02", "2015-09-30"],
            "end": ["2016-09-30", "2016-09-30", "2016-10-01", "2016-01-31"],
        }
    )
    found = rule_grid(table, "russia", "civilians", combos)
    # sole C/F: rows 1, 2, 11, 12 -> minima 2+5+3+0, maxima 4+5+5+4
    assert found.loc[0, ["incidents", "low", "high"]].tolist() == [4, 10, 18]
    # shared, not Discounted: rows 1,2,3,4,6,9,11,12 -> minima 2+5+3+10+4+2+3+0
    assert found.loc[1, ["incidents", "low", "high"]].tolist() == [8, 29, 55]
    # all gradings, 2015-10-02..2016-10-01: rows 2,3,4,5,6,9,10,11,12
    # minima 5+3+10+7+4+2+1+3+0, maxima 5+6+20+9+8+3+2+5+4
    assert found.loc[2, ["incidents", "low", "high"]].tolist() == [9, 35, 62]
    # sole C/F/Weak to Jan 2016: rows 1, 2, 11, 12 (row 6 is ungraded, not Weak)
    assert found.loc[3, ["incidents", "low", "high"]].tolist() == [4, 10, 18]


def test_ged_ranges_by_hand():
    table = ged_small()
    # inside January: event 1 only; overlapping: events 1 and 3 (year-long aggregate)
    assert ucdp.ged_deaths(table, "civilians", "2016-01-01", "2016-01-31") == Interval(3, 27)
    assert ucdp.ged_deaths(table, "total", "2016-01-01", "2016-01-31") == Interval(5, 29)
    # east_aleppo strictly: event 1; superset: Aleppo governorate plus unknown governorate
    assert ucdp.ged_deaths(
        table, "civilians", "2016-01-01", "2016-01-31", "east_aleppo"
    ) == Interval(3, 27)
    assert ucdp.ged_deaths(table, "civilians", "2016-02-01", "2016-02-29", "idlib") == Interval(
        0, 20
    )


def test_brd_whole_years_for_the_floor():
    table = brd_small()
    assert ucdp.brd_deaths(table, "2011-03-15", "2016-09-30") == Interval(100000, 152200)
    assert ucdp.brd_deaths(table, "2012-01-01", "2013-12-31") == Interval(30000, 34000)


def test_vdc_weeks_and_looser_cuts():
    table = vdc_small()
    # exact cut, 2016-09-19..30: week 2 lies inside; weeks 2 and 3 overlap
    assert vdc.deaths(table, vdc.Cut("civilian"), "2016-09-19", "2016-09-30") == Interval(60, 130)
    assert (
        vdc.deaths(
            table,
            vdc.Cut("civilian", "Warplane shelling", None, "aleppo"),
            "2016-09-19",
            "2016-09-30",
        )
        is None
    )
    high, used = vdc.tightest_superset(
        table, vdc.Cut("civilian", "Warplane shelling", None, "aleppo"), "2016-09-19", "2016-09-30"
    )
    assert (high, used) == (17, vdc.Cut("all", "Warplane shelling", None, "aleppo"))
    children = ("Child - Female", "Child - Male")
    high, used = vdc.tightest_superset(
        table, vdc.Cut("civilian", "Warplane shelling", children), "2016-09-19", "2016-09-30"
    )
    assert (high, used.status, used.cause) == (7, "all", "Warplane shelling")
    assert vdc.window(table) == (pd.Timestamp("2016-09-12"), pd.Timestamp("2016-10-02"))


def test_areas_strict_and_superset():
    table = airwars_small()
    strict = in_area(table, "east_aleppo")
    loose = in_area(table, "east_aleppo", superset=True)
    assert table.loc[strict, "sequence"].tolist() == [1, 9]
    assert table.loc[loose, "sequence"].tolist() == [1, 4, 9, 10, 12]
    assert (loose | ~strict).all()


def test_shares_by_hand():
    assert shares.children_among_civilians(Interval(643, 2003), Interval(2554, 9649)) == (
        Interval(643 / 9649, 2003 / 2554)
    )
    assert shares.share(Interval(5, 50), Interval(10, 20)) == Interval(0.25, 1.0)
    assert shares.civilians_per_fighter(Interval(3804, 3804), Interval(2746, 2746)).low == (
        pytest.approx(1.3853, abs=1e-4)
    )
    # women 561, children 906 of 9,364 dead (SOHR's year one): 100 * 1467 / 9364
    assert shares.dirty_war_index(
        Interval(561, 561), Interval(906, 906), Interval(9364, 9364)
    ).low == pytest.approx(15.666, abs=1e-3)


def test_monthly_series_and_period_comparison():
    table = airwars_small()
    monthly = series.airwars_monthly(table, "russia", "civilians")
    assert monthly["month"].dt.strftime("%Y-%m").tolist()[:3] == ["2015-10", "2015-11", "2015-12"]
    october = monthly.iloc[0]
    assert (october["low"], october["high"]) == (10, 18)  # rows 1, 2, 11, 12
    assert monthly.attrs["undated"] == 1
    assert monthly["cum_high"].iloc[-1] == 57  # 55 in the year + row 10's 2 in Oct 2016
    compared = series.compare_periods(table, "russia", "civilians", "2015-11-01", 31, 30)
    assert compared[["low", "high"]].to_numpy().tolist() == [[10, 18], [0, 26]]


def test_source_series_fill_empty_months_and_accumulate():
    daily = series.daily_monthly(vdc_daily_small())
    assert len(daily) == 65  # March 2011 to July 2016, empty months as zero
    assert daily["cum_deaths"].iloc[-1] == 110
    ged = series.ged_monthly(ged_small())
    assert ged[["deaths", "cum_deaths"]].to_numpy().tolist() == [[21, 21], [2, 23]]
    weekly = series.vdc_monthly(vdc_small(), "civilian", "Warplane shelling")
    assert weekly["deaths"].tolist() == [60]  # three weeks starting in September


def test_increments_flag_a_falling_total():
    found = series.increments(published_small())
    assert found["figure"].tolist() == [1015, 1380, 1733, 1700, 3804, 7988]
    assert found["increment"].tolist()[1:4] == [365, 353, -33]
    assert found["decreasing"].tolist() == [False, False, False, True, False, False]
    assert found["days"].iloc[1] == 11


def test_consistency_reports_each_kind_once():
    report = consistency.report(published_small())
    assert sorted(report["check"]) == ["components", "copies_differ", "decreasing"]
    parts = report[report["check"] == "components"].iloc[0]
    assert (parts["expected"], parts["found"], parts["difference"]) == (7988, 7888, -100)
    falling = report[report["check"] == "decreasing"].iloc[0]
    assert falling["figures"] == "F14;F15"
    copies = report[report["check"] == "copies_differ"].iloc[0]
    assert (copies["expected"], copies["found"]) == (819, 893)
    assert len(published_small()) == 17  # the checks read, never change, the table
