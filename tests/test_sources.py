"""Fetching: verified copies only, clear errors, nothing good ever replaced."""

from __future__ import annotations

import functools
import hashlib
import http.server
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis import paths, sources
from analysis.errors import AnalysisError, FetchError, MirrorUnreachableError
from tests.conftest import UPSTREAM, write_manifest

GOOD = b"Date of death,# killed\n2016-07-20,2\n"
REL = "data/counts.csv"


@pytest.fixture
def http_mirror(tmp_path: Path) -> Iterator[str]:
    """An http.server on 127.0.0.1 serving tmp_path/mirror, in a thread."""
    (tmp_path / "mirror").mkdir(exist_ok=True)
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "mirror")
    )
    handler.log_message = lambda *a: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_fetch_from_a_folder_mirror_then_nothing_to_do(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_manifest(isolated, monkeypatch, {REL: ("vdc_daily", GOOD)})
    first = sources.fetch(progress=False)
    second = sources.fetch(progress=False)
    local = isolated / "raw/owner/repo/0123abcd" / REL
    assert local.read_bytes() == GOOD
    assert (first.fetched, second.fetched, second.present) == (
        ("data-counts.csv",),
        (),
        ("data-counts.csv",),
    )


def test_fetch_through_an_http_mirror(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, http_mirror: str
) -> None:
    write_manifest(isolated, monkeypatch, {REL: ("vdc_daily", GOOD)})
    monkeypatch.setenv(sources.MIRROR_ENV, http_mirror)
    report = sources.fetch(progress=False)
    assert report.fetched == ("data-counts.csv",)
    assert (isolated / "raw/owner/repo/0123abcd" / REL).read_bytes() == GOOD


def test_checksum_mismatch_names_file_and_both_hashes_and_keeps_the_good_copy(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = b"Date of death,# killed\n2016-07-20,999\n"
    expected = hashlib.sha256(GOOD).hexdigest()
    mirror = write_manifest(
        isolated, monkeypatch, {REL: ("vdc_daily", bad)}, hashes={REL: expected}
    )
    with pytest.raises(FetchError) as error:
        sources.fetch(progress=False)
    message = str(error.value)
    assert message.startswith("0 fetched, 0 already present, 1 failed:")
    assert REL in message and expected in message
    assert hashlib.sha256(bad).hexdigest() in message
    local = isolated / "raw/owner/repo/0123abcd" / REL
    assert not local.exists()
    # A verified good copy already present is neither re-fetched nor replaced.
    local.parent.mkdir(parents=True, exist_ok=True)
    local.write_bytes(GOOD)
    assert sources.fetch(progress=False).fetched == ()
    assert local.read_bytes() == GOOD
    assert (mirror / "owner/repo/0123abcd" / REL).read_bytes() == bad
    assert [p.name for p in local.parent.iterdir()] == ["counts.csv"]


def test_a_mirror_folder_that_does_not_exist_is_named(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_manifest(isolated, monkeypatch, {REL: ("vdc_daily", GOOD)})
    missing = isolated / "no-such-mirror"
    monkeypatch.setenv(sources.MIRROR_ENV, str(missing))
    with pytest.raises(MirrorUnreachableError, match="no-such-mirror"):
        sources.fetch(progress=False)
    assert not (isolated / "raw/owner/repo/0123abcd" / REL).exists()


def test_an_http_mirror_on_a_closed_port_is_named(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_manifest(isolated, monkeypatch, {REL: ("vdc_daily", GOOD)})
    url = f"http://127.0.0.1:{_closed_port()}"
    monkeypatch.setenv(sources.MIRROR_ENV, url)
    with pytest.raises(FetchError, match=REL) as error:
        sources.fetch(progress=False)
    assert f"{url}/owner/repo/0123abcd/{REL}: could not connect (Connection refused)" in str(
        error.value
    )
    assert not (isolated / "raw/owner/repo/0123abcd" / REL).exists()


@pytest.mark.parametrize(
    "path",
    [
        UPSTREAM + "../../../etc/passwd",
        UPSTREAM + "data/../../escape.csv",
        "https://example.org/owner/repo/0123abcd/data.csv",
    ],
)
def test_a_manifest_path_leaving_the_raw_folder_is_refused(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    write_manifest(isolated, monkeypatch, {REL: ("vdc_daily", GOOD)})
    manifest = sources.paths.MANIFEST
    manifest.write_text(manifest.read_text().replace(UPSTREAM + REL, path))
    with pytest.raises(AnalysisError, match=r"no '\.\.' segments"):
        sources.fetch(progress=False)
    assert not (isolated / "raw").exists() or not any((isolated / "raw").rglob("*.csv"))


def test_a_relative_mirror_folder_is_read_from_the_project_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # as a notebook kernel would run, away from the root
    resource = sources.Resource("x", "x", sources.UPSTREAM_PREFIX + "o/r/c/f.csv", "0" * 64, 1)
    relative = os.path.relpath(tmp_path, paths.ROOT)
    assert sources._base(relative) + resource.relpath == str(tmp_path.resolve() / "o/r/c/f.csv")
