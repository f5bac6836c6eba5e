"""Queries and answers of the evidence engine (`analysis.evidence.answer`) by hand: a
window's fit at its edges, each role's ends, who a country-wide count speaks for."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from fixtures.claims.answers import query_frame

from analysis.evidence.answer import QUERY_COLUMNS, Answer, Queries, by_key, everyone_in_syria, span
from analysis.evidence.pairs import Contributions


def test_queries_keep_the_query_columns_renumbered_and_their_days():
    frame = query_frame(("all", "total", "syria", "1970-01-02", "1970-01-05"))
    frame["claim_id"] = "A1"
    frame.index = [7]
    found = Queries.of(frame)
    assert list(found.frame.columns) == list(QUERY_COLUMNS)
    assert found.frame.index.tolist() == [0]
    assert found.first.tolist() == [1] and found.last.tolist() == [4]
    assert len(found) == 1
    column = found.column("area")
    assert column.dtype == object and column.tolist() == ["syria"]


def test_queries_without_a_column_are_refused_naming_it():
    frame = query_frame(("all", "total", "syria", "2016-01-01", "2016-01-05")).drop(columns="area")
    with pytest.raises(ValueError, match=r"^queries lack column\(s\) \['area'\]; expected \("):
        Queries.of(frame)


def test_fit_is_whole_part_or_outside_edges_included():
    queries = Queries.of(
        query_frame(
            ("all", "total", "syria", "2016-01-01", "2016-12-31"),  # the window exactly
            ("all", "total", "syria", "2015-12-31", "2016-06-01"),  # a day before
            ("all", "total", "syria", "2016-06-01", "2017-01-01"),  # a day after
            ("all", "total", "syria", "2015-01-01", "2015-12-31"),  # ends the day before
            ("all", "total", "syria", "2017-01-01", "2017-01-09"),  # starts the day after
            ("all", "total", "syria", "2015-01-01", "2016-01-01"),  # touches the first day
            ("all", "total", "syria", "2016-12-31", "2017-02-01"),  # touches the last day
        )
    )
    fit = queries.fit(pd.Timestamp("2016-01-01"), pd.Timestamp("2016-12-31"))
    assert fit.dtype == object
    assert fit.tolist() == ["whole", "part", "part", "outside", "outside", "part", "part"]


def test_answer_ends_are_the_sums_each_role_reads():
    pairs = Contributions(
        "s",
        np.array([0, 0, 1, 2, 3]),
        np.array([0, 1, 0, 0, 0]),
        np.array([1.0, 2.0, 4.0, 8.0, 16.0]),
        np.array([10.0, 20.0, 40.0, 80.0, 160.0]),
        np.zeros(5, dtype="int16"),
        ("r",),
        ("low and high",),
    )
    role = np.array(["both", "lower", "upper", "none", "both"], dtype=object)
    basis = np.array(["a", "b", "c", "d", "e"], dtype=object)
    outside = np.array([False, False, False, True, False])
    found = Answer.from_pairs("s", role, basis, "cover", outside, pairs)
    assert found.low[:3].tolist() == [3.0, 4.0, 0.0]
    assert found.high[:3].tolist() == [30.0, math.inf, 80.0]
    assert math.isnan(found.low[3]) and math.isnan(found.high[3])
    assert (found.low[4], found.high[4]) == (0.0, 0.0)  # no pairs: an empty sum
    assert (found.source, found.coverage, found.contributions) == ("s", "cover", pairs)
    assert found.basis is basis and found.outside is outside and found.role is role


def test_a_country_wide_count_of_all_dead_speaks_for_everyone_in_syria_only():
    queries = Queries.of(
        query_frame(
            ("all", "total", "syria", "2016-01-01", "2016-01-02"),
            ("all", "people", "syria", "2016-01-01", "2016-01-02"),
            ("russia", "total", "syria", "2016-01-01", "2016-01-02"),
            ("all", "civilians", "syria", "2016-01-01", "2016-01-02"),
            ("all", "total", "aleppo", "2016-01-01", "2016-01-02"),
            ("all", "total", "syria", "2016-01-01", "2016-01-02"),
        )
    )
    fit = np.array(["whole", "part", "whole", "whole", "whole", "outside"], dtype=object)
    assert everyone_in_syria(queries, fit).tolist() == [True, True, False, False, False, False]


def test_span_and_by_key_words():
    assert span(pd.Timestamp("2016-01-01 13:00"), pd.Timestamp("2017-02-03")) == (
        "2016-01-01 to 2017-02-03"
    )
    found = by_key([("a", 1), ("b", 2), ("a", 1)], {("a", 1): "x", ("b", 2): "y"})
    assert found.dtype == object and found.tolist() == ["x", "y", "x"]
