"""The Airwars counting rule's vocabulary and per-incident readings: categories,
perpetrators, grading and attribution rules, each incident's range. The tallies
themselves are computed once, by the evidence engine (`analysis.evidence.airwars`,
`analysis.evidence.tallies`), for the ledger, the notebooks, the figures and the sweep.

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
incidents never enter a dated tally.

Known drawbacks. Airwars documents civilian harm: militant-death fields are empty
for Russian incidents, so it says nothing about fighters or total deaths. It barely
tracks the Syrian government's own strikes (two incidents in the archive). The
high end counts an incident shared by two belligerents in full for each.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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
