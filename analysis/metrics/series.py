"""Monthly and cumulative series per source, increments of a published cumulative
series, and comparisons of two periods.

Months are calendar months labelled by their first day. Monthly series keep every
month from the first to the last row in scope, empty months as zero, so a
cumulative series never skips; rows without a date are counted in
`attrs["undated"]` rather than dropped silently.

Increments. SOHR publishes a running total of deaths from Russian strikes since 30
Sept 2015; the difference between two successive totals is the deaths added
between their dates. A negative increment means a later total is smaller than an
earlier one: it is reported (column `decreasing`), never repaired.

Known drawbacks. A published total's `period_end` is the day it was stated, often
known only to the month; increments between month-precision dates are rough.
"""

from __future__ import annotations

import pandas as pd

from analysis.intervals import Interval
from analysis.metrics import airwars
from analysis.metrics.areas import in_area


def _month(dates: pd.Series) -> pd.Series:
    return dates.dt.to_period("M").dt.to_timestamp()


def _complete(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Fill missing months with zeros between the first and last month present."""
    if frame.empty:
        return frame.reset_index()
    months = pd.date_range(frame.index.min(), frame.index.max(), freq="MS")
    return frame.reindex(months, fill_value=0)[columns].rename_axis("month").reset_index()


def cumulative(series: pd.DataFrame, columns: tuple[str, ...] = ("low", "high")) -> pd.DataFrame:
    """Add `cum_<column>` running sums to a monthly series, in month order."""
    out = series.sort_values("month").copy()
    for column in columns:
        out[f"cum_{column}"] = out[column].cumsum()
    return out


def airwars_monthly(
    table: pd.DataFrame, perpetrator: str, category: str, area: str = "syria"
) -> pd.DataFrame:
    """The ledger's Airwars rule month by month: month, low, high, incidents_low,
    incidents_high, cum_low, cum_high. `attrs["undated"]`: attributed incidents
    without a date."""
    # the evidence engine imports this package's Airwars vocabulary, so not at the top
    from analysis.evidence.tallies import incident_rows

    rows = incident_rows(table, perpetrator, category, "1900-01-01", "2100-12-31", area)
    rows["month"] = _month(table["date"]).to_numpy()[rows["record"].to_numpy()]
    low = rows[rows["counts_low"]].groupby("month")["low"].agg(["sum", "size"])
    high = rows[rows["counts_high"]].groupby("month")["high"].agg(["sum", "size"])
    frame = pd.DataFrame(
        {
            "low": low["sum"],
            "high": high["sum"],
            "incidents_low": low["size"],
            "incidents_high": high["size"],
        }
    ).fillna(0)
    out = cumulative(_complete(frame, list(frame.columns)))
    attributed = airwars.attribution(table, perpetrator, "shared") & in_area(table, area)
    out.attrs["undated"] = int((attributed & table["date"].isna()).sum())
    return out


def ged_monthly(table: pd.DataFrame, column: str = "best") -> pd.DataFrame:
    """GED deaths (all parties) by month of `date_start`: month, deaths, cum_deaths."""
    frame = (
        table.groupby(_month(table["date_start"]))[column].sum().astype(float).to_frame("deaths")
    )
    return cumulative(_complete(frame, ["deaths"]), ("deaths",))


def vdc_monthly(table: pd.DataFrame, status: str = "civilian", cause: str = "all") -> pd.DataFrame:
    """VDC weekly deaths (all parties) by month of `week_start`: month, deaths,
    cum_deaths. A week counts in the month it starts in."""
    rows = table[
        (table["status"] == status) & (table["cause"] == cause) & (table["dimension"] == "total")
    ]
    frame = (
        rows.groupby(_month(rows["week_start"]))["deaths"].sum().astype(float).to_frame("deaths")
    )
    return cumulative(_complete(frame, ["deaths"]), ("deaths",))


def daily_monthly(table: pd.DataFrame) -> pd.DataFrame:
    """A daily count (the VDC snapshot) by month: month, deaths, cum_deaths."""
    frame = table.groupby(_month(table["date"]))["deaths"].sum().astype(float).to_frame("deaths")
    return cumulative(_complete(frame, ["deaths"]), ("deaths",))


def increments(
    published: pd.DataFrame,
    *,
    monitor: str = "SOHR",
    perpetrator: str = "russia",
    category: str = "civilians",
    since: str = "2015-09-30",
    qualifiers: tuple[str, ...] = ("exact", "at_least"),
) -> pd.DataFrame:
    """Deaths added between successive totals of a published cumulative series.

    Rows: counts of `monitor` for the perpetrator and category over Syria, counted
    from `since`, with a known `period_end` and a qualifier in `qualifiers` (rounded
    figures such as "about 4,000" are left out by default), ordered by end date.
    Columns: period_end, figure, figure_id, previous_end, increment, days, per_day,
    decreasing.
    """
    chosen = published[
        published["monitor"].eq(monitor)
        & published["perpetrator"].eq(perpetrator)
        & published["category"].eq(category)
        & published["area"].eq("syria")
        & published["period_start"].eq(pd.Timestamp(since))
        & published["period_end"].notna()
        & published["kind"].eq("count")
        & published["qualifier"].isin(list(qualifiers))
    ].sort_values(["period_end", "figure_id"])
    out = chosen[["period_end", "figure", "figure_id"]].reset_index(drop=True)
    out["previous_end"] = out["period_end"].shift()
    out["increment"] = out["figure"].diff()
    out["days"] = (out["period_end"] - out["previous_end"]).dt.days
    out["per_day"] = out["increment"] / out["days"].where(out["days"] > 0)
    out["decreasing"] = out["increment"].lt(0)
    return out


def compare_periods(
    table: pd.DataFrame,
    perpetrator: str,
    category: str,
    pivot: str | pd.Timestamp,
    days_before: int,
    days_after: int,
    area: str = "syria",
) -> pd.DataFrame:
    """Airwars ranges in the `days_before` days before a date and the `days_after`
    days from it (the date itself counts after): period, start, end, days, low,
    high, low_per_day, high_per_day."""
    pivot = pd.Timestamp(pivot)
    spans = {
        "before": (pivot - pd.Timedelta(days=days_before), pivot - pd.Timedelta(days=1)),
        "after": (pivot, pivot + pd.Timedelta(days=days_after - 1)),
    }
    from analysis.evidence.tallies import tally

    rows = []
    for name, (start, end) in spans.items():
        found: Interval = tally(table, perpetrator, category, start, end, area)
        days = (end - start).days + 1
        rows.append(
            {
                "period": name,
                "start": start,
                "end": end,
                "days": days,
                "low": found.low,
                "high": found.high,
                "low_per_day": found.low / days,
                "high_per_day": found.high / days,
            }
        )
    return pd.DataFrame(rows)
