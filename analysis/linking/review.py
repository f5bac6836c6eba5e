"""A review page: candidate pairs side by side, in words, for a person to judge.

`python -m analysis link --review N` writes `review.html`: N candidate pairs not yet
judged, drawn at random (seeded) from all candidate pairs, each with the Airwars
incident and the GED event in words (dates and spans, place, coordinates,
distance, civilian deaths, who is said to have struck, GED's dyad and source
headlines) and links to both records online. The reader marks each pair "same
event" yes or no, with a reason in their own words, against the criteria of
docs/methods.md, and presses "Save judgements": the page makes a CSV in the format
of `paths.LINK_JUDGEMENTS` (`sequence, incident_code, ged_id, stratum, same_event,
reason`) to save. Its stratum is `random`, a simple random sample of every candidate
pair; the page states the stratum's size, which a design file needs
(`validation.read_design`) before the judgements enter a weighted estimate.

Privacy. GED's headlines are free text: a headline holding the name of a victim
listed by Airwars is withheld (`analysis.privacy`), as the importer withholds
Airwars locations that do.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.atomic import write_text_atomic
from analysis.privacy import NameSet, find_names

STRATUM = "random"
SEED = 17
GED_EVENT_URL = "https://ucdp.uu.se/event/{}"
_WITHHELD = "(withheld: it names a person)"


def draw(pairs: pd.DataFrame, judged: pd.DataFrame, n: int, seed: int = SEED) -> pd.DataFrame:
    """`n` candidate pairs not yet in `judged`, at random (seeded), by sequence."""
    if n < 1:
        raise ValueError(f"--review needs at least 1 pair, found {n}")
    done = pd.MultiIndex.from_frame(judged[["sequence", "ged_id"]])
    fresh = pairs[~pd.MultiIndex.from_frame(pairs[["sequence", "ged_id"]]).isin(done)]
    picked = fresh.sample(n=min(n, len(fresh)), random_state=seed)
    return picked.sort_values(["sequence", "ged_id"]).reset_index(drop=True)


def _day(value: object) -> str:
    return "" if pd.isna(value) else pd.Timestamp(value).strftime("%d %B %Y").lstrip("0")  # type: ignore[arg-type]


def _span(start: object, end: object) -> str:
    if pd.isna(end) or pd.Timestamp(end) == pd.Timestamp(start):  # type: ignore[arg-type]
        return f"on {_day(start)}"
    days = (pd.Timestamp(end) - pd.Timestamp(start)).days + 1  # type: ignore[arg-type]
    return f"over {days} days, {_day(start)} to {_day(end)}"


def _count(low: object, high: object) -> str:
    if pd.isna(low) and pd.isna(high):
        return "no count given"
    low, high = (high if pd.isna(low) else low), (low if pd.isna(high) else high)
    return f"{int(low)}" if low == high else f"{int(low)} to {int(high)}"  # type: ignore[call-overload]


def _headlines(source_headline: object, names: NameSet) -> str:
    if not isinstance(source_headline, str) or not source_headline.strip():
        return "none given"
    return _WITHHELD if find_names(source_headline, names) else source_headline


def describe(
    chosen: pd.DataFrame, airwars: pd.DataFrame, ged: pd.DataFrame, names: NameSet
) -> pd.DataFrame:
    """The chosen pairs in words: one row per pair, one column per line of the page."""
    aw = airwars.set_index("sequence")
    events = ged.set_index("id")
    rows = []
    for pair in chosen.itertuples(index=False):
        a, g = aw.loc[pair.sequence], events.loc[pair.ged_id]
        rows.append(
            {
                "sequence": int(pair.sequence),
                "incident_code": str(a["incident_code"]),
                "ged_id": int(pair.ged_id),
                "airwars_url": str(a["airwars_url"]),
                "ged_url": GED_EVENT_URL.format(int(pair.ged_id)),
                "airwars_when": _span(a["date"], a["date_end"]),
                "airwars_where": f"{a['location'] if pd.notna(a['location']) else 'withheld'} "
                f"({a['latitude']:.4f}, {a['longitude']:.4f})",
                "airwars_civilians": _count(a["civilians_killed_min"], a["civilians_killed_max"]),
                "airwars_who": f"{a['belligerents_original']}; grading {a['grading_original']}",
                "ged_when": f"{_span(g['date_start'], g['date_end'])} (date precision "
                f"{g['date_prec']})",
                "ged_where": f"{g['where_coordinates']}, {g['adm_2']}, {g['adm_1']} "
                f"({g['latitude']:.4f}, {g['longitude']:.4f}; place precision {g['where_prec']})",
                "ged_civilians": f"{int(g['deaths_civilians'])} (deaths of all kinds: "
                f"best estimate {int(g['best'])})",
                "ged_who": str(g["dyad_name"]),
                "ged_sources": _headlines(g["source_headline"], names),
                "apart": f"{pair.distance_km:.1f} km and {int(pair.date_gap_days)} days apart",
                "score": f"{pair.match_probability:.3f}",
            }
        )
    return pd.DataFrame(rows)


_LINES = (
    ("when", "airwars_when", "ged_when"),
    ("where", "airwars_where", "ged_where"),
    ("civilians killed", "airwars_civilians", "ged_civilians"),
    ("who", "airwars_who", "ged_who"),
)

_SCRIPT = """
function saveJudgements() {
  const rows = [["sequence","incident_code","ged_id","stratum","same_event","reason"]];
  const quote = (t) => '"' + String(t).replaceAll('"', '""') + '"';
  for (const pair of PAIRS) {
    const pick = document.querySelector(`input[name="judge-${pair.key}"]:checked`);
    if (!pick) continue;
    const reason = document.getElementById(`reason-${pair.key}`).value.trim();
    rows.push([pair.sequence, pair.incident_code, pair.ged_id, STRATUM, pick.value,
               quote(reason)]);
  }
  const blob = new Blob([rows.map((r) => r.join(",")).join("\\n") + "\\n"],
                        {type: "text/csv"});
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = "link_judgements_review.csv";
  link.click();
}
"""


def page(described: pd.DataFrame, stratum_size: int) -> str:
    """The review page's HTML: one table per pair, a form, and a save button."""
    sections = []
    for row in described.itertuples(index=False):
        key = f"{row.sequence}-{row.ged_id}"
        lines = "".join(
            f"<tr><th scope='row'>{label}</th><td>{html.escape(getattr(row, left))}</td>"
            f"<td>{html.escape(getattr(row, right))}</td></tr>"
            for label, left, right in _LINES
        )
        sections.append(
            f"<section><h2>Airwars {html.escape(row.incident_code)} and GED event "
            f"{row.ged_id}</h2><p>{html.escape(row.apart)}; strict score {row.score}</p>"
            f"<table><thead><tr><th></th><th scope='col'><a href='{html.escape(row.airwars_url)}'>"
            f"Airwars incident {html.escape(row.incident_code)}</a></th>"
            f"<th scope='col'><a href='{html.escape(row.ged_url)}'>GED event {row.ged_id}</a>"
            f"</th></tr></thead><tbody>{lines}</tbody></table>"
            f"<p>GED's sources: {html.escape(row.ged_sources)}</p>"
            f"<fieldset><legend>Same event?</legend>"
            f"<label><input type='radio' name='judge-{key}' value='yes'> yes</label> "
            f"<label><input type='radio' name='judge-{key}' value='no'> no</label> "
            f"<label>Reason: <input id='reason-{key}' size='70'></label></fieldset></section>"
        )
    pairs_js = json.dumps(
        [
            {
                "key": f"{r.sequence}-{r.ged_id}",
                "sequence": int(r.sequence),
                "incident_code": r.incident_code,
                "ged_id": int(r.ged_id),
            }
            for r in described.itertuples(index=False)
        ]
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<title>Linkage review</title><style>body{font-family:sans-serif;max-width:60em;"
        "margin:auto}table{border-collapse:collapse}td,th{border:1px solid #999;"
        "padding:.3em;vertical-align:top;text-align:left}section{margin-bottom:2em}</style>"
        "</head><body><h1>Linkage review</h1>"
        f"<p>{len(described)} candidate pairs drawn at random from {stratum_size:,} "
        f"(stratum <code>{STRATUM}</code>). Judge each by the criteria in docs/methods.md "
        '("same event"; a multi-day tally is never the same event as one strike), then '
        "save: the CSV has the columns of data/raw/link_judgements.csv.</p>"
        + "".join(sections)
        + "<button type='button' onclick='saveJudgements()'>Save judgements</button>"
        f"<script>const PAIRS = {pairs_js}; const STRATUM = {json.dumps(STRATUM)};"
        f"{_SCRIPT}</script></body></html>"
    )


def write_review(
    target: Path,
    pairs: pd.DataFrame,
    judged: pd.DataFrame,
    airwars: pd.DataFrame,
    ged: pd.DataFrame,
    names: NameSet,
    n: int,
) -> Path:
    """Write the review page of `n` pairs to `target` (atomically)."""
    chosen = draw(pairs, judged, n)
    fresh = len(pairs) - int(
        np.asarray(
            pd.MultiIndex.from_frame(pairs[["sequence", "ged_id"]]).isin(
                pd.MultiIndex.from_frame(judged[["sequence", "ged_id"]])
            )
        ).sum()
    )
    write_text_atomic(target, page(describe(chosen, airwars, ged, names), fresh))
    return target
