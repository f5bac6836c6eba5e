"""Content-hash cache keys of notebook runs.

A run's key is the sha256 of a canonical JSON document of five parts:

1. the notebook's source: cell types, sources and tags, with outputs, execution
   counts and other metadata dropped, so re-executing or re-saving a notebook in
   Jupyter does not invalidate it;
2. the run's parameters as canonical JSON (sorted keys, no whitespace);
3. the source of the `analysis` package (every file except `__pycache__`), so any
   code change re-runs every notebook: conservative, since a notebook's
   dependencies inside the package are not traced;
4. the sha256 of every raw file each of the run's tables reads
   (`analysis.tables.input_hashes`);
5. the sha256 of the lock file (`requirements.lock`).

Speed: the no-op build computes every key, so this module imports neither
pandas nor nbformat. Notebooks are read with the standard `json` module (an
.ipynb file is JSON; nbformat would add seconds of import time), and input hashes
are memoised in `<build dir>/inputs.json` together with the size and mtime of the
manifest and of every input file found on disk: only when one of those changes,
or the `analysis` source does, is `analysis.tables` (and pandas) imported.

Known drawbacks: an edit that keeps a data file's size and mtime is not seen by
the memo (the same rule git and `analysis.sources` use); delete the memo or use
`--force` after such an edit. Everything under the package counts, also code no
notebook calls.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.atomic import write_bytes_atomic
from analysis.hashing import sha256_file

#: Bump to invalidate every key when the key recipe itself changes.
KEY_VERSION = 1
#: The package whose source enters every key (a module constant so tests can point it elsewhere).
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def canonical(value: Any) -> str:
    """Canonical JSON: sorted keys, no whitespace, non-ASCII kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def notebook_source(path: Path) -> list[dict[str, Any]]:
    """The parts of a notebook that decide what it computes: per cell its type,
    source text and tags (the `parameters` tag matters to papermill)."""
    document = json.loads(path.read_bytes())
    cells = []
    for cell in document.get("cells", []):
        source = cell.get("source", "")
        cells.append(
            {
                "cell_type": cell.get("cell_type"),
                "source": "".join(source) if isinstance(source, list) else source,
                "tags": sorted(cell.get("metadata", {}).get("tags", [])),
            }
        )
    return cells


def notebook_hash(path: Path) -> str:
    """sha256 of a notebook with outputs, execution counts and metadata stripped."""
    return sha256_bytes(canonical(notebook_source(path)).encode())


def package_hash(package: Path | None = None) -> str:
    """sha256 over the relative path and bytes of every file of the package,
    skipping `__pycache__` folders and compiled files."""
    root = package or PACKAGE_DIR
    files: list[Path] = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        files.extend(Path(folder, n) for n in names if not n.endswith((".pyc", ".pyo")))
    digest = hashlib.sha256()
    for file in sorted(files, key=lambda f: f.relative_to(root).as_posix()):
        digest.update(file.relative_to(root).as_posix().encode() + b"\0")
        digest.update(sha256_bytes(file.read_bytes()).encode())
    return digest.hexdigest()


def lock_hash() -> str:
    """sha256 of the lock file, or "absent" when there is none."""
    lock = paths.LOCK_FILE
    return sha256_file(lock) if lock.is_file() else "absent"


def _stat(path: Path) -> list[int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


def _stamp(files: Iterable[Path]) -> dict[str, list[int] | None]:
    return {str(f): _stat(f) for f in sorted(set(files))}


def _on_disk(relpath: str) -> list[Path]:
    """Where an input named by `input_hashes` may live: committed files are
    relative to the project root, manifest files to the raw-data folder."""
    return [p for p in (paths.ROOT / relpath, paths.raw_dir() / relpath) if p.is_file()]


def _compute_input_hashes(table: str) -> dict[str, str]:
    from analysis.tables import input_hashes

    return input_hashes(table)


def input_hashes(tables: Iterable[str], memo_file: Path, package: str) -> dict[str, dict[str, str]]:
    """Raw-file hashes of each table, memoised in `memo_file` (see module docstring)."""
    wanted = sorted(set(tables))
    try:
        memo = json.loads(memo_file.read_bytes())
    except (OSError, ValueError):
        memo = {}
    result: dict[str, dict[str, str]] = {}
    changed = False
    for table in wanted:
        entry = memo.get(table)
        if (
            entry is not None
            and entry.get("package") == package
            and entry.get("stamp") == _stamp(Path(f) for f in entry["stamp"])
        ):
            result[table] = entry["hashes"]
            continue
        hashes = _compute_input_hashes(table)
        files = [paths.MANIFEST] + [f for rel in hashes for f in _on_disk(rel)]
        memo[table] = {"package": package, "stamp": _stamp(files), "hashes": hashes}
        result[table] = hashes
        changed = True
    if changed:
        write_bytes_atomic(memo_file, canonical(memo).encode())
    return result


def run_key(parts: dict[str, Any]) -> str:
    """The cache key of one run from its parts (see `key_parts`)."""
    return sha256_bytes(canonical({"key_version": KEY_VERSION, **parts}).encode())


def key_parts(
    notebook_sha: str,
    parameters: dict[str, Any],
    package: str,
    inputs: dict[str, dict[str, str]],
    lock: str,
) -> dict[str, Any]:
    """The documented parts of a key, as stored in provenance.json."""
    return {
        "notebook_sha256": notebook_sha,
        "parameters": json.loads(canonical(parameters)),
        "analysis_sha256": package,
        "inputs": inputs,
        "lock_sha256": lock,
    }
