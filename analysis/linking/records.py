"""The records each rule links: Airwars incidents and UCDP GED events, in one shape.

Assumptions. An Airwars incident can be linked when it is dated inside GED's window
(the first `date_start` to the last `date_end` of the GED table) and has usable
coordinates (both present, and not flagged invalid or outside Syria by the
importer). An incident spans `date` to `date_end` (or `date` alone). A GED event
can corroborate civilian deaths when it is located to the town or better
(`where_prec` <= 3), has coordinates and records at least one civilian death
(`deaths_civilians` > 0). Dates become whole days since 1970-01-01, so date gaps are
integer arithmetic in pandas and in DuckDB alike.

Both tables get the columns Splink compares: `unique_id`, `day_start`, `day_end`,
`latitude`, `longitude`, `place`, `tokens` (see `analysis.linking.names`),
`civilians_low`, `civilians_high` (Airwars' minimum and maximum, read as
`analysis.metrics.airwars.incident_range` reads them but left empty when both are
blank; GED's civilian deaths twice), and `point_events`: how many GED events with
civilian deaths share the event's point, to four decimals (GED puts a city's
events on its centre: 424 on Aleppo's); 0 for incidents. GED events also get
`independent`: their sources do not rest on Airwars (`analysis.linking.independence`;
False when the table has no `cites`), which the strict rule's assignment serves first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.linking import independence, names

#: GED locations precise to the town or better (codebook: 1 exact ... 3 district-level town).
MAX_WHERE_PREC = 3
#: Decimals of the coordinates that make one point when counting events per point.
POINT_DECIMALS = 4


def _days(dates: pd.Series) -> np.ndarray:
    return dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype("int64")


def ged_window(ged: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day GED covers, from the table itself."""
    return pd.Timestamp(ged["date_start"].min()), pd.Timestamp(ged["date_end"].max())


def linkable(airwars: pd.DataFrame, ged: pd.DataFrame) -> pd.Series:
    """Airwars rows a rule can link: dated inside GED's window, with usable coordinates."""
    first, last = ged_window(ged)
    dated = airwars["date"].between(first, last).fillna(False).astype(bool)
    located = (
        airwars["latitude"].notna()
        & airwars["longitude"].notna()
        & airwars["coordinate_issue"].isna()
    )
    return dated & located.astype(bool)


def incidents(airwars: pd.DataFrame, ged: pd.DataFrame) -> pd.DataFrame:
    """Linkable Airwars incidents in the linking shape; `unique_id` is `sequence`."""
    rows = airwars[linkable(airwars, ged)]
    low = rows["civilians_killed_min"].astype("Float64")
    high = rows["civilians_killed_max"].astype("Float64")
    low_np = low.fillna(high).to_numpy(dtype=float, na_value=np.nan)
    high_np = high.fillna(low).to_numpy(dtype=float, na_value=np.nan)
    start = rows["date"]
    end = rows["date_end"].where(rows["date_end"] >= start, start)  # NaT -> start
    return pd.DataFrame(
        {
            "unique_id": rows["sequence"].to_numpy(dtype="int64"),
            "day_start": _days(start),
            "day_end": _days(end),
            "latitude": rows["latitude"].to_numpy(dtype=float),
            "longitude": rows["longitude"].to_numpy(dtype=float),
            "place": [names.place(t) for t in rows["location"]],
            "tokens": [names.tokens(t) for t in rows["location"]],
            "civilians_low": np.fmin(low_np, high_np),
            "civilians_high": np.fmax(low_np, high_np),
            "point_events": np.zeros(len(rows), dtype="int64"),
        }
    )


def corroborating(ged: pd.DataFrame) -> pd.Series:
    """GED rows that can corroborate civilian deaths: town-precise, located, deaths > 0."""
    return (
        (ged["where_prec"] <= MAX_WHERE_PREC).fillna(False)
        & (ged["deaths_civilians"] > 0).fillna(False)
        & ged["latitude"].notna()
        & ged["longitude"].notna()
    ).astype(bool)


def ged_events(ged: pd.DataFrame) -> pd.DataFrame:
    """GED events that can corroborate civilian deaths, in the linking shape."""
    rows = ged[corroborating(ged)]
    civilians = rows["deaths_civilians"].to_numpy(dtype=float)
    point = (
        rows["latitude"].round(POINT_DECIMALS).astype(str)
        + ","
        + rows["longitude"].round(POINT_DECIMALS).astype(str)
    )
    return pd.DataFrame(
        {
            "unique_id": rows["id"].to_numpy(dtype="int64"),
            "day_start": _days(rows["date_start"]),
            "day_end": _days(rows["date_end"]),
            "latitude": rows["latitude"].to_numpy(dtype=float),
            "longitude": rows["longitude"].to_numpy(dtype=float),
            "place": [names.place(t) for t in rows["where_coordinates"]],
            "tokens": [
                names.tokens(w) + names.tokens(d)
                for w, d in zip(rows["where_coordinates"], rows["adm_2"], strict=True)
            ],
            "civilians_low": civilians,
            "civilians_high": civilians,
            "point_events": point.map(point.value_counts()).to_numpy(dtype="int64"),
            "independent": (
                independence.of_events(rows["cites"]).eq("independent").to_numpy(dtype=bool)
                if "cites" in rows
                else np.zeros(len(rows), dtype=bool)
            ),
        }
    )
