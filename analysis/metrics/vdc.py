"""Ranges of deaths documented by the Violations Documentation Center (VDC), from
its weekly aggregates. VDC records no perpetrator: every count is all parties.

The weekly table (contract: `analysis.importers.vdc_weekly`) holds two-way cuts of
the record file: a status and a cause of death, crossed with one more dimension
(`total`, `sex_age` or `province`). A request (status, cause, sex-and-age groups,
province) that no cut answers exactly can still be bounded from above by a looser
cut that contains it: all statuses instead of civilians, all causes instead of one,
all of Syria instead of a province, all ages instead of children.

Weeks. A week runs from its `week_start` for `week_days` days (seven when the
column is absent; the importer gives shorter or longer weeks at a year's turn).
For a period:
low = weeks lying wholly inside; high = weeks overlapping it (edges included), so
a week straddling an edge is left out of the low end and kept in the high end.

Known drawbacks. A week's deaths cannot be split by day, so a period that starts
or ends mid-week has a low end short of whole weeks and a high end padded to whole
weeks. Counts are of documented deaths, minimums of what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import pandas as pd

from analysis.intervals import Interval

#: Package category -> (status, sex_age values or None).
CATEGORY_CUTS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "civilians": ("civilian", None),
    "children": ("civilian", ("Child - Female", "Child - Male")),
    "women": ("civilian", ("Adult - Female",)),
    "civilian_men": ("civilian", ("Adult - Male",)),
    "fighters": ("non_civilian", None),
    "total": ("all", None),
    "people": ("all", None),
}


@dataclass(frozen=True)
class Cut:
    """One request to the weekly table."""

    status: str = "all"
    cause: str = "all"
    sex_age: tuple[str, ...] | None = None
    province: str | None = None

    def describe(self) -> str:
        parts = [f"status {self.status}", f"cause {self.cause}"]
        if self.sex_age:
            parts.append("+".join(self.sex_age))
        parts.append(f"province {self.province}" if self.province else "all Syria")
        return ", ".join(parts)


def week_end(rows: pd.DataFrame) -> pd.Series:
    """Last day of each row's week."""
    days = rows["week_days"].astype("Float64").fillna(7) if "week_days" in rows else 7
    return rows["week_start"] + pd.to_timedelta(days - 1, unit="D")


def window(table: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day the weekly table covers."""
    return table["week_start"].min(), week_end(table).max()


def _rows(table: pd.DataFrame, cut: Cut) -> pd.DataFrame | None:
    """Rows answering the cut exactly, or None when no cut of the table does."""
    if cut.sex_age and cut.province:
        return None
    dimension, values = (
        ("sex_age", list(cut.sex_age))
        if cut.sex_age
        else ("province", [cut.province])
        if cut.province
        else ("total", ["all"])
    )
    block = table[
        (table["status"] == cut.status)
        & (table["cause"] == cut.cause)
        & (table["dimension"] == dimension)
    ]
    return None if block.empty else block[block["value"].isin(values)]


def _sum_weeks(rows: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> Interval:
    first, last = rows["week_start"], week_end(rows)
    deaths = rows["deaths"].astype("Float64").fillna(0.0).astype(float)
    inside = (first >= start) & (last <= end)
    overlaps = (first <= end) & (last >= start)
    return Interval(float(deaths[inside].sum()), float(deaths[overlaps].sum()))


def deaths(
    table: pd.DataFrame, cut: Cut, start: pd.Timestamp | str, end: pd.Timestamp | str
) -> Interval | None:
    """The weekly range for a cut answered exactly, or None when none answers it."""
    rows = _rows(table, cut)
    return None if rows is None else _sum_weeks(rows, pd.Timestamp(start), pd.Timestamp(end))


def tightest_superset(
    table: pd.DataFrame, cut: Cut, start: pd.Timestamp | str, end: pd.Timestamp | str
) -> tuple[float, Cut] | None:
    """The smallest high end over every cut that contains the requested one.

    Loosening goes status -> all, cause -> all, sex-and-age -> all ages, province ->
    all Syria; each loosened cut still counts every death the request counts.
    """
    best: tuple[float, Cut] | None = None
    for loose_status, loose_cause, loose_age, loose_area in product((False, True), repeat=4):
        candidate = Cut(
            "all" if loose_status else cut.status,
            "all" if loose_cause else cut.cause,
            None if loose_age else cut.sex_age,
            None if loose_area else cut.province,
        )
        found = deaths(table, candidate, start, end)
        if found is not None and (best is None or found.high < best[0]):
            best = (found.high, candidate)
    return best
