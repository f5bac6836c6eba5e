"""Figures: one style, shared elements, deterministic saving, and one plotting
function per kind of figure the notebooks show. Plotting functions take tidy
DataFrames with documented columns and return a matplotlib Figure."""

from __future__ import annotations

from analysis.figures.save import save, show
from analysis.figures.theme import LOOKS, look, style

__all__ = ["LOOKS", "look", "save", "show", "style"]
