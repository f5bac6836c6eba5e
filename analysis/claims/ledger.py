"""The ledger of a claims file: every claim beside every source, with the records behind
each number.

Steps. (1) Read and validate the whole claims file; a bad file stops here and
nothing is written. (2) Load every tidy table the evidence needs; a table that
cannot be loaded stops the run too, since a silently missing source would change
verdicts. (3) Ask the evidence engine (`analysis.evidence`) for every source's
answer to a chunk of claims at once, mark each claim's own monitor (`own`),
combine the independent bounds and decide (`verdict`), and, with `robustness`,
decide again under every counting rule (`robustness`). (4) Write the chunk's rows
and contributions tables into a staging folder, and the next chunk's, so memory
stays bounded however long the file. (5) Publish the folder whole (`output`).

One row per claim and source, including sources that say nothing (role `none`,
with the reason), the claim's own monitor (role `own`, with `own_check`) and
published figures shown as context. Columns: see `COLUMNS`. In the CSV an
unbounded high end is `inf`; in the JSON it is `null`. `contributions` names the
row's contributions table (relative to the ledger's folder) and `records` its
number of records; `records_counting` those that count toward an end. For Airwars'
numbers inside GED's window, `corroborated_low` and `corroborated_high` say how much
of each end lies in incidents that UCDP GED also records (`analysis.linking`).
`claimant` is the monitor the claim's `source` names; `low_independent`,
`low_claimant`, `low_unknown` (and `high_...`) split each number by what its records
cite, and add up to it exactly (NaN where the end is open or the source silent);
`verdict_independent` and `reason_independent` decide the claim on the independent
parts alone (`analysis.claims.independence`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import evidence, labels
from analysis.claims import independence
from analysis.claims import robustness as robust
from analysis.claims.own import own_check, own_matrix
from analysis.claims.verdict import Combined, combine, decide, reason
from analysis.evidence import records
from analysis.evidence.answer import Answer, Queries
from analysis.evidence.pairs import Contributions
from analysis.evidence.records import safe_name
from analysis.intervals import Interval, from_figure
from analysis.metrics.ucdp import GED_WINDOW

SOURCES = list(evidence.SOURCES)
SPEAKING = ("both", "lower", "upper")
#: Claims checked together; a chunk's pairs are what memory holds at once.
CHUNK = 2_000
#: The folder of contributions tables, inside the ledger's folder.
CONTRIBUTIONS = "contributions"

COLUMNS = [
    "claim_id",
    "statement",
    "perpetrator",
    "category",
    "area",
    "period_start",
    "period_end",
    "figure",
    "qualifier",
    "claim_low",
    "claim_high",
    "claim_range",
    "source",
    "role",
    "low",
    "high",
    "basis",
    "coverage",
    "own_check",
    "corroborated_low",
    "corroborated_high",
    "claimant",
    *independence.COLUMNS,
    "contributions",
    "records",
    "records_counting",
    "evidence_low",
    "evidence_high",
    "verdict",
    "reason",
    "verdict_independent",
    "reason_independent",
]
ROBUSTNESS_COLUMNS = ["robustness", "robustness_detail"]

NOTE = (
    "Documented counts are minimums of what happened. above_evidence means a claim "
    "exceeds what independent sources document or allow under their attribution rules; "
    "it does not mean the claim is false. Published figures are context, not evidence; "
    "a claim's own monitor is a consistency check (role own), not evidence."
)
CONTEXT_REASONS = ("a published figure, shown as context",)
CONTEXT_ENDS = ("low and high",)


@dataclass(frozen=True)
class Ledger:
    """The ledger of some claims: its rows, the evidence behind them and, when asked
    for, every claim's verdict under every counting rule (`robustness.grid`)."""

    claims: pd.DataFrame
    rows: pd.DataFrame
    evidence: evidence.Evidence
    grid: pd.DataFrame | None

    def tables(self) -> Iterator[tuple[str, Contributions]]:
        """Every source's contributions, then the published figures' (in the order of
        the context rows)."""
        for name, answer in self.evidence.answers.items():
            yield name, answer.contributions
        yield "published", context_contributions(self.evidence.context)


def context_contributions(context: pd.DataFrame) -> Contributions:
    """Each published figure shown as context is one record adding its own range."""
    n = len(context)
    return Contributions(
        "published",
        context["query"].to_numpy("int64"),
        context["record"].to_numpy("int64"),
        context["low"].to_numpy(float),
        context["high"].to_numpy(float),
        np.zeros(n, dtype="int16"),
        CONTEXT_REASONS,
        CONTEXT_ENDS,
    )


def table_name(source: str) -> str:
    """The file name of a row's contributions table."""
    return safe_name(source.replace(":", "-")) + ".csv"


def _bounds(
    answers: Mapping[str, Answer],
    own: np.ndarray,
    ends: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(claims x sources) independent lower and upper bounds, NaN where none; each
    source's ends are its answer's, or those given in `ends`."""
    lows = np.full(own.shape, np.nan)
    highs = np.full(own.shape, np.nan)
    for j, name in enumerate(SOURCES):
        found = answers[name]
        low, high = ends[name] if ends is not None else (found.low, found.high)
        independent = ~own[:, j]
        lower = independent & np.isin(found.role, ("both", "lower"))
        upper = independent & np.isin(found.role, ("both", "upper"))
        lows[lower, j] = low[lower]
        highs[upper, j] = high[upper]
    return lows, highs


def _split_columns(
    split: tuple[np.ndarray, np.ndarray], role: np.ndarray, high: np.ndarray
) -> dict[str, np.ndarray]:
    """Per claim, the six columns of the split of one source's numbers: NaN where the
    source is silent, and for the high end where it is open."""
    lows, highs = split[0].copy(), split[1].copy()
    silent = role == "none"
    lows[silent] = np.nan
    highs[silent | ~np.isfinite(high)] = np.nan
    parts = independence.PARTS
    return {
        **{f"low_{p}": lows[:, k] for k, p in enumerate(parts)},
        **{f"high_{p}": highs[:, k] for k, p in enumerate(parts)},
    }


def _corroborated(
    answer: Answer, queries: Queries, airwars: pd.DataFrame, links: pd.DataFrame | None
) -> tuple[np.ndarray, np.ndarray]:
    """Per claim, how much of Airwars' low and high end lies in incidents a second
    source (UCDP GED, the strict rule of `analysis.linking`) also records, by a link
    independent of Airwars' own reports; NaN where Airwars says nothing, where the end
    is open, or where the claim's period is not wholly inside GED's window (outside it
    nothing can be corroborated)."""
    n = len(answer.role)
    if links is None:
        return np.full(n, np.nan), np.full(n, np.nan)
    flag = (
        links.set_index("sequence")["independence"]
        .eq("independent")
        .reindex(airwars["sequence"])
        .fillna(False)
        .to_numpy(bool)
    )
    found = answer.contributions
    mine = flag[found.record]
    low = np.bincount(found.query[mine], weights=found.low[mine], minlength=n)
    high = np.bincount(found.query[mine], weights=found.high[mine], minlength=n)
    inside = (queries.fit(*GED_WINDOW) == "whole") & (answer.role != "none")
    return np.where(inside, low, np.nan), np.where(inside & np.isfinite(answer.high), high, np.nan)


def _context_split(
    context: pd.DataFrame, claimant: np.ndarray, published: pd.DataFrame | None
) -> dict[str, np.ndarray]:
    """The split columns of the context rows: each is one published figure, whole in
    one part (NaN without the published table's `cites`, or for an open high end)."""
    m = len(context)
    if published is None:
        return {c: np.full(m, np.nan) for c in independence.COLUMNS}
    found = context_contributions(context).cited(records.cites(published))
    part = independence.parts(found, claimant)
    out = {}
    for end, values in (("low", found.low), ("high", found.high)):
        for k, name in enumerate(independence.PARTS):
            column = np.where(part == k, values, 0.0)
            if end == "high":
                column[~np.isfinite(values)] = np.nan
            out[f"{end}_{name}"] = column
    return out


def _claim_ranges(claims: pd.DataFrame) -> list[Interval]:
    return [from_figure(f, q) for f, q in zip(claims["figure"], claims["qualifier"], strict=True)]


def _windows_reason(claims: pd.DataFrame, answers: Mapping[str, Answer], i: int) -> str:
    start, end = claims["period_start"].iloc[i], claims["period_end"].iloc[i]
    windows = "; ".join(answers[name].coverage for name in SOURCES)
    return (
        f"The period {start.date()} to {end.date()} lies outside every source's window ({windows})."
    )


def _verdicts(
    claims: pd.DataFrame, answers: Mapping[str, Answer], lows: np.ndarray, highs: np.ndarray
) -> tuple[Combined, np.ndarray, list[str]]:
    ranges = _claim_ranges(claims)
    claim = (
        np.array([r.low for r in ranges]),
        np.array([r.high for r in ranges]),
        np.array([r.low_open for r in ranges]),
    )
    found = combine(lows, highs, SOURCES)
    verdicts = decide(*claim, found)
    outside = np.all([answers[name].outside for name in SOURCES], axis=0)
    categories = claims["category"].to_numpy(dtype=object)
    perpetrators = claims["perpetrator"].to_numpy(dtype=object)
    reasons = []
    for i, (claimed, verdict) in enumerate(zip(ranges, verdicts, strict=True)):
        if verdict == "not_checkable" and outside[i]:
            reasons.append(_windows_reason(claims, answers, i))
            continue
        what = (
            f"{labels.word('category', categories[i])} killed by "
            f"{labels.word('perpetrator', perpetrators[i])}"
        )
        reasons.append(reason(verdict, claimed, found, i, what))
    return found, verdicts, reasons


def _rows(
    claims: pd.DataFrame,
    found: evidence.Evidence,
    own: np.ndarray,
    prefix: str,
    corroborated: tuple[np.ndarray, np.ndarray],
    claimant: np.ndarray,
    splits: Mapping[str, tuple[np.ndarray, np.ndarray]],
    published: pd.DataFrame | None,
) -> pd.DataFrame:
    """Ledger rows without the verdict: one per claim and source, then context."""
    n = len(claims)
    folders = claims["claim_id"].map(safe_name).to_numpy(dtype=object)
    ranges = _claim_ranges(claims)
    blocks = []
    for j, name in enumerate(SOURCES):
        answer = found.answers[name]
        found_pairs = answer.contributions
        counting = np.asarray(found_pairs.ends, dtype=object)[found_pairs.why] != "neither"
        role = answer.role.copy()
        mine = own[:, j] & np.isin(role, SPEAKING)
        role[mine] = "own"
        check = np.full(n, "", dtype=object)
        for i in np.flatnonzero(own[:, j]):
            check[i] = (
                own_check(ranges[i], Interval(answer.low[i], answer.high[i]), name)
                if mine[i]
                else f"{name} holds the claim's own data, but they say nothing here"
            )
        has_table = role != "none"
        blocks.append(
            pd.DataFrame(
                {
                    "position": np.arange(n),
                    "order": j,
                    "source": name,
                    "role": role,
                    "low": answer.low,
                    "high": answer.high,
                    "basis": answer.basis,
                    "coverage": answer.coverage,
                    "own_check": check,
                    "corroborated_low": corroborated[0] if name == "airwars" else np.nan,
                    "corroborated_high": corroborated[1] if name == "airwars" else np.nan,
                    **_split_columns(splits[name], answer.role, answer.high),
                    "contributions": np.where(
                        has_table, prefix + "/" + folders + "/" + table_name(name), ""
                    ),
                    "records": np.where(has_table, np.bincount(found_pairs.query, minlength=n), 0),
                    "records_counting": np.where(
                        has_table,
                        np.bincount(found_pairs.query[counting], minlength=n),
                        0,
                    ),
                }
            )
        )
    context = found.context
    context_split = _context_split(context, claimant, published)
    blocks.append(
        pd.DataFrame(
            {
                "position": context["query"].to_numpy("int64"),
                "order": len(SOURCES) + np.arange(len(context)),
                "source": context["source"].to_numpy(dtype=object),
                "role": "context",
                "low": context["low"].to_numpy(float),
                "high": context["high"].to_numpy(float),
                "basis": context["basis"].to_numpy(dtype=object),
                "coverage": context["coverage"].to_numpy(dtype=object),
                "own_check": "",
                "corroborated_low": np.nan,
                "corroborated_high": np.nan,
                **context_split,
                "contributions": [
                    f"{prefix}/{folders[q]}/{table_name(s)}"
                    for q, s in zip(context["query"], context["source"], strict=True)
                ],
                "records": 1,
                "records_counting": 1,
            }
        )
    )
    rows = pd.concat(blocks, ignore_index=True).sort_values(
        ["position", "order"], kind="stable", ignore_index=True
    )
    at = rows["position"].to_numpy()
    claim_columns = {
        "claim_id": claims["claim_id"].to_numpy(dtype=object),
        "statement": claims["statement"].to_numpy(dtype=object),
        "perpetrator": claims["perpetrator"].to_numpy(dtype=object),
        "category": claims["category"].to_numpy(dtype=object),
        "area": claims["area"].to_numpy(dtype=object),
        "period_start": claims["period_start"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object),
        "period_end": claims["period_end"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object),
        "figure": claims["figure"].to_numpy(float),
        "qualifier": claims["qualifier"].to_numpy(dtype=object),
        "claim_low": np.array([r.low for r in ranges]),
        "claim_high": np.array([r.high for r in ranges]),
        "claim_range": np.array([str(r) for r in ranges], dtype=object),
        "claimant": claimant,
    }
    for column, values in claim_columns.items():
        rows[column] = values[at]
    return rows


def check(
    claims: pd.DataFrame,
    tables: Mapping[str, pd.DataFrame],
    *,
    robustness: bool = False,
    prefix: str = CONTRIBUTIONS,
) -> Ledger:
    """The ledger of validated claims against loaded tables. Contributions tables are
    named `prefix/<claim>/<source>.csv` (relative to wherever the ledger is written)."""
    claims = claims.reset_index(drop=True)
    found = evidence.gather(claims, tables)
    own = own_matrix(claims["source"].to_numpy(dtype=object), SOURCES)
    lows, highs = _bounds(found.answers, own)
    combined, verdicts, reasons = _verdicts(claims, found.answers, lows, highs)
    shares = _corroborated(
        found.answers["airwars"], found.queries, tables["airwars"], tables.get("corroboration")
    )
    claimant = independence.claimants(claims["source"].to_numpy(dtype=object))
    splits = {
        name: independence.split(answer.contributions, claimant)
        for name, answer in found.answers.items()
    }
    rows = _rows(claims, found, own, prefix, shares, claimant, splits, tables.get("published"))
    at = rows["position"].to_numpy()
    rows["evidence_low"] = np.where(combined.speaks, combined.low, math.nan)[at]
    rows["evidence_high"] = np.where(combined.speaks, combined.high, math.nan)[at]
    conflict = verdicts == "sources_disagree"
    rows.loc[conflict[at], ["evidence_low", "evidence_high"]] = math.nan
    rows["verdict"] = verdicts[at]
    rows["reason"] = np.asarray(reasons, dtype=object)[at]
    alone = {name: (low[:, 0], high[:, 0]) for name, (low, high) in splits.items()}
    lows_alone, highs_alone = _bounds(found.answers, own, alone)
    _, verdicts_alone, reasons_alone = _verdicts(claims, found.answers, lows_alone, highs_alone)
    rows["verdict_independent"] = verdicts_alone[at]
    rows["reason_independent"] = np.array(
        [independence.counting_only(c) + r for c, r in zip(claimant, reasons_alone, strict=True)],
        dtype=object,
    )[at]
    columns = list(COLUMNS)
    grid = None
    if robustness:
        ranges = _claim_ranges(claims)
        claim = (
            np.array([r.low for r in ranges]),
            np.array([r.high for r in ranges]),
            np.array([r.low_open for r in ranges]),
        )
        airwars = robust.airwars_ends(found.answers["airwars"], robust.RULE_SETS)
        column = SOURCES.index("airwars")
        independent = ~own[:, column]
        airwars = (
            np.where(independent[:, None], airwars[0], np.nan),
            np.where(independent[:, None], airwars[1], np.nan),
        )
        grid = robust.grid(lows, highs, SOURCES, claim, airwars)
        verdict_of = robust.assess(grid).set_index("claim")
        for name in ROBUSTNESS_COLUMNS:
            rows[name] = verdict_of[name].to_numpy(dtype=object)[at]
        grid.insert(0, "claim_id", claims["claim_id"].to_numpy(dtype=object)[grid["claim"]])
        grid = grid.drop(columns="claim")
        columns += ROBUSTNESS_COLUMNS
    return Ledger(claims, rows[columns], found, grid)


@dataclass(frozen=True)
class Checked:
    """What a checked chunk leaves once its contributions tables are written: its
    rows, its robustness grid, and how many claims and tables it had."""

    rows: pd.DataFrame
    grid: pd.DataFrame | None
    claims: int
    tables: int


def build(claims: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The ledger rows (see `COLUMNS`) for validated claims and loaded tables."""
    return check(claims, tables).rows


def load_tables() -> dict[str, pd.DataFrame]:
    """The tables the evidence reads, without their import logs (pandas copies a
    frame's `attrs` deeply on every operation, and the logs are not needed here),
    and `corroboration`: which Airwars incidents UCDP GED also records
    (`analysis.linking.corroborated`, the strict rule)."""
    from analysis import linking
    from analysis.tables import load

    found = {}
    for name in evidence.EVIDENCE_TABLES:
        table = load(name)
        table.attrs = {}
        found[name] = table
    found["corroboration"] = linking.corroborated("strict")
    return found


def chunks(claims: pd.DataFrame, size: int = CHUNK) -> Iterator[pd.DataFrame]:
    """The claims in consecutive chunks of at most `size`."""
    for start in range(0, len(claims), size):
        yield claims.iloc[start : start + size]
