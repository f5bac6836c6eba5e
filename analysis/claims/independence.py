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

import numpy as np

from analysis import monitors
from analysis.evidence.pairs import Contributions
from analysis.importers.published import UNATTRIBUTED
from analysis.monitors import UNKNOWN

PARTS = ("independent", "claimant", "unknown")
#: The ledger's columns of the split, per end.
COLUMNS = tuple(f"{end}_{part}" for end in ("low", "high") for part in PARTS)


def claimant(source: str) -> str:
    """The monitor id a claim's `source` names (`analysis.monitors`); `unknown` for a
    claim no one is named for (`unattributed`), as for a published figure."""
    if source.strip().lower() == UNATTRIBUTED:
        return UNKNOWN
    return monitors.claimant(source)


def claimants(sources: np.ndarray) -> np.ndarray:
    """Per claim, the monitor id its `source` names (object array)."""
    named = {s: claimant(str(s)) for s in set(sources)}
    return np.array([named[s] for s in sources], dtype=object)


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
