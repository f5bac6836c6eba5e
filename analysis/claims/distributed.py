"""Checking a claims file on a Dask cluster, partitioned by claims.

Each task checks one chunk (`ledger.CHUNK` claims) on a worker: it loads the tidy
tables there (from the worker's parquet cache), asks the evidence engine, writes
the chunk's part of the contributions store (and its CSV tables, when asked)
straight into the run's staging folder, and sends back only the chunk's ledger rows
and robustness grid. The client appends
them in chunk order, so the output equals a local run's, byte for byte.

Assumption, as for `python -m analysis build --scheduler`: workers and client share
a filesystem (the staging folder, the project, the data cache).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pandas as pd

from analysis.claims import ledger
from analysis.claims.ledger import Checked
from analysis.claims.output import Staging, check_and_write
from analysis.errors import AnalysisError

#: Seconds to wait for the scheduler before giving up (Dask retries a refused
#: connection until then); tests shorten it.
CONNECT_TIMEOUT = 20.0


@cache
def _tables() -> dict[str, pd.DataFrame]:
    """The tables, loaded once per worker process."""
    return ledger.load_tables()


def check_chunk(
    claims: pd.DataFrame, folder: str, robustness: bool, part: int, csv: bool
) -> Checked:
    """A Dask task: check chunk `part` on a worker and write its part of the store."""
    return check_and_write(
        claims, _tables(), Path(folder), robustness=robustness, part=part, csv=csv
    )


def check_on_dask(
    claims: pd.DataFrame, address: str, *, robustness: bool, folder: Staging, csv: bool
) -> Iterator[Checked]:
    """Every chunk's result, in chunk order, computed on the cluster at `address`."""
    from distributed import Client

    assert folder.folder is not None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except OSError as exc:
        raise AnalysisError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    with client:
        futures = [
            client.submit(check_chunk, chunk, str(folder.folder), robustness, part, csv, pure=False)
            for part, chunk in enumerate(ledger.chunks(claims))
        ]
        for future in futures:
            yield future.result()
