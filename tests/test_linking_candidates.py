"""Candidate pairs at their edges: the haversine distance against the spherical law
of cosines and at antipodes, a pair exactly at the distance limit, the days each
record is spread over, the output's columns and types, and bad limits refused."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.linking import candidates

DAY0 = np.datetime64("2016-03-01", "D").astype("int64")


def _records(rows: list[tuple[int, int, int, float, float]]) -> pd.DataFrame:
    """(id, first day offset, last day offset, latitude, longitude)."""
    return pd.DataFrame(
        {
            "unique_id": np.array([r[0] for r in rows], dtype="int64"),
            "day_start": [DAY0 + r[1] for r in rows],
            "day_end": [DAY0 + r[2] for r in rows],
            "latitude": [r[3] for r in rows],
            "longitude": [r[4] for r in rows],
        }
    )


def _law_of_cosines(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    cosine = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return candidates.EARTH_RADIUS_KM * math.acos(max(-1.0, min(1.0, cosine)))


@pytest.mark.parametrize(
    "points",
    [
        (33.5138, 36.2765, 36.2021, 37.1343),  # Damascus, Aleppo
        (36.0, 36.0, 35.2, 38.5),  # both coordinates differ, latitudes far apart
        (10.0, -20.0, 60.0, 40.0),
    ],
)
def test_haversine_agrees_with_the_law_of_cosines(points) -> None:
    lat1, lon1, lat2, lon2 = points
    found = candidates.haversine_km(
        np.array([lat1]), np.array([lon1]), np.array([lat2]), np.array([lon2])
    )
    assert found[0] == pytest.approx(_law_of_cosines(*points), rel=1e-9)


def test_antipodes_are_half_the_circumference_apart() -> None:
    # rounding takes the haversine's h a hair above 1 here; it must not become NaN
    found = candidates.haversine_km(
        np.array([-87.5, 0.0]),
        np.array([0.0, 10.0]),
        np.array([87.5, 0.0]),
        np.array([180.0, -170.0]),
    )
    assert found == pytest.approx([math.pi * candidates.EARTH_RADIUS_KM] * 2, rel=1e-12)


def test_a_pair_exactly_at_the_distance_limit_is_kept() -> None:
    incidents = _records([(1, 0, 0, 35.0, 36.0)])
    events = _records([(10, 0, 0, 35.07, 36.05)])
    km = candidates.haversine_km(
        np.array([35.0]), np.array([36.0]), np.array([35.07]), np.array([36.05])
    )
    found = candidates.candidate_pairs(incidents, events, max_km=float(km[0]), max_days=0)
    assert found["ged_id"].tolist() == [10]
    assert candidates.candidate_pairs(
        incidents, events, max_km=float(km[0]) * 0.999, max_days=0
    ).empty


def test_zero_limits_keep_the_same_place_and_day() -> None:
    incidents = _records([(1, 0, 0, 35.0, 36.0)])
    events = _records([(10, 0, 0, 35.0, 36.0), (11, 1, 1, 35.0, 36.0), (12, 0, 0, 35.001, 36.0)])
    found = candidates.candidate_pairs(incidents, events, max_km=0, max_days=0)
    assert found["ged_id"].tolist() == [10]
    assert candidates.candidate_pairs(incidents, events, max_km=0.5, max_days=0)[
        "ged_id"
    ].tolist() == [
        10,
        12,
    ]


@pytest.mark.parametrize(("max_km", "max_days"), [(-1.0, 0), (0.0, -1), (-0.5, -2)])
def test_negative_limits_are_refused(max_km: float, max_days: int) -> None:
    records = _records([(1, 0, 0, 35.0, 36.0)])
    with pytest.raises(ValueError, match=rf"must be >= 0, found {max_days}, {max_km}"):
        candidates.candidate_pairs(records, records, max_km=max_km, max_days=max_days)


def test_each_record_is_spread_over_exactly_its_days() -> None:
    spread = candidates._spread(
        np.array([7, 8, 9]), np.array([100, 50, 10]), np.array([102, 50, 13])
    )
    expected = [(7, d) for d in range(100, 103)] + [(8, 50)] + [(9, d) for d in range(10, 14)]
    assert list(zip(spread["unique_id"], spread["day"], strict=True)) == expected


def test_pairs_come_sorted_with_the_documented_columns_and_types() -> None:
    incidents = _records([(2, 0, 0, 35.0, 36.0), (1, 0, 3, 35.0, 36.0)])
    events = _records([(20, 1, 1, 35.0, 36.0), (10, 0, 0, 35.0, 36.01)])
    found = candidates.candidate_pairs(incidents, events)
    assert tuple(found.columns) == candidates.COLUMNS
    assert found.index.tolist() == [0, 1, 2, 3]
    assert list(zip(found["sequence"], found["ged_id"], strict=True)) == [
        (1, 10),
        (1, 20),
        (2, 10),
        (2, 20),
    ]
    assert found["date_gap_days"].tolist() == [0, 0, 0, 1]
    assert found[["sequence", "ged_id", "date_gap_days"]].dtypes.tolist() == ["int64"] * 3
