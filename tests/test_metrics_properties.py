"""Invariants of the metrics on random Airwars-like tables (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.evidence.tallies import incident_rows, rule_grid, tally
from analysis.intervals import Interval
from analysis.metrics import airwars, series, shares
from analysis.vocabulary import GRADINGS

BELLIGERENTS = [
    "russia",
    "us_led_coalition",
    "russia|iran",
    "syrian_government|russia",
    "turkey",
    "iran",
]
FIRST = pd.Timestamp("2015-09-01")

incident = st.tuples(
    st.sampled_from(BELLIGERENTS),
    st.one_of(st.none(), st.integers(0, 500)),  # day offset, None = undated
    st.one_of(st.none(), st.sampled_from(GRADINGS)),
    st.one_of(st.none(), st.integers(0, 50)),  # minimum
    st.one_of(st.none(), st.integers(0, 50)),  # maximum
)


def table_of(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "sequence": range(1, len(rows) + 1),
            "belligerents": pd.array([r[0] for r in rows], dtype="string"),
            "date": pd.to_datetime(
                [FIRST + pd.Timedelta(days=r[1]) if r[1] is not None else None for r in rows]
            ).astype("datetime64[ns]"),
            "grading": pd.Categorical([r[2] for r in rows], categories=GRADINGS, ordered=True),
            "civilians_killed_min": pd.array([r[3] for r in rows], dtype="Int64"),
            "civilians_killed_max": pd.array([r[4] for r in rows], dtype="Int64"),
            "governorate": pd.array(["aleppo"] * len(rows), dtype="string"),
            "latitude": 36.2,
            "longitude": 37.18,
        }
    )
    frame["date_end"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    for stem in ("children_killed", "women_killed", "men_killed", "civilians_injured"):
        for end in ("min", "max"):
            frame[f"{stem}_{end}"] = pd.array([None] * len(frame), dtype="Int64")
    return frame


tables = st.lists(incident, min_size=1, max_size=40).map(table_of)
perpetrators = st.sampled_from(list(airwars.PERPETRATOR_CODES))
fast = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(tables, perpetrators, st.integers(0, 500), st.integers(0, 200))
def test_low_never_exceeds_high(table, perpetrator, offset, length):
    start = FIRST + pd.Timedelta(days=offset)
    found = tally(table, perpetrator, "civilians", start, start + pd.Timedelta(days=length))
    assert 0 <= found.low <= found.high


@fast
@given(tables, perpetrators, st.integers(0, 16), st.integers(0, 6))
def test_a_period_of_whole_months_is_the_sum_of_its_months(table, perpetrator, first, months):
    start = (FIRST + pd.DateOffset(months=first)).normalize()
    end = start + pd.DateOffset(months=months + 1) - pd.Timedelta(days=1)
    whole = tally(table, perpetrator, "civilians", start, end)
    monthly = series.airwars_monthly(table, perpetrator, "civilians")
    chosen = monthly[monthly["month"].between(start, end)]
    assert chosen["low"].sum() == whole.low
    assert chosen["high"].sum() == whole.high


@fast
@given(tables, perpetrators)
def test_tallies_never_drop_rows_silently(table, perpetrator):
    rows = incident_rows(table, perpetrator, "civilians", "2000-01-01", "2100-01-01")
    named = airwars.attribution(table, perpetrator, "shared")
    assert rows["record"].tolist() == list(np.flatnonzero(named & table["date"].notna()))
    assert rows["in_scope"].all()
    monthly = series.airwars_monthly(table, perpetrator, "civilians")
    counted = named & airwars.grading_mask(table, "all_but_discounted")
    assert monthly["incidents_high"].sum() == (counted & table["date"].notna()).sum()
    assert monthly.attrs["undated"] == (named & table["date"].isna()).sum()


@fast
@given(
    tables,
    st.lists(
        st.tuples(
            st.sampled_from(list(airwars.GRADING_RULES)),
            st.sampled_from(airwars.ATTRIBUTION_RULES),
            st.integers(0, 500),
            st.integers(0, 300),
        ),
        min_size=1,
        max_size=8,
    ),
)
def test_grid_equals_a_plain_filter(table, combos):
    grid = pd.DataFrame(
        [
            {
                "grading": g,
                "attribution": a,
                "start": FIRST + pd.Timedelta(days=s),
                "end": FIRST + pd.Timedelta(days=s + n),
            }
            for g, a, s, n in combos
        ]
    )
    found = rule_grid(table, "russia", "civilians", grid)
    low, high = airwars.incident_range(table, "civilians")
    for i, row in grid.iterrows():
        mask = (
            airwars.grading_mask(table, row["grading"])
            & airwars.attribution(table, "russia", row["attribution"])
            & table["date"].between(row["start"], row["end"])
        )
        assert found.loc[i, "incidents"] == mask.sum()
        assert found.loc[i, "low"] == low[mask].sum()
        assert found.loc[i, "high"] == high[mask].sum()


counts = st.integers(0, 10_000)


@given(counts, counts, counts, counts)
def test_shares_stay_within_zero_and_one(a, b, c, d):
    part, whole = Interval(min(a, b), max(a, b)), Interval(min(c, d), max(c, d))
    found = shares.share(part, whole)
    assert 0 <= found.low <= found.high <= 1
    dwi = shares.dirty_war_index(part, part, whole)
    assert 0 <= dwi.low <= dwi.high <= 100
