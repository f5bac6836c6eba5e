"""Committed notebooks: thin, clean, executed with their defaults, and not stale.

The fast tests read the committed files. The slow ones (real data) compare every
checked cell's stored output with a fresh one (stale outputs fail), and run every
notebook through nbval, as a reviewer would run it: `pytest --nbval-lax
--nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks/`.
The fresh outputs come from the session's shared build (`shared_build`), which
executes each committed notebook in a run whose parameters are the notebook's
defaults; a notebook without such a run is executed here with its defaults.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from analysis import paths
from analysis.pipeline import config, notebooks_clean

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


def _defaults(notebook: nbformat.NotebookNode) -> dict[str, object]:
    """Name -> value of each assignment in the notebook's parameters cell."""
    cell = next(c for c in notebook.cells if "parameters" in _tags(c))
    return {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in ast.parse(cell.source).body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }


def _run_with_defaults(path: Path) -> str | None:
    """The id of a run of config/runs.yaml that executes `path` with its defaults."""
    defaults = _defaults(nbformat.read(path, as_version=4))
    for run in config.load().runs:
        if run.notebook.path == path.resolve() and all(
            name in defaults and defaults[name] == value for name, value in run.parameters.items()
        ):
            return run.id
    return None


def test_each_notebook_has_a_run_with_its_default_parameters() -> None:
    """So the shared build executes every committed notebook as it stands."""
    assert {p.name: _run_with_defaults(p) for p in NOTEBOOKS} == {
        "01_one_year.ipynb": "one_year-russia-2015-16",
        "02_claims_ledger.ipynb": "claims_ledger-article",
        "03_aleppo_2016.ipynb": "aleppo_2016-east_aleppo",
        "04_sources_over_time.ipynb": "sources_over_time-russia",
        "05_war_toll.ipynb": "war_toll-2011-22",
        "06_corroboration.ipynb": "corroboration-russia-2016",
    }


def _executed(copy: Path, build: Path) -> nbformat.NotebookNode:
    """The notebook executed with its defaults: from the shared build, or run here."""
    run_id = _run_with_defaults(paths.NOTEBOOKS / copy.name)
    if run_id is None:
        return notebooks_clean.execute(copy)
    return nbformat.read(build / "runs" / run_id / f"{run_id}.ipynb", as_version=4)


@pytest.mark.mirror
@pytest.mark.slow
def test_stored_outputs_are_what_the_code_produces_now(shared_build: Path, tmp_path: Path) -> None:
    stale = []
    for copy in sorted(_copies(tmp_path).glob("*.ipynb")):
        committed = _checked_outputs(nbformat.read(copy, as_version=4))
        fresh = _checked_outputs(notebooks_clean.clean(_executed(copy, shared_build)))
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
