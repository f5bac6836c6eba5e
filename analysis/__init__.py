"""Re-examining casualty claims about Russian air strikes in Syria against
independent public data: sources, tidy tables, metrics, claims, figures, reports."""

from __future__ import annotations

from analysis.tables import TABLES, load

__version__ = "0.1.0"
__all__ = ["TABLES", "__version__", "load"]
