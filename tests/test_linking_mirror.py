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
    given = links.groupby("ged_id")["allocated"].sum()
    deaths = links.drop_duplicates("ged_id").set_index("ged_id")["deaths"]
    assert (given <= deaths.reindex(given.index) + 1e-9).all(), "a GED death counts twice"
    assert (links["match_probability"] >= 0.5).all()
    assert (
        not links["date_level"]
        .eq("same_day")
        .pipe(lambda same: same & (links["date_gap_days"] > 0))
        .any()
    )
    widest = pairs[(pairs["distance_km"] <= 25) & (pairs["date_gap_days"] <= 2)]
    assert set(links["sequence"]) <= set(widest["sequence"])
    per_incident = linking.corroborated("strict")
    airwars = analysis.load("airwars")
    assert per_incident["sequence"].tolist() == airwars["sequence"].tolist()
    assert not per_incident.loc[~per_incident["linkable"], "corroborated"].any()
    assert per_incident["corroborated"].sum() == links["sequence"].nunique()


def test_judged_sample_is_drawn_from_current_pairs_and_scored(real_tables: None) -> None:
    pairs = linking.pairs()
    design = validation.read_design(paths.LINK_SAMPLE_DESIGN)
    judged = validation.read_judgements(paths.LINK_JUDGEMENTS, pairs, design)
    assert judged.groupby("stratum").size().min() >= validation.PER_BAND
    assert len(judged) >= 100
    result = validation.evaluate(pairs, judged).set_index("rule")
    assert result.loc["loose", "recall"] >= result.loc["strict", "recall"]


def _gold_by_regex() -> set[tuple[str, int]]:
    """(current incident code, GED id) pairs by plain pandas string methods: every
    quoted Airwars citation, its code as the whole headline or in brackets, matched
    to current and earlier codes."""
    aw = analysis.load("airwars")
    ged = analysis.load("ucdp_ged")
    cites = ged[["id", "source_article"]].dropna()
    citations = (
        cites.assign(citation=cites["source_article"].str.findall(r'"Airwars,([^"]*)"'))
        .explode("citation")
        .dropna(subset=["citation"])
        .reset_index(drop=True)
    )
    headline = citations["citation"].str.split(",", n=1).str[1]
    code = r"[A-Z]{1,4}\d{1,5}[A-Za-z]?"
    whole = headline.str.extract(rf"^\s*({code})\s*$")[0].dropna()
    bracketed = headline[~headline.index.isin(whole.index)].str.extractall(rf"\(({code})\)")[0]
    found = pd.concat(
        [
            pd.DataFrame({"id": citations.loc[whole.index, "id"].to_numpy(), "code": whole}),
            pd.DataFrame(
                {
                    "id": citations["id"].reindex(bracketed.index.get_level_values(0)).to_numpy(),
                    "code": bracketed.to_numpy(),
                }
            ),
        ]
    )
    codes = pd.concat(
        [
            aw[["incident_code"]].assign(code=aw["incident_code"].str.strip()),
            aw[["incident_code", "earlier_codes"]]
            .assign(code=aw["earlier_codes"].str.split("|"))
            .explode("code")[["incident_code", "code"]],
        ]
    ).dropna()
    merged = found.merge(codes, on="code")
    return set(zip(merged["incident_code"].str.strip(), merged["id"].astype(int), strict=True))


def test_gold_citations_match_a_plain_regex_computation(real_tables: None) -> None:
    gold = linking.gold_citations()
    assert set(zip(gold["incident_code"].str.strip(), gold["ged_id"], strict=True)) == (
        _gold_by_regex()
    )
    assert len(gold) > 1000
    halves = gold.groupby("ged_id")["half"].nunique()
    assert (halves == 1).all(), "an event's pairs fall in two halves"
    counts = gold.drop_duplicates("ged_id")["half"].value_counts()
    assert abs(counts["train"] - counts["heldout"]) <= 1
    again = linking.gold_citations()
    pd.testing.assert_frame_equal(gold, again)


def test_validation_and_shares_tables(real_tables: None) -> None:
    table = linking.validation_table().set_index(["rule", "sample"])
    for rule in ("strict", "loose"):
        row = table.loc[(rule, "judged_weighted")]
        assert row["precision_low"] <= row["precision"] <= row["precision_high"]
        assert row["recall_low"] <= row["recall"] <= row["recall_high"]
        held = table.loc[(rule, "citations_heldout")]
        one = table.loc[(rule, "citations_heldout_one")]
        several = table.loc[(rule, "citations_heldout_several")]
        assert held["pairs"] == one["pairs"] + several["pairs"]
    # recall on the held-out half by plain pandas
    pairs = linking.pairs()
    heldout = linking.linkable_citations().query("half == 'heldout'")
    hits = heldout.merge(pairs[pairs["strict"]], on=["sequence", "ged_id"])
    assert table.loc[("strict", "citations_heldout"), "recall"] == pytest.approx(
        len(hits) / len(heldout)
    )
    shares = linking.shares()
    assert (
        (shares["band_low"] <= shares["share"]) & (shares["share"] <= shares["band_high"])
    ).all()
    summary = linking.summary()
    russia = summary.query(
        "rule == 'strict' and perpetrator == 'russia' and month.str.startswith('2016')",
        engine="python",
    )
    expected = russia["incidents_corroborated"].sum() / (
        russia["incidents_corroborated"].sum() + russia["incidents_uncorroborated"].sum()
    )
    row = shares.query(
        "perpetrator == 'russia' and year == 2016 and rule == 'strict' and links == 'any'"
    ).iloc[0]
    assert row["share"] == pytest.approx(expected)
    published = linking.outputs.shares_by_grading(summary, "strict", "russia", 2016)
    independent = shares.query(
        "perpetrator == 'russia' and year == 2016 and rule == 'strict' and links == 'independent'"
    ).iloc[0]
    everything = published[published["grading"] == "all"].iloc[0]
    assert independent["share"] == pytest.approx(everything["share_incidents"])


def test_link_command_writes_its_tables(real_tables: None, tmp_path: Path) -> None:
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
    for name, columns in {
        "gold_citations": ["incident_code", "ged_id", "half", "sequence", "event_citations"],
        "validation": list(validation.VALIDATION_COLUMNS),
        "shares": ["perpetrator", "year", "rule", "links", "share", "band_low", "band_high"],
    }.items():
        assert list(pd.read_csv(tmp_path / f"{name}.csv").columns) == columns
    summary = pd.read_csv(tmp_path / "summary.csv")
    strict_all = summary[(summary["rule"] == "strict") & (summary["perpetrator"] == "all")]
    assert (
        strict_all["incidents_corroborated"].sum()
        == links.query("rule == 'strict'")["corroborated"].sum()
    )
