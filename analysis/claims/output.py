"""Writing a ledger folder: complete or not at all, even with two runs at once.

A claims run writes everything (`ledger.csv`, `ledger.json`, `robustness.csv` with
`--robustness`, the contributions store `contributions.parquet/` and, for a small
file or with `--csv`, `contributions/<claim>/<source>.csv`) into a staging folder
beside the output folder, chunk after chunk. Only when all is written is it
published: under a lock shared by every run that targets the same folder
(`filelock`, an OS lock released if a run dies), the old folder is moved aside and
the staging folder renamed into its place; the old one is then deleted by a
detached process, so a large run need not wait for it. Two runs at
once thus end with the complete set of files of whichever published last, never
a mix; a run that fails or is killed leaves the old folder as it was (its
staging folder, named `.NAME.staging-*`, is removed on failure, or by the next
run when the process was killed).

A folder that holds files no claims run writes is refused rather than replaced,
so `--out` can never delete someone's work.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

import numpy as np
import orjson
import pandas as pd
from filelock import FileLock

from analysis import sources
from analysis.atomic import swap_folder
from analysis.claims import ledger, store
from analysis.claims.ledger import Checked, Ledger
from analysis.csv_safety import neutralise
from analysis.errors import AnalysisError
from analysis.evidence.records import Writer

DELETE = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
#: What a claims run writes into its folder; anything else there is refused.
OWNED = frozenset({"ledger.csv", "ledger.json", "robustness.csv", "contributions", store.STORE})


def upstream_files() -> dict[str, Any]:
    """Per source, the manifest files its records' `upstream` addresses name."""
    found: dict[str, Any] = {}
    for resource in sources.resources():
        found.setdefault(resource.source, {})[resource.name] = {
            "url": resource.url,
            "sha256": resource.sha256,
        }
    found["airwars zip"] = (
        "the zip reassembled from the airwars-part-* files in order; its sha256 and size "
        "are in airwars-manifest-json "
        "(.venv/bin/python -m analysis explain --record CODE shows both)"
    )
    return found


class Staging:
    """The staging folder of one claims run, published whole by `publish`."""

    def __init__(self, out: Path, *, robustness: bool, note: str) -> None:
        self.out = Path(out).resolve()
        self.robustness = robustness
        self.note = note
        self.folder: Path | None = None
        self.csv: TextIO | None = None
        self.json: TextIO | None = None
        self.grid: TextIO | None = None
        self.claims = 0
        self.rows = 0
        self.tables = 0

    def __enter__(self) -> Staging:
        _check_target(self.out)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        _clean_stale(self.out)
        self.folder = Path(
            tempfile.mkdtemp(prefix=f".{self.out.name}.staging-{os.getpid()}-", dir=self.out.parent)
        )
        self.csv = open(self.folder / "ledger.csv", "w", encoding="utf-8", newline="")
        self.json = open(self.folder / "ledger.json", "w", encoding="utf-8", newline="")
        head = orjson.dumps({"note": self.note, "upstream": upstream_files()}).decode()
        self.json.write(head[:-1] + ',"rows":[\n')
        if self.robustness:
            self.grid = open(self.folder / "robustness.csv", "w", encoding="utf-8", newline="")
        return self

    def add(self, done: Checked) -> None:
        """Append a checked chunk's rows (its contributions tables are written already)."""
        assert self.csv is not None and self.json is not None
        rows = done.rows
        neutralise(rows).to_csv(self.csv, index=False, header=self.rows == 0, lineterminator="\n")
        if len(rows):
            lines = rows.to_json(orient="records", lines=True, force_ascii=False)
            separator = "" if self.rows == 0 else ",\n"
            self.json.write(separator + lines.rstrip("\n").replace("\n", ",\n"))
        if self.grid is not None and done.grid is not None:
            neutralise(done.grid).to_csv(
                self.grid, index=False, header=self.claims == 0, lineterminator="\n"
            )
        self.tables += done.tables
        self.claims += done.claims
        self.rows += len(rows)

    def publish(self) -> Path:
        """Close the files and swap the staging folder in for the output folder."""
        assert self.folder is not None and self.json is not None
        self.json.write("\n]}\n")
        self._close()
        with FileLock(str(self.out.parent / f".{self.out.name}.lock")):
            _check_target(self.out)
            aside = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
            old = swap_folder(self.folder, self.out, aside)
            self.folder = None
        if old is not None:
            _discard(old)
        return self.out

    def _close(self) -> None:
        for handle in (self.csv, self.json, self.grid):
            if handle is not None and not handle.closed:
                handle.close()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._close()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def _check_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise AnalysisError(f"{out}: the output folder is a file; choose a folder")
    if out.is_dir():
        foreign = sorted(p.name for p in out.iterdir() if p.name not in OWNED)
        if foreign:
            raise AnalysisError(
                f"{out}: holds {', '.join(foreign[:5])}, which no claims run writes; "
                "refusing to replace it. Choose an empty or new folder for --out."
            )


def _clean_stale(out: Path) -> None:
    """Remove staging and old folders that runs killed before cleaning up left behind."""
    for stale in out.parent.glob(f".{out.name}.staging-*"):
        pid = stale.name.split("-")[1] if "-" in stale.name else ""
        if pid.isdigit() and _alive(int(pid)):
            continue
        shutil.rmtree(stale, ignore_errors=True)
    for stale in out.parent.glob(f".{out.name}.old-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _discard(folder: Path) -> None:
    """Delete a replaced folder in a detached process, so the run ends as soon as its
    folder is published (thousands of tables take seconds to delete); what a killed
    deleter leaves is removed by the next run (`_clean_stale`)."""
    subprocess.Popen(
        [sys.executable, "-c", DELETE, str(folder)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_contributions(ledger: Ledger, tables: dict[str, pd.DataFrame], folder: str | Path) -> int:
    """Write every row's contributions table under `folder` (the folder its paths are
    relative to); returns how many."""
    folder = Path(folder)
    rows = ledger.rows
    wanted = rows[rows["contributions"] != ""]
    for parent in {str(Path(p).parent) for p in wanted["contributions"]}:
        (folder / parent).mkdir(parents=True, exist_ok=True)
    position = {c: i for i, c in enumerate(ledger.claims["claim_id"])}
    queries = np.array([position[c] for c in wanted["claim_id"]], dtype="int64")
    targets = wanted["contributions"].to_numpy(dtype=object)
    sources = wanted["source"].to_numpy(dtype=str)
    categories = ledger.claims["category"].to_numpy(dtype=object)
    n = len(ledger.claims)
    for name, found in ledger.tables():
        if name == "published":
            # one record per context row, in the order of the rows
            writer = Writer(found, tables["published"], largest=False)
            for i, target in enumerate(targets[np.char.startswith(sources, "published:")]):
                writer.write(folder / target, slice(i, i + 1))
            continue
        mine = sources == name
        groups = sorted(set(categories[queries[mine]])) if name == "airwars" else [None]
        for category in groups:
            chosen = mine & (categories[queries] == category) if category else mine
            part = found.take(np.isin(found.query, queries[chosen])) if category else found
            writer = Writer(part, tables[name], category)
            bounds = np.searchsorted(part.query, np.arange(n + 1))
            for q, target in zip(queries[chosen], targets[chosen], strict=True):
                writer.write(folder / target, slice(int(bounds[q]), int(bounds[q + 1])))
    return len(targets)


def check_and_write(
    claims: pd.DataFrame,
    tables: dict[str, pd.DataFrame],
    folder: Path,
    *,
    robustness: bool,
    part: int = 0,
    csv: bool = True,
) -> Checked:
    """Check chunk `part` of a run's claims and write its contributions under `folder`:
    its part of the store, and with `csv` its contributions tables as CSV files. The
    rows returned carry each row's largest record (`store.LARGEST`)."""
    done = ledger.check(claims, tables, robustness=robustness)
    rows = store.write(done, tables, folder, part)
    written = write_contributions(done, tables, folder) if csv else 0
    return Checked(rows, done.grid, len(claims), written)
