"""`python -m analysis publish`: make what the last build produced the published hashes.

A build writes the sha256 of its figures and tables to `reports/BUILT.sha256` and
leaves the published `reports/MANIFEST.sha256` alone, so that `verify` always
compares with what was published. Publishing is this separate, deliberate step: it
copies the build's list over the published one (whole, by rename) and names every
output whose hash it changes, adds or removes, with both hashes. Committing
`reports/MANIFEST.sha256` then records the new published hashes.
"""

from __future__ import annotations

from pathlib import Path

from analysis import paths
from analysis.atomic import write_text_atomic
from analysis.errors import AnalysisError
from analysis.report.manifest import BUILT, NAME, changes, read_manifest, render


def main(out: Path | None = None) -> int:
    """Copy `out/BUILT.sha256` onto `out/MANIFEST.sha256`, printing what changed."""
    out = Path(out) if out is not None else paths.REPORTS
    built, target = out / BUILT, out / NAME
    if not built.is_file():
        raise AnalysisError(f"{built}: no build to publish; run `make build` first")
    new = read_manifest(built)
    if not new:
        raise AnalysisError(f"{built}: the build produced no outputs; nothing to publish")
    old = read_manifest(target) if target.is_file() else {}
    found = changes(old, new)
    for outcome, rel, before, after in found:
        print(f"{outcome:<8}  {rel}")
        if before is not None:
            print(f"          was {before}")
        if after is not None:
            print(f"          now {after}")
    if not found:
        print(f"publish: {target} already lists what the build produced ({len(new)} outputs)")
        return 0
    write_text_atomic(target, render(new))
    counts = {k: sum(1 for c in found if c[0] == k) for k in ("changed", "added", "removed")}
    print(
        f"publish: {', '.join(f'{n} {k}' for k, n in counts.items())} of {len(new)} outputs "
        f"in {target}; commit it to publish"
    )
    return 0
