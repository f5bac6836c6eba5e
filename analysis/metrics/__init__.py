"""Pure functions over the tidy tables: tallies, series, shares and consistency.

Modules: `areas` (which rows lie in an area), `airwars` (the Airwars rule's
vocabulary and per-incident readings; its tallies are `analysis.evidence.tallies`),
`ucdp` (GED events and BRD country-years), `vdc` (weekly aggregates), `series`
(monthly, cumulative, increments, period comparisons), `shares` (shares, ratios,
Dirty War Index) and `consistency` (checks of published figures). Every count is an
`analysis.intervals.Interval` or a DataFrame with `low` and `high` columns.
"""

from __future__ import annotations

from analysis.metrics.areas import in_area
from analysis.metrics.consistency import report as consistency_report
from analysis.metrics.series import (
    airwars_monthly,
    compare_periods,
    cumulative,
    daily_monthly,
    ged_monthly,
    increments,
    vdc_monthly,
)
from analysis.metrics.shares import (
    children_among_civilians,
    civilians_among_dead,
    civilians_per_fighter,
    dirty_war_index,
    share,
)
from analysis.metrics.ucdp import brd_deaths, ged_deaths

__all__ = [
    "airwars_monthly",
    "brd_deaths",
    "children_among_civilians",
    "civilians_among_dead",
    "civilians_per_fighter",
    "compare_periods",
    "consistency_report",
    "cumulative",
    "daily_monthly",
    "dirty_war_index",
    "ged_deaths",
    "ged_monthly",
    "in_area",
    "increments",
    "share",
    "vdc_monthly",
]
