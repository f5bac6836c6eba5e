"""The scored candidate pairs and the strict rule's model, cached as parquet like a
tidy table (`links-<key>.parquet`, `linkmodel-<key>.parquet`).

The key covers the cache keys of the two tables linked (which cover their raw
bytes' sha256, importer code and pandas/pyarrow versions), the source of every
module of `analysis.linking`, and the versions of the libraries that compute the
result (Splink, DuckDB, numpy, pandas, pyarrow). A changed input, rule or library
recomputes; anything else reads the file. The file is written to a temporary name
and renamed, so a killed run never leaves a half-written cache that looks finished.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from analysis import paths, tables

NAME = "links"
MODEL = "linkmodel"
_LIBRARIES = ("splink", "duckdb", "numpy", "pandas", "pyarrow")


def cache_key() -> str:
    digest = hashlib.sha256(NAME.encode())
    for table in ("airwars", "ucdp_ged"):
        digest.update(f"{table}={tables.cache_key(table)}\n".encode())
    for module in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(module.name.encode())
        digest.update(module.read_bytes())
    for library in _LIBRARIES:
        digest.update(f"{library} {version(library)}\n".encode())
    return digest.hexdigest()


def cache_path(name: str = NAME) -> Path:
    return paths.cache_dir() / f"{name}-{cache_key()[:20]}.parquet"


def read(target: Path) -> pd.DataFrame | None:
    """The cached pairs, or None when there is no cache file."""
    return pd.read_parquet(target) if target.is_file() else None


def write(pairs: pd.DataFrame, target: Path) -> None:
    """Write atomically and drop caches of other keys."""
    name = target.name.rsplit("-", 1)[0]
    for stale in target.parent.glob(f"{name}-*.parquet"):
        if stale != target:
            stale.unlink(missing_ok=True)
    tables.write_parquet(pairs, target)
