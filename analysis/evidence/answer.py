"""What a source answers to many queries at once: one row per query, and the pairs.

A query is a perpetrator, a category, an area and an inclusive period (the
`QUERY_COLUMNS` of a claims table). Each source answers every query with a role
(`both`, `lower`, `upper` or `none`), a low and a high end, the rule that made
them (`basis`) and its coverage, plus the records behind the numbers
(`Contributions`). The ends are sums of the contributions, so the two cannot
disagree: a `lower` answer's high end is infinite and an `upper` answer's low end
is 0, and there the contributions add 0.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.evidence.pairs import Contributions, days
from analysis.intervals import INF

QUERY_COLUMNS = ("perpetrator", "category", "area", "period_start", "period_end")
ROLES = ("both", "lower", "upper", "none")


@dataclass(frozen=True)
class Queries:
    """Queries as a frame (`QUERY_COLUMNS`, positions 0..n-1) and their days as ints."""

    frame: pd.DataFrame
    first: np.ndarray
    last: np.ndarray

    @classmethod
    def of(cls, frame: pd.DataFrame) -> Queries:
        missing = [c for c in QUERY_COLUMNS if c not in frame.columns]
        if missing:
            raise ValueError(f"queries lack column(s) {missing}; expected {QUERY_COLUMNS}")
        chosen = frame[list(QUERY_COLUMNS)].reset_index(drop=True)
        return cls(chosen, days(chosen["period_start"]), days(chosen["period_end"]))

    def __len__(self) -> int:
        return len(self.frame)

    def column(self, name: str) -> np.ndarray:
        return self.frame[name].to_numpy(dtype=object)

    def fit(self, first: pd.Timestamp, last: pd.Timestamp) -> np.ndarray:
        """Per query, how much of its period a window covers: `whole`, `part` or
        `outside`."""
        lo, hi = days(np.array([first, last], dtype="datetime64[ns]"))
        outside = (self.last < lo) | (self.first > hi)
        whole = (self.first >= lo) & (self.last <= hi)
        return np.where(outside, "outside", np.where(whole, "whole", "part")).astype(object)


@dataclass(frozen=True)
class Answer:
    """One source's answer to every query, and the records behind each number."""

    source: str
    role: np.ndarray
    low: np.ndarray
    high: np.ndarray
    basis: np.ndarray
    coverage: str
    #: the query's period lies wholly outside the source's window
    outside: np.ndarray
    contributions: Contributions

    @classmethod
    def from_pairs(
        cls,
        source: str,
        role: np.ndarray,
        basis: np.ndarray,
        coverage: str,
        outside: np.ndarray,
        contributions: Contributions,
    ) -> Answer:
        """The answer whose ends are the sums of `contributions`, as each role reads
        them (a side the role does not bound is 0 or infinite; `none` is NaN)."""
        lows, highs = contributions.sums(len(role))
        low = np.where(np.isin(role, ("both", "lower")), lows, 0.0)
        high = np.where(np.isin(role, ("both", "upper")), highs, INF)
        silent = role == "none"
        low[silent], high[silent] = np.nan, np.nan
        return cls(source, role, low, high, basis, coverage, outside, contributions)


def everyone_in_syria(queries: Queries, fit: np.ndarray) -> np.ndarray:
    """Queries about everyone killed by all parties in Syria, in part inside a source's
    window: all that a country-wide count of all dead can bound (from below)."""
    return (
        (queries.column("perpetrator") == "all")
        & np.isin(queries.column("category"), ("total", "people"))
        & (queries.column("area") == "syria")
        & (fit != "outside")
    )


def span(first: pd.Timestamp, last: pd.Timestamp) -> str:
    return f"{first.date()} to {last.date()}"


def by_key(keys: Sequence[Hashable], text: Mapping[Hashable, str]) -> np.ndarray:
    """One string per query from a small table of strings per key."""
    return np.array([text[k] for k in keys], dtype=object)
