"""The published-output manifest: sha256 of every figure and table of a build.

`reports/MANIFEST.sha256` lists, one per line and sorted by path, `SHA256  PATH`
for every `runs/*/figures/*.svg|png|json` (figures and their caption and alt text)
and every CSV under `runs/*/tables/` (the contributions tables in its subfolders
included) under the output
folder, with paths relative to it and `/` separators (the `sha256sum` format, so
`sha256sum -c` also checks it from `reports/`). It is the small committed file that
`python -m analysis verify` compares a fresh rebuild against. Executed notebooks,
HTML and provenance records are not listed: they hold kernel timings and paths that
legitimately differ between machines.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from analysis.atomic import write_text_atomic
from analysis.errors import AnalysisError

NAME = "MANIFEST.sha256"
PATTERNS = (
    "runs/*/figures/*.svg",
    "runs/*/figures/*.png",
    "runs/*/figures/*.json",
    "runs/*/tables/**/*.csv",
)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def outputs(out_dir: Path) -> dict[str, str]:
    """Relative path -> sha256 of every published figure and table under `out_dir`."""
    found = {p for pattern in PATTERNS for p in Path(out_dir).glob(pattern) if p.is_file()}
    return {p.relative_to(out_dir).as_posix(): _sha256(p) for p in found}


def write_manifest(out_dir: Path) -> Path:
    """Write `out_dir/MANIFEST.sha256` and return its path."""
    out_dir = Path(out_dir)
    entries = outputs(out_dir)
    text = "".join(f"{sha}  {rel}\n" for rel, sha in sorted(entries.items()))
    return write_text_atomic(out_dir / NAME, text)


def read_manifest(path: Path) -> dict[str, str]:
    """Relative path -> sha256 from a manifest; a malformed line names its number."""
    entries: dict[str, str] = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        sha, sep, rel = line.partition("  ")
        if not sep or len(sha) != 64 or not rel:
            raise AnalysisError(f"{path}, line {number}: expected 'SHA256  PATH', found {line!r}")
        entries[rel] = sha
    return entries
