"""Shared fixtures: the real-data mirror (skip locally, fail on CI) and fixture
manifests that point the package at small files made in a temporary folder."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from analysis import paths, sources

FIXTURES = Path(__file__).parent / "fixtures"
UPSTREAM = "https://raw.githubusercontent.com/owner/repo/0123abcd/"


def _mirror_available() -> tuple[bool, str]:
    if sources.mirror_from_env():
        return True, ""
    try:
        present = all(sources.is_verified(r) for r in sources.resources())
    except OSError:
        present = False
    return present, (
        "needs the real data: set ANALYSIS_DATA_MIRROR (e.g. ../shared/datasets) or run "
        "`python -m analysis fetch` first"
    )


def _require_mirror() -> None:
    ok, reason = _mirror_available()
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but the mirror is missing: {reason}")
        pytest.skip(reason)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("mirror") is not None:
        _require_mirror()


@pytest.fixture(scope="session")
def mirror() -> str:
    """The data mirror (folder or URL), or "" when the data are already fetched."""
    _require_mirror()
    return sources.mirror_from_env() or ""


def session_folder(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A temporary folder for the whole session: under pytest-xdist one folder all
    workers share (so what one worker imported or built, the other reads), else this
    process's own."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / name
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def real_tables(mirror: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Real data in a temporary raw/cache folder (raw read in place when fetched),
    shared by the xdist workers: every file the package writes there is written whole
    and renamed into place, so two workers importing the same table at once is safe."""
    patch = pytest.MonkeyPatch()
    patch.setenv("ANALYSIS_CACHE_DIR", str(session_folder(tmp_path_factory, "cache")))
    if mirror:
        patch.setenv("ANALYSIS_RAW_DIR", str(session_folder(tmp_path_factory, "raw")))
    yield
    patch.undo()


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Empty raw and cache folders; no mirror unless a test sets one."""
    monkeypatch.setenv("ANALYSIS_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv(sources.MIRROR_ENV, raising=False)
    return tmp_path


def write_manifest(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, tuple[str, bytes]],
    *,
    hashes: dict[str, str] | None = None,
) -> Path:
    """A fixture mirror and manifest: {relpath: (source, bytes)}; returns the mirror.

    `hashes` overrides the recorded sha256 of some relpaths (to fake a mismatch).
    """
    mirror = tmp_path / "mirror"
    resources = []
    for relpath, (source, payload) in files.items():
        target = mirror / "owner/repo/0123abcd" / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(payload)
        sha = (hashes or {}).get(relpath) or hashlib.sha256(payload).hexdigest()
        resources.append(
            {
                "name": relpath.replace("/", "-"),
                "source": source,
                "path": UPSTREAM + relpath,
                "hash": f"sha256:{sha}",
                "bytes": len(payload),
            }
        )
    names = sorted({r["source"] for r in resources})
    manifest = tmp_path / "datapackage.json"
    manifest.write_text(
        json.dumps(
            {
                "name": "fixture",
                "resources": resources,
                "sources": [{"name": n, "title": n} for n in names],
            }
        )
    )
    monkeypatch.setattr(paths, "MANIFEST", manifest)
    monkeypatch.setenv(sources.MIRROR_ENV, str(mirror))
    return mirror


@pytest.fixture
def local_cluster() -> Iterator[object]:
    """A Dask LocalCluster of two worker processes over TCP on 127.0.0.1."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        protocol="tcp",
        dashboard_address=":0",  # a free port: another xdist worker may hold 8787
        silence_logs=40,
    ) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        yield cluster


# One build for the whole session --------------------------------------------------
# The reproduce, notebook and browser tests read the same build instead of making
# their own (a build runs every notebook; it was made three times per session).

XSS_RUN = "claims_ledger-xss"
XSS_SCRIPT = '<script>window.__xss = 1; document.title = "pwned"</script>'
XSS_IMG = '<img src=x onerror="window.__xss = 2">'


def _build_config(folder: Path) -> Path:
    """config/runs.yaml with absolute notebook paths, plus XSS_RUN: the claims ledger
    of the article's claims with markup in the second claim's statement."""
    import csv

    import yaml

    claims = folder / "claims.csv"
    with paths.ARTICLE_CLAIMS.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[1]["statement"] = f"About 4,000 civilians {XSS_SCRIPT} {XSS_IMG} & more"
    with claims.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    config = yaml.safe_load((paths.ROOT / "config" / "runs.yaml").read_text(encoding="utf-8"))
    for notebook in config["notebooks"].values():
        notebook["path"] = str(paths.ROOT / notebook["path"])
    config["runs"].append(
        {"id": XSS_RUN, "notebook": "claims_ledger", "parameters": {"claims_file": str(claims)}}
    )
    target = folder / "runs.yaml"
    target.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return target


def build_once(root: Path) -> Path:
    """Build every run into root/reports unless a build is there already; under a file
    lock, so that of two xdist workers one builds and the other waits and reads."""
    from filelock import FileLock

    from analysis.pipeline import engine

    out = root / "reports"
    with FileLock(f"{root}.lock"):
        if not (out / "BUILT.sha256").is_file():
            config = _build_config(root)
            code = engine.main(
                force=True, jobs=None, scheduler=None, only=None, config=config, out=out
            )
            if code != 0:
                raise AssertionError(f"the shared build failed with exit status {code}")
    return out


@pytest.fixture(scope="session")
def shared_build(real_tables: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """reports/ of one forced build of every run of config/runs.yaml plus XSS_RUN, with
    its pages and report.pdf (where Chromium is installed); made at most once a session,
    by the first xdist worker that needs it, while the other waits.

    Tests read it and must not change it (the browser tests copy the runs they print).
    """
    return build_once(session_folder(tmp_path_factory, "shared_build"))


# Hypothesis profiles ----------------------------------------------------------------
# `ci` (loaded by default; `make test`, .ci/run): the example counts each test asks
# for, hypothesis' 100 where it asks none. `dev` (`make check`, or
# `pytest --hypothesis-profile=dev`): at most DEV_EXAMPLES examples per test, for the
# edit-test loop. A test's own @settings(max_examples=...) would override a profile,
# so under `dev` each test's count is capped after collection.

DEV_EXAMPLES = 5
# No deadline in either: a per-example time limit is a timed test, which fails on a
# busy machine (two xdist workers on two cores) for no fault of the code; speed is
# benchmarks/bench_tests.py's to measure.
settings.register_profile("ci", deadline=None)
settings.register_profile("dev", max_examples=DEV_EXAMPLES, deadline=None)
if settings.get_current_profile_name() == "default":  # else --hypothesis-profile chose
    settings.load_profile("ci")


# Test files that take longest, longest first (a `make test` with --durations shows
# them). `make test` hands whole files to its two workers in collection order
# (`--dist loadfile --no-loadscope-reorder`): started first, they do not leave one
# worker alone with a long file at the end. test_browser.py leads because its first
# test makes the shared build, which the other worker then finds ready instead of
# waiting for it. A stale order costs speed only.
LONGEST_FIRST = (
    "test_browser.py",
    "test_evidence.py",
    "test_notebooks.py",
    "test_quality.py",
    "test_claims_output.py",
    "test_contributions_store.py",
    "test_area_superset.py",
    "test_claims_dask.py",
    "test_contributions.py",
    "test_robustness.py",
    "test_linking.py",
    "test_reproduce.py",
)


def _file_rank(item: pytest.Item) -> int:
    """Where the item's file stands in LONGEST_FIRST; after all of them if absent."""
    name = item.path.name
    return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    items.sort(key=_file_rank)  # stable: the rest keep their order
    if settings.get_current_profile_name() != "dev":
        return
    for item in items:
        test = getattr(getattr(item, "obj", None), "__func__", getattr(item, "obj", None))
        own = getattr(test, "_hypothesis_internal_use_settings", None)
        if own is not None and own.max_examples > DEV_EXAMPLES:
            test._hypothesis_internal_use_settings = settings(own, max_examples=DEV_EXAMPLES)  # type: ignore[union-attr]


# Markers ----------------------------------------------------------------------------
# `slow` marks every test that builds or runs a notebook, and any other that takes
# more than 5 s here; `make check` leaves slow and mirror tests out. A test not
# marked slow that starts a notebook in this process fails, naming the marker it
# needs (notebooks run on Dask workers escape it); benchmarks/bench_tests.py checks
# the 5 s rule.


@pytest.fixture(autouse=True)
def _notebooks_only_in_slow_tests(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    if request.node.get_closest_marker("slow") is not None:
        return
    import papermill

    from analysis.pipeline import kernel

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError(
            f"{request.node.nodeid} runs a notebook: mark it @pytest.mark.slow (CONTRIBUTING.md)"
        )

    monkeypatch.setattr(kernel, "execute_notebook", refuse)
    monkeypatch.setattr(papermill, "execute_notebook", refuse)
