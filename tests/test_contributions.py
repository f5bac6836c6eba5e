"""Contributions tables: every number of the ledger is the sum of its records, and
each record's upstream address leads to the bytes it came from.

The invariant is checked on what is written (the CSV files, read back), for the
article's claims, a fixture claims file and random claims.
"""

from __future__ import annotations

import io
import math
import tempfile
import zipfile
from pathlib import Path

import orjson
import pandas as pd
import pytest
from fixtures.claims.drawn import claims
from fixtures.claims.tables import CLAIMS, small_tables
from hypothesis import HealthCheck, given, settings

from analysis import sources
from analysis.claims import command, ledger
from analysis.claims.format import read_claims
from analysis.claims.output import write_contributions


def assert_rows_are_sums_of_their_tables(rows: pd.DataFrame, folder: Path) -> int:
    """Read back every row's table and check it sums to the row; returns how many."""
    checked = 0
    for row in rows[rows["contributions"].fillna("") != ""].itertuples():
        table = pd.read_csv(folder / row.contributions, keep_default_na=False, na_values=[""])
        where = f"{row.claim_id}/{row.source}"
        assert len(table) == row.records, where
        assert (table["counts"] != "neither").sum() == row.records_counting, where
        assert table["low"].sum() == row.low, where
        if math.isfinite(row.high):
            assert table["high"].sum() == row.high, where
        else:
            assert row.role in ("lower", "own", "context"), where
        checked += 1
    return checked


def test_every_written_table_sums_to_its_row(tmp_path, monkeypatch):
    monkeypatch.setattr(ledger, "load_tables", small_tables)
    assert command.main(CLAIMS / "good.csv", tmp_path) == 0
    rows = pd.read_csv(tmp_path / "ledger.csv", keep_default_na=False, na_values=[""])
    # T1: 2, T2: 2, T3: 1, T4: 3, T5: 4, T6: 1 (speaking sources and context figures)
    assert assert_rows_are_sums_of_their_tables(rows, tmp_path) == 13
    # each table lists the records that count first, then the largest (high, then low)
    for table in (tmp_path / "contributions").rglob("*.csv"):
        found = pd.read_csv(table, keep_default_na=False)
        keys = pd.DataFrame(
            {"idle": found["counts"] == "neither", "high": -found["high"], "low": -found["low"]}
        )
        assert keys.equals(keys.sort_values(["idle", "high", "low"], kind="stable")), table


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=claims())
def test_random_claims_tables_sum_to_their_rows(batch: pd.DataFrame) -> None:
    tables = small_tables()
    done = ledger.check(batch, tables)
    with tempfile.TemporaryDirectory() as tmp:
        written = write_contributions(done, tables, Path(tmp))
        assert written == (done.rows["contributions"] != "").sum()
        assert_rows_are_sums_of_their_tables(done.rows, Path(tmp))


def test_a_claim_s_own_monitor_is_a_consistency_check_not_evidence(tmp_path):
    good = read_claims(CLAIMS / "good.csv")
    own = good[good["claim_id"] == "T1"].assign(source="Airwars (monitoring group)")
    independent = good[good["claim_id"] == "T1"].assign(claim_id="T1b")
    rows = ledger.check(pd.concat([own, independent]), small_tables()).rows
    mine = rows[(rows["claim_id"] == "T1") & (rows["source"] == "airwars")].iloc[0]
    other = rows[(rows["claim_id"] == "T1b") & (rows["source"] == "airwars")].iloc[0]
    assert (mine["role"], mine["low"], mine["high"]) == ("own", 10, 55)
    assert mine["own_check"] == (
        "within: the claim's range [12, 12] meets airwars's own range [10, 55]"
    )
    assert other["role"] == "both" and other["own_check"] == ""
    # Airwars is T1's only speaking source, so without it nothing independent speaks
    assert (mine["verdict"], other["verdict"]) == ("not_checkable", "within_evidence")
    assert mine["contributions"] == "contributions/T1/airwars.csv" and mine["records"] > 0


def test_a_period_outside_every_window_names_the_windows():
    good = read_claims(CLAIMS / "good.csv")
    late = good.head(1).assign(
        period_start=pd.Timestamp("2031-01-01"), period_end=pd.Timestamp("2031-12-31")
    )
    row = ledger.check(late, small_tables()).rows.iloc[0]
    assert row["verdict"] == "not_checkable"
    assert row["reason"].startswith("The period 2031-01-01 to 2031-12-31 lies outside every")
    assert "UCDP GED Syria events 2016-01-01 to 2019-11-30" in row["reason"]


def test_an_id_that_is_not_a_safe_file_name_gets_one():
    good = read_claims(CLAIMS / "good.csv")
    odd = good.head(1).assign(claim_id="../../etc/passwd")
    row = ledger.check(odd, small_tables()).rows.iloc[0]
    folder, name = row["contributions"].removeprefix("contributions/").split("/")
    assert folder.startswith("etc_passwd-") and name == "airwars.csv"


@pytest.fixture(scope="module")
def written(real_tables: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The article's claims checked on the real data, written to a folder."""
    out = tmp_path_factory.mktemp("article") / "claims"
    assert command.main(None, out) == 0
    return out


@pytest.mark.mirror
class TestArticleClaims:
    def test_every_table_sums_to_its_row(self, written: Path) -> None:
        rows = pd.read_csv(written / "ledger.csv", keep_default_na=False, na_values=[""])
        assert assert_rows_are_sums_of_their_tables(rows, written) == 40
        a3 = rows[(rows["claim_id"] == "A3") & (rows["source"] == "airwars")].iloc[0]
        assert (a3["low"], a3["high"]) == (2554, 9649)

    def test_an_airwars_record_leads_to_its_zip_entry(self, written: Path) -> None:
        from analysis.importers.airwars_archive import reassemble

        table = pd.read_csv(written / "contributions/A3/airwars.csv")
        counting = table[table["counts"] == "low and high"].iloc[0]
        entry = counting["upstream"].removeprefix("airwars zip:")
        archive = zipfile.ZipFile(io.BytesIO(reassemble(sources.ensure("airwars"))))
        incident = orjson.loads(archive.read(entry))["incident"]
        assert incident["رمز الحادثة"] == counting["record_id"]
        assert counting["url"] == incident["رابط الحادثة"]

    def test_a_vdc_record_leads_to_its_line_and_column(self, written: Path) -> None:
        table = pd.read_csv(written / "contributions/A3/vdc_weekly.csv")
        for row in table.sample(5, random_state=1).itertuples():
            name, place = row.upstream.split(":line ")
            line, column = place.split(", column ")
            (resource,) = [r for r in sources.resources("vdc_weekly") if r.name == name]
            raw = pd.read_csv(resource.local_path(), dtype=str)
            assert int(raw.loc[int(line) - 2, column]) == row.deaths

    def test_the_corroborated_share_sums_the_linked_incidents(self, written: Path) -> None:
        from analysis import linking

        rows = pd.read_csv(written / "ledger.csv")
        a8 = rows[(rows["claim_id"] == "A8") & (rows["source"] == "airwars")].iloc[0]
        table = pd.read_csv(written / a8["contributions"])
        links = linking.corroborated("strict").set_index("sequence")["independence"]
        links = links == "independent"  # only links that do not rest on Airwars count
        linked = table["sequence"].map(links).fillna(False).astype(bool)
        assert a8["corroborated_low"] == table.loc[linked, "low"].sum() <= a8["low"]

    def test_a_ged_record_leads_to_its_row(self, written: Path) -> None:
        import pyreadr

        table = pd.read_csv(written / "contributions/A8/ucdp_ged.csv")
        (resource,) = sources.resources("ucdp_ged")
        raw = pyreadr.read_r(str(resource.local_path()))["ucdp_syria_df"]
        for row in table.head(5).itertuples():
            number = int(row.upstream.rsplit("row ", 1)[1])
            assert int(raw["id"].iloc[number - 1]) == row.record_id


def test_corroborated_shares_read_the_contributions():
    good = read_claims(CLAIMS / "good.csv")
    links = pd.DataFrame({"sequence": [9], "corroborated": [True], "independence": ["independent"]})
    rows = ledger.check(good, {**small_tables(), "corroboration": links}).rows
    airwars = rows[rows["source"] == "airwars"].set_index("claim_id")
    # T4 (2016-09-19..30, inside GED's window): its low end is incident 9's minimum, 2
    assert (airwars.at["T4", "low"], airwars.at["T4", "corroborated_low"]) == (2, 2)
    assert math.isnan(airwars.at["T4", "corroborated_high"])  # a lower bound only
    # T1 starts in 2015, before GED's window: nothing can be corroborated
    assert math.isnan(airwars.at["T1", "corroborated_low"])
    alone = ledger.check(good, small_tables()).rows
    assert alone["corroborated_low"].isna().all()
    # A link to a GED event that rests on Airwars (mixed or circular) corroborates nothing
    for kind in ("mixed", "circular"):
        resting = links.assign(independence=kind)
        rows = ledger.check(good, {**small_tables(), "corroboration": resting}).rows
        airwars = rows[rows["source"] == "airwars"].set_index("claim_id")
        assert airwars.at["T4", "corroborated_low"] == 0
