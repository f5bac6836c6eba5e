"""Airwars tallies as the notebooks publish them, each with the incidents behind it.

A tally is a query (perpetrator, category, area, inclusive period) answered by the
evidence engine's Airwars pairs under one `RuleSet` (the ledger's by default), with
both ends always summed: a tally describes what Airwars documents, while the
ledger's roles say what that can bound. `Tallies.save` writes the tally table
(`tables/NAME.csv`, with each row's `contributions` path and `records` count) and
one contributions table per row (`tables/contributions/NAME/KEY.csv`), whose `low`
and `high` columns sum to the row's, exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.csv_tables import save_table
from analysis.evidence.airwars import (
    LEDGER,
    Incidents,
    RuleSet,
    contributions,
    decode,
    pairs,
)
from analysis.evidence.answer import Queries
from analysis.evidence.pairs import Contributions
from analysis.evidence.records import Writer, safe_name
from analysis.intervals import Interval
from analysis.metrics.airwars import CATEGORY_COLUMNS, PERPETRATOR_CODES

#: Where a run's contributions tables go, inside its output folder.
FOLDER = "tables/contributions"


@dataclass(frozen=True)
class Tallies:
    """Many tallies and the incident pairs they sum."""

    queries: pd.DataFrame
    table: pd.DataFrame
    contributions: Contributions

    def save(self, airwars: pd.DataFrame, output_dir: str | Path, name: str) -> Path:
        """Write the tally table and one contributions table per row; returns the
        tally table's path."""
        folder = Path(output_dir)
        keys = self.queries["key"].map(safe_name)
        paths = f"{FOLDER}/{name}/" + keys + ".csv"
        (folder / FOLDER / name).mkdir(parents=True, exist_ok=True)
        n = len(self.queries)
        categories = self.queries["category"].to_numpy(dtype=object)
        for category in dict.fromkeys(categories):
            chosen = np.flatnonzero(categories == category)
            part = self.contributions.take(np.isin(self.contributions.query, chosen))
            writer = Writer(part, airwars, category)
            bounds = np.searchsorted(part.query, np.arange(n + 1))
            for q in chosen:
                writer.write(folder / paths.iloc[q], slice(int(bounds[q]), int(bounds[q + 1])))
        out = self.table.assign(
            contributions=paths.to_numpy(),
            records=np.bincount(self.contributions.query, minlength=n),
        )
        return save_table(out, folder, name)


def tallies(table: pd.DataFrame, queries: pd.DataFrame, rules: RuleSet = LEDGER) -> Tallies:
    """Tallies of `queries` (columns key, perpetrator, category, area, period_start,
    period_end): columns key, low, high, incidents_low, incidents_high."""
    asked = Queries.of(queries)
    incidents = Incidents.of(table)
    everything = np.ones(len(asked), dtype=bool)
    found = contributions(
        incidents, asked, pairs(table, incidents, asked, everything), everything, rules
    )
    low, high = found.sums(len(asked))
    klass = found.extra["klass"]
    n = len(asked)
    frame = pd.DataFrame(
        {
            "key": queries["key"].to_numpy(),
            "low": low,
            "high": high,
            "incidents_low": np.bincount(found.query[rules.low_classes[klass]], minlength=n),
            "incidents_high": np.bincount(found.query[rules.high_classes[klass]], minlength=n),
        }
    )
    return Tallies(queries.reset_index(drop=True), frame, found)


def by_category(
    table: pd.DataFrame,
    perpetrator: str,
    categories: list[str],
    start: object,
    end: object,
    area: str = "syria",
) -> Tallies:
    """One ledger-rule tally per category for one perpetrator, period and area (a
    study's table): columns key and category (both the category), low, high,
    incidents_low, incidents_high."""
    asked = pd.concat(
        [_query(perpetrator, c, start, end, area).assign(key=c) for c in categories],
        ignore_index=True,
    )
    found = tallies(table, asked)
    shown = found.table.assign(category=found.table["key"])
    return Tallies(found.queries, shown, found.contributions)


def _check(perpetrator: str, category: str) -> None:
    if perpetrator not in PERPETRATOR_CODES:
        raise ValueError(f"unknown perpetrator {perpetrator!r}; known: {list(PERPETRATOR_CODES)}")
    if category not in CATEGORY_COLUMNS:
        raise ValueError(
            f"Airwars has no count for category {category!r}; it has {list(CATEGORY_COLUMNS)}"
        )


def _query(perpetrator: str, category: str, start: object, end: object, area: str) -> pd.DataFrame:
    """One tally as a query, checked."""
    _check(perpetrator, category)
    first, last = pd.Timestamp(start), pd.Timestamp(end)  # type: ignore[arg-type]
    if last < first:
        raise ValueError(f"period ends ({last.date()}) before it starts ({first.date()})")
    return pd.DataFrame(
        {
            "key": ["tally"],
            "perpetrator": [perpetrator],
            "category": [category],
            "area": [area],
            "period_start": [first],
            "period_end": [last],
        }
    )


def incident_rows(
    table: pd.DataFrame,
    perpetrator: str,
    category: str,
    start: object,
    end: object,
    area: str = "syria",
    rules: RuleSet = LEDGER,
) -> pd.DataFrame:
    """The incidents one tally looks at (naming the perpetrator, perhaps in the area,
    dates overlapping the period), in table order, with their part in it: columns
    `record` (position in `table`), `in_scope` (dated in the period and in the area,
    strict reading), `counts_low`, `counts_high` (enter the low / high sum), `low` and
    `high` (the incident's own range)."""
    found = tallies(table, _query(perpetrator, category, start, end, area), rules).contributions
    klass = found.extra["klass"].astype("int64")
    _, _, overlap_only, strict = decode(klass)
    return pd.DataFrame(
        {
            "record": found.record,
            "in_scope": (strict == 1) & (overlap_only == 0),
            "counts_low": rules.low_classes[klass],
            "counts_high": rules.high_classes[klass],
            "low": found.extra["minimum"],
            "high": found.extra["maximum"],
        }
    )


def tally(
    table: pd.DataFrame,
    perpetrator: str,
    category: str,
    start: object,
    end: object,
    area: str = "syria",
) -> Interval:
    """The ledger's Airwars range for one perpetrator, category, period and area."""
    found = tallies(table, _query(perpetrator, category, start, end, area)).table.iloc[0]
    return Interval(float(found["low"]), float(found["high"]))


def rule_grid(
    table: pd.DataFrame, perpetrator: str, category: str, grid: pd.DataFrame
) -> pd.DataFrame:
    """Tallies over Syria for many (grading, attribution, start, end) at once, one rule
    for both ends.

    `grid` has columns `grading` (a `GRADING_RULES` name), `attribution` (`sole` or
    `shared`), `start`, `end` (inclusive dates). Returns `grid` with columns
    `incidents`, `low` (sum of minima) and `high` (sum of maxima). The incident pairs
    of each distinct period are found once and read by every rule.
    """
    missing = {"grading", "attribution", "start", "end"} - set(grid.columns)
    if missing:
        raise ValueError(f"grid lacks column(s) {sorted(missing)}")
    combos = grid.reset_index(drop=True)
    starts, ends = pd.to_datetime(combos["start"]), pd.to_datetime(combos["end"])
    if (ends < starts).any():
        bad = int(np.flatnonzero((ends < starts).to_numpy())[0])
        raise ValueError(f"grid: row {bad} ends before it starts")
    _check(perpetrator, category)
    periods = pd.DataFrame({"period_start": starts, "period_end": ends}).drop_duplicates()
    position = pd.Series(range(len(periods)), index=pd.MultiIndex.from_frame(periods))
    asked = Queries.of(periods.assign(perpetrator=perpetrator, category=category, area="syria"))
    incidents = Incidents.of(table)
    looked = pairs(table, incidents, asked, np.ones(len(asked), dtype=bool))
    query, record = looked["query"].to_numpy(), looked["record"].to_numpy()
    klass = looked["klass"].to_numpy()
    row_period = position.loc[list(zip(starts, ends, strict=True))].to_numpy()
    out = combos.copy()
    sums = {
        "incidents": np.ones(len(record)),
        "low": incidents.minimum[category][record],
        "high": incidents.maximum[category][record],
    }
    for column in sums:
        out[column] = np.nan
    for (grading, rule), chosen in combos.groupby(["grading", "attribution"], sort=False):
        counts = RuleSet(str(grading), str(rule), str(grading), str(rule)).low_classes[klass]
        rows = chosen.index.to_numpy()
        for column, values in sums.items():
            per_period = np.bincount(query[counts], values[counts], minlength=len(asked))
            out.loc[rows, column] = per_period[row_period[rows]]
    out["incidents"] = out["incidents"].astype("int64")
    return out
