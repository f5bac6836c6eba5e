"""What a build published, read back from its run folders (`runs/<run_id>/`).

For each run: its notebook, title (the notebook's first heading), parameters (the
notebook's defaults overridden by papermill's injected cell and provenance.json),
commit, the sha256 of every data file it read, its figures with the caption and alt
text saved beside each (`figures/NAME.json`), and its tables. Everything is read
from files the build wrote; nothing is computed here. Paths are relative to the
report folder.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import labels


@dataclass(frozen=True)
class Figure:
    name: str
    png: str
    svg: str
    caption: str
    alt: str


@dataclass(frozen=True)
class TableInputs:
    """One table a run read: its content hash and the sha256 of each raw file."""

    name: str
    content_sha256: str
    files: list[tuple[str, str]]


@dataclass
class Run:
    run_id: str
    notebook: str
    title: str
    parameters: dict[str, Any]
    commit: str
    data: list[TableInputs]
    provenance: str | None
    executed: str | None
    html: str | None
    figures: list[Figure] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    #: inputs that differed from `commit` when the run was built (None: not recorded)
    local_changes: list[str] | None = None

    @property
    def local_changes_words(self) -> str:
        """` plus local changes (a, b)` when the run was built from an edited tree."""
        if not self.local_changes:
            return ""
        shown = ", ".join(self.local_changes[:5])
        more = f" and {len(self.local_changes) - 5} more" if len(self.local_changes) > 5 else ""
        return f" plus local changes ({shown}{more})"

    @property
    def command(self) -> str:
        return f".venv/bin/python -m analysis build --force --only {self.run_id}"

    @property
    def page(self) -> str:
        return f"pages/{self.run_id}.html"

    @property
    def about(self) -> str:
        """What the parameters pick, in a few words: `Russia, 30 Sep 2015 to 30 Sep 2016`."""
        p = self.parameters
        parts = [_parameter(k, p[k]) for k in ("perpetrator", "area") if k in p]
        for first, last in (("start", "end"), ("first_year", "last_year")):
            if first in p and last in p:
                parts.append(f"{_parameter(first, p[first])} to {_parameter(last, p[last])}")
        if "claims_file" in p:
            parts.append(f"claims of {Path(str(p['claims_file'])).name}")
        return ", ".join(parts)

    @property
    def described(self) -> list[tuple[str, str]]:
        """Parameters as (name in words, value in words)."""
        return [(labels.column(k), _parameter(k, v)) for k, v in self.parameters.items()]


def _parameter(name: str, value: Any) -> str:
    text = str(value)
    if name in labels.CODED:
        return labels.word(labels.CODED[name], text)
    return labels.day(text) if name in ("start", "end", "ceasefire_collapse") else text


def _relative(path: Path, out_dir: Path) -> str | None:
    return path.relative_to(out_dir).as_posix() if path.is_file() else None


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


def _cells(executed: Path) -> list[dict[str, Any]]:
    if not executed.is_file():
        return []
    cells: list[dict[str, Any]] = json.loads(executed.read_text(encoding="utf-8")).get("cells", [])
    return cells


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def notebook_parameters(cells: list[dict[str, Any]]) -> dict[str, Any]:
    """Parameters an executed notebook ran with: its `parameters` cell's defaults,
    overridden by papermill's `injected-parameters` cell (literal assignments only)."""
    found: dict[str, Any] = {}
    for tag in ("parameters", "injected-parameters"):
        for cell in cells:
            if tag not in cell.get("metadata", {}).get("tags", []):
                continue
            for node in ast.parse(_source(cell)).body:
                if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                    try:
                        found[node.targets[0].id] = ast.literal_eval(node.value)
                    except ValueError:
                        continue
    return found


def title(cells: list[dict[str, Any]], fallback: str) -> str:
    """The first `# ` heading of the notebook's markdown, else `fallback`."""
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            for line in _source(cell).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def _figure(png: Path, out_dir: Path) -> Figure:
    svg, words = png.with_suffix(".svg"), png.with_suffix(".json")
    said = json.loads(words.read_text(encoding="utf-8")) if words.is_file() else {}
    missing = f"Figure {png.stem} (no caption was saved with it)."
    return Figure(
        name=png.stem,
        png=png.relative_to(out_dir).as_posix(),
        svg=svg.relative_to(out_dir).as_posix() if svg.is_file() else "",
        caption=str(said.get("caption") or missing),
        alt=str(said.get("alt") or missing),
    )


def read_run(folder: Path, out_dir: Path) -> Run:
    """One published run folder."""
    run_id = folder.name
    record_path = folder / "provenance.json"
    record: dict[str, Any] = {}
    if record_path.is_file():
        record = json.loads(record_path.read_text(encoding="utf-8"))
    cells = _cells(folder / f"{run_id}.ipynb")
    given = {**notebook_parameters(cells), **dict(record.get("parameters") or {})}
    return Run(
        run_id=run_id,
        notebook=str(record.get("notebook", "")),
        title=title(cells, run_id),
        parameters={k: v for k, v in given.items() if k != "output_dir"},
        commit=str(record.get("git_commit") or record.get("commit") or "unknown"),
        local_changes=record.get("git_local_changes"),
        data=_inputs(record.get("tables", {})),
        provenance=_relative(record_path, out_dir),
        executed=_relative(folder / f"{run_id}.ipynb", out_dir),
        html=_relative(folder / f"{run_id}.html", out_dir),
        figures=[_figure(p, out_dir) for p in sorted((folder / "figures").glob("*.png"))],
        tables=[
            p.relative_to(out_dir).as_posix() for p in sorted((folder / "tables").glob("*.csv"))
        ],
    )


def read_runs(out_dir: Path) -> list[Run]:
    """Every published run, ordered by notebook file name, then run id."""
    folders = sorted(p for p in (out_dir / "runs").glob("*") if p.is_dir())
    runs = [read_run(folder, out_dir) for folder in folders]
    return sorted(runs, key=lambda r: (Path(r.notebook).name or "~", r.run_id))
