"""A full build from a clean state reproduces the committed manifest byte for byte,
and nothing it writes (figures, tables, notebooks, HTML) holds a victim's name.

The build is the session's shared one (`shared_build` in conftest.py): every run of
config/runs.yaml, plus one run the browser tests need, whose folder is left out of
the comparison with the manifest (it is not a committed run); everything else it
publishes must be in the manifest and match it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import paths, privacy
from analysis.report import manifest, verify
from tests.conftest import XSS_RUN


@pytest.fixture(scope="module")
def full_build(shared_build: Path) -> Path:
    return shared_build


def _committed_runs(outputs: dict[str, str]) -> dict[str, str]:
    return {rel: sha for rel, sha in outputs.items() if not rel.startswith(f"runs/{XSS_RUN}/")}


@pytest.mark.mirror
@pytest.mark.slow
def test_a_clean_build_reproduces_every_committed_figure_and_table(full_build: Path) -> None:
    expected = manifest.read_manifest(paths.REPORTS / manifest.NAME)
    status = verify.compare(expected, _committed_runs(manifest.outputs(full_build)))
    wrong = {rel: outcome for rel, outcome in status.items() if outcome != "reproduced"}
    assert wrong == {}, "rebuild differs from reports/MANIFEST.sha256; rebuild and commit it"
    assert len(expected) >= 30


@pytest.mark.mirror
@pytest.mark.slow
def test_no_build_output_holds_a_victim_name(full_build: Path) -> None:
    files = [p for p in full_build.rglob("*") if p.is_file() and p.suffix != ".png"]
    assert any(p.suffix == ".html" for p in files) and any(p.suffix == ".ipynb" for p in files)
    assert privacy.scan_files(files, privacy.airwars_victim_names()) == {}
