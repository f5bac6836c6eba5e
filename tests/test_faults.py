"""Faults while fetching and caching: each gives a clear message, keeps what was
there, and the next run recovers."""

from __future__ import annotations

import errno
import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths, sources, tables
from analysis.errors import AnalysisError, ChecksumMismatchError

GOOD = b"year,deaths\n2016,1\n"


@pytest.fixture()
def one_file_manifest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> sources.Resource:
    """A manifest of one small file, a folder mirror holding it, empty raw and cache dirs."""
    relpath = "owner/repo/0123abcd/data/tiny.csv"
    mirror = tmp_path / "mirror"
    (mirror / relpath).parent.mkdir(parents=True)
    (mirror / relpath).write_bytes(GOOD)
    manifest = tmp_path / "datapackage.json"
    manifest.write_text(
        json.dumps(
            {
                "resources": [
                    {
                        "name": "tiny",
                        "source": "tiny",
                        "path": sources.UPSTREAM_PREFIX + relpath,
                        "hash": "sha256:" + hashlib.sha256(GOOD).hexdigest(),
                        "bytes": len(GOOD),
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(paths, "MANIFEST", manifest)
    monkeypatch.setenv("ANALYSIS_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv(sources.MIRROR_ENV, str(mirror))
    (resource,) = sources.resources("tiny")
    return resource


def test_disk_full_while_fetching_names_the_file_and_leaves_nothing(
    one_file_manifest: sources.Resource, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sources.shutil, "copyfileobj", disk_full)
    with pytest.raises(AnalysisError, match=r"cannot write .*tiny\.csv: No space left"):
        sources.fetch(progress=False)
    folder = one_file_manifest.local_path().parent
    assert not any(folder.iterdir()), "a partial download was left behind"
    monkeypatch.undo()


def test_fetch_recovers_after_a_failed_attempt(
    one_file_manifest: sources.Resource, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = sources.shutil.copyfileobj
    monkeypatch.setattr(
        sources.shutil,
        "copyfileobj",
        lambda *a, **k: (_ for _ in ()).throw(OSError(errno.EACCES, "Permission denied")),
    )
    with pytest.raises(AnalysisError, match="Permission denied"):
        sources.fetch(progress=False)
    monkeypatch.setattr(sources.shutil, "copyfileobj", original)
    report = sources.fetch(progress=False)
    assert report.fetched == ("tiny",)
    assert one_file_manifest.local_path().read_bytes() == GOOD


def test_a_file_changed_after_verification_is_an_error_until_fetched_again(
    one_file_manifest: sources.Resource,
) -> None:
    sources.fetch(progress=False)
    local = one_file_manifest.local_path()
    local.write_bytes(GOOD.replace(b"1", b"9"))
    with pytest.raises(ChecksumMismatchError) as caught:
        sources.ensure("tiny")
    message = str(caught.value)
    assert str(local) in message and one_file_manifest.sha256 in message
    assert hashlib.sha256(local.read_bytes()).hexdigest() in message
    report = sources.fetch(progress=False)  # the explicit repair
    assert report.fetched == ("tiny",) and local.read_bytes() == GOOD
    assert sources.ensure("tiny") == [local]


@pytest.mark.mirror
def test_a_full_disk_while_caching_returns_the_table_and_warns(
    mirror: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(tmp_path / "cache"))

    def disk_full(self: pd.DataFrame, *args: object, **kwargs: object) -> None:
        Path(str(args[0])).write_bytes(b"PAR1 half")  # a partial write, then the failure
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", disk_full)
    with pytest.warns(tables.CacheWriteWarning, match="No space left"):
        table = tables.load("vdc_daily")
    assert len(table) > 0
    assert list((tmp_path / "cache").glob("*.parquet")) == []
    assert [p.name for p in (tmp_path / "cache").iterdir() if "tmp" in p.name] == []


@pytest.mark.parametrize("terminal", [True, False])
def test_the_progress_bar_is_drawn_only_on_a_terminal(
    one_file_manifest: sources.Resource,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    terminal: bool,
) -> None:
    """In a log, a bar redrawn with carriage returns would be one long line."""
    monkeypatch.setattr(sources.sys.stderr, "isatty", lambda: terminal)
    sources.fetch(progress=True)
    assert one_file_manifest.local_path().is_file()
    assert ("fetching" in capsys.readouterr().err) is terminal
