"""Which monitors the records behind the headline numbers cite: an UpSet plot.

The records are those that add to an evidence end that sets one of the claims'
verdicts (`analysis.claims.independence.headline_records`), each counted once
however many ends and claims it serves. Each column of the plot is one combination
of monitors that records cite together (a record citing SOHR and the VDC is in the
column with both dots, not in SOHR's or the VDC's alone); its bar is the number of
records, stacked by source. Records whose sources were not captured form the
column `unknown`. The totals on the left count records citing each monitor, alone
or with others.

Known drawbacks. Bars count records, not deaths: a GED aggregate of a year and an
Airwars incident of one strike weigh the same. The deaths are in the split table
beside the figure. Only the `LARGEST` combinations are drawn; the caption says how
many records the others hold.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import upsetplot

from analysis import labels
from analysis.figures.save import Chart
from analysis.figures.theme import LOOKS
from analysis.monitors import UNKNOWN, monitors_of

#: Combinations drawn, largest first.
LARGEST = 14
#: Colour of each source's part of a bar (the look of its family of sources).
SOURCE_COLORS = {
    "airwars": LOOKS["airwars"].color,
    "ucdp_ged": LOOKS["ucdp"].color,
    "ucdp_brd": "#F0E442",
    "vdc_weekly": LOOKS["vdc"].color,
    "vdc_daily": "#117733",
}


def _members(cites: str) -> list[str]:
    found = monitors_of(cites)
    return (
        sorted(labels.word("monitor", m) for m in found)
        if found
        else [labels.word("monitor", UNKNOWN)]
    )


def overlap_figure(records: pd.DataFrame) -> Chart:
    """UpSet plot of the monitors cited by `records` (columns source, record_id,
    cites), one record counted once."""
    distinct = records.drop_duplicates(["source", "record_id"]).reset_index(drop=True)
    if distinct.empty:
        raise ValueError("no records behind the headline numbers: nothing to draw")
    distinct = distinct.assign(source=distinct["source"].map(lambda s: labels.word("source", s)))
    data = upsetplot.from_memberships(
        [_members(c) for c in distinct["cites"]], data=distinct[["source"]]
    )
    sizes = data.groupby(level=list(range(data.index.nlevels))).size()
    shown = sizes.sort_values(ascending=False, kind="stable").head(LARGEST)
    left_out = int(sizes.sum() - shown.sum())
    plot = upsetplot.UpSet(
        data,
        subset_size="count",
        sort_by="cardinality",
        sort_categories_by="cardinality",
        max_subset_rank=LARGEST,
        show_counts="{:,}",
        element_size=None,
    )
    colors = {labels.word("source", s): c for s, c in SOURCE_COLORS.items()}
    present = sorted(set(distinct["source"]))
    plot.add_stacked_bars(
        by="source",
        colors=[colors.get(s, "#999999") for s in present],
        title="Records by source",
        elements=4,
    )
    fig = plt.figure(figsize=(10.5, 7.0))
    plot.plot(fig=fig)
    fig.suptitle(
        "Which monitors the records behind the headline numbers cite",
        x=0.01,
        ha="left",
        fontweight="bold",
    )
    per_monitor = pd.Series([m for c in distinct["cites"] for m in _members(c)]).value_counts()
    top = ", ".join(f"{name} {count:,}" for name, count in per_monitor.head(5).items())
    caption = (
        f"Each column is one combination of monitors that records cite together; its bar "
        f"counts the {len(distinct):,} records that add to an evidence end setting a "
        f"claim's verdict (each record once), stacked by source. Dots below name the "
        f"combination; the totals at the left count records citing each monitor, alone "
        f"or with others. `{labels.word('monitor', UNKNOWN)}`: records whose sources were "
        f"not captured, never counted as independent. Bars count records, not deaths; "
        f"the table beside gives deaths."
        + (
            f" The {len(sizes) - len(shown):,} smallest combinations ({left_out:,} records) "
            "are not drawn."
            if left_out
            else ""
        )
    )
    largest = shown.index[0]
    names = [n for n, on in zip(shown.index.names, largest, strict=True) if on]
    alt = (
        f"UpSet plot of {len(distinct):,} records behind the headline numbers. Records "
        f"citing each monitor: {top}. The largest combination is "
        f"{' and '.join(names)} alone with {int(shown.iloc[0]):,} records."
    )
    return Chart(fig, caption=caption, alt=alt)
