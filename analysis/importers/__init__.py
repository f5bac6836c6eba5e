"""One module per source: raw bytes to one validated tidy table.

Each module exposes `SPEC`, an `ImporterSpec` naming the manifest source it reads,
a `read` function from verified local files to a DataFrame, and the pandera
schema the result must satisfy. `analysis.tables.load` is the only caller.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    import pandera.pandas as pa


@dataclass(frozen=True)
class ImporterSpec:
    """How one tidy table is made."""

    name: str
    description: str
    #: manifest source whose files `read` receives, or None for committed inputs
    source: str | None
    read: Callable[[list[Path]], pd.DataFrame]
    schema: pa.DataFrameSchema
    #: committed files read in addition to (or instead of) manifest files
    committed_inputs: tuple[Path, ...] = field(default_factory=tuple)
