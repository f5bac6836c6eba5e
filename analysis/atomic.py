"""Writing a text file so that a reader sees the old file or the whole new one,
never half of it: write a temporary file beside the target, then rename."""

from __future__ import annotations

import os
from pathlib import Path


def write_text_atomic(target: Path, text: str) -> Path:
    """Write `text` (UTF-8, `\\n` line ends) to `target`, creating its folder."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8", newline="\n")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
