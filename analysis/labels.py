"""Words for every code and column a reader meets, and numbers as a reader writes them.

Why. The package's tables speak in codes (`within_evidence`, `us_led_coalition`,
`evidence_low`) so that programs can read them; people should not have to. This one
module turns codes into words for the report's HTML tables, for the figures'
titles, legends and captions, and for the landing page's sentences, so a code reads
the same wherever it appears. It imports nothing heavy: the report renders without
pandas.

- `word(kind, code)`: a code of one vocabulary (`perpetrator`, `category`, `area`,
  `governorate`, `verdict`, `role`, `source`, `qualifier`, `kind`, `robustness`,
  `monitor`, `independence`) in words (an area that is a governorate reads `Raqqa
  governorate`); an unknown code reads as itself with spaces for underscores.
- `column(name)`: a table column as a header.
- `count(x)`: a count with thousands separators (`3,804`); `amount(x)`: a count, or
  a decimal when `x` is not whole; `span(low, high)`: a
  range with its open ends written out (`2,554 to 7,563`, `at least 230,270, no
  upper bound`, `more than 2,746`).
- `claim(figure, qualifier, category)`: a claim as printed (`about 4,000 civilians`).
- `day(when)`: a date as `30 Sep 2016`.

Known drawbacks. The words are English only. A count is printed whole: a
fractional value (a share, an index) is printed with `decimal` instead.
"""

from __future__ import annotations

import math
from datetime import date

from analysis.vocabulary import GOVERNORATES

WORDS: dict[str, dict[str, str]] = {
    "perpetrator": {
        "russia": "Russia",
        "syrian_government": "the Syrian government",
        "russia_or_syrian_government": "Russia or the Syrian government",
        "us_led_coalition": "the US-led coalition",
        "turkey": "Turkey",
        "all": "any party",
    },
    "category": {
        "total": "people",
        "people": "people",
        "civilians": "civilians",
        "children": "children",
        "women": "women",
        "civilian_men": "civilian men",
        "fighters": "fighters",
        "is_fighters": "Islamic State fighters",
        "other_fighters": "rebel and other fighters",
        "civilians_injured": "civilians injured",
    },
    "area": {
        "syria": "Syria",
        "east_aleppo": "East Aleppo",
        "aleppo_city": "Aleppo city",
        "aleppo": "Aleppo governorate",
    },
    # the vocabulary's names, two of them shortened for sentences
    "governorate": {**GOVERNORATES, "rif_dimashq": "Rif Dimashq", "ar_raqqah": "Raqqa"},
    "verdict": {
        "within_evidence": "consistent with what sources document",
        "above_evidence": "above what sources document",
        "below_evidence": "below what sources document",
        "sources_disagree": "the sources disagree with each other",
        "not_checkable": "no source can check it",
    },
    "role": {
        "both": "lower and upper bound",
        "lower": "lower bound only",
        "upper": "upper bound only",
        "none": "cannot say",
        "context": "context only, not evidence",
        "own": "the claimant's own figures",
    },
    "source": {
        "airwars": "Airwars incidents",
        "ucdp_ged": "UCDP georeferenced events",
        "ucdp_brd": "UCDP battle deaths by year",
        "vdc_weekly": "VDC weekly records",
        "vdc_daily": "VDC daily counts (July 2016)",
        "vdc": "VDC",
        "ucdp": "UCDP",
        "sohr": "SOHR",
        "article": "the article",
    },
    "qualifier": {
        "exact": "",
        "about": "about",
        "almost": "almost",
        "at_least": "at least",
        "more_than": "more than",
        "up_to": "up to",
    },
    "kind": {
        "count": "documented count",
        "min": "minimum",
        "max": "maximum",
        "estimate": "estimate of the total",
    },
    "robustness": {
        "robust": "holds under every counting rule",
        "rule_dependent": "depends on the counting rule",
    },
    "period": {"before": "before", "after": "after"},
    "monitor": {
        "sohr": "SOHR",
        "snhr": "SNHR",
        "vdc": "VDC",
        "lcc": "Local Coordination Committees",
        "syria_civil_defence": "Syria Civil Defence (White Helmets)",
        "airwars": "Airwars",
        "russian_mod": "the Russian Ministry of Defence",
        "news_agency": "news agencies and international media",
        "local_media": "Syrian local media",
        "social_media": "social media",
        "other": "other sources",
        "unknown": "sources not captured",
    },
    "independence": {
        "independent": "independent of Airwars",
        "mixed": "Airwars and other sources",
        "circular": "Airwars' own reports only",
    },
}

#: Short verdicts with a shape, so a verdict never rests on colour: the shape is
#: drawn in figures and pages beside the words.
VERDICT_SHAPES: dict[str, str] = {
    "within_evidence": "●",
    "above_evidence": "▲",
    "below_evidence": "▼",
    "sources_disagree": "◆",
    "not_checkable": "○",
}
VERDICT_SHORT: dict[str, str] = {
    "within_evidence": "consistent with the evidence",
    "above_evidence": "above the evidence",
    "below_evidence": "below the evidence",
    "sources_disagree": "sources disagree",
    "not_checkable": "not checkable",
}

#: Column headers. A pair `X_low`, `X_high` (or `low`, `high`) is shown as one
#: range column headed by `X` (or `range`).
COLUMNS: dict[str, str] = {
    "claim_id": "Claim",
    "statement": "What the claim says",
    "perpetrator": "Perpetrator",
    "category": "Who was killed",
    "area": "Area",
    "period_start": "From",
    "period_end": "To",
    "figure": "Figure",
    "qualifier": "Wording",
    "claim": "Claim's range",
    "claim_range": "Claim's range",
    "source": "Source",
    "sources": "Sources that speak",
    "role": "What the source can say",
    "range": "Range (low to high)",
    "independent_part": "Of it, independent of the claimant",
    "claimant_part": "Of it, citing the claimant",
    "unknown_part": "Of it, sources unknown",
    "basis": "How it was counted",
    "coverage": "What the source covers",
    "evidence": "Evidence range",
    "verdict": "Verdict",
    "reason": "Why",
    "robustness": "Robustness",
    "robustness_detail": "How the verdict moves with the counting rule",
    "own_check": "Check of the claimant's own figures",
    "contributions": "Records behind the numbers",
    "records": "Records",
    "incidents": "Incidents (low to high)",
    "cum": "Cumulative (low to high)",
    "ucdp": "UCDP battle deaths (low to high)",
    "ucdp_best": "UCDP best estimate",
    "cum_ucdp": "UCDP, summed from the first year",
    "vdc_deaths": "VDC documented deaths",
    "cum_vdc": "VDC, summed from the first year",
    "deaths": "Deaths",
    "cum_deaths": "Deaths, cumulative",
    "month": "Month",
    "middle": "Drawn at",
    "date": "Date",
    "year": "Year",
    "start": "From",
    "end": "To",
    "first": "First date",
    "last": "Last date",
    "days": "Days",
    "low_per_day": "Per day, low",
    "high_per_day": "Per day, high",
    "per_day": "Per day",
    "period": "Period",
    "measure": "Measure",
    "of_minimums": "Over minimums alone",
    "of_maximums": "Over maximums alone",
    "unit": "Unit",
    "note": "Note",
    "monitor": "Published by",
    "figure_id": "Published figure",
    "kind": "Kind",
    "previous_end": "Previous tally's date",
    "increment": "Added since the previous tally",
    "decreasing": "Total fell?",
    "record_id": "Record",
    "low_added": "Adds to the low end",
    "high_added": "Adds to the high end",
    "counts": "Counts toward",
    "why": "Why",
    "url": "Page",
    "upstream": "Upstream record",
    "cites": "Sources cited",
    "independence": "Independence",
}
#: Columns holding codes of a vocabulary of `WORDS`.
CODED: dict[str, str] = {
    "perpetrator": "perpetrator",
    "category": "category",
    "area": "area",
    "governorate": "governorate",
    "verdict": "verdict",
    "role": "role",
    "source": "source",
    "qualifier": "qualifier",
    "kind": "kind",
    "robustness": "robustness",
    "period": "period",
}


def first_upper(text: str) -> str:
    """`text` with its first letter in upper case (`US-led` stays as it is)."""
    return text[:1].upper() + text[1:]


def word(kind: str, code: str) -> str:
    """A code of vocabulary `kind` in words; published-figure sources (`published:P001`)
    read as `published figure P001`."""
    if kind == "source" and code.startswith("published:"):
        return f"published figure {code.split(':', 1)[1]}"
    if kind == "area" and code not in WORDS["area"] and code in WORDS["governorate"]:
        return f"{WORDS['governorate'][code]} governorate"
    return WORDS.get(kind, {}).get(code, code.replace("_", " "))


def column(name: str) -> str:
    """A column name as a header."""
    return COLUMNS.get(name, first_upper(name.replace("_", " ")))


def count(value: float) -> str:
    """A whole count with thousands separators; infinity as `no limit`."""
    if math.isinf(value):
        return "no limit"
    return f"{value:,.0f}"


def decimal(value: float, places: int = 3) -> str:
    """A fraction or index to `places` decimals, trailing zeros dropped."""
    text = f"{value:,.{places}f}".rstrip("0").rstrip(".")
    return text or "0"


def amount(value: float) -> str:
    """A whole number as a count (`3,804`), any other as a decimal (`0.034`): a share
    is never rounded to a whole number."""
    return count(value) if math.isinf(value) or value == int(value) else decimal(value)


def span(low: float, high: float, *, low_excluded: bool = False) -> str:
    """A range in words, open ends written out: `2,554 to 7,563`, `3,804` (one value),
    `at least 230,270, no upper bound`, `more than 2,746` (`low_excluded`); fractional
    ends keep their decimals (`0.034 to 1`)."""
    if math.isinf(high):
        if low_excluded:
            return f"more than {amount(low)}"
        return f"at least {amount(low)}, no upper bound"
    if low == high:
        return amount(low)
    return f"{amount(low)} to {amount(high)}"


def claim(figure: float, qualifier: str, category: str) -> str:
    """A claim as the text puts it: `about 4,000 civilians`, `3,804 civilians`."""
    words = word("qualifier", qualifier)
    return " ".join(p for p in (words, count(figure), word("category", category)) if p)


def day(when: str | date) -> str:
    """A date or an ISO date (`2016-09-30`) as `30 Sep 2016`; other text as it is."""
    if not isinstance(when, date):
        try:
            when = date.fromisoformat(str(when)[:10])
        except ValueError:
            return str(when)
    return f"{when.day} {when:%b %Y}"


def verdict(code: str) -> str:
    """A verdict's shape and its words: `● consistent with what sources document`."""
    shape = VERDICT_SHAPES.get(code, "")
    return f"{shape} {word('verdict', code)}".strip()


def upper_bound_note(source: str, perpetrator: str) -> str:
    """Why a documented count (a minimum) may bound one perpetrator's victims from
    above: it counts every perpetrator together, and the claim it is set against is
    itself a documented count."""
    return (
        f"{first_upper(source)} count the dead of every perpetrator together; those killed "
        f"by {perpetrator} are among them, so as far as {source} document, they number at "
        "most this. A documented count is a minimum of what happened: it bounds what was "
        "documented, which is what the claim (a monitor's tally) is too. A claim above it "
        "exceeds the documentation, not necessarily what happened."
    )
