"""Fetching from a local HTTP mirror that misbehaves on purpose (tests/http_faults.py).

Each test bounds its time (pytest-timeout) and the requests it may make. In every
case either every file ends verified, or the summary names each file that failed
and why; nothing partial is left under a final name and no good file is lost.

The waits are real but short (`short_waits`): urllib3's back-off and pooch's pauses
between whole-file attempts are a hundred times shorter, and the silent-host test
sets a 1 s read time-out; the tests count requests and check order, and each bound
on elapsed time is stated in those constants. The server's `Retry-After: 1` is kept
as it is, so honouring it is checked in real seconds.
"""

from __future__ import annotations

import hashlib
import os
import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pooch.core
import pytest

from analysis import cli, download, sources
from analysis.errors import FetchError
from tests.conftest import write_manifest
from tests.http_faults import FaultyServer, Plan

FILES = 12
PREFIX = "/owner/repo/0123abcd/"


SHORTER = 100  # waits divided by this


class _ShortPauses:
    """The `time` module as pooch.core sees it, with `sleep` a hundred times shorter:
    pooch pauses 1, 2, 3 s between whole-file attempts, and has no setting for it."""

    def __getattr__(self, name: str) -> object:
        return getattr(time, name)

    @staticmethod
    def sleep(seconds: float) -> None:
        time.sleep(seconds / SHORTER)


@pytest.fixture(autouse=True)
def short_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(download, "BACKOFF", download.BACKOFF / SHORTER)
    monkeypatch.setattr(pooch.core, "time", _ShortPauses())


def _payload(i: int) -> bytes:
    return random.Random(i).randbytes(40_000 + 997 * i)


@pytest.fixture
def payloads(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """A manifest of FILES binary files: {url path: bytes}."""
    files = {f"data/f{i:02d}.bin": ("net", _payload(i)) for i in range(FILES)}
    write_manifest(isolated, monkeypatch, files)
    return {PREFIX + rel: payload for rel, (_, payload) in files.items()}


@pytest.fixture
def serve(
    payloads: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[Plan], FaultyServer]]:
    """Start a faulty server over the payloads and make it the mirror."""
    servers: list[FaultyServer] = []

    def start(plan: Plan) -> FaultyServer:
        server = FaultyServer(payloads, plan).__enter__()
        servers.append(server)
        monkeypatch.setenv(sources.MIRROR_ENV, server.url)
        return server

    yield start
    for server in servers:
        server.__exit__()


def _local(isolated: Path, path: str) -> Path:
    return isolated / "raw" / path.lstrip("/")


def _all_verified(isolated: Path, payloads: dict[str, bytes]) -> bool:
    return all(
        _local(isolated, p).is_file() and _local(isolated, p).read_bytes() == b
        for p, b in payloads.items()
    )


def _no_strays(isolated: Path, payloads: dict[str, bytes]) -> None:
    """Only final names of verified files under raw/: no temporary or partial file."""
    finals = {_local(isolated, p) for p in payloads}
    for path in (isolated / "raw").rglob("*"):
        if path.is_file():
            assert path in finals, f"stray file {path}"
            assert path.read_bytes() == payloads["/" + str(path.relative_to(isolated / "raw"))]


@pytest.mark.timeout(60)
def test_every_third_download_reset_mid_body(isolated, payloads, serve) -> None:
    server = serve(lambda n, _p, _k: "reset" if n % 3 == 0 else None)
    report = sources.fetch(progress=False)
    assert len(report.fetched) == FILES
    assert _all_verified(isolated, payloads)
    assert len(server.log) <= 2 * FILES
    _no_strays(isolated, payloads)


@pytest.mark.timeout(60)
def test_every_fourth_request_answered_500(isolated, payloads, serve) -> None:
    server = serve(lambda n, _p, _k: "500" if n % 4 == 0 else None)
    assert len(sources.fetch(progress=False).fetched) == FILES
    assert _all_verified(isolated, payloads)
    assert len(server.log) <= 2 * FILES


@pytest.mark.timeout(60)
def test_429_with_retry_after_is_honoured(isolated, payloads, serve) -> None:
    server = serve(lambda _n, _p, k: "429" if k == 1 else None)
    sources.fetch(progress=False)
    assert _all_verified(isolated, payloads)
    assert len(server.log) == 2 * FILES
    for path in payloads:
        first, second = (t for t, p, _ in server.log if p == path)
        assert second - first >= 0.95, f"{path} asked again {second - first:.2f} s after 429"


@pytest.mark.timeout(60)
@pytest.mark.parametrize("fault", ["truncate", "drop", "reset"])
def test_first_attempt_broken_on_every_file(isolated, payloads, serve, fault) -> None:
    server = serve(lambda _n, _p, k: fault if k == 1 else None)
    assert len(sources.fetch(progress=False).fetched) == FILES
    assert _all_verified(isolated, payloads)
    assert len(server.log) == 2 * FILES
    _no_strays(isolated, payloads)


@pytest.mark.timeout(60)
def test_corrupted_bytes_are_retried_once_then_named_and_good_files_kept(
    isolated, payloads, serve
) -> None:
    paths = sorted(payloads)
    bad, kept = paths[0], paths[1]
    # One file good before (verified on an earlier run), one changed locally since.
    for path in (kept, bad):
        _local(isolated, path).parent.mkdir(parents=True, exist_ok=True)
        _local(isolated, path).write_bytes(payloads[path])
    before = os.stat(_local(isolated, kept))
    _local(isolated, bad).write_bytes(b"edited by hand")
    server = serve(lambda _n, p, _k: "corrupt" if p == bad else None)
    with pytest.raises(FetchError) as error:
        sources.fetch(progress=False)
    message = str(error.value)
    assert message.startswith(f"{FILES - 2} fetched, 1 already present, 1 failed:")
    assert bad in message and hashlib.sha256(payloads[bad]).hexdigest() in message
    assert "sha256 mismatch on 2 downloads" in message
    assert server.requests_for(bad) == 2
    assert server.requests_for(kept) == 0
    assert os.stat(_local(isolated, kept)).st_mtime_ns == before.st_mtime_ns
    assert _local(isolated, bad).read_bytes() == b"edited by hand"  # not replaced by worse
    del payloads[bad]
    _no_strays(isolated, payloads | {bad: b"edited by hand"})


@pytest.mark.timeout(60)
def test_a_404_is_reported_at_once_and_the_others_fetched(isolated, payloads, serve, capsys):
    missing = sorted(payloads)[3]
    server = serve(lambda _n, p, _k: "404" if p == missing else None)
    assert cli.main(["fetch", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"{FILES - 1} fetched, 0 already present, 1 failed:" in err
    assert f"{server.url}{missing}: HTTP 404 Not Found" in err
    assert "Traceback" not in err
    assert server.requests_for(missing) == 1
    assert not _local(isolated, missing).exists()
    del payloads[missing]
    assert _all_verified(isolated, payloads)
    # The next run asks only for the missing file.
    server.log.clear()
    assert cli.main(["fetch", "--quiet"]) == 2
    assert [p for _, p, _ in server.log] == [missing]


def test_the_documented_waits_are_the_defaults() -> None:
    """README: a host silent for 10 s is given up; pauses of 0, 1, 2, 4 s."""
    assert download.READ_TIMEOUT == 10.0
    assert download.BACKOFF * SHORTER == 0.5  # short_waits divided it


@pytest.mark.timeout(40)
def test_a_host_that_never_answers_is_given_up_within_two_read_time_outs(
    isolated, payloads, serve, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(download, "READ_TIMEOUT", 2.0)  # 10 s by default
    server = serve(lambda _n, _p, _k: "hang")
    start = time.monotonic()
    with pytest.raises(FetchError) as error:
        sources.fetch(progress=False)
    elapsed = time.monotonic() - start
    limit = download.READ_TIMEOUT
    assert 0.9 * limit <= elapsed <= 2 * limit, f"gave up after {elapsed:.1f} s"
    message = str(error.value)
    assert f"no answer within {download.READ_TIMEOUT:g} s" in message
    assert f"gave up on {server.host} after {download.HOST_FAILURES} files in a row" in message
    assert len(server.log) == sources.JOBS
    assert not any(p.is_file() for p in (isolated / "raw").rglob("*"))


@pytest.mark.timeout(40)
def test_a_host_failing_with_500_is_given_up_and_named(isolated, payloads, serve) -> None:
    server = serve(lambda _n, _p, _k: "500")
    with pytest.raises(FetchError) as error:
        sources.fetch(progress=False)
    message = str(error.value)
    attempts = download.STATUS_RETRIES + 1
    assert f"HTTP 500 Internal Server Error after {attempts} attempts" in message
    untried = FILES - sources.JOBS
    assert f"{untried} file(s) not tried: gave up on {server.host}" in message
    assert len(server.log) == sources.JOBS * attempts


@pytest.mark.timeout(40)
def test_a_stall_mid_body_is_final_for_its_file(
    isolated, payloads, serve, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(download, "READ_TIMEOUT", 1.0)
    stalled = sorted(payloads)[0]
    server = serve(lambda _n, p, _k: "stall" if p == stalled else None)
    with pytest.raises(FetchError, match="stalled: no byte for 1 s"):
        sources.fetch(progress=False)
    assert server.requests_for(stalled) == 1
    del payloads[stalled]
    assert _all_verified(isolated, payloads)
    _no_strays(isolated, payloads)


@pytest.mark.timeout(90)
def test_a_bad_network_mix_needs_one_run(isolated, payloads, serve) -> None:
    """Each file's first two requests draw a fault at random (seeded per file)."""
    faults = ["reset", "truncate", "drop", "500", "503", "429", None]

    def plan(_n: int, path: str, k: int) -> str | None:
        return random.Random(f"{path}/{k}").choice(faults) if k <= 2 else None

    server = serve(plan)
    assert len(sources.fetch(progress=False).fetched) == FILES
    assert _all_verified(isolated, payloads)
    assert len(server.log) <= 3 * FILES
    _no_strays(isolated, payloads)


@pytest.mark.timeout(40)
def test_a_file_reset_every_time_fails_after_pooch_s_attempts(isolated, payloads, serve) -> None:
    broken = sorted(payloads)[5]
    server = serve(lambda _n, p, _k: "reset" if p == broken else None)
    with pytest.raises(FetchError) as error:
        sources.fetch(progress=False)
    attempts = download.BODY_RETRIES + 1
    assert f"{broken}: broken off {attempts} times (ChunkedEncodingError" in str(error.value)
    assert server.requests_for(broken) == attempts
    assert len(server.log) == FILES - 1 + attempts
    del payloads[broken]
    _no_strays(isolated, payloads)


@pytest.mark.timeout(30)
def test_a_mirror_refusing_connections_is_given_up_quickly(
    isolated, payloads, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FaultyServer({}) as server:  # a port that was open, now closed
        url, host = server.url, server.host
    monkeypatch.setenv(sources.MIRROR_ENV, url)
    start = time.monotonic()
    with pytest.raises(FetchError) as error:
        sources.fetch(progress=False)
    assert time.monotonic() - start < 10
    message = str(error.value)
    assert "could not connect (Connection refused)" in message
    assert f"file(s) not tried: gave up on {host} after" in message
    assert not (isolated / "raw").exists() or not any((isolated / "raw").rglob("*.bin"))


@pytest.mark.timeout(30)
def test_one_progress_bar_for_all_workers(isolated, payloads, serve, monkeypatch) -> None:
    bars: list[object] = []
    real = sources.tqdm
    monkeypatch.setattr(sources.sys.stderr, "isatty", lambda: True)  # drawn on terminals only

    def counted(*args: object, **kwargs: object) -> object:
        bar = real(*args, **kwargs)
        bars.append(bar)
        return bar

    monkeypatch.setattr(sources, "tqdm", counted)
    serve(lambda _n, _p, _k: None)
    sources.fetch(progress=True)
    assert len(bars) == 1
    assert bars[0].n == sum(len(b) for b in payloads.values())  # type: ignore[attr-defined]
