"""Figures of one year of strikes: tallies by victim category, the monthly timeline.

`category_ranges` prepares the tallies under a grading and attribution rule (the
claims ledger's rule by default, or one named rule for both ends, as the sweep
does); the plotting functions draw them with their ranges beside the published
figures for the same perpetrator and period.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from analysis import labels
from analysis.evidence.airwars import LEDGER, RuleSet
from analysis.evidence.tallies import Tallies, tallies
from analysis.figures import elements
from analysis.figures.save import Chart
from analysis.figures.theme import colour, look, who
from analysis.intervals import Interval, from_figure
from analysis.metrics import series, shares

#: Airwars categories shown, in reading order.
CATEGORIES = ("civilians", "children", "women", "civilian_men")
LEDGER_RULE = "ledger"


def category_tallies(
    table: pd.DataFrame,
    perpetrator: str,
    start: str,
    end: str,
    grading_rule: str = LEDGER_RULE,
    attribution: str = LEDGER_RULE,
) -> Tallies:
    """Airwars deaths by category, with the incidents behind each number: table
    columns category, low, high, incidents_low, incidents_high (and `key`, the
    category again, naming each row's contributions table).

    With the `ledger` rules, low and high follow the claims ledger (low: Confirmed or
    Fair, sole belligerent; high: all but Discounted, shared). Otherwise both ends
    use the one named grading rule and attribution (low: sum of minimums, high: sum
    of maximums), as the sweep does.
    """
    if (grading_rule == LEDGER_RULE) != (attribution == LEDGER_RULE):
        raise ValueError(
            "grading_rule and attribution must both be 'ledger' or neither "
            f"(found {grading_rule!r}, {attribution!r})"
        )
    rules = (
        LEDGER
        if grading_rule == LEDGER_RULE
        else RuleSet(grading_rule, attribution, grading_rule, attribution)
    )
    queries = pd.DataFrame(
        {
            "key": list(CATEGORIES),
            "perpetrator": perpetrator,
            "category": list(CATEGORIES),
            "area": "syria",
            "period_start": pd.Timestamp(start),
            "period_end": pd.Timestamp(end),
        }
    )
    found = tallies(table, queries, rules)
    return replace(found, table=found.table.assign(category=list(CATEGORIES)))


def category_ranges(
    table: pd.DataFrame,
    perpetrator: str,
    start: str,
    end: str,
    grading_rule: str = LEDGER_RULE,
    attribution: str = LEDGER_RULE,
) -> pd.DataFrame:
    """The table of `category_tallies`: columns category, low, high, incidents_low,
    incidents_high."""
    found = category_tallies(table, perpetrator, start, end, grading_rule, attribution)
    return found.table[["category", "low", "high", "incidents_low", "incidents_high"]]


def published_for(published: pd.DataFrame, perpetrator: str, start: str, end: str) -> pd.DataFrame:
    """Published figures for exactly this perpetrator and period over Syria, with
    the range each qualifier allows: the `published` columns plus low, high."""
    chosen = published[
        published["perpetrator"].eq(perpetrator)
        & published["area"].eq("syria")
        & published["period_start"].eq(pd.Timestamp(start))
        & published["period_end"].eq(pd.Timestamp(end))
        & published["figure"].notna()
    ].copy()
    ranges = [from_figure(f, q) for f, q in zip(chosen["figure"], chosen["qualifier"], strict=True)]
    chosen["low"] = [r.low for r in ranges]
    chosen["high"] = [min(r.high, r.low * 10) for r in ranges]  # open ends drawn finite
    return chosen.reset_index(drop=True)


def tallies_figure(
    ranges: pd.DataFrame,
    published: pd.DataFrame,
    *,
    perpetrator: str,
    start: str,
    end: str,
    rule: str,
) -> Chart:
    """Horizontal range bars per category, published figures as markers beside them;
    the caption says whether any published figure covers this perpetrator and period."""
    names = [look(c).label for c in ranges["category"]]
    fig, ax = elements.new_figure(height=4.2)
    positions = list(range(len(ranges)))
    elements.range_bars(
        ax,
        [p + 0.18 for p in positions],
        ranges["low"],
        ranges["high"],
        "airwars",
        width=0.32,
        horizontal=True,
        label=f"Airwars, minimum to maximum ({rule})",
    )
    shown = published[published["category"].isin(list(ranges["category"]))]
    if not shown.empty:
        where = {c: i for i, c in enumerate(ranges["category"])}
        at = [where[c] - 0.18 for c in shown["category"]]
        elements.range_bars(
            ax,
            at,
            shown["low"],
            shown["high"],
            "article",
            width=0.2,
            horizontal=True,
            label="Published figures (range of the wording)",
        )
    ax.set_yticks(positions, names)
    ax.invert_yaxis()
    ax.set_xlabel("People killed (count)")
    elements.thousands(ax, "x")
    ax.set_xlim(left=0)
    ax.set_title(f"Deaths in strikes attributed to {who(perpetrator)}, {start} to {end}")
    ax.legend(loc="lower right")
    elements.source_note(
        fig,
        "Airwars incident archive (civilian harm only; no fighter "
        "counts); published figures as curated in data/raw/"
        "published_figures.csv.",
    )
    period = f"{labels.day(start)} to {labels.day(end)}"
    bars = "; ".join(
        f"{labels.word('category', row.category)} {labels.span(row.low, row.high)}"
        for row in ranges.itertuples(index=False)
    )
    drawn = "; ".join(
        f"{row.monitor}: {labels.claim(row.figure, row.qualifier, row.category)}"
        for row in shown.itertuples(index=False)
    )
    caption = (
        f"People killed in Airwars incidents attributed to {who(perpetrator)}, {period}, by "
        f"victim category ({rule}). Each blue bar runs from the sum of the incidents' "
        "minimums to the sum of their maximums. "
        + (
            f"Black bars and stars are the {len(shown)} published figure(s) for exactly this "
            "perpetrator and period, each as the range its wording allows. "
            if drawn
            else "No published figure covers exactly this perpetrator and period, so none "
            "is drawn. "
        )
        + "Documented counts are minimums."
    )
    alt = f"Horizontal range bars, Airwars, {who(perpetrator)}, {period}: {bars}. " + (
        f"Published figures: {drawn}." if drawn else "No published figures."
    )
    return Chart(fig, caption, alt)


def timeline_figure(
    monthly: pd.DataFrame,
    events: pd.DataFrame,
    *,
    perpetrator: str,
    start: str,
    end: str,
    area: str = "syria",
) -> Chart:
    """Civilian deaths per month as a minimum-maximum band, with dated events; the
    legend sits under the axes, clear of the event lines and labels. The title,
    caption and alt text name the area, so one governorate never reads as Syria."""
    where = labels.word("area", area)
    fig, ax = elements.new_figure(height=5.0, bottom=0.3)
    middle = monthly["middle"]
    elements.range_band(
        ax,
        middle,
        monthly["low"],
        monthly["high"],
        "airwars",
        label="Airwars civilians killed, minimum to maximum",
    )
    ax.plot(
        middle,
        monthly["high"],
        linestyle="none",
        marker=look("airwars").marker,
        color=look("airwars").color,
        markersize=4,
    )
    ax.set_ylim(0, float(monthly["high"].max()) * 1.3 + 1)
    ax.set_xlim(
        pd.Timestamp(start) - pd.Timedelta(days=5), pd.Timestamp(end) + pd.Timedelta(days=5)
    )
    elements.mark_events(ax, events)
    elements.month_axis(ax)
    elements.thousands(ax)
    ax.set_ylabel("Civilians killed per month (count)")
    ax.set_xlabel("Month of the incident's start date")
    ax.set_title(f"Civilian deaths per month in {where}, strikes attributed to {who(perpetrator)}")
    # under the axes: event lines and their labels may fall anywhere inside them
    ax.legend(loc="upper left", bbox_to_anchor=(-0.1, -0.25))
    elements.source_note(
        fig,
        "Airwars incident archive; claims-ledger rule (low: Confirmed "
        "or Fair, sole belligerent; high: all but Discounted, shared).",
    )
    period = f"{labels.day(start)} to {labels.day(end)}"
    marked = "; ".join(
        f"{row.label} ({labels.day(row.date)})"
        for row in events.sort_values("date").itertuples(index=False)
    )
    caption = (
        f"Civilians killed per month in Airwars incidents attributed to {who(perpetrator)} "
        f"in {where}, {period}: the {colour('airwars')} band runs from the month's sum of "
        "incident minimums "
        "(Confirmed or Fair, sole belligerent) to its sum of maximums (all but Discounted, "
        "shared). "
        + (
            f"Dotted lines mark dated events: {marked}."
            if marked
            else "No dated event falls in the period."
        )
    )
    peak = monthly.loc[monthly["high"].idxmax()]
    alt = (
        f"Band chart over {len(monthly)} months: civilians killed per month by "
        f"{who(perpetrator)} in {where}, {period}, "
        f"{labels.span(monthly['low'].sum(), monthly['high'].sum())}"
        f" in all. The high end peaks in {peak['month']:%B %Y} at "
        f"{labels.count(peak['high'])} (low end {labels.count(peak['low'])})."
    )
    return Chart(fig, caption, alt)


def monthly_tallies(
    table: pd.DataFrame, perpetrator: str, start: str, end: str, area: str = "syria"
) -> Tallies:
    """Civilian deaths per month (ledger rule) of incidents dated within [start, end]
    and located in `area`, with the incidents behind each month.

    Table columns: month (first day), low, high, incidents_low, incidents_high,
    cum_low, cum_high, and `middle`, the middle of the part of the month inside the
    period (where a timeline draws the month); `key` is the month as YYYY-MM. Every
    month of the period is present; a month cut by the period's edges counts only
    its days inside.
    """
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    months = pd.date_range(first.to_period("M").to_timestamp(), last, freq="MS")
    inside_from = pd.Series(months).clip(lower=first)
    inside_to = pd.Series(months + pd.offsets.MonthEnd(0)).clip(upper=last)
    queries = pd.DataFrame(
        {
            "key": months.strftime("%Y-%m"),
            "perpetrator": perpetrator,
            "category": "civilians",
            "area": area,
            "period_start": inside_from,
            "period_end": inside_to,
        }
    )
    found = tallies(table, queries)
    out = found.table.drop(columns="key")
    out.insert(0, "month", months)
    out = series.cumulative(out)
    out["middle"] = inside_from + (inside_to - inside_from) / 2
    out.insert(0, "key", found.table["key"])
    return replace(found, table=out.reset_index(drop=True))


def monthly(
    table: pd.DataFrame, perpetrator: str, start: str, end: str, area: str = "syria"
) -> pd.DataFrame:
    """The table of `monthly_tallies`, without its key."""
    return monthly_tallies(table, perpetrator, start, end, area).table.drop(columns="key")


def shares_table(ranges: pd.DataFrame) -> pd.DataFrame:
    """Shares with their ranges from `category_ranges`: children and women among
    civilians, and the women-and-children Dirty War Index over civilians of known sex
    and age (women + children + civilian men; Airwars records no fighters).

    Columns: measure, low, high (every value the two ranges allow, from
    `analysis.metrics.shares`), of_minimums and of_maximums (the same measure over
    the sums of minimums and of maximums alone: narrower, and closer to what one
    consistent reading of the incidents gives), unit.
    """
    get = {row.category: Interval(row.low, row.high) for row in ranges.itertuples(index=False)}
    known = get["women"] + get["children"] + get["civilian_men"]
    wanted = [
        ("children among civilians", get["children"], get["civilians"], 1.0, "share"),
        ("women among civilians", get["women"], get["civilians"], 1.0, "share"),
        (
            "Dirty War Index (women and children)",
            get["women"] + get["children"],
            known,
            100.0,
            "index 0-100",
        ),
    ]
    rows = []
    for measure, part, whole, scale, unit in wanted:
        found = shares.share(part, whole).scale(scale)
        rows.append(
            {
                "measure": measure,
                "low": found.low,
                "high": found.high,
                "of_minimums": scale * part.low / whole.low if whole.low else float("nan"),
                "of_maximums": scale * part.high / whole.high if whole.high else float("nan"),
                "unit": unit,
            }
        )
    return pd.DataFrame(rows)
