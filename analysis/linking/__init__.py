"""Corroboration: which Airwars incidents a second, independent source also records.

A step of its own in the data flow, after the tidy tables and before the ledger:

    airwars, ucdp_ged --records--> linkable incidents, GED events with civilian deaths
        --candidates--> pairs within 25 km and 2 days (distance, date gap)
        --strict (Splink)--> scores, each GED event given to one incident at most
        --cache--> data/cache/links-<key>.parquet
        --outputs--> links.csv, summary.csv, loose_grid.csv; `corroborated()` per incident

`pairs()` returns the scored candidate pairs from the cache (computing them when
the inputs changed); `corroborated(rule)` answers, for every Airwars incident,
whether the rule links it and to which GED events; `write(out)` writes the three
CSV files. See docs/methods.md, "Corroboration", for what a link does and does not
mean.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from analysis import tables
from analysis.csv_tables import write_table
from analysis.linking import cache, candidates, outputs, records

__all__ = ["corroborated", "links", "loose_grid", "pairs", "summary", "write"]


def compute_pairs(airwars: pd.DataFrame, ged: pd.DataFrame) -> pd.DataFrame:
    """Candidate pairs with distance, date gap, Splink score and the strict decision."""
    from analysis.linking import strict  # Splink and DuckDB load only when computing

    incidents = records.incidents(airwars, ged)
    events = records.ged_events(ged)
    found = candidates.candidate_pairs(incidents, events)
    return strict.score(incidents, events, found)


def pairs(*, refresh: bool = False) -> pd.DataFrame:
    """The scored candidate pairs: `sequence`, `ged_id`, `distance_km`,
    `date_gap_days`, `match_probability`, `strict`; from the cache when current."""
    target = cache.cache_path()
    cached = None if refresh else cache.read(target)
    if cached is not None:
        return cached
    found = compute_pairs(tables.load("airwars"), tables.load("ucdp_ged"))
    try:
        cache.write(found, target)
    except OSError as exc:
        warnings.warn(
            f"could not cache the links at {target}: {exc.strerror or exc}",
            tables.CacheWriteWarning,
            stacklevel=2,
        )
    return found


def corroborated(rule: str = "strict") -> pd.DataFrame:
    """For every Airwars incident (one row per `sequence`): `sequence`,
    `incident_code`, `linkable` (dated inside GED's window with usable coordinates),
    `corroborated` (the rule links it to at least one GED event) and `ged_ids`
    (linked GED ids joined by "|", empty when none).

    `rule` is "strict" (Splink, the published counts) or "loose" (any GED event with
    civilian deaths within 10 km and 1 day).
    """
    if rule not in outputs.RULES:
        raise ValueError(f"unknown rule {rule!r}; known: {outputs.RULES}")
    airwars = tables.load("airwars")
    linkable = records.linkable(airwars, tables.load("ucdp_ged"))
    return outputs.incident_links(airwars, pairs(), linkable, rule)


def _inputs() -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    airwars = tables.load("airwars")
    return airwars, pairs(), records.linkable(airwars, tables.load("ucdp_ged"))


def links() -> pd.DataFrame:
    """`links.csv`: one row per linkable incident and rule (`outputs.links_table`)."""
    return outputs.links_table(*_inputs())


def summary() -> pd.DataFrame:
    """`summary.csv`: by rule, perpetrator, grading and month (`outputs.summary_table`)."""
    return outputs.summary_table(*_inputs())


def loose_grid() -> pd.DataFrame:
    """`loose_grid.csv`: by perpetrator, year, d_km, k_days (`outputs.loose_grid_table`)."""
    return outputs.loose_grid_table(*_inputs())


def write(out: Path) -> dict[str, Path]:
    """Write links.csv, summary.csv and loose_grid.csv into `out`; returns the paths."""
    made = {"links": links(), "summary": summary(), "loose_grid": loose_grid()}
    return {name: write_table(table, out / f"{name}.csv") for name, table in made.items()}
