"""The misbehaving-server table: `python -m analysis fetch` against each fault.

Serves every file of the manifest (from the folder mirror, ANALYSIS_DATA_MIRROR)
through tests/http_faults.FaultyServer on 127.0.0.1, with half of the files already
fetched and verified in an empty temporary data folder, and runs the real command
line until it exits 0, a run makes no progress, or --max-runs is reached. For each
fault it prints what the first run said (its first line and first failure), how
many runs were needed, the files verified before, after the first run and at the
end, the time of the first run, the requests made, and what was lost: a file good
before that changed, or a file under raw/ that is not a verified manifest file.

With --baseline DIR (a checkout of an older version, e.g. `git worktree add`), the
same is run with that version's code, for comparison.

Usage: ANALYSIS_DATA_MIRROR=../shared/datasets python benchmarks/fetch_faults.py
       [--max-runs 8] [--baseline DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests/http_faults.py

from analysis import paths, sources  # noqa: E402
from tests.http_faults import FaultyServer, Plan  # noqa: E402


def plans(first: str, second: str) -> dict[str, Plan]:
    """Each fault: a plan of tests/http_faults.py; `first` and `second` are two paths."""
    return {
        "reset mid-body, every 3rd request": lambda n, _p, _k: "reset" if n % 3 == 0 else None,
        "HTTP 500, every 4th request": lambda n, _p, _k: "500" if n % 4 == 0 else None,
        "429 + Retry-After: 1, every 5th request": lambda n, _p, _k: "429" if n % 5 == 0 else None,
        "truncated body (right Content-Length), every 3rd": lambda n, _p, _k: (
            "truncate" if n % 3 == 0 else None
        ),
        "reset before the answer, every 3rd": lambda n, _p, _k: "drop" if n % 3 == 0 else None,
        "corrupted bytes, every 10th request": lambda n, _p, _k: "corrupt" if n % 10 == 0 else None,
        "one file always corrupted": lambda _n, p, _k: "corrupt" if p == first else None,
        "one file 404": lambda _n, p, _k: "404" if p == first else None,
        "one file stalls mid-body": lambda _n, p, _k: "stall" if p == second else None,
        "host accepts, never answers": lambda _n, _p, _k: "hang",
    }


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_fault(
    name: str, plan: Plan, files: dict[str, bytes], code: Path, max_runs: int
) -> list[str]:
    resources = sources.resources()
    with tempfile.TemporaryDirectory(prefix="fetch-faults-") as tmp:
        raw = Path(tmp) / "raw"
        good_before = {}
        for resource in resources[::2]:  # half the files fetched and verified before
            target = raw / resource.relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files["/" + resource.relpath])
            good_before[target] = (sha256(target), target.stat().st_mtime_ns)
        env = dict(
            os.environ,
            ANALYSIS_RAW_DIR=str(raw),
            ANALYSIS_CACHE_DIR=f"{tmp}/cache",
            PYTHONPATH=str(code),
        )
        known = {raw / r.relpath: r.sha256 for r in resources}

        def verified() -> int:
            return sum(1 for p, digest in known.items() if p.is_file() and sha256(p) == digest)

        with FaultyServer(files, plan) as server:
            env[sources.MIRROR_ENV] = server.url
            runs, first, first_seconds, after = 0, "", 0.0, [verified()]
            while runs < max_runs:
                start = time.monotonic()
                done = subprocess.run(
                    [sys.executable, "-m", "analysis", "fetch", "--quiet"],
                    cwd=code,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=600,
                )
                runs += 1
                after.append(verified())
                if runs == 1:
                    first_seconds = time.monotonic() - start
                    first = said(done.stdout + done.stderr)
                if done.returncode == 0 or after[-1] == after[-2]:
                    break
            requests = len(server.log)
        lost = [
            p for p, (h, m) in good_before.items() if (sha256(p), p.stat().st_mtime_ns) != (h, m)
        ]
        strays = [
            p for p in raw.rglob("*") if p.is_file() and (p not in known or sha256(p) != known[p])
        ]
        if done.returncode == 0:
            needed = str(runs)
        elif after[-1] == after[-2]:
            needed = f"never: no progress in run {runs}"
        else:
            needed = f"not done after {runs} (the limit)"
        loss = "nothing" if not lost and not strays else f"{len(lost)} good, {len(strays)} stray"
        progress = f"{after[0]} / {after[1]} / {after[-1]}"
        return [name, first, needed, progress, f"{first_seconds:.1f}", str(requests), loss]


def said(output: str) -> str:
    """The first line the user saw and the first failure it named, shortened."""
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    text = lines[0]
    if len(lines) > 1 and lines[1].startswith("http"):
        text += " / " + lines[1].split(": ", 1)[-1]
    return text.replace("|", "/")[:160]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-runs", type=int, default=8)
    parser.add_argument("--baseline", type=Path, default=None)
    parser.add_argument("--only", default=None, help="run only faults whose name has this")
    args = parser.parse_args()
    mirror = sources.mirror_from_env()
    if not mirror or not (paths.ROOT / mirror).is_dir():
        raise SystemExit("set ANALYSIS_DATA_MIRROR to the mirror folder, e.g. ../shared/datasets")
    folder = (paths.ROOT / mirror).resolve()
    files = {"/" + r.relpath: (folder / r.relpath).read_bytes() for r in sources.resources()}
    first, second = ("/" + r.relpath for r in sources.resources()[1::2][:2])  # not fetched before
    header = [
        "fault",
        "what the user saw (first run)",
        "runs to exit 0",
        f"verified of {len(files)}: before / after run 1 / at end",
        "1st run s",
        "requests",
        "lost",
    ]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for code, label in ((ROOT, ""), (args.baseline, " (baseline)")):
        if code is None:
            continue
        for name, plan in plans(first, second).items():
            if args.only and args.only not in name:
                continue
            row = run_fault(name + label, plan, files, code.resolve(), args.max_runs)
            print("| " + " | ".join(row) + " |", flush=True)


if __name__ == "__main__":
    main()
