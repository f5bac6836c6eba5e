"""Test oracle: what each independent source says about one claim, recomputed claim by
claim from the documented rules (docs/methods.md, section 2) in plain pandas, to
check the evidence engine against.

Nothing is taken from the package but the tidy tables the tests pass in and the
controlled vocabulary's data (`analysis.vocabulary`: governorate codes and the named
areas' boxes, read by `reference.airwars`); every rule, window and category mapping
is written here again from the documentation. The oracle gives numbers only: a role
and the two ends, no wording.

Roles: `both` (a lower and an upper bound), `lower`, `upper`, `none`. A lower bound
may come from part of the claim's period; an upper bound needs the whole period
inside the source's window. For claims about all perpetrators every source is a
floor. A side a source does not bound is NaN when it is silent, 0 for the low end of
an upper bound and infinity for the high end of a lower bound.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.vocabulary import NAMED_AREAS
from reference import airwars
from reference import vdc as weekly
from reference.airwars import NAMED_AREA_GOVERNORATE

INF = math.inf
#: The GED Syria release's window (docs/methods.md, the table of section 2).
GED_WINDOW = (pd.Timestamp("2016-01-01"), pd.Timestamp("2019-11-30"))
GED_CATEGORIES = ("civilians", "total", "people")
#: Perpetrators Airwars tracks only in part: a lower bound only.
AIRWARS_LOWER_ONLY = ("syrian_government", "russia_or_syrian_government", "all")
#: Categories that count civilians only: where VDC's civilian status can bound a claim.
CIVILIAN_CATEGORIES = ("civilians", "children", "women", "civilian_men")
EVERYONE = ("total", "people")


@dataclass(frozen=True)
class Evidence:
    """One source's answer to one claim."""

    source: str
    role: str
    low: float
    high: float

    @property
    def speaks(self) -> bool:
        return self.role in ("both", "lower", "upper")


def _none(source: str) -> Evidence:
    return Evidence(source, "none", math.nan, math.nan)


def window_fit(claim: pd.Series, first: pd.Timestamp, last: pd.Timestamp) -> str:
    """`whole`, `part` or `outside`: how much of the claim's period the window covers."""
    start, end = claim["period_start"], claim["period_end"]
    if end < first or start > last:
        return "outside"
    return "whole" if first <= start and end <= last else "part"


def province(area: str) -> str | None:
    """The governorate a claim's area reads in province-level tables (None: Syria)."""
    return None if area == "syria" else NAMED_AREA_GOVERNORATE.get(area, area)


def _number(column: pd.Series) -> pd.Series:
    return column.astype(float).fillna(0.0)


def from_airwars(claim: pd.Series, table: pd.DataFrame) -> Evidence:
    perpetrator, category = claim["perpetrator"], claim["category"]
    if category not in airwars.CATEGORY_COLUMNS:
        return _none("airwars")
    fit = window_fit(claim, table["date"].min(), table["date"].max())
    if fit == "outside":
        return _none("airwars")
    low, high = airwars.tally(
        table, perpetrator, category, claim["period_start"], claim["period_end"], claim["area"]
    )
    if perpetrator in AIRWARS_LOWER_ONLY or fit == "part":
        return Evidence("airwars", "lower", low, INF)
    return Evidence("airwars", "both", low, high)


def ged_ends(claim: pd.Series, table: pd.DataFrame) -> tuple[float, float]:
    """GED's low end (events wholly inside the period and strictly in the area, the
    category's smallest reading) and high end (events overlapping the period that may
    lie in the area, its largest reading)."""
    start, end = claim["period_start"], claim["period_end"]
    first = table["date_start"]
    last = table["date_end"].fillna(first)
    inside = (first >= start) & (last <= end) & airwars.in_area(table, claim["area"])
    overlaps = (
        (first <= end) & (last >= start) & airwars.in_area(table, claim["area"], superset=True)
    )
    if claim["category"] == "civilians":
        small = _number(table["deaths_civilians"])
        margin = (_number(table["high"]) - _number(table["best"])).clip(lower=0)
        large = small + _number(table["deaths_unknown"]) + margin
    else:
        small, large = _number(table["low"]), _number(table["high"])
    return float(small[inside.fillna(False)].sum()), float(large[overlaps.fillna(False)].sum())


def from_ged(claim: pd.Series, table: pd.DataFrame) -> Evidence:
    if claim["category"] not in GED_CATEGORIES:
        return _none("ucdp_ged")
    fit = window_fit(claim, *GED_WINDOW)
    if fit == "outside":
        return _none("ucdp_ged")
    low, high = ged_ends(claim, table)
    if claim["perpetrator"] == "all":
        return Evidence("ucdp_ged", "lower", low, INF)
    if fit == "part":
        return _none("ucdp_ged")
    return Evidence("ucdp_ged", "upper", 0.0, high)


def brd_years(claim: pd.Series, table: pd.DataFrame) -> pd.DataFrame:
    """Syria's (gwcode 652) years with `overlaps` and `inside` (the whole calendar
    year lies in the period)."""
    syria = table[table["gwcode"] == 652]
    year = syria["year"].astype(int)
    january = pd.to_datetime(year.astype(str) + "-01-01")
    december = pd.to_datetime(year.astype(str) + "-12-31")
    start, end = claim["period_start"], claim["period_end"]
    return pd.DataFrame(
        {
            "overlaps": (january <= end) & (december >= start),
            "inside": (january >= start) & (december <= end),
            "low": _number(syria["low"]),
        },
        index=syria.index,
    )


def from_brd(claim: pd.Series, table: pd.DataFrame) -> Evidence:
    if claim["perpetrator"] != "all" or claim["category"] not in EVERYONE:
        return _none("ucdp_brd")
    if claim["area"] != "syria":
        return _none("ucdp_brd")
    years = table.loc[table["gwcode"] == 652, "year"].astype(int)
    first, last = pd.Timestamp(years.min(), 1, 1), pd.Timestamp(years.max(), 12, 31)
    if window_fit(claim, first, last) == "outside":
        return _none("ucdp_brd")
    found = brd_years(claim, table)
    return Evidence("ucdp_brd", "lower", float(found.loc[found["inside"], "low"].sum()), INF)


def vdc_cut(claim: pd.Series) -> weekly.Cut:
    """The cut a claim asks the weekly file for: all causes for all perpetrators,
    warplanes for one."""
    status, ages = weekly.CATEGORY_CUTS[claim["category"]]
    cause = "all" if claim["perpetrator"] == "all" else weekly.WARPLANES
    return (status, cause, ages, province(claim["area"]))


def from_vdc_weekly(claim: pd.Series, table: pd.DataFrame) -> Evidence:
    fit = window_fit(claim, *weekly.window(table))
    if fit == "outside":
        return _none("vdc_weekly")
    start, end = claim["period_start"], claim["period_end"]
    category = claim["category"]
    if claim["perpetrator"] == "all":
        if category not in weekly.CATEGORY_CUTS or claim["area"] in NAMED_AREAS:
            return _none("vdc_weekly")
        found = weekly.rows(table, vdc_cut(claim))
        if found is None:
            return _none("vdc_weekly")
        counted = weekly.weeks(found, start, end)
        low = float(counted.loc[counted["inside"], "deaths"].sum())
        return Evidence("vdc_weekly", "lower", low, INF)
    if category not in CIVILIAN_CATEGORIES or fit == "part":
        return _none("vdc_weekly")
    best = weekly.tightest_ceiling(table, vdc_cut(claim), start, end)
    if best is None:
        return _none("vdc_weekly")
    return Evidence("vdc_weekly", "upper", 0.0, best[0])


def from_vdc_daily(claim: pd.Series, table: pd.DataFrame) -> Evidence:
    if claim["perpetrator"] != "all" or claim["category"] not in EVERYONE:
        return _none("vdc_daily")
    if claim["area"] != "syria":
        return _none("vdc_daily")
    if window_fit(claim, table["date"].min(), table["date"].max()) == "outside":
        return _none("vdc_daily")
    inside = (table["date"] >= claim["period_start"]) & (table["date"] <= claim["period_end"])
    return Evidence("vdc_daily", "lower", float(_number(table.loc[inside, "deaths"]).sum()), INF)


#: Independent sources, in ledger order, with the function that reads each.
SOURCES: dict[str, Callable[[pd.Series, pd.DataFrame], Evidence]] = {
    "airwars": from_airwars,
    "ucdp_ged": from_ged,
    "ucdp_brd": from_brd,
    "vdc_weekly": from_vdc_weekly,
    "vdc_daily": from_vdc_daily,
}


def gather(claim: pd.Series, tables: Mapping[str, pd.DataFrame]) -> list[Evidence]:
    """Every independent source's answer to one claim (published figures are context,
    not evidence, and left out)."""
    return [read(claim, tables[name]) for name, read in SOURCES.items()]
