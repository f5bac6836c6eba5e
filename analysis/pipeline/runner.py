"""One notebook run, executed in a worker process (local pool or Dask worker).

Steps: papermill executes the notebook (on an IPC kernel shut down once idle, see
`kernel`) into a fresh temporary folder
(`.build/tmp/<run_id>-<random>/`) with the run's parameters plus `output_dir`
pointing at that folder; nbconvert renders the executed notebook to HTML;
provenance.json records what went in. The worker returns a `RunResult`; the
engine, which holds the build lock, publishes the folder by rename or moves it to
`.build/failed/<run_id>/`. Workers and engine must therefore share a filesystem.

A failure message names the notebook, the parameters, the cell (its position in
the executed notebook, its execution count and first line) and the error. The cell
is found in the partial notebook papermill saves after every cell, so kernel deaths
and time-outs, which papermill does not attribute to a cell, are named too.

Known drawbacks: the executed notebook shows the temporary `output_dir` in its
injected-parameters cell. A time-out is per cell (papermill's
`execution_timeout`), not for the whole run.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from analysis.pipeline import keys
from analysis.pipeline.state import PROVENANCE


@dataclass(frozen=True)
class RunSpec:
    """Everything a worker needs for one run; plain data, so it pickles to Dask."""

    run_id: str
    notebook: str
    notebook_rel: str
    parameters: dict[str, Any]
    tables: tuple[str, ...]
    key: str
    key_parts: dict[str, Any]
    tmp_dir: str
    kernel: str
    timeout: float | None = None
    cwd: str | None = None


@dataclass(frozen=True)
class RunResult:
    """What a worker reports back."""

    run_id: str
    ok: bool
    seconds: float
    message: str = ""
    pid: int = field(default_factory=os.getpid)


def kernel_name() -> str:
    """The "analysis" kernel when installed in this environment, else "python3"."""
    from jupyter_client.kernelspec import KernelSpecManager

    return "analysis" if "analysis" in KernelSpecManager().find_kernel_specs() else "python3"


def _first_line(source: str) -> str:
    lines = [line for line in source.splitlines() if line.strip()]
    return lines[0].strip()[:80] if lines else "(empty)"


def failed_cell(executed: Path) -> str:
    """Describe the cell a partial executed notebook stopped in."""
    try:
        cells = json.loads(executed.read_bytes())["cells"]
    except (OSError, ValueError, KeyError):
        return "before the first cell (no executed notebook was written)"
    code = [c for c in cells if c.get("cell_type") == "code"]
    marks = [c.get("metadata", {}).get("papermill", {}) for c in code]
    # papermill marks the failing cell; after a kernel death it marks every cell
    # "completed", so the last cell that had started is the one that was running
    chosen = next(
        (i for i, m in enumerate(marks) if m.get("status") in ("failed", "running")), None
    )
    if chosen is None:
        started = [i for i, m in enumerate(marks) if m.get("start_time")]
        if not started:
            return "before the first cell"
        chosen = started[-1]
    cell = code[chosen]
    source = cell.get("source", "")
    source = "".join(source) if isinstance(source, list) else source
    kind = (
        " (the injected parameters)"
        if "injected-parameters" in cell.get("metadata", {}).get("tags", [])
        else ""
    )
    return (
        f"code cell {chosen + 1}{kind}, In [{cell.get('execution_count') or ' '}], "
        f"starting {_first_line(source)!r}"
    )


def _error_text(exc: BaseException, spec: RunSpec) -> str:
    name = type(exc).__name__
    if name == "PapermillExecutionError":
        return f"{exc.ename}: {exc.evalue}"  # type: ignore[attr-defined]
    if name == "CellTimeoutError" or isinstance(exc, TimeoutError):
        return (
            f"time limit exceeded: a cell ran longer than {spec.timeout:g} s "
            f"(set `timeout` in the build config to change it)"
        )
    if name == "DeadKernelError":
        return "the kernel died mid-run (crash, os._exit, or killed for memory)"
    return f"{name}: {exc}"


def failure_message(spec: RunSpec, exc: BaseException, executed: Path) -> str:
    return (
        f"notebook {spec.notebook_rel} (run {spec.run_id}) failed\n"
        f"  parameters: {keys.canonical(spec.parameters)}\n"
        f"  cell: {failed_cell(executed)}\n"
        f"  error: {_error_text(exc, spec)}"
    )


def _git(*args: str) -> str | None:
    """Standard output of a git command at the repository root, or None on failure."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=keys.PACKAGE_DIR.parent,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout


def _git_commit() -> str | None:
    return (_git("rev-parse", "HEAD") or "").strip() or None


#: What a run is made from, relative to the repository root: a local change to any of
#: these means the commit alone does not say what the run ran.
TRACKED_INPUTS = (
    "analysis",
    "notebooks",
    "config",
    "data/raw",
    "pyproject.toml",
    "requirements.lock",
)


def _git_local_changes(notebook: str) -> list[str] | None:
    """Paths among the run's inputs (and its notebook) that differ from the commit,
    untracked ones marked so; None outside a git checkout."""
    root = keys.PACKAGE_DIR.parent
    targets = list(TRACKED_INPUTS)
    path = Path(notebook) if Path(notebook).is_absolute() else root / notebook
    try:
        targets.append(path.resolve().relative_to(root.resolve()).as_posix())
    except ValueError:
        return ["the notebook (outside the repository)"]
    listed = _git("status", "--porcelain", "--untracked-files=all", "--", *targets)
    if listed is None:
        return None
    changes = []
    for line in listed.splitlines():
        code, name = line[:2], line[3:]
        changes.append(f"{name} (untracked)" if code == "??" else name)
    return sorted(set(changes))


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _table_content_hash(table: str) -> str:
    from analysis.tables import load, table_hash

    return table_hash(load(table))


def provenance(spec: RunSpec) -> dict[str, Any]:
    """The provenance record of a run; no timestamps, so identical inputs give identical bytes."""
    return {
        "run_id": spec.run_id,
        "notebook": spec.notebook_rel,
        "notebook_sha256": spec.key_parts["notebook_sha256"],
        "parameters": spec.parameters,
        "tables": {
            table: {
                "raw_sha256": spec.key_parts["inputs"].get(table, {}),
                "content_sha256": _table_content_hash(table),
            }
            for table in spec.tables
        },
        "analysis_version": _version("analysis"),
        "analysis_sha256": spec.key_parts["analysis_sha256"],
        "git_commit": _git_commit(),
        "git_local_changes": _git_local_changes(spec.notebook),
        "requirements_lock_sha256": spec.key_parts["lock_sha256"],
        "python": platform.python_version(),
        "pandas": _version("pandas"),
        "matplotlib": _version("matplotlib"),
        "papermill": _version("papermill"),
        "kernel": spec.kernel,
        "cache_key": spec.key,
    }


def _html(executed: Path, target: Path) -> None:
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_filename(str(executed))
    target.write_text(body, encoding="utf-8")


def execute(spec: RunSpec) -> RunResult:
    """Run one notebook into `spec.tmp_dir`; never raises for notebook errors."""
    from analysis.pipeline import kernel

    started = time.perf_counter()
    tmp = Path(spec.tmp_dir)
    executed = tmp / f"{spec.run_id}.ipynb"
    os.environ.setdefault("MPLBACKEND", "Agg")
    try:
        kernel.execute_notebook(
            spec.notebook,
            str(executed),
            parameters={**spec.parameters, "output_dir": str(tmp)},
            kernel_name=spec.kernel,
            execution_timeout=spec.timeout,
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=True,
            cwd=spec.cwd,
        )
    except Exception as exc:
        return RunResult(
            spec.run_id, False, time.perf_counter() - started, failure_message(spec, exc, executed)
        )
    try:
        _html(executed, tmp / f"{spec.run_id}.html")
        record = provenance(spec)
        (tmp / PROVENANCE).write_text(
            json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
    except Exception as exc:
        return RunResult(
            spec.run_id,
            False,
            time.perf_counter() - started,
            f"notebook {spec.notebook_rel} (run {spec.run_id}) executed but its "
            f"report could not be written\n  error: {type(exc).__name__}: {exc}",
        )
    return RunResult(spec.run_id, True, time.perf_counter() - started)
