"""Test oracle: the VDC weekly rule recomputed from its documentation (docs/methods.md,
"VDC weekly aggregates") in plain pandas, with nothing taken from the package.

A cut is (status, cause, sex-and-age groups or none, province or none). The weekly
table answers it when it holds rows of that status and cause in the matching
dimension (`sex_age` for groups, `province` for a province, `total` otherwise; no
cut is by groups and province at once); its rows are those whose value is one of
the groups, the province, or `all`. A week runs from `week_start` for `week_days`
days (7 when blank). The floor counts weeks wholly inside a period; the ceiling,
weeks overlapping it. An upper bound that no cut answers exactly is read from the
looser cut (status -> all, cause -> all, groups -> all ages, province -> all Syria)
with the smallest ceiling; on a tie the cut that keeps the status wins, then the
one that keeps the cause, then the groups, then the province.
"""

from __future__ import annotations

import pandas as pd

CHILDREN = ("Child - Female", "Child - Male")
#: Category -> (status, sex-and-age groups or None), as docs/methods.md names them.
CATEGORY_CUTS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "civilians": ("civilian", None),
    "children": ("civilian", CHILDREN),
    "women": ("civilian", ("Adult - Female",)),
    "civilian_men": ("civilian", ("Adult - Male",)),
    "fighters": ("non_civilian", None),
    "total": ("all", None),
    "people": ("all", None),
}
WARPLANES = "Warplane shelling"

Cut = tuple[str, str, tuple[str, ...] | None, str | None]


def week_last(table: pd.DataFrame) -> pd.Series:
    """Last day of each row's week."""
    length = table["week_days"].astype(float).fillna(7)
    return table["week_start"] + pd.to_timedelta(length - 1, unit="D")


def window(table: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day the weekly table covers."""
    return table["week_start"].min(), week_last(table).max()


def rows(table: pd.DataFrame, cut: Cut) -> pd.DataFrame | None:
    """The table's rows answering the cut exactly, or None when no cut answers it."""
    status, cause, ages, province = cut
    if ages and province:
        return None
    if ages:
        dimension, values = "sex_age", set(ages)
    elif province:
        dimension, values = "province", {province}
    else:
        dimension, values = "total", {"all"}
    block = table[
        (table["status"] == status) & (table["cause"] == cause) & (table["dimension"] == dimension)
    ]
    if block.empty:
        return None
    return block[block["value"].map(lambda value: value in values).astype(bool)]


def weeks(found: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Per row of a cut: `inside` the period, `overlaps` it, and its `deaths` (0 if blank)."""
    first, last = found["week_start"], week_last(found)
    return pd.DataFrame(
        {
            "inside": (first >= start) & (last <= end),
            "overlaps": (first <= end) & (last >= start),
            "deaths": found["deaths"].astype(float).fillna(0.0),
        },
        index=found.index,
    )


def looser_cuts(cut: Cut) -> list[Cut]:
    """Every cut that contains `cut`, in tie-breaking order (itself first)."""
    status, cause, ages, province = cut
    out = []
    for loosened in range(16):  # bits: status, cause, groups, province (status highest)
        out.append(
            (
                "all" if loosened & 8 else status,
                "all" if loosened & 4 else cause,
                None if loosened & 2 else ages,
                None if loosened & 1 else province,
            )
        )
    return out


def tightest_ceiling(
    table: pd.DataFrame, cut: Cut, start: pd.Timestamp, end: pd.Timestamp
) -> tuple[float, pd.DataFrame] | None:
    """The smallest ceiling over the cuts containing `cut`, with that cut's rows, or
    None when no cut of the table contains it."""
    best: tuple[float, pd.DataFrame] | None = None
    for candidate in looser_cuts(cut):
        found = rows(table, candidate)
        if found is None:
            continue
        counted = weeks(found, start, end)
        high = float(counted.loc[counted["overlaps"], "deaths"].sum())
        if best is None or high < best[0]:
            best = (high, found)
    return best
