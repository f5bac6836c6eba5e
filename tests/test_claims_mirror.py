"""The ledger on the real data, checked against plain pandas computations that do
not use the metrics code."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis import load
from analysis.claims import command

pytestmark = [pytest.mark.mirror, pytest.mark.usefixtures("real_tables")]
START, END = pd.Timestamp("2015-09-30"), pd.Timestamp("2016-09-30")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    out = tmp_path_factory.mktemp("claims")
    assert command.main(None, out) == 0
    json.loads((out / "ledger.json").read_text())
    return pd.read_csv(out / "ledger.csv")


def _row(frame: pd.DataFrame, claim: str, source: str) -> pd.Series:
    (found,) = frame[(frame["claim_id"] == claim) & (frame["source"] == source)].to_dict("records")
    return pd.Series(found)


def test_airwars_year_one_interval_equals_a_plain_pandas_computation(written):
    aw = load("airwars")
    year = aw[(aw["date"] >= START) & (aw["date"] <= END)]
    parts = year["belligerents"].fillna("").str.split("|")
    names_russia = parts.map(lambda codes: "russia" in codes)
    only_russia = parts.map(lambda codes: list(codes) == ["russia"])
    grading = year["grading"].astype(object)
    low = (
        year.loc[only_russia & grading.isin(["Confirmed", "Fair"]), "civilians_killed_min"]
        .fillna(0)
        .sum()
    )
    high = (
        year.loc[names_russia & (grading != "Discounted"), "civilians_killed_max"].fillna(0).sum()
    )
    row = _row(written, "A3", "airwars")
    assert (row["role"], row["low"], row["high"]) == ("both", low, high)
    assert (low, high) == (2554, 9649)  # 2,554: the README's Fair RS sum; none Confirmed


def test_vdc_upper_bound_equals_a_plain_pandas_computation(written):
    weekly = load("vdc_weekly")
    rows = weekly[
        (weekly["status"] == "civilian")
        & (weekly["cause"] == "Warplane shelling")
        & (weekly["dimension"] == "total")
    ]
    last_day = rows["week_start"] + pd.to_timedelta(rows["week_days"].astype(int) - 1, unit="D")
    overlapping = (rows["week_start"] <= END) & (last_day >= START)
    row = _row(written, "A3", "vdc_weekly")
    assert (row["role"], row["high"]) == ("upper", rows.loc[overlapping, "deaths"].sum())


def test_war_toll_floor_equals_whole_years_of_battle_deaths(written):
    brd = load("ucdp_brd")
    floor = brd.loc[(brd["gwcode"] == 652) & brd["year"].between(2012, 2015), "low"].sum()
    row = _row(written, "A9", "ucdp_brd")
    assert (row["role"], row["low"], row["verdict"]) == ("lower", floor, "within_evidence")


def test_article_verdicts(written):
    verdicts = written.drop_duplicates("claim_id").set_index("claim_id")["verdict"].to_dict()
    assert verdicts["A5"] == "not_checkable"  # no independent count of IS fighters
    assert verdicts["A1"] == "not_checkable"
    assert verdicts["A3"] == "within_evidence"
    assert set(verdicts) == {f"A{i}" for i in range(1, 10)}
    published = written[written["source"].str.startswith("published:")]
    assert len(published) > 0 and published["role"].eq("context").all()
