"""Dated events drawn on timelines: the start of Russia's strikes and the truces.

Hand-curated from widely reported dates (UN Security Council resolutions, US-Russia
joint statements); each is a day, not a figure, and none enters any tally. The
labels are this package's own short wording.

Known drawbacks. A ceasefire "start" or "collapse" is a date on paper; fighting in
places never stopped and elsewhere paused before or after it.
"""

from __future__ import annotations

import pandas as pd

_EVENTS: tuple[tuple[str, str], ...] = (
    ("2015-09-30", "Russian strikes begin"),
    ("2016-02-27", "Cessation of hostilities"),
    ("2016-09-12", "US-Russia ceasefire"),
    ("2016-09-19", "Ceasefire collapses"),
    ("2016-12-22", "East Aleppo evacuated"),
    ("2016-12-30", "Nationwide truce"),
    ("2017-05-06", "De-escalation zones"),
)


def events(start: str | pd.Timestamp, end: str | pd.Timestamp) -> pd.DataFrame:
    """Events dated within [start, end]: columns `date` (datetime64), `label`."""
    table = pd.DataFrame(_EVENTS, columns=["date", "label"])
    table["date"] = pd.to_datetime(table["date"])
    inside = table["date"].between(pd.Timestamp(start), pd.Timestamp(end))
    return table[inside].reset_index(drop=True)
