"""Candidate pairs: an Airwars incident and a GED event close in time and space.

Definition (issue 13). An incident spanning days [s, e] and a GED event spanning
[gs, ge] are `k` days apart when k >= their *date gap* max(0, gs - e, s - ge): this
is the issue's "GED `date_start` <= incident date + k and `date_end` >= incident
date - k", with an incident's date range in place of its one date. They are `d` km
apart when the haversine distance between their recorded points, on a sphere of
radius 6,371 km, is at most d.

Steps. Every GED event is spread over the days it spans and every incident over the
days [s - k_max, e + k_max]; a merge on the day finds every pair whose spans come
within k_max days, each pair is kept once, and its exact gap and distance are
computed and filtered to k_max and d_max. This is exact, and fast because both
spans are short (GED's longest town-precise event spans about ten months; the merge
grows with the total days spanned, not with the product of the tables).

Known drawbacks. Coordinates are where each source placed an event, often a town's
centre: two records of one strike in a city may lie kilometres apart, and two
strikes on neighbouring villages may lie within a few.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Earth's mean radius, km.
EARTH_RADIUS_KM = 6371.0
#: The widest window any rule uses: the loose grid's largest d and k.
MAX_KM = 25.0
MAX_DAYS = 2

COLUMNS = ("sequence", "ged_id", "distance_km", "date_gap_days")


def haversine_km(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Great-circle distance in km between points given in decimal degrees."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = np.radians(np.asarray(lon2) - np.asarray(lon1)) / 2
    h = np.sin(half_dphi) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _spread(unique_id: np.ndarray, first: np.ndarray, last: np.ndarray) -> pd.DataFrame:
    """One row per (id, day) for every day from `first` to `last`, inclusive."""
    lengths = (last - first + 1).astype("int64")
    ids = np.repeat(unique_id, lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return pd.DataFrame({"unique_id": ids, "day": np.repeat(first, lengths) + offsets})


def candidate_pairs(
    incidents: pd.DataFrame,
    events: pd.DataFrame,
    max_km: float = MAX_KM,
    max_days: int = MAX_DAYS,
) -> pd.DataFrame:
    """Every (incident, event) pair within `max_days` and `max_km`.

    Both inputs are in the shape of `analysis.linking.records`. Columns: `sequence`,
    `ged_id`, `distance_km`, `date_gap_days`; sorted by sequence, then GED id.
    """
    if max_days < 0 or max_km < 0:
        raise ValueError(f"max_days and max_km must be >= 0, found {max_days}, {max_km}")
    left = _spread(
        incidents["unique_id"].to_numpy(),
        incidents["day_start"].to_numpy() - max_days,
        incidents["day_end"].to_numpy() + max_days,
    )
    right = _spread(
        events["unique_id"].to_numpy(),
        events["day_start"].to_numpy(),
        events["day_end"].to_numpy(),
    )
    pairs = (
        left.merge(right, on="day", suffixes=("_l", "_r"))[["unique_id_l", "unique_id_r"]]
        .drop_duplicates()
        .merge(incidents.add_suffix("_l"), on="unique_id_l")
        .merge(events.add_suffix("_r"), on="unique_id_r")
    )
    gap = np.maximum.reduce(
        [
            (pairs["day_start_r"] - pairs["day_end_l"]).to_numpy(),
            (pairs["day_start_l"] - pairs["day_end_r"]).to_numpy(),
            np.zeros(len(pairs), dtype="int64"),
        ]
    )
    distance = haversine_km(
        pairs["latitude_l"].to_numpy(),
        pairs["longitude_l"].to_numpy(),
        pairs["latitude_r"].to_numpy(),
        pairs["longitude_r"].to_numpy(),
    )
    out = pd.DataFrame(
        {
            "sequence": pairs["unique_id_l"].to_numpy(dtype="int64"),
            "ged_id": pairs["unique_id_r"].to_numpy(dtype="int64"),
            "distance_km": distance,
            "date_gap_days": gap.astype("int64"),
        }
    )
    keep = (out["distance_km"] <= max_km) & (out["date_gap_days"] <= max_days)
    return out[keep].sort_values(["sequence", "ged_id"]).reset_index(drop=True)
