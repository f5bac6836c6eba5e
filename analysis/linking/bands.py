"""Shares with their uncertainty: each rule's corroborated share by perpetrator and
year, with the band its conventions allow.

The strict rule's share is published at threshold 0.5 (`strict.THRESHOLD`) with the
prior estimated from the training half. Neither is known exactly: the threshold is
a convention, and the prior rests on the deterministic rule's recall, measured with
an interval. The band is the lowest and highest share over every threshold of
`THRESHOLDS` crossed with the prior at that recall's estimate and at both ends of
its 95 % interval (a prior moves every pair's match weight by the same amount, so
the pairs are re-scored without Splink), each time with the assignment redone. The
loose rule's share is published at its reference cell (10 km, 1 day); its band is
the lowest and highest share over the loose grid.

Shares are of linkable incidents (dated in GED's window, with coordinates) naming
the perpetrator, by the incident's calendar year; the published ones count links to
GED events independent of Airwars only (`links` "independent"), every link beside
them (`links` "any").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.linking import assignment, loose, outputs

THRESHOLDS: tuple[float, ...] = (0.3, 0.4, 0.5, 0.6, 0.7)
#: The published threshold (`strict.THRESHOLD`, not imported: it would load Splink).
THRESHOLD = 0.5
COLUMNS = ("perpetrator", "year", "rule", "links", "share", "band_low", "band_high")


def reweighted(pairs: pd.DataFrame, prior: float, new_prior: float) -> pd.Series:
    """Match probabilities under `new_prior` instead of `prior`."""
    shift = np.log2(new_prior / (1 - new_prior)) - np.log2(prior / (1 - prior))
    return 1 / (1 + np.power(2.0, -(pairs["match_weight"] + shift)))


def strict_settings(
    pairs: pd.DataFrame, model: pd.DataFrame
) -> dict[tuple[float, float], pd.Series]:
    """For each (threshold, deterministic recall) of the band: which pairs link."""
    prior_rows = model[model["comparison"] == "prior"].set_index("level")["m"]
    prior, recall = float(prior_rows["probability"]), float(prior_rows["deterministic_recall"])
    need = pairs.drop_duplicates("sequence").set_index("sequence")["need"]
    deaths = pairs.drop_duplicates("ged_id").set_index("ged_id")["deaths"]
    settings = {}
    for other in (float(prior_rows["recall_low"]), recall, float(prior_rows["recall_high"])):
        # Splink's prior is proportional to 1 / recall of the deterministic rule.
        scored = pairs.assign(
            match_probability=reweighted(pairs, prior, prior * recall / other).round(6)
        )
        for threshold in THRESHOLDS:
            settings[(threshold, other)] = assignment.assign(scored, need, deaths, threshold) > 0
    return settings


def _yearly(frame: pd.DataFrame, linked: pd.Series) -> pd.Series:
    """Share of `frame`'s incidents (one row per incident and perpetrator) whose
    sequence is in `linked`, by perpetrator and year."""
    corroborated = frame["sequence"].isin(linked)
    return corroborated.groupby([frame["perpetrator"], frame["year"]]).mean()


def shares_table(
    airwars: pd.DataFrame, pairs: pd.DataFrame, linkable: pd.Series, model: pd.DataFrame
) -> pd.DataFrame:
    """`shares.csv`: `perpetrator`, `year`, `rule`, `links`, `share`, `band_low`,
    `band_high`. `links` is `independent` (links to GED events that do not rest on
    Airwars, `analysis.linking.independence`: the published shares) or `any` (every
    link, as before independence was measured); `pairs` carry `independence`."""
    frame = outputs.incident_frame(airwars, pairs, linkable, "strict")
    settings = strict_settings(pairs, model)
    frames = []
    for links, keep in (
        ("independent", pairs["independence"].eq("independent")),
        ("any", pd.Series(True, index=pairs.index)),
    ):
        strict_shares = pd.concat(
            {
                key: _yearly(frame, pairs.loc[linked & keep, "sequence"])
                for key, linked in settings.items()
            },
            axis=1,
        )
        published = _yearly(frame, pairs.loc[pairs["strict"] & keep, "sequence"])
        grid = pd.concat(
            {
                (d_km, k_days): _yearly(frame, loose.within(pairs[keep], d_km, k_days)["sequence"])
                for d_km in loose.GRID_KM
                for k_days in loose.GRID_DAYS
            },
            axis=1,
        )
        for rule, share, band in (
            ("strict", published, strict_shares),
            ("loose", grid[(loose.REFERENCE_KM, loose.REFERENCE_DAYS)], grid),
        ):
            frames.append(
                pd.DataFrame(
                    {
                        "rule": rule,
                        "links": links,
                        "share": share,
                        "band_low": np.fmin(band.min(axis=1), share),
                        "band_high": np.fmax(band.max(axis=1), share),
                    }
                ).reset_index()
            )
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype("int64")
    order = ["perpetrator", "year", "rule", "links"]
    return out[list(COLUMNS)].sort_values(order).reset_index(drop=True)


def gap(
    airwars: pd.DataFrame, pairs: pd.DataFrame, linkable: pd.Series, perpetrator: str, year: int
) -> pd.Series:
    """Why the loose rule corroborates more incidents than the strict one, for one
    perpetrator and year, counting every link whatever its independence: `loose`
    and `strict` (incidents corroborated), `loose_only` (by the loose rule's
    reference cell but not the strict rule), split into
    `lost_to_threshold` (no candidate pair scores at least the threshold) and
    `lost_to_assignment` (a pair does, but the events' deaths went to other
    incidents), and `strict_only` (linked beyond 10 km or a day)."""
    frame = outputs.incident_frame(airwars, pairs, linkable, "strict")
    chosen = frame[(frame["perpetrator"] == perpetrator) & (frame["year"] == year)]["sequence"]
    loose_set = set(outputs.rule_pairs(pairs, "loose")["sequence"]) & set(chosen)
    strict_set = set(pairs.loc[pairs["strict"], "sequence"]) & set(chosen)
    threshold = pairs["match_probability"] >= THRESHOLD
    above = set(pairs.loc[threshold, "sequence"])
    loose_only = loose_set - strict_set
    return pd.Series(
        {
            "loose": len(loose_set),
            "strict": len(strict_set),
            "loose_only": len(loose_only),
            "lost_to_threshold": len(loose_only - above),
            "lost_to_assignment": len(loose_only & above),
            "strict_only": len(strict_set - loose_set),
        }
    )
