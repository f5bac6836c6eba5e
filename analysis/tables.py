"""`load(name)`: a validated tidy table, from a parquet cache when nothing changed.

The cache key covers the sha256 of every raw input (from the manifest, or of the
committed file), the source code of the importers and of the vocabulary, and the
pandas and pyarrow versions: a changed input or importer re-imports, anything else
reads the parquet file. Cache files are written to a temporary name and renamed,
so a killed import never leaves a half-written cache that looks finished.

Each table is authenticated twice, as HRDAG does: the raw bytes by sha256 before
import, and the parsed table by a content hash (`table_hash`) that provenance
records carry.
"""

from __future__ import annotations

import hashlib
import importlib
import warnings
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow

from analysis import paths, sources
from analysis.atomic import write_atomic
from analysis.errors import UnknownSourceError
from analysis.hashing import sha256_file

if TYPE_CHECKING:
    from analysis.importers import ImporterSpec

#: Table name -> importer module. The public names of `load`.
IMPORTERS: dict[str, str] = {
    "airwars": "analysis.importers.airwars",
    "ucdp_ged": "analysis.importers.ucdp_ged",
    "ucdp_brd": "analysis.importers.ucdp_brd",
    "vdc_weekly": "analysis.importers.vdc_weekly",
    "vdc_daily": "analysis.importers.vdc_daily",
    "published": "analysis.importers.published",
}

#: Every tidy table the importers make, by name.
TIDY_TABLES = tuple(IMPORTERS)

#: Table name -> (manifest source, committed files) the table is made from: what its
#: cache key hashes, known without importing its importer (and pandera), so that a
#: cached load stays light. A test checks it against each importer's `SPEC`.
INPUTS: dict[str, tuple[str | None, tuple[Path, ...]]] = {
    "airwars": ("airwars", ()),
    "ucdp_ged": ("ucdp_ged", ()),
    "ucdp_brd": ("ucdp_brd", ()),
    "vdc_weekly": ("vdc_weekly", ()),
    "vdc_daily": ("vdc_daily", ()),
    "published": (None, (paths.PUBLISHED_FIGURES,)),
}


class CacheWriteWarning(UserWarning):
    """A tidy table could not be cached; it was returned all the same."""


def spec(name: str) -> ImporterSpec:
    """The importer spec of a table name; unknown names list the known ones."""
    if name not in IMPORTERS:
        raise UnknownSourceError(f"no table named {name!r}; known tables: {', '.join(TIDY_TABLES)}")
    found: ImporterSpec = importlib.import_module(IMPORTERS[name]).SPEC
    return found


@cache
def _code_hash() -> str:
    """Hash of the code that shapes every table: importers, schema, vocabularies."""
    package = Path(__file__).resolve().parent
    files = [
        *sorted((package / "importers").glob("*.py")),
        package / "schema.py",
        package / "vocabulary.py",
        package / "monitors.py",
        paths.MONITORS,
    ]
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    digest.update(f"pandas {pd.__version__} pyarrow {pyarrow.__version__}".encode())
    return digest.hexdigest()


def input_hashes(name: str) -> dict[str, str]:
    """sha256 of every raw input of a table: manifest files and committed files."""
    if name not in INPUTS:
        spec(name)  # raises, naming the known tables
    source, committed = INPUTS[name]
    hashes = {}
    if source is not None:
        hashes.update({r.relpath: r.sha256 for r in sources.resources(source)})
    for path in committed:
        hashes[str(path.relative_to(paths.ROOT))] = sha256_file(path)
    return hashes


def cache_key(name: str) -> str:
    digest = hashlib.sha256(name.encode())
    for relpath, sha in sorted(input_hashes(name).items()):
        digest.update(f"{relpath}={sha}\n".encode())
    digest.update(_code_hash().encode())
    return digest.hexdigest()


def cache_path(name: str) -> Path:
    return paths.cache_dir() / f"{name}-{cache_key(name)[:20]}.parquet"


def import_table(name: str) -> pd.DataFrame:
    """Read raw files and validate: the slow path, with no cache involved."""
    from analysis.schema import validate

    importer = spec(name)
    files = sources.ensure(importer.source) if importer.source else []
    files += list(importer.committed_inputs)
    table = importer.read(files)
    log = table.attrs.get("import_log", [])
    checked = validate(table, importer.schema, name)
    checked.attrs["import_log"] = log
    checked.attrs["table"] = name
    return checked


def write_parquet(table: pd.DataFrame, target: Path) -> None:
    """Write a parquet file to a temporary name renamed into place, creating its folder."""
    write_atomic(target, lambda tmp: table.to_parquet(tmp, index=False))


def load(name: str, *, refresh: bool = False) -> pd.DataFrame:
    """A validated tidy table by name: `airwars`, `ucdp_ged`, `ucdp_brd`,
    `vdc_weekly`, `vdc_daily` or `published`.

    `refresh=True` re-imports from the raw files even when a cache exists.
    `table.attrs["import_log"]` lists what the importer flagged or dropped.
    """
    target = cache_path(name)
    if target.is_file() and not refresh:
        return pd.read_parquet(target)
    table = import_table(name)
    try:
        for stale in target.parent.glob(f"{name}-*.parquet"):
            stale.unlink(missing_ok=True)
        write_parquet(table, target)
    except OSError as exc:
        # The cache only saves time: a full disk or a read-only folder must not
        # stop an analysis, but the user should know every load is now cold.
        warnings.warn(
            f"could not cache table {name!r} at {target}: {exc.strerror or exc}; "
            "the table is returned uncached",
            CacheWriteWarning,
            stacklevel=2,
        )
    return table


def table_hash(table: pd.DataFrame) -> str:
    """A content hash of a parsed table: values, column names and dtypes."""
    digest = hashlib.sha256()
    digest.update(repr(list(zip(table.columns, map(str, table.dtypes), strict=True))).encode())
    digest.update(pd.util.hash_pandas_object(table, index=False).to_numpy().tobytes())
    return digest.hexdigest()
