"""What `python -m analysis link` writes, and the per-incident answer the ledger reads.

- `incident_links(airwars, pairs, linkable, rule)`: one row per Airwars incident
  (every `sequence`, linkable or not) with the GED ids linked by `rule` and the
  link's `independence` (`analysis.linking.independence`);
- `links_table`: `links.csv`, one row per linkable incident and rule, with the
  linked GED ids joined by "|", the best score (strict rule), the distance and date
  gap of the best link;
- `summary_table`: `summary.csv`, incidents and civilian deaths (low and high), corroborated
  (by any link, and split into independent, mixed and circular) and not, by rule,
  perpetrator, grading and month;
- `loose_grid_table`: `loose_grid.csv`, the loose rule over the (d, k) grid by
  perpetrator and calendar year, by any link and by independent links.

`pairs` carry each GED event's `independence` (`independence.attach`). Published
shares (`shares_by_grading`) count independent links only; mixed and circular
links are shown beside them, never added in.

Incidents naming a perpetrator are counted under it (shared attribution), under
any grading; an incident naming two perpetrators counts under each. Civilian deaths
are each incident's range as `analysis.metrics.airwars.incident_range` reads it.
Months and years are those of the incident's start date.
"""

from __future__ import annotations

import pandas as pd

from analysis.linking import independence, loose
from analysis.metrics.airwars import PERPETRATOR_CODES, attribution, incident_range

RULES = ("strict", "loose")
SUMMARY_COUNTS = (
    "incidents_corroborated",
    "incidents_uncorroborated",
    "civilians_low_corroborated",
    "civilians_low_uncorroborated",
    "civilians_high_corroborated",
    "civilians_high_uncorroborated",
)
#: Corroborated counts split by the link's independence (`summary.csv`).
SPLIT_COUNTS = tuple(
    f"{what}_corroborated_{kind}"
    for what in ("incidents", "civilians_low", "civilians_high")
    for kind in independence.INDEPENDENCE
)
UNGRADED = "ungraded"


def rule_pairs(pairs: pd.DataFrame, rule: str) -> pd.DataFrame:
    """The pairs a rule links: the strict assignment, or the loose reference cell."""
    if rule == "strict":
        return pairs[pairs["strict"]]
    if rule == "loose":
        return loose.within(pairs, loose.REFERENCE_KM, loose.REFERENCE_DAYS)
    raise ValueError(f"unknown rule {rule!r}; known: {RULES}")


def incident_links(
    airwars: pd.DataFrame, pairs: pd.DataFrame, linkable: pd.Series, rule: str
) -> pd.DataFrame:
    """One row per Airwars `sequence`: `sequence`, `incident_code`, `linkable`,
    `corroborated`, `ged_ids` (sorted, joined by "|"; empty when none) and
    `independence` of the links (empty when none)."""
    linked = rule_pairs(pairs, rule).sort_values(["sequence", "ged_id"])
    ids = linked.groupby("sequence")["ged_id"].agg(lambda s: "|".join(map(str, s)))
    kinds = independence.of_incidents(linked)
    out = pd.DataFrame(
        {
            "sequence": airwars["sequence"].to_numpy(),
            "incident_code": airwars["incident_code"].to_numpy(),
            "linkable": linkable.to_numpy(dtype=bool),
        }
    )
    out["ged_ids"] = out["sequence"].map(ids).astype("string").fillna("").astype(str)
    out["corroborated"] = out["ged_ids"] != ""
    out["independence"] = out["sequence"].map(kinds).astype("string").fillna("")
    return out[["sequence", "incident_code", "linkable", "corroborated", "ged_ids", "independence"]]


def links_table(airwars: pd.DataFrame, pairs: pd.DataFrame, linkable: pd.Series) -> pd.DataFrame:
    """`links.csv`: one row per linkable incident and rule."""
    frames = []
    for rule in RULES:
        base = incident_links(airwars, pairs, linkable, rule)
        base = base[base["linkable"]].drop(columns="linkable")
        best = (
            rule_pairs(pairs, rule)
            .sort_values(
                ["sequence", "match_probability", "distance_km", "date_gap_days", "ged_id"],
                ascending=[True, False, True, True, True],
            )
            .drop_duplicates("sequence")
            .set_index("sequence")
        )
        base.insert(0, "rule", rule)
        score = base["sequence"].map(best["match_probability"])
        base["score"] = score if rule == "strict" else float("nan")
        base["distance_km"] = base["sequence"].map(best["distance_km"]).round(3)
        base["date_gap_days"] = base["sequence"].map(best["date_gap_days"]).astype("Int64")
        frames.append(base)
    return pd.concat(frames, ignore_index=True)


def _perpetrator_rows(airwars: pd.DataFrame) -> pd.DataFrame:
    """(index of an Airwars row, perpetrator) for every perpetrator it names."""
    frames = [
        pd.DataFrame({"row": airwars.index[mask], "perpetrator": perpetrator})
        for perpetrator in PERPETRATOR_CODES
        if (mask := attribution(airwars, perpetrator, "shared").to_numpy()).any()
    ]
    return pd.concat(frames, ignore_index=True)


def incident_frame(
    airwars: pd.DataFrame, pairs: pd.DataFrame, linkable: pd.Series, rule: str
) -> pd.DataFrame:
    """Linkable incidents with their deaths, grading, month and corroboration."""
    low, high = incident_range(airwars, "civilians")
    flags = incident_links(airwars, pairs, linkable, rule)
    frame = pd.DataFrame(
        {
            "sequence": airwars["sequence"].to_numpy(),
            "grading": airwars["grading"].astype("string").fillna(UNGRADED).to_numpy(),
            "month": airwars["date"].dt.strftime("%Y-%m").to_numpy(),
            "year": airwars["date"].dt.year.to_numpy(),
            "civilians_low": low.to_numpy(),
            "civilians_high": high.to_numpy(),
            "corroborated": flags["corroborated"].to_numpy(),
            "independence": flags["independence"].to_numpy(),
        },
        index=airwars.index,
    )
    rows = _perpetrator_rows(airwars[linkable])
    return rows.join(frame, on="row").drop(columns="row")


def summary_table(airwars: pd.DataFrame, pairs: pd.DataFrame, linkable: pd.Series) -> pd.DataFrame:
    """`summary.csv`: by rule, perpetrator, grading and month."""
    frames = []
    for rule in RULES:
        frame = incident_frame(airwars, pairs, linkable, rule)
        yes = frame["corroborated"]
        frame = frame.assign(
            incidents_corroborated=yes.astype(int),
            incidents_uncorroborated=(~yes).astype(int),
            civilians_low_corroborated=frame["civilians_low"].where(yes, 0.0),
            civilians_low_uncorroborated=frame["civilians_low"].where(~yes, 0.0),
            civilians_high_corroborated=frame["civilians_high"].where(yes, 0.0),
            civilians_high_uncorroborated=frame["civilians_high"].where(~yes, 0.0),
        )
        for kind in independence.INDEPENDENCE:
            this = frame["independence"] == kind
            frame[f"incidents_corroborated_{kind}"] = this.astype(int)
            for end in ("low", "high"):
                column = f"civilians_{end}"
                frame[f"{column}_corroborated_{kind}"] = frame[column].where(this, 0.0)
        counts = (
            frame.groupby(["perpetrator", "grading", "month"], sort=True)[
                [*SUMMARY_COUNTS, *SPLIT_COUNTS]
            ]
            .sum()
            .reset_index()
        )
        counts.insert(0, "rule", rule)
        frames.append(counts)
    return pd.concat(frames, ignore_index=True)


def loose_grid_table(
    airwars: pd.DataFrame, pairs: pd.DataFrame, linkable: pd.Series
) -> pd.DataFrame:
    """`loose_grid.csv`: by perpetrator, calendar year, d_km and k_days; the
    `_independent` columns count independent links only."""
    frame = incident_frame(airwars, pairs, linkable, "loose")
    sequences = airwars.loc[linkable, "sequence"]
    flags = loose.grid_flags(pairs, sequences)
    alone = loose.grid_flags(pairs[pairs["independence"] == "independent"], sequences)
    flags["corroborated_independent"] = alone["corroborated"].to_numpy()
    cells = frame.drop(columns=["corroborated", "independence"]).merge(flags, on="sequence")
    cells["corroborated_civilians_high"] = cells["civilians_high"].where(cells["corroborated"], 0.0)
    cells["corroborated_civilians_high_independent"] = cells["civilians_high"].where(
        cells["corroborated_independent"], 0.0
    )
    grid = (
        cells.groupby(["perpetrator", "year", "d_km", "k_days"], sort=True)
        .agg(
            incidents=("sequence", "size"),
            corroborated=("corroborated", "sum"),
            civilians_high=("civilians_high", "sum"),
            corroborated_civilians_high=("corroborated_civilians_high", "sum"),
            corroborated_independent=("corroborated_independent", "sum"),
            corroborated_civilians_high_independent=(
                "corroborated_civilians_high_independent",
                "sum",
            ),
        )
        .reset_index()
    )
    return grid


def shares_by_grading(
    summary: pd.DataFrame, rule: str, perpetrator: str, year: int
) -> pd.DataFrame:
    """Corroborated incidents and maximum civilian deaths of one rule, perpetrator and
    year, by grading and in all (`grading` "all").

    `corroborated` and `civilians_high_corroborated`, and the shares `share_incidents`
    and `share_deaths`, count independent links only; the `_mixed` and `_circular`
    columns are shown beside them, and `share_incidents_any`/`share_deaths_any` count
    every link (the figure before independence was measured)."""
    rows = summary[
        (summary["rule"] == rule)
        & (summary["perpetrator"] == perpetrator)
        & summary["month"].str.startswith(str(year))
    ]
    by_grading = rows.groupby("grading")[[*SUMMARY_COUNTS, *SPLIT_COUNTS]].sum()
    by_grading.loc["all"] = by_grading.sum()
    out = pd.DataFrame(
        {
            "incidents": by_grading["incidents_corroborated"]
            + by_grading["incidents_uncorroborated"],
            "corroborated": by_grading["incidents_corroborated_independent"],
            "corroborated_mixed": by_grading["incidents_corroborated_mixed"],
            "corroborated_circular": by_grading["incidents_corroborated_circular"],
            "civilians_high": by_grading["civilians_high_corroborated"]
            + by_grading["civilians_high_uncorroborated"],
            "civilians_high_corroborated": by_grading["civilians_high_corroborated_independent"],
            "civilians_high_mixed": by_grading["civilians_high_corroborated_mixed"],
            "civilians_high_circular": by_grading["civilians_high_corroborated_circular"],
        }
    )
    out["share_incidents"] = out["corroborated"] / out["incidents"]
    out["share_deaths"] = out["civilians_high_corroborated"] / out["civilians_high"]
    out["share_incidents_any"] = by_grading["incidents_corroborated"] / out["incidents"]
    out["share_deaths_any"] = by_grading["civilians_high_corroborated"] / out["civilians_high"]
    return out.rename_axis("grading").reset_index()
