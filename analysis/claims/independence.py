"""How much of each evidence number rests on the claimant's own reporting.

A claim's claimant is the monitor its `source` names (`claimants`). Each record of a
source cites a set of monitors (the tidy tables' `cites`: ids joined by `|`, or
`unknown` when its sources were not captured). Against one claim a record is:

- `claimant` when its cites include the claimant (in part or alone),
- `unknown` when its cites are `unknown`,
- `independent` otherwise.

Unknown is never independent. Every number of the ledger is a sum of pairs (claim,
record), so it splits into these three parts by summing the same pairs by part:
independent + claimant + unknown = the number, exactly, for the low end and for a
finite high end.

The second verdict (`verdict_independent`) applies the verdict rule to the
independent parts alone: each source's lower bound is what its independent records
add to the low end, its upper bound what they add to the high end. Unknown records
enter neither end, since nothing shows them independent: the independent evidence is
what records known not to rest on the claimant document. An upper bound read from
fewer records is lower, so a claim may lie above the independent evidence while
within the full evidence: the records not resting on the claimant do not reach it.

Known drawbacks. `cites` lists the links a record's page or row names; an analyst
may have used sources they did not link, so `independent` means "cites no link of
the claimant", not "owes the claimant nothing". A claim whose `source` names no one
(`unattributed`) has claimant `unknown`: no record can be shown to cite it, so its
claimant part is empty and its independent part is every record whose cites are
known. A claimant the vocabulary does not know is `other`, and records citing
`other` count as citing it: they may, and nothing shows they do not.
docs/methods.md, section "How independent are the sources?", says more.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis import monitors
from analysis.evidence.pairs import Contributions
from analysis.monitors import UNKNOWN

if TYPE_CHECKING:
    from analysis.claims.ledger import Ledger

PARTS = ("independent", "claimant", "unknown")
#: The ledger's columns of the split, per end.
COLUMNS = tuple(f"{end}_{part}" for end in ("low", "high") for part in PARTS)


def claimants(sources: np.ndarray) -> np.ndarray:
    """Per claim, the monitor id its `source` names (object array)."""
    codes, unique = pd.factorize(pd.Series(sources, dtype=object))
    named = np.array([monitors.claimant(str(s)) for s in unique], dtype=object)
    return named[codes]


def part_of(cites: str, monitor: str) -> int:
    """The part (index into `PARTS`) of a record citing `cites`, against `monitor`."""
    ids = set(cites.split(monitors.SEPARATOR)) - {""}
    if monitor != UNKNOWN and monitor in ids:
        return PARTS.index("claimant")
    if not ids or UNKNOWN in ids:
        return PARTS.index("unknown")
    return PARTS.index("independent")


def parts(found: Contributions, claimant_of: np.ndarray) -> np.ndarray:
    """Per pair, its part (index into `PARTS`) against its claim's claimant; the
    lookup is one small table (claimants x cite sets), so it costs one index per pair."""
    monitors = np.unique(claimant_of.astype(str))
    table = np.array(
        [[part_of(s, m) for s in found.cite_sets] for m in monitors], dtype="int8"
    ).reshape(len(monitors), len(found.cite_sets))
    if not len(found):
        return np.zeros(0, dtype="int8")
    which = np.searchsorted(monitors, claimant_of.astype(str)[found.query])
    return table[which, found.extra["cites"]]


def split(found: Contributions, claimant_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(claims x 3) sums of the low and of the high contributions by part (`PARTS`)."""
    n = len(claimant_of)
    at = found.query * len(PARTS) + parts(found, claimant_of)
    size = n * len(PARTS)
    low = np.bincount(at, weights=found.low, minlength=size).astype(float)
    high = np.bincount(at, weights=found.high, minlength=size).astype(float)
    return low.reshape(n, len(PARTS)), high.reshape(n, len(PARTS))


def counting_only(monitor: str) -> str:
    """How the independent verdict's reason begins, naming the claimant."""
    from analysis import labels

    if monitor == UNKNOWN:
        return "The claim names no monitor; counting only records whose sources are known: "
    return (
        f"Counting only records that do not cite {labels.word('monitor', monitor)} "
        "(records whose sources are unknown left out too): "
    )


def headline_ends(rows: pd.DataFrame) -> pd.DataFrame:
    """The evidence ends that set each claim's verdict: per claim, the source row whose
    low equals `evidence_low` (role both or lower) and the one whose high equals a
    finite `evidence_high` (both or upper); ties go to the first row, as on the landing
    page. Columns: claim_id, monitor (the claimant), source, end, number and the three
    parts."""
    found = []
    for claim_id, group in rows.groupby("claim_id", sort=False):
        for end, roles in (("low", ("both", "lower")), ("high", ("both", "upper"))):
            target = group[f"evidence_{end}"].iloc[0]
            if not np.isfinite(target):
                continue
            setting = group[group["role"].isin(roles) & (group[end] == target)]
            if setting.empty:
                continue
            row = setting.iloc[0]
            found.append(
                {
                    "claim_id": claim_id,
                    "monitor": row["claimant"],
                    "source": row["source"],
                    "end": end,
                    "number": row[end],
                    **{part: row[f"{end}_{part}"] for part in PARTS},
                }
            )
    columns = ["claim_id", "monitor", "source", "end", "number", *PARTS]
    return pd.DataFrame(found, columns=columns)


def in_words(split: pd.DataFrame) -> pd.Series:
    """Each split in words: `2,554 low end: 1,959 independent of SOHR, 564 citing
    SOHR, 31 unknown` (`with known sources` for a claim that names no monitor)."""
    from analysis import labels

    def one(row: pd.Series) -> str:
        head = f"{labels.amount(row['number'])} {row['end']} end: "
        independent, claimant, unknown = (labels.amount(row[p]) for p in PARTS)
        if row["monitor"] == UNKNOWN:
            return head + f"{independent} with known sources, {unknown} unknown"
        who = labels.word("monitor", row["monitor"])
        return head + (
            f"{independent} independent of {who}, {claimant} citing {who}, {unknown} unknown"
        )

    return split.apply(one, axis=1).astype(object) if len(split) else pd.Series(dtype=object)


def split_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Every speaking source's numbers split three ways, one row per claim, source and
    end (an open high end left out): columns claim_id, monitor (the claimant), source,
    end, number, the parts, `headline` (the end sets the claim's verdict) and
    `in_words`."""
    speaking = rows[rows["role"].isin(("both", "lower", "upper", "own"))]
    found = []
    for end in ("low", "high"):
        bounded = speaking[
            speaking["role"].isin(("both", "own", "lower" if end == "low" else "upper"))
            & np.isfinite(speaking[end])
            & speaking[f"{end}_independent"].notna()
        ]
        found.append(
            pd.DataFrame(
                {
                    "claim_id": bounded["claim_id"],
                    "monitor": bounded["claimant"],
                    "source": bounded["source"],
                    "end": end,
                    "number": bounded[end],
                    **{part: bounded[f"{end}_{part}"] for part in PARTS},
                    "order": bounded.index,
                }
            )
        )
    table = pd.concat(found).sort_values(["order", "end"], ascending=[True, False])
    heads = headline_ends(rows)[["claim_id", "source", "end"]].assign(headline=True)
    table = table.drop(columns="order").merge(heads, how="left", on=["claim_id", "source", "end"])
    table["headline"] = table["headline"].astype("boolean").fillna(False).astype(bool)
    table["in_words"] = in_words(table)
    return table.reset_index(drop=True)


def headline_records(done: Ledger, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The records behind the numbers that set the verdicts (`headline_ends`), one row
    per distinct record and end it adds to: columns source, record_id, end, adds
    (what it adds to that end, summed over the claims it serves), cites, part (of the
    first claim it serves), claims (their ids joined by `;`)."""
    from analysis.evidence.records import record_ids

    heads = headline_ends(done.rows)
    position = {c: i for i, c in enumerate(done.claims["claim_id"])}
    found = []
    for (source, end), group in heads.groupby(["source", "end"], sort=False):
        pairs = done.evidence.answers[source].contributions
        wanted = np.array([position[c] for c in group["claim_id"]])
        added = pairs.low if end == "low" else pairs.high
        mine = np.isin(pairs.query, wanted) & (added > 0)
        chosen = pairs.take(mine)
        claimant_of = done.rows.drop_duplicates("claim_id")["claimant"].to_numpy(dtype=object)
        found.append(
            pd.DataFrame(
                {
                    "source": source,
                    "record": chosen.record,
                    "end": end,
                    "adds": added[mine],
                    "cites": chosen.cites(),
                    "part": np.asarray(PARTS, dtype=object)[parts(chosen, claimant_of)],
                    "claim": done.claims["claim_id"].to_numpy(dtype=object)[chosen.query],
                }
            )
        )
    if not found:
        columns = ["source", "record_id", "end", "adds", "cites", "part", "claims"]
        return pd.DataFrame(columns=columns)
    table = pd.concat(found, ignore_index=True)
    out = table.groupby(["source", "record", "end"], sort=False, as_index=False).agg(
        adds=("adds", "sum"),
        cites=("cites", "first"),
        part=("part", "first"),
        claims=("claim", lambda c: ";".join(dict.fromkeys(c))),
    )
    ids = pd.Series("", index=out.index, dtype=object)
    for source, group in out.groupby("source", sort=False):
        chosen = tables[source].iloc[group["record"].to_numpy()]
        ids[group.index] = record_ids(str(source), chosen).to_numpy(dtype=object)
    out.insert(1, "record_id", ids)
    return out.drop(columns="record")
