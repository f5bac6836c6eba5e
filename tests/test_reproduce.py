"""A full build from a clean state reproduces the committed manifest byte for byte,
and nothing it writes (figures, tables, notebooks, HTML) holds a victim's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import paths, privacy
from analysis.pipeline import engine, verify
from analysis.report import manifest


@pytest.fixture(scope="module")
def full_build(real_tables: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("full") / "reports"
    code = engine.main(force=True, jobs=None, scheduler=None, only=None, config=None, out=out)
    assert code == 0
    return out


@pytest.mark.mirror
@pytest.mark.slow
def test_a_clean_build_reproduces_every_committed_figure_and_table(full_build: Path) -> None:
    expected, _ = manifest.published(paths.REPORTS / manifest.NAME)
    status = verify.compare(expected, manifest.outputs(full_build))
    wrong = {rel: outcome for rel, outcome in status.items() if outcome != "reproduced"}
    assert wrong == {}, (
        "rebuild differs from reports/MANIFEST.sha256; `make build publish` and commit it"
    )
    assert len(expected) >= 30


@pytest.mark.mirror
@pytest.mark.slow
def test_no_build_output_holds_a_victim_name(full_build: Path) -> None:
    files = [p for p in full_build.rglob("*") if p.is_file() and p.suffix != ".png"]
    assert any(p.suffix == ".html" for p in files) and any(p.suffix == ".ipynb" for p in files)
    assert privacy.scan_files(files, privacy.airwars_victim_names()) == {}
