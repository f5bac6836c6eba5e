"""One spelling for Syria's 14 governorates.

Sources spell governorates many ways (`Deir Ezzor`, `Deir ez-Zor`, `Deir Ez-Zour`;
`Hassakah`, `Al Hasaka`, ...), sometimes misspell them (`Aleppoo`, `Idlin`) and
sometimes name a district or town instead (`Afrin`, `Kobane`, `Ma'arat al-Numan`).
Each known spelling maps to a code of `analysis.vocabulary.GOVERNORATES`. Text that
names two governorates, a place outside Syria or nothing usable maps to None, and
the importer flags the row rather than guessing.
"""

from __future__ import annotations

import re

_SPELLINGS: dict[str, tuple[str, ...]] = {
    "aleppo": (
        "aleppo",
        "aleppoo",
        "halab",
        "afrin",
        "kobane",
        "kobani",
        "ayn al arab",
        "northern aleppo",
        "western countryside of aleppo",
    ),
    "idlib": ("idlib", "idleb", "idlin", "idib", "maarat al numan", "ma arat al numan"),
    "hama": ("hama", "hamah", "eastern hama"),
    "homs": ("homs", "hims", "homs countryside"),
    "latakia": ("latakia", "lattakia", "al ladhiqiyah", "ladhiqiyah"),
    "tartus": ("tartus", "tartous"),
    "damascus": ("damascus", "damascusus", "damasus", "damascuc", "dimashq"),
    "rif_dimashq": (
        "rif dimashq",
        "rural damascus",
        "damascus suburbs",
        "damascus countryside",
        "reef dimashq",
    ),
    "daraa": ("daraa", "dara a", "deraa", "eastern daraa"),
    "as_suwayda": ("as suwayda", "al suwayda", "suwayda", "sweida", "sweida"),
    "quneitra": ("quneitra", "al qunaitra", "qunaitra", "quneitra district"),
    "deir_ez_zor": (
        "deir ezzor",
        "deir ez zor",
        "deir ez zour",
        "deir ezzour",
        "deir al zour",
        "dayr az zawr",
    ),
    "ar_raqqah": (
        "ar raqqah",
        "raqqa",
        "raqqah",
        "ar raqqa",
        "ar raqq",
        "ara raqqah",
        "raqqa tal abyad",
        "al raqqa",
    ),
    "al_hasakah": (
        "al hasakah",
        "hasakah",
        "hassakah",
        "al hassakah",
        "hasaka",
        "al hasaka",
        "hassaka",
        "al hassaka",
        "hasakeh",
        "northern hassaka",
        "al jazeera",
    ),
}

_LOOKUP: dict[str, str] = {
    spelling: code for code, spellings in _SPELLINGS.items() for spelling in spellings
}
_SUFFIX = re.compile(r"\s+(governorate|province)$")


def _fold(text: str) -> str:
    folded = re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
    return _SUFFIX.sub("", folded)


def normalise_governorate(text: object) -> str | None:
    """The governorate code a spelling names, or None when it names none or several."""
    if not isinstance(text, str) or not text.strip():
        return None
    return _LOOKUP.get(_fold(text))
