"""The report: deterministic tables, the hash manifest, verify's comparison, and an
index page that escapes every string that comes from data."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.csv_tables import save_table
from analysis.errors import AnalysisError
from analysis.pipeline import verify
from analysis.report import index, manifest

EVIL = '<script>document.title="pwned"</script><img src=x onerror=alert(1)>'


def test_save_table_is_deterministic_with_fixed_formats(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "when": pd.to_datetime(["2016-09-19", "2016-09-20"]),
            "low": [1 / 3, 2546.0],
            "name": ["a,b", "é"],
            "count": pd.array([3, None], dtype="Int64"),
        }
    )
    first = save_table(frame, tmp_path / "a", "t").read_bytes()
    second = save_table(frame, tmp_path / "b", "t").read_bytes()
    assert first == second
    assert first.decode("utf-8") == (
        'when,low,name,count\n2016-09-19,0.3333333333,"a,b",3\n2016-09-20,2546,é,\n'
    )
    with pytest.raises(ValueError, match="table name 'a b'"):
        save_table(frame, tmp_path, "a b")


def _fake_build(out: Path, statement: str = "Civilians killed") -> Path:
    """A published ledger run folder as the engine leaves it, made by hand."""
    run = out / "runs" / "claims_ledger-test"
    (run / "figures").mkdir(parents=True)
    (run / "tables").mkdir()
    (run / "figures" / "claims_vs_evidence.png").write_bytes(b"\x89PNG fake")
    (run / "figures" / "claims_vs_evidence.svg").write_text("<svg/>", encoding="utf-8")
    (run / "figures" / "claims_vs_evidence.json").write_text(
        json.dumps({"caption": "How to read the claims.", "alt": "Two claims, one within."}),
        encoding="utf-8",
    )
    pd.DataFrame(
        {
            "claim_id": ["A1"],
            "statement": [statement],
            "claim_range": ["[1, 2]"],
            "verdict": ["within_evidence"],
            "reason": ["because"],
        }
    ).to_csv(run / "tables" / "verdicts.csv", index=False)
    (run / "provenance.json").write_text(
        json.dumps(
            {
                "run_id": "claims_ledger-test",
                "notebook": "notebooks/02_claims_ledger.ipynb",
                "parameters": {"claims_file": f"claims-{EVIL}.csv", "output_dir": "/tmp/x"},
                "tables": {
                    "airwars": {"raw_sha256": {"a/part-000": "1" * 64}, "content_sha256": "2" * 64}
                },
                "git_commit": "abc123",
            }
        ),
        encoding="utf-8",
    )
    (run / "claims_ledger-test.html").write_text("<html></html>", encoding="utf-8")
    return run


def test_index_escapes_data_and_links_every_output(tmp_path: Path) -> None:
    _fake_build(tmp_path, statement=EVIL)
    html = index.write_index(tmp_path).read_text(encoding="utf-8")
    page = (tmp_path / "pages" / "claims_ledger-test.html").read_text(encoding="utf-8")
    for text in (html, page):
        assert "<script>document.title" not in text and "<img src=x" not in text
    assert "&lt;script&gt;document.title=&#34;pwned&#34;&lt;/script&gt;" in html
    assert 'src="runs/claims_ledger-test/figures/claims_vs_evidence.png"' in html
    assert 'alt="Two claims, one within."' in html and "How to read the claims." in html
    assert 'href="pages/claims_ledger-test.html"' in html  # the table of contents
    assert 'src="../runs/claims_ledger-test/figures/claims_vs_evidence.png"' in page
    assert 'href="../runs/claims_ledger-test/figures/claims_vs_evidence.svg"' in page
    assert "<strong>Figure 1.</strong> How to read the claims." in page
    assert "python -m analysis build --force --only claims_ledger-test" in page
    assert "python -m analysis verify --only claims_ledger-test" in page
    assert "python -m analysis explain A1" in page and "python -m analysis explain A1" in html
    assert "1" * 64 in page and "2" * 64 in page and "abc123" in page
    assert "/tmp/x" not in page  # the injected output_dir is not a parameter a reader sets


def test_pages_of_runs_that_are_gone_do_not_linger(tmp_path: Path) -> None:
    run = _fake_build(tmp_path)
    index.write_index(tmp_path)
    shutil.copytree(run, tmp_path / "runs" / "claims_ledger-other")
    index.write_index(tmp_path)
    shutil.rmtree(run)
    index.write_index(tmp_path)
    assert sorted(p.name for p in (tmp_path / "pages").iterdir()) == ["claims_ledger-other.html"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folders


def test_manifest_lists_figures_and_tables_sorted_with_their_sha256(tmp_path: Path) -> None:
    run = _fake_build(tmp_path)
    (run / "notes.txt").write_text("not an output", encoding="utf-8")
    target = manifest.write_manifest(tmp_path)
    lines = target.read_text(encoding="utf-8").splitlines()
    expected = sorted(
        (p.relative_to(tmp_path).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest())
        for p in [
            run / "figures" / "claims_vs_evidence.png",
            run / "figures" / "claims_vs_evidence.svg",
            run / "figures" / "claims_vs_evidence.json",
            run / "tables" / "verdicts.csv",
        ]
    )
    assert lines == [f"{sha}  {rel}" for rel, sha in expected]
    assert manifest.read_manifest(target) == dict(expected)


def test_malformed_manifest_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "MANIFEST.sha256"
    bad.write_text(f"{'a' * 64}  runs/x.png\nnot a line\n", encoding="utf-8")
    with pytest.raises(AnalysisError, match=r"MANIFEST.sha256, line 2: expected"):
        manifest.read_manifest(bad)


def test_compare_sorts_outputs_into_four_outcomes() -> None:
    got = verify.compare({"a": "1", "b": "2", "c": "3"}, {"a": "1", "b": "9", "d": "4"})
    assert got == {"a": "reproduced", "b": "differing", "c": "missing", "d": "new"}


@pytest.mark.parametrize(("tamper", "code"), [(None, 0), ("differ", 1), ("drop", 1)])
def test_verify_rebuilds_into_a_temporary_folder_and_compares(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tamper: str | None,
    code: int,
) -> None:
    published = tmp_path / "reports"
    _fake_build(published)
    committed = manifest.write_manifest(published)
    seen: list[Path] = []

    def rebuild(**kwargs: object) -> int:
        out = Path(str(kwargs["out"]))
        assert kwargs["force"] is True and out != published
        seen.append(out)
        _fake_build(out)
        figure = out / "runs" / "claims_ledger-test" / "figures" / "claims_vs_evidence.png"
        if tamper == "differ":
            figure.write_bytes(b"\x89PNG other")
        elif tamper == "drop":
            figure.unlink()
        return 0

    import analysis.pipeline.engine as engine

    monkeypatch.setattr(engine, "main", rebuild)
    assert verify.main(committed) == code
    printed = capsys.readouterr().out
    assert "reproduced  runs/claims_ledger-test/tables/verdicts.csv" in printed
    if tamper == "differ":
        assert "differing   runs/claims_ledger-test/figures/claims_vs_evidence.png" in printed
    if tamper == "drop":
        assert "missing     runs/claims_ledger-test/figures/claims_vs_evidence.png" in printed
    assert not seen[0].exists()  # the temporary rebuild is removed


def test_verify_refuses_an_empty_or_absent_manifest(tmp_path: Path) -> None:
    empty = tmp_path / "MANIFEST.sha256"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(AnalysisError, match="lists no outputs"):
        verify.main(empty)
    with pytest.raises(AnalysisError, match="no manifest to verify against"):
        verify.main(tmp_path / "absent.sha256")


def test_run_page_names_the_parameters_the_notebook_ran_with_in_words(tmp_path: Path) -> None:
    """Defaults of the parameters cell, overridden by papermill's injected cell."""
    run = tmp_path / "runs" / "one_year-x"
    (run / "figures").mkdir(parents=True)
    (run / "figures" / "tallies_by_category.png").write_bytes(b"\x89PNG fake")
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# One year of strikes\n", "text"]},
        {
            "cell_type": "code",
            "metadata": {"tags": ["parameters"]},
            "source": [
                'perpetrator = "russia"\n',
                'start = "2015-09-30"\n',
                'end = "2016-09-30"\n',
            ],
        },
        {
            "cell_type": "code",
            "metadata": {"tags": ["injected-parameters"]},
            "source": ['perpetrator = "us_led_coalition"\n', 'output_dir = "/tmp/out"\n'],
        },
    ]
    (run / "one_year-x.ipynb").write_text(json.dumps({"cells": cells}), encoding="utf-8")
    page = index.pages(tmp_path)["pages/one_year-x.html"]
    assert "<h1>One year of strikes: the US-led coalition, 30 Sep 2015 to 30 Sep 2016</h1>" in page
    assert "<td>Perpetrator</td><td>the US-led coalition</td>" in page
    assert "/tmp/out" not in page
    # a figure saved without its words says so instead of inventing a caption
    assert "no caption was saved with it" in page


def test_index_and_manifest_are_written_when_no_run_was_ever_published(tmp_path: Path) -> None:
    # a first build whose runs all failed: the report folder does not exist yet
    out = tmp_path / "never-built" / "reports"
    assert index.write_index(out).is_file()
    assert manifest.write_manifest(out).read_text(encoding="utf-8") == ""
    assert {p.name for p in out.iterdir()} == {"index.html", "pages", "BUILT.sha256"}


def test_verify_only_rebuilds_and_compares_the_named_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    published = tmp_path / "reports"
    _fake_build(published)
    other = published / "runs" / "one_year-test" / "tables"
    other.mkdir(parents=True)
    (other / "shares.csv").write_text("a\n1\n", encoding="utf-8")
    committed = manifest.write_manifest(published)
    asked: dict[str, object] = {}

    def rebuild(**kwargs: object) -> int:
        asked.update(kwargs)
        _fake_build(Path(str(kwargs["out"])))  # builds the named run only
        return 0

    import analysis.pipeline.engine as engine

    monkeypatch.setattr(engine, "main", rebuild)
    assert verify.main(committed, only=["claims_ledger-test"]) == 0
    assert asked["only"] == ["claims_ledger-test"] and asked["report"] is False
    printed = capsys.readouterr().out
    assert "one_year-test" not in printed  # another run's outputs are neither rebuilt nor missing
    mine = [r for r in manifest.read_manifest(committed) if r.startswith("runs/claims_ledger-test")]
    assert printed.strip().endswith(f"{len(mine)} reproduced, 0 differing, 0 missing, 0 new")
    with pytest.raises(AnalysisError, match="lists no outputs for run"):
        verify.main(committed, only=["war_toll-test"])


def test_report_imports_nothing_from_the_pipeline() -> None:
    """`report` reads what others produced: no import cycle with `pipeline`."""
    import ast

    folder = Path(index.__file__).parent
    imported = set()
    for source in folder.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    assert not {m for m in imported if m.startswith("analysis.pipeline")}
