"""Test oracle: the Airwars counting rule and the area readings, recomputed from their
documentation (docs/methods.md, `analysis.metrics.areas`) in plain pandas, row by row,
with nothing taken from the package but the vocabulary's names and bounding boxes.

Rule. Over incidents whose start `date` lies in the inclusive period and that lie in
the area (strict reading): low = sum of the category's minimum over incidents graded
Confirmed or Fair whose every belligerent is one of the perpetrator's codes; high =
sum of its maximum over incidents naming one of the codes, any grading but Discounted
(ungraded incidents count). For `all`, every incident is named and sole. A blank
minimum is 0, a blank maximum is the minimum, and an inverted pair is reordered.
"""

from __future__ import annotations

import pandas as pd

from analysis.vocabulary import GOVERNORATES, NAMED_AREAS

CATEGORY_COLUMNS = {
    "civilians": "civilians_killed",
    "children": "children_killed",
    "women": "women_killed",
    "civilian_men": "men_killed",
    "civilians_injured": "civilians_injured",
}
CODES: dict[str, set[str] | None] = {
    "russia": {"russia"},
    "syrian_government": {"syrian_government"},
    "russia_or_syrian_government": {"russia", "syrian_government"},
    "us_led_coalition": {"us_led_coalition"},
    "turkey": {"turkey"},
    "all": None,
}
NAMED_AREA_GOVERNORATE = {"aleppo_city": "aleppo", "east_aleppo": "aleppo"}


def _missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def in_area(table: pd.DataFrame, area: str, *, superset: bool = False) -> pd.Series:
    """Per row: in the area (strict), or perhaps in it (superset: the governorate that
    holds it, an unknown governorate, or, for a named area, a place inside its box
    whatever the governorate says)."""
    if area == "syria":
        return pd.Series(True, index=table.index)
    unknown = table["governorate"].isna()
    governorate = table["governorate"].astype(object).where(~unknown, "")
    if area in GOVERNORATES:
        inside = ~unknown & (governorate == area)
    else:
        south, west, north, east = NAMED_AREAS[area]
        lat, lon = table["latitude"].astype(float), table["longitude"].astype(float)
        inside = (lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)
    if superset:
        return inside | unknown | (governorate == NAMED_AREA_GOVERNORATE.get(area, area))
    return inside


def _belligerents(value: object) -> set[str]:
    return set() if _missing(value) else set(str(value).split("|"))


def named(table: pd.DataFrame, perpetrator: str) -> pd.Series:
    """Per row: the incident names one of the perpetrator's codes."""
    codes = CODES[perpetrator]
    return (
        table["belligerents"]
        .map(lambda value: codes is None or bool(_belligerents(value) & codes))
        .astype(bool)
    )


def sole(table: pd.DataFrame, perpetrator: str) -> pd.Series:
    """Per row: every belligerent the incident names is one of the perpetrator's codes."""
    codes = CODES[perpetrator]

    def one(value: object) -> bool:
        names = _belligerents(value)
        return codes is None or (bool(names) and names <= codes)

    return table["belligerents"].map(one).astype(bool)


def incident_range(table: pd.DataFrame, category: str) -> tuple[pd.Series, pd.Series]:
    """Per row: (low, high) of the category's count."""
    stem = CATEGORY_COLUMNS[category]
    pairs = []
    for minimum, maximum in zip(table[f"{stem}_min"], table[f"{stem}_max"], strict=True):
        low = 0.0 if _missing(minimum) else float(minimum)
        high = low if _missing(maximum) else float(maximum)
        pairs.append((min(low, high), max(low, high)))
    return (
        pd.Series([p[0] for p in pairs], index=table.index, dtype=float),
        pd.Series([p[1] for p in pairs], index=table.index, dtype=float),
    )


def rows(
    table: pd.DataFrame,
    perpetrator: str,
    category: str,
    start: pd.Timestamp,
    end: pd.Timestamp,
    area: str,
) -> pd.DataFrame:
    """Per row: `counts_low`, `counts_high` (enters the low / high sum), `low`, `high`
    (0 outside the period and area, where neither counts). The row-by-row checks look
    only at rows in the period and area: the rest of the table cannot count."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    dated = ((table["date"] >= start) & (table["date"] <= end)).fillna(False).astype(bool)
    inside = table[dated & in_area(table, area)]
    grading = inside["grading"].astype(object)
    confirmed_fair = grading.map(lambda g: not _missing(g) and g in ("Confirmed", "Fair"))
    not_discounted = grading.map(lambda g: _missing(g) or g != "Discounted")
    low, high = incident_range(inside, category)
    found = pd.DataFrame(
        {"counts_low": False, "counts_high": False, "low": 0.0, "high": 0.0}, index=table.index
    )
    found.loc[inside.index, "counts_low"] = sole(inside, perpetrator) & confirmed_fair.astype(bool)
    found.loc[inside.index, "counts_high"] = named(inside, perpetrator) & not_discounted.astype(
        bool
    )
    found.loc[inside.index, "low"] = low
    found.loc[inside.index, "high"] = high
    return found


def tally(
    table: pd.DataFrame,
    perpetrator: str,
    category: str,
    start: pd.Timestamp,
    end: pd.Timestamp,
    area: str,
) -> tuple[float, float]:
    """(low, high) of the rule."""
    found = rows(table, perpetrator, category, start, end, area)
    return (
        float(found.loc[found["counts_low"], "low"].sum()),
        float(found.loc[found["counts_high"], "high"].sum()),
    )
