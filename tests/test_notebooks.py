"""Committed notebooks: thin, clean, executed with their defaults, and not stale.

The fast tests read the committed files. The slow ones (real data) re-execute every
notebook in a temporary copy: once to compare every checked cell's stored output
with a fresh one (stale outputs fail), and once through nbval, as a reviewer would
run it: `pytest --nbval-lax --nbval-current-env --nbval-sanitize-with
tests/nbval_sanitize.cfg notebooks/`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from analysis import paths
from analysis.pipeline import notebooks_clean

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("*.ipynb"))
SANITIZE = Path(__file__).parent / "nbval_sanitize.cfg"
CHECK, IGNORE = "nbval-check-output", "nbval-ignore-output"


def _tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _checked_outputs(notebook: nbformat.NotebookNode) -> dict[str, list[str]]:
    """Cell id -> text outputs of every cell nbval checks."""
    found = {}
    for cell in notebook.cells:
        if cell.cell_type == "code" and CHECK in _tags(cell):
            found[cell.id] = [
                o.get("text") or o.get("data", {}).get("text/plain", "") for o in cell.outputs
            ]
    return found


def test_there_are_six_notebooks() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "01_one_year.ipynb",
        "02_claims_ledger.ipynb",
        "03_aleppo_2016.ipynb",
        "04_sources_over_time.ipynb",
        "05_war_toll.ipynb",
        "06_corroboration.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_is_clean_thin_and_executed(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    assert notebooks_clean.clean(notebook) == notebook, "run `make notebooks`"
    text = path.read_text(encoding="utf-8")
    assert "image/png" not in text and "image/svg+xml" not in text
    assert "papermill" not in text and '"execution"' not in text
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert "parameters" in _tags(code[0]), "the first code cell holds the parameters"
    assert notebook.cells[0].cell_type == "markdown"
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), (
        "executed top to bottom in one kernel"
    )
    assert all(not any(o.output_type == "error" for o in c.outputs) for c in code)
    checked = _checked_outputs(notebook)
    assert checked and all(outputs for outputs in checked.values())
    logic = [
        line
        for c in code
        for line in c.source.splitlines()
        if line.strip() and not line.startswith(("import ", "from ", "#"))
    ]
    for cell in code:
        body = [
            line
            for line in cell.source.splitlines()
            if line.strip() and not line.startswith(("import ", "from "))
        ]
        assert len(body) <= 10, f"cell {cell.id} has {len(body)} lines: notebooks stay thin"
    assert len(logic) <= 60, f"{len(logic)} lines of code: move logic into analysis/"
    assert not [line for line in logic if line.lstrip().startswith(("def ", "class "))], (
        "functions belong in analysis/, not in notebooks"
    )


def _copies(tmp_path: Path) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for path in NOTEBOOKS:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.mark.mirror
@pytest.mark.slow
def test_stored_outputs_are_what_the_code_produces_now(real_tables: None, tmp_path: Path) -> None:
    stale = []
    for copy in sorted(_copies(tmp_path).glob("*.ipynb")):
        committed = _checked_outputs(nbformat.read(copy, as_version=4))
        fresh = _checked_outputs(notebooks_clean.clean(notebooks_clean.execute(copy)))
        stale += [
            f"{copy.name} cell {cell}" for cell in committed if committed[cell] != fresh.get(cell)
        ]
    assert not stale, "stale stored outputs (run `make notebooks`): " + ", ".join(stale)


@pytest.mark.mirror
@pytest.mark.slow
def test_nbval_lax_passes_on_the_committed_notebooks(real_tables: None, tmp_path: Path) -> None:
    folder = _copies(tmp_path)
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            str(SANITIZE),
            "-p",
            "no:cacheprovider",
            "-q",
            "-c",
            str(tmp_path / "pytest.ini"),
            "--rootdir",
            str(tmp_path),
            str(folder),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=1800,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "passed" in result.stdout and "failed" not in result.stdout
