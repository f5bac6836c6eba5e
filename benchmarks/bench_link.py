"""Time and peak memory of `python -m analysis link`, cold (link cache cleared, tidy
tables cached) and warm (link cache present).

Run: ANALYSIS_DATA_MIRROR=../shared/datasets python benchmarks/bench_link.py
Each run is a fresh process, as a user runs the command; prints the median wall
time of 5 runs of each and the largest peak resident memory (ru_maxrss of the
child). Target: cold under 10 s. Caches go to a temporary folder.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 5


def _run(out: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one `link` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "analysis", "link", "--out", str(out)],
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def main() -> None:
    os.environ["ANALYSIS_CACHE_DIR"] = tempfile.mkdtemp(prefix="bench-link-cache-")
    from analysis import tables
    from analysis.linking import cache

    for name in ("airwars", "ucdp_ged"):
        tables.load(name)
    out = Path(tempfile.mkdtemp(prefix="bench-link-out-"))
    cold, warm, peaks = [], [], []
    for _ in range(RUNS):
        cache.cache_path().unlink(missing_ok=True)
        seconds, peak = _run(out)
        cold.append(seconds)
        peaks.append(peak)
    for _ in range(RUNS):
        seconds, peak = _run(out)
        warm.append(seconds)
        peaks.append(peak)
    print(f"link cold (pairs computed): median {statistics.median(cold):.2f} s {sorted(cold)}")
    print(f"link warm (pairs cached):   median {statistics.median(warm):.2f} s {sorted(warm)}")
    print(f"peak resident memory of a link process: {max(peaks):.0f} MiB")


if __name__ == "__main__":
    main()
