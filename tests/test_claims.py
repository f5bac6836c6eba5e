"""The claims file, the evidence rules, the verdict and the ledger, on fixtures."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from fixtures.claims.tables import (
    airwars_small,
    brd_small,
    ged_small,
    published_small,
    vdc_daily_small,
    vdc_small,
)

from analysis import cli, paths
from analysis.claims import ledger
from analysis.claims.evidence import Evidence
from analysis.claims.format import read_claims
from analysis.claims.verdict import decide
from analysis.errors import ClaimsFileError
from analysis.intervals import INF, Interval, from_figure

CLAIMS = Path(__file__).parent / "fixtures" / "claims"


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    return {
        "airwars": airwars_small(),
        "ucdp_ged": ged_small(),
        "ucdp_brd": brd_small(),
        "vdc_weekly": vdc_small(),
        "vdc_daily": vdc_daily_small(),
        "published": published_small(),
    }


@pytest.fixture
def built(tables) -> pd.DataFrame:
    return ledger.build(read_claims(CLAIMS / "good.csv"), tables)


def _row(frame: pd.DataFrame, claim: str, source: str) -> pd.Series:
    (found,) = frame[(frame["claim_id"] == claim) & (frame["source"] == source)].to_dict("records")
    return pd.Series(found)


# -- format -----------------------------------------------------------------------------


def test_good_file_reads_and_normalises_area_names():
    claims = read_claims(CLAIMS / "good.csv")
    assert claims["claim_id"].tolist() == ["T1", "T2", "T3", "T4", "T5", "T6"]
    assert claims.loc[5, "area"] == "aleppo"  # written "Aleppo"
    assert claims.loc[0, "period_end"] == pd.Timestamp("2016-09-30")
    assert claims["figure"].tolist() == [12, 60, 500, 1, 50000, 3]


def test_the_article_s_claims_file_is_valid():
    claims = read_claims(paths.ARTICLE_CLAIMS)
    assert len(claims) == 9
    assert set(claims["perpetrator"]) == {"russia", "russia_or_syrian_government", "all"}


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("unknown_perpetrator.csv", "line 3, column perpetrator"),
        ("end_before_start.csv", "line 2, column period_end"),
        ("non_numeric_figure.csv", "line 4, column figure"),
        ("missing_column.csv", "line 1, column figure"),
        ("empty.csv", "line 1"),
    ],
)
def test_bad_claims_files_name_line_and_column_and_write_nothing(
    name, where, tmp_path, monkeypatch, capsys
):
    def no_tables() -> dict[str, pd.DataFrame]:
        raise AssertionError("tables must not be loaded for a bad claims file")

    monkeypatch.setattr(ledger, "load_tables", no_tables)
    with pytest.raises(ClaimsFileError, match=where) as error:
        ledger.main(CLAIMS / name, tmp_path / "out")
    assert name in str(error.value)
    assert not (tmp_path / "out").exists()
    assert cli.main(["claims", str(CLAIMS / name), "--out", str(tmp_path / "out")]) == 2
    assert where in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_bad_rows_are_all_reported_at_once(tmp_path):
    text = (CLAIMS / "good.csv").read_text().splitlines()
    text[1] = text[1].replace(",russia,", ",nato,").replace(",count,", ",guess,")
    bad = tmp_path / "two.csv"
    bad.write_text("\n".join(text) + "\n")
    with pytest.raises(ClaimsFileError) as error:
        read_claims(bad)
    assert "line 2, column perpetrator" in str(error.value)
    assert "line 2, column kind" in str(error.value)


# -- verdict ----------------------------------------------------------------------------


def _ev(source: str, role: str, low: float, high: float) -> Evidence:
    return Evidence(source, role, low, high, "basis", "coverage")


def test_verdicts_by_hand():
    both = _ev("a", "both", 100, 200)
    upper = _ev("b", "upper", 0, 150)
    assert decide(Interval(120, 130), [both, upper], "x").verdict == "within_evidence"
    above = decide(from_figure(150, "more_than"), [both, upper], "x")
    assert above.verdict == "above_evidence"
    assert "150 from b" in above.reason and "not a finding that the claim is false" in (
        above.reason
    )
    assert decide(Interval(10, 99), [both], "x").verdict == "below_evidence"
    assert (
        decide(Interval(10, 99), [_ev("c", "none", math.nan, math.nan)], "x").verdict
        == "not_checkable"
    )
    context_only = [_ev("published:P1", "context", 10, 10)]
    assert decide(Interval(10, 10), context_only, "x").verdict == "not_checkable"


def test_conflicting_sources_are_named():
    found = decide(
        Interval(1, 2), [_ev("airwars", "lower", 300, INF), _ev("vdc_weekly", "upper", 0, 250)], "x"
    )
    assert found.verdict == "sources_disagree"
    assert found.evidence is None
    assert "airwars" in found.reason and "vdc_weekly" in found.reason


# -- evidence and the ledger on fixtures ---------------------------------------------------


def test_ledger_rows_by_hand(built):
    t1 = _row(built, "T1", "airwars")
    assert (t1["role"], t1["low"], t1["high"]) == ("both", 10, 55)
    assert (t1["verdict"], t1["evidence_low"], t1["evidence_high"]) == ("within_evidence", 10, 55)
    assert _row(built, "T1", "ucdp_ged")["role"] == "none"  # period starts before 2016
    assert _row(built, "T1", "vdc_weekly")["role"] == "none"  # reaches outside its weeks
    assert _row(built, "T1", "published:F02")["role"] == "context"
    assert _row(built, "T2", "airwars")["verdict"] == "above_evidence"
    assert _row(built, "T3", "airwars")["verdict"] == "not_checkable"


def test_east_aleppo_pair_gets_lower_and_upper_bounds_from_different_sources(built):
    aw, ged, vdc = (_row(built, "T4", s) for s in ("airwars", "ucdp_ged", "vdc_weekly"))
    assert (aw["role"], aw["low"]) == ("lower", 2)
    assert (ged["role"], ged["high"]) == ("upper", 20)  # the year-long event 10 + 5 + 5
    assert (vdc["role"], vdc["high"]) == ("upper", 17)  # all statuses, warplanes, Aleppo
    assert (aw["evidence_low"], aw["evidence_high"], aw["verdict"]) == (2, 17, "within_evidence")


def test_war_toll_gets_floors_only(built):
    lows = {
        s: _row(built, "T5", s)["low"] for s in ("ucdp_ged", "ucdp_brd", "vdc_weekly", "vdc_daily")
    }
    assert lows == {"ucdp_ged": 7, "ucdp_brd": 100000, "vdc_weekly": 170, "vdc_daily": 110}
    row = _row(built, "T5", "ucdp_brd")
    assert (row["role"], row["evidence_low"], row["evidence_high"]) == ("lower", 100000, INF)
    assert _row(built, "T6", "airwars")[["low", "high", "verdict"]].tolist() == [
        2,
        4,
        "within_evidence",
    ]


def test_main_writes_csv_and_json_atomically(tables, tmp_path, monkeypatch):
    monkeypatch.setattr(ledger, "load_tables", lambda: tables)
    out = tmp_path / "claims"
    assert ledger.main(CLAIMS / "good.csv", out) == 0
    assert sorted(p.name for p in out.iterdir()) == ["ledger.csv", "ledger.json"]
    written = pd.read_csv(out / "ledger.csv")
    assert list(written.columns) == ledger.COLUMNS
    assert written.groupby("claim_id")["verdict"].nunique().eq(1).all()
    document = json.loads((out / "ledger.json").read_text())
    assert "minimums" in document["note"]
    t5 = [r for r in document["rows"] if r["claim_id"] == "T5" and r["source"] == "ucdp_brd"]
    assert t5[0]["high"] is None and t5[0]["low"] == 100000
    first = (out / "ledger.csv").read_bytes()
    assert ledger.main(CLAIMS / "good.csv", out) == 0
    assert (out / "ledger.csv").read_bytes() == first  # no timestamps: byte-identical
