"""Linking on the real tables: the loose grid checked against a brute-force numpy
computation written independently of `analysis.linking`, the issue's anchor, and the
strict rule's contract on every pair."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis import linking, paths
from analysis.linking import validation

pytestmark = pytest.mark.mirror


@pytest.fixture(scope="module")
def grid(real_tables: None) -> pd.DataFrame:
    return linking.loose_grid()


def _brute_force(d_km: float, k_days: int) -> tuple[int, int, int, float]:
    """Russia 2016 by plain broadcasting: every incident against every GED event."""
    aw = analysis.load("airwars")
    ged = analysis.load("ucdp_ged")
    names_russia = aw["belligerents"].fillna("").str.split("|").map(lambda b: "russia" in b)
    rows = aw[
        names_russia
        & (aw["date"].dt.year == 2016)
        & aw["latitude"].notna()
        & aw["longitude"].notna()
        & aw["coordinate_issue"].isna()
    ]
    ev = ged[(ged["where_prec"] <= 3) & (ged["deaths_civilians"] > 0)]
    lat1, lon1 = (
        np.radians(rows["latitude"].to_numpy())[:, None],
        np.radians(rows["longitude"].to_numpy())[:, None],
    )
    lat2, lon2 = (
        np.radians(ev["latitude"].to_numpy())[None, :],
        np.radians(ev["longitude"].to_numpy())[None, :],
    )
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    km = 2 * 6371.0 * np.arcsin(np.sqrt(a))
    start = rows["date"].to_numpy()[:, None]
    end = rows["date_end"].fillna(rows["date"]).to_numpy()[:, None]
    k = np.timedelta64(k_days, "D")
    near_in_time = (ev["date_start"].to_numpy()[None, :] <= end + k) & (
        ev["date_end"].to_numpy()[None, :] >= start - k
    )
    hit = (near_in_time & (km <= d_km)).any(axis=1)
    high = (
        rows["civilians_killed_max"]
        .astype("Float64")
        .fillna(rows["civilians_killed_min"].astype("Float64"))
        .fillna(0)
        .to_numpy(dtype=float)
    )
    return len(rows), int(hit.sum()), int(high.sum()), float(high[hit].sum())


def test_issue_anchor_at_10_km_and_one_day(grid: pd.DataFrame) -> None:
    cell = grid.query("perpetrator == 'russia' and year == 2016 and d_km == 10 and k_days == 1")
    assert cell[["incidents", "corroborated"]].iloc[0].tolist() == [1475, 1030]
    assert cell[["civilians_high", "corroborated_civilians_high"]].iloc[0].tolist() == [
        10068,
        7870,
    ]


@pytest.mark.parametrize(("d_km", "k_days"), [(2, 0), (5, 2), (10, 1), (25, 2)])
def test_loose_grid_matches_brute_force(grid: pd.DataFrame, d_km: float, k_days: int) -> None:
    cell = grid.query(
        "perpetrator == 'russia' and year == 2016 and d_km == @d_km and k_days == @k_days"
    ).iloc[0]
    assert (
        int(cell["incidents"]),
        int(cell["corroborated"]),
        int(cell["civilians_high"]),
        float(cell["corroborated_civilians_high"]),
    ) == _brute_force(d_km, k_days)


def test_strict_rule_contract_on_real_pairs(real_tables: None) -> None:
    pairs = linking.pairs()
    links = pairs[pairs["strict"]]
    assert links["ged_id"].is_unique, "a GED event corroborates two incidents"
    assert (links["match_probability"] >= 0.5).all()
    widest = pairs[(pairs["distance_km"] <= 25) & (pairs["date_gap_days"] <= 2)]
    assert set(links["sequence"]) <= set(widest["sequence"])
    per_incident = linking.corroborated("strict")
    airwars = analysis.load("airwars")
    assert per_incident["sequence"].tolist() == airwars["sequence"].tolist()
    assert not per_incident.loc[~per_incident["linkable"], "corroborated"].any()
    assert per_incident["corroborated"].sum() == links["sequence"].nunique()


def test_judged_sample_is_drawn_from_current_pairs_and_scored(real_tables: None) -> None:
    judged = validation.read_judgements(paths.LINK_JUDGEMENTS)
    pairs = linking.pairs()
    keys = pd.MultiIndex.from_frame(pairs[["sequence", "ged_id"]])
    assert pd.MultiIndex.from_frame(judged[["sequence", "ged_id"]]).isin(keys).all()
    result = validation.evaluate(pairs, judged).set_index("rule")
    assert result.loc["strict", "precision"] > result.loc["loose", "precision"]
    assert result.loc["loose", "recall"] >= result.loc["strict", "recall"]


def test_link_command_writes_three_tables(real_tables: None, tmp_path: Path) -> None:
    from analysis.cli import main

    assert main(["link", "--out", str(tmp_path)]) == 0
    links = pd.read_csv(tmp_path / "links.csv")
    assert list(links.columns) == [
        "rule",
        "sequence",
        "incident_code",
        "corroborated",
        "ged_ids",
        "independence",
        "score",
        "distance_km",
        "date_gap_days",
    ]
    assert links.groupby("rule")["sequence"].apply(lambda s: s.is_unique).all()
    grid = pd.read_csv(tmp_path / "loose_grid.csv")
    assert list(grid.columns) == [
        "perpetrator",
        "year",
        "d_km",
        "k_days",
        "incidents",
        "corroborated",
        "civilians_high",
        "corroborated_civilians_high",
        "corroborated_independent",
        "corroborated_civilians_high_independent",
    ]
    summary = pd.read_csv(tmp_path / "summary.csv")
    strict_all = summary[(summary["rule"] == "strict") & (summary["perpetrator"] == "all")]
    assert (
        strict_all["incidents_corroborated"].sum()
        == links.query("rule == 'strict'")["corroborated"].sum()
    )
