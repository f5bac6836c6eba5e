"""Corroboration: which Airwars incidents a second source also records, and whether
that source rests on Airwars' own reports (`independence`).

A step of its own in the data flow, after the tidy tables and before the ledger:

    airwars, ucdp_ged --records--> linkable incidents, GED events with civilian deaths
        --candidates--> pairs within 25 km and 2 days (distance, date gap)
        --strict (Splink)--> scores; each GED event's civilian deaths go to incidents, none twice
        --cache--> data/cache/links-<key>.parquet
        --independence--> each GED event independent of Airwars, mixed or circular
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

from analysis import paths, tables
from analysis.csv_tables import write_table
from analysis.linking import (
    bands,
    cache,
    candidates,
    gold,
    independence,
    outputs,
    records,
    validation,
)

__all__ = [
    "corroborated",
    "gap",
    "gold_citations",
    "links",
    "loose_grid",
    "model",
    "pairs",
    "shares",
    "summary",
    "validation_table",
    "write",
    "write_review",
]


def compute_pairs(airwars: pd.DataFrame, ged: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Candidate pairs with distance, date gap, Splink score and the strict decision,
    and the strict rule's model (`strict.score`), trained on the citation gold set's
    `train` half."""
    from analysis.linking import strict  # Splink and DuckDB load only when computing

    incidents = records.incidents(airwars, ged)
    events = records.ged_events(ged)
    found = candidates.candidate_pairs(incidents, events)
    cited = gold.gold_citations(airwars, ged)
    return strict.score(incidents, events, found, cited[cited["half"] == "train"])


def _scored(refresh: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    targets = cache.cache_path(cache.NAME), cache.cache_path(cache.MODEL)
    cached = [None, None] if refresh else [cache.read(t) for t in targets]
    if cached[0] is not None and cached[1] is not None:
        return cached[0], cached[1]
    found, model = compute_pairs(tables.load("airwars"), tables.load("ucdp_ged"))
    try:
        cache.write(found, targets[0])
        cache.write(model, targets[1])
    except OSError as exc:
        warnings.warn(
            f"could not cache the links at {targets[0]}: {exc.strerror or exc}",
            tables.CacheWriteWarning,
            stacklevel=3,
        )
    return found, model


def pairs(*, refresh: bool = False) -> pd.DataFrame:
    """The scored candidate pairs: `sequence`, `ged_id`, `distance_km`,
    `date_gap_days`, `match_weight`, `match_probability`, `need`, `deaths`, `strict`;
    from the cache when current."""
    return _scored(refresh)[0]


def model() -> pd.DataFrame:
    """The strict rule's parameters: m (hand-set before, observed, used), u and
    Bayes factor of every level, and the prior (`strict.score`)."""
    return _scored()[1]


def gold_citations() -> pd.DataFrame:
    """`gold_citations.csv`: the pairs GED's own citations give (`gold.gold_citations`)."""
    return gold.gold_citations(tables.load("airwars"), tables.load("ucdp_ged"))


def corroborated(rule: str = "strict") -> pd.DataFrame:
    """For every Airwars incident (one row per `sequence`): `sequence`,
    `incident_code`, `linkable` (dated inside GED's window with usable coordinates),
    `corroborated` (the rule links it to at least one GED event), `ged_ids`
    (linked GED ids joined by "|", empty when none) and `independence` of the links
    (`independent`, `mixed` or `circular`; empty when none).

    `rule` is "strict" (Splink, the published counts) or "loose" (any GED event with
    civilian deaths within 10 km and 1 day).
    """
    if rule not in outputs.RULES:
        raise ValueError(f"unknown rule {rule!r}; known: {outputs.RULES}")
    airwars, linked, linkable = _inputs()
    return outputs.incident_links(airwars, linked, linkable, rule)


def _inputs() -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Airwars, the scored pairs with each GED event's independence, and linkability."""
    airwars, ged = tables.load("airwars"), tables.load("ucdp_ged")
    return airwars, independence.attach(pairs(), ged), records.linkable(airwars, ged)


def links() -> pd.DataFrame:
    """`links.csv`: one row per linkable incident and rule (`outputs.links_table`)."""
    return outputs.links_table(*_inputs())


def summary() -> pd.DataFrame:
    """`summary.csv`: by rule, perpetrator, grading and month (`outputs.summary_table`)."""
    return outputs.summary_table(*_inputs())


def loose_grid() -> pd.DataFrame:
    """`loose_grid.csv`: by perpetrator, year, d_km, k_days (`outputs.loose_grid_table`)."""
    return outputs.loose_grid_table(*_inputs())


def shares() -> pd.DataFrame:
    """`shares.csv`: each rule's share by perpetrator and year, with its band
    (`bands.shares_table`)."""
    return bands.shares_table(*_inputs(), model())


def gap(perpetrator: str, year: int) -> pd.Series:
    """Incidents the loose rule corroborates and the strict one does not, and why
    (`bands.gap`)."""
    return bands.gap(*_inputs(), perpetrator, year)


def linkable_citations(cited: pd.DataFrame | None = None) -> pd.DataFrame:
    """The citation gold set's pairs (`cited`, by default `gold_citations()`) a rule
    could link: the incident is linkable and the GED event can corroborate."""
    airwars, ged = tables.load("airwars"), tables.load("ucdp_ged")
    cited = gold.gold_citations(airwars, ged) if cited is None else cited
    keep = cited["sequence"].isin(airwars.loc[records.linkable(airwars, ged), "sequence"])
    keep &= cited["ged_id"].isin(ged.loc[records.corroborating(ged), "id"])
    return cited[keep].reset_index(drop=True)


def validation_table(cited: pd.DataFrame | None = None) -> pd.DataFrame:
    """`validation.csv`: recall on the citation gold set (held-out half, split by one
    and several citations; the training half beside it) and inverse-probability
    precision and recall on the judged sample, both rules."""
    scored = pairs()
    design = validation.read_design(paths.LINK_SAMPLE_DESIGN)
    judged = validation.read_judgements(paths.LINK_JUDGEMENTS, scored, design)
    return pd.concat(
        [
            validation.citation_recall(scored, linkable_citations(cited)),
            validation.weighted(scored, judged, design),
        ],
        ignore_index=True,
    )


def write_review(out: Path, n: int) -> Path:
    """Write `review.html` into `out`: `n` unjudged candidate pairs to judge
    (`review.write_review`)."""
    from analysis.linking import review
    from analysis.privacy import airwars_victim_names

    scored = pairs()
    return review.write_review(
        out / "review.html",
        scored,
        validation.read_judgements(paths.LINK_JUDGEMENTS, scored),
        tables.load("airwars"),
        tables.load("ucdp_ged"),
        airwars_victim_names(),
        n,
    )


def write(out: Path) -> dict[str, Path]:
    """Write links.csv, summary.csv, loose_grid.csv, gold_citations.csv,
    validation.csv, shares.csv and model.csv into `out`; returns the paths."""
    inputs = _inputs()
    cited = gold_citations()
    made = {
        "links": outputs.links_table(*inputs),
        "summary": outputs.summary_table(*inputs),
        "loose_grid": outputs.loose_grid_table(*inputs),
        "gold_citations": cited,
        "validation": validation_table(cited),
        "shares": bands.shares_table(*inputs, model()),
        "model": model(),
    }
    return {name: write_table(table, out / f"{name}.csv") for name, table in made.items()}
