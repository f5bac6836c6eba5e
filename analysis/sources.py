"""The manifest of upstream files, and fetching them verified.

The manifest (`data/raw/datapackage.json`) is a Frictionless data package: each
resource is one upstream file with its URL (`path`), `hash` (`sha256:...`), size
(`bytes`) and the `source` it belongs to; `sources` carries titles, citations and
licences. Fetching is pooch's job: it downloads to a temporary name beside the
target, checks the sha256 and only then renames, so a bad or interrupted download
never replaces a good file.

`fetch` downloads the missing files `JOBS` at a time (threads; one bar for all). A
file that fails does not stop the others; retries, time-outs and giving up on a
host are `analysis.download`'s job. When every file has been tried, one
`FetchError` names each file that failed, its URL and why, and the files fetched
are kept. A local disk that refuses to write stops the run at once, since every
other file would fail the same way.

Where upstream cannot be reached, `ANALYSIS_DATA_MIRROR` names a mirror laid out
`OWNER/REPO/COMMIT/PATH`: a folder, or an http(s) base URL over the same layout.
When it is set the mirror is used alone, so a run never depends silently on the
network. A folder is copied without retries: its bytes do not change between tries.

Known drawbacks: a file is re-hashed only when its size or modification time
changed since it was last verified (`verified.json` in the cache folder). That is
how git notices edits too; an edit that keeps both size and mtime is not seen. The
progress bar moves once per file, not per chunk, and is drawn only on a terminal (in a
log it would be one line of carriage returns); the summary line is printed anyway.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pooch
import requests
from tqdm.auto import tqdm

from analysis import download, paths
from analysis.atomic import write_text_atomic
from analysis.errors import (
    AnalysisError,
    ChecksumMismatchError,
    FetchError,
    MirrorUnreachableError,
    UnknownSourceError,
)
from analysis.hashing import sha256_file

# pooch announces every file at INFO; our progress bar says the same in one line.
pooch.get_logger().setLevel("WARNING")

UPSTREAM_PREFIX = "https://raw.githubusercontent.com/"
MIRROR_ENV = "ANALYSIS_DATA_MIRROR"
#: files downloaded at once; each holds at most one connection
JOBS = 4


@dataclass(frozen=True)
class Resource:
    """One upstream file of the manifest."""

    name: str
    source: str
    url: str
    sha256: str
    size: int

    @property
    def relpath(self) -> str:
        """The mirror layout: `OWNER/REPO/COMMIT/PATH`."""
        return self.url.removeprefix(UPSTREAM_PREFIX)

    def local_path(self) -> Path:
        return paths.raw_dir() / self.relpath


@dataclass(frozen=True)
class Failure:
    """A file `fetch` could not make present and verified, and why."""

    name: str
    url: str
    reason: str
    tried: bool = True


@dataclass(frozen=True)
class FetchReport:
    """What `fetch` did: files it downloaded, files already present and verified,
    and files that failed."""

    fetched: tuple[str, ...]
    present: tuple[str, ...]
    failed: tuple[Failure, ...] = ()

    def summary(self, mirror: str | None = None) -> str:
        """One line of counts, then one line per failed file (untried ones grouped)."""
        lines = [
            f"{len(self.fetched)} fetched, {len(self.present)} already present, "
            f"{len(self.failed)} failed" + (":" if self.failed else "")
        ]
        lines += [f"  {f.url}: {f.reason}" for f in self.failed if f.tried]
        untried = Counter(f.reason for f in self.failed if not f.tried)
        lines += [f"  {n} file(s) {reason}" for reason, n in untried.items()]
        if self.failed:
            lines.append(
                "Files fetched are kept and nothing partial was written; run "
                "`make fetch` again to retry the failed ones"
                + ("." if mirror else f", or set {MIRROR_ENV} to a mirror folder or URL.")
            )
        return "\n".join(lines)


def read_manifest(path: Path | None = None) -> dict[str, Any]:
    """The manifest as a dict, re-read on every call (tests swap it)."""
    manifest = path or paths.MANIFEST
    return json.loads(manifest.read_text(encoding="utf-8"))


@cache
def _resources_cached(manifest: Path, mtime_ns: int) -> tuple[Resource, ...]:
    package = read_manifest(manifest)
    out = []
    for entry in package["resources"]:
        algorithm, _, digest = entry["hash"].partition(":")
        if algorithm != "sha256" or len(digest) != 64:
            raise AnalysisError(
                f"{manifest}: resource {entry['name']!r} has hash {entry['hash']!r}; "
                "expected 'sha256:' and 64 hex digits"
            )
        parsed = urlparse(entry["path"])
        if (
            not entry["path"].startswith(UPSTREAM_PREFIX)
            or ".." in parsed.path.split("/")
            or "\\" in entry["path"]
        ):
            raise AnalysisError(
                f"{manifest}: resource {entry['name']!r} has path {entry['path']!r}; "
                f"expected a URL under {UPSTREAM_PREFIX} with no '..' segments"
            )
        out.append(Resource(entry["name"], entry["source"], entry["path"], digest, entry["bytes"]))
    return tuple(out)


def resources(source: str | None = None) -> tuple[Resource, ...]:
    """Resources of the manifest, all or those of one source (in manifest order)."""
    manifest = paths.MANIFEST
    every = _resources_cached(manifest, manifest.stat().st_mtime_ns)
    if source is None:
        return every
    chosen = tuple(r for r in every if r.source == source)
    if not chosen:
        known = sorted({r.source for r in every})
        raise UnknownSourceError(f"no source {source!r} in the manifest; known: {known}")
    return chosen


def source_metadata(source: str) -> dict[str, Any]:
    """Title, citation and licences of one source, from the manifest."""
    for entry in read_manifest()["sources"]:
        if entry["name"] == source:
            return dict(entry)
    raise UnknownSourceError(f"no source {source!r} in the manifest")


# -- verification memo: re-hash only files whose size or mtime changed ----------


def _memo_path() -> Path:
    return paths.cache_dir() / "verified.json"


def _read_memo() -> dict[str, list[int | str]]:
    try:
        return json.loads(_memo_path().read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _write_memo(memo: dict[str, list[int | str]]) -> None:
    write_text_atomic(_memo_path(), json.dumps(memo, sort_keys=True))


def _stat_key(path: Path) -> list[int | str]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def is_verified(resource: Resource, memo: dict[str, list[int | str]] | None = None) -> bool:
    """True when the local file exists and its bytes hash to the manifest's sha256."""
    path = resource.local_path()
    if not path.is_file():
        return False
    memo = _read_memo() if memo is None else memo
    key = str(path)
    if memo.get(key) == [*_stat_key(path), resource.sha256]:
        return True
    return sha256_file(path) == resource.sha256


def verify(resource: Resource, memo: dict[str, list[int | str]] | None = None) -> Path:
    """Check a present file against the manifest; raise naming both hashes if not."""
    path = resource.local_path()
    memo = _read_memo() if memo is None else memo
    if memo.get(str(path)) == [*_stat_key(path), resource.sha256]:
        return path
    actual = sha256_file(path)
    if actual != resource.sha256:
        raise ChecksumMismatchError(
            f"{path}: sha256 is {actual}, the manifest expects {resource.sha256} "
            f"({resource.url}). The file changed after it was verified; "
            "`make fetch` replaces it with a verified copy."
        )
    memo[str(path)] = [*_stat_key(path), resource.sha256]
    _write_memo(memo)
    return path


# -- downloading ----------------------------------------------------------------


def mirror_from_env() -> str | None:
    value = os.environ.get(MIRROR_ENV, "").strip()
    return value or None


def _base(mirror: str | None) -> str:
    """Where `OWNER/REPO/COMMIT/PATH` is read from: upstream, a mirror URL or folder."""
    if mirror is None:
        return UPSTREAM_PREFIX
    if urlparse(mirror).scheme in ("http", "https"):
        return mirror.rstrip("/") + "/"
    # A relative folder is read from the project root, not the working directory:
    # notebook kernels run elsewhere, and must find the mirror the user named.
    folder = paths.ROOT / Path(mirror).expanduser()
    if not folder.is_dir():
        raise MirrorUnreachableError(
            f"{MIRROR_ENV}={mirror!r} is neither an http(s) URL nor an existing folder"
        )
    return f"{folder.resolve()}/"


def _copy_from_folder(url: str, output_file: str, _pooch: object) -> None:
    """A pooch downloader for a mirror that is a local folder."""
    try:
        src = open(url, "rb")  # noqa: SIM115 - closed below; read errors are the mirror's
    except FileNotFoundError as exc:
        raise MirrorUnreachableError(f"the mirror has no file {url}") from exc
    except OSError as exc:
        raise MirrorUnreachableError(f"cannot read {url}: {exc.strerror}") from exc
    with src, open(output_file, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)


def _fetch_one(
    store: pooch.Pooch, resource: Resource, downloader: Any, breaker: download.HostBreaker
) -> Failure | None:
    """Download one file through pooch (temporary name, sha256, rename); None if done.

    Raises only for a local disk that refuses to write, which no other file would
    escape either.
    """
    url = store.get_url(resource.relpath)
    host = download.host_of(url)
    try:
        breaker.enter(host)
    except download.HostGivenUp as exc:
        return Failure(resource.name, url, exc.reason, tried=False)
    outcome: tuple[Failure | None, bool] = (None, False)
    try:
        outcome = _download(store, resource, downloader, url)
    finally:
        breaker.leave(host, failed=outcome[1])
    return outcome[0]


def _download(
    store: pooch.Pooch, resource: Resource, downloader: Any, url: str
) -> tuple[Failure | None, bool]:
    """Fetch one file; the failure, if any, and whether it counts against the host."""
    try:
        store.fetch(resource.relpath, downloader=downloader)
    except download.HostGivenUp as exc:  # given up while this file was being retried
        return Failure(resource.name, url, exc.reason, tried=False), False
    except download.GaveUp as exc:
        return Failure(resource.name, url, exc.reason), exc.host_fault
    except requests.RequestException as exc:  # still broken after pooch's attempts
        attempts = store.retry_if_failed + 1
        reason = f"broken off {attempts} times ({download.describe(exc)})"
        return Failure(resource.name, url, reason), True
    except ValueError as exc:  # pooch's sha256 check
        return Failure(resource.name, url, f"downloaded bytes do not match: {exc}"), False
    except MirrorUnreachableError as exc:
        return Failure(resource.name, url, str(exc)), False
    except OSError as exc:
        target = resource.local_path()
        raise AnalysisError(
            f"cannot write {target}: {exc.strerror or exc}. Nothing was replaced and files "
            f"fetched before are kept; free space or fix permissions on {target.parent} "
            "and fetch again."
        ) from exc
    return None, False


def fetch(
    sources: Iterable[str] | None = None,
    *,
    mirror: str | None = None,
    progress: bool = True,
    jobs: int | None = None,
) -> FetchReport:
    """Make every file of the given sources (default: all) present and verified.

    Missing files are downloaded `jobs` (default `JOBS`) at a time, each retried as
    `analysis.download` says. A file that still fails does not stop the others: when
    all have been tried, `FetchError` lists each failure with its reason. Files
    fetched are kept.
    """
    mirror = mirror if mirror is not None else mirror_from_env()
    chosen = (
        resources() if sources is None else tuple(r for name in sources for r in resources(name))
    )
    memo = _read_memo()
    missing = [r for r in chosen if not is_verified(r, memo)]
    present = tuple(r.name for r in chosen if r not in missing)
    if not missing:
        return FetchReport((), present)
    base = _base(mirror)
    over_http = urlparse(base).scheme in ("http", "https")
    store = pooch.create(
        path=paths.raw_dir(),
        base_url=base,
        registry={r.relpath: f"sha256:{r.sha256}" for r in missing},
        retry_if_failed=download.BODY_RETRIES if over_http else 0,
    )
    for resource in missing:  # pooch would race to create shared folders
        resource.local_path().parent.mkdir(parents=True, exist_ok=True)
    client = download.Client()
    done: dict[str, Failure | None] = {}
    pool = ThreadPoolExecutor(max_workers=jobs or JOBS, thread_name_prefix="fetch")
    bar = tqdm(
        total=sum(r.size for r in missing),
        unit="B",
        unit_scale=True,
        desc="fetching",
        # a bar redrawn with carriage returns reads as one long line in a log file
        disable=not progress or not sys.stderr.isatty(),
    )
    try:
        futures = {
            pool.submit(
                _fetch_one,
                store,
                r,
                client.downloader(r.sha256) if over_http else _copy_from_folder,
                client.breaker,
            ): r
            for r in missing
        }
        for future in as_completed(futures):
            resource = futures[future]
            done[resource.name] = failure = future.result()
            if failure is None:
                memo[str(resource.local_path())] = [
                    *_stat_key(resource.local_path()),
                    resource.sha256,
                ]
                bar.update(resource.size)
            else:
                bar.set_postfix_str(f"{sum(f is not None for f in done.values())} failed")
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        bar.close()
        client.close()
        if any(f is None for f in done.values()):
            _write_memo(memo)
    report = FetchReport(
        tuple(r.name for r in missing if done[r.name] is None),
        present,
        tuple(f for r in missing if (f := done[r.name]) is not None),
    )
    if report.failed:
        raise FetchError(report.summary(mirror))
    return report


def ensure(source: str) -> list[Path]:
    """Local, verified paths of one source's files, fetching what is missing.

    A present file whose bytes changed since it was fetched is an error, not
    something to repair silently: `python -m analysis fetch` replaces it.
    """
    chosen = resources(source)
    if any(not r.local_path().is_file() for r in chosen):
        fetch([source], progress=False)
    memo = _read_memo()
    return [verify(r, memo) for r in chosen]
