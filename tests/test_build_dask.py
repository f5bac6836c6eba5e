"""The same build, sent to a Dask distributed cluster of two worker processes over TCP."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import paths
from analysis.pipeline import engine, keys, state

FIXTURES = Path(__file__).parent / "fixtures" / "build"
pytestmark = pytest.mark.slow  # runs notebooks on Dask workers


def test_build_through_a_local_tcp_cluster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, local_cluster
) -> None:
    import distributed

    cluster = local_cluster
    root = tmp_path / "project"
    shutil.copytree(FIXTURES, root)
    (root / "pkg").mkdir()
    (root / "pkg" / "code.py").write_text("VALUE = 1\n")
    monkeypatch.setattr(keys, "PACKAGE_DIR", root / "pkg")
    monkeypatch.setattr(paths, "ROOT", root)
    monkeypatch.setattr(engine, "write_reports", lambda out: [])
    engine.main(
        config=root / "config" / "runs.yaml",
        out=root / "reports",
        scheduler=cluster.scheduler_address,
    )
    with distributed.Client(cluster) as client:
        worker_pids = set(client.run(lambda: __import__("os").getpid()).values())
    summary = state.read_summary(root / ".build")
    assert summary["executed"] == ["alpha-one", "alpha-two", "beta-one"]
    table = root / "reports" / "runs" / "beta-one" / "tables" / "three.csv"
    assert table.read_text().splitlines() == ["row,label,square", "0,three,0", "1,three,1"]
    assert len(worker_pids) == 2
    # the cache is shared with local builds: nothing left to do
    engine.main(config=root / "config" / "runs.yaml", out=root / "reports")
    assert state.read_summary(root / ".build")["executed"] == []
