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

from analysis.evidence.airwars import LEDGER, Incidents, RuleSet, contributions, pairs
from analysis.evidence.answer import Queries
from analysis.evidence.pairs import Contributions
from analysis.evidence.records import Writer, safe_name
from analysis.report.tables import save_table

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
