"""Deterministic saving: the same figure gives the same SVG, PNG and caption bytes
every time, and every saved figure carries its caption and alt text.

The API every figure uses. A plotting function returns a `Chart`: the matplotlib
figure with its `caption` (how to read it, for the page under the figure) and its
`alt` text (what it shows, with its key numbers, for a reader who cannot see it),
both written from the data it draws. `save(chart, output_dir, name)` writes
`figures/NAME.svg`, `NAME.png` and `NAME.json` (`{"alt": ..., "caption": ...}`),
which the report reads; a bare matplotlib figure is refused, so no published
figure lacks either text.

Methods. matplotlib embeds three things that change from one save to the next or
from one machine to another: random ids in SVG (fixed by `svg.hashsalt`), a creation
date in SVG (dropped with `metadata={"Date": None}`) and its own version string in
both (`Creator` in SVG, `Software` in PNG, dropped). The resolution is fixed and the
Agg backend renders the PNG, so the pixels depend only on matplotlib and FreeType.
Files are written to a temporary name and renamed, so a half-written figure never
looks finished.

Known drawbacks. Byte identity holds for one matplotlib/FreeType pair; another
version may move a glyph by a pixel. The lock file pins the pair.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from analysis.atomic import write_atomic, write_text_atomic
from analysis.figures.theme import RC, SVG_HASHSALT

DPI = 150
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


@dataclass(frozen=True)
class Chart:
    """A figure with its words: `caption` says how to read it, `alt` what it shows."""

    figure: Figure
    caption: str
    alt: str

    def __post_init__(self) -> None:
        if not self.caption.strip() or not self.alt.strip():
            raise ValueError("a chart needs a caption and an alt text")


def save(
    chart: Chart, output_dir: str | Path, name: str, *, close: bool = True
) -> tuple[Path, Path]:
    """Write `output_dir/figures/NAME.svg`, `NAME.png` and `NAME.json` (caption and
    alt text); returns the SVG and PNG paths.

    `name` is lower-case letters, digits, `_` and `-`, so it is a safe file name and
    URL. The figure is closed afterwards unless `close=False`, so a notebook shows
    it once (through `IPython.display`) without leaking memory across runs.
    """
    if not isinstance(chart, Chart):
        raise TypeError(
            f"figures.save({name!r}): expected a Chart (figure, caption, alt), found "
            f"{type(chart).__name__}; return Chart(fig, caption=..., alt=...) from the "
            "plotting function"
        )
    if not _NAME.fullmatch(name):
        raise ValueError(f"figure name {name!r}: expected [a-z0-9][a-z0-9_-]*")
    folder = Path(output_dir) / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    svg, png = folder / f"{name}.svg", folder / f"{name}.png"
    fig = chart.figure
    with plt.rc_context({"svg.hashsalt": SVG_HASHSALT, "svg.fonttype": RC["svg.fonttype"]}):
        svg_metadata = {"Date": None, "Creator": None}
        write_atomic(svg, lambda tmp: fig.savefig(tmp, format="svg", metadata=svg_metadata))
        png_metadata = {"Software": None}
        write_atomic(
            png, lambda tmp: fig.savefig(tmp, format="png", dpi=DPI, metadata=png_metadata)
        )
    words = {"alt": chart.alt, "caption": chart.caption}
    text = json.dumps(words, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    write_text_atomic(folder / f"{name}.json", text)
    if close:
        plt.close(fig)
    return svg, png


def show(saved: tuple[Path, Path]) -> object:
    """The saved PNG as a notebook display object, so a notebook shows exactly the
    bytes it published (whatever matplotlib backend the kernel runs)."""
    from IPython.display import Image

    return Image(filename=str(saved[1]))
