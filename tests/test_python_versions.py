"""Python 3.11 to 3.13: one universal lock that serves each of them on Linux and macOS,
x86_64 and arm64, and `make env`'s choice of interpreter (scripts/pick-python).

CI runs on 3.11 only, so the other versions are checked from the lock itself, offline:
`uv.lock` names every file of every pinned package with its sha256, and
`requirements.lock` (what `make env` installs) is its export. For each supported
version and machine, every package whose markers select it must have a file with a
hash in `requirements.lock` that installs there: an sdist, or a wheel whose tags the
machine accepts.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging import tags
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

from analysis import paths

PICK = paths.ROOT / "scripts" / "pick-python"
UV = Path(sys.executable).parent / "uv"
GLIBC = 28  # manylinux_2_28: RHEL 8, Debian 10, Ubuntu 20.04 and later
MACOS = (13, 0)
MACHINES = {
    "linux-x86_64": ("linux", "x86_64"),
    "linux-aarch64": ("linux", "aarch64"),
    "macos-x86_64": ("darwin", "x86_64"),
    "macos-arm64": ("darwin", "arm64"),
}


@functools.cache
def _pyproject() -> dict:
    return tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def supported_versions() -> list[str]:
    """3.X of every "Programming Language :: Python :: 3.X" classifier."""
    found = [
        c.rsplit("::", 1)[1].strip()
        for c in _pyproject()["project"]["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    return sorted(found, key=lambda v: int(v.split(".")[1]))


def _environment(version: str, system: str, machine: str) -> dict[str, str]:
    return {
        "python_version": version,
        "python_full_version": f"{version}.0",
        "implementation_version": f"{version}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "sys_platform": system,
        "platform_system": {"linux": "Linux", "darwin": "Darwin"}[system],
        "platform_machine": machine,
        "os_name": "posix",
        "platform_release": "",
        "platform_version": "",
    }


def _accepted_tags(version: str, system: str, machine: str) -> set[tags.Tag]:
    """Wheel tags a CPython `version` on that machine installs (pip's rules)."""
    major, minor = (int(part) for part in version.split("."))
    if system == "linux":
        platforms = [f"manylinux_2_{m}_{machine}" for m in range(GLIBC, 4, -1)]
        platforms += [f"manylinux{alias}_{machine}" for alias in ("2014", "2010", "1")]
    else:
        platforms = list(tags.mac_platforms(MACOS, machine))
    interpreter = f"cp{major}{minor}"
    return set(tags.cpython_tags((major, minor), [interpreter], platforms)) | set(
        tags.compatible_tags((major, minor), interpreter, platforms)
    )


@functools.cache
def _requirements() -> list[tuple[Requirement, set[str]]]:
    """(name==version ; markers, its sha256 hashes) of every entry of requirements.lock."""
    text = (paths.ROOT / "requirements.lock").read_text(encoding="utf-8")
    entries = []
    for entry in re.sub(r"\\\n\s*", " ", text).splitlines():
        if not entry.strip() or entry.lstrip().startswith("#"):
            continue
        spec, *hashes = entry.split("--hash=sha256:")
        entries.append((Requirement(spec.strip()), {h.strip() for h in hashes}))
    return entries


@functools.cache
def _files() -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(name, version) -> [(file name, sha256)] of every package file uv.lock pins."""
    lock = tomllib.loads((paths.ROOT / "uv.lock").read_text(encoding="utf-8"))
    files: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for package in lock["package"]:
        found = [package["sdist"]] if "sdist" in package else []
        found += package.get("wheels", [])
        files[(canonicalize_name(package["name"]), package.get("version", ""))] = [
            (f["url"].rsplit("/", 1)[-1], f["hash"].removeprefix("sha256:"))
            for f in found
            if "url" in f
        ]
    return files


def _compiled(names: list[str]) -> bool:
    """Whether a package ships platform wheels (compiled code)."""
    return any(
        name.endswith(".whl") and any(t.platform != "any" for t in parse_wheel_filename(name)[3])
        for name in names
    )


def _installs(name: str, accepted: set[tags.Tag], *, compiled: bool) -> bool:
    """A wheel the machine accepts; or an sdist, of pure-Python code only: building
    compiled code from source is not what a user of the lock should meet."""
    if name.endswith(".whl"):
        return bool(parse_wheel_filename(name)[3] & accepted)
    return not compiled


def test_three_versions_are_supported_and_required() -> None:
    assert supported_versions() == ["3.11", "3.12", "3.13"]
    assert _pyproject()["project"]["requires-python"] == ">=3.11"
    text = PICK.read_text(encoding="utf-8")
    assert 'SUPPORTED="3.13 3.12 3.11"' in text


@pytest.mark.parametrize("machine", sorted(MACHINES))
@pytest.mark.parametrize("version", supported_versions())
def test_the_lock_has_an_installable_file_for_every_package(version: str, machine: str) -> None:
    system, arch = MACHINES[machine]
    environment = _environment(version, system, arch)
    accepted = _accepted_tags(version, system, arch)
    files = _files()
    selected, unusable = [], []
    for requirement, hashes in _requirements():
        if requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue
        (pin,) = requirement.specifier
        assert pin.operator == "==", f"{requirement} is not pinned"
        selected.append(requirement.name)
        pinned = [
            name
            for name, sha in files[(canonicalize_name(requirement.name), pin.version)]
            if sha in hashes
        ]
        if not any(_installs(name, accepted, compiled=_compiled(pinned)) for name in pinned):
            unusable.append(f"{requirement.name}=={pin.version}: {pinned}")
    assert not unusable, f"Python {version} on {machine}: no installable file for {unusable}"
    assert len(selected) > 150 and {"pandas", "numpy", "pyarrow", "duckdb"} <= set(selected)


def test_a_wheel_for_another_machine_does_not_count() -> None:
    """The check above can fail: a Linux-only wheel is no file for a Mac."""
    linux = _accepted_tags("3.12", "linux", "x86_64")
    mac = _accepted_tags("3.12", "darwin", "arm64")
    wheel = parse_wheel_filename("numpy-2.4.6-cp312-cp312-manylinux_2_27_x86_64.whl")[3]
    assert wheel & linux and not wheel & mac
    assert not parse_wheel_filename("numpy-2.4.6-cp311-cp311-macosx_14_0_arm64.whl")[3] & mac
    marker = Marker("python_full_version < '3.12' and sys_platform == 'linux'")
    assert marker.evaluate(_environment("3.11", "linux", "x86_64"))
    assert not marker.evaluate(_environment("3.13", "linux", "x86_64"))


@pytest.mark.skipif(not UV.is_file(), reason=f"{UV} is not installed (make env installs it)")
def test_uv_lock_matches_pyproject_and_requirements_lock_is_its_export(tmp_path: Path) -> None:
    check = subprocess.run(
        [str(UV), "lock", "--check", "--offline"],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, "uv.lock is stale: run `make lock`\n" + check.stderr
    exported = tmp_path / "requirements.lock"
    subprocess.run(
        [
            str(UV),
            "export",
            "--frozen",
            "--no-emit-project",
            "--extra",
            "dev",
            "--extra",
            "bench",
            "--format",
            "requirements.txt",
            "--no-header",
            "--quiet",
            "-o",
            str(exported),
        ],
        cwd=paths.ROOT,
        check=True,
    )
    header, command, *body = (paths.ROOT / "requirements.lock").read_text("utf-8").splitlines()
    assert header.startswith("# This file was autogenerated by uv") and "uv export" in command
    assert body == exported.read_text(encoding="utf-8").splitlines(), (
        "requirements.lock is not the export of uv.lock: run `make lock`"
    )


def _fake_pythons(tmp_path: Path, versions: dict[str, str]) -> dict[str, str]:
    """Executables named like Pythons that report a version; PATH holds only them."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, version in versions.items():
        stub = bin_dir / name
        stub.write_text(f"#!/bin/sh\necho {version}\n", encoding="utf-8")
        stub.chmod(0o755)
    return {"PATH": str(bin_dir), "HOME": str(tmp_path)}


def _pick(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["/bin/sh", str(PICK), *args], env=env, capture_output=True, text=True, check=False
    )


def test_make_env_picks_the_newest_supported_python(tmp_path: Path) -> None:
    env = _fake_pythons(
        tmp_path,
        {"python3.14": "3.14", "python3.12": "3.12", "python3.11": "3.11", "python3": "3.11"},
    )
    picked = _pick(env)
    assert picked.returncode == 0 and picked.stdout.strip() == str(tmp_path / "bin/python3.12")


def test_make_env_uses_the_python_named_and_refuses_3_10(tmp_path: Path) -> None:
    env = _fake_pythons(tmp_path, {"python3.13": "3.13", "python3.10": "3.10"})
    named = _pick(env, "python3.13")
    assert named.stdout.strip() == str(tmp_path / "bin/python3.13")
    refused = _pick(env, "python3.10")
    assert refused.returncode == 1 and refused.stdout == ""
    assert "PYTHON=python3.10 is Python 3.10; this package needs Python 3.11, 3.12 or 3.13" in (
        refused.stderr
    )


def test_make_env_refuses_when_no_supported_python_is_found(tmp_path: Path) -> None:
    env = _fake_pythons(tmp_path, {"python3": "3.10", "python3.9": "3.9"})
    refused = _pick(env)
    assert refused.returncode == 1
    assert "no Python 3.11, 3.12 or 3.13 on PATH (python3 is 3.10)" in refused.stderr


def test_an_existing_venv_is_kept_only_on_the_python_asked_for(tmp_path: Path) -> None:
    env = _fake_pythons(tmp_path, {"python3.13": "3.13", "python3.12": "3.12"})
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    os.symlink(tmp_path / "bin/python3.12", venv / "bin/python")
    assert _pick(env, "--venv", str(venv)).stdout.strip() == f"{venv}/bin/python"
    assert _pick(env, "--venv", str(venv), "python3.12").returncode == 0
    other = _pick(env, "--venv", str(venv), "python3.13")
    assert other.returncode == 1
    assert f"{venv} has Python 3.12, PYTHON=python3.13 is 3.13: remove {venv}" in other.stderr
