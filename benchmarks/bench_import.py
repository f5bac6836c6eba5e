"""Cold import (cache cleared, raw files present) and cached load of every table.

Run: ANALYSIS_DATA_MIRROR=../shared/datasets python benchmarks/bench_import.py
Prints the median of 5 runs of each; targets: cached < 0.2 s, Airwars cold < 5 s.
Caches go to a temporary folder; the real cache is not touched.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time

RUNS = 5


def main() -> None:
    os.environ["ANALYSIS_CACHE_DIR"] = tempfile.mkdtemp(prefix="bench-cache-")
    from analysis import sources, tables

    sources.fetch(progress=False)
    print(f"{'table':<12}{'cold s':>10}{'cached s':>10}")
    for name in tables.TIDY_TABLES:
        cold, cached = [], []
        for _ in range(RUNS):
            tables.cache_path(name).unlink(missing_ok=True)
            start = time.perf_counter()
            tables.load(name)
            cold.append(time.perf_counter() - start)
        for _ in range(RUNS):
            start = time.perf_counter()
            tables.load(name)
            cached.append(time.perf_counter() - start)
        print(f"{name:<12}{statistics.median(cold):>10.3f}{statistics.median(cached):>10.3f}")


if __name__ == "__main__":
    main()
