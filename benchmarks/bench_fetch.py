"""Benchmark of `fetch`: one connection at a time against several, over local HTTP.

Serves the folder mirror (ANALYSIS_DATA_MIRROR: all 122 files of the manifest, 84 MB)
over HTTP on 127.0.0.1 and fetches every file into an empty temporary folder with
`sources.fetch(jobs=N)`, for each N of --jobs. Two networks:

- loopback: the server answers as fast as it can (what a LAN mirror costs);
- remote-like: each answer waits --latency ms before its headers and each
  connection is held to --rate MB/s, as a distant server would be.

Runs of the different N alternate within each repeat, so drifting load on this
shared machine falls on all of them; the medians and their ratio to N=1 are
printed. Every run ends with all files verified by sha256, or the benchmark stops.

Usage: ANALYSIS_DATA_MIRROR=../shared/datasets python benchmarks/bench_fetch.py
       [--repeats 5] [--jobs 1 2 4 8] [--latency 50] [--rate 8]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from analysis import paths, sources


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder over HTTP/1.1 (kept-alive connections), optionally slowed."""

    protocol_version = "HTTP/1.1"
    latency = 0.0  # seconds before the headers
    rate = 0.0  # bytes per second per connection; 0 = unlimited

    def log_message(self, *_args: object) -> None:
        pass

    def end_headers(self) -> None:
        time.sleep(self.latency)
        super().end_headers()

    def copyfile(self, source, outputfile) -> None:  # type: ignore[no-untyped-def]
        if not self.rate:
            shutil.copyfileobj(source, outputfile)
            return
        chunk = 1 << 16
        while block := source.read(chunk):
            outputfile.write(block)
            time.sleep(len(block) / self.rate)


def serve(folder: Path, latency_ms: float, rate_mb: float) -> http.server.ThreadingHTTPServer:
    handler = type(
        "Slowed", (Handler,), {"latency": latency_ms / 1000, "rate": rate_mb * 1_000_000}
    )
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(folder))
    )
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def one_run(url: str, jobs: int) -> float:
    with tempfile.TemporaryDirectory(prefix="bench-fetch-") as tmp:
        os.environ["ANALYSIS_RAW_DIR"] = f"{tmp}/raw"
        os.environ["ANALYSIS_CACHE_DIR"] = f"{tmp}/cache"
        start = time.perf_counter()
        report = sources.fetch(mirror=url, progress=False, jobs=jobs)
        elapsed = time.perf_counter() - start
        assert len(report.fetched) == len(sources.resources()), report.summary()
        return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--latency", type=float, default=50.0, help="ms before each answer")
    parser.add_argument("--rate", type=float, default=8.0, help="MB/s per connection")
    args = parser.parse_args()
    mirror = sources.mirror_from_env()
    if not mirror or not (paths.ROOT / mirror).is_dir():
        raise SystemExit("set ANALYSIS_DATA_MIRROR to the mirror folder, e.g. ../shared/datasets")
    folder = (paths.ROOT / mirror).resolve()
    total = sum(r.size for r in sources.resources())
    print(f"{len(sources.resources())} files, {total / 1e6:.1f} MB; {args.repeats} repeats")
    for name, latency, rate in (
        ("loopback", 0.0, 0.0),
        (
            f"remote-like ({args.latency:g} ms, {args.rate:g} MB/s per connection)",
            args.latency,
            args.rate,
        ),
    ):
        server = serve(folder, latency, rate)
        url = f"http://127.0.0.1:{server.server_address[1]}"
        times: dict[int, list[float]] = {jobs: [] for jobs in args.jobs}
        for _ in range(args.repeats):
            for jobs in args.jobs:
                times[jobs].append(one_run(url, jobs))
        server.shutdown()
        server.server_close()
        base = statistics.median(times[args.jobs[0]])
        print(f"\n{name}")
        ratio = f"vs {args.jobs[0]}"
        print(f"{'connections':>12}{'median s':>10}{'min s':>8}{'max s':>8}{ratio:>8}")
        for jobs, runs in times.items():
            median = statistics.median(runs)
            print(
                f"{jobs:>12}{median:>10.2f}{min(runs):>8.2f}{max(runs):>8.2f}{median / base:>8.2f}"
            )


if __name__ == "__main__":
    main()
