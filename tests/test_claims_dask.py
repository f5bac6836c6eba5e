"""Claims checked on a Dask cluster of two worker processes over TCP, partitioned by
claims, give the same files, byte for byte, as the same claims checked locally (the
workers write their parts of the contributions store); and neither the ledger nor
the store's tables depend on how the claims are cut into chunks."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from analysis import paths
from analysis.claims import command, ledger, store

sys.path.insert(0, str(paths.ROOT / "benchmarks"))
import bench_claims

pytestmark = [pytest.mark.mirror, pytest.mark.slow, pytest.mark.usefixtures("real_tables")]


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.*") if p.is_file()
    }


def test_a_cluster_run_equals_the_local_run(tmp_path: Path, monkeypatch, local_cluster) -> None:
    import distributed

    cluster = local_cluster
    claims = bench_claims.write(tmp_path / "claims.csv", 120)
    assert command.main(claims, tmp_path / "whole", robustness=True) == 0  # one chunk
    whole = ledger.chunks
    monkeypatch.setattr(ledger, "chunks", lambda claims: whole(claims, 24))
    assert command.main(claims, tmp_path / "local", robustness=True) == 0
    assert (
        command.main(
            claims, tmp_path / "cluster", robustness=True, scheduler=cluster.scheduler_address
        )
        == 0
    )
    with distributed.Client(cluster) as client:
        workers = set(client.run(lambda: __import__("os").getpid()).values())
    local, remote = _files(tmp_path / "local"), _files(tmp_path / "cluster")
    assert len([f for f in local if f.startswith(f"{store.STORE}/_index-")]) == 5
    assert local == remote
    assert len(workers) == 2
    one = _files(tmp_path / "whole")
    for name in ("ledger.csv", "ledger.json", "robustness.csv"):
        assert one[name] == local[name]
    assert _tables(tmp_path / "whole") == _tables(tmp_path / "local")


def _tables(run: Path) -> dict[tuple[str, str], bytes]:
    """Every contributions table of a run's store, as the CSV an export writes."""
    from analysis.evidence.records import csv_bytes

    found = {}
    for claim_id in store.index(run)["claim_id"].drop_duplicates():
        for table in store.read(run, str(claim_id)):
            found[(table.claim_id, table.source)] = csv_bytes(table.frame)
    return found


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    from analysis.claims import distributed
    from analysis.errors import AnalysisError

    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT", 1.0)  # 20 s by default
    with pytest.raises(AnalysisError, match="cannot reach the Dask scheduler"):
        command.main(paths.ARTICLE_CLAIMS, tmp_path / "out", scheduler="tcp://127.0.0.1:9")
    assert not (tmp_path / "out").exists()
