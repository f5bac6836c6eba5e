"""`python -m analysis verify`: does a fresh build reproduce the committed outputs?

Steps. (1) Read the committed manifest (`reports/MANIFEST.sha256`: sha256 and path
of every published figure and table). (2) Rebuild every run (or only the runs
named with `--only`) from scratch (`force=True`) into a temporary folder, so the
published `reports/` is not touched; the report pages are not written there, since
only runs' outputs are compared. (3) Hash every figure and table of the rebuild
and compare, output by output: `reproduced` (same sha256), `differing` (other
bytes), `missing` (in the manifest, not rebuilt) or `new` (rebuilt, not in the
manifest). Any outcome but `reproduced` makes the exit status non-zero. With
`--only`, the manifest is read for those runs alone, so checking one figure costs
about as much as building its run.

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


def _of_runs(entries: dict[str, str], only: list[str] | None) -> dict[str, str]:
    """The manifest entries of the named runs (all entries when `only` is None)."""
    if not only:
        return entries
    prefixes = tuple(f"runs/{run_id}/" for run_id in only)
    return {rel: sha for rel, sha in entries.items() if rel.startswith(prefixes)}


def main(manifest: Path | None = None, only: list[str] | None = None) -> int:
    """Rebuild (all runs, or those in `only`) into a temporary folder and compare with
    `manifest`; 0 when all match."""
    from analysis.pipeline import engine

    manifest = Path(manifest) if manifest is not None else paths.REPORTS / NAME
    if not manifest.is_file():
        raise AnalysisError(
            f"{manifest}: no manifest to verify against; run "
            "`python -m analysis build` and commit reports/MANIFEST.sha256"
        )
    expected = _of_runs(read_manifest(manifest), only)
    if not expected:
        what = f" for run(s) {', '.join(only)}" if only else ""
        raise AnalysisError(f"{manifest}: lists no outputs{what}; nothing can be verified")
    with tempfile.TemporaryDirectory(prefix="analysis-verify-") as tmp:
        code = engine.main(
            force=True,
            jobs=None,
            scheduler=None,
            only=only,
            config=None,
            out=Path(tmp),
            report=False,
        )
        status = compare(expected, _of_runs(outputs(Path(tmp)), only))
    for rel, outcome in status.items():
        print(f"{outcome:<10}  {rel}")
    counts = {
        k: list(status.values()).count(k) for k in ("reproduced", "differing", "missing", "new")
    }
    print(", ".join(f"{n} {k}" for k, n in counts.items()))
    if code != 0:
        print(f"the rebuild itself failed (exit status {code})")
    return 0 if code == 0 and counts["reproduced"] == len(status) else 1
