"""Whether a link corroborates Airwars with another source or with Airwars' own reports.

Why. UCDP GED builds some of its Syria events from Airwars itself. A GED event whose
only source is Airwars "corroborates" an Airwars incident with Airwars' own report:
that is circular, not a second source. Each linked GED event is classed by its
`cites` (the monitors its `source_office` and `source_original` name):

- `independent`: GED names no Airwars report and its sources are known;
- `circular`: every source GED names is Airwars;
- `mixed`: Airwars and others (or sources not captured, which cannot be shown to be
  independent).

An incident linked to several events takes the most independent of them: one event
that does not rest on Airwars is a second source. The published corroborated share
counts independent links only; mixed and circular links are shown beside it.

Known drawbacks. `cites` names where GED read a report, not where that report's
author learned of the strike: an independent link may still share an upstream
witness with Airwars (see docs/methods.md).
"""

from __future__ import annotations

import pandas as pd

from analysis import monitors

#: From most to least independent; an incident takes the first its links reach.
INDEPENDENCE = ("independent", "mixed", "circular")


def of_events(cites: pd.Series) -> pd.Series:
    """The independence of GED events from their `cites` values."""
    text = cites.astype("string").fillna(monitors.UNKNOWN)
    names_airwars = text.str.split(monitors.SEPARATOR, regex=False).map(lambda m: "airwars" in m)
    out = pd.Series("mixed", index=cites.index, dtype="string")
    out[~names_airwars & (text != monitors.UNKNOWN)] = "independent"
    out[text == "airwars"] = "circular"
    return out


def attach(pairs: pd.DataFrame, ged: pd.DataFrame) -> pd.DataFrame:
    """The pairs with their GED event's `ged_cites` and `independence` added."""
    cites = pairs["ged_id"].map(ged.set_index("id")["cites"]).astype("string")
    return pairs.assign(ged_cites=cites, independence=of_events(cites))


def of_incidents(linked: pd.DataFrame) -> pd.Series:
    """Per `sequence` of the linked pairs, the most independent of its links."""
    rank = linked["independence"].map({name: i for i, name in enumerate(INDEPENDENCE)})
    best = rank.groupby(linked["sequence"]).min()
    return best.map(dict(enumerate(INDEPENDENCE))).astype("string")
