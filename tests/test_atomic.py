"""Publishing a folder whole: a reader sees the old folder or the whole new one, and
a failure leaves the old one byte for byte as it was, with nothing left beside it."""

from __future__ import annotations

import ast
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import atomic, paths
from analysis.atomic import publish_folder, swap_folder

NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_.", min_size=1, max_size=20).filter(
    lambda name: name not in {".", ".."}
)
FOLDERS = st.dictionaries(NAMES, st.binary(max_size=200), max_size=8)


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by path relative to it, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _old_folder(parent: Path) -> Path:
    target = parent / "pages"
    (target / "sub").mkdir(parents=True)
    (target / "only-old.html").write_bytes(b"old page\n")
    (target / "sub" / "kept.txt").write_bytes(b"\x00\xffbytes")
    return target


def test_a_failure_in_the_block_leaves_the_old_folder_and_nothing_beside_it(
    tmp_path: Path,
) -> None:
    target = _old_folder(tmp_path)
    before = _snapshot(target)
    with pytest.raises(RuntimeError, match="half way"), publish_folder(target) as fresh:
        (fresh / "only-old.html").write_bytes(b"new, never seen")
        raise RuntimeError("half way")
    assert _snapshot(target) == before
    assert [p.name for p in tmp_path.iterdir()] == ["pages"]


def test_success_replaces_the_folder_whole(tmp_path: Path) -> None:
    target = _old_folder(tmp_path)
    with publish_folder(target) as fresh:
        assert fresh.parent == tmp_path and fresh.is_dir() and not any(fresh.iterdir())
        (fresh / "new.html").write_bytes(b"new page\n")
        assert _snapshot(target)["only-old.html"] == b"old page\n"  # not swapped yet
    assert _snapshot(target) == {"new.html": b"new page\n"}
    assert [p.name for p in tmp_path.iterdir()] == ["pages"]


def test_a_first_publish_creates_the_folder(tmp_path: Path) -> None:
    with publish_folder(tmp_path / "pages") as fresh:
        (fresh / "a.txt").write_text("a", encoding="utf-8")
    assert _snapshot(tmp_path / "pages") == {"a.txt": b"a"}
    assert [p.name for p in tmp_path.iterdir()] == ["pages"]


def test_the_published_folder_has_the_usual_permissions(tmp_path: Path) -> None:
    (tmp_path / "usual").mkdir()
    with publish_folder(tmp_path / "pages"):
        pass
    assert (tmp_path / "pages").stat().st_mode == (tmp_path / "usual").stat().st_mode


def test_a_missing_parent_folder_is_a_clear_error_and_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "absent" / "pages"
    message = "parent folder does not exist"
    with pytest.raises(FileNotFoundError, match=message), publish_folder(target):
        pytest.fail("the block must not run")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_swap_puts_the_old_folder_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = _old_folder(tmp_path)
    before = _snapshot(target)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    real = os.replace
    calls: list[object] = []

    def second_fails(src: object, dst: object) -> None:
        calls.append(src)
        if len(calls) == 2:
            raise OSError("disk gone")
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic.os, "replace", second_fails)
    with pytest.raises(OSError, match="disk gone"):
        swap_folder(fresh, target, tmp_path / "aside")
    assert _snapshot(target) == before
    assert not (tmp_path / "aside").exists() and fresh.is_dir()


@given(old=FOLDERS, new=FOLDERS)
def test_any_set_of_files_round_trips(old: dict[str, bytes], new: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "out"
        target.mkdir()
        for name, data in old.items():
            (target / name).write_bytes(data)
        with publish_folder(target) as fresh:
            for name, data in new.items():
                (fresh / name).write_bytes(data)
        assert _snapshot(target) == new
        assert [p.name for p in Path(scratch).iterdir()] == ["out"]


def test_atomic_imports_nothing_from_the_package() -> None:
    tree = ast.parse((paths.ROOT / "analysis" / "atomic.py").read_text(encoding="utf-8"))
    imported = [
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    ] + [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    assert not [name for name in imported if name.split(".")[0] == "analysis"]
