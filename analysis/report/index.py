"""`reports/index.html`: the page a reviewer opens first.

It gathers, from the published run folders of a build (`runs/<run_id>/`), the claims
ledger, every figure with its caption, and each figure's provenance: the notebook,
its parameters, the sha256 of every data file the run read, the git commit, and the
one command that regenerates it. Everything is read from files the build wrote;
nothing is computed here.

Every string that comes from data (claim statements, parameters, file names) passes
through Jinja2 with autoescaping on, so a claims file containing markup shows that
markup as text and never runs it. Links are relative, so the folder can be moved or
served from anywhere.

Known drawbacks. The ledger at the top is the first run's `tables/verdicts.csv`
(else `ledger.csv`); a build with several ledger runs links each from its own run
section, but shows only the first at the top.
"""

from __future__ import annotations

import ast
import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from analysis.atomic import write_text_atomic
from analysis.report.captions import caption

#: Tables shown at the top of the page, first found first: one row per claim, or
#: else the full ledger (one row per claim and source).
LEDGER_TABLES = ("verdicts.csv", "ledger.csv")
#: Columns shown, when the table has them.
LEDGER_COLUMNS = (
    "claim_id",
    "statement",
    "claim_range",
    "source",
    "role",
    "low",
    "high",
    "sources",
    "evidence_low",
    "evidence_high",
    "verdict",
    "reason",
)


@dataclass
class Figure:
    name: str
    png: str
    svg: str
    caption: str


@dataclass
class Run:
    run_id: str
    notebook: str
    parameters: dict[str, Any]
    commit: str
    data: list[TableInputs]
    provenance: str | None
    executed: str | None
    html: str | None
    figures: list[Figure] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)

    @property
    def command(self) -> str:
        return f"python -m analysis build --force --only {self.run_id}"


def _relative(path: Path, out_dir: Path) -> str | None:
    return path.relative_to(out_dir).as_posix() if path.is_file() else None


@dataclass
class TableInputs:
    """One table a run read: its content hash and the sha256 of each raw file."""

    name: str
    content_sha256: str
    files: list[tuple[str, str]]


def _inputs(tables: Any) -> list[TableInputs]:
    """Tables and hashes from provenance `tables` ({name: {raw_sha256: {file: sha},
    content_sha256: sha}})."""
    found = []
    for name in sorted(tables or {}):
        entry = tables[name] if isinstance(tables[name], dict) else {}
        raw = entry.get("raw_sha256") or {}
        found.append(
            TableInputs(
                name,
                str(entry.get("content_sha256", "")),
                sorted((str(k), str(v)) for k, v in raw.items()),
            )
        )
    return found


def _notebook_parameters(executed: Path) -> dict[str, Any]:
    """Parameters an executed notebook ran with: its `parameters` cell's defaults,
    overridden by papermill's `injected-parameters` cell (literal assignments only)."""
    if not executed.is_file():
        return {}
    cells = json.loads(executed.read_text(encoding="utf-8")).get("cells", [])
    found: dict[str, Any] = {}
    for tag in ("parameters", "injected-parameters"):
        for cell in cells:
            if tag not in cell.get("metadata", {}).get("tags", []):
                continue
            source = "".join(cell.get("source", []))
            for node in ast.parse(source).body:
                if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                    try:
                        found[node.targets[0].id] = ast.literal_eval(node.value)
                    except ValueError:
                        continue
    return found


def _run(folder: Path, out_dir: Path) -> Run:
    run_id = folder.name
    record_path = folder / "provenance.json"
    record: dict[str, Any] = {}
    if record_path.is_file():
        record = json.loads(record_path.read_text(encoding="utf-8"))
    given = {
        **_notebook_parameters(folder / f"{run_id}.ipynb"),
        **dict(record.get("parameters") or {}),
    }
    parameters = {k: v for k, v in given.items() if k != "output_dir"}
    run = Run(
        run_id=run_id,
        notebook=str(record.get("notebook", "")),
        parameters=parameters,
        commit=str(record.get("git_commit") or record.get("commit") or "unknown"),
        data=_inputs(record.get("tables", {})),
        provenance=_relative(record_path, out_dir),
        executed=_relative(folder / f"{run_id}.ipynb", out_dir),
        html=_relative(folder / f"{run_id}.html", out_dir),
    )
    for png in sorted((folder / "figures").glob("*.png")):
        svg = png.with_suffix(".svg")
        run.figures.append(
            Figure(
                name=png.stem,
                png=png.relative_to(out_dir).as_posix(),
                svg=svg.relative_to(out_dir).as_posix() if svg.is_file() else "",
                caption=caption(png.stem, parameters),
            )
        )
    run.tables = [
        p.relative_to(out_dir).as_posix() for p in sorted((folder / "tables").glob("*.csv"))
    ]
    return run


def _ledger(runs: list[Run], out_dir: Path) -> tuple[list[str], list[dict[str, str]], str]:
    candidates = (
        out_dir / "runs" / run.run_id / "tables" / name for name in LEDGER_TABLES for run in runs
    )
    for path in candidates:
        if path.is_file():
            with path.open(newline="", encoding="utf-8") as handle:
                rows = list(csv.DictReader(handle))
            header = list(rows[0]) if rows else []
            shown = [c for c in LEDGER_COLUMNS if c in header] or header
            return shown, rows, path.relative_to(out_dir).as_posix()
    return [], [], ""


def _sort_key(run: Run) -> tuple[str, str]:
    return (Path(run.notebook).name or "~", run.run_id)


def render(out_dir: Path) -> str:
    """The index page of the build in `out_dir`, as HTML text."""
    out_dir = Path(out_dir)
    folders = sorted(p for p in (out_dir / "runs").glob("*") if p.is_dir())
    runs = sorted((_run(folder, out_dir) for folder in folders), key=_sort_key)
    columns, rows, ledger_path = _ledger(runs, out_dir)
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return environment.get_template("index.html.j2").render(
        runs=runs,
        ledger_columns=columns,
        ledger_rows=rows,
        ledger_path=ledger_path,
    )


def write_index(out_dir: Path) -> Path:
    """Write `out_dir/index.html` and return its path."""
    return write_text_atomic(Path(out_dir) / "index.html", render(Path(out_dir)))
