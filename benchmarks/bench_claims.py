"""Benchmark of `python -m analysis claims` on generated claims files of many sizes.

The claims are a seeded, realistic mix of what a fact-checking desk holds, shaped
like published figures: mostly civilian and total counts but every category, a third
about Russia and a quarter about all parties, 60% for Syria as a whole, a third for
one governorate and the rest for a named area, over periods of a week to several
years (monthly and quarterly tallies, yearly reviews, and cumulative series from the
start of the war or of Russia's campaign), with every qualifier in use and a few
claims whose own monitor the package holds (Airwars, VDC, UCDP). Most periods fall
in 2015-2017, where every source speaks; the rest run from 2011 to 2020, so some
fall across a source's window edge and some outside.

Each size is run as the whole command line (`python -m analysis claims FILE --out
DIR`, tables cached), `--repeats` times; the table gives the median wall time, the
median CPU time and the peak resident memory of the process (from `os.wait4`, per
child; on a shared machine CPU time is the steadier measure). `--robustness`
adds the flag to every run. `--project DIR` runs another checkout of the package
(for a before-and-after comparison in one session): its `analysis` is imported
from DIR, with this checkout's raw data and a cache of its own. `--against DIR`
times this checkout and DIR's in turn (run by run, so a busy machine slows both
alike) and prints each median and their ratio: how much more time this checkout
takes (issue 16: the split of every number by what its records cite, at most 15%).

`--explain` then times `explain CLAIM_ID --run DIR` on one claim of the largest run.
The table also gives the size of the output folder and its number of files.

Usage: python benchmarks/bench_claims.py [--sizes 40 100 1000 10000] [--repeats 3]
       [--robustness] [--explain] [--extra-args ...] [--project DIR] [--against DIR]
       python benchmarks/bench_claims.py --write FILE --size N   (only write a file)
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from analysis.claims.format import COLUMNS

ROOT = Path(__file__).resolve().parent.parent
PERPETRATORS = {
    "russia": 0.35,
    "russia_or_syrian_government": 0.10,
    "syrian_government": 0.08,
    "us_led_coalition": 0.12,
    "turkey": 0.05,
    "all": 0.30,
}
CATEGORIES = {
    "civilians": 0.35,
    "children": 0.13,
    "women": 0.05,
    "civilian_men": 0.02,
    "total": 0.17,
    "people": 0.03,
    "fighters": 0.07,
    "is_fighters": 0.07,
    "other_fighters": 0.07,
    "civilians_injured": 0.04,
}
GOVERNORATES = (
    "aleppo idlib hama homs latakia tartus damascus rif_dimashq daraa as_suwayda "
    "quneitra deir_ez_zor ar_raqqah al_hasakah"
).split()
#: period length in days -> weight; 0 marks a cumulative period from a fixed start
LENGTHS = {7: 0.08, 14: 0.07, 30: 0.20, 91: 0.15, 182: 0.10, 365: 0.20, 0: 0.20}
CUMULATIVE_STARTS = ("2011-03-15", "2015-09-30")
QUALIFIERS = ("exact", "about", "almost", "at_least", "more_than", "up_to")
MONITORS = {"SOHR": 0.75, "unattributed": 0.13, "Airwars": 0.05, "VDC": 0.04, "UCDP": 0.03}


def _pick(rng: np.random.Generator, weights: dict, n: int) -> np.ndarray:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=n, p=p / p.sum())]


def generate(n: int, seed: int = 2016) -> list[dict[str, str]]:
    """`n` claims rows (dicts of `COLUMNS`), the same for the same seed."""
    rng = np.random.default_rng(seed)
    perpetrators = _pick(rng, PERPETRATORS, n)
    categories = _pick(rng, CATEGORIES, n)
    lengths = _pick(rng, LENGTHS, n)
    monitors = _pick(rng, MONITORS, n)
    area_kind = rng.choice(3, size=n, p=[0.6, 0.33, 0.07])
    # most claims fall in 2015-2017, the rest anywhere from 2011 to 2020
    centre = np.where(
        rng.random(n) < 0.7,
        rng.integers(0, 3 * 365, n) + np.datetime64("2015-01-01"),
        rng.integers(0, 10 * 365, n) + np.datetime64("2011-03-15"),
    ).astype("datetime64[D]")
    rows = []
    for i in range(n):
        if lengths[i] == 0:
            start = np.datetime64(CUMULATIVE_STARTS[int(rng.integers(0, 2))])
            end = max(centre[i], start + 30)
        else:
            start, end = centre[i], centre[i] + int(lengths[i]) - 1
        area = (
            "syria"
            if area_kind[i] == 0
            else str(rng.choice(GOVERNORATES))
            if area_kind[i] == 1
            else str(rng.choice(["east_aleppo", "aleppo_city"]))
        )
        figure = int(10 ** rng.uniform(0, 5.5))
        rows.append(
            {
                "claim_id": f"G{i + 1:06d}",
                "statement": f"Generated claim {i + 1}: {perpetrators[i]} killed "
                f"{figure:,} {categories[i]} in {area}",
                "source": str(monitors[i]),
                "published": str(end + 1),
                "period_start": str(start),
                "period_end": str(end),
                "perpetrator": str(perpetrators[i]),
                "category": str(categories[i]),
                "area": area,
                "figure": str(figure),
                "kind": "count",
                "qualifier": str(rng.choice(QUALIFIERS)),
                "url": "",
            }
        )
    return rows


def write(path: Path, n: int, seed: int = 2016) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(generate(n, seed))
    return path


def run_once(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (bytes) and CPU seconds (user and system) of one command,
    measured on that child only. On a shared, loaded machine CPU seconds vary much less
    than wall seconds."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed with status {status}")
    return seconds, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


def environment(project: Path) -> dict[str, str]:
    """The environment that runs `project`'s package: another checkout gets its own
    code and cache and this checkout's verified raw data."""
    env = dict(os.environ)
    if project != ROOT:
        env["ANALYSIS_RAW_DIR"] = env.get("ANALYSIS_RAW_DIR", str(ROOT / "data" / "raw"))
        env["ANALYSIS_CACHE_DIR"] = str(project / "data" / "cache")
        env["PYTHONPATH"] = str(project)
    return env


def compare(sizes: list[int], repeats: int, flags: list[str], against: Path) -> None:
    """Median wall and CPU time of this checkout and of `against` per size, runs
    alternating. On a shared machine the CPU time (user + system, of the child alone)
    is the steadier measure: other processes stretch wall time, not CPU time."""
    projects = {"this": ROOT, "against": against}
    envs = {name: environment(path) for name, path in projects.items()}
    with tempfile.TemporaryDirectory(prefix="bench-claims-") as tmp:
        folder = Path(tmp)
        warm = write(folder / "warm.csv", 5)
        for name, path in projects.items():
            command = [sys.executable, "-m", "analysis", "claims", str(warm)]
            run_once([*command, "--out", str(folder / f"w-{name}")], envs[name], path)
        print(f"{'claims':>8}{'measure':>9}{'this s':>9}{'against s':>11}{'ratio':>8}   runs")
        for size in sizes:
            claims = write(folder / f"claims-{size}.csv", size)
            times = {(n, m): [] for n in projects for m in ("wall", "cpu")}
            for _ in range(repeats):
                for name, path in projects.items():
                    out = str(folder / f"out-{name}-{size}")
                    command = [sys.executable, "-m", "analysis", "claims", str(claims)]
                    wall, _, cpu = run_once([*command, "--out", out, *flags], envs[name], path)
                    times[(name, "wall")].append(wall)
                    times[(name, "cpu")].append(cpu)
            for measure in ("wall", "cpu"):
                this, other = (statistics.median(times[(n, measure)]) for n in projects)
                runs = " / ".join(
                    ", ".join(f"{t:.2f}" for t in times[(n, measure)]) for n in projects
                )
                print(
                    f"{size:>8,}{measure:>9}{this:>9.2f}{other:>11.2f}{this / other:>8.3f}   {runs}"
                )


def disk_use(folder: Path) -> tuple[int, int]:
    """Bytes and files under `folder`."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[40, 100, 1000, 10000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--robustness", action="store_true")
    parser.add_argument(
        "--explain", action="store_true", help="also time explain --run on the largest run"
    )
    parser.add_argument("--extra-args", nargs="*", default=[])
    parser.add_argument("--project", type=Path, default=ROOT)
    parser.add_argument("--against", type=Path, default=None)
    parser.add_argument("--write", type=Path, default=None)
    parser.add_argument("--size", type=int, default=1000)
    args = parser.parse_args()
    if args.write:
        write(args.write, args.size)
        return
    flags = (["--robustness"] if args.robustness else []) + list(args.extra_args)
    if args.against:
        compare(args.sizes, args.repeats, flags, args.against.resolve())
        return
    project = args.project.resolve()
    env = environment(project)
    with tempfile.TemporaryDirectory(prefix="bench-claims-") as tmp:
        folder = Path(tmp)
        # warm the table cache once, outside the timings
        warm = write(folder / "warm.csv", 5)
        run_once(
            [sys.executable, "-m", "analysis", "claims", str(warm), "--out", str(folder / "w")],
            env,
            project,
        )
        print(
            f"{'claims':>8}{'median s':>10}{'runs s':>26}{'CPU s':>8}{'peak MiB':>10}"
            f"{'out MB':>9}{'files':>8}"
        )
        medians = {}
        for size in args.sizes:
            claims = write(folder / f"claims-{size}.csv", size)
            times, peaks, cpus = [], [], []
            for _ in range(args.repeats):
                seconds, peak, cpu = run_once(
                    [
                        sys.executable,
                        "-m",
                        "analysis",
                        "claims",
                        str(claims),
                        "--out",
                        str(folder / f"out-{size}"),
                        *flags,
                    ],
                    env,
                    project,
                )
                times.append(seconds)
                peaks.append(peak)
                cpus.append(cpu)
            medians[size] = statistics.median(times)
            runs = ", ".join(f"{t:.2f}" for t in times)
            written, files = disk_use(folder / f"out-{size}")
            print(
                f"{size:>8,}{medians[size]:>10.2f}{runs:>26}{statistics.median(cpus):>8.2f}"
                f"{max(peaks) / 2**20:>10.0f}"
                f"{written / 1e6:>9.1f}{files:>8,}"
            )
        if 40 in medians and 1000 in medians:
            print(f"1,000 claims / 40 claims: {medians[1000] / medians[40]:.2f}x")
        if args.explain:
            # one claim of the largest run, explained from what the run wrote
            size = max(args.sizes)
            claim = f"G{size // 2:06d}"
            run = str(folder / f"out-{size}")
            times = [
                run_once(
                    [sys.executable, "-m", "analysis", "explain", claim, "--run", run],
                    env,
                    project,
                )[0]
                for _ in range(args.repeats)
            ]
            runs = ", ".join(f"{t:.2f}" for t in times)
            print(
                f"explain {claim} --run (of {size:,} claims): "
                f"median {statistics.median(times):.2f} s ({runs})"
            )


if __name__ == "__main__":
    main()
