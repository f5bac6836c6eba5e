"""Which rows of a table lie in an area: Syria, a governorate, or a named area.

An area is one of `analysis.vocabulary.AREAS`. `syria` takes every row; a
governorate code takes rows whose `governorate` column holds that code; a named
area (`vocabulary.NAMED_AREAS`) takes rows whose `latitude`/`longitude` fall in its
bounding box (edges included).

Two readings serve two purposes. `strict` (the default) is what a lower bound
needs: only rows known to lie in the area. `superset` is what an upper bound
needs: every row that might lie in it. For a named area that is every row of the
governorate containing it, plus rows whose governorate is unknown, plus rows whose
coordinates fall in its box whatever their governorate says (a few Airwars
incidents are placed in Aleppo's box with another governorate; the strict reading
counts them, so the superset must hold them too); for a governorate, its rows plus
rows of unknown governorate. Every strict row is a superset row.

Known drawbacks. Bounding boxes are rectangles around irregular districts, and
many coordinates are only village-precise, so a strict count can both miss
incidents geocoded just outside the box and include some just inside it.
"""

from __future__ import annotations

import pandas as pd

from analysis.vocabulary import AREAS, GOVERNORATES, NAMED_AREAS

#: The governorate each named area lies in (for superset readings).
NAMED_AREA_GOVERNORATE: dict[str, str] = {"aleppo_city": "aleppo", "east_aleppo": "aleppo"}


def in_area(table: pd.DataFrame, area: str, *, superset: bool = False) -> pd.Series:
    """Boolean mask of the rows in `area` (strict), or that may be in it (superset)."""
    if area not in AREAS:
        raise ValueError(f"unknown area {area!r}; known: {', '.join(AREAS)}")
    if area == "syria":
        return pd.Series(True, index=table.index)
    governorate = table["governorate"].astype("string")
    if superset:
        code = NAMED_AREA_GOVERNORATE.get(area, area)
        maybe = (governorate.eq(code) | governorate.isna()).fillna(True).astype(bool)
        return maybe | in_area(table, area) if area in NAMED_AREAS else maybe
    if area in GOVERNORATES:
        return governorate.eq(area).fillna(False).astype(bool)
    south, west, north, east = NAMED_AREAS[area]
    lat, lon = table["latitude"], table["longitude"]
    return (lat.between(south, north) & lon.between(west, east)).fillna(False).astype(bool)
