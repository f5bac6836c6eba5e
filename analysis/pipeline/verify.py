"""`python -m analysis verify`: does a fresh build reproduce the committed outputs?

Steps. (1) Read the published manifest (`reports/MANIFEST.sha256`: sha256 and path
of every published figure and table) as committed in HEAD, or the file itself
outside a git checkout (`manifest.published`); never what a local build wrote
(`reports/BUILT.sha256`), so local output is never compared with itself. (2) Rebuild
every run (or only the runs named with `--only`) from scratch (`force=True`) into a
temporary folder, so the published `reports/` is not touched; the report pages are
not written there, since only runs' outputs are compared. (3) Hash every figure and
table of the rebuild and compare, output by output: `reproduced` (same sha256),
`differing` (other bytes), `missing` (in the manifest, not rebuilt) or `new`
(rebuilt, not in the manifest). Each file that is not reproduced is named with both
hashes (published and rebuilt). Any outcome but `reproduced` makes the exit status
non-zero. With `--only`, the manifest is read for those runs alone, so checking one
figure costs about as much as building its run.

Known drawbacks. Byte identity assumes the pinned environment of the lock file: a
different matplotlib or FreeType may legitimately move a pixel and show as
`differing`. The rebuild takes as long as a full build.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from analysis import paths
from analysis.errors import AnalysisError
from analysis.report.manifest import NAME, outputs, published, read_manifest


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


def _hash(sha: str | None) -> str:
    return sha if sha is not None else "(none)"


def report(status: dict[str, str], expected: dict[str, str], found: dict[str, str]) -> None:
    """One line per output; those not reproduced also name both hashes."""
    for rel, outcome in status.items():
        line = f"{outcome:<10}  {rel}"
        if outcome != "reproduced":
            line += (
                f"\n            published {_hash(expected.get(rel))}"
                f"\n            rebuilt   {_hash(found.get(rel))}"
            )
        print(line)


def _expected(manifest: Path | None) -> tuple[dict[str, str], str]:
    """The manifest to compare with: a file given by the user as it is, else the
    published one as committed; says when the working copy has local edits."""
    if manifest is not None:
        if not Path(manifest).is_file():
            raise AnalysisError(
                f"{manifest}: no manifest to verify against; run `make build`, then "
                "`make publish` and commit reports/MANIFEST.sha256"
            )
        return read_manifest(manifest), str(manifest)
    default = paths.REPORTS / NAME
    entries, where = published(default)
    if default.is_file() and where != str(default) and read_manifest(default) != entries:
        print(f"note: {NAME} has local changes; comparing with {where}")
    return entries, where


def main(manifest: Path | None = None, only: list[str] | None = None) -> int:
    """Rebuild (all runs, or those in `only`) into a temporary folder and compare with
    the published manifest (or `manifest`); 0 when all match."""
    from analysis.pipeline import engine

    entries, where = _expected(manifest)
    expected = _of_runs(entries, only)
    if not expected:
        what = f" for run(s) {', '.join(only)}" if only else ""
        raise AnalysisError(f"{where}: lists no outputs{what}; nothing can be verified")
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
        found = _of_runs(outputs(Path(tmp)), only)
    status = compare(expected, found)
    print(f"verify: compared with {where}")
    report(status, expected, found)
    counts = {
        k: list(status.values()).count(k) for k in ("reproduced", "differing", "missing", "new")
    }
    print(", ".join(f"{n} {k}" for k, n in counts.items()))
    if code != 0:
        print(f"the rebuild itself failed (exit status {code})")
    return 0 if code == 0 and counts["reproduced"] == len(status) else 1
