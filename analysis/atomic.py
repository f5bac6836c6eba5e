"""Writing a file so that a reader sees the old file or the whole new one, never half
of it: write a temporary file beside the target, then rename it over the target.

Every file the package writes goes through `write_atomic`, whatever makes its bytes
(text, CSV, parquet, a figure, a PDF), so the temporary name and the clean-up on
failure are the same everywhere.
"""

from __future__ import annotations

import os
from collections.abc import Callable
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
