"""Pairs of (query, record): which records a source's rule looks at for each query,
and what each record adds to the query's low and high end.

Every number the evidence engine publishes is a sum over such pairs, so a number
and the records behind it come from one computation and cannot disagree.

Method. Records and queries are date intervals (whole days). For each group of
queries that look at the same records (say, one perpetrator in one area), the
group's records are sorted by first day; a query's candidates are then a
contiguous run of that order, found by two binary searches, because no "short"
record spans more than `SHORT_DAYS`. The few longer records (UCDP's month- and
year-long aggregate events) are compared with every query of the group directly.
Runs are expanded to pairs with array arithmetic, not Python loops, so a thousand
queries cost little more than one.

Known drawbacks. Pairs are materialised: memory grows with the number of pairs
(queries times the records each looks at), which is why callers work on claims in
chunks (`analysis.claims.ledger.CHUNK`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

#: Records spanning more days than this are matched against queries one by one.
SHORT_DAYS = 31
#: Queries compared with long records at a time (bounds the comparison matrix).
_BLOCK = 4096


def days(values: pd.Series | pd.DatetimeIndex | np.ndarray) -> np.ndarray:
    """Dates as whole days since 1970 (int64); NaT becomes the smallest int64."""
    return np.asarray(values, dtype="datetime64[D]").astype("int64")


NAT = np.iinfo("int64").min


@dataclass
class Contributions:
    """What each record adds to each query's low and high end, for one source.

    `query` and `record` are positions (in the queries and in the source's table);
    `why` indexes `reasons`, one sentence each, and `ends`, which says for each
    reason which ends the record counts toward (`low and high`, `low`, `high` or
    `neither`). Sources may carry extra per-pair arrays in `extra` (Airwars keeps
    each pair's rule class and range, for robustness).
    """

    source: str
    query: np.ndarray
    record: np.ndarray
    low: np.ndarray
    high: np.ndarray
    why: np.ndarray
    reasons: tuple[str, ...]
    ends: tuple[str, ...]
    extra: dict[str, np.ndarray] = field(default_factory=dict)
    cite_sets: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.query)

    def sums(self, queries: int) -> tuple[np.ndarray, np.ndarray]:
        """Per query, the sum of the low and of the high contributions."""
        return (
            np.bincount(self.query, weights=self.low, minlength=queries),
            np.bincount(self.query, weights=self.high, minlength=queries),
        )

    def take(self, mask: np.ndarray | slice) -> Contributions:
        """The pairs where `mask` holds (a boolean mask, positions or a slice)."""
        return Contributions(
            self.source,
            self.query[mask],
            self.record[mask],
            self.low[mask],
            self.high[mask],
            self.why[mask],
            self.reasons,
            self.ends,
            {k: v[mask] for k, v in self.extra.items()},
            self.cite_sets,
        )

    def cited(self, cites: pd.Series) -> Contributions:
        """These pairs with what each record cites (`cites`: the source table's column,
        one string of monitor ids per record; missing reads `unknown`), as codes into
        `cite_sets`."""
        codes, sets = pd.factorize(cites.astype("string").fillna("unknown"), sort=True)
        extra = {**self.extra, "cites": codes.astype("int32")[self.record]}
        return replace(self, extra=extra, cite_sets=tuple(str(s) for s in sets))

    def cites(self) -> np.ndarray:
        """Each pair's record's `cites` string (object array); needs `cited` first."""
        if "cites" not in self.extra:
            raise ValueError(f"{self.source}: contributions carry no cites; call cited() first")
        return np.asarray(self.cite_sets, dtype=object)[self.extra["cites"]]

    @classmethod
    def empty(cls, source: str, reasons: tuple[str, ...], ends: tuple[str, ...]) -> Contributions:
        ints, floats = np.zeros(0, "int64"), np.zeros(0, "float64")
        return cls(source, ints, ints, floats, floats, np.zeros(0, "int16"), reasons, ends)

    @classmethod
    def concat(
        cls,
        parts: Iterable[Contributions],
        source: str,
        reasons: tuple[str, ...],
        ends: tuple[str, ...],
    ) -> Contributions:
        """One set of pairs from several with these reasons, sorted by (query, record)."""
        parts = [p for p in parts if len(p)]
        if not parts:
            return cls.empty(source, reasons, ends)
        extra_keys = set(parts[0].extra)
        if "cites" in extra_keys and len({p.cite_sets for p in parts}) > 1:
            raise ValueError(f"{source}: cannot join pairs cited from different tables")
        joined = cls(
            source,
            np.concatenate([p.query for p in parts]),
            np.concatenate([p.record for p in parts]),
            np.concatenate([p.low for p in parts]),
            np.concatenate([p.high for p in parts]),
            np.concatenate([p.why for p in parts]),
            reasons,
            ends,
            {k: np.concatenate([p.extra[k] for p in parts]) for k in extra_keys},
            parts[0].cite_sets,
        )
        order = np.lexsort((joined.record, joined.query))
        return joined.take(order)


def expand_runs(first: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For runs [first[i], last[i]) of positions, the pairs (i, position), run by run."""
    counts = np.maximum(last - first, 0)
    owner = np.repeat(np.arange(len(first)), counts)
    starts = np.repeat(first - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
    return owner, starts + np.arange(counts.sum())


def overlapping(
    rec_first: np.ndarray,
    rec_last: np.ndarray,
    q_first: np.ndarray,
    q_last: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Every (query, record) whose day ranges overlap: record first <= query last and
    record last >= query first (all inclusive). Records with an undated first day
    (`NAT`) overlap nothing. Returns positions into the given arrays, sorted by
    query then record position."""
    dated = np.flatnonzero(rec_first != NAT)
    length = rec_last[dated] - rec_first[dated]
    short, long_ = dated[length <= SHORT_DAYS], dated[length > SHORT_DAYS]
    order = short[np.argsort(rec_first[short], kind="stable")]
    sorted_first = rec_first[order]
    lo = np.searchsorted(sorted_first, q_first - SHORT_DAYS, side="left")
    hi = np.searchsorted(sorted_first, q_last, side="right")
    query, at = expand_runs(lo, hi)
    record = order[at]
    keep = rec_last[record] >= q_first[query]
    queries, records = [query[keep]], [record[keep]]
    for start in range(0, len(q_first), _BLOCK):
        block = slice(start, start + _BLOCK)
        hit = (rec_first[long_][None, :] <= q_last[block, None]) & (
            rec_last[long_][None, :] >= q_first[block, None]
        )
        qi, ri = np.nonzero(hit)
        queries.append(qi + start)
        records.append(long_[ri])
    query, record = np.concatenate(queries), np.concatenate(records)
    order = np.lexsort((record, query))
    return query[order], record[order]
