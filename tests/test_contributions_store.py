"""The contributions store: every ledger number is the sum of its records as read back
from the store, an export is the CSV a run writes, each row's largest record is what
plain pandas and DuckDB find in the store, and a store of another format is refused.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from fixtures.claims.drawn import claims
from fixtures.claims.tables import CLAIMS, small_tables
from hypothesis import HealthCheck, given, settings

from analysis import cli
from analysis.claims import command, export, ledger, store
from analysis.claims.output import check_and_write
from analysis.errors import AnalysisError


def _by_row(run: Path) -> dict[tuple[str, str], pd.DataFrame]:
    """Every table of the store, keyed by (claim, source), read claim by claim."""
    found = {}
    for claim_id in store.index(run)["claim_id"].drop_duplicates():
        for table in store.read(run, str(claim_id)):
            found[(table.claim_id, table.source)] = table.frame
    return found


def assert_rows_are_sums_of_the_store(rows: pd.DataFrame, run: Path) -> int:
    """Every ledger row with a table: the store's records sum to its low and high end,
    count as its `records` and `records_counting`, and its largest record is the first
    of the largest `low` (plain pandas); returns how many rows were checked."""
    tables = _by_row(run)
    checked = 0
    rows = rows.fillna({"contributions": "", "largest_record": ""})
    for row in rows[rows["contributions"] != ""].itertuples():
        where = f"{row.claim_id}/{row.source}"
        table = tables.pop((row.claim_id, row.source))
        assert len(table) == row.records, where
        assert (table["counts"] != "neither").sum() == row.records_counting, where
        assert table["low"].sum() == row.low, where
        if math.isfinite(row.high):
            assert table["high"].sum() == row.high, where
        if row.low > 0:
            top = table.loc[table["low"].idxmax()]
            assert row.largest_record == top["record_id"], where
            assert row.largest_record_share == top["low"] / table["low"].sum(), where
        else:
            assert row.largest_record == "" and math.isnan(row.largest_record_share), where
        checked += 1
    assert not tables, f"tables no ledger row names: {sorted(tables)[:5]}"
    return checked


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=claims())
def test_random_claims_store_sums_to_its_rows(batch: pd.DataFrame) -> None:
    tables = small_tables()
    with tempfile.TemporaryDirectory() as tmp:
        done = check_and_write(batch, tables, Path(tmp), robustness=False, csv=False)
        assert not (Path(tmp) / ledger.CONTRIBUTIONS).exists()
        assert_rows_are_sums_of_the_store(done.rows, Path(tmp))


def test_chunks_write_their_own_parts(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(ledger, "load_tables", small_tables)
    whole = ledger.chunks
    monkeypatch.setattr(ledger, "chunks", lambda claims: whole(claims, 2))
    assert command.main(CLAIMS / "good.csv", tmp_path) == 0
    indexes = sorted(p.name for p in (tmp_path / store.STORE).glob("_index-*"))
    assert indexes == ["_index-00000.parquet", "_index-00001.parquet", "_index-00002.parquet"]
    rows = pd.read_csv(tmp_path / "ledger.csv", keep_default_na=False, na_values=[""])
    # T1: 2, T2: 2, T3: 1, T4: 3, T5: 4, T6: 1 (speaking sources and context figures)
    assert assert_rows_are_sums_of_the_store(rows, tmp_path) == 13


def test_an_export_is_the_csv_the_run_writes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(ledger, "load_tables", small_tables)
    assert command.main(CLAIMS / "good.csv", tmp_path) == 0  # 6 claims: CSVs too
    rows = pd.read_csv(tmp_path / "ledger.csv", keep_default_na=False)
    for row in rows[rows["contributions"] != ""].itertuples():
        written = (tmp_path / row.contributions).read_bytes()
        assert export.export(tmp_path, row.claim_id, row.source) == written, row.contributions


def test_the_contributions_command_writes_one_claim(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(ledger, "load_tables", small_tables)
    assert command.main(CLAIMS / "good.csv", tmp_path / "run") == 0
    out = tmp_path / "t5.csv"
    assert cli.main(["contributions", str(tmp_path / "run"), "T5", "--out", str(out)]) == 0
    whole = pd.read_csv(out)
    rows = pd.read_csv(tmp_path / "run" / "ledger.csv", keep_default_na=False)
    t5 = rows[(rows["claim_id"] == "T5") & (rows["contributions"] != "")]
    assert whole["source"].drop_duplicates().tolist() == t5["source"].tolist()
    assert (
        whole.groupby("source", sort=False)["low"].sum().tolist()
        == t5["low"].astype(float).tolist()
    )
    capsys.readouterr()
    assert cli.main(["contributions", str(tmp_path / "run"), "T5", "--source", "vdc_daily"]) == 0
    assert capsys.readouterr().out.startswith(
        "record_id,low,high,counts,why,url,upstream,cites,deaths"
    )
    assert cli.main(["contributions", str(tmp_path / "run"), "T9"]) == 2
    assert "no claim 'T9' in the store" in capsys.readouterr().err


def test_a_formula_cell_is_exported_inert(tmp_path: Path, monkeypatch) -> None:
    def hostile() -> dict[str, pd.DataFrame]:
        airwars = small_tables()["airwars"].copy()  # the cached fixture stays as it is
        airwars["governorate"] = airwars["governorate"].astype(object)
        airwars.loc[airwars.index[0], "governorate"] = "=HYPERLINK(1)"
        return {**small_tables(), "airwars": airwars}

    monkeypatch.setattr(ledger, "load_tables", hostile)
    assert command.main(CLAIMS / "good.csv", tmp_path) == 0
    text = export.export(tmp_path, "T1", "airwars").decode()
    assert ",'=HYPERLINK(1)," in text and ",=HYPERLINK" not in text


def test_a_large_run_writes_the_store_only_unless_asked(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(ledger, "load_tables", small_tables)
    monkeypatch.setattr(command, "CSV_CLAIMS", 5)  # good.csv has 6 claims
    assert command.main(CLAIMS / "good.csv", tmp_path / "large") == 0
    assert sorted(p.name for p in (tmp_path / "large").iterdir()) == [
        store.STORE,
        "ledger.csv",
        "ledger.json",
    ]
    assert command.main(CLAIMS / "good.csv", tmp_path / "asked", csv=True) == 0
    assert (tmp_path / "asked" / "contributions/T5/vdc_daily.csv").is_file()
    for name in ("ledger.csv", "ledger.json"):
        assert (tmp_path / "large" / name).read_bytes() == (tmp_path / "asked" / name).read_bytes()


def test_duckdb_answers_across_claims_as_the_ledger_does(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(ledger, "load_tables", small_tables)
    assert command.main(CLAIMS / "good.csv", tmp_path) == 0
    rows = pd.read_csv(tmp_path / "ledger.csv", keep_default_na=False, na_values=[""])
    found = store.query(
        tmp_path,
        "SELECT claim_id, source, max(low) / sum(low) AS share FROM contributions "
        "GROUP BY ALL HAVING sum(low) > 0",
    )
    shares = found.set_index(["claim_id", "source"])["share"]
    mine = rows[rows["largest_record_share"].notna()].set_index(["claim_id", "source"])
    assert len(mine) == len(shares) > 5
    assert (shares.reindex(mine.index) == mine["largest_record_share"]).all()
    # which records count toward the most claims
    most = store.query(
        tmp_path,
        "SELECT record_id, count(DISTINCT claim_id) AS claims FROM contributions "
        "WHERE counts <> 'neither' GROUP BY record_id ORDER BY claims DESC, record_id LIMIT 1",
    )
    assert most["claims"].iloc[0] >= 2


@pytest.fixture
def run(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setattr(ledger, "load_tables", small_tables)
    assert command.main(CLAIMS / "good.csv", tmp_path / "run") == 0
    return tmp_path / "run"


def _restamp(path: Path, version: bytes | None) -> None:
    table = pq.read_table(path)
    metadata = dict(table.schema.metadata or {})
    metadata.pop(store.FORMAT_KEY, None)
    if version is not None:
        metadata[store.FORMAT_KEY] = version
    pq.write_table(table.replace_schema_metadata(metadata), path)


@pytest.mark.parametrize("version", [b"0", b"2", None])
def test_a_store_of_another_format_is_refused(run: Path, version: bytes | None) -> None:
    _restamp(run / store.STORE / "_index-00000.parquet", version)
    with pytest.raises(AnalysisError, match=r"format 1 only\. Rebuild it: python -m analysis"):
        store.read(run, "T1")


def test_a_part_of_another_format_is_refused(run: Path) -> None:
    _restamp(run / store.STORE / "vdc_daily" / "part-00000.parquet", b"2")
    assert len(store.read(run, "T5", "ucdp_brd")) == 1
    with pytest.raises(AnalysisError, match=r"vdc_daily/part-00000\.parquet has format 2"):
        store.read(run, "T5", "vdc_daily")


def test_a_run_from_before_the_store_is_refused(run: Path, capsys) -> None:
    shutil.rmtree(run / store.STORE)
    assert cli.main(["contributions", str(run), "T1"]) == 2
    err = capsys.readouterr().err
    assert "holds a ledger but no contributions.parquet" in err
    assert f"Rebuild it: python -m analysis claims CLAIMS_FILE --out {run}" in err


@pytest.mark.mirror
def test_the_article_s_exports_are_its_csv_files(real_tables: None, tmp_path: Path) -> None:
    assert command.main(None, tmp_path) == 0
    rows = pd.read_csv(tmp_path / "ledger.csv", keep_default_na=False, na_values=[""])
    assert assert_rows_are_sums_of_the_store(rows, tmp_path) == 40
    for row in rows[rows["contributions"].fillna("") != ""].itertuples():
        written = (tmp_path / row.contributions).read_bytes()
        assert export.export(tmp_path, row.claim_id, row.source) == written, row.contributions


def test_explain_from_a_run_says_what_checking_again_says(tmp_path: Path, monkeypatch) -> None:
    from rich.console import Console

    from analysis.claims import explain
    from analysis.claims.format import read_claims

    monkeypatch.setattr(ledger, "load_tables", small_tables)
    monkeypatch.setattr(command, "CSV_CLAIMS", 0)  # the store only
    assert command.main(CLAIMS / "good.csv", tmp_path, robustness=True) == 0
    said = {}
    for how in ("again", "run"):
        console = Console(record=True, width=400)
        for claim_id in ("T1", "T4", "T5"):
            if how == "again":
                chosen = explain.pick(read_claims(CLAIMS / "good.csv"), claim_id, CLAIMS)
                explain.explain_claim(chosen, None, tmp_path, console)
            else:
                explain.explain_from_run(tmp_path, claim_id, None, console)
        said[how] = [
            line for line in console.export_text().splitlines() if "Full tables" not in line
        ]
    assert said["run"] == said["again"]
    assert any("low end: RS" in line for line in said["run"])
