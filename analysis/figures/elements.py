"""Pieces every figure shares: a source line, ranges drawn as ranges, event markers.

Why. A reader of a casualty figure must see where each number comes from and how
uncertain it is. `source_note` writes the sources on the figure itself, so the PNG
carries them when it travels alone; `range_bars` and `range_band` draw a low-high
interval as a bar or band (never only a midpoint); `mark_events` draws dated events
(ceasefires, sieges) as labelled vertical lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from analysis.figures.theme import look


def new_figure(
    height: float = 4.8, width: float = 8.0, bottom: float = 0.22
) -> tuple[Figure, Axes]:
    """A one-axes figure with room at the bottom for the source note."""
    fig, ax = plt.subplots(figsize=(width, height))
    fig.subplots_adjust(bottom=bottom, left=0.14, right=0.97, top=0.9)
    return fig, ax


def source_note(fig: Figure, text: str) -> None:
    """Write `Sources: ...` in small type under the axes, left-aligned."""
    fig.text(
        0.01,
        0.01,
        f"Sources: {text}",
        ha="left",
        va="bottom",
        fontsize=7.5,
        color="#333333",
        wrap=True,
    )


def thousands(ax: Axes, axis: str = "y") -> None:
    """Format an axis' ticks as whole numbers with thousands separators."""
    formatter = FuncFormatter(lambda value, _pos: f"{value:,.0f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def _numeric(positions: Sequence | pd.Series) -> np.ndarray:
    """Positions as floats; dates become matplotlib date numbers (days)."""
    values = pd.Series(positions)
    if pd.api.types.is_datetime64_any_dtype(values):
        return np.asarray(mdates.date2num(values.to_numpy()), dtype=float)
    return values.to_numpy(dtype=float)


def range_bars(
    ax: Axes,
    positions: Sequence[float],
    low: Sequence[float],
    high: Sequence[float],
    key: str,
    *,
    width: float = 0.6,
    horizontal: bool = False,
    label: str | None = None,
) -> None:
    """Draw each interval [low, high] as a hatched floating bar with whiskers' caps.

    A zero-width interval (low == high > 0) is drawn as a marker, so an exact figure
    is visible and not an empty bar.
    """
    style = look(key)
    lows = np.asarray(low, dtype=float)
    highs = np.asarray(high, dtype=float)
    where = _numeric(positions)
    spans = highs - lows
    common: dict[str, Any] = {
        "color": style.color,
        "alpha": 0.35,
        "hatch": style.hatch,
        "edgecolor": style.color,
        "linewidth": 1.0,
        "label": label or style.label,
    }
    if horizontal:
        ax.barh(where, spans, left=lows, height=width, **common)
    else:
        ax.bar(where, spans, bottom=lows, width=width, **common)
    ends = np.concatenate([lows, highs])
    at = np.concatenate([where, where])
    if horizontal:
        ax.plot(ends, at, linestyle="none", marker="|", markersize=12, color=style.color)
    else:
        ax.plot(at, ends, linestyle="none", marker="_", markersize=12, color=style.color)
    exact = (spans == 0) & (highs > 0)  # a zero count needs no marker
    if exact.any():
        xs, ys = (lows[exact], where[exact]) if horizontal else (where[exact], lows[exact])
        ax.plot(xs, ys, linestyle="none", marker=style.marker, markersize=8, color=style.color)


def range_band(
    ax: Axes,
    x: Iterable,
    low: Iterable[float],
    high: Iterable[float],
    key: str,
    *,
    label: str | None = None,
    line: bool = True,
) -> None:
    """Draw a series' range as a hatched band, with both edges drawn as lines."""
    style = look(key)
    xs, lows, highs = list(x), np.asarray(list(low), float), np.asarray(list(high), float)
    ax.fill_between(
        xs,
        lows,
        highs,
        color=style.color,
        alpha=0.25,
        hatch=style.hatch,
        edgecolor=style.color,
        linewidth=0,
        label=label or style.label,
    )
    if line:
        for edge in (lows, highs):
            ax.plot(xs, edge, color=style.color, linestyle=style.linestyle, linewidth=1.0)


def series(
    ax: Axes,
    x: Iterable,
    y: Iterable[float],
    key: str,
    *,
    label: str | None = None,
    markevery: int | None = None,
) -> None:
    """Draw one source's series with its colour, marker and line style."""
    style = look(key)
    ax.plot(
        list(x),
        list(y),
        color=style.color,
        linestyle=style.linestyle,
        marker=style.marker,
        markevery=markevery,
        label=label or style.label,
    )


def mark_events(ax: Axes, events: pd.DataFrame) -> None:
    """Draw dated events (columns `date`, `label`) as dotted lines labelled at the top.

    Labels alternate between two heights so that events a few weeks apart do not
    overlap, and sit left of their line in the right third of the axes so that they
    stay inside it. A line that would cross another event's label stops just below
    it, so no line runs through a label. Call after the x and y limits are set.
    """
    top = ax.get_ylim()[1]
    left, right = ax.get_xlim()
    placed = []
    for i, row in enumerate(events.sort_values("date").itertuples(index=False)):
        at = mdates.date2num(row.date)
        flip = (at - left) / (right - left) > 0.66
        label = ax.text(
            row.date,
            top * (0.98 if i % 2 == 0 else 0.91),
            f"{row.label} " if flip else f" {row.label}",
            ha="right" if flip else "left",
            va="top",
            fontsize=7.5,
            color="#333333",
        )
        placed.append((row.date, (at - left) / (right - left), label))
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    to_axes = ax.transAxes.inverted()
    boxes = [label.get_window_extent(renderer).transformed(to_axes) for *_, label in placed]
    for j, (date, x, _) in enumerate(placed):
        crossed = [b.y0 for k, b in enumerate(boxes) if k != j and b.x0 <= x <= b.x1]
        ax.axvline(
            date,
            ymax=min(crossed, default=1.0) - 0.01,
            color="#555555",
            linestyle=(0, (1, 2)),
            linewidth=1.0,
        )


def month_axis(ax: Axes) -> None:
    """Month ticks labelled `Oct 2015`, every second or third month when crowded."""
    span = np.diff(ax.get_xlim())[0]
    step = 1 if span < 200 else 2 if span < 500 else 6
    ax.xaxis.set_major_locator(mdates.MonthLocator(interval=step))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    for label in ax.get_xticklabels():
        label.set_rotation(30)
        label.set_horizontalalignment("right")


def day_axis(ax: Axes) -> None:
    """Ticks on Mondays labelled `19 Sep`, for periods of a few weeks."""
    ax.xaxis.set_major_locator(mdates.WeekdayLocator(byweekday=mdates.MO))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b %Y"))
    for label in ax.get_xticklabels():
        label.set_rotation(30)
        label.set_horizontalalignment("right")
