"""Who documented a record: links and outlet names mapped to a controlled list of monitors.

Why. Sources that copy one another are not independent: UCDP GED's Syria events are
built mostly from SOHR, the monitor behind the article's claims, and many Airwars
incidents rest on SOHR's or the VDC's reports. To say how much of a number rests on
the claimant, every record carries `cites`, the monitors its sources name.

Assumptions. The vocabulary is the committed file `data/raw/monitors.csv`, one rule a
row: `monitor` (one of `MONITORS`), `match` and `pattern`. Three kinds of match:
- `domain`: a link's host, lowercased without `www.`, `m.` or `mobile.`, equals the
  pattern or ends with `.` + pattern (`mil.ru` covers `eng.mil.ru`);
- `account`: host and first path segment, e.g. `twitter.com/syriahr`, for a monitor's
  own page on a social network;
- `name`: a case-insensitive regular expression that must match the whole of an
  outlet's name as written (a GED `source_office`, an Airwars source's name or link
  text), after trimming quotes, `@`, `#` and a trailing ` (2)`.

A link resolves, in this order, to its account; its domain unless that domain is a
social network or `other`; its name; its domain. A link or name no rule matches maps
to `other` and is counted as unmapped (`Unmapped`): it never fails an import.

Known drawbacks. A link names where a record was published, not every source an
analyst used; an archived copy (`archive.is`) or a shortened link hides its
original and reads as `other`. A record with no captured source is `unknown`, never
independent.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from analysis import paths
from analysis.errors import RawFileError

#: The monitor ids, in the order the report lists them.
MONITORS = (
    "sohr",
    "snhr",
    "vdc",
    "lcc",
    "syria_civil_defence",
    "airwars",
    "russian_mod",
    "news_agency",
    "local_media",
    "social_media",
    "other",
)
#: `cites` of a record whose sources were not captured.
UNKNOWN = "unknown"
#: Kinds of match a vocabulary row may use.
MATCHES = ("domain", "account", "name")
#: Separator of monitor ids in `cites`.
SEPARATOR = "|"

_GENERIC = ("social_media", "other")
_HOST_PREFIXES = ("www.", "m.", "mobile.")
_TRIM = re.compile(r"^[\s'\"@#\u200b]+|[\s.:,;\u200b]+$|\s*\(\d+\)$")


@dataclass(frozen=True)
class Vocabulary:
    """The rules of `monitors.csv`, indexed for lookup."""

    domains: dict[str, str]
    accounts: dict[str, str]
    names: tuple[tuple[re.Pattern[str], str], ...]


@dataclass
class Unmapped:
    """Values no rule matched, counted: what `python -m analysis import` reports."""

    values: Counter[str] = field(default_factory=Counter)

    def add(self, value: str) -> None:
        self.values[value] += 1

    def log_entry(self, rows: int, what: str) -> dict[str, object]:
        """An import-log entry: `rows` records cite an unmapped value."""
        return {
            "flag": "cites_unmapped",
            "rows": rows,
            "values": dict(self.values.most_common(50)),
            "action": f"{what} no rule of data/raw/monitors.csv matches: cited as 'other'",
        }


def load_vocabulary(path: Path = paths.MONITORS) -> Vocabulary:
    """The vocabulary file, checked: known monitors and kinds, valid patterns, no
    pattern given to two monitors."""
    try:
        raw = pd.read_csv(path, dtype="string", keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise RawFileError(f"{path}: not a readable CSV: {exc}") from exc
    missing = {"monitor", "match", "pattern"} - set(raw.columns)
    if missing:
        raise RawFileError(f"{path}: missing column(s) {sorted(missing)}")
    domains: dict[str, str] = {}
    accounts: dict[str, str] = {}
    names: list[tuple[re.Pattern[str], str]] = []
    for line, row in enumerate(raw.itertuples(index=False), start=2):
        monitor, match, pattern = str(row.monitor), str(row.match), str(row.pattern).strip()
        if monitor not in MONITORS or match not in MATCHES or not pattern:
            raise RawFileError(
                f"{path}: line {line}: expected a monitor of {MONITORS}, a match of {MATCHES} "
                f"and a pattern; found {monitor!r}, {match!r}, {pattern!r}"
            )
        if match == "name":
            try:
                names.append((re.compile(pattern, re.IGNORECASE), monitor))
            except re.error as exc:
                raise RawFileError(f"{path}: line {line}: bad pattern {pattern!r}: {exc}") from exc
            continue
        index = domains if match == "domain" else accounts
        key = pattern.lower()
        if index.get(key, monitor) != monitor:
            raise RawFileError(f"{path}: line {line}: {key!r} given to {index[key]} and {monitor}")
        index[key] = monitor
    return Vocabulary(domains, accounts, tuple(names))


@cache
def vocabulary() -> Vocabulary:
    """The committed vocabulary, read once."""
    return load_vocabulary()


def host(url: str) -> str | None:
    """A link's host, lowercased, without `www.`/`m.`/`mobile.`; None when it has none."""
    try:
        found = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not found:
        return None
    for prefix in _HOST_PREFIXES:
        found = found.removeprefix(prefix)
    return found


def _account(url: str, at: str) -> str | None:
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return None
    first = next((s for s in path.split("/") if s), None)
    return f"{at}/{first.lower()}" if first else None


def _domain(at: str, vocab: Vocabulary) -> str | None:
    parts = at.split(".")
    for i in range(len(parts) - 1):
        found = vocab.domains.get(".".join(parts[i:]))
        if found:
            return found
    return None


def clean_name(text: str) -> str:
    """An outlet's name as matched: trimmed of quotes, `@`, `#` and a trailing `(2)`."""
    return " ".join(_TRIM.sub("", text).split())


def of_name(text: str | None, unmapped: Unmapped | None = None) -> str | None:
    """The monitor an outlet's name (a GED `source_office`, a claim's `source`) stands
    for; None for an empty name; `other`, counted in `unmapped`, when no rule matches."""
    if text is None or not isinstance(text, str):
        return None
    name = clean_name(text)
    if not name:
        return None
    for pattern, monitor in vocabulary().names:
        if pattern.fullmatch(name):
            return monitor
    if unmapped is not None:
        unmapped.add(name)
    return "other"


def of_link(
    url: str | None, name: str | None = None, unmapped: Unmapped | None = None
) -> str | None:
    """The monitor a link stands for, helped by its name or link text; None when both
    are empty; `other`, counted in `unmapped` by host, when no rule matches."""
    vocab = vocabulary()
    at = host(url) if isinstance(url, str) else None
    if at is None:
        return of_name(name, unmapped)
    account = _account(url or "", at)
    if account and account in vocab.accounts:
        return vocab.accounts[account]
    by_domain = _domain(at, vocab)
    if by_domain is not None and by_domain not in _GENERIC:
        return by_domain
    by_name = of_name(name) if name else None
    if by_name is not None and by_name != "other":
        return by_name
    if by_domain is not None:
        return by_domain
    if unmapped is not None:
        unmapped.add(at)
    return "other"


def cites(monitors: Iterable[str | None]) -> str:
    """`cites` of a record: its monitors sorted and joined by `|`, or `unknown`."""
    found = sorted({m for m in monitors if m})
    return SEPARATOR.join(found) if found else UNKNOWN


#: The `source` of a claim or figure no one is named for.
UNATTRIBUTED = "unattributed"


def claimant(source: str | None) -> str:
    """The monitor a claim's or published figure's `source` names (`SOHR` -> `sohr`);
    `unknown` when it names no one (`unattributed`, or empty), since no record can then
    be shown to cite it; `other` for a name the vocabulary does not know."""
    if isinstance(source, str) and source.strip().lower() == UNATTRIBUTED:
        return UNKNOWN
    return of_name(source) or UNKNOWN


def monitors_of(cited: str) -> frozenset[str]:
    """The monitor ids of a `cites` value (empty for `unknown`)."""
    return frozenset() if cited == UNKNOWN else frozenset(cited.split(SEPARATOR))


#: What a `cites` value looks like: `unknown`, or sorted monitor ids joined by `|`.
CITES_PATTERN = rf"^({UNKNOWN}|({'|'.join(MONITORS)})(\|({'|'.join(MONITORS)}))*)$"
