"""`python -m analysis build`: run every stale notebook run, in parallel, and publish.

Steps:

1. Read and check the config (`config.load`); `--only` narrows it to some run ids.
2. Take the build lock (`<build dir>/build.lock`, a `filelock.FileLock`). A second
   build started meanwhile says which process holds the lock and waits for it,
   up to `ANALYSIS_BUILD_LOCK_TIMEOUT` seconds (default 600), then stops with a
   `BuildError`. Waiting is the chosen behaviour because the second build is then
   usually a fast no-op; the lock is an OS file lock, released when a build dies.
3. Recover: delete run folders a killed build left in `.build/tmp` and `.build/trash`.
4. Compute every run's cache key (`keys`) and compare it with the key in the
   published provenance.json (`state`); `--force` treats every run as stale.
5. Nothing stale: print one line and stop. This path imports no pandas, papermill,
   rich or dask, so it takes a fraction of a second.
6. Otherwise check all parameters with their pydantic models, then execute the stale
   runs: in a local process pool (`--jobs`, default the number of cores) or, with
   `--scheduler ADDRESS`, on an existing Dask distributed cluster, with the same
   `runner.execute` function. A rich progress line counts done, running, skipped
   and failed runs. Each success is published by rename; each failure keeps the
   previous outputs and leaves its partial notebook in `.build/failed/<run_id>/`.
7. Write `reports/index.html` (with `reports/pages/`), `reports/BUILT.sha256` (the
   hashes this build produced; the published `MANIFEST.sha256` is left alone, see
   `analysis publish`) and `reports/report.pdf` (printed only when its content
   changed, and only where Chromium is installed) when `analysis.report` provides
   them, record the build in `.build/last_build.json`, and raise `BuildError`
   listing every failure after all other runs have finished.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from analysis import paths
from analysis.errors import BuildError, ConfigError
from analysis.pipeline import config as config_mod
from analysis.pipeline import keys, state
from analysis.pipeline.runner import RunResult, RunSpec

LOCK_TIMEOUT_ENV = "ANALYSIS_BUILD_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 600.0
#: Seconds to wait for a Dask scheduler (Dask retries a refused connection until then).
DASK_CONNECT_TIMEOUT = 20.0


@dataclass(frozen=True)
class Planned:
    """A run with its key, and whether it must execute."""

    run: config_mod.Run
    key: str
    parts: dict[str, Any]
    stale: bool


def _rel(path: Path) -> str:
    try:
        return path.relative_to(paths.ROOT).as_posix()
    except ValueError:
        return str(path)


def select(
    runs: Iterable[config_mod.Run], only: list[str] | None, source: Path
) -> tuple[config_mod.Run, ...]:
    """The runs `--only` names (all when None); an unknown id is a config error."""
    runs = tuple(runs)
    if not only:
        return runs
    known = {run.id for run in runs}
    unknown = [run_id for run_id in only if run_id not in known]
    if unknown:
        raise ConfigError(
            f"{source}: --only names unknown run id(s) {unknown}; known: {sorted(known)}"
        )
    return tuple(run for run in runs if run.id in set(only))


def plan(runs: tuple[config_mod.Run, ...], out: Path, build: Path, force: bool) -> list[Planned]:
    """Cache key of every run and whether its published outputs are stale."""
    package = keys.package_hash()
    lock = keys.lock_hash()
    inputs = keys.input_hashes(
        {t for r in runs for t in r.notebook.tables}, build / "inputs.json", package
    )
    notebooks = {nb.path: keys.notebook_hash(nb.path) for nb in {r.notebook for r in runs}}
    planned = []
    for run in runs:
        parts = keys.key_parts(
            notebooks[run.notebook.path],
            run.parameters,
            package,
            {t: inputs[t] for t in run.notebook.tables},
            lock,
        )
        key = keys.run_key(parts)
        stale = force or state.published_key(out, run.id) != key
        planned.append(Planned(run, key, parts, stale))
    return planned


def _acquire(build: Path) -> FileLock:
    lock = FileLock(str(build / "build.lock"))
    owner = build / "build.owner"
    try:
        lock.acquire(timeout=0)
    except Timeout:
        holder = owner.read_text(encoding="utf-8").strip() if owner.is_file() else "unknown"
        wait = float(os.environ.get(LOCK_TIMEOUT_ENV, DEFAULT_LOCK_TIMEOUT))
        print(
            f"another build (pid {holder}) holds {build / 'build.lock'}; "
            f"waiting up to {wait:g} s for it to finish",
            file=sys.stderr,
        )
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise BuildError(
                f"another build (pid {holder}) still holds {build / 'build.lock'} after "
                f"{wait:g} s; let it finish, or stop it, then build again "
                f"(set {LOCK_TIMEOUT_ENV} to wait longer)"
            ) from None
    owner.write_text(f"{os.getpid()}\n", encoding="utf-8")
    return lock


class _Display:
    """A rich progress line: done, running, skipped and failed runs."""

    def __init__(self, total: int, skipped: int, slots: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.total, self.skipped, self.slots = total, skipped, slots
        self.done = self.failed = 0
        self.progress = Progress(
            TextColumn("build"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self.task = self.progress.add_task(self._text(), total=total)

    def _text(self) -> str:
        running = min(self.slots, self.total - self.done - self.failed)
        return (
            f"done {self.done} · running {running} · skipped {self.skipped} · failed {self.failed}"
        )

    def __enter__(self) -> _Display:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def finished(self, ok: bool) -> None:
        if ok:
            self.done += 1
        else:
            self.failed += 1
        self.progress.update(self.task, advance=1, description=self._text())


def _take_environment(environment: dict[str, str]) -> None:
    """Make a pool worker's environment the build's (its server may be older)."""
    os.environ.clear()
    os.environ.update(environment)


def _on_pool(
    specs: list[RunSpec], jobs: int, finished: Callable[[RunResult], None], start: Callable[[], Any]
) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    from analysis.pipeline import runner

    # Workers fork from a fresh single-threaded server, never from this process: a fork
    # of a process with threads (Arrow's pools, an xdist worker's I/O thread) copies
    # their half-done state, and its children crashed in the garbage collector. The
    # server imports the heavy modules once; each worker takes this process's
    # environment as it is now, not as it was when the server started.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(
        ["analysis.pipeline.runner", "analysis.pipeline.kernel", "nbconvert"]
    )
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_take_environment,
        initargs=(dict(os.environ),),
    ) as pool:
        futures = {pool.submit(runner.execute, spec): spec for spec in specs}
        with start():
            for future in as_completed(futures):
                spec = futures[future]
                try:
                    result = future.result()
                except BrokenProcessPool as exc:
                    result = RunResult(
                        spec.run_id,
                        False,
                        0.0,
                        f"run {spec.run_id}: its worker process died ({exc})",
                    )
                finished(result)


def _on_dask(
    specs: list[RunSpec],
    address: str,
    finished: Callable[[RunResult], None],
    start: Callable[[], Any],
) -> None:
    from distributed import Client, as_completed

    from analysis.pipeline import runner

    try:
        client = Client(address, timeout=DASK_CONNECT_TIMEOUT)
    except OSError as exc:
        raise BuildError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    with client:
        futures = {
            client.submit(
                runner.execute, spec, pure=False, key=f"analysis-run-{spec.run_id}-{spec.key[:12]}"
            ): spec
            for spec in specs
        }
        with start():
            for future in as_completed(futures):
                spec = futures[future]
                try:
                    result = future.result()
                except Exception as exc:
                    result = RunResult(
                        spec.run_id,
                        False,
                        0.0,
                        f"run {spec.run_id}: its Dask task failed: {type(exc).__name__}: {exc}",
                    )
                finished(result)


def _dask_slots(address: str) -> int:
    """Threads the cluster offers; only for the progress line's `running` count."""
    from distributed import Client

    try:
        client = Client(address, timeout=DASK_CONNECT_TIMEOUT)
    except OSError as exc:
        raise BuildError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    with client:
        return max(1, sum(client.nthreads().values()))


def write_reports(out: Path) -> list[Path]:
    """index.html with the report pages, BUILT.sha256 and report.pdf, when
    `analysis.report` provides them (the PDF only where Chromium is installed)."""
    if importlib.util.find_spec("analysis.report") is None:
        return []
    written = []
    for module_name, function in (
        ("analysis.report.index", "write_index"),
        ("analysis.report.manifest", "write_manifest"),
        ("analysis.report.pdf", "write_pdf"),
    ):
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        path = getattr(module, function)(out)
        if path is not None:
            written.append(path)
    return written


def _listed(written: list[Path]) -> str:
    """`; wrote index.html, ...` for the summary line, or nothing."""
    return f"; wrote {', '.join(p.name for p in written)}" if written else ""


def _reports_missing(out: Path) -> bool:
    from analysis.report import pdf

    return (
        not (out / "index.html").is_file()
        or not (out / "BUILT.sha256").is_file()
        or pdf.missing(out)
    )


def main(
    force: bool = False,
    jobs: int | None = None,
    scheduler: str | None = None,
    only: list[str] | None = None,
    config: Path | None = None,
    out: Path | None = None,
    report: bool = True,
) -> int:
    """Build the reports; returns 0, or raises `BuildError` naming every failed run.

    `report=False` runs the notebooks only, without the report pages (what `verify`
    needs)."""
    started = time.perf_counter()
    out = (out or paths.REPORTS).resolve()
    build = state.build_dir(out)
    cfg = config_mod.load(config)
    runs = select(cfg.runs, only, cfg.source)
    build.mkdir(parents=True, exist_ok=True)
    lock = _acquire(build)
    try:
        state.recover(build)
        planned = plan(runs, out, build, force)
        stale = [p for p in planned if p.stale]
        skipped = [p.run.id for p in planned if not p.stale]
        summary: dict[str, Any] = {"executed": [], "failed": [], "skipped": skipped, "seconds": {}}
        if not stale:
            missing = report and planned and _reports_missing(out)
            written = write_reports(out) if missing else []
            state.write_summary(build, summary)
            print(
                f"build: up to date, {len(skipped)} run(s) skipped{_listed(written)} "
                f"({time.perf_counter() - started:.2f} s)"
            )
            return 0
        config_mod.validate_parameters(runs)
        failures = _execute(stale, out, build, jobs, scheduler, len(skipped), summary)
        written = write_reports(out) if report else []
        state.write_summary(build, summary)
    finally:
        lock.release()
    print(
        f"build: {len(summary['executed'])} executed, {len(skipped)} skipped, "
        f"{len(failures)} failed{_listed(written)} ({time.perf_counter() - started:.1f} s)"
    )
    if failures:
        raise BuildError(
            f"{len(failures)} run(s) failed; previous outputs kept, partial "
            f"notebooks in {build / 'failed'}\n" + "\n".join(failures)
        )
    return 0


def _execute(
    stale: list[Planned],
    out: Path,
    build: Path,
    jobs: int | None,
    scheduler: str | None,
    skipped: int,
    summary: dict[str, Any],
) -> list[str]:
    """Run the stale runs and publish each success; returns the failure messages."""
    from analysis.pipeline.runner import kernel_name

    kernel = kernel_name()
    specs = [
        RunSpec(
            run_id=p.run.id,
            notebook=str(p.run.notebook.path),
            notebook_rel=_rel(p.run.notebook.path),
            parameters=p.run.parameters,
            tables=p.run.notebook.tables,
            key=p.key,
            key_parts=p.parts,
            tmp_dir=str(state.new_tmp(build, p.run.id)),
            kernel=kernel,
            timeout=p.run.timeout,
            cwd=str(p.run.notebook.path.parent),
        )
        for p in stale
    ]
    by_id = {spec.run_id: spec for spec in specs}
    failures: list[str] = []
    slots = _dask_slots(scheduler) if scheduler else min(jobs or os.cpu_count() or 1, len(specs))
    display = _Display(len(specs), skipped, slots)

    def finished(result: RunResult) -> None:
        tmp = Path(by_id[result.run_id].tmp_dir)
        summary["seconds"][result.run_id] = round(result.seconds, 2)
        if result.ok:
            state.publish(build, tmp, out, result.run_id)
            summary["executed"].append(result.run_id)
        else:
            kept = state.keep_failed(build, tmp, result.run_id) if tmp.exists() else None
            where = f"\n  partial notebook: {kept}" if kept else ""
            failures.append(result.message + where)
            summary["failed"].append(result.run_id)
            display.progress.console.print(f"[red]failed[/red] {result.message}{where}")
        display.finished(result.ok)

    if scheduler:
        _on_dask(specs, scheduler, finished, lambda: display)
    else:
        _on_pool(specs, slots, finished, lambda: display)
    summary["executed"].sort()
    summary["failed"].sort()
    return sorted(failures, key=lambda message: message.split("(run ", 1)[-1])
