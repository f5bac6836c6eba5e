"""Internal consistency of published figures: reported, never fixed.

Three checks over the curated `published` table (one row per printed figure):

- `components`: within one statement (same monitor, publication date, period,
  perpetrator and area), parts against their stated whole: civilians + IS fighters
  + other fighters against the total; children + women + civilian men against
  civilians. A check runs only when the whole and every part were printed.
- `decreasing`: a running total (same monitor, perpetrator, category, area and
  start) that is smaller at a later end date than at an earlier one.
- `copies_differ`: one statement (same monitor, period, perpetrator, category,
  area) printed with different figures by different publishers.

Each finding is a row: check, monitor, perpetrator, category, period_start,
period_end, figures (the figure ids involved), expected, found, difference.

Only counts (`kind` count) are compared, never estimates or range ends. Parts and
copies are compared only when printed as exact numbers: a rounded headline ("about
4,000") is not a differing copy of 3,804. A running total may also be printed as
"at least" or "more than" a number, which still cannot shrink.
"""

from __future__ import annotations

import pandas as pd

#: Whole -> the parts that should add up to it.
COMPONENTS: dict[str, tuple[str, ...]] = {
    "total": ("civilians", "is_fighters", "other_fighters"),
    "civilians": ("children", "women", "civilian_men"),
}

COLUMNS = [
    "check",
    "monitor",
    "perpetrator",
    "category",
    "period_start",
    "period_end",
    "figures",
    "expected",
    "found",
    "difference",
]

_STATEMENT = ["monitor", "published", "period_start", "period_end", "perpetrator", "area"]


def _counts(published: pd.DataFrame, qualifiers: tuple[str, ...] = ("exact",)) -> pd.DataFrame:
    chosen = (
        published["kind"].eq("count")
        & published["figure"].notna()
        & published["qualifier"].isin(list(qualifiers))
    )
    return published[chosen.fillna(False).astype(bool)]


def components(published: pd.DataFrame) -> pd.DataFrame:
    """Statements whose printed parts do not add up to their printed whole."""
    rows = []
    counts = _counts(published)
    for key, statement in counts.groupby(_STATEMENT, dropna=False, sort=True):
        by_category = statement.groupby("category")
        for whole, parts in COMPONENTS.items():
            if whole not in by_category.groups or not all(p in by_category.groups for p in parts):
                continue
            stated = statement[statement["category"] == whole]
            part_rows = statement[statement["category"].isin(parts)]
            summed = float(part_rows.groupby("category")["figure"].first().sum())
            for _, row in stated.iterrows():
                if summed != row["figure"]:
                    rows.append(
                        {
                            "check": "components",
                            "monitor": key[0],
                            "perpetrator": key[4],
                            "category": whole,
                            "period_start": key[2],
                            "period_end": key[3],
                            "figures": ";".join([row["figure_id"], *part_rows["figure_id"]]),
                            "expected": float(row["figure"]),
                            "found": summed,
                            "difference": summed - float(row["figure"]),
                        }
                    )
    return pd.DataFrame(rows, columns=COLUMNS)


def decreasing(published: pd.DataFrame) -> pd.DataFrame:
    """Running totals that shrink from one end date to a later one."""
    rows = []
    keys = ["monitor", "perpetrator", "category", "area", "period_start"]
    counts = _counts(published, ("exact", "at_least", "more_than")).dropna(
        subset=["period_start", "period_end"]
    )
    for key, series in counts.groupby(keys, sort=True):
        ordered = series.sort_values(["period_end", "figure_id"])
        peak = ordered.iloc[0]
        for _, row in ordered.iloc[1:].iterrows():
            if row["period_end"] > peak["period_end"] and row["figure"] < peak["figure"]:
                rows.append(
                    {
                        "check": "decreasing",
                        "monitor": key[0],
                        "perpetrator": key[1],
                        "category": key[2],
                        "period_start": key[4],
                        "period_end": row["period_end"],
                        "figures": f"{peak['figure_id']};{row['figure_id']}",
                        "expected": float(peak["figure"]),
                        "found": float(row["figure"]),
                        "difference": float(row["figure"] - peak["figure"]),
                    }
                )
            if row["figure"] >= peak["figure"]:
                peak = row
    return pd.DataFrame(rows, columns=COLUMNS)


def copies_differ(published: pd.DataFrame) -> pd.DataFrame:
    """One statement printed with different figures."""
    rows = []
    keys = ["monitor", "period_start", "period_end", "perpetrator", "category", "area"]
    for key, copies in _counts(published).groupby(keys, sort=True):
        if copies["figure"].nunique() > 1:
            low, high = float(copies["figure"].min()), float(copies["figure"].max())
            rows.append(
                {
                    "check": "copies_differ",
                    "monitor": key[0],
                    "perpetrator": key[3],
                    "category": key[4],
                    "period_start": key[1],
                    "period_end": key[2],
                    "figures": ";".join(copies["figure_id"]),
                    "expected": low,
                    "found": high,
                    "difference": high - low,
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def report(published: pd.DataFrame) -> pd.DataFrame:
    """Every finding of the three checks, in one table."""
    found = [
        frame
        for frame in (components(published), decreasing(published), copies_differ(published))
        if not frame.empty
    ]
    if not found:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(found, ignore_index=True)
