"""Test oracle: `analysis/claims/evidence.py` as it was before the evidence engine (commit
4c9e62d), kept unchanged but for imports, to check the engine against.

What each source can say about one claim: a bound, its basis and its coverage.

Every source answers with an `Evidence` whose `role` is one of

- `both`: a lower and an upper bound (Airwars, for a belligerent it tracks);
- `lower`: a lower bound only: the source covers fewer perpetrators, places or
  days than the claim, or is a documented count of all parties (a floor for a
  claim about all parties);
- `upper`: an upper bound only: the source covers more perpetrators than the
  claim (UCDP's and VDC's all-party counts for a claim about one air force);
- `none`: the source says nothing (outside its window, without the category, or
  without the perpetrator), with the reason;
- `context`: a published figure (SOHR's own, or any monitor's statement) shown
  beside the claim but never used as independent evidence.

Coverage rule. A lower bound may come from part of a claim's period: deaths
documented in part of it are still deaths in it. An upper bound needs the whole
period inside the source's window, since days outside it could hold any number of
deaths; a claim only partly inside the window gets no upper bound from that source.
An upper bound for a named area reads the source's whole governorate, for the same
reason (see `analysis.metrics.areas`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from analysis import labels
from analysis.intervals import INF, from_figure
from analysis.metrics import ucdp, vdc
from analysis.vocabulary import NAMED_AREAS
from reference import airwars
from reference.airwars import NAMED_AREA_GOVERNORATE

ROLES = ("both", "lower", "upper", "none", "context")

#: Categories that count civilians only: where VDC's civilian status can bound a claim.
CIVILIAN_CATEGORIES = ("civilians", "children", "women", "civilian_men")

#: How near a published figure's period must be to a claim's to be shown as context.
CONTEXT_TOLERANCE = pd.Timedelta(days=31)


@dataclass(frozen=True)
class Evidence:
    """One source's answer to one claim."""

    source: str
    role: str
    low: float
    high: float
    basis: str
    coverage: str

    @property
    def speaks(self) -> bool:
        return self.role in ("both", "lower", "upper")


def _none(source: str, why: str, coverage: str) -> Evidence:
    return Evidence(source, "none", math.nan, math.nan, why, coverage)


def _span(start: pd.Timestamp, end: pd.Timestamp) -> str:
    return f"{start.date()} to {end.date()}"


def _window_role(claim: pd.Series, first: pd.Timestamp, last: pd.Timestamp) -> str:
    """`whole`, `part` or `outside`: how much of the claim's period a window covers."""
    start, end = claim["period_start"], claim["period_end"]
    if end < first or start > last:
        return "outside"
    return "whole" if start >= first and end <= last else "part"


# -- Airwars -------------------------------------------------------------------------


def from_airwars(claim: pd.Series, table: pd.DataFrame) -> Evidence:
    perpetrator, category = claim["perpetrator"], claim["category"]
    first, last = table["date"].min(), table["date"].max()
    coverage = (
        f"Airwars incidents dated {_span(first, last)}; civilian harm by the air forces it monitors"
    )
    if category not in airwars.CATEGORY_COLUMNS:
        return _none(
            "airwars",
            f"Airwars records civilian harm only; it has no count of "
            f"{category} (militant-death fields are empty for Russian incidents)",
            coverage,
        )
    fit = _window_role(claim, first, last)
    if fit == "outside":
        return _none("airwars", "the claim's period lies outside the archive's dates", coverage)
    args = (claim["period_start"], claim["period_end"], claim["area"])
    low, high = airwars.tally(table, perpetrator, category, *args)
    lower_only = {
        "syrian_government": "Airwars barely tracks the Syrian government's own strikes, so "
        "its count is a lower bound only",
        "russia_or_syrian_government": "Airwars covers only the Russian side of this pair "
        "(and a handful of Syrian-government incidents), so its count is a lower bound only",
        "all": "Airwars covers only some air forces, so for all perpetrators its count is a "
        "lower bound only",
    }
    rule = (
        f"low = sum of minimum {airwars.CATEGORY_COLUMNS[category]} over Confirmed/Fair "
        f"incidents solely attributed to {labels.word('perpetrator', perpetrator)}"
    )
    if perpetrator in lower_only or fit == "part":
        why = lower_only.get(
            perpetrator,
            "the claim's period reaches beyond the archive's dates, so only a lower bound holds",
        )
        return Evidence("airwars", "lower", low, INF, f"{rule}; {why}", coverage)
    return Evidence(
        "airwars",
        "both",
        low,
        high,
        f"{rule}; high = sum of maxima over every incident naming "
        f"{labels.word('perpetrator', perpetrator)}, "
        "any grading but Discounted",
        coverage,
    )


# -- UCDP ----------------------------------------------------------------------------


def from_ged(claim: pd.Series, table: pd.DataFrame) -> Evidence:
    first, last = ucdp.GED_WINDOW
    coverage = (
        f"UCDP GED Syria events {_span(first, last)}; all parties together (Russia is never a side)"
    )
    category, perpetrator = claim["category"], claim["perpetrator"]
    if category not in ucdp.GED_CATEGORIES:
        return _none("ucdp_ged", f"GED does not count {category} separately", coverage)
    fit = _window_role(claim, first, last)
    if fit == "outside":
        return _none("ucdp_ged", "the claim's period lies outside GED's window", coverage)
    found = ucdp.ged_deaths(
        table, category, claim["period_start"], claim["period_end"], claim["area"]
    )
    if perpetrator == "all":
        return Evidence(
            "ucdp_ged",
            "lower",
            found.low,
            INF,
            "documented all-party deaths of events wholly inside the period and area: a floor",
            coverage,
        )
    if fit == "part":
        return _none(
            "ucdp_ged",
            "the claim's period starts or ends outside GED's window, so "
            "its all-party count cannot bound it from above",
            coverage,
        )
    return Evidence(
        "ucdp_ged",
        "upper",
        0.0,
        found.high,
        f"all-party GED deaths ({category}: "
        + (
            "civilians + unknown + high-over-best margin"
            if category == "civilians"
            else "high estimate"
        )
        + ") of events overlapping the period"
        + (
            f" in all of {labels.word('governorate', NAMED_AREA_GOVERNORATE[claim['area']])} "
            "governorate"
            if claim["area"] in NAMED_AREAS
            else ""
        )
        + f": covers more perpetrators than {labels.word('perpetrator', perpetrator)}, an upper "
        "bound only",
        coverage,
    )


def from_brd(claim: pd.Series, table: pd.DataFrame) -> Evidence:
    syria = table[table["gwcode"] == 652]
    first = pd.Timestamp(int(syria["year"].min()), 1, 1)
    last = pd.Timestamp(int(syria["year"].max()), 12, 31)
    coverage = (
        f"UCDP battle deaths, Syria, {first.year} to {last.year}, by year; "
        "state-based conflict only"
    )
    if claim["perpetrator"] != "all" or claim["category"] not in ("total", "people"):
        return _none(
            "ucdp_brd",
            "country-year battle deaths of all parties bound only a "
            "claim about everyone killed by all parties",
            coverage,
        )
    if claim["area"] != "syria":
        return _none("ucdp_brd", "battle deaths are counted for Syria as a whole", coverage)
    if _window_role(claim, first, last) == "outside":
        return _none("ucdp_brd", "the claim's period lies outside the series", coverage)
    found = ucdp.brd_deaths(table, claim["period_start"], claim["period_end"])
    return Evidence(
        "ucdp_brd",
        "lower",
        found.low,
        INF,
        "sum of the low estimate over calendar years wholly inside the period: "
        "a floor (battle deaths leave out one-sided violence)",
        coverage,
    )


# -- VDC -----------------------------------------------------------------------------


def _province(area: str) -> str | None:
    if area == "syria":
        return None
    return NAMED_AREA_GOVERNORATE.get(area, area)


def from_vdc_weekly(claim: pd.Series, table: pd.DataFrame) -> Evidence:
    first, last = vdc.window(table)
    coverage = (
        f"VDC weekly aggregates {_span(first, last)}; all perpetrators, no perpetrator column"
    )
    category, perpetrator = claim["category"], claim["perpetrator"]
    fit = _window_role(claim, first, last)
    if fit == "outside":
        return _none("vdc_weekly", "the claim's period lies outside VDC's weeks", coverage)
    start, end = claim["period_start"], claim["period_end"]
    if perpetrator == "all":
        if category not in vdc.CATEGORY_CUTS or claim["area"] in NAMED_AREAS:
            return _none(
                "vdc_weekly", f"no VDC cut counts {category} in {claim['area']} exactly", coverage
            )
        status, ages = vdc.CATEGORY_CUTS[category]
        cut = vdc.Cut(status, "all", ages, _province(claim["area"]))
        found = vdc.deaths(table, cut, start, end)
        if found is None:
            return _none("vdc_weekly", f"the weekly file has no cut {cut.describe()}", coverage)
        return Evidence(
            "vdc_weekly",
            "lower",
            found.low,
            INF,
            f"documented deaths ({cut.describe()}) in weeks wholly inside the period: a floor",
            coverage,
        )
    if category not in CIVILIAN_CATEGORIES:
        return _none(
            "vdc_weekly",
            "VDC's non-civilian records are far from complete (few "
            "IS or government fighters), so they bound no count of fighters or of "
            "all dead",
            coverage,
        )
    if fit == "part":
        return _none(
            "vdc_weekly",
            "the claim's period reaches outside VDC's weeks, so no upper bound holds",
            coverage,
        )
    status, ages = vdc.CATEGORY_CUTS[category]
    wanted = vdc.Cut(status, "Warplane shelling", ages, _province(claim["area"]))
    found_best = vdc.tightest_superset(table, wanted, start, end)
    if found_best is None:
        return _none(
            "vdc_weekly", f"no cut of the weekly file contains {wanted.describe()}", coverage
        )
    high, used = found_best
    return Evidence(
        "vdc_weekly",
        "upper",
        0.0,
        high,
        f"deaths by warplane shelling of any air force ({used.describe()}) in "
        f"weeks overlapping the period: covers more perpetrators than "
        f"{labels.word('perpetrator', perpetrator)}, an upper bound only",
        coverage,
    )


def from_vdc_daily(claim: pd.Series, table: pd.DataFrame) -> Evidence:
    first, last = table["date"].min(), table["date"].max()
    coverage = (
        f"VDC daily count as of the 2016-07-20 snapshot, {_span(first, last)}; all "
        "perpetrators, civilians and fighters together"
    )
    if claim["perpetrator"] != "all" or claim["category"] not in ("total", "people"):
        return _none(
            "vdc_daily",
            "an all-party count of everyone killed bounds only a claim "
            "about everyone killed by all parties",
            coverage,
        )
    if claim["area"] != "syria":
        return _none("vdc_daily", "the daily count is for Syria as a whole", coverage)
    if _window_role(claim, first, last) == "outside":
        return _none("vdc_daily", "the claim's period lies outside the snapshot", coverage)
    inside = table["date"].between(claim["period_start"], claim["period_end"])
    low = float(table.loc[inside, "deaths"].astype("Float64").fillna(0).sum())
    return Evidence(
        "vdc_daily",
        "lower",
        low,
        INF,
        "documented deaths on days inside the period: a floor",
        coverage,
    )


# -- published figures: context only --------------------------------------------------


def published_context(claim: pd.Series, table: pd.DataFrame) -> list[Evidence]:
    """Published figures for the same perpetrator, category and area whose period
    starts and ends within a month of the claim's: shown, never used as evidence."""
    near = (
        table["perpetrator"].eq(claim["perpetrator"])
        & table["category"].eq(claim["category"])
        & table["area"].eq(claim["area"])
        & table["figure"].notna()
        & (table["period_start"] - claim["period_start"]).abs().le(CONTEXT_TOLERANCE)
        & (table["period_end"] - claim["period_end"]).abs().le(CONTEXT_TOLERANCE)
    ).fillna(False)
    out = []
    for _, row in table[near].sort_values("figure_id").iterrows():
        own = "the claim's own monitor" if row["monitor"] == claim["source"] else "a monitor"
        found = from_figure(row["figure"], row["qualifier"])
        out.append(
            Evidence(
                f"published:{row['figure_id']}",
                "context",
                found.low,
                found.high,
                f"{row['monitor']} via {row['publisher']}, {labels.word('kind', row['kind'])} "
                f"({labels.word('qualifier', row['qualifier']) or 'exact'}): {own}'s published "
                "figure, context not evidence",
                f"{_span(row['period_start'], row['period_end'])}",
            )
        )
    return out


#: Independent sources, in ledger order, with the function that reads each.
SOURCES: dict[str, Callable[[pd.Series, pd.DataFrame], Evidence]] = {
    "airwars": from_airwars,
    "ucdp_ged": from_ged,
    "ucdp_brd": from_brd,
    "vdc_weekly": from_vdc_weekly,
    "vdc_daily": from_vdc_daily,
}


def gather(claim: pd.Series, tables: Mapping[str, pd.DataFrame]) -> list[Evidence]:
    """Every independent source's answer, then published context."""
    found = [read(claim, tables[name]) for name, read in SOURCES.items()]
    if "published" in tables:
        found += published_context(claim, tables["published"])
    return found
