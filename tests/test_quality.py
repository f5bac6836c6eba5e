"""The code stays clean: ruff and mypy pass, and the generated table docs are current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analysis import docs, paths

BIN = Path(sys.executable).parent


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=paths.ROOT, capture_output=True, text=True, check=False)


def test_ruff_is_clean() -> None:
    result = _run(str(BIN / "ruff"), "check", "analysis", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    result = _run(str(BIN / "ruff"), "format", "--check", "analysis", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_is_clean() -> None:
    result = _run(str(BIN / "mypy"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_table_docs_match_the_schemas() -> None:
    committed = (paths.ROOT / "docs" / "tables.md").read_text(encoding="utf-8")
    assert committed == docs.tables_markdown(), "run `python -m analysis docs` and commit"
