"""Where a build keeps its state, what was last published, and recovery.

The record of a run's last success is its published folder itself:
`<out>/runs/<run_id>/provenance.json` carries the cache key, and the folder only
ever appears there by one rename of a complete folder. So "published with key K"
is either fully true or not true at all, whatever moment a build was killed.

Scratch space lives in `<build dir>` = `<out>/../.build` (`.build/` in the
project for the default `reports/`), on the same filesystem as `<out>` so that
publishing is a rename:

- `tmp/`: folders of runs in progress; anything there when a build starts was
  left by a killed build and is deleted;
- `trash/`: previous run folders being replaced; deleted at start too;
- `failed/<run_id>/`: the partial executed notebook of the last failure of a run,
  kept for debugging and removed when the run next succeeds;
- `inputs.json`: the memo of input hashes (see `keys`);
- `last_build.json`: which runs the last build executed, skipped and failed;
- `build.lock`: the lock two concurrent builds contend for.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

from analysis.atomic import swap_folder

PROVENANCE = "provenance.json"


def build_dir(out: Path) -> Path:
    """Scratch folder of builds into `out`: a sibling `.build` folder."""
    return out.resolve().parent / ".build"


def run_dir(out: Path, run_id: str) -> Path:
    return out / "runs" / run_id


def published_key(out: Path, run_id: str) -> str | None:
    """Cache key of the published outputs of a run, or None when there are none."""
    try:
        record = json.loads((run_dir(out, run_id) / PROVENANCE).read_bytes())
    except (OSError, ValueError):
        return None
    key = record.get("cache_key")
    return key if isinstance(key, str) else None


def recover(build: Path) -> list[Path]:
    """Delete what a killed build left in tmp/ and trash/; returns what was removed."""
    removed = []
    for scratch in ("tmp", "trash"):
        folder = build / scratch
        if folder.is_dir():
            for leftover in sorted(folder.iterdir()):
                if leftover.is_dir() and not leftover.is_symlink():
                    shutil.rmtree(leftover, ignore_errors=True)
                else:
                    leftover.unlink(missing_ok=True)
                removed.append(leftover)
    return removed


def new_tmp(build: Path, run_id: str) -> Path:
    """A fresh, empty folder for one run in progress."""
    folder = build / "tmp" / f"{run_id}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    return folder


def publish(build: Path, tmp: Path, out: Path, run_id: str) -> Path:
    """Move a finished run folder into place by rename (`swap_folder`).

    The previous folder is first renamed into trash/ and then deleted. A kill
    between the two renames leaves no published folder (the run re-executes next
    time), never a mix.
    """
    target = run_dir(out, run_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    old = swap_folder(tmp, target, build / "trash" / f"{run_id}-{uuid.uuid4().hex[:8]}")
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(build / "failed" / run_id, ignore_errors=True)
    return target


def keep_failed(build: Path, tmp: Path, run_id: str) -> Path:
    """Move a failed run's folder to failed/<run_id>/, replacing an older failure."""
    target = build / "failed" / run_id
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, target)
    return target


def write_summary(build: Path, summary: dict[str, Any]) -> None:
    """Record what this build did (executed, skipped, failed run ids) for tools and tests."""
    from analysis.atomic import write_bytes_atomic
    from analysis.pipeline.keys import canonical

    write_bytes_atomic(build / "last_build.json", canonical(summary).encode())


def read_summary(build: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((build / "last_build.json").read_bytes())
    return result
