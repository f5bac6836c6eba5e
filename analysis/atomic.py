"""Writing a file so that a reader sees the old file or the whole new one, never half
of it: write a temporary file beside the target, then rename it over the target.

Every file the package writes goes through `write_atomic`, whatever makes its bytes
(text, CSV, parquet, a figure, a PDF), so the temporary name and the clean-up on
failure are the same everywhere. A folder is published whole the same way
(`publish_folder`, or `swap_folder` for a folder built elsewhere): a reader sees the
old folder or the whole new one, and a failure leaves the old one as it was.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def write_atomic(target: Path, write: Callable[[Path], object]) -> Path:
    """Call `write` with a temporary path beside `target` (creating the folder), then
    rename that file over `target`; the temporary file never outlives the call."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def write_text_atomic(target: Path, text: str) -> Path:
    """Write `text` (UTF-8, `\\n` line ends) to `target`, creating its folder."""
    return write_atomic(target, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))


def write_bytes_atomic(target: Path, data: bytes) -> Path:
    """Write `data` to `target`, creating its folder."""
    return write_atomic(target, lambda tmp: tmp.write_bytes(data))


def swap_folder(fresh: Path, target: Path, aside: Path) -> Path | None:
    """Rename the complete folder `fresh` to `target` (same filesystem). A folder
    cannot be renamed over a non-empty one, so a folder already at `target` is first
    renamed to `aside` (creating its folder), and put back if the second rename
    fails. Returns `aside` when it now holds the previous folder, for the caller to
    delete, else None."""
    if not target.exists():
        os.replace(fresh, target)
        return None
    aside.parent.mkdir(parents=True, exist_ok=True)
    os.replace(target, aside)
    try:
        os.replace(fresh, target)
    except BaseException:
        os.replace(aside, target)
        raise
    return aside


@contextmanager
def publish_folder(target: Path) -> Iterator[Path]:
    """Yield a new empty folder beside `target`; when the block ends without error,
    swap it in for `target` whole and delete the previous folder; on error delete it
    and leave `target` as it was. The folder is made with `mkdir` (not `mkdtemp`,
    whose mode 0700 would publish a folder only its owner can read)."""
    if not target.parent.is_dir():
        raise FileNotFoundError(
            f"{target}: cannot publish a folder here, its parent folder does not exist"
        )
    fresh = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    fresh.mkdir()
    try:
        yield fresh
        old = swap_folder(fresh, target, fresh.with_suffix(".old"))
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
