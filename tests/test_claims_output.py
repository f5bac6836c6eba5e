"""The ledger folder is written whole or not at all: a folder holding other files is
refused, two runs into one folder end with one complete set, and a run killed
midway leaves the previous set as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pandas as pd
import pytest
from fixtures.claims.tables import CLAIMS, small_tables

from analysis import paths
from analysis.claims import command, ledger, store
from analysis.errors import AnalysisError

sys.path.insert(0, str(paths.ROOT / "benchmarks"))
import bench_claims


def test_a_folder_holding_other_files_is_refused_and_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(ledger, "load_tables", small_tables)
    out = tmp_path / "out"
    out.mkdir()
    (out / "thesis.tex").write_text("chapter one", encoding="utf-8")
    with pytest.raises(AnalysisError, match=r"thesis\.tex, which no claims run writes"):
        command.main(CLAIMS / "good.csv", out)
    assert [p.name for p in out.iterdir()] == ["thesis.tex"]
    assert not list(tmp_path.glob(".out.staging-*"))


def test_a_file_in_place_of_the_folder_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(ledger, "load_tables", small_tables)
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    with pytest.raises(AnalysisError, match="is a file"):
        command.main(CLAIMS / "good.csv", tmp_path / "out")


def _complete_set(out: Path) -> set[str]:
    """The claim ids of a folder that is one run's complete output (else it fails)."""
    rows = pd.read_csv(out / "ledger.csv", keep_default_na=False)
    document = orjson.loads((out / "ledger.json").read_bytes())
    named = {r["contributions"] for r in document["rows"] if r["contributions"]}
    on_disk = {p.relative_to(out).as_posix() for p in (out / "contributions").rglob("*.csv")}
    assert named == set(rows.loc[rows["contributions"] != "", "contributions"])
    assert on_disk in (named, set())  # CSVs for a small run, the store only for a large one
    stored = store.index(out)
    with_tables = rows[rows["contributions"] != ""]
    assert sorted(zip(stored["claim_id"], stored["source"], strict=True)) == sorted(
        zip(with_tables["claim_id"], with_tables["source"], strict=True)
    )
    assert [r["claim_id"] for r in document["rows"]] == rows["claim_id"].tolist()
    return set(rows["claim_id"])


def _claims_run(file: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "analysis", "claims", str(file), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.mark.mirror
@pytest.mark.slow
@pytest.mark.usefixtures("real_tables")
def test_two_runs_at_once_end_with_one_complete_set(tmp_path):
    small = paths.ARTICLE_CLAIMS
    large = bench_claims.write(tmp_path / "large.csv", 300)
    ids = {
        "small": set(pd.read_csv(small)["claim_id"]),
        "large": set(pd.read_csv(large)["claim_id"]),
    }
    out = tmp_path / "out"
    for first, second in ((small, large), (large, small), (small, large)):
        runs = [_claims_run(first, out), _claims_run(second, out)]
        for run in runs:
            _, err = run.communicate(timeout=300)
            assert run.returncode == 0, err.decode()
        assert _complete_set(out) in ids.values()
        assert not list(tmp_path.glob(".out.staging-*")), "staging folders left behind"
    deadline = time.monotonic() + 60
    while list(tmp_path.glob(".out.old-*")):  # replaced folders go, deleted in the background
        assert time.monotonic() < deadline, "replaced folders are never deleted"
        time.sleep(0.1)


@pytest.mark.mirror
@pytest.mark.slow
@pytest.mark.usefixtures("real_tables")
def test_a_run_killed_midway_leaves_the_previous_set(tmp_path):
    out = tmp_path / "out"
    done = _claims_run(paths.ARTICLE_CLAIMS, out)
    assert done.wait(timeout=300) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    large = bench_claims.write(tmp_path / "large.csv", 4000)
    killed = _claims_run(large, out)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".out.staging-*/contributions*")):  # it is writing now
        assert time.monotonic() < deadline and killed.poll() is None
        time.sleep(0.05)
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait(timeout=30)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    again = _claims_run(paths.ARTICLE_CLAIMS, out)
    assert again.wait(timeout=300) == 0
    assert not list(tmp_path.glob(".out.staging-*")), "the next run cleans what was killed"


class Loaded(Exception):
    """The run got past its checks and asked for the tables."""


def test_csv_beyond_the_local_limit_is_refused_before_any_work(tmp_path, monkeypatch):
    def no_tables() -> dict[str, pd.DataFrame]:
        raise Loaded

    monkeypatch.setattr(ledger, "load_tables", no_tables)
    assert command.MAX_CSV_CLAIMS == 20_000
    monkeypatch.setattr(command, "MAX_CSV_CLAIMS", 1_200)  # a smaller file, the same rule
    huge = bench_claims.write(tmp_path / "huge.csv", 1_201)  # one too many
    with pytest.raises(AnalysisError, match=r"with --csv .* at most 1,200 .* Leave out --csv"):
        command.main(huge, tmp_path / "out", csv=True)
    assert not (tmp_path / "out").exists()
    with pytest.raises(Loaded):  # the store alone has no limit
        command.main(huge, tmp_path / "out")
    at_limit = bench_claims.write(tmp_path / "at_limit.csv", 1_200)
    with pytest.raises(Loaded):  # as many as the limit: allowed
        command.main(at_limit, tmp_path / "out", csv=True)
