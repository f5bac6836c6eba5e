"""Captions of the published figures, keyed by figure name.

A caption says what a figure shows and how to read its ranges; the numbers stay on
the figure and in the notebook, computed. Placeholders in braces are filled from the
run's parameters (`{perpetrator}`, `{start}`, `{end}`, `{area}`, ...); a figure
without an entry gets a generic caption naming it.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

CAPTIONS: dict[str, str] = {
    "tallies_by_category": (
        "Deaths in Airwars incidents attributed to {perpetrator}, {start} to {end}, by "
        "victim category. Each bar runs from the sum of incident minimums to the sum of "
        "maximums under the grading rule '{grading_rule}' and attribution rule "
        "'{attribution}'; the article's figures are drawn as markers or ranges beside them."
    ),
    "monthly_timeline": (
        "Civilian deaths per month in Airwars incidents attributed to {perpetrator}, "
        "{start} to {end}: the band spans minimum to maximum; dotted lines mark "
        "ceasefires and other dated events."
    ),
    "shares_and_ratios": (
        "Shares and ratios with their ranges, Airwars incidents attributed to "
        "{perpetrator}, {start} to {end}: children among civilians, and the "
        "women-and-children Dirty War Index."
    ),
    "claims_vs_evidence": (
        "Each claim of the claims file ({claims_file}) as the range its qualifier allows, "
        "beside each independent source's evidence range and the verdict; log scale. "
        "Documented counts are minimums: a claim above the evidence is not thereby false."
    ),
    "aleppo_map": (
        "Airwars incidents in {area}, {start} to {end}, at their recorded coordinates, "
        "sized by maximum civilian deaths; marker shape shows before and after the "
        "ceasefire collapsed on {ceasefire_collapse}. No base map: coordinates only."
    ),
    "aleppo_daily": (
        "Civilian deaths per day in Airwars incidents in {area}, {start} to {end} "
        "(minimum to maximum), with the collapse of the ceasefire on "
        "{ceasefire_collapse} marked."
    ),
    "cumulative_sources": (
        "Cumulative deaths attributed to {perpetrator} from {start}: SOHR's published "
        "tallies, Airwars' likely (low) to alleged (high) civilian range, and VDC's "
        "civilian deaths by warplane shelling (all air forces, an upper bound). Shaded "
        "spans mark each source's coverage window."
    ),
    "war_toll": (
        "The war's deaths by year, {first_year} to {last_year}: UCDP battle-related "
        "deaths (low to high), VDC documented deaths, and SOHR's documented tallies "
        "against its estimated totals. Documented counts are minimums; estimates are "
        "models of the total."
    ),
    "corroborated_by_month": (
        "Share of Airwars incidents naming {perpetrator} in {year} that UCDP GED also "
        "records (strict rule: Splink score, each GED event given to one incident at most), "
        "by month and Airwars grading. A link shows that a second source recorded civilian "
        "deaths there and then, not who caused them; an uncorroborated incident is not false."
    ),
    "corroboration_grid": (
        "Share of Airwars incidents naming {perpetrator} in {year}, and of their maximum "
        "civilian deaths, with a UCDP GED event with civilian deaths within d km and k days "
        "(loose rule), against the strict rule's share (dashed)."
    ),
}


class _Keep(dict[str, Any]):
    """Leave an unknown placeholder as written instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def caption(name: str, parameters: Mapping[str, Any]) -> str:
    """The caption of figure `name`, filled with the run's `parameters`."""
    template = CAPTIONS.get(name)
    if template is None:
        return f"Figure {name}."
    values = _Keep(
        {
            k: str(v).replace("_", " ") if k in {"perpetrator", "area"} else v
            for k, v in parameters.items()
        }
    )
    return string.Formatter().vformat(template, (), values)
