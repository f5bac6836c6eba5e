"""The evidence engine against the per-claim path it replaced (tests/reference), and
its contributions against their sums.

Claims are drawn with hypothesis over the whole vocabulary (every perpetrator,
category, area and qualifier) with periods inside, across and outside each
source's window, a few at a time: each claim's answer must equal the reference's
for that claim alone (so no claim depends on the others in its file), and so must
the records behind each number, exactly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache

import numpy as np
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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference.contributions import answers

from analysis import evidence
from analysis.evidence.pairs import expand_runs, overlapping
from analysis.vocabulary import AREAS, CATEGORIES, PERPETRATORS, QUALIFIERS

#: Days near the sources' window edges, where off-by-one mistakes would show.
EDGES = [
    "2011-03-14", "2011-03-18", "2014-09-23", "2015-09-29", "2015-09-30", "2015-12-31",
    "2016-01-01", "2016-07-20", "2016-07-21", "2016-09-19", "2016-09-30", "2017-12-31",
    "2018-01-14", "2019-11-30", "2019-12-01", "2022-12-31", "2023-01-01",
]  # fmt: skip
DAY = pd.Timedelta(days=1)


@st.composite
def claims(draw: st.DrawFn, most: int = 6) -> pd.DataFrame:
    """A few claims over the whole vocabulary; periods start near a window edge or
    anywhere from 2010 to 2024 and last from a day to six years."""
    n = draw(st.integers(1, most))
    rows = []
    for i in range(n):
        start = draw(
            st.one_of(
                st.sampled_from(EDGES).map(pd.Timestamp),
                st.dates(pd.Timestamp("2010-01-01").date(), pd.Timestamp("2024-12-31").date()).map(
                    pd.Timestamp
                ),
            )
        )
        length = draw(st.sampled_from([0, 1, 6, 7, 13, 30, 91, 365, 366, 1000, 2200]))
        rows.append(
            {
                "claim_id": f"H{i}",
                "statement": "drawn",
                "source": draw(st.sampled_from(["SOHR", "Airwars", "VDC", "UCDP", "none"])),
                "period_start": start,
                "period_end": start + length * DAY,
                "perpetrator": draw(st.sampled_from(PERPETRATORS)),
                "category": draw(st.sampled_from(CATEGORIES)),
                "area": draw(st.sampled_from(AREAS)),
                "figure": float(draw(st.integers(0, 500_000))),
                "qualifier": draw(st.sampled_from(QUALIFIERS)),
            }
        )
    return pd.DataFrame(rows)


@cache
def fixture_tables() -> dict[str, pd.DataFrame]:
    """The fixture tables, made once (neither engine nor reference changes them)."""
    return {
        "airwars": airwars_small(),
        "ucdp_ged": ged_small(),
        "ucdp_brd": brd_small(),
        "vdc_weekly": vdc_small(),
        "vdc_daily": vdc_daily_small(),
        "published": published_small(),
    }


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


def assert_matches_reference(batch: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> int:
    """Engine and reference agree on every claim of the batch; returns the number of
    (claim, source) answers compared."""
    found = evidence.answer(batch, tables)
    compared = 0
    for i, claim in batch.iterrows():
        for expected, records in answers(claim, tables):
            if expected.role == "context":
                continue
            got = found.answers[expected.source]
            where = f"claim {i} {dict(claim)} source {expected.source}"
            assert got.role[i] == expected.role, where
            assert _same(got.low[i], expected.low) and _same(got.high[i], expected.high), where
            assert got.basis[i] == expected.basis, where
            assert got.coverage == expected.coverage, where
            pairs = got.contributions.take(got.contributions.query == i)
            if records is None:
                assert len(pairs) == 0, where
                continue
            mine = pd.DataFrame({"record": pairs.record, "low": pairs.low, "high": pairs.high})
            pd.testing.assert_frame_equal(
                mine.reset_index(drop=True), records.reset_index(drop=True), obj=where
            )
            compared += 1
    return compared


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=claims())
def test_engine_equals_the_per_claim_reference_on_fixture_tables(batch: pd.DataFrame) -> None:
    assert_matches_reference(batch, fixture_tables())


@pytest.fixture(scope="module")
def real(real_tables: None) -> dict[str, pd.DataFrame]:
    from analysis.claims.ledger import load_tables

    return load_tables()


@pytest.mark.mirror
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(batch=claims(most=8))
def test_engine_equals_the_per_claim_reference_on_real_data(
    real: dict[str, pd.DataFrame], batch: pd.DataFrame
) -> None:
    assert_matches_reference(batch, real)


@pytest.mark.mirror
def test_engine_equals_the_reference_on_the_article_s_claims(real) -> None:
    from analysis import paths
    from analysis.claims.format import read_claims

    compared = assert_matches_reference(read_claims(paths.ARTICLE_CLAIMS), real)
    assert compared == 15  # every source that speaks for A1..A9 (see the ledger)


# -- the pair machinery ---------------------------------------------------------------


@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=40),
    st.lists(st.tuples(st.integers(-5, 70), st.integers(0, 40)), min_size=1, max_size=20),
)
def test_overlapping_finds_exactly_the_overlapping_pairs(records, queries) -> None:
    first = np.array([a for a, _ in records], dtype="int64")
    last = first + np.array([n for _, n in records], dtype="int64")
    q_first = np.array([a for a, _ in queries], dtype="int64")
    q_last = q_first + np.array([n for _, n in queries], dtype="int64")
    qi, ri = overlapping(first, last, q_first, q_last)
    expected = sorted(
        (q, r)
        for q in range(len(queries))
        for r in range(len(records))
        if first[r] <= q_last[q] and last[r] >= q_first[q]
    )
    assert list(zip(qi.tolist(), ri.tolist(), strict=True)) == expected


@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 5)), max_size=30))
def test_expand_runs_lists_every_position_of_every_run(runs) -> None:
    first = np.array([a for a, _ in runs], dtype="int64")
    last = first + np.array([n for _, n in runs], dtype="int64")
    owner, position = expand_runs(first, last)
    expected = [(i, p) for i, (a, n) in enumerate(runs) for p in range(a, a + n)]
    assert list(zip(owner.tolist(), position.tolist(), strict=True)) == expected
