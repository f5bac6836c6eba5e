"""sha256 of files, in one place: the manifest check, the table cache keys and the
build's cache keys all authenticate bytes the same way. Kept free of heavy imports
so that a no-op build stays fast."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
