"""Published figures beside claims (`analysis.evidence.published`) on a hand-made table:
which figures are near enough to a claim (31 days at each end, inclusive), in what
order, with what range and words."""

from __future__ import annotations

import math

import pandas as pd

from analysis.evidence.published import COLUMNS, context, empty

CLAIM = ("russia", "civilians", "syria", "2016-01-01", "2016-12-31", "sohr")


def _claims(*rows: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows, columns=["perpetrator", "category", "area", "start", "end", "source"]
    )
    frame["period_start"] = pd.to_datetime(frame.pop("start")).astype("datetime64[ns]")
    frame["period_end"] = pd.to_datetime(frame.pop("end")).astype("datetime64[ns]")
    frame["claim_id"] = [f"C{i}" for i in range(len(frame))]
    # an index named like an output column: context must read claims by position only
    return frame.set_index(pd.Index([10 * (i + 1) for i in range(len(frame))], name="query"))


def _figures() -> pd.DataFrame:
    rows = [
        # id, perpetrator, category, start, end, figure, qualifier, monitor, publisher, kind
        (
            "P2",
            "russia",
            "civilians",
            "2016-01-01",
            "2016-12-31",
            100,
            "exact",
            "sohr",
            "wire A",
            "count",
        ),
        (
            "P1",
            "russia",
            "civilians",
            "2015-12-01",
            "2017-01-31",
            50,
            "at_least",
            "sn",
            "wire B",
            "min",
        ),
        ("P3", "russia", "civilians", "2015-11-30", "2016-12-31", 7, "exact", "sohr", "w", "count"),
        ("P4", "russia", "civilians", "2016-01-01", "2017-02-01", 8, "exact", "sohr", "w", "count"),
        (
            "P5",
            "russia",
            "civilians",
            "2016-01-01",
            "2016-12-31",
            None,
            "exact",
            "sohr",
            "w",
            "count",
        ),
        ("P6", "all", "civilians", "2016-01-01", "2016-12-31", 9, "exact", "sohr", "w", "count"),
        ("P7", "russia", "children", "2016-01-01", "2016-12-31", 10, "exact", "sohr", "w", "count"),
        (
            "P8",
            "russia",
            "civilians",
            "2016-01-01",
            "2016-12-31",
            300,
            "up_to",
            "vdc",
            "w",
            "estimate",
        ),
    ]
    columns = ["figure_id", "perpetrator", "category", "start", "end", "figure", "qualifier"]
    frame = pd.DataFrame(rows, columns=[*columns, "monitor", "publisher", "kind"])
    frame["period_start"] = pd.to_datetime(frame.pop("start")).astype("datetime64[ns]")
    frame["period_end"] = pd.to_datetime(frame.pop("end")).astype("datetime64[ns]")
    frame["figure"] = frame["figure"].astype(float)
    frame["area"] = "syria"
    frame["source"] = "a report"  # the figure's own source column, not the claim's
    return frame


def test_context_lists_figures_within_31_days_at_both_ends_by_claim_then_figure_id():
    other = ("all", "civilians", "syria", "2016-01-01", "2016-12-31", "sn")
    found = context(_claims(CLAIM, ("turkey", *CLAIM[1:]), other), _figures())
    assert list(found.columns) == list(COLUMNS)
    assert found.index.equals(pd.RangeIndex(4))
    assert found["query"].tolist() == [0, 0, 0, 2]
    assert found["record"].tolist() == [1, 0, 7, 5]
    assert found["source"].tolist() == [
        "published:P1",
        "published:P2",
        "published:P8",
        "published:P6",
    ]
    assert found["low"].tolist() == [50.0, 100.0, 0.0, 9.0]
    assert found["high"].tolist() == [math.inf, 100.0, 300.0, 9.0]
    assert found["basis"].tolist() == [
        "sn via wire B, minimum (at least): a monitor's published figure, context not evidence",
        "sohr via wire A, documented count (exact): the claim's own monitor's published "
        "figure, context not evidence",
        "vdc via w, estimate of the total (up to): a monitor's published figure, context "
        "not evidence",
        "sohr via w, documented count (exact): a monitor's published figure, context not evidence",
    ]
    assert found["coverage"].tolist() == [
        "2015-12-01 to 2017-01-31",
        "2016-01-01 to 2016-12-31",
        "2016-01-01 to 2016-12-31",
        "2016-01-01 to 2016-12-31",
    ]
    assert found["query"].dtype == "int64" and found["record"].dtype == "int64"


def test_no_near_figure_gives_no_rows_and_empty_has_the_columns():
    found = context(_claims(("turkey", *CLAIM[1:])), _figures())
    assert len(found) == 0
    nothing = empty()
    assert list(nothing.columns) == list(COLUMNS) and len(nothing) == 0
    assert [str(t) for t in nothing.dtypes] == ["int64", "int64", *["object"] * 5]
