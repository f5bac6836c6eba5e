"""Every shell command the docs, the report pages and `explain`'s hints print runs as
printed from the repository root: each names a make target, a subcommand and options
of `python -m analysis`, a file of `.venv/bin/` or a program that exist. The cheap
ones (`--help` of each subcommand, `make -n` of each target) are run."""

from __future__ import annotations

import ast
import html
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import cli
from analysis.claims import explain
from analysis.report import index

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "reports" / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: first words of an inline code span that make it a shell command
STARTS = ("make", "python", "python3", "cd", "source", "cp", "apt-get", "sha256sum")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
SPAN = re.compile(r"`([^`]+)`")
SHELLS = {"sh", "bash", "shell", "console", ""}


def _is_command(text: str) -> bool:
    words = text.split()
    if len(words) < 2:  # `source` or `python` alone names a column or a program
        return False
    first = next((w for w in words if "=" not in w), "")
    return first in STARTS or first.startswith((".venv/", "../"))


def fenced_commands(markdown: str) -> list[list[str]]:
    """Each shell block as its list of commands (continuation lines joined)."""
    blocks = []
    for lang, body in FENCE.findall(markdown):
        if lang not in SHELLS:
            continue
        joined = re.sub(r"\\\n\s*", " ", body)
        lines = [line.split("  #")[0].rstrip(" &") for line in joined.splitlines()]
        commands = [" ".join(line.split()) for line in lines if line.strip()]
        if all(_is_command(c) for c in commands):  # not a tree of files
            blocks.append(commands)
    return blocks


def inline_commands(markdown: str) -> list[str]:
    """Inline code spans (outside fenced blocks) that are shell commands."""
    prose = FENCE.sub("", markdown)
    spans = (" ".join(span.split()) for span in SPAN.findall(prose))
    return [span for span in spans if _is_command(span)]


def _targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][\w-]*):", text, re.M))


def _subcommands() -> dict[str, set[str]]:
    """Subcommand -> its option strings."""
    top = cli.parser()
    found: dict[str, set[str]] = {}
    for action in top._subparsers._group_actions:  # type: ignore[union-attr]
        for name, sub in action.choices.items():  # type: ignore[union-attr]
            found[name] = {o for a in sub._actions for o in a.option_strings}
    return found


def problems(command: str, cwd: Path = ROOT) -> list[str]:
    """What in `command` does not exist, run from `cwd`; empty when all of it does."""
    words = [w.strip("[]") for w in shlex.split(command)]
    while words and re.match(r"^[A-Z_]+=", words[0]):
        words = words[1:]
    program, rest = words[0], words[1:]
    if program == "make":
        names = [w for w in rest if not w.startswith("-") and "=" not in w]
        return [f"no make target {n!r}" for n in names if n not in _targets()]
    if program == "cd":
        return [] if (cwd / rest[0]).is_dir() else [f"no folder {rest[0]}"]
    if program == "source":
        return [] if (cwd / rest[0]).name == "activate" else [f"sources {rest[0]}"]
    if program in ("python", "python3"):
        return ["bare `python`: write `.venv/bin/python` or a make target"]
    if program.startswith((".venv/", "../")):
        where = Path(os.path.normpath(cwd / program))
        if where.parent != ROOT / ".venv" / "bin" or not where.exists():
            return [f"{program} is not in the project's .venv/bin"]
        if Path(program).name == "python" and rest[:2] == ["-m", "analysis"]:
            if rest[2:] in ([], ["..."]):  # the generic form, `python -m analysis ...`
                return []
            subcommand, options = rest[2], [w.split("=")[0] for w in rest[3:]]
            known = _subcommands()
            if subcommand not in known:
                return [f"no subcommand {subcommand!r}"]
            return [
                f"{subcommand}: no option {o}"
                for o in options
                if o.startswith("--") and o not in known[subcommand]
            ]
        return []
    return [] if shutil.which(program) else [f"no program {program!r} on PATH"]


def _documented() -> list[tuple[str, str, Path]]:
    """(where, command, folder it runs in) for every command of the Markdown docs."""
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        where = doc.relative_to(ROOT).as_posix()
        for block in fenced_commands(text):
            cwd = ROOT
            for command in block:
                found.append((where, command, cwd))
                if command.startswith("cd "):
                    cwd = cwd / command.split()[1]
        found += [(where, span, ROOT) for span in inline_commands(text)]
    return found


def _page_commands(tmp_path: Path) -> list[str]:
    """Commands in `<code>` of a landing page and a run page rendered from a run."""
    from tests.test_report import _fake_build

    _fake_build(tmp_path)
    index.write_index(tmp_path)
    codes = []
    for page in [tmp_path / "index.html", *sorted((tmp_path / "pages").rglob("*.html"))]:
        codes += re.findall(r"<code>(.*?)</code>", page.read_text(encoding="utf-8"), re.S)
    return [c for c in (html.unescape(" ".join(c.split())) for c in codes) if _is_command(c)]


def _hint_commands() -> list[str]:
    """Backticked commands in the string literals of `explain` (not its docstrings)."""
    tree = ast.parse(Path(explain.__file__).read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    texts = [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
    ]
    return [span for text in texts for span in SPAN.findall(text) if _is_command(span)]


def test_the_extractor_finds_blocks_spans_and_continuations() -> None:
    text = (
        "Run `make verify`, not `ls`.\n\n```sh\ncd notebooks\nmake env \\\n"
        "  V=1   # makes .venv\n```\n\n```\nanalysis/  the library\n```\n"
        "```python\nimport x\n```\n"
    )
    assert inline_commands(text) == ["make verify"]
    assert fenced_commands(text) == [["cd notebooks", "make env V=1"]]


@pytest.mark.parametrize(
    "command",
    [
        "python -m analysis build",
        "make nothing-here",
        ".venv/bin/python -m analysis frobnicate",
        ".venv/bin/python -m analysis verify --every",
        "cd no/such/folder",
        "no-such-program --flag",
    ],
)
def test_a_command_that_would_fail_is_caught(command: str) -> None:
    assert problems(command)


def test_every_command_in_the_docs_names_what_exists() -> None:
    found = _documented()
    assert len(found) >= 30
    wrong = {f"{where}: {command}": problems(command, cwd) for where, command, cwd in found}
    assert {k: v for k, v in wrong.items() if v} == {}


def test_every_command_on_the_pages_and_in_explains_hints_names_what_exists(
    tmp_path: Path,
) -> None:
    commands = _page_commands(tmp_path) + _hint_commands()
    assert any("verify --only claims_ledger-test" in c for c in commands)
    assert any("explain --record ID" in c for c in commands)
    wrong = {command: problems(command) for command in commands}
    assert {k: v for k, v in wrong.items() if v} == {}


def test_the_cheap_documented_commands_run() -> None:
    """Each documented subcommand's `--help` and each make target's dry run exit 0."""
    commands = [c for _, c, _ in _documented()]
    subcommands = {
        shlex.split(c)[3]
        for c in commands
        if c.startswith(".venv/bin/python -m analysis ") and not c.endswith("...")
    }
    targets = {w for c in commands if c.split()[0] == "make" for w in c.split()[1:] if "=" not in w}
    assert {"verify", "publish", "explain", "build"} <= subcommands
    assert {"verify", "build", "publish", "reports"} <= targets
    for subcommand in sorted(subcommands):
        done = subprocess.run(
            [sys.executable, "-m", "analysis", subcommand, "--help"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, (subcommand, done.stderr)
    for target in sorted(targets):
        done = subprocess.run(
            ["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, (target, done.stderr)
