"""The published manifest is a reference a build never overwrites: a build writes its
own `BUILT.sha256`, `verify` compares with the manifest as committed and names every
file that differs with both hashes, and only `publish` changes the published one."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from analysis import paths
from analysis.pipeline import engine, publish, runner, verify
from analysis.report import manifest, pdf

FIGURE = "runs/war_toll-test/figures/war_toll.png"
TAMPERED = "deadbeef" * 8


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def _run(out: Path, png: bytes = b"\x89PNG one") -> None:
    """A published run folder as the engine leaves it, made by hand."""
    (out / "runs" / "war_toll-test" / "figures").mkdir(parents=True, exist_ok=True)
    (out / "runs" / "war_toll-test" / "tables").mkdir(exist_ok=True)
    (out / FIGURE).write_bytes(png)
    (out / "runs" / "war_toll-test" / "tables" / "toll.csv").write_text("a\n1\n", encoding="utf-8")


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git checkout whose committed manifest has one hash tampered with; returns
    its reports/ folder, holding the outputs that manifest describes."""
    reports = tmp_path / "repo" / "reports"
    _run(reports)
    true = manifest.outputs(reports)
    assert true[FIGURE] != TAMPERED
    (reports / manifest.NAME).write_text(
        manifest.render({**true, FIGURE: TAMPERED}), encoding="utf-8"
    )
    _git(tmp_path / "repo", "init", "-q")
    _git(tmp_path / "repo", "add", "reports/MANIFEST.sha256")
    _git(tmp_path / "repo", "commit", "-q", "-m", "published")
    monkeypatch.setattr(paths, "REPORTS", reports)
    monkeypatch.setattr(pdf, "write_pdf", lambda out: None)  # no Chromium needed here
    return reports


def _rebuild(monkeypatch: pytest.MonkeyPatch) -> None:
    """`engine.main` as verify calls it: the same outputs again, into its folder."""

    def rebuild(**kwargs: object) -> int:
        _run(Path(str(kwargs["out"])))
        return 0

    monkeypatch.setattr(engine, "main", rebuild)


def test_a_build_never_repairs_a_tampered_manifest_and_verify_reports_it(
    checkout: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    published = (checkout / manifest.NAME).read_bytes()
    written = engine.write_reports(checkout)  # what every build ends with
    assert checkout / manifest.BUILT in written
    assert (checkout / manifest.NAME).read_bytes() == published  # never repaired
    true_sha = manifest.outputs(checkout)[FIGURE]
    assert manifest.read_manifest(checkout / manifest.BUILT)[FIGURE] == true_sha
    _rebuild(monkeypatch)
    assert verify.main() == 1
    printed = capsys.readouterr().out
    assert "as committed in" in printed
    assert f"differing   {FIGURE}" in printed
    assert f"published {TAMPERED}" in printed and f"rebuilt   {true_sha}" in printed
    assert "1 reproduced, 1 differing, 0 missing, 0 new" in printed


def test_verify_compares_with_the_commit_not_a_hand_edited_working_copy(
    checkout: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # making the working copy agree with the local output does not make verify agree
    (checkout / manifest.NAME).write_text(
        manifest.render(manifest.outputs(checkout)), encoding="utf-8"
    )
    _rebuild(monkeypatch)
    assert verify.main() == 1
    printed = capsys.readouterr().out
    assert "MANIFEST.sha256 has local changes" in printed and f"published {TAMPERED}" in printed


def test_outside_git_verify_reads_the_file_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = tmp_path / "release" / "reports"
    _run(reports)
    manifest.write_manifest(reports, manifest.NAME)
    monkeypatch.setattr(paths, "REPORTS", reports)
    monkeypatch.setattr(manifest, "committed_text", lambda path: None)  # no git above tmp
    _rebuild(monkeypatch)
    assert verify.main() == 0
    assert "2 reproduced, 0 differing" in capsys.readouterr().out


def test_publish_is_the_only_step_that_changes_the_published_manifest(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine.write_reports(checkout)
    true_sha = manifest.read_manifest(checkout / manifest.BUILT)[FIGURE]
    assert publish.main(checkout) == 0
    printed = capsys.readouterr().out
    assert f"changed   {FIGURE}\n          was {TAMPERED}\n          now {true_sha}" in printed
    assert "1 changed, 0 added, 0 removed of 2 outputs" in printed
    assert manifest.read_manifest(checkout / manifest.NAME)[FIGURE] == true_sha
    assert publish.main(checkout) == 0
    assert "already lists what the build produced" in capsys.readouterr().out


def test_publish_without_a_build_says_what_to_run(tmp_path: Path) -> None:
    from analysis.errors import AnalysisError

    with pytest.raises(AnalysisError, match="no build to publish; run `make build` first"):
        publish.main(tmp_path)


def test_changes_names_changed_added_and_removed_with_both_hashes() -> None:
    old = {"a": "1", "b": "2", "c": "3"}
    new = {"a": "1", "b": "9", "d": "4"}
    assert manifest.changes(old, new) == [
        ("changed", "b", "2", "9"),
        ("removed", "c", "3", None),
        ("added", "d", None, "4"),
    ]


def test_provenance_names_local_changes_and_untracked_notebooks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    (repo / "analysis").mkdir(parents=True)
    (repo / "notebooks").mkdir()
    (repo / "analysis" / "code.py").write_text("x = 1\n", encoding="utf-8")
    (repo / "elsewhere.txt").write_text("not an input\n", encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "one")
    monkeypatch.setattr(runner.keys, "PACKAGE_DIR", repo / "analysis")
    notebook = repo / "notebooks" / "mine.ipynb"
    notebook.write_text("{}", encoding="utf-8")
    assert runner._git_local_changes(str(notebook)) == ["notebooks/mine.ipynb (untracked)"]
    (repo / "analysis" / "code.py").write_text("x = 2\n", encoding="utf-8")
    (repo / "elsewhere.txt").write_text("edited, not an input\n", encoding="utf-8")
    assert runner._git_local_changes(str(notebook)) == [
        "analysis/code.py",
        "notebooks/mine.ipynb (untracked)",
    ]
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "two")
    assert runner._git_local_changes(str(notebook)) == []
    assert runner._git_local_changes(str(tmp_path / "out.ipynb")) == [
        "the notebook (outside the repository)"
    ]


def test_run_page_says_when_it_was_built_from_local_changes(tmp_path: Path) -> None:
    from analysis.report import index

    run = tmp_path / "runs" / "war_toll-test"
    _run(tmp_path)
    (run / "provenance.json").write_text(
        json.dumps(
            {
                "run_id": "war_toll-test",
                "notebook": "notebooks/x.ipynb",
                "git_commit": "3f6f5fc",
                "git_local_changes": ["notebooks/x.ipynb (untracked)"],
            }
        ),
        encoding="utf-8",
    )
    page = index.pages(tmp_path)["pages/war_toll-test.html"]
    assert "commit <code>3f6f5fc</code> plus local changes (notebooks/x.ipynb (untracked))" in page
