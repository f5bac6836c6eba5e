"""Deterministic saving: the same figure gives the same SVG and PNG bytes every time.

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

import os
import re
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from analysis.figures.theme import RC, SVG_HASHSALT

DPI = 150
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


def _write_atomic(fig: Figure, target: Path, **kwargs: object) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        fig.savefig(tmp, **kwargs)  # type: ignore[arg-type]
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def save(
    fig: Figure, output_dir: str | Path, name: str, *, close: bool = True
) -> tuple[Path, Path]:
    """Write `output_dir/figures/NAME.svg` and `NAME.png`; returns both paths.

    `name` is lower-case letters, digits, `_` and `-`, so it is a safe file name and
    URL. The figure is closed afterwards unless `close=False`, so a notebook shows
    it once (through `IPython.display`) without leaking memory across runs.
    """
    if not _NAME.fullmatch(name):
        raise ValueError(f"figure name {name!r}: expected [a-z0-9][a-z0-9_-]*")
    folder = Path(output_dir) / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    svg, png = folder / f"{name}.svg", folder / f"{name}.png"
    with plt.rc_context({"svg.hashsalt": SVG_HASHSALT, "svg.fonttype": RC["svg.fonttype"]}):
        _write_atomic(fig, svg, format="svg", metadata={"Date": None, "Creator": None})
        _write_atomic(fig, png, format="png", dpi=DPI, metadata={"Software": None})
    if close:
        plt.close(fig)
    return svg, png


def show(saved: tuple[Path, Path]) -> object:
    """The saved PNG as a notebook display object, so a notebook shows exactly the
    bytes it published (whatever matplotlib backend the kernel runs)."""
    from IPython.display import Image

    return Image(filename=str(saved[1]))
