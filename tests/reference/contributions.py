"""Test oracle: one claim at a time, each source's answer (`reference.evidence`) and,
with plain pandas masks written from the documented rules (docs/methods.md, section
3.2, "Records looked at"), the records each source looks at and what each adds: the
engine's vectorised pairs must give exactly the same. Nothing is taken from the
package but the tables and the vocabulary's data (see `reference.evidence`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from reference import airwars as aw
from reference import vdc as weekly
from reference.airwars import in_area
from reference.evidence import Evidence, brd_years, gather, vdc_cut

SPEAKING = ("both", "lower", "upper")


def _overlaps(first: pd.Series, last: pd.Series, start: pd.Timestamp, end: pd.Timestamp):
    return ((first <= end) & (last >= start)).fillna(False).to_numpy(bool)


def _airwars(claim: pd.Series, table: pd.DataFrame, role: str) -> pd.DataFrame:
    start, end = claim["period_start"], claim["period_end"]
    rows = aw.rows(table, claim["perpetrator"], claim["category"], start, end, claim["area"])
    last = (
        table["date_end"]
        .fillna(table["date"])
        .where(table["date_end"].fillna(table["date"]) >= table["date"], table["date"])
    )
    near = in_area(table, claim["area"], superset=True).to_numpy() & _overlaps(
        table["date"], last, start, end
    )
    looked = near.copy()  # of the rows near the claim, those naming the perpetrator
    looked[near] = aw.named(table[near], claim["perpetrator"]).to_numpy()
    low = np.where(rows["counts_low"], rows["low"], 0.0)
    high = np.where(rows["counts_high"] & (role == "both"), rows["high"], 0.0)
    return pd.DataFrame(
        {"record": np.flatnonzero(looked), "low": low[looked], "high": high[looked]}
    )


def _ged(claim: pd.Series, table: pd.DataFrame, role: str) -> pd.DataFrame:
    start, end = claim["period_start"], claim["period_end"]
    first, last = table["date_start"], table["date_end"].fillna(table["date_start"])
    looked = _overlaps(first, last, start, end) & in_area(table, claim["area"], superset=True)
    inside = ((first >= start) & (last <= end)).to_numpy() & in_area(table, claim["area"])
    n = table[["deaths_civilians", "deaths_unknown", "low", "best", "high"]].astype(float).fillna(0)
    if claim["category"] == "civilians":
        small = n["deaths_civilians"]
        large = small + n["deaths_unknown"] + (n["high"] - n["best"]).clip(lower=0)
    else:
        small, large = n["low"], n["high"]
    low = np.where((role == "lower") & inside, small, 0.0)
    high = np.where(role == "upper", large, 0.0)
    return pd.DataFrame(
        {"record": np.flatnonzero(looked), "low": low[looked], "high": high[looked]}
    )


def _brd(claim: pd.Series, table: pd.DataFrame) -> pd.DataFrame:
    years = brd_years(claim, table)
    looked = years["overlaps"].to_numpy()
    low = np.where(years["inside"], years["low"], 0.0)
    positions = table.index.get_indexer(years.index)
    return pd.DataFrame({"record": positions[looked], "low": low[looked], "high": 0.0})


def _vdc_weekly(claim: pd.Series, table: pd.DataFrame, role: str) -> pd.DataFrame:
    start, end = claim["period_start"], claim["period_end"]
    if role == "lower":
        rows = weekly.rows(table, vdc_cut(claim))
    else:
        found = weekly.tightest_ceiling(table, vdc_cut(claim), start, end)
        rows = None if found is None else found[1]
    assert rows is not None
    counted = weekly.weeks(rows, start, end)
    looked = counted["overlaps"].to_numpy()
    deaths = counted["deaths"].to_numpy()
    positions = table.index.get_indexer(rows.index)
    return pd.DataFrame(
        {
            "record": positions[looked],
            "low": np.where((role == "lower") & counted["inside"], deaths, 0.0)[looked],
            "high": np.where(role == "upper", deaths, 0.0)[looked],
        }
    ).sort_values("record", ignore_index=True)


def _vdc_daily(claim: pd.Series, table: pd.DataFrame) -> pd.DataFrame:
    looked = table["date"].between(claim["period_start"], claim["period_end"]).to_numpy()
    deaths = table["deaths"].astype(float).fillna(0).to_numpy()
    return pd.DataFrame({"record": np.flatnonzero(looked), "low": deaths[looked], "high": 0.0})


def records(claim: pd.Series, tables: Mapping[str, pd.DataFrame], found: Evidence) -> pd.DataFrame:
    """The records one source looks at for one claim, with what each adds."""
    table = tables[found.source]
    if found.source == "airwars":
        return _airwars(claim, table, found.role)
    if found.source == "ucdp_ged":
        return _ged(claim, table, found.role)
    if found.source == "ucdp_brd":
        return _brd(claim, table)
    if found.source == "vdc_weekly":
        return _vdc_weekly(claim, table, found.role)
    return _vdc_daily(claim, table)


def answers(
    claim: pd.Series, tables: Mapping[str, pd.DataFrame]
) -> list[tuple[Evidence, pd.DataFrame | None]]:
    """Each source's pre-engine answer to one claim, with its records when it speaks."""
    out: list[tuple[Evidence, pd.DataFrame | None]] = []
    for found in gather(claim, tables):
        if found.role in SPEAKING:
            out.append((found, records(claim, tables, found)))
        else:
            out.append((found, None))
    return out
