"""The loose corroboration rule on hand-made candidate pairs: both edges inclusive, one
row per incident and grid cell."""

from __future__ import annotations

import pandas as pd

from analysis.linking.loose import GRID_DAYS, GRID_KM, grid_flags, within

PAIRS = pd.DataFrame(
    {
        "sequence": [1, 2, 3],
        "distance_km": [2.0, 10.0, 30.0],
        "date_gap_days": [0, 1, 0],
    }
)


def test_within_includes_both_edges() -> None:
    assert within(PAIRS, 2.0, 0)["sequence"].tolist() == [1]
    assert within(PAIRS, 10.0, 1)["sequence"].tolist() == [1, 2]
    assert within(PAIRS, 9.99, 1)["sequence"].tolist() == [1]
    assert within(PAIRS, 10.0, 0)["sequence"].tolist() == [1]


def test_grid_flags_by_hand() -> None:
    flags = grid_flags(PAIRS, pd.Series([1, 2, 3, 4]))
    assert len(flags) == 4 * len(GRID_KM) * len(GRID_DAYS)
    assert flags.index.tolist() == list(range(len(flags)))
    cell = flags[(flags["d_km"] == 10.0) & (flags["k_days"] == 1)]
    assert cell["sequence"].tolist() == [1, 2, 3, 4]
    assert cell["corroborated"].tolist() == [True, True, False, False]
    cell = flags[(flags["d_km"] == 25.0) & (flags["k_days"] == 0)]
    assert cell["corroborated"].tolist() == [True, False, False, False]
