"""A claim's own monitor: the package sources that hold the data a claim was made from.

A claim published by a monitor whose data the package holds (Airwars, the VDC or
UCDP) cannot be independent evidence for itself: checked against its own data it
is a consistency check. The claims file's `source` names who published the
figure; it maps to package sources by whole words, case-insensitively
(`OWN_SOURCES`). A source the mapping does not know (SOHR, SNHR, a newspaper,
"unattributed") stays independent of every package source. docs/methods.md lists
the mapping.

Known drawbacks. The match is on words, so a statement that merely cites a monitor
("SOHR, citing the VDC") maps to the VDC; write the publisher alone in `source`.
"""

from __future__ import annotations

import re

import numpy as np

from analysis.intervals import Interval

#: Words in a claim's `source` -> the package sources that hold that monitor's data.
OWN_SOURCES: dict[str, tuple[str, ...]] = {
    "airwars": ("airwars",),
    "vdc": ("vdc_weekly", "vdc_daily"),
    "violations documentation center": ("vdc_weekly", "vdc_daily"),
    "violations documentation centre": ("vdc_weekly", "vdc_daily"),
    "ucdp": ("ucdp_ged", "ucdp_brd"),
    "uppsala conflict data program": ("ucdp_ged", "ucdp_brd"),
}
_PATTERNS = {
    words: re.compile(rf"(?<![\w]){re.escape(words)}(?![\w])", re.IGNORECASE)
    for words in OWN_SOURCES
}


def own_sources(source: str) -> frozenset[str]:
    """The package sources holding the data of the monitor named in `source`."""
    return frozenset(
        name
        for words, pattern in _PATTERNS.items()
        if pattern.search(source)
        for name in OWN_SOURCES[words]
    )


def own_matrix(sources: np.ndarray, names: list[str]) -> np.ndarray:
    """(claims x package sources) booleans: the source holds the claim's own data."""
    mapped = {s: own_sources(str(s)) for s in set(sources)}
    return np.array([[name in mapped[s] for name in names] for s in sources], dtype=bool).reshape(
        len(sources), len(names)
    )


def own_check(claim: Interval, own: Interval, source: str) -> str:
    """Whether a monitor's figure reproduces from its own data, with the numbers."""
    if claim.meets(own):
        return f"within: the claim's range {claim} meets {source}'s own range {own}"
    side = "above" if claim.lies_above(own) else "below"
    return f"outside: the claim's range {claim} lies {side} {source}'s own range {own}"
