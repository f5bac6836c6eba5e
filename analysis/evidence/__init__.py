"""The evidence engine: every source's answer to many claims (or tallies) at once,
with each record's contribution to each number.

One call (`gather`) reads the tidy tables once and answers every query: for each
independent source a role, a low and a high end, the rule and coverage, and the
pairs (query, record, what the record adds to the low and the high end, why).
Each published number is the sum of its pairs, so the ledger, `explain`, the
robustness grid, the notebooks' tallies and the report's drill-down all read one
result and cannot disagree. The tests check it claim by claim against an oracle
written from the documented rules in plain pandas (`tests/reference/`).

Modules: `pairs` (matching records to queries by date), `answer` (queries and
answers), one module per source (`airwars`, `ucdp`, `vdc`), `published` (context),
`records` (each record's fields and upstream address, and contributions tables).
Every pair carries what its record cites (the tables' `cites` column: the monitors
a record rests on), so any number splits by who documented it
(`analysis.claims.independence`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import pandas as pd

from analysis.evidence import airwars, published, records, ucdp, vdc
from analysis.evidence.answer import Answer, Queries

#: Independent sources, in ledger order, with the function that answers for each.
SOURCES: dict[str, Callable[[pd.DataFrame, Queries], Answer]] = {
    "airwars": airwars.answer,
    "ucdp_ged": ucdp.answer_ged,
    "ucdp_brd": ucdp.answer_brd,
    "vdc_weekly": vdc.answer_weekly,
    "vdc_daily": vdc.answer_daily,
}
#: Tables the engine reads.
EVIDENCE_TABLES = (*SOURCES, "published")


@dataclass(frozen=True)
class Evidence:
    """Every source's answer to every query, and the published figures beside them."""

    queries: Queries
    answers: dict[str, Answer]
    context: pd.DataFrame


def gather(claims: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> Evidence:
    """Every independent source's answer to every claim (rows in claims order), each
    pair carrying what its record cites, and published context when `tables` holds
    `published` and claims carry `source`."""
    queries = Queries.of(claims)
    answers = {
        name: _cited(read(tables[name], queries), tables[name]) for name, read in SOURCES.items()
    }
    if "published" in tables and "source" in claims:
        found = published.context(claims, tables["published"])
    else:
        found = published.empty()
    return Evidence(queries, answers, found)


def _cited(found: Answer, table: pd.DataFrame) -> Answer:
    return replace(found, contributions=found.contributions.cited(records.cites(table)))
