"""Keeping the names of the dead out of every output.

The Airwars case records list named victims. No column of the tidy table is
taken from those lists, but some free-text locations name a person ("the home of
..."), so the importer empties any location holding a victim's name. This module
collects the names and searches text (locations, reports, committed files) for
them; tests use it to prove that no output holds one.

Method. Names are folded (case-folded, punctuation to spaces, whitespace
collapsed) and searched as whole word sequences, so a name never matches inside
a longer word. Only names of two or more words are searched, and words that
describe rather than name ("member", "family", "unnamed", ...) do not count
towards the two: a lone given name such as "Mohammed" identifies no one and
would match ordinary text.

Known drawbacks. A victim recorded under a one-word name is not searched; a name
spelled differently in an output than in the archive is not found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_NAME_KEYS = ("الاسم المحلي", "الاسم الأصلي/المنقول")
_DESCRIPTIVE = frozenset(
    "member members family of the a an and from unnamed unknown unidentified victim victims "
    "child children woman women man men son daughter wife husband mother father brother "
    "sister baby infant girl boy one two three person people also known as".split()
)
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Case-folded words separated by single spaces."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


def _is_searchable(folded: str) -> bool:
    words = folded.split()
    return sum(1 for w in words if w not in _DESCRIPTIVE and not w.isdigit()) >= 2


class NameSet(frozenset[str]):
    """Folded names, with the word counts they come in and the words they start with,
    worked out once for the search."""

    sizes: frozenset[int]
    firsts: frozenset[str]

    def __new__(cls, names: Iterable[str] = ()) -> NameSet:
        made = super().__new__(cls, names)
        made.sizes = frozenset(len(n.split()) for n in made)
        made.firsts = frozenset(n.split()[0] for n in made)
        return made


def names_from_victims(victim_lists: Iterable[list[dict[str, Any]]]) -> NameSet:
    """Folded names of two or more naming words, from the archive's victim lists."""
    found = set()
    for victims in victim_lists:
        for victim in victims:
            for key in _NAME_KEYS:
                value = victim.get(key)
                if isinstance(value, str) and _is_searchable(folded := fold(value)):
                    found.add(folded)
    return NameSet(found)


def airwars_victim_names() -> NameSet:
    """Every searchable victim name in the verified raw Airwars archive."""
    from analysis import sources
    from analysis.importers import airwars_archive

    blob = airwars_archive.reassemble(sources.ensure("airwars"))
    records = airwars_archive.read_case_records(blob, keys=("victims",))
    return names_from_victims(r["victims"] for r in records)


def find_names(text: str, names: NameSet) -> set[str]:
    """The names that occur in `text` as whole word sequences."""
    if not names:
        return set()
    words = fold(text).split()
    hits = set()
    for start, word in enumerate(words):
        if word not in names.firsts:  # most words start no name: one set look-up
            continue
        for size in names.sizes:
            candidate = " ".join(words[start : start + size])
            if candidate in names:
                hits.add(candidate)
    return hits


def scan_files(files: Iterable[Path], names: NameSet) -> dict[Path, int]:
    """Files whose text holds any name, with how many names (never the names)."""
    leaks = {}
    for path in files:
        try:
            text = path.read_text(encoding="utf-8", errors="ignore")
        except OSError:
            continue
        hits = find_names(text, names)
        if hits:
            leaks[path] = len(hits)
    return leaks
