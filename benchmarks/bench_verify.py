"""Benchmark of `python -m analysis verify`: every run against one run (`--only`), and
against building that one run, in the same session.

Each command is run `--repeats` times as a whole command line; the table gives
medians and the ratios that matter: verifying one run against verifying all, and
against building the same run into a fresh folder (`build --force --only RUN`).

Usage: python benchmarks/bench_verify.py [--run claims_ledger-article] [--repeats 3]
Needs ANALYSIS_DATA_MIRROR or fetched data, and a committed reports/MANIFEST.sha256.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--run", default="claims_ledger-article")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    python = [sys.executable, "-m", "analysis"]
    results: dict[str, list[float]] = {"verify": [], "verify --only": [], "build --only": []}
    for _ in range(args.repeats):  # interleaved, so drift in load touches all three alike
        results["verify"].append(timed([*python, "verify"]))
        results["verify --only"].append(timed([*python, "verify", "--only", args.run]))
        with tempfile.TemporaryDirectory(prefix="bench-verify-") as tmp:
            results["build --only"].append(
                timed([*python, "build", "--force", "--only", args.run, "--out", tmp])
            )
    medians = {name: statistics.median(times) for name, times in results.items()}
    print(f"{'command':<16}{'median s':>10}  runs s")
    for name, times in results.items():
        print(f"{name:<16}{medians[name]:>10.2f}  {', '.join(f'{t:.2f}' for t in times)}")
    print(f"verify --only {args.run} / verify: {medians['verify --only'] / medians['verify']:.2f}")
    print(
        f"verify --only {args.run} / build --only {args.run}: "
        f"{medians['verify --only'] / medians['build --only']:.2f}"
    )


if __name__ == "__main__":
    main()
