"""Read and check `config/runs.yaml`: which notebooks exist and which parameter
sets each one runs with.

Layout (see docs/scaling.md and the contracts note)::

    notebooks:
      one_year:
        path: notebooks/01_one_year.ipynb     # relative to the config's project root
        tables: [airwars, published]          # their raw-file hashes enter the cache key
        parameters_model: analysis.parameters.OneYear   # optional pydantic model
        timeout: 600                          # optional: seconds any one cell may run
    runs:
      - id: one_year-russia-2015-16
        notebook: one_year
        parameters: {perpetrator: russia}
        timeout: 900                          # optional: overrides the notebook's

Checks here are structural and cheap (no pydantic, no pandas), because they run on
every build, including the no-op one. Parameter values are checked against the
notebook's pydantic model by `validate_parameters`, which the engine calls only
when at least one run must execute: an unchanged run was validated when it last
ran, and its model is part of the `analysis` source that the cache key covers.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from analysis import paths
from analysis.errors import ConfigError, ParameterError

RUN_ID = re.compile(r"^[a-z0-9_-]+$")
#: Parameter the engine injects into every run; a config may not set it.
RESERVED = "output_dir"


@dataclass(frozen=True)
class Notebook:
    """One notebook of the config."""

    key: str
    path: Path
    tables: tuple[str, ...] = ()
    parameters_model: str | None = None
    timeout: float | None = None


@dataclass(frozen=True)
class Run:
    """One parameter set of one notebook: the unit the build caches and schedules."""

    id: str
    notebook: Notebook
    parameters: dict[str, Any] = field(default_factory=dict)
    timeout: float | None = None


@dataclass(frozen=True)
class BuildConfig:
    """The whole config, in file order."""

    source: Path
    notebooks: dict[str, Notebook]
    runs: tuple[Run, ...]


def default_path() -> Path:
    return paths.CONFIG / "runs.yaml"


def _fail(source: Path, where: str, expected: str, found: object) -> ConfigError:
    return ConfigError(f"{source}: {where}: expected {expected}, found {found!r}")


def _timeout(source: Path, where: str, value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise _fail(source, f"{where}.timeout", "a positive number of seconds", value)
    return float(value)


def _notebook(source: Path, root: Path, key: str, entry: object) -> Notebook:
    where = f"notebooks.{key}"
    if not isinstance(entry, dict):
        raise _fail(source, where, "a mapping with `path`", entry)
    unknown = set(entry) - {"path", "tables", "parameters_model", "timeout"}
    if unknown:
        raise _fail(source, where, "keys path, tables, parameters_model, timeout", sorted(unknown))
    if not isinstance(entry.get("path"), str):
        raise _fail(source, f"{where}.path", "a notebook path", entry.get("path"))
    path = (root / entry["path"]).resolve()
    if path.suffix != ".ipynb" or not path.is_file():
        raise _fail(source, f"{where}.path", "an existing .ipynb file", str(path))
    tables = entry.get("tables", [])
    if not isinstance(tables, list) or not all(isinstance(t, str) for t in tables):
        raise _fail(source, f"{where}.tables", "a list of table names", tables)
    model = entry.get("parameters_model")
    if model is not None and (not isinstance(model, str) or "." not in model):
        raise _fail(source, f"{where}.parameters_model", "a dotted path module.Class", model)
    return Notebook(key, path, tuple(tables), model, _timeout(source, where, entry.get("timeout")))


def _run(source: Path, index: int, entry: object, notebooks: dict[str, Notebook]) -> Run:
    where = f"runs[{index}]"
    if not isinstance(entry, dict):
        raise _fail(source, where, "a mapping with id, notebook, parameters", entry)
    unknown = set(entry) - {"id", "notebook", "parameters", "timeout"}
    if unknown:
        raise _fail(source, where, "keys id, notebook, parameters, timeout", sorted(unknown))
    run_id = entry.get("id")
    if not isinstance(run_id, str) or not RUN_ID.match(run_id):
        raise _fail(source, f"{where}.id", "a run id matching [a-z0-9_-]+", run_id)
    where = f"run {run_id!r}"
    if entry.get("notebook") not in notebooks:
        raise _fail(
            source, f"{where}.notebook", f"one of {sorted(notebooks)}", entry.get("notebook")
        )
    parameters = entry.get("parameters") or {}
    if not isinstance(parameters, dict) or not all(isinstance(k, str) for k in parameters):
        raise _fail(source, f"{where}.parameters", "a mapping of names to values", parameters)
    if RESERVED in parameters:
        raise _fail(
            source, f"{where}.parameters", f"no {RESERVED!r} (the engine sets it)", RESERVED
        )
    notebook = notebooks[entry["notebook"]]
    timeout = _timeout(source, where, entry.get("timeout"))
    return Run(run_id, notebook, dict(parameters), timeout or notebook.timeout)


def load(path: Path | None = None) -> BuildConfig:
    """The checked config; any problem raises `ConfigError` naming file, entry and value.

    Notebook paths are relative to the project root when the config lives in
    `<root>/config/`, else relative to the config file's own folder.
    """
    source = (path or default_path()).resolve()
    if not source.is_file():
        raise ConfigError(f"{source}: no such build config (expected a runs.yaml)")
    try:
        raw = yaml.load(source.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict) or set(raw) != {"notebooks", "runs"}:
        found = sorted(raw) if isinstance(raw, dict) else raw
        raise _fail(source, "top level", "exactly the keys notebooks and runs", found)
    if not isinstance(raw["notebooks"], dict) or not raw["notebooks"]:
        raise _fail(source, "notebooks", "a non-empty mapping", raw["notebooks"])
    if not isinstance(raw["runs"], list):
        raise _fail(source, "runs", "a list", raw["runs"])
    root = source.parent.parent if source.parent.name == "config" else source.parent
    notebooks = {str(k): _notebook(source, root, str(k), v) for k, v in raw["notebooks"].items()}
    runs = tuple(_run(source, i, entry, notebooks) for i, entry in enumerate(raw["runs"]))
    seen: set[str] = set()
    for run in runs:
        if run.id in seen:
            raise _fail(source, f"run {run.id!r}", "unique run ids", "a duplicate")
        seen.add(run.id)
    return BuildConfig(source, notebooks, runs)


def validate_parameters(runs: tuple[Run, ...] | list[Run]) -> None:
    """Check each run's parameters with its notebook's pydantic model, before any
    kernel starts; the first problem raises `ParameterError` naming the run id,
    the parameter and what is wrong."""
    from pydantic import ValidationError

    for run in runs:
        dotted = run.notebook.parameters_model
        if dotted is None:
            continue
        module_name, _, class_name = dotted.rpartition(".")
        try:
            model = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError) as exc:
            raise ParameterError(
                f"run {run.id!r}: parameters_model {dotted!r} of notebook "
                f"{run.notebook.key!r} cannot be imported: {exc}"
            ) from exc
        try:
            model.model_validate(run.parameters)
        except ValidationError as exc:
            problems = "; ".join(
                f"parameter {'.'.join(map(str, e['loc'])) or '(all)'}: {e['msg']} "
                f"(found {e.get('input')!r})"
                for e in exc.errors()
            )
            raise ParameterError(f"run {run.id!r}: {problems}") from exc
