"""The pair machinery of the evidence engine (`analysis.evidence.pairs`) on hand-made
inputs: which (query, record) pairs overlap, at the edge between short and long
records and across blocks of queries, and how pairs are summed, cut, cited and
joined. Every expected value is worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.evidence.pairs import NAT, SHORT_DAYS, Contributions, days, expand_runs, overlapping

REASONS = ("in", "out")
ENDS = ("low", "neither")


def _pairs(query: np.ndarray, record: np.ndarray) -> list[tuple[int, int]]:
    return list(zip(query.tolist(), record.tolist(), strict=True))


def test_days_counts_whole_days_since_1970_and_nat_is_the_smallest_int():
    found = days(pd.Series(pd.to_datetime(["1970-01-02 23:59", "1969-12-31 00:00", None])))
    assert found.tolist() == [1, -1, NAT]
    assert found.dtype == np.int64
    assert np.iinfo("int64").min == NAT


def test_expand_runs_lists_each_run_s_positions_in_order():
    owner, position = expand_runs(np.array([2, 5, 0, 3]), np.array([4, 5, 3, 1]))
    assert owner.tolist() == [0, 0, 2, 2, 2]  # run 1 is empty, run 3 runs backwards
    assert position.tolist() == [2, 3, 0, 1, 2]


def test_overlapping_at_the_short_and_long_edge_and_with_undated_records():
    assert SHORT_DAYS == 31
    # r0 one day; r1 spans 31 days (short); r2 spans 32 (long); r3 undated; r4 short;
    # r5 long and covering everything
    first = np.array([10, 5, 0, NAT, 40, -100])
    last = np.array([10, 36, 32, 50, 45, 100])
    q_first = np.array([36, 33, 0, 45, 10, 101, 37])
    q_last = np.array([36, 39, 4, 50, 10, 200, 39])
    query, record = overlapping(first, last, q_first, q_last)
    assert _pairs(query, record) == [
        (0, 1), (0, 5),  # r1's last day; r2 ended on day 32
        (1, 1), (1, 5),
        (2, 2), (2, 5),  # r2 starts on the query's first day; r1 starts after it ends
        (3, 4), (3, 5),  # r4's last day; r3 is undated
        (4, 0), (4, 1), (4, 2), (4, 5),
        (6, 5),  # r1 ended on day 36, r4 starts on 40
    ]  # fmt: skip


def test_overlapping_compares_long_records_with_every_block_of_queries():
    n = 5000  # more than one block of 4096 queries
    q = np.arange(n)
    first, last = np.array([4090, 4990]), np.array([4200, 4991])
    query, record = overlapping(first, last, q, q)
    assert _pairs(query, record) == [
        *((i, 0) for i in range(4090, 4201)),
        (4990, 1),
        (4991, 1),
    ]


def _contributions(**extra: np.ndarray) -> Contributions:
    return Contributions(
        "s",
        np.array([2, 0, 2]),
        np.array([1, 0, 2]),
        np.array([1.5, 2.0, 4.0]),
        np.array([0.0, 3.0, 1.0]),
        np.array([0, 1, 0], dtype="int16"),
        REASONS,
        ENDS,
        dict(extra),
    )


def test_sums_add_each_query_s_pairs_and_give_every_query_a_sum():
    lows, highs = _contributions().sums(4)
    assert lows.tolist() == [2.0, 0.0, 5.5, 0.0]
    assert highs.tolist() == [3.0, 0.0, 1.0, 0.0]
    assert len(_contributions()) == 3


def test_take_keeps_the_chosen_pairs_in_every_array():
    found = _contributions(rank=np.array([7, 8, 9])).take(np.array([True, False, True]))
    assert (found.source, found.reasons, found.ends) == ("s", REASONS, ENDS)
    assert found.query.tolist() == [2, 2]
    assert found.record.tolist() == [1, 2]
    assert found.low.tolist() == [1.5, 4.0]
    assert found.high.tolist() == [0.0, 1.0]
    assert found.why.tolist() == [0, 0]
    assert found.extra["rank"].tolist() == [7, 9]
    assert _contributions().take(slice(1, 2)).record.tolist() == [0]


def test_cited_codes_each_pair_s_record_cites_with_unknown_for_missing():
    cites = pd.Series(["sn|vdc", None, "airwars"])  # records 0, 1, 2
    found = _contributions().cited(cites)
    assert found.cite_sets == ("airwars", "sn|vdc", "unknown")
    assert found.extra["cites"].tolist() == [2, 1, 0]
    assert found.extra["cites"].dtype == np.int32
    assert found.cites().tolist() == ["unknown", "sn|vdc", "airwars"]
    assert found.cites().dtype == object  # Python strings, as the docstring says
    assert found.take(np.array([1])).cite_sets == found.cite_sets
    with pytest.raises(ValueError, match=r"^s: contributions carry no cites; call cited\(\) first"):
        _contributions().cites()


def test_empty_has_no_pairs_and_the_dtypes_of_real_ones():
    found = Contributions.empty("s", REASONS, ENDS)
    assert (found.source, found.reasons, found.ends) == ("s", REASONS, ENDS)
    assert len(found) == 0 and found.extra == {} and found.cite_sets == ()
    arrays = (found.query, found.record, found.low, found.high, found.why)
    assert [a.dtype for a in arrays] == [np.int64, np.int64, np.float64, np.float64, np.int16]
    assert [len(a) for a in arrays] == [0] * 5


def test_concat_joins_parts_sorted_by_query_then_record():
    a = _contributions(rank=np.array([7, 8, 9]))
    b = Contributions(
        "other",
        np.array([1, 0]),
        np.array([5, 3]),
        np.array([9.0, 8.0]),
        np.array([0.0, 0.0]),
        np.array([1, 1], dtype="int16"),
        ("x",),
        ("y",),
        {"rank": np.array([1, 2])},
    )
    empty = Contributions.empty("s", REASONS, ENDS)
    found = Contributions.concat([empty, a, b], "joined", REASONS, ENDS)
    assert (found.source, found.reasons, found.ends) == ("joined", REASONS, ENDS)
    assert _pairs(found.query, found.record) == [(0, 0), (0, 3), (1, 5), (2, 1), (2, 2)]
    assert found.low.tolist() == [2.0, 8.0, 9.0, 1.5, 4.0]
    assert found.high.tolist() == [3.0, 0.0, 0.0, 0.0, 1.0]
    assert found.why.tolist() == [1, 1, 1, 0, 0]
    assert found.extra["rank"].tolist() == [8, 2, 1, 7, 9]
    assert found.cite_sets == ()
    nothing = Contributions.concat([empty, empty], "joined", REASONS, ENDS)
    assert len(nothing) == 0 and nothing.source == "joined" and nothing.reasons == REASONS
    assert nothing.ends == ENDS


def test_concat_keeps_cites_from_one_table_and_refuses_two():
    cites = pd.Series(["a", "b", "c", "d", "e", "f"])
    a, b = _contributions().cited(cites), _contributions().cited(cites)
    found = Contributions.concat([a, b], "s", REASONS, ENDS)
    assert found.cite_sets == ("a", "b", "c", "d", "e", "f")
    assert found.cites().tolist() == ["a", "a", "b", "b", "c", "c"]
    other = _contributions().cited(pd.Series(["z", "y", "x"]))
    with pytest.raises(ValueError, match=r"^s: cannot join pairs cited from different tables$"):
        Contributions.concat([a, other], "s", REASONS, ENDS)
