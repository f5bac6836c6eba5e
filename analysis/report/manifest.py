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

Two files, so that a check never compares a build with itself. A build writes what it
produced to `reports/BUILT.sha256` (git-ignored) and never touches the published
`reports/MANIFEST.sha256`; only `python -m analysis publish` copies the one onto the
other. `published` reads the manifest as committed (`git show HEAD:...` in a
checkout, the file itself outside git), so a hand edit of the working copy cannot
make `verify` agree with itself either.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from analysis.atomic import write_text_atomic
from analysis.errors import AnalysisError

NAME = "MANIFEST.sha256"
BUILT = "BUILT.sha256"
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


def render(entries: dict[str, str]) -> str:
    """The manifest text of `entries`: `SHA256  PATH` lines sorted by path."""
    return "".join(f"{sha}  {rel}\n" for rel, sha in sorted(entries.items()))


def write_manifest(out_dir: Path, name: str = BUILT) -> Path:
    """Write the hashes of what `out_dir` holds to `out_dir/name` (by default the
    build's own `BUILT.sha256`, never the published manifest) and return its path."""
    out_dir = Path(out_dir)
    return write_text_atomic(out_dir / name, render(outputs(out_dir)))


def parse(text: str, where: str) -> dict[str, str]:
    """Relative path -> sha256 from manifest text; a malformed line names its number."""
    entries: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        sha, sep, rel = line.partition("  ")
        if not sep or len(sha) != 64 or not rel:
            raise AnalysisError(f"{where}, line {number}: expected 'SHA256  PATH', found {line!r}")
        entries[rel] = sha
    return entries


def read_manifest(path: Path) -> dict[str, str]:
    """Relative path -> sha256 from the manifest file at `path`."""
    return parse(Path(path).read_text(encoding="utf-8"), str(path))


def _git(args: list[str], cwd: Path) -> str | None:
    """Standard output of a git command in `cwd`, or None when git or the path fails."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout


def committed_text(path: Path) -> tuple[str, str] | None:
    """(text, where) of the manifest at `path` as committed in HEAD, or None when the
    file is not tracked in a git checkout (a release archive)."""
    path = Path(path).resolve()
    if not path.parent.is_dir():
        return None
    top = _git(["rev-parse", "--show-toplevel"], path.parent)
    if not top:
        return None
    rel = path.relative_to(Path(top.strip()).resolve()).as_posix()
    text = _git(["show", f"HEAD:{rel}"], path.parent)
    if text is None:
        return None
    commit = (_git(["rev-parse", "--short", "HEAD"], path.parent) or "HEAD").strip()
    return text, f"{rel} as committed in {commit}"


def published(path: Path) -> tuple[dict[str, str], str]:
    """(entries, where) of the published manifest: the committed version of `path` in
    a checkout, the file itself outside git. Raises when there is none."""
    found = committed_text(path)
    if found is not None:
        text, where = found
        return parse(text, where), where
    if not Path(path).is_file():
        raise AnalysisError(
            f"{path}: no manifest to verify against; run `make build`, then "
            "`make publish` and commit reports/MANIFEST.sha256"
        )
    return read_manifest(path), str(path)


def changes(
    old: dict[str, str], new: dict[str, str]
) -> list[tuple[str, str, str | None, str | None]]:
    """(outcome, path, old sha256, new sha256) of every path whose hash is not the same
    in both: `changed`, `added` or `removed`, sorted by path."""
    found = []
    for rel in sorted(set(old) | set(new)):
        before, after = old.get(rel), new.get(rel)
        if before == after:
            continue
        outcome = "added" if before is None else "removed" if after is None else "changed"
        found.append((outcome, rel, before, after))
    return found
