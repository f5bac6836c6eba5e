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

import warnings

import matplotlib.pyplot as plt
import pandas as pd
import upsetplot

from analysis import labels
from analysis.figures.save import Chart
from analysis.figures.theme import LOOKS
from analysis.monitors import UNKNOWN, monitors_of

#: Combinations drawn, largest first.
LARGEST = 14
PAD = "    "
#: Monitors as a matrix row names them (short, so the totals' labels fit).
SHORT = {
    "sohr": "SOHR",
    "snhr": "SNHR",
    "vdc": "VDC",
    "lcc": "LCC",
    "syria_civil_defence": "Civil Defence",
    "airwars": "Airwars",
    "russian_mod": "Russian MoD",
    "news_agency": "News agencies",
    "local_media": "Local media",
    "social_media": "Social media",
    "other": "Other",
    UNKNOWN: "Not captured",
}
#: Colour of each source's part of a bar (the look of its family of sources).
SOURCE_COLORS = {
    "airwars": LOOKS["airwars"].color,
    "ucdp_ged": LOOKS["ucdp"].color,
    "ucdp_brd": "#F0E442",
    "vdc_weekly": LOOKS["vdc"].color,
    "vdc_daily": "#117733",
}


def _members(cites: str) -> list[str]:
    """A record's monitors as the matrix rows name them; the leading spaces widen the
    label column, which upsetplot measures a little short of what it draws."""
    found = monitors_of(cites)
    names = sorted(SHORT.get(m, m) for m in found) if found else [SHORT[UNKNOWN]]
    return [PAD + name for name in names]


def overlap_figure(records: pd.DataFrame) -> Chart:
    """UpSet plot of the monitors cited by `records` (columns source, record_id,
    cites, part), one record counted once."""
    distinct = records.drop_duplicates(["source", "record_id"]).reset_index(drop=True)
    if distinct.empty:
        raise ValueError("no records behind the headline numbers: nothing to draw")
    distinct = distinct.assign(source=distinct["source"].map(lambda s: labels.word("source", s)))
    with warnings.catch_warnings():  # upsetplot's own pandas deprecations, not ours
        warnings.filterwarnings("ignore", module="upsetplot")
        return _draw(distinct)


def _draw(distinct: pd.DataFrame) -> Chart:
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
        show_counts="{:,.0f}",
        element_size=None,
        intersection_plot_elements=0,  # the stacked bars by source take their place
        totals_plot_elements=3,
    )
    colors = {labels.word("source", s): c for s, c in SOURCE_COLORS.items()}
    present = sorted(set(distinct["source"]))
    plot.add_stacked_bars(
        by="source",
        colors=[colors.get(s, "#999999") for s in present],
        title="Records",
        elements=5,
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
    top = ", ".join(f"{name.strip()} {n:,}" for name, n in per_monitor.head(5).items())
    resting = distinct[distinct["part"] == "claimant"]
    claimant = (
        f" {len(resting):,} records cite the claim's own monitor, in "
        f"{resting['cites'].nunique():,} combinations."
        if len(resting)
        else ""
    )
    caption = (
        f"Each column is one combination of monitors that records cite together; its bar "
        f"counts the {len(distinct):,} records that add to an evidence end setting a "
        f"claim's verdict (each record once), stacked by source. Dots below name the "
        f"combination; the totals at the left count records citing each monitor, alone "
        f"or with others. `{SHORT[UNKNOWN]}`: records whose sources were not captured, "
        f"never counted as independent.{claimant} Bars count records, not deaths; the "
        "split table gives deaths."
        + (
            f" The {len(sizes) - len(shown):,} smallest combinations ({left_out:,} records) "
            "are not drawn."
            if left_out
            else ""
        )
    )
    largest = shown.index[0]
    names = [n.strip() for n, on in zip(shown.index.names, largest, strict=True) if on]
    alt = (
        f"UpSet plot of {len(distinct):,} records behind the headline numbers. Records "
        f"citing each monitor: {top}. The largest combination is "
        f"{' and '.join(names)} alone with {int(shown.iloc[0]):,} records.{claimant}"
    )
    return Chart(fig, caption=caption, alt=alt)
