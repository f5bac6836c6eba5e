"""Place names brought to one spelling, so that Splink can compare them.

Airwars writes an English place name, often with its district or city ("Bustan al
Qasr (Aleppo)", "village of Khirab Ashk in the Kobani countryside"); UCDP GED writes
the place its coordinates stand for with a kind of place ("Ein Laroz town") and a
second-order unit ("Ariha district"). Both transliterate Arabic, so the same village
is spelt "Hazza" and "Hezzeh".

Steps: fold accents to ASCII, lower-case, drop apostrophes (so "Ma'arbo" is one
word), split on anything that is not a letter or digit, and drop words that name a
kind of place, a direction or an Arabic article (`STOP_WORDS`). The *place* is what
is left of the text before its first comma or bracket; the *tokens* are every word
left in the whole text.

Known drawbacks. Transliteration variants that differ in more than a letter or two
("Hazza"/"Hezzeh") are left to the string similarity Splink computes; a place whose
name is only stop words (e.g. "the old city") has no place and no tokens.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

STOP_WORDS = frozenset(
    """
    al el ar as ash ad az at an of the and in on near
    village town city district countryside neighbourhood neighborhood suburb sector
    area camp outskirts road highway mintaqat markaz governorate province rural
    north south east west northern southern eastern western
    """.split()
)

_WORD = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['`\u2019\u2018\u02bc]")


def _fold(text: object) -> str | None:
    if text is None or text is pd.NA or (isinstance(text, float) and text != text):
        return None
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return _APOSTROPHES.sub("", ascii_text.lower())


def tokens(text: object) -> list[str]:
    """The words of a place text, less stop words and bare numbers."""
    folded = _fold(text)
    if folded is None:
        return []
    return [w for w in _WORD.split(folded) if w and w not in STOP_WORDS and not w.isdigit()]


def place(text: object) -> str | None:
    """The place a text names: its words before the first comma or bracket."""
    folded = _fold(text)
    if folded is None:
        return None
    head = re.split(r"[,(]", folded, maxsplit=1)[0]
    return " ".join(tokens(head)) or None
