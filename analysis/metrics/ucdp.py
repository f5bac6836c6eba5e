"""Ranges of deaths documented by UCDP: georeferenced events (GED) and country-year
battle deaths (BRD). Both count every party together.

GED. An event's deaths split into side a, side b, civilians and unknown, which add
up to its `best` estimate; `low` and `high` bracket it. For a period and area:

- low = sum over events lying wholly inside the period (`date_start` and
  `date_end`) and strictly in the area of the category's smallest reading
  (civilians: `deaths_civilians`; total: `low`);
- high = sum over events overlapping the period and possibly in the area (the
  superset reading of `analysis.metrics.areas`) of its largest reading
  (civilians: `deaths_civilians + deaths_unknown + (high - best)`, since unknown
  victims and the margin above `best` may be civilians; total: `high`).

BRD. Country-year deaths in state-based conflict: low = sum of `low` over years
wholly inside the period; high = sum of `high` over years overlapping it.

Known drawbacks. GED's year-long aggregate events (date precision 5) overlap any
period in their year, so short periods get generous upper bounds. UCDP counts are
themselves documented minimums: a "high" here is the most UCDP documents, not the
most that happened. BRD leaves out one-sided violence and non-state fighting, so
it is a floor for a war's toll, never a total.
"""

from __future__ import annotations

import pandas as pd

from analysis.intervals import Interval
from analysis.metrics.areas import in_area

#: Window of the GED Syria release held by the mirror (inclusive).
GED_WINDOW = (pd.Timestamp("2016-01-01"), pd.Timestamp("2019-11-30"))

#: Categories GED can bound, all parties together.
GED_CATEGORIES = ("civilians", "total", "people")


def _n(series: pd.Series) -> pd.Series:
    return series.astype("Float64").fillna(0.0).astype(float)


def ged_deaths(
    table: pd.DataFrame,
    category: str,
    start: pd.Timestamp | str,
    end: pd.Timestamp | str,
    area: str = "syria",
) -> Interval:
    """All-party deaths of a category documented by GED in a period and area."""
    if category not in GED_CATEGORIES:
        raise ValueError(f"GED has no count for category {category!r}; it has {GED_CATEGORIES}")
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    first, last = table["date_start"], table["date_end"].fillna(table["date_start"])
    inside = (first >= start) & (last <= end) & in_area(table, area)
    overlaps = (first <= end) & (last >= start) & in_area(table, area, superset=True)
    if category == "civilians":
        small = _n(table["deaths_civilians"])
        large = (
            small
            + _n(table["deaths_unknown"])
            + (_n(table["high"]) - _n(table["best"])).clip(lower=0)
        )
    else:
        small, large = _n(table["low"]), _n(table["high"])
    return Interval(
        float(small[inside.fillna(False)].sum()), float(large[overlaps.fillna(False)].sum())
    )


def brd_deaths(
    table: pd.DataFrame, start: pd.Timestamp | str, end: pd.Timestamp | str, gwcode: int = 652
) -> Interval:
    """Battle deaths (state-based conflict) of one country in a period, by whole years."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    rows = table[table["gwcode"] == gwcode]
    year = rows["year"].astype(int)
    whole = (year > start.year - (start.day_of_year == 1)) & (
        year < end.year + (end == pd.Timestamp(end.year, 12, 31))
    )
    touching = (year >= start.year) & (year <= end.year)
    return Interval(
        float(_n(rows.loc[whole, "low"]).sum()), float(_n(rows.loc[touching, "high"]).sum())
    )
