"""A full build from a clean state reproduces the committed manifest byte for byte,
and nothing it writes (figures, tables, notebooks, HTML) holds a victim's name, and
its PDF prints every ledger row whole.

The build is the session's shared one (`shared_build` in conftest.py): every run of
config/runs.yaml, plus one run the browser tests need, whose folder is left out of
the comparison with the manifest (it is not a committed run); everything else it
publishes must be in the manifest and match it.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from analysis import paths, privacy
from analysis.pipeline import verify
from analysis.report import manifest
from tests.conftest import XSS_RUN


@pytest.fixture(scope="module")
def full_build(shared_build: Path) -> Path:
    return shared_build


def _committed_runs(outputs: dict[str, str]) -> dict[str, str]:
    return {rel: sha for rel, sha in outputs.items() if not rel.startswith(f"runs/{XSS_RUN}/")}


@pytest.mark.mirror
@pytest.mark.slow
def test_a_clean_build_reproduces_every_committed_figure_and_table(full_build: Path) -> None:
    expected, _ = manifest.published(paths.REPORTS / manifest.NAME)
    status = verify.compare(expected, _committed_runs(manifest.outputs(full_build)))
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


def _pdf_text(pdf: Path, *args: str) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (Debian: poppler-utils)")
    done = subprocess.run(
        ["pdftotext", "-layout", *args, str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


def _thousands(text: str) -> str:
    return f"{int(float(text)):,}"


@pytest.fixture(scope="module")
def published_print(full_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """report.pdf printed from the committed runs alone (the session's build also holds
    the browser tests' run, which the published report does not)."""
    from analysis.pipeline import engine

    out = tmp_path_factory.mktemp("print") / "reports"
    for run in (full_build / "runs").iterdir():
        if run.name != XSS_RUN:
            shutil.copytree(run, out / "runs" / run.name)
    engine.write_reports(out)
    return out / "report.pdf"


@pytest.mark.mirror
@pytest.mark.slow
def test_the_printed_report_holds_every_ledger_row_whole_in_under_30_pages(
    full_build: Path, published_print: Path
) -> None:
    """Read back with pdftotext -layout: every ledger row's verdict and evidence range
    are on a page (no column cut at the margin), and the report stays short."""
    target = published_print
    if not target.is_file():
        pytest.skip("no Chromium: the build printed no PDF")
    pages = _pdf_text(target).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) < 30
    # drop the page numbers, join the pages, one space between words
    text = " ".join(re.sub(r"^\s*\d+ / \d+\s*$", "", p, flags=re.M) for p in pages)
    text = " ".join(text.split())
    ledger = full_build / "runs" / "claims_ledger-article" / "tables" / "ledger.csv"
    rows = list(csv.DictReader(ledger.open(newline="", encoding="utf-8")))
    found = list(re.finditer(r"Claim (\S+) · What the claim says", text))
    assert {m[1] for m in found} == {row["claim_id"] for row in rows}, "one card per claim"
    ends = [m.start() for m in found[1:]] + [len(text)]
    cards = {m[1]: text[m.start() : end] for m, end in zip(found, ends, strict=True)}
    for claim_id, card in cards.items():
        mine = [row for row in rows if row["claim_id"] == claim_id]
        verdict = mine[0]["verdict"].replace("_", " ")
        low, high = mine[0]["evidence_low"], mine[0]["evidence_high"]
        assert "Verdict: " in card, claim_id
        if verdict == "within evidence":
            assert "consistent with what sources document" in card, claim_id
        elif verdict == "not checkable":
            assert "no source can check it" in card, claim_id
        if low and high == "inf":
            assert f"Evidence range: at least {_thousands(low)}, no upper bound" in card
        elif low and high != low:
            assert f"Evidence range: {_thousands(low)} to {_thousands(high)}" in card, claim_id
        elif low:
            assert f"Evidence range: {_thousands(low)}" in card, claim_id
        assert card.count("Source: ") == len(mine), claim_id  # every source row printed
        for row in mine:
            if row["low"] and row["high"] and row["high"] != "inf":
                same = row["low"] == row["high"]
                shown = (
                    _thousands(row["low"])
                    if same
                    else (f"{_thousands(row['low'])} to {_thousands(row['high'])}")
                )
                assert shown in card, (claim_id, row["source"])
