"""The Airwars rule of the evidence engine on hand-made incidents with an end date:
one whose end precedes its start (as Airwars' RS2053 does) and one that starts before
the period and ends inside it."""

from __future__ import annotations

import pandas as pd
import pytest
from fixtures.claims.tables import airwars_small

from analysis.evidence.airwars import LEDGER, RuleSet
from analysis.evidence.tallies import tallies


@pytest.fixture(scope="module")
def incidents() -> pd.DataFrame:
    table = airwars_small()
    ends = {1: "2015-10-03", 2: "2015-10-12"}  # sequence 2 ends before it starts
    table["date_end"] = pd.to_datetime(table["sequence"].map(ends)).astype("datetime64[ns]")
    return table


def _tally(table: pd.DataFrame, start: str, end: str, rules: RuleSet = LEDGER) -> pd.Series:
    query = pd.DataFrame(
        {
            "key": ["q"],
            "perpetrator": ["russia"],
            "category": ["civilians"],
            "area": ["syria"],
            "period_start": [pd.Timestamp(start)],
            "period_end": [pd.Timestamp(end)],
        }
    )
    return tallies(table, query, rules).table.iloc[0]


def test_an_incident_ending_before_it_starts_counts_on_its_start_date(incidents) -> None:
    # sequence 2: Confirmed, sole Russia, 5 to 5 civilians, dated 2015-10-15
    found = _tally(incidents, "2015-10-15", "2015-10-15")
    assert (found["low"], found["high"], found["incidents_low"]) == (5, 5, 1)
    assert _tally(incidents, "2015-10-15", "2015-10-15", RuleSet(edge="overlap"))["low"] == 5
    # its (inverted) end date does not stretch it back into an earlier period
    found = _tally(incidents, "2015-10-12", "2015-10-14", RuleSet(edge="overlap"))
    assert (found["low"], found["high"]) == (0, 0)


def test_an_incident_starting_before_the_period_counts_only_by_overlap(incidents) -> None:
    # sequence 1: Fair, sole Russia, 2 to 4 civilians, 2015-10-01 to 2015-10-03
    by_start = _tally(incidents, "2015-10-02", "2015-10-14")
    assert (by_start["low"], by_start["high"], by_start["incidents_high"]) == (0, 0, 0)
    by_overlap = _tally(incidents, "2015-10-02", "2015-10-14", RuleSet(edge="overlap"))
    assert (by_overlap["low"], by_overlap["high"], by_overlap["incidents_low"]) == (2, 4, 1)
    # the day after its end it is not looked at
    assert _tally(incidents, "2015-10-04", "2015-10-14", RuleSet(edge="overlap"))["high"] == 0


def test_a_period_of_one_day_counts_the_incidents_that_start_on_it(incidents) -> None:
    # sequences 1 (2..4) and, with no end date, nothing else start on 2015-10-01
    found = _tally(incidents, "2015-10-01", "2015-10-01")
    assert (found["low"], found["high"]) == (2, 4)
    found = _tally(incidents, "2015-10-16", "2015-10-19")
    assert (found["low"], found["high"]) == (0, 0)
