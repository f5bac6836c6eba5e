"""One look for every figure: a matplotlib style, and a visual identity per source.

Methods. Every figure is drawn inside `style()`, a context that applies one set of
rcParams (the package's matplotlibrc, kept here as a dict so it is versioned with the
code) on the Agg backend, with DejaVu Sans, the font matplotlib ships, so a figure
does not depend on the fonts of the machine that drew it. Each source has a colour,
a marker, a line style and a hatch (`LOOKS`): the colours differ in lightness as well
as hue (checked by `tests/test_figures.py`), and the markers, dashes and hatches
differ too, so a figure printed in greyscale or read by a colour-blind reader still
tells the sources apart. Colours come from the Okabe-Ito palette.

Known drawbacks. Six lightness steps of about 0.07-0.14 in relative luminance are
distinguishable but not striking in grey; the markers, dashes and hatches carry the
distinction on a greyscale print.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

import matplotlib

# Agg draws every figure the same way on every machine. A notebook kernel's inline
# backend (named in MPLBACKEND by ipykernel) is Agg-based too and is kept, so
# figures still show in JupyterLab.
if "inline" not in os.environ.get("MPLBACKEND", ""):
    matplotlib.use("Agg")

import matplotlib.pyplot as plt

from analysis.labels import first_upper, word

#: Fixed salt for SVG element ids; without it every save draws new random ids.
SVG_HASHSALT = "analysis-figures"

RC: dict[str, Any] = {
    "backend": "Agg",
    "figure.figsize": (8.0, 4.8),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "standard",
    "font.family": "DejaVu Sans",
    "font.size": 9.5,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9.5,
    "axes.grid": True,
    "axes.axisbelow": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "grid.color": "#d9d9d9",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 8.5,
    "lines.linewidth": 1.6,
    "lines.markersize": 5,
    "hatch.linewidth": 0.8,
    "svg.hashsalt": SVG_HASHSALT,
    "svg.fonttype": "path",
    "path.simplify": False,
    "image.cmap": "cividis",
}


@dataclass(frozen=True)
class Look:
    """How one source (or series) is drawn: colour, marker, line style, hatch."""

    label: str
    color: str
    marker: str
    linestyle: str
    hatch: str


#: Per source. Lightness rises in steps of at least 0.07 (relative luminance), so
#: neighbours differ in grey too; markers and hatches all differ.
LOOKS: dict[str, Look] = {
    "article": Look("The article (SOHR figures)", "#000000", "*", "-", ""),
    "sohr": Look(word("source", "sohr"), "#882255", "s", "--", "\\\\"),
    "airwars": Look("Airwars", "#0072B2", "o", "-", "//"),
    "vdc": Look(word("source", "vdc"), "#44AA99", "^", "-.", "xx"),
    "ucdp": Look(word("source", "ucdp"), "#E69F00", "D", ":", ".."),
    "evidence": Look("Combined evidence", "#FDB863", "P", "-", "++"),
}

#: Victim categories, for bars within one source; same rule as `LOOKS`.
CATEGORY_LOOKS: dict[str, Look] = {
    code: Look(first_upper(word("category", code)), color, marker, dashes, hatch)
    for code, color, marker, dashes, hatch in (
        ("civilians", "#1A3A6B", "o", "-", "//"),
        ("children", "#D55E00", "s", "--", "\\\\"),
        ("women", "#44AA99", "^", "-.", "xx"),
        ("civilian_men", "#E69F00", "D", ":", ".."),
        ("civilians_injured", "#FDB863", "P", "-", "++"),
    )
}


#: Each look's colour as a caption names it.
COLOUR_NAMES: dict[str, str] = {
    "#000000": "black",
    "#882255": "wine-red",
    "#0072B2": "blue",
    "#44AA99": "teal",
    "#E69F00": "orange",
    "#FDB863": "light orange",
    "#1A3A6B": "dark blue",
    "#D55E00": "vermilion",
}


def colour(key: str) -> str:
    """The colour of a source's or category's look in words (`blue`), for captions."""
    return COLOUR_NAMES[look(key).color]


def who(perpetrator: str) -> str:
    """A perpetrator code as words for a title (`us_led_coalition` -> the US-led coalition)."""
    return word("perpetrator", perpetrator)


def look(key: str) -> Look:
    """The look of a source or category key; unknown keys fail loudly."""
    if key in LOOKS:
        return LOOKS[key]
    if key in CATEGORY_LOOKS:
        return CATEGORY_LOOKS[key]
    known = ", ".join([*LOOKS, *CATEGORY_LOOKS])
    raise KeyError(f"no figure look for {key!r}; known: {known}")


def luminance(color: str) -> float:
    """Relative luminance (WCAG) of a colour: what a greyscale print keeps."""
    red, green, blue = matplotlib.colors.to_rgb(color)

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


@contextmanager
def style() -> Iterator[None]:
    """Draw inside this context so every figure shares one style."""
    with plt.rc_context(cast(Any, RC)):
        yield
