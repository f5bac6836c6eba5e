"""The UCDP rules of the evidence engine (`analysis.evidence.ucdp`) on hand-made tables,
every expected number worked out by hand from the fixture.

GED (`ged_small`, window 2016-01-01..2019-11-30), readings (smallest, largest):

    row  dates                     governorate  in Aleppo city  civilians  total
    0    2016-01-10                aleppo       yes             (3, 7)     (5, 9)
    1    2016-02-01                idlib        no              (0, 0)     (2, 2)
    2    2016-01-01..2016-12-31    unknown      no              (10, 20)   (15, 20)

(the largest civilian reading is civilians + unknown + (high - best), so 3 + 1 + 3 and
10 + 5 + 5). BRD (`brd_small`): Syria's low estimates 2011..2016 are 1,000, 10,000,
20,000, 30,000, 40,000 and 35,000 (rows 0..5); row 6 is another country's 2013.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from fixtures.claims.answers import ends_of, pairs_of, queries
from fixtures.claims.tables import brd_small, ged_small

from analysis.evidence.ucdp import answer_brd, answer_ged

INF = math.inf
GED_COVERAGE = (
    "UCDP GED Syria events 2016-01-01 to 2019-11-30; all parties together (Russia is never a side)"
)
GED_FLOOR = "documented all-party deaths of events wholly inside the period and area: a floor"
BRD_FLOOR = (
    "sum of the low estimate over calendar years wholly inside the period: a floor "
    "(battle deaths leave out one-sided violence)"
)


def _ceiling(reading: str, where: str, perpetrator: str) -> str:
    return (
        f"all-party GED deaths ({reading}) of events overlapping the period{where}: covers "
        f"more perpetrators than {perpetrator}, an upper bound only"
    )


# -- GED -------------------------------------------------------------------------------


def test_ged_floor_counts_events_wholly_inside_the_period_and_strictly_in_the_area():
    found = answer_ged(
        ged_small(),
        queries(
            ("all", "civilians", "syria", "2016-01-01", "2016-01-31"),
            ("all", "total", "syria", "2016-01-01", "2016-12-31"),
            ("all", "civilians", "aleppo", "2016-01-01", "2016-12-31"),
            ("all", "people", "aleppo_city", "2016-01-10", "2016-01-10"),
            ("all", "total", "syria", "2015-12-01", "2016-01-09"),
            ("all", "total", "idlib", "2016-02-01", "2016-02-01"),
        ),
    )
    assert ends_of(found) == [
        ("lower", 3.0, INF),
        ("lower", 22.0, INF),
        ("lower", 3.0, INF),
        ("lower", 5.0, INF),
        ("lower", 0.0, INF),  # part of the period before the window: still a floor
        ("lower", 2.0, INF),
    ]
    assert pairs_of(found, 0) == [(0, 3.0, 0.0, 0), (2, 0.0, 0.0, 1)]
    assert pairs_of(found, 1) == [(0, 5.0, 0.0, 0), (1, 2.0, 0.0, 0), (2, 15.0, 0.0, 0)]
    assert pairs_of(found, 2) == [(0, 3.0, 0.0, 0), (2, 0.0, 0.0, 2)]  # row 2: may be in Aleppo
    assert pairs_of(found, 3) == [(0, 5.0, 0.0, 0), (2, 0.0, 0.0, 1)]
    assert pairs_of(found, 4) == [(2, 0.0, 0.0, 1)]
    assert pairs_of(found, 5) == [(1, 2.0, 0.0, 0), (2, 0.0, 0.0, 1)]
    assert found.basis.tolist() == [GED_FLOOR] * 6
    assert found.coverage == GED_COVERAGE
    assert found.source == found.contributions.source == "ucdp_ged"
    assert found.outside.tolist() == [False] * 6


def test_ged_ceiling_reads_the_largest_reading_of_events_that_may_be_in_the_area():
    found = answer_ged(
        ged_small(),
        queries(
            ("russia", "civilians", "aleppo_city", "2016-01-05", "2016-03-01"),
            ("syrian_government", "total", "idlib", "2016-01-01", "2016-12-31"),
            ("russia", "people", "syria", "2016-01-01", "2019-11-30"),
            ("russia", "civilians", "syria", "2019-11-30", "2019-11-30"),
        ),
    )
    assert ends_of(found) == [
        ("upper", 0.0, 27.0),
        ("upper", 0.0, 22.0),
        ("upper", 0.0, 31.0),
        ("upper", 0.0, 0.0),
    ]
    assert pairs_of(found, 0) == [(0, 0.0, 7.0, 3), (2, 0.0, 20.0, 3)]
    assert pairs_of(found, 1) == [(1, 0.0, 2.0, 3), (2, 0.0, 20.0, 3)]
    assert pairs_of(found, 2) == [(0, 0.0, 9.0, 3), (1, 0.0, 2.0, 3), (2, 0.0, 20.0, 3)]
    civilians = "civilians: civilians + unknown + high-over-best margin"
    assert found.basis.tolist() == [
        _ceiling(civilians, " in all of Aleppo governorate", "Russia"),
        _ceiling("total: high estimate", "", "the Syrian government"),
        _ceiling("people: high estimate", "", "Russia"),
        _ceiling(civilians, "", "Russia"),
    ]


def test_ged_says_nothing_outside_its_window_or_categories_or_past_its_edges():
    found = answer_ged(
        ged_small(),
        queries(
            ("russia", "civilians", "syria", "2015-12-31", "2016-01-31"),
            ("russia", "total", "syria", "2016-01-01", "2019-12-01"),
            ("all", "fighters", "syria", "2016-01-01", "2016-12-31"),
            ("russia", "children", "syria", "2016-01-01", "2016-12-31"),
            ("all", "total", "syria", "2015-01-01", "2015-12-31"),
            ("all", "total", "syria", "2019-12-01", "2019-12-31"),
        ),
    )
    assert found.role.tolist() == ["none"] * 6
    assert np.isnan(found.low).all() and np.isnan(found.high).all()
    edge = (
        "the claim's period starts or ends outside GED's window, so its all-party "
        "count cannot bound it from above"
    )
    outside = "the claim's period lies outside GED's window"
    assert found.basis.tolist() == [
        edge,
        edge,
        "GED does not count fighters separately",
        "GED does not count children separately",
        outside,
        outside,
    ]
    assert found.outside.tolist() == [False, False, False, False, True, True]
    assert len(found.contributions) == 0


def test_ged_readings_clip_a_negative_margin_and_read_a_missing_count_as_zero():
    table = ged_small()
    table.loc[0, "best"] = 12  # high 9 below best 12: no margin, not a negative one
    table.loc[2, "deaths_unknown"] = pd.NA
    table.loc[1, "date_end"] = pd.NaT  # a one-day event with no end date
    found = answer_ged(
        table,
        queries(
            ("russia", "civilians", "syria", "2016-01-01", "2016-12-31"),
            ("all", "total", "idlib", "2016-02-01", "2016-02-01"),
        ),
    )
    assert pairs_of(found, 0) == [(0, 0.0, 4.0, 3), (1, 0.0, 0.0, 3), (2, 0.0, 15.0, 3)]
    assert ends_of(found) == [("upper", 0.0, 19.0), ("lower", 2.0, INF)]


def test_ged_reasons_and_ends():
    c = answer_ged(ged_small(), queries(("all", "total", "syria", "2016-01-01", "2016-12-31")))
    assert c.contributions.reasons == (
        "inside period and area: floor",
        "overlaps period, not inside it: not in floor",
        "may be in area, not known to: not in floor",
        "overlaps period, may be in area: ceiling",
    )
    assert c.contributions.ends == ("low", "neither", "neither", "high")


# -- BRD -------------------------------------------------------------------------------


def test_brd_floor_counts_syria_s_years_wholly_inside_the_period():
    found = answer_brd(
        brd_small(),
        queries(
            ("all", "total", "syria", "2011-03-15", "2016-09-30"),
            ("all", "people", "syria", "2012-01-01", "2012-12-31"),
            ("all", "total", "syria", "2012-01-02", "2013-12-31"),
            ("all", "total", "syria", "2010-06-01", "2011-12-31"),
            ("all", "total", "syria", "2017-01-01", "2017-12-31"),
            ("all", "total", "aleppo", "2012-01-01", "2012-12-31"),
            ("russia", "total", "syria", "2012-01-01", "2012-12-31"),
            ("all", "civilians", "syria", "2012-01-01", "2012-12-31"),
        ),
    )
    ends = ends_of(found)
    assert ends[:4] == [
        ("lower", 100000.0, INF),
        ("lower", 10000.0, INF),
        ("lower", 20000.0, INF),
        ("lower", 1000.0, INF),  # begins before the series: still a floor
    ]
    assert [r for r, *_ in ends[4:]] == ["none"] * 4
    assert np.isnan(found.low[4:]).all() and np.isnan(found.high[4:]).all()
    assert pairs_of(found, 0) == [
        (0, 0.0, 0.0, 1),
        (1, 10000.0, 0.0, 0),
        (2, 20000.0, 0.0, 0),
        (3, 30000.0, 0.0, 0),
        (4, 40000.0, 0.0, 0),
        (5, 0.0, 0.0, 1),
    ]
    assert pairs_of(found, 1) == [(1, 10000.0, 0.0, 0)]
    assert pairs_of(found, 2) == [(1, 0.0, 0.0, 1), (2, 20000.0, 0.0, 0)]  # not row 6
    assert pairs_of(found, 3) == [(0, 1000.0, 0.0, 0)]
    everyone = (
        "country-year battle deaths of all parties bound only a claim about everyone "
        "killed by all parties"
    )
    assert found.basis.tolist() == [
        *[BRD_FLOOR] * 4,
        "the claim's period lies outside the series",
        "battle deaths are counted for Syria as a whole",
        everyone,
        everyone,
    ]
    assert found.coverage == (
        "UCDP battle deaths, Syria, 2011 to 2016, by year; state-based conflict only"
    )
    assert found.outside.tolist() == [False] * 4 + [True, False, False, False]
    assert found.source == found.contributions.source == "ucdp_brd"
    assert found.contributions.reasons == (
        "year inside period: low estimate in floor",
        "year partly outside period: not in floor",
    )
    assert found.contributions.ends == ("low", "neither")


def test_brd_reads_years_in_any_row_order():
    table = brd_small().iloc[[6, 5, 3, 1, 0, 2, 4]].reset_index(drop=True)
    table.loc[1, "low"] = pd.NA  # 2016: no estimate
    found = answer_brd(
        table,
        queries(
            ("all", "total", "syria", "2012-01-01", "2013-12-31"),
            ("all", "total", "syria", "2015-06-01", "2016-12-31"),
        ),
    )
    assert ends_of(found) == [("lower", 30000.0, INF), ("lower", 0.0, INF)]
    # 2012 is row 3, 2013 row 5; 2015 row 6, 2016 row 1
    assert pairs_of(found, 0) == [(3, 10000.0, 0.0, 0), (5, 20000.0, 0.0, 0)]
    assert sorted(pairs_of(found, 1)) == [(1, 0.0, 0.0, 0), (6, 0.0, 0.0, 1)]


def test_brd_window_runs_from_the_first_year_s_first_day():
    found = answer_brd(
        brd_small(),
        queries(
            ("all", "total", "syria", "2010-01-01", "2011-01-01"),  # its first day only
            ("all", "total", "syria", "2009-01-01", "2010-12-31"),  # the day before
            ("all", "total", "syria", "2013-06-01", "2014-01-01"),  # ends on 2014's first day
        ),
    )
    assert found.role.tolist() == ["lower", "none", "lower"]
    assert found.outside.tolist() == [False, True, False]
    assert pairs_of(found, 0) == [(0, 0.0, 0.0, 1)]
    assert pairs_of(found, 2) == [(2, 0.0, 0.0, 1), (3, 0.0, 0.0, 1)]
    assert found.low[2] == 0.0
