"""The test oracle in tests/reference recomputes every rule from its documentation: it
may take tables and the controlled vocabulary's data from the package, nothing else,
so that no helper of the package is checked against itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REFERENCE = Path(__file__).parent / "reference"
#: Package modules the oracle may import: loading tables and the vocabulary's data.
ALLOWED_MODULES = ("analysis.tables", "analysis.vocabulary")
#: Names the oracle may import from `analysis` itself (`analysis.load`).
ALLOWED_FROM_PACKAGE = ("load", "TIDY_TABLES", "tables", "vocabulary")


def package_imports(source: str) -> list[str]:
    """Every import of the package in a module's source, as `module` or `module:name`
    (imports inside functions included)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "analysis"]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            package = node.module.split(".")[0] == "analysis"
            found += [f"{node.module}:{a.name}" for a in node.names if package]
    return found


def forbidden(imports: list[str]) -> list[str]:
    """The imports that reach beyond loading tables and the vocabulary."""
    out = []
    for spec in imports:
        module, _, name = spec.partition(":")
        if module in ALLOWED_MODULES:
            continue
        if module == "analysis" and name in ALLOWED_FROM_PACKAGE:
            continue
        out.append(spec)
    return out


@pytest.mark.parametrize("path", sorted(REFERENCE.glob("*.py")), ids=lambda p: p.name)
def test_the_oracle_imports_only_tables_and_vocabulary(path: Path) -> None:
    assert forbidden(package_imports(path.read_text(encoding="utf-8"))) == []


def test_the_check_catches_each_way_of_importing_a_helper() -> None:
    source = """
import analysis.metrics.vdc
from analysis.intervals import INF
from analysis import labels
from analysis.vocabulary import NAMED_AREAS
from analysis import load
import pandas

def late():
    from analysis.metrics import ucdp
"""
    assert forbidden(package_imports(source)) == [
        "analysis.metrics.vdc",
        "analysis.intervals:INF",
        "analysis:labels",
        "analysis.metrics:ucdp",
    ]
