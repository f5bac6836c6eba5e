"""`python -m analysis verify`: does a fresh build reproduce the committed outputs?

Steps. (1) Read the committed manifest (`reports/MANIFEST.sha256`: sha256 and path
of every published figure and table). (2) Rebuild every run from scratch
(`force=True`) into a temporary folder, so the published `reports/` is not touched.
(3) Hash every figure and table of the rebuild and compare, output by output:
`reproduced` (same sha256), `differing` (other bytes), `missing` (in the manifest,
not rebuilt) or `new` (rebuilt, not in the manifest). Any outcome but `reproduced`
makes the exit status non-zero.

Known drawbacks. Byte identity assumes the pinned environment of the lock file: a
different matplotlib or FreeType may legitimately move a pixel and show as
`differing`. The rebuild takes as long as a full build.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from analysis import paths
from analysis.errors import AnalysisError
from analysis.report.manifest import NAME, outputs, read_manifest


def compare(expected: dict[str, str], found: dict[str, str]) -> dict[str, str]:
    """Relative path -> `reproduced`, `differing`, `missing` or `new`."""
    status = {}
    for rel in sorted(set(expected) | set(found)):
        if rel not in found:
            status[rel] = "missing"
        elif rel not in expected:
            status[rel] = "new"
        else:
            status[rel] = "reproduced" if expected[rel] == found[rel] else "differing"
    return status


def main(manifest: Path | None = None) -> int:
    """Rebuild into a temporary folder and compare with `manifest`; 0 when all match."""
    from analysis.pipeline import engine

    manifest = Path(manifest) if manifest is not None else paths.REPORTS / NAME
    if not manifest.is_file():
        raise AnalysisError(
            f"{manifest}: no manifest to verify against; run "
            "`python -m analysis build` and commit reports/MANIFEST.sha256"
        )
    expected = read_manifest(manifest)
    if not expected:
        raise AnalysisError(f"{manifest}: lists no outputs; nothing can be verified")
    with tempfile.TemporaryDirectory(prefix="analysis-verify-") as tmp:
        code = engine.main(
            force=True, jobs=None, scheduler=None, only=None, config=None, out=Path(tmp)
        )
        status = compare(expected, outputs(Path(tmp)))
    for rel, outcome in status.items():
        print(f"{outcome:<10}  {rel}")
    counts = {
        k: list(status.values()).count(k) for k in ("reproduced", "differing", "missing", "new")
    }
    print(", ".join(f"{n} {k}" for k, n in counts.items()))
    if code != 0:
        print(f"the rebuild itself failed (exit status {code})")
    return 0 if code == 0 and counts["reproduced"] == len(status) else 1
