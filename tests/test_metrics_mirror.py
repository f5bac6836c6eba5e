"""Metrics on the real data against figures computed outside the package (the
datasets README) and plain pandas."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import load
from analysis.evidence.tallies import rule_grid
from analysis.metrics import consistency, series

pytestmark = [pytest.mark.mirror, pytest.mark.usefixtures("real_tables")]


def test_grid_reproduces_the_readme_s_fair_russian_sum():
    combos = pd.DataFrame(
        {
            "grading": ["confirmed_fair"],
            "attribution": ["sole"],
            "start": ["2015-09-30"],
            "end": ["2016-09-30"],
        }
    )
    found = rule_grid(load("airwars"), "russia", "civilians", combos).iloc[0]
    # README: Fair RS incidents 536, civilians 2,554-3,588; none Confirmed
    assert (found["incidents"], found["low"], found["high"]) == (536, 2554, 3588)


def test_monthly_series_adds_up_to_the_year():
    table = load("airwars")
    monthly = series.airwars_monthly(table, "russia", "civilians")
    year = monthly[monthly["month"].between("2015-09-01", "2016-09-01")]
    assert (year["low"].sum(), year["high"].sum()) == (2554, 9649)


def test_published_inconsistencies_are_reported():
    report = consistency.report(load("published"))
    parts = report[(report["check"] == "components") & (report["category"] == "civilians")]
    # SOHR's three-year parts: 1,936 + 1,199 + 4,753 = 7,888 against 7,988 stated
    assert ((parts["expected"] == 7988) & (parts["found"] == 7888)).any()
