"""The build engine's cache, failure handling, locking and recovery.

Cache tests swap the worker function for a fake one (no kernel) and check which
run ids executed, via `.build/last_build.json`; the failure tests run real
kernels on the tiny fixture notebooks in tests/fixtures/build/.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

import pytest
import yaml
from filelock import FileLock
from fixtures import fake_runs
from fixtures.fake_runs import fake_execute

from analysis import paths
from analysis.errors import BuildError, ParameterError
from analysis.pipeline import config, engine, keys, runner, state

FIXTURES = Path(__file__).parent / "fixtures" / "build"
PYTHON = sys.executable


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture project, with its own package source and lock file,
    so edits elsewhere in the repository cannot change the cache keys."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES, root)
    (root / "pkg").mkdir()
    (root / "pkg" / "code.py").write_text("VALUE = 1\n")
    (root / "requirements.lock").write_text("example==1.0\n")
    (root / "data").mkdir()
    monkeypatch.setattr(keys, "PACKAGE_DIR", root / "pkg")
    monkeypatch.setattr(paths, "LOCK_FILE", root / "requirements.lock")
    monkeypatch.setattr(paths, "ROOT", root)
    monkeypatch.setattr(paths, "MANIFEST", root / "data" / "datapackage.json")
    monkeypatch.setenv("ANALYSIS_RAW_DIR", str(root / "data"))
    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(root / "cache"))
    monkeypatch.setattr(engine, "write_reports", lambda out: [])
    return root


def build(root: Path, **kwargs: object) -> dict[str, list[str]]:
    engine.main(config=root / "config" / "runs.yaml", out=root / "reports", jobs=2, **kwargs)  # type: ignore[arg-type]
    return state.read_summary(root / ".build")


def edit_config(root: Path, change: Callable[[dict], object]) -> None:
    path = root / "config" / "runs.yaml"
    document = yaml.safe_load(path.read_text())
    change(document)
    path.write_text(yaml.safe_dump(document))


def test_each_key_part_reruns_exactly_the_runs_it_touches(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "execute", fake_execute)
    data = project / "data"
    (data / "t1.csv").write_text("a\n1\n")
    (data / "t2.csv").write_text("b\n2\n")
    # two fake tables: alpha reads t1, beta reads t2
    monkeypatch.setattr(
        keys,
        "_compute_input_hashes",
        lambda table: {f"data/{table}.csv": keys.sha256_file(data / f"{table}.csv")},
    )

    def tables(doc: dict) -> None:
        doc["notebooks"]["alpha"]["tables"] = ["t1"]
        doc["notebooks"]["beta"]["tables"] = ["t2"]

    edit_config(project, tables)
    everything = ["alpha-one", "alpha-two", "beta-one"]
    assert build(project)["executed"] == everything
    nothing = build(project)
    assert nothing["executed"] == [] and nothing["skipped"] == everything

    # notebook source: only that notebook's runs
    beta = project / "notebooks" / "beta.ipynb"
    document = json.loads(beta.read_text())
    document["cells"][2]["source"] += "\n# edited"
    beta.write_text(json.dumps(document))
    assert build(project)["executed"] == ["beta-one"]

    # outputs and execution counts are not part of the key
    document["cells"][2]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "noise"}]
    document["cells"][2]["execution_count"] = 7
    beta.write_text(json.dumps(document, indent=2))
    assert build(project)["executed"] == []

    # parameters: only that run
    edit_config(project, lambda doc: doc["runs"][1]["parameters"].update(rows=9))
    assert build(project)["executed"] == ["alpha-two"]

    # a data file: only the runs whose notebook reads that table
    time.sleep(0.01)  # a new mtime on coarse filesystems
    (data / "t1.csv").write_text("a\n1\n2\n")
    assert build(project)["executed"] == ["alpha-one", "alpha-two"]

    # the lock file and the package source: every run
    (project / "requirements.lock").write_text("example==2.0\n")
    assert build(project)["executed"] == everything
    (project / "pkg" / "code.py").write_text("VALUE = 2\n")
    assert build(project)["executed"] == everything
    # compiled files do not count
    (project / "pkg" / "__pycache__").mkdir()
    (project / "pkg" / "__pycache__" / "code.cpython-311.pyc").write_bytes(b"\0")
    assert build(project)["executed"] == []

    # --force: every run; --only: the named runs
    assert build(project, force=True)["executed"] == everything
    assert build(project, force=True, only=["beta-one"])["executed"] == ["beta-one"]


def test_invalid_parameters_stop_before_any_run(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "execute", fake_execute)
    (project / "pkg" / "models.py").write_text(
        "from pydantic import BaseModel, ConfigDict\n"
        "class Fixture(BaseModel):\n"
        "    model_config = ConfigDict(extra='forbid')\n"
        "    label: str\n    rows: int\n    mode: str = 'ok'\n"
    )
    monkeypatch.syspath_prepend(str(project / "pkg"))
    edit_config(
        project,
        lambda doc: (
            doc["notebooks"]["alpha"].update(parameters_model="models.Fixture"),
            doc["runs"][1]["parameters"].update(rows="many"),
        ),
    )
    with pytest.raises(ParameterError, match=r"run 'alpha-two': parameter rows"):
        build(project)
    assert not (project / "reports" / "runs").exists()


def test_second_build_waits_for_the_lock_then_runs(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(runner, "execute", fake_execute)
    (project / ".build").mkdir()
    holder = FileLock(str(project / ".build" / "build.lock"), thread_local=False)
    holder.acquire()
    threading.Timer(1.0, holder.release).start()
    assert build(project)["executed"] == ["alpha-one", "alpha-two", "beta-one"]
    assert "waiting up to" in capsys.readouterr().err


def test_second_build_stops_with_a_clear_message_after_the_timeout(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "execute", fake_execute)
    monkeypatch.setenv(engine.LOCK_TIMEOUT_ENV, "0.3")
    (project / ".build").mkdir()
    holder = FileLock(str(project / ".build" / "build.lock"))
    with holder, pytest.raises(BuildError, match=r"another build .* still holds"):
        build(project)
    assert not (project / "reports" / "runs").exists()


def test_leftovers_of_a_killed_build_are_removed_and_runs_redone(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "execute", fake_execute)
    build(project)
    # a kill mid-run: a half-written tmp folder; a kill mid-publish: old folder in trash,
    # nothing published for alpha-one
    half = project / ".build" / "tmp" / "alpha-one-0badf00d"
    (half / "tables").mkdir(parents=True)
    (half / "tables" / "t.csv").write_text("row,la")
    trash = project / ".build" / "trash" / "alpha-one-12345678"
    trash.parent.mkdir()
    os.replace(project / "reports" / "runs" / "alpha-one", trash)
    assert build(project)["executed"] == ["alpha-one"]
    assert list((project / ".build" / "tmp").iterdir()) == []
    assert list((project / ".build" / "trash").iterdir()) == []
    assert state.published_key(project / "reports", "alpha-one") is not None


def test_pool_workers_are_fresh_processes_with_the_build_s_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Workers do not inherit the building process's memory (a fork of a process with
    threads crashed), but do see its environment as it is at each build."""
    monkeypatch.setattr(runner, "execute", fake_runs.report_worker)
    monkeypatch.setattr(fake_runs, "SEEN_BY_WORKERS", "changed in the building process")
    spec = runner.RunSpec(
        run_id="probe",
        notebook="none.ipynb",
        notebook_rel="none.ipynb",
        parameters={"variable": "ANALYSIS_TEST_POOL_PROBE"},
        tables=(),
        key="k",
        key_parts={},
        tmp_dir=".",
        kernel="none",
    )
    seen: list[str] = []
    for value in ("first build", "second build"):  # the second after the server started
        monkeypatch.setenv("ANALYSIS_TEST_POOL_PROBE", value)
        engine._on_pool([spec], 1, lambda result: seen.append(result.message), nullcontext)
    assert seen == ["as imported|first build", "as imported|second build"]


# ---- real kernels -------------------------------------------------------------------


@pytest.mark.slow
def test_real_build_publishes_outputs_and_provenance(project: Path) -> None:
    assert build(project)["executed"] == ["alpha-one", "alpha-two", "beta-one"]
    folder = project / "reports" / "runs" / "alpha-two"
    rows = (folder / "tables" / "two.csv").read_text().splitlines()
    assert rows == ["row,label,square", "0,two,0", "1,two,1", "2,two,4", "3,two,9"]
    assert (folder / "figures" / "two.svg").read_text().startswith("<svg")
    assert "<html" in (folder / "alpha-two.html").read_text()
    record = json.loads((folder / "provenance.json").read_text())
    assert record["parameters"] == {"label": "two", "rows": 4}
    assert record["notebook_sha256"] == keys.notebook_hash(project / "notebooks" / "alpha.ipynb")
    assert record["requirements_lock_sha256"] == keys.sha256_file(project / "requirements.lock")
    assert record["cache_key"] == keys.run_key(
        {
            "notebook_sha256": record["notebook_sha256"],
            "parameters": record["parameters"],
            "analysis_sha256": record["analysis_sha256"],
            "inputs": {},
            "lock_sha256": record["requirements_lock_sha256"],
        }
    )
    assert build(project)["executed"] == []


@pytest.mark.slow
def test_failures_keep_outputs_name_cell_and_error_and_fail_the_build(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(project)
    before = (project / "reports" / "runs" / "alpha-one" / "provenance.json").read_bytes()

    def trouble(doc: dict) -> None:
        doc["runs"][0]["parameters"]["mode"] = "raise"
        doc["runs"][1]["parameters"]["mode"] = "sleep"
        doc["runs"][1]["timeout"] = 3
        doc["runs"][2]["parameters"]["mode"] = "die"
        doc["runs"].append(
            {"id": "beta-fine", "notebook": "beta", "parameters": {"label": "fine", "rows": 1}}
        )

    edit_config(project, trouble)
    with pytest.raises(BuildError) as caught:
        build(project)
    message = str(caught.value)
    summary = state.read_summary(project / ".build")
    assert summary["executed"] == ["beta-fine"]  # the others finished despite failures
    assert summary["failed"] == ["alpha-one", "alpha-two", "beta-one"]
    raised, slept, died = (m for m in message.split("notebook ")[1:])
    # each names notebook, parameters, cell and error
    assert "notebooks/alpha.ipynb (run alpha-one)" in raised
    assert '"mode":"raise"' in raised
    assert 'if mode == "raise"' in raised
    assert "ValueError: fixture failure for label one" in raised
    assert "time limit exceeded" in slept and "3 s" in slept and "run alpha-two" in slept
    assert 'if mode == "raise"' in slept
    assert "kernel died" in died and "run beta-one" in died
    assert 'if mode == "raise"' in died
    # previous outputs kept, partial notebooks left for debugging
    after = project / "reports" / "runs" / "alpha-one" / "provenance.json"
    assert after.read_bytes() == before
    partial = json.loads(
        (project / ".build" / "failed" / "alpha-one" / "alpha-one.ipynb").read_text()
    )
    assert any(
        o.get("ename") == "ValueError" for c in partial["cells"] for o in c.get("outputs", [])
    )
    assert (project / "reports" / "runs" / "beta-fine" / "tables" / "fine.csv").is_file()


def test_cli_exits_2_with_a_clear_message_on_bad_config(project: Path) -> None:
    cfg = project / "config" / "runs.yaml"
    env = {**os.environ, "ANALYSIS_BUILD_LOCK_TIMEOUT": "5"}
    edit_config(project, lambda doc: doc["runs"][0].update(notebook="missing"))
    done = subprocess.run(
        [
            PYTHON,
            "-m",
            "analysis",
            "build",
            "--config",
            str(cfg),
            "--out",
            str(project / "reports"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2
    assert "run 'alpha-one'.notebook: expected one of ['alpha', 'beta']" in done.stderr


@pytest.mark.slow
def test_a_build_killed_mid_run_leaves_nothing_that_looks_finished(project: Path) -> None:
    cfg = project / "config" / "runs.yaml"
    edit_config(project, lambda doc: [r["parameters"].update(mode="sleep") for r in doc["runs"]])
    command = [
        PYTHON,
        "-m",
        "analysis",
        "build",
        "--config",
        str(cfg),
        "--out",
        str(project / "reports"),
        "--jobs",
        "2",
    ]
    process = subprocess.Popen(
        command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    tmp = project / ".build" / "tmp"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until a run has written part of its output
        if any(tmp.glob("*/tables/*.csv")):
            break
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    runs = project / "reports" / "runs"
    assert not runs.exists() or list(runs.iterdir()) == []
    assert any(tmp.iterdir())  # the half-done work is left behind ...
    edit_config(project, lambda doc: [r["parameters"].update(mode="ok") for r in doc["runs"]])
    assert build(project)["executed"] == ["alpha-one", "alpha-two", "beta-one"]
    assert list(tmp.iterdir()) == []  # ... and cleaned up by the next build


def test_config_errors_name_file_entry_and_value(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / "p")
    path = tmp_path / "p" / "config" / "runs.yaml"
    good = path.read_text()
    cases = {
        "runs:\n  - id: Bad Id\n": "top level: expected exactly the keys notebooks and runs",
        good.replace("id: alpha-two", "id: Alpha Two"): "runs[1].id: expected a run id",
        good.replace("id: alpha-two", "id: alpha-one"): "run 'alpha-one': expected unique",
        good.replace("alpha.ipynb", "nope.ipynb"): "notebooks.alpha.path: expected an exis",
        good.replace("timeout: 60", "timeout: -1"): "notebooks.alpha.timeout: expected a pos",
        good.replace("{label: one, rows: 3}", "{output_dir: x}"): "no 'output_dir'",
        good + "  - [1, 2]\n": "runs[3]: expected a mapping",
    }
    for text, expected in cases.items():
        path.write_text(text)
        with pytest.raises(config.ConfigError, match=str(path)) as caught:
            config.load(path)
        assert expected in str(caught.value), (expected, str(caught.value))
