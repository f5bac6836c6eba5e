"""Validation: how often each rule's links are right, and how many true pairs it finds.

Two samples, each answering what the other cannot.

The citation gold set (`analysis.linking.gold`). Pairs GED itself says are one
event. The `heldout` half, never used in training, measures recall: the share of
its pairs a rule links, split by events citing one incident and events citing
several (a tally several incidents fit). It cannot measure precision (it holds
only true pairs), and its pairs are easier than the general case: GED copied
Airwars' date and place, so recall on them is an upper bound.

The judged sample (`paths.LINK_JUDGEMENTS`). Candidate pairs drawn at random
within strata and judged by reading both records against the written criteria of
docs/methods.md ("same event"; a multi-day tally is never the same event as one
strike). The strata are the bands of the package's first strict score
(`STRATA` of the design file `paths.LINK_SAMPLE_DESIGN`, which records each
stratum's size when the sample was drawn): 10 pairs from each band, then more from
the low bands, where most missed matches hide. Pairs were drawn unequally, so each
judged pair stands for (stratum size / pairs judged in it) candidate pairs: the
inverse-probability (Horvitz-Thompson) estimates of precision and recall are
ratios of these weighted counts. Their 95 % intervals come from a bootstrap over
strata: each stratum's judged pairs are resampled with replacement, `BOOTSTRAP`
times, seeded, and the 2.5 and 97.5 percentiles taken.

Known drawbacks. One reader judges; some pairs stay uncertain (the reason says
so). A stratum with few judged pairs and many candidates weighs heavily, which the
intervals show.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.linking.outputs import RULES, rule_pairs

#: Bands of the first (hand-set) strict score by which the sample was drawn.
SCORE_BANDS: tuple[float, ...] = (0.0, 0.01, 0.1, 0.3, 0.5, 0.7, 1.0)
PER_BAND = 10
SEED = 13
BOOTSTRAP = 2000
JUDGEMENT_COLUMNS = ("sequence", "incident_code", "ged_id", "stratum", "same_event", "reason")
DESIGN_COLUMNS = ("stratum", "score_low", "score_high", "pairs")
LABELS = ("yes", "no")
VALIDATION_COLUMNS = (
    "rule",
    "sample",
    "pairs",
    "precision",
    "recall",
    "precision_low",
    "precision_high",
    "recall_low",
    "recall_high",
)


def draw_sample(pairs: pd.DataFrame, per_band: int = PER_BAND, seed: int = SEED) -> pd.DataFrame:
    """`per_band` pairs from each score band, seeded; columns of `pairs` plus `band`."""
    band = pd.cut(pairs["match_probability"], list(SCORE_BANDS), include_lowest=True)
    drawn = (
        pairs.assign(band=band.astype(str))
        .groupby("band", sort=True, observed=True)
        .sample(n=per_band, random_state=seed)
    )
    return drawn.sort_values(["band", "sequence", "ged_id"]).reset_index(drop=True)


def read_design(path: Path) -> pd.DataFrame:
    """The sample's strata and their sizes; checks columns and positive sizes."""
    design = pd.read_csv(path, dtype={"stratum": str})
    if tuple(design.columns) != DESIGN_COLUMNS:
        raise ValueError(
            f"{path}: expected columns {DESIGN_COLUMNS}, found {tuple(design.columns)}"
        )
    if not design["stratum"].is_unique or (design["pairs"] <= 0).any():
        raise ValueError(f"{path}: strata must be unique and hold at least one pair each")
    return design


def read_judgements(
    path: Path, pairs: pd.DataFrame | None = None, design: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The judged pairs. Checks the columns, that `same_event` is yes or no, that no
    pair is judged twice, and (when given) that every pair is a candidate pair of
    `pairs` and every stratum is one of `design`; each error names the line."""
    judged = pd.read_csv(path, dtype={"incident_code": str, "reason": str, "stratum": str})
    if tuple(judged.columns) != JUDGEMENT_COLUMNS:
        raise ValueError(
            f"{path}: expected columns {JUDGEMENT_COLUMNS}, found {tuple(judged.columns)}"
        )

    def fail(mask: pd.Series, what: str) -> None:
        if mask.any():
            first = int(np.flatnonzero(mask.to_numpy())[0])
            raise ValueError(f"{path} line {first + 2}: {what}")

    fail(~judged["same_event"].isin(LABELS), "same_event must be yes or no")
    fail(judged.duplicated(["sequence", "ged_id"]), "this pair is judged twice")
    if pairs is not None:
        known = pd.MultiIndex.from_frame(pairs[["sequence", "ged_id"]])
        unknown = ~pd.MultiIndex.from_frame(judged[["sequence", "ged_id"]]).isin(known)
        fail(pd.Series(unknown), "unknown pair: (sequence, ged_id) is not a candidate pair")
    if design is not None:
        fail(~judged["stratum"].isin(design["stratum"]), "stratum not in the sample design")
    return judged


def wilson(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a proportion (95 % by default); (nan, nan) for 0 trials."""
    if trials == 0:
        return float("nan"), float("nan")
    p = successes / trials
    centre = (p + z**2 / (2 * trials)) / (1 + z**2 / trials)
    half = z * np.sqrt(p * (1 - p) / trials + z**2 / (4 * trials**2)) / (1 + z**2 / trials)
    return float(centre - half), float(centre + half)


def _linked(pairs: pd.DataFrame, rule: str, keys: pd.DataFrame) -> np.ndarray:
    linked = pd.MultiIndex.from_frame(rule_pairs(pairs, rule)[["sequence", "ged_id"]])
    return np.asarray(pd.MultiIndex.from_frame(keys[["sequence", "ged_id"]]).isin(linked))


def evaluate(pairs: pd.DataFrame, judged: pd.DataFrame) -> pd.DataFrame:
    """Unweighted precision and recall of each rule on the judged pairs, with Wilson
    intervals: what the sample says of itself, not of all candidate pairs.

    Columns: `rule`, `judged`, `same_event`, `linked`, `true_links`, `precision`,
    `precision_low`, `precision_high`, `recall`, `recall_low`, `recall_high`.
    """
    truth = judged["same_event"].eq("yes").to_numpy()
    rows = []
    for rule in RULES:
        linked = _linked(pairs, rule, judged)
        hits = int((linked & truth).sum())
        p_low, p_high = wilson(hits, int(linked.sum()))
        r_low, r_high = wilson(hits, int(truth.sum()))
        rows.append(
            {
                "rule": rule,
                "judged": len(judged),
                "same_event": int(truth.sum()),
                "linked": int(linked.sum()),
                "true_links": hits,
                "precision": hits / linked.sum() if linked.sum() else float("nan"),
                "precision_low": p_low,
                "precision_high": p_high,
                "recall": hits / truth.sum() if truth.sum() else float("nan"),
                "recall_low": r_low,
                "recall_high": r_high,
            }
        )
    return pd.DataFrame(rows)


def _weighted_ratios(
    truth: np.ndarray, linked: np.ndarray, weight: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted precision and recall along the last axis (nan where a denominator is 0)."""
    hits = (weight * (truth & linked)).sum(axis=-1)
    links, trues = (weight * linked).sum(axis=-1), (weight * truth).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (
            np.where(links > 0, hits / links, np.nan),
            np.where(trues > 0, hits / trues, np.nan),
        )


def weighted(
    pairs: pd.DataFrame,
    judged: pd.DataFrame,
    design: pd.DataFrame,
    bootstrap: int = BOOTSTRAP,
    seed: int = SEED,
) -> pd.DataFrame:
    """Inverse-probability precision and recall of each rule on the judged sample,
    with bootstrap intervals over strata; columns `VALIDATION_COLUMNS` (sample
    `judged_weighted`)."""
    sizes = design.set_index("stratum")["pairs"]
    judged = judged.reset_index(drop=True)
    per_stratum = judged.groupby("stratum")["sequence"].transform("size")
    weight = (judged["stratum"].map(sizes) / per_stratum).to_numpy(dtype=float)
    truth = judged["same_event"].eq("yes").to_numpy()
    strata = judged["stratum"].to_numpy()
    groups = [np.flatnonzero(strata == s) for s in sizes.index if (strata == s).any()]
    rng = np.random.default_rng(seed)
    draws = np.concatenate(
        [g[rng.integers(0, len(g), size=(bootstrap, len(g)))] for g in groups], axis=1
    )
    rows = []
    for rule in RULES:
        linked = _linked(pairs, rule, judged)
        precision, recall = _weighted_ratios(truth, linked, weight)
        p_draws, r_draws = _weighted_ratios(truth[draws], linked[draws], weight[draws])
        rows.append(
            {
                "rule": rule,
                "sample": "judged_weighted",
                "pairs": len(judged),
                "precision": float(precision),
                "recall": float(recall),
                "precision_low": float(np.nanpercentile(p_draws, 2.5)),
                "precision_high": float(np.nanpercentile(p_draws, 97.5)),
                "recall_low": float(np.nanpercentile(r_draws, 2.5)),
                "recall_high": float(np.nanpercentile(r_draws, 97.5)),
            }
        )
    return pd.DataFrame(rows, columns=list(VALIDATION_COLUMNS))


def citation_recall(pairs: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Recall of each rule on the citation gold set: samples `citations_heldout`
    (all held-out pairs), `citations_heldout_one` and `citations_heldout_several`
    (events citing one incident, several), and `citations_train` for comparison;
    Wilson intervals; precision is not measured (nan). `gold` holds the pairs a rule
    could link (both records linkable)."""
    gold = gold.reset_index(drop=True)
    samples = {
        "citations_heldout": gold["half"].eq("heldout"),
        "citations_heldout_one": gold["half"].eq("heldout") & gold["event_citations"].eq(1),
        "citations_heldout_several": gold["half"].eq("heldout") & gold["event_citations"].gt(1),
        "citations_train": gold["half"].eq("train"),
    }
    rows = []
    for rule in RULES:
        linked = _linked(pairs, rule, gold)
        for sample, mask in samples.items():
            inside = mask.to_numpy()
            hits, trials = int(linked[inside].sum()), int(inside.sum())
            low, high = wilson(hits, trials)
            rows.append(
                {
                    "rule": rule,
                    "sample": sample,
                    "pairs": trials,
                    "precision": float("nan"),
                    "recall": hits / trials if trials else float("nan"),
                    "precision_low": float("nan"),
                    "precision_high": float("nan"),
                    "recall_low": low,
                    "recall_high": high,
                }
            )
    return pd.DataFrame(rows, columns=list(VALIDATION_COLUMNS))
