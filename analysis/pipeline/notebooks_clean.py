"""Committed notebooks: executed with their default parameters, then cleaned.

Why. A committed notebook shows a reader its text outputs (the key numbers, which
nbval re-checks), but not its figures: images are derived data, large, and
re-rendered by every build. Volatile metadata (cell timings, papermill records,
the Python patch version) would make every re-run a diff, so it is dropped too.

`clean` strips image outputs (`image/png`, `image/svg+xml`), execution timings,
papermill metadata, any injected-parameters cell and stderr (warnings naming
machine paths and versions); it keeps tags, text outputs, execution counts and
the (stable, hand-set) cell ids.

`python -m analysis.pipeline.notebooks_clean --execute NB...` re-executes each
notebook in its own folder with its default parameters (on the project's kernel)
and writes it back cleaned; `make notebooks` should call it.

Known drawbacks. Execution writes the notebooks' figures and tables into their
default `output_dir` (under the git-ignored `.build/scratch/`).
"""

from __future__ import annotations

import argparse
import copy
from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbformat import NotebookNode

IMAGE_TYPES = ("image/png", "image/svg+xml", "image/jpeg")
VOLATILE_NOTEBOOK_KEYS = ("papermill", "widgets", "toc")
VOLATILE_CELL_KEYS = ("execution", "papermill", "collapsed", "scrolled")
INJECTED = "injected-parameters"
TIMEOUT = 900


def clean(notebook: NotebookNode) -> NotebookNode:
    """A copy of `notebook` without images, injected parameters or volatile metadata."""
    out = copy.deepcopy(notebook)
    out.cells = [c for c in out.cells if INJECTED not in c.get("metadata", {}).get("tags", [])]
    for cell in out.cells:
        for key in VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.outputs:
            if output.get("name") == "stderr":  # warnings: machine paths, versions
                continue
            if "data" in output:
                for mime in IMAGE_TYPES:
                    output.data.pop(mime, None)
                output.metadata = {}
                if not output.data:
                    continue
            kept.append(output)
        cell.outputs = kept
    for key in VOLATILE_NOTEBOOK_KEYS:
        out.metadata.pop(key, None)
    if "language_info" in out.metadata:
        out.metadata.language_info = {"name": out.metadata.language_info.get("name", "python")}
    return out


def execute(path: Path, cwd: Path | None = None) -> NotebookNode:
    """Run a notebook top to bottom with its default parameters; return it executed."""
    from analysis.lab import kernel_name
    from analysis.pipeline.kernel import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook,
        timeout=TIMEOUT,
        kernel_name=kernel_name(),
        resources={"metadata": {"path": str(cwd or path.parent)}},
    ).execute()
    return notebook


def write(notebook: NotebookNode, path: Path) -> None:
    """Write a notebook with a trailing newline and stable key order."""
    text = nbformat.writes(notebook, version=4)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument(
        "--execute",
        action="store_true",
        help="re-run each notebook with its default parameters first",
    )
    args = parser.parse_args(argv)
    for path in args.notebooks:
        notebook = execute(path) if args.execute else nbformat.read(path, as_version=4)
        write(clean(notebook), path)
        print(f"{'executed and ' if args.execute else ''}cleaned {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
