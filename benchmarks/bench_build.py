"""Benchmark of `python -m analysis build` and `python -m analysis sweep`; prints medians.

Measures, on a copy of the project's notebooks and config/runs.yaml in a temporary
folder (or the tiny fixture notebooks with --fixtures), with the data cache warm:

1. full build (`python -m analysis build`, parallel, default jobs) against a baseline
   that runs the same notebooks one after another with the `papermill` command line;
2. no-op rebuild, against Snakemake's no-op on a generated ten-job workflow;
3. rebuild after editing one notebook: which runs executed, and the time;
4. the sensitivity sweep over the committed grid (in-process and command line);
5. peak memory of the full build, sampled every 50 ms with psutil over the build's
   process tree: summed PSS (shared pages divided among the processes that share
   them: the memory the build really takes) and summed RSS (shared pages counted
   once per process: an overestimate), and the largest single process.

Usage: python benchmarks/bench_build.py [--repeats N] [--fixtures]
Needs ANALYSIS_DATA_MIRROR or fetched data; the `analysis` kernel (make env).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BIN = Path(PY).parent


def timed(command: list[str], cwd: Path | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - started


def tree_memory_peak(command: list[str]) -> tuple[float, int, int]:
    """Wall time, peak summed PSS and peak summed RSS (bytes) of a command and all
    its descendants."""
    import psutil

    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak_pss = peak_rss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_pss, peak_rss
        parent = psutil.Process(process.pid)
        while not done.is_set():
            try:
                members = [parent, *parent.children(recursive=True)]
                pss = rss = 0
                for member in members:
                    with contextlib.suppress(psutil.Error):
                        info = member.memory_full_info()
                        pss += info.pss
                        rss += info.rss
                peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
            except psutil.Error:
                pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    code = process.wait()
    done.set()
    sampler.join()
    if code != 0:
        raise SystemExit(f"build failed with exit code {code}: {command}")
    return time.perf_counter() - started, peak_pss, peak_rss


def project_copy(base: Path, fixtures: bool) -> Path:
    """config/ and notebooks/ copied into `base`, so edits never touch the repository."""
    source = ROOT / "tests" / "fixtures" / "build" if fixtures else ROOT
    shutil.copytree(source / "config", base / "config", ignore=shutil.ignore_patterns("sweep.yaml"))
    shutil.copytree(
        source / "notebooks",
        base / "notebooks",
        ignore=shutil.ignore_patterns(".ipynb_checkpoints"),
    )
    return base


def build_cmd(base: Path, out: Path, *extra: str) -> list[str]:
    return [
        PY,
        "-m",
        "analysis",
        "build",
        "--config",
        str(base / "config" / "runs.yaml"),
        "--out",
        str(out),
        *extra,
    ]


def executed(out: Path) -> list[str]:
    return json.loads((out.parent / ".build" / "last_build.json").read_text())["executed"]


def papermill_baseline(base: Path, work: Path) -> float:
    """The same runs, one `papermill` command line each, one after another."""
    config = yaml.safe_load((base / "config" / "runs.yaml").read_text())
    started = time.perf_counter()
    for run in config["runs"]:
        notebook = base / config["notebooks"][run["notebook"]]["path"]
        folder = work / run["id"]
        folder.mkdir(parents=True)
        parameters = {**run.get("parameters", {}), "output_dir": str(folder)}
        subprocess.run(
            [
                str(BIN / "papermill"),
                str(notebook),
                str(folder / "out.ipynb"),
                "-k",
                "analysis",
                "-y",
                json.dumps(parameters),
                "--no-progress-bar",
                "--cwd",
                str(notebook.parent),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return time.perf_counter() - started


def snakemake_noop(work: Path, repeats: int) -> list[float]:
    work.mkdir(parents=True, exist_ok=True)
    (work / "Snakefile").write_text(
        'rule all:\n    input: expand("out/{i}.txt", i=range(10))\n\n'
        'rule make:\n    output: "out/{i}.txt"\n    shell: "echo {wildcards.i} > {output}"\n'
    )
    command = [str(BIN / "snakemake"), "--cores", "1", "--quiet"]
    subprocess.run(command, cwd=work, check=True, capture_output=True)
    return [timed(command, cwd=work) for _ in range(repeats)]


def touch_one_notebook(base: Path) -> str:
    config = yaml.safe_load((base / "config" / "runs.yaml").read_text())
    key = config["runs"][0]["notebook"]
    path = base / config["notebooks"][key]["path"]
    document = json.loads(path.read_text())
    code = [c for c in document["cells"] if c["cell_type"] == "code"]
    source = code[-1]["source"]
    code[-1]["source"] = (
        "".join(source) if isinstance(source, list) else source
    ) + "\n# benchmark edit\n"
    path.write_text(json.dumps(document, indent=1))
    return key


def sweep_times(repeats: int) -> tuple[list[float], int]:
    from analysis import sweep, tables

    table = tables.load("airwars")
    grid = sweep.load_grid(sweep.default_config())
    times, points = [], 0
    for _ in range(repeats):
        started = time.perf_counter()
        result = sweep.sweep(table, grid)
        times.append(time.perf_counter() - started)
        points = len(result) // len(grid["categories"])
    return times, points


def noop_once(command: list[str], out: Path, tries: int = 5) -> float:
    """Time a no-op build; when other edits made runs stale, rebuild and time again."""
    for _ in range(tries):
        seconds = timed(command)
        if executed(out) == []:
            return seconds
    raise SystemExit("no no-op build after several tries: the sources keep changing")


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--repeats", type=int, default=3)
    args.add_argument("--fixtures", action="store_true", help="use the fixture notebooks")
    opts = args.parse_args()
    n = opts.repeats
    kind = "fixture" if opts.fixtures else "project"
    print(
        f"build benchmark on {kind} notebooks, {os.cpu_count()} cores; medians of "
        f"{n} (full build, baseline, sweep CLI) or {n + 2} (no-op, sweep) runs\n"
    )

    def row(name: str, value: str, note: str = "") -> None:
        print(f"{name:<56}  {value:>10}  {note}", flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        work = Path(tmp)
        base = project_copy(work / "project", opts.fixtures)
        runs = len(yaml.safe_load((base / "config" / "runs.yaml").read_text())["runs"])
        out = work / "warm" / "reports"
        subprocess.run(build_cmd(base, out), check=True, capture_output=True)

        noop = [noop_once(build_cmd(base, out), out) for _ in range(n + 2)]
        snake = snakemake_noop(work / "snake", n + 2)
        row("no-op rebuild, CLI", f"{statistics.median(noop):.2f} s", "target < 0.4 s")
        row("snakemake no-op, 10 jobs", f"{statistics.median(snake):.2f} s")

        key = touch_one_notebook(base)
        changed = timed(build_cmd(base, out))
        row(
            f"rebuild after editing notebook {key!r}",
            f"{changed:.2f} s",
            f"executed: {', '.join(executed(out))}",
        )

        times, points = sweep_times(n + 2)
        row(
            f"sweep, {points} grid points x 2 categories, in-process",
            f"{statistics.median(times):.3f} s",
            "target < 5 s",
        )
        cli = [
            timed([PY, "-m", "analysis", "sweep", "--out", str(work / "sweep")]) for _ in range(n)
        ]
        row("sweep, CLI incl. imports, load, CSV and figure", f"{statistics.median(cli):.2f} s")

        full, peaks, rss_peaks, baseline = [], [], [], []
        for i in range(n):
            seconds, pss, rss = tree_memory_peak(build_cmd(base, work / f"full{i}" / "reports"))
            full.append(seconds)
            peaks.append(pss)
            rss_peaks.append(rss)
            baseline.append(papermill_baseline(base, work / f"baseline{i}"))
            row(
                f"  repeat {i + 1}: full build / papermill baseline",
                f"{seconds:.1f} s",
                f"/ {baseline[-1]:.1f} s",
            )
        largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        f, b = statistics.median(full), statistics.median(baseline)
        row(f"full build, {runs} runs, parallel", f"{f:.2f} s")
        row(f"baseline: papermill CLI x {runs}, sequential", f"{b:.2f} s")
        row("full / baseline", f"{f / b:.2f}", "target <= 0.6")
        row(
            "peak memory of full build (process tree, summed PSS)",
            f"{statistics.median(peaks) / 2**20:.0f} MiB",
            "target < 1024 MiB",
        )
        row(
            "  the same as summed RSS (shared pages counted per process)",
            f"{statistics.median(rss_peaks) / 2**20:.0f} MiB",
        )
        row("largest single process of all runs (getrusage)", f"{largest / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
