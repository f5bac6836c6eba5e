"""Validation: precision and recall of both rules on pairs judged by reading them.

The sample. `draw_sample` takes candidate pairs in bands of the strict rule's
score (`SCORE_BANDS`), the same number from each, with a fixed seed, so that sure
links, sure non-links and the doubtful middle are all read. Each pair was judged by
reading both records (dates, place names, coordinates, deaths, belligerents, and
GED's dyad and source headline) and recorded in `paths.LINK_JUDGEMENTS` with
`same_event` (yes or no) and a one-line reason in our own words; the file holds
ids and codes only, never a person's name.

The measure. A rule's predicted links on the sample are the judged pairs it links
(`analysis.linking.outputs.rule_pairs`); precision is the share of them judged the
same event, recall the share of pairs judged the same event that it links.

Known drawbacks. Sixty pairs give wide intervals (a Wilson interval is reported
beside each share). Pairs are drawn evenly across score bands, not in proportion
to their numbers, so the shares describe the rule on this sample, not on all
candidate pairs; the judge is one reader, and some pairs stay uncertain (the
reason says so).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.linking.outputs import RULES, rule_pairs

SCORE_BANDS: tuple[float, ...] = (0.0, 0.01, 0.1, 0.3, 0.5, 0.7, 1.0)
PER_BAND = 10
SEED = 13
JUDGEMENT_COLUMNS = ("sequence", "incident_code", "ged_id", "same_event", "reason")


def draw_sample(pairs: pd.DataFrame, per_band: int = PER_BAND, seed: int = SEED) -> pd.DataFrame:
    """`per_band` pairs from each score band, seeded; columns of `pairs` plus `band`."""
    band = pd.cut(pairs["match_probability"], list(SCORE_BANDS), include_lowest=True)
    drawn = (
        pairs.assign(band=band.astype(str))
        .groupby("band", sort=True, observed=True)
        .sample(n=per_band, random_state=seed)
    )
    return drawn.sort_values(["band", "sequence", "ged_id"]).reset_index(drop=True)


def read_judgements(path: Path) -> pd.DataFrame:
    """The judged pairs; checks the columns and that `same_event` is yes or no."""
    judged = pd.read_csv(path, dtype={"incident_code": str, "reason": str})
    if tuple(judged.columns) != JUDGEMENT_COLUMNS:
        raise ValueError(
            f"{path}: expected columns {JUDGEMENT_COLUMNS}, found {tuple(judged.columns)}"
        )
    bad = judged[~judged["same_event"].isin(["yes", "no"])]
    if len(bad):
        raise ValueError(f"{path} line {bad.index[0] + 2}: same_event must be yes or no")
    return judged


def wilson(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a proportion (95 % by default); (nan, nan) for 0 trials."""
    if trials == 0:
        return float("nan"), float("nan")
    p = successes / trials
    centre = (p + z**2 / (2 * trials)) / (1 + z**2 / trials)
    half = z * np.sqrt(p * (1 - p) / trials + z**2 / (4 * trials**2)) / (1 + z**2 / trials)
    return float(centre - half), float(centre + half)


def evaluate(pairs: pd.DataFrame, judged: pd.DataFrame) -> pd.DataFrame:
    """Precision and recall of each rule on the judged pairs.

    Columns: `rule`, `judged`, `same_event`, `linked`, `true_links`, `precision`,
    `precision_low`, `precision_high`, `recall`, `recall_low`, `recall_high`.
    """
    keys = ["sequence", "ged_id"]
    truth = judged["same_event"].eq("yes").to_numpy()
    rows = []
    for rule in RULES:
        linked_keys = pd.MultiIndex.from_frame(rule_pairs(pairs, rule)[keys])
        linked = pd.MultiIndex.from_frame(judged[keys]).isin(linked_keys)
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
