"""Assignment: which scored pairs become links of the strict rule.

A GED event often tallies several strikes (a day's deaths in one town, or a
multi-day city tally), so it may support several Airwars incidents, but only up to
its civilian deaths: no GED death counts for two incidents.

Rule. Pairs scoring at least the threshold are taken best first: pairs with a GED
event independent of Airwars before the others (an event that copied Airwars'
report is no second source, so an incident's deaths go to an independent event when
one matches, and events resting on Airwars take what is left), then higher match
probability, then shorter distance, then smaller date gap. Each incident needs its
minimum civilian deaths (at least 1; 1 when Airwars gives no count); each event
offers its civilian deaths. A pair is linked when both still have some left: the
event gives min(need left, deaths left) to the incident, and both are reduced by
that. An incident stops taking links once its need is met; an event stops giving
once its deaths are used. So an incident may gather several events (GED splits one
strike by dyad), and an event may support several incidents.

Ties. Pairs equal on all four keys are decided together, from the state before
any of them: when an event cannot give every tied pair what it asks, none of those
pairs is linked (the evidence does not say which incident the deaths belong to).
Nothing depends on the ids, so renumbering the records changes no link.

Known drawbacks. Greedy, not an optimal matching: a pair taken early may use deaths
a later pair needed more. An incident's minimum is Airwars' count, which may itself
be a tally of several strikes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Distances equal to a metre tie.
DISTANCE_DECIMALS = 3
COLUMNS = ("sequence", "ged_id", "match_probability", "distance_km", "date_gap_days")
#: Optional column of `pairs`: the GED event is independent of Airwars (served first).
FIRST = "ged_independent"


def needs(civilians_low: pd.Series) -> pd.Series:
    """Deaths an incident draws from GED: its minimum, at least 1 (1 when unknown)."""
    return civilians_low.astype("Float64").fillna(1).clip(lower=1).astype(float)


def assign(pairs: pd.DataFrame, need: pd.Series, deaths: pd.Series, threshold: float) -> pd.Series:
    """The deaths each of `pairs` (columns `COLUMNS`) is given at `threshold`, on
    `pairs`' index: a pair is a link when it is given more than 0. `need` is indexed
    by sequence, `deaths` by GED id; pairs whose `FIRST` column is True (when there
    is one) are served before the others."""
    allocated = pd.Series(0.0, index=pairs.index)
    above = pairs[pairs["match_probability"] >= threshold]
    if above.empty:
        return allocated
    first = (
        above[FIRST].to_numpy(dtype=float) if FIRST in above else np.zeros(len(above), dtype=float)
    )
    order = np.lexsort(
        (
            above["date_gap_days"].to_numpy(),
            above["distance_km"].round(DISTANCE_DECIMALS).to_numpy(),
            -above["match_probability"].to_numpy(),
            -first,
        )
    )
    ranked = above.iloc[order]
    keys = np.column_stack(
        [
            first[order],
            ranked["match_probability"].to_numpy(dtype=float),
            ranked["distance_km"].round(DISTANCE_DECIMALS).to_numpy(dtype=float),
            ranked["date_gap_days"].to_numpy(dtype=float),
        ]
    )
    starts = np.flatnonzero(np.r_[True, (keys[1:] != keys[:-1]).any(axis=1)])
    ends = np.r_[starts[1:], len(ranked)]
    left = need.to_dict()
    offered = deaths.to_dict()
    sequences = ranked["sequence"].to_numpy()
    ged_ids = ranked["ged_id"].to_numpy()
    given_to_pair = np.zeros(len(ranked), dtype=float)
    for start, end in zip(starts, ends, strict=True):
        asks = {
            i: min(left[sequences[i]], offered[ged_ids[i]])
            for i in range(start, end)
            if left[sequences[i]] > 0 and offered[ged_ids[i]] > 0
        }
        asked: dict[int, float] = {}
        for i, amount in asks.items():
            asked[ged_ids[i]] = asked.get(ged_ids[i], 0.0) + amount
        for i in asks:
            if asked[ged_ids[i]] > offered[ged_ids[i]] + 1e-9:
                continue  # a tie the event's deaths cannot settle
            given_to_pair[i] = asks[i]
        given: dict[int, float] = {}
        for i, amount in asks.items():
            if given_to_pair[i] > 0:
                given[sequences[i]] = given.get(sequences[i], 0.0) + amount
                offered[ged_ids[i]] -= amount
        for sequence, amount in given.items():
            left[sequence] = max(0.0, left[sequence] - amount)
    allocated[ranked.index] = given_to_pair
    return allocated
