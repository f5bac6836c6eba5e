"""How long `make check` and `make test` take, and whether the markers hold.

Runs each target `--repeat` times (default 3) and prints every wall time and the
median. From pytest's durations it then checks the marker rule: a test taking
5 s or more (setup, call and teardown, the median over the repeats) must be marked
`slow`. Property tests (hypothesis) take what their profile gives them, so they are
held to the rule in `make check` (the `dev` profile) only. Exit status 1 lists each
test that breaks it.

    python benchmarks/bench_tests.py [--repeat N] [--only check|test]

Targets (issue 19): `make test` under 3 minutes, `make check` under 45 s, on this
machine when idle. The machine is shared: say how busy it was (`uptime`) beside the
figures, and compare ratios against a baseline taken the same hour.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 5.0  # seconds
COLLECT = [sys.executable, "-m", "pytest", "-q", "--collect-only", "-p", "no:cacheprovider"]
DURATION = re.compile(r"^([0-9.]+)s (setup|call|teardown)\s+(\S+)$")


def _marked(marker: str) -> set[str]:
    """Node ids of the tests carrying `marker`."""
    done = subprocess.run(
        [*COLLECT, "-m", marker],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return {line.strip() for line in done.stdout.splitlines() if "::" in line}


def _run(target: str) -> tuple[float, dict[str, float]]:
    """Wall seconds of `make target`, and each test's seconds of at least 1 s."""
    args = "--durations=0 --durations-min=1 -p no:cacheprovider"
    started = time.perf_counter()
    done = subprocess.run(
        ["make", target, f"PYTEST_ARGS={args}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=os.environ,
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"make {target} failed:\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}")
    seconds: dict[str, float] = defaultdict(float)
    for line in done.stdout.splitlines():
        if found := DURATION.match(line.strip()):
            seconds[found.group(3)] += float(found.group(1))
    return wall, dict(seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=("check", "test"))
    args = parser.parse_args()
    targets = [args.only] if args.only else ["check", "test"]
    print(f"load: {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} cores")
    slow, hypothesis = _marked("slow"), _marked("hypothesis")
    broken = []
    for target in targets:
        walls, per_test = [], defaultdict(list)
        for _ in range(args.repeat):
            wall, seconds = _run(target)
            walls.append(wall)
            for test, spent in seconds.items():
                per_test[test].append(spent)
            print(f"make {target}: {wall:.1f} s", flush=True)
        print(f"make {target}: median {statistics.median(walls):.1f} s of {len(walls)}")
        for test, spent in sorted(per_test.items()):
            taken = statistics.median(spent + [0.0] * (len(walls) - len(spent)))
            exempt = test in slow or (target == "test" and test in hypothesis)
            if taken >= LIMIT and not exempt:
                broken.append(f"{test}: {taken:.1f} s in make {target}, not marked slow")
    for line in broken:
        print(line)
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
