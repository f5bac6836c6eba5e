"""Tallies of Airwars incidents: deaths by perpetrator, category, period and area.

Rule (the claims ledger's). For a perpetrator Airwars tracks and a civilian
category, over incidents whose start `date` lies in the inclusive period and whose
location lies in the area (`analysis.metrics.areas`, strict reading):

- low = sum of the category's minimum over incidents graded Confirmed or Fair whose
  *sole* belligerent is the perpetrator;
- high = sum of the category's maximum over every incident naming the perpetrator
  among its belligerents, any grading but Discounted (an ungraded incident counts).

For `russia_or_syrian_government` "the perpetrator" is either code, and an incident
is sole when every belligerent it names is one of the two. For `all` every incident
counts, and every incident is sole.

Grading rules (`GRADING_RULES`), named for the sweep: `confirmed_fair`,
`confirmed_fair_weak`, `all_but_discounted` (also ungraded incidents), `all`.
Attribution rules: `sole` (the perpetrator is the only belligerent named) and
`shared` (the perpetrator is among those named).

A blank minimum adds nothing to the low end; a blank maximum beside a stated
minimum adds the minimum to the high end. A minimum above its maximum (the importer flags it) is
read as the range between the two, so a per-incident range never inverts. Undated
incidents never enter a dated tally; `tally_rows` reports how many were left out.

Known drawbacks. Airwars documents civilian harm: militant-death fields are empty
for Russian incidents, so it says nothing about fighters or total deaths. It barely
tracks the Syrian government's own strikes (two incidents in the archive). The
high end counts an incident shared by two belligerents in full for each.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.intervals import Interval
from analysis.metrics.areas import in_area

#: Package category -> Airwars count column stem (`_min`/`_max` appended).
CATEGORY_COLUMNS: dict[str, str] = {
    "civilians": "civilians_killed",
    "children": "children_killed",
    "women": "women_killed",
    "civilian_men": "men_killed",
    "civilians_injured": "civilians_injured",
}

#: Package perpetrator -> Airwars belligerent codes it stands for (None: any).
PERPETRATOR_CODES: dict[str, tuple[str, ...] | None] = {
    "russia": ("russia",),
    "syrian_government": ("syrian_government",),
    "russia_or_syrian_government": ("russia", "syrian_government"),
    "us_led_coalition": ("us_led_coalition",),
    "turkey": ("turkey",),
    "all": None,
}

#: Named grading rules -> gradings admitted; `None` in a tuple admits ungraded rows.
GRADING_RULES: dict[str, tuple[str | None, ...]] = {
    "confirmed_fair": ("Confirmed", "Fair"),
    "confirmed_fair_weak": ("Confirmed", "Fair", "Weak"),
    "all_but_discounted": ("Confirmed", "Fair", "Weak", "Contested", None),
    "all": ("Confirmed", "Fair", "Weak", "Contested", "Discounted", None),
}

ATTRIBUTION_RULES = ("sole", "shared")


def _check(perpetrator: str, category: str) -> None:
    if perpetrator not in PERPETRATOR_CODES:
        raise ValueError(f"unknown perpetrator {perpetrator!r}; known: {list(PERPETRATOR_CODES)}")
    if category not in CATEGORY_COLUMNS:
        raise ValueError(
            f"Airwars has no count for category {category!r}; it has {list(CATEGORY_COLUMNS)}"
        )


def attribution(table: pd.DataFrame, perpetrator: str, rule: str) -> pd.Series:
    """Rows attributed to the perpetrator under `sole` or `shared` attribution."""
    if rule not in ATTRIBUTION_RULES:
        raise ValueError(f"unknown attribution rule {rule!r}; known: {ATTRIBUTION_RULES}")
    codes = PERPETRATOR_CODES[perpetrator]
    if codes is None:
        return pd.Series(True, index=table.index)
    names = table["belligerents"].astype("string").fillna("")
    hits = sum(
        (names.str.contains(rf"(?:^|\|){code}(?:\||$)", regex=True) for code in codes),
        start=pd.Series(0, index=table.index),
    ).astype(int)
    if rule == "shared":
        return hits > 0
    listed = names.str.count(r"\|").astype(int) + 1
    return (hits > 0) & (hits == listed)


def grading_mask(table: pd.DataFrame, rule: str) -> pd.Series:
    """Rows whose grading the named rule admits."""
    if rule not in GRADING_RULES:
        raise ValueError(f"unknown grading rule {rule!r}; known: {list(GRADING_RULES)}")
    admitted = GRADING_RULES[rule]
    grading = table["grading"].astype("string")
    mask = grading.isin([g for g in admitted if g is not None]).fillna(False)
    if None in admitted:
        mask |= grading.isna()
    return mask.astype(bool)


def incident_range(table: pd.DataFrame, category: str) -> tuple[pd.Series, pd.Series]:
    """Per-incident (low, high) of a category: a blank minimum is 0, a blank maximum
    falls back to the minimum, and an inverted pair is reordered."""
    stem = CATEGORY_COLUMNS[category]
    low = table[f"{stem}_min"].astype("Float64")
    high = table[f"{stem}_max"].astype("Float64")
    low_f, high_f = low.fillna(0.0), high.fillna(low).fillna(0.0)
    return (
        np.minimum(low_f, high_f).astype(float),
        np.maximum(low_f, high_f).astype(float),
    )


def in_period(dates: pd.Series, start: pd.Timestamp | str, end: pd.Timestamp | str) -> pd.Series:
    """Inclusive date filter; NaT is outside every period."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if end < start:
        raise ValueError(f"period ends ({end.date()}) before it starts ({start.date()})")
    return dates.between(start, end).fillna(False).astype(bool)


def tally_rows(
    table: pd.DataFrame,
    perpetrator: str,
    category: str,
    start: pd.Timestamp | str,
    end: pd.Timestamp | str,
    area: str = "syria",
) -> pd.DataFrame:
    """Every incident with its role in the tally: one row per input row, none dropped.

    Columns: `sequence`, `in_scope` (dated within the period and in the area),
    `counts_low`, `counts_high` (enter the low / high sum), `low`, `high` (the
    incident's range), and `undated`.
    """
    _check(perpetrator, category)
    scope = in_period(table["date"], start, end) & in_area(table, area)
    low, high = incident_range(table, category)
    counts_low = (
        scope & attribution(table, perpetrator, "sole") & grading_mask(table, "confirmed_fair")
    )
    counts_high = (
        scope
        & attribution(table, perpetrator, "shared")
        & grading_mask(table, "all_but_discounted")
    )
    return pd.DataFrame(
        {
            "sequence": table["sequence"].to_numpy(),
            "in_scope": scope.to_numpy(),
            "counts_low": counts_low.to_numpy(),
            "counts_high": counts_high.to_numpy(),
            "low": low.to_numpy(),
            "high": high.to_numpy(),
            "undated": table["date"].isna().to_numpy(),
        },
        index=table.index,
    )


def tally(
    table: pd.DataFrame,
    perpetrator: str,
    category: str,
    start: pd.Timestamp | str,
    end: pd.Timestamp | str,
    area: str = "syria",
) -> Interval:
    """The ledger's Airwars range for one perpetrator, category, period and area."""
    rows = tally_rows(table, perpetrator, category, start, end, area)
    return Interval(
        float(rows.loc[rows["counts_low"], "low"].sum()),
        float(rows.loc[rows["counts_high"], "high"].sum()),
    )


def tallies(
    table: pd.DataFrame,
    perpetrators: list[str],
    categories: list[str],
    start: pd.Timestamp | str,
    end: pd.Timestamp | str,
    area: str = "syria",
) -> pd.DataFrame:
    """`tally` for every perpetrator x category: columns perpetrator, category, low,
    high, incidents_low, incidents_high."""
    out = []
    for perpetrator in perpetrators:
        for category in categories:
            rows = tally_rows(table, perpetrator, category, start, end, area)
            out.append(
                {
                    "perpetrator": perpetrator,
                    "category": category,
                    "low": float(rows.loc[rows["counts_low"], "low"].sum()),
                    "high": float(rows.loc[rows["counts_high"], "high"].sum()),
                    "incidents_low": int(rows["counts_low"].sum()),
                    "incidents_high": int(rows["counts_high"].sum()),
                }
            )
    return pd.DataFrame(out)


def tally_grid(
    table: pd.DataFrame, perpetrator: str, category: str, grid: pd.DataFrame
) -> pd.DataFrame:
    """Year-one style tallies for many (grading, attribution, start, end) at once.

    `grid` has columns `grading` (a `GRADING_RULES` name), `attribution` (`sole`
    or `shared`), `start`, `end` (inclusive dates). Returns `grid` with columns
    `incidents`, `low` (sum of minima) and `high` (sum of maxima) over Syria.
    Each (grading, attribution) pair is filtered once and cumulated by date, so each
    period costs two binary searches rather than a pass over the table.
    """
    _check(perpetrator, category)
    missing = {"grading", "attribution", "start", "end"} - set(grid.columns)
    if missing:
        raise ValueError(f"grid lacks column(s) {sorted(missing)}")
    combos = grid.reset_index(drop=True)
    starts = pd.to_datetime(combos["start"]).to_numpy("datetime64[ns]")
    ends = pd.to_datetime(combos["end"]).to_numpy("datetime64[ns]")
    if (ends < starts).any():
        bad = int(np.flatnonzero(ends < starts)[0])
        raise ValueError(f"grid: row {bad} ends before it starts")
    dated = table[table["date"].notna()]
    low, high = incident_range(dated, category)
    out = combos.copy()
    for column in ("incidents", "low", "high"):
        out[column] = np.nan
    for (grading, rule), chosen in combos.groupby(["grading", "attribution"], sort=False):
        mask = grading_mask(dated, str(grading)) & attribution(dated, perpetrator, str(rule))
        dates = dated.loc[mask, "date"].to_numpy("datetime64[ns]")
        order = np.argsort(dates, kind="stable")
        dates = dates[order]
        cum = {
            "incidents": np.concatenate([[0.0], np.ones(len(dates)).cumsum()]),
            "low": np.concatenate([[0.0], low[mask].to_numpy()[order].cumsum()]),
            "high": np.concatenate([[0.0], high[mask].to_numpy()[order].cumsum()]),
        }
        positions = chosen.index.to_numpy()
        first = np.searchsorted(dates, starts[positions], side="left")
        last = np.searchsorted(dates, ends[positions], side="right")
        for column, sums in cum.items():
            out.iloc[positions, out.columns.get_loc(column)] = sums[last] - sums[first]
    out["incidents"] = out["incidents"].astype("int64")
    return out
