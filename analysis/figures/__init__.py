"""Figures: one style, shared elements, deterministic saving, and one plotting
function per kind of figure the notebooks show. Plotting functions take tidy
DataFrames with documented columns and return a `Chart`: the matplotlib figure
with its caption and alt text, written from the data drawn (see `save`)."""

from __future__ import annotations

from analysis.figures.save import Chart, save, show
from analysis.figures.theme import LOOKS, look, style

__all__ = ["LOOKS", "Chart", "look", "save", "show", "style"]
