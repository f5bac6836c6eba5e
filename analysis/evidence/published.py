"""Published figures beside many claims at once: context, never evidence.

A published figure (SOHR's own, or any monitor's statement in the curated table)
is shown beside a claim when it is about the same perpetrator, category and area
and its period starts and ends within `TOLERANCE` of the claim's. Each such figure
is one row of role `context`; its range is what its qualifier allows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import labels
from analysis.intervals import from_figure

#: How near a published figure's period must be to a claim's to be shown as context.
TOLERANCE = pd.Timedelta(days=31)


COLUMNS = ("query", "record", "source", "low", "high", "basis", "coverage")


def empty() -> pd.DataFrame:
    """No context rows."""
    return pd.DataFrame(
        {c: pd.Series(dtype="int64" if c in ("query", "record") else object) for c in COLUMNS}
    )


def context(claims: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """One row per (claim, published figure) shown as context, ordered by claim
    position then figure id: columns query, record (the figure's position in
    `table`), source (`published:<figure_id>`), low, high, basis, coverage."""
    left = claims[["perpetrator", "category", "area", "period_start", "period_end", "source"]]
    left = left.reset_index(drop=True).rename_axis("query").reset_index()
    right = table[table["figure"].notna()].rename_axis("record").reset_index()
    right = right.rename(
        columns={"period_start": "fig_start", "period_end": "fig_end", "source": "fig_source"}
    )
    pairs = left.merge(right, on=["perpetrator", "category", "area"], how="inner")
    near = ((pairs["fig_start"] - pairs["period_start"]).abs() <= TOLERANCE) & (
        (pairs["fig_end"] - pairs["period_end"]).abs() <= TOLERANCE
    )
    pairs = pairs[near.fillna(False)].sort_values(["query", "figure_id"], ignore_index=True)
    ranges = [from_figure(f, q) for f, q in zip(pairs["figure"], pairs["qualifier"], strict=True)]
    own = np.where(pairs["monitor"] == pairs["source"], "the claim's own monitor", "a monitor")
    return pd.DataFrame(
        {
            "query": pairs["query"].to_numpy("int64"),
            "record": pairs["record"].to_numpy("int64"),
            "source": "published:" + pairs["figure_id"].astype(str),
            "low": [r.low for r in ranges],
            "high": [r.high for r in ranges],
            "basis": [
                f"{m} via {p}, {labels.word('kind', k)} "
                f"({labels.word('qualifier', q) or 'exact'}): "
                f"{o}'s published figure, context not evidence"
                for m, p, k, q, o in zip(
                    pairs["monitor"],
                    pairs["publisher"],
                    pairs["kind"],
                    pairs["qualifier"],
                    own,
                    strict=True,
                )
            ],
            "coverage": [
                f"{s.date()} to {e.date()}"
                for s, e in zip(pairs["fig_start"], pairs["fig_end"], strict=True)
            ],
        }
    )
