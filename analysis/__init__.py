"""Re-examining casualty claims about Russian air strikes in Syria against
independent public data: sources, tidy tables, metrics, claims, figures, reports.

`load` and `TIDY_TABLES` are imported on first use, so that commands which need no
table (a no-op build) do not pay for importing pandas.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["TIDY_TABLES", "__version__", "load"]


def __getattr__(name: str) -> Any:
    if name in ("TIDY_TABLES", "load"):
        from analysis import tables

        return getattr(tables, name)
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")
