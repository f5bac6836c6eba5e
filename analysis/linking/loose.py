"""The loose rule: an incident is corroborated at (d, k) when at least one GED event
with civilian deaths lies within d km and k days of it.

Exact and simple on purpose: it is the sensitivity analysis, not the count to
publish. Every candidate pair already has a GED event with civilian deaths
(`analysis.linking.records.ged_events`), so the rule is a filter on the pairs'
distance and date gap. It lets one GED event corroborate any number of incidents,
which is why the strict rule (`analysis.linking.strict`) gives the published counts.
"""

from __future__ import annotations

import pandas as pd

#: The grid of the issue: d in km, k in days.
GRID_KM: tuple[float, ...] = (2.0, 5.0, 10.0, 25.0)
GRID_DAYS: tuple[int, ...] = (0, 1, 2)
#: The cell `links.csv` and `corroborated(rule="loose")` report.
REFERENCE_KM, REFERENCE_DAYS = 10.0, 1


def within(pairs: pd.DataFrame, d_km: float, k_days: int) -> pd.DataFrame:
    """The candidate pairs within `d_km` and `k_days`."""
    return pairs[(pairs["distance_km"] <= d_km) & (pairs["date_gap_days"] <= k_days)]


def grid_flags(pairs: pd.DataFrame, sequences: pd.Series) -> pd.DataFrame:
    """For each incident of `sequences` and each grid cell, whether it is corroborated.

    Columns: `sequence`, `d_km`, `k_days`, `corroborated`; one row per incident and cell.
    """
    frames = []
    for d_km in GRID_KM:
        for k_days in GRID_DAYS:
            hit = sequences.isin(within(pairs, d_km, k_days)["sequence"])
            frames.append(
                pd.DataFrame(
                    {
                        "sequence": sequences.to_numpy(),
                        "d_km": d_km,
                        "k_days": k_days,
                        "corroborated": hit.to_numpy(),
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)
