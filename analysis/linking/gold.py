"""The citation gold set: incident-event pairs that GED itself says are one event.

UCDP GED lists its sources in `source_article`, one quoted citation per source,
`"OFFICE,DATE,HEADLINE"` joined by ";". When the office is Airwars, the headline
often names the Airwars incident GED coded the event from: as the whole headline
("R3685") or in brackets ("March 10th 2017: (S494) Raqqa city, ..."). Airwars has
renamed incidents since (S494 is now a CS code), and the archive keeps each
incident's earlier codes (`earlier_codes` of the Airwars table). A cited code is
matched to every incident whose current or earlier code it is, so a pair here is
GED's own statement that its event and that incident are the same.

Split. The pairs are split by GED event with a seeded shuffle: the `train` half
estimates the strict rule's m-probabilities and prior
(`analysis.linking.strict`), the `heldout` half measures recall
(`analysis.linking.validation`). Splitting by event keeps an event citing several
incidents in one half.

Known drawbacks. These pairs are easier than the general case: GED copied Airwars'
date and place when it coded them, so both records agree by construction more often
than two independent records of one strike would. Recall measured on them is an
upper bound for the rule's recall on independent reports, and m-probabilities
estimated from them lean towards agreement. Citations without a code ("US-led
Coalition in Iraq & Syria", Airwars' monthly assessments) or with a code lacking
its letter prefix ("(1069a)") give no pair.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

SEED = 17
HALVES = ("train", "heldout")
COLUMNS = ("incident_code", "ged_id", "half", "sequence", "event_citations")

#: An Airwars code: letters then digits, with an optional letter suffix (R3846A, CS1984).
_CODE = r"[A-Z]{1,4}\d{1,5}[A-Za-z]?"
_CITATION = re.compile(r'"([^"]*)"')
_BRACKETED = re.compile(rf"\(({_CODE})\)")
_WHOLE = re.compile(rf"\s*({_CODE})\s*")


def cited_codes(source_article: object) -> list[str]:
    """The Airwars incident codes a GED `source_article` cites, in order, once each."""
    if not isinstance(source_article, str):
        return []
    codes: list[str] = []
    for citation in _CITATION.findall(source_article):
        office, _, rest = citation.partition(",")
        _, _, headline = rest.partition(",")
        if office.strip() != "Airwars":
            continue
        whole = _WHOLE.fullmatch(headline)
        for code in [whole.group(1)] if whole else _BRACKETED.findall(headline):
            if code not in codes:
                codes.append(code)
    return codes


def code_index(airwars: pd.DataFrame) -> pd.DataFrame:
    """Every code an incident has or had: `code`, `sequence`, `incident_code`."""
    current = airwars["incident_code"].astype("string").str.strip()
    earlier = airwars["earlier_codes"].astype("string").str.split("|")
    frame = pd.DataFrame(
        {
            "sequence": airwars["sequence"].to_numpy(),
            "incident_code": current.to_numpy(),
            "codes": [
                [c, *(e if isinstance(e, list) else [])]
                for c, e in zip(current, earlier, strict=True)
            ],
        }
    )
    index = frame.explode("codes").rename(columns={"codes": "code"})
    index = index[index["code"].notna() & (index["code"] != "")]
    return index.drop_duplicates(["code", "sequence"])[["code", "sequence", "incident_code"]]


def split(ged_ids: pd.Series, seed: int = SEED) -> pd.Series:
    """`train` or `heldout` for each distinct GED id, half each, by a seeded shuffle
    of the sorted ids; indexed by GED id."""
    distinct = np.sort(ged_ids.unique())
    order = np.random.default_rng(seed).permutation(len(distinct))
    half = np.where(order < len(distinct) // 2, HALVES[0], HALVES[1])
    return pd.Series(half, index=pd.Index(distinct, name="ged_id"), name="half")


def gold_citations(airwars: pd.DataFrame, ged: pd.DataFrame, seed: int = SEED) -> pd.DataFrame:
    """One row per (incident, GED event) pair GED's citations give: `incident_code`,
    `ged_id`, `half`, `sequence`, `event_citations` (how many incidents the event's
    citations reach); sorted by GED id, then sequence."""
    cited = pd.DataFrame(
        {
            "ged_id": ged["id"].to_numpy(dtype="int64"),
            "code": ged["source_article"].map(cited_codes),
        }
    ).explode("code")
    cited = cited[cited["code"].notna()]
    pairs = cited.merge(code_index(airwars), on="code").drop_duplicates(["ged_id", "sequence"])
    pairs["event_citations"] = pairs.groupby("ged_id")["sequence"].transform("size")
    pairs["half"] = pairs["ged_id"].map(split(pairs["ged_id"], seed))
    out = pairs.sort_values(["ged_id", "sequence"]).reset_index(drop=True)
    out["sequence"] = out["sequence"].astype("int64")
    out["incident_code"] = out["incident_code"].astype("string")
    return out[list(COLUMNS)]
