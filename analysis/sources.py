"""The manifest of upstream files, and fetching them verified.

The manifest (`data/raw/datapackage.json`) is a Frictionless data package: each
resource is one upstream file with its URL (`path`), `hash` (`sha256:...`), size
(`bytes`) and the `source` it belongs to; `sources` carries titles, citations and
licences. Fetching is pooch's job: it downloads to a temporary name beside the
target, checks the sha256 and only then renames, so a bad or interrupted download
never replaces a good file.

Where upstream cannot be reached, `ANALYSIS_DATA_MIRROR` names a mirror laid out
`OWNER/REPO/COMMIT/PATH`: a folder, or an http(s) base URL over the same layout.
When it is set the mirror is used alone, so a run never depends silently on the
network.

Known drawbacks: a file is re-hashed only when its size or modification time
changed since it was last verified (`verified.json` in the cache folder). That is
how git notices edits too; an edit that keeps both size and mtime is not seen.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pooch
import requests
from tqdm.auto import tqdm

from analysis import paths
from analysis.errors import (
    AnalysisError,
    ChecksumMismatchError,
    MirrorUnreachableError,
    UnknownSourceError,
)
from analysis.hashing import sha256_file

# pooch announces every file at INFO; our progress bar says the same in one line.
pooch.get_logger().setLevel("WARNING")

UPSTREAM_PREFIX = "https://raw.githubusercontent.com/"
MIRROR_ENV = "ANALYSIS_DATA_MIRROR"
#: errors that say the local disk refused a write, not that the mirror failed
_WRITE_ERRNOS = frozenset({errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EROFS, errno.EDQUOT})


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
class FetchReport:
    """What `fetch` did: files it downloaded and files already present and verified."""

    fetched: tuple[str, ...]
    present: tuple[str, ...]


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
    target = _memo_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(memo, sort_keys=True), encoding="utf-8")
    os.replace(tmp, target)


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
            "`python -m analysis fetch` replaces it with a verified copy."
        )
    memo[str(path)] = [*_stat_key(path), resource.sha256]
    _write_memo(memo)
    return path


# -- downloading ----------------------------------------------------------------


def mirror_from_env() -> str | None:
    value = os.environ.get(MIRROR_ENV, "").strip()
    return value or None


def _copy_from_folder(url: str, output_file: str, _pooch: object) -> None:
    """A pooch downloader for a mirror that is a local folder."""
    try:
        with open(url, "rb") as src, open(output_file, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    except FileNotFoundError as exc:
        raise MirrorUnreachableError(f"the mirror has no file {url}") from exc


def _location(resource: Resource, mirror: str | None) -> tuple[str, Any]:
    """Where to read a resource from, and the pooch downloader that reads it."""
    if mirror is None:
        return resource.url, pooch.HTTPDownloader(progressbar=False, timeout=60)
    if urlparse(mirror).scheme in ("http", "https"):
        return (
            f"{mirror.rstrip('/')}/{resource.relpath}",
            pooch.HTTPDownloader(progressbar=False, timeout=60),
        )
    # A relative folder is read from the project root, not the working directory:
    # notebook kernels run elsewhere, and must find the mirror the user named.
    folder = paths.ROOT / Path(mirror).expanduser()
    if not folder.is_dir():
        raise MirrorUnreachableError(
            f"{MIRROR_ENV}={mirror!r} is neither an http(s) URL nor an existing folder"
        )
    return str(folder.resolve() / resource.relpath), _copy_from_folder


def download(resource: Resource, mirror: str | None) -> Path:
    """Fetch one resource into `data/raw/`, verified, replacing nothing until it is."""
    url, downloader = _location(resource, mirror)
    target = resource.local_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        pooch.retrieve(
            url,
            known_hash=f"sha256:{resource.sha256}",
            fname=target.name,
            path=target.parent,
            downloader=downloader,
        )
    except ValueError as exc:  # pooch's hash mismatch
        raise ChecksumMismatchError(
            f"{url}: downloaded bytes do not match the manifest's sha256 for "
            f"{resource.relpath}. {exc}"
        ) from exc
    except (requests.exceptions.RequestException, OSError) as exc:
        if isinstance(exc, MirrorUnreachableError):
            raise
        if isinstance(exc, OSError) and exc.errno in _WRITE_ERRNOS:
            raise AnalysisError(
                f"cannot write {target}: {exc.strerror}. Nothing was replaced; free space "
                f"or fix permissions on {target.parent} and fetch again."
            ) from exc
        where = f"the mirror {mirror}" if mirror else "upstream"
        raise MirrorUnreachableError(
            f"could not fetch {resource.relpath} from {where} ({url}): {exc}. "
            f"Set {MIRROR_ENV} to a folder or http(s) URL holding OWNER/REPO/COMMIT/PATH."
        ) from exc
    memo = _read_memo()
    memo[str(target)] = [*_stat_key(target), resource.sha256]
    _write_memo(memo)
    return target


def fetch(
    sources: Iterable[str] | None = None,
    *,
    mirror: str | None = None,
    progress: bool = True,
) -> FetchReport:
    """Make every file of the given sources (default: all) present and verified."""
    mirror = mirror if mirror is not None else mirror_from_env()
    chosen = (
        resources() if sources is None else tuple(r for name in sources for r in resources(name))
    )
    memo = _read_memo()
    missing = [r for r in chosen if not is_verified(r, memo)]
    present = tuple(r.name for r in chosen if r not in missing)
    fetched: list[str] = []
    with tqdm(
        total=sum(r.size for r in missing),
        unit="B",
        unit_scale=True,
        desc="fetching",
        disable=not progress or not missing,
    ) as bar:
        for resource in missing:
            download(resource, mirror)
            fetched.append(resource.name)
            bar.update(resource.size)
    return FetchReport(tuple(fetched), present)


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
