"""The claims file, the evidence rules, the verdict and the ledger, on fixtures."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fixtures.claims.tables import small_tables

from analysis import cli, paths
from analysis.claims import command, ledger, store
from analysis.claims.format import read_claims
from analysis.claims.verdict import combine, decide, reason
from analysis.errors import ClaimsFileError
from analysis.intervals import INF, Interval, from_figure

CLAIMS = Path(__file__).parent / "fixtures" / "claims"


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    return dict(small_tables())


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
        command.main(CLAIMS / name, tmp_path / "out")
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


NAMES = ["a", "b", "c"]
NONE = math.nan


def _verdict(claim: Interval, lows: list[float], highs: list[float]) -> tuple[str, str]:
    """The verdict and reason for one claim, given each source's lower and upper bound
    (NaN where it gives none)."""
    found = combine(np.array([lows], float), np.array([highs], float), NAMES[: len(lows)])
    verdict = decide(
        np.array([claim.low]), np.array([claim.high]), np.array([claim.low_open]), found
    )[0]
    return verdict, reason(verdict, claim, found, 0, "x")


def test_verdicts_by_hand():
    both, upper = (100, 200), (NONE, 150)
    lows, highs = [both[0], upper[0]], [both[1], upper[1]]
    assert _verdict(Interval(120, 130), lows, highs)[0] == "within_evidence"
    verdict, why = _verdict(from_figure(150, "more_than"), lows, highs)
    assert verdict == "above_evidence"
    assert "150 from b" in why and "not a finding that the claim is false" in why
    assert _verdict(Interval(10, 99), [100], [200])[0] == "below_evidence"
    assert _verdict(Interval(10, 99), [NONE], [NONE])[0] == "not_checkable"
    # a claim "more than 150" against a ceiling of exactly 150 lies above it
    assert _verdict(from_figure(150, "more_than"), [NONE], [150])[0] == "above_evidence"
    assert _verdict(from_figure(150, "at_least"), [NONE], [150])[0] == "within_evidence"


def test_conflicting_sources_are_named():
    verdict, why = _verdict(Interval(1, 2), [300, NONE], [NONE, 250])
    assert verdict == "sources_disagree"
    assert "a documents at least 300 but b allows at most 250" in why


def test_ties_go_to_the_source_first_in_ledger_order():
    found = combine(np.array([[5.0, 5.0, NONE]]), np.array([[NONE, 9.0, 9.0]]), NAMES)
    assert (found.low_by[0], found.high_by[0]) == ("a", "b")


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


def test_main_writes_the_ledger_and_every_contributions_table(tables, tmp_path, monkeypatch):
    monkeypatch.setattr(ledger, "load_tables", lambda: tables)
    out = tmp_path / "claims"
    assert command.main(CLAIMS / "good.csv", out) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "contributions",
        store.STORE,
        "ledger.csv",
        "ledger.json",
    ]
    written = pd.read_csv(out / "ledger.csv", keep_default_na=False, na_values=[""])
    after = ledger.COLUMNS.index("records_counting") + 1
    columns = [*ledger.COLUMNS[:after], *store.LARGEST, *ledger.COLUMNS[after:]]
    assert list(written.columns) == columns
    assert written.groupby("claim_id")["verdict"].nunique().eq(1).all()
    document = json.loads((out / "ledger.json").read_text())
    assert "minimums" in document["note"]
    assert "ucdp_brd" in document["upstream"]
    t5 = [r for r in document["rows"] if r["claim_id"] == "T5" and r["source"] == "ucdp_brd"]
    assert t5[0]["high"] is None and t5[0]["low"] == 100000
    assert t5[0]["contributions"] == "contributions/T5/ucdp_brd.csv" and t5[0]["records"] == 6
    tables_named = {r["contributions"] for r in document["rows"] if r["contributions"]}
    on_disk = {p.relative_to(out).as_posix() for p in (out / "contributions").rglob("*.csv")}
    assert tables_named == on_disk
    first = (out / "ledger.csv").read_bytes()
    assert command.main(CLAIMS / "good.csv", out) == 0
    assert (out / "ledger.csv").read_bytes() == first  # no timestamps: byte-identical
