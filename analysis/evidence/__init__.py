"""The evidence engine: every source's answer to many claims (or tallies) at once,
with each record's contribution to each number.

One call (`gather`) reads the tidy tables once and answers every query: for each
independent source a role, a low and a high end, the rule and coverage, and the
pairs (query, record, what the record adds to the low and the high end, why).
Each published number is the sum of its pairs, so the ledger, `explain`, the
robustness grid, the notebooks' tallies and the report's drill-down all read one
result and cannot disagree. The per-claim path this replaced survives in the
tests as an oracle (`tests/reference_evidence.py`).

Modules: `pairs` (matching records to queries by date), `answer` (queries and
answers), one module per source (`airwars`, `ucdp`, `vdc`), `published` (context),
`records` (each record's fields and upstream address, and contributions tables).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.evidence import airwars, published, ucdp, vdc
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
    """Every independent source's answer to every claim (rows in claims order), and
    published context when `tables` holds `published` and claims carry `source`."""
    queries = Queries.of(claims)
    answers = {name: read(tables[name], queries) for name, read in SOURCES.items()}
    if "published" in tables and "source" in claims:
        found = published.context(claims, tables["published"])
    else:
        found = published.empty()
    return Evidence(queries, answers, found)
