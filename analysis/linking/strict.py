"""The strict rule: Splink scores every candidate pair, and each GED event is given
to one incident at most.

Library. Splink 5 (Fellegi-Sunter, DuckDB backend) rather than the Python Record
Linkage Toolkit: recordlinkage 0.16 requires pandas < 3 and this package runs on
pandas 3; Splink scores pairs in SQL, estimates u-probabilities from random pairs,
and ships the one-to-one assignment this rule needs (`cluster_using_single_best_links`).

Model. Three comparisons, each a ladder of levels:

- `date_gap`: 0, 1, 2 days apart, further;
- `place`: distance (within 2, 10, 25 km, further) crossed with whether the place
  names agree (equal, or Jaro-Winkler >= 0.88 on `analysis.linking.names.place`) or
  share a word (Airwars' location against GED's `where_coordinates` and `adm_2`).
  Distance and name are one comparison because they are not independent: two
  records of one village are both near and alike in name, and Fellegi-Sunter would
  count that evidence twice if they were separate;
- `civilian_deaths`: GED's civilian deaths inside Airwars' [minimum, maximum],
  within a factor of two of it, or further (no level when Airwars gives no count).

u-probabilities (how often a level occurs between unrelated records) are estimated
by Splink from seeded random pairs of the two tables. The prior (how many pairs
match at all) is estimated by Splink from a deterministic rule (same day, within
1 km, same place name) with an assumed recall of `DETERMINISTIC_RECALL`.

m-probabilities (how often a level occurs between two records of one strike) are
set here (`M_PROBABILITIES`), not estimated by expectation maximisation. EM was
tried and fails on these data: blocked on the same days, it takes "within 25 km"
as the match class (every candidate becomes a near-certain match); with the prior
fixed, it collapses onto one cell (same day, within 2 km, same name, same deaths).
Time and place are all that tell an event from its neighbour, and they are also
what makes the block, so EM has nothing left to learn from. The values set say:
most true pairs are reported on the same day and within 2 km under the same name,
and a day or two of reporting lag, a city-centre geocode or a different tally are
common but less so. The judged sample (`analysis.linking.validation`) measures how
well the resulting rule does.

Decision. Pairs scoring at least `THRESHOLD` (match probability) are linked by
Splink's single-best-links clustering with Airwars as the duplicate-free side:
each cluster holds one incident at most, so each GED event goes to one incident at
most (its mutual best), while an incident may gather several GED events (GED splits
one strike by dyad or by day). Ties go to the lowest id, so the result is
deterministic; DuckDB runs on one thread, so sums are added in one order.

Known drawbacks. The m-probabilities are judgement, not estimates; the probability
scale moves with the assumed recall; GED's civilian deaths come from every
perpetrator, so a link says that a second source recorded deaths there and then,
not who caused them.
"""

from __future__ import annotations

import logging
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import splink.blocking_rule_library as brl
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator

from analysis.linking.candidates import EARTH_RADIUS_KM, MAX_DAYS, MAX_KM

THRESHOLD = 0.5
SEED = 13
U_MAX_PAIRS = 2e6
DETERMINISTIC_RECALL = 0.7
NAME_SIMILARITY = 0.88

#: Level -> m-probability (share of true pairs at that level); each ladder sums to 1.
M_PROBABILITIES: dict[str, dict[str, float]] = {
    "date_gap": {"0": 0.60, "1": 0.25, "2": 0.12, "else": 0.03},
    "place": {
        "2km_name": 0.55,
        "2km_word": 0.06,
        "2km": 0.12,
        "10km_name": 0.06,
        "10km_word": 0.04,
        "10km": 0.08,
        "25km_name_or_word": 0.03,
        "25km": 0.03,
        "else": 0.03,
    },
    "civilian_deaths": {"within": 0.55, "factor_two": 0.30, "else": 0.15},
}

_GAP = "greatest(day_start_r - day_end_l, day_start_l - day_end_r, 0)"


def _haversine_sql(left: str, right: str) -> str:
    """Haversine distance in km between two table aliases' points, in DuckDB SQL."""
    return (
        f"2 * {EARTH_RADIUS_KM} * asin(sqrt("
        f"pow(sin(radians({right}.latitude - {left}.latitude) / 2), 2) + "
        f"cos(radians({left}.latitude)) * cos(radians({right}.latitude)) * "
        f"pow(sin(radians({right}.longitude - {left}.longitude) / 2), 2)))"
    )


def _m(comparison: str, level: str, creator: Any) -> Any:
    return creator.configure(m_probability=M_PROBABILITIES[comparison][level])


def _comparisons() -> list[Any]:
    m = M_PROBABILITIES
    assert all(abs(sum(levels.values()) - 1) < 1e-9 for levels in m.values())
    date_gap = cl.CustomComparison(
        [
            _m("date_gap", str(k), cll.CustomLevel(f"{_GAP} = {k}", f"{k} days apart"))
            for k in range(MAX_DAYS + 1)
        ]
        + [_m("date_gap", "else", cll.ElseLevel())],
        output_column_name="date_gap",
    )
    name = cll.Or(cll.ExactMatchLevel("place"), cll.JaroWinklerLevel("place", NAME_SIMILARITY))
    word = cll.CustomLevel("list_has_any(tokens_l, tokens_r)", "a place word in common")
    levels: list[Any] = [cll.Or(cll.NullLevel("latitude"), cll.NullLevel("longitude"))]
    for km in (2, 10):
        near = cll.DistanceInKMLevel("latitude", "longitude", km_threshold=km)
        levels += [
            _m("place", f"{km}km_name", cll.And(near, name)),
            _m("place", f"{km}km_word", cll.And(near, word)),
            _m("place", f"{km}km", near),
        ]
    near = cll.DistanceInKMLevel("latitude", "longitude", km_threshold=MAX_KM)
    levels += [
        _m("place", "25km_name_or_word", cll.And(near, cll.Or(name, word))),
        _m("place", "25km", near),
        _m("place", "else", cll.ElseLevel()),
    ]
    deaths = cl.CustomComparison(
        [
            cll.Or(cll.NullLevel("civilians_low"), cll.NullLevel("civilians_high")),
            _m(
                "civilian_deaths",
                "within",
                cll.CustomLevel(
                    "civilians_low_r between civilians_low_l and civilians_high_l",
                    "GED civilians inside Airwars' range",
                ),
            ),
            _m(
                "civilian_deaths",
                "factor_two",
                cll.CustomLevel(
                    "civilians_low_r between civilians_low_l / 2 and civilians_high_l * 2",
                    "within a factor of two",
                ),
            ),
            _m("civilian_deaths", "else", cll.ElseLevel()),
        ],
        output_column_name="civilian_deaths",
    )
    return [date_gap, cl.CustomComparison(levels, output_column_name="place"), deaths]


def _blocking_rule() -> str:
    """Pairs within MAX_DAYS and (a hair over) MAX_KM; exact filtering is in pandas."""
    return (
        f"l.day_start <= r.day_end + {MAX_DAYS} and r.day_start <= l.day_end + {MAX_DAYS} "
        f"and {_haversine_sql('l', 'r')} <= {MAX_KM + 0.01}"
    )


def _arrow(records: pd.DataFrame, source: str) -> pa.Table:
    table = records.assign(source_dataset=source)
    return pa.Table.from_pandas(table, preserve_index=False)


def score(incidents: pd.DataFrame, events: pd.DataFrame, candidates: pd.DataFrame) -> pd.DataFrame:
    """Score the candidate pairs and assign GED events to incidents.

    Returns `candidates` with `match_probability` (rounded to 6 decimals) and
    `strict` (the pair is a link of the strict rule). Raises if Splink did not score
    every candidate, which would mean the SQL and pandas windows disagree.
    """
    con = duckdb.connect()
    con.execute("SET threads = 1")
    try:
        db = DuckDBAPI(connection=con)
        left = db.register(_arrow(incidents, "airwars"), table_name="airwars")
        right = db.register(_arrow(events, "ged"), table_name="ged")
        settings = SettingsCreator(
            link_type="link_only",
            comparisons=_comparisons(),
            blocking_rules_to_generate_predictions=[brl.CustomRule(_blocking_rule())],
        )
        linker = Linker([left, right], settings, log_level=logging.ERROR)
        linker.training.estimate_probability_two_random_records_match(
            [
                "l.day_start <= r.day_end and r.day_start <= l.day_end "
                f"and l.place = r.place and {_haversine_sql('l', 'r')} <= 1"
            ],
            recall=DETERMINISTIC_RECALL,
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=SEED)
        predicted = linker.inference.predict().as_pandas_dataframe()
        scored = candidates.merge(
            predicted[["unique_id_l", "unique_id_r", "match_probability"]].rename(
                columns={"unique_id_l": "sequence", "unique_id_r": "ged_id"}
            ),
            on=["sequence", "ged_id"],
            how="left",
            validate="one_to_one",
        )
        if scored["match_probability"].isna().any():
            missing = scored[scored["match_probability"].isna()].head(3)
            raise RuntimeError(f"Splink did not score some candidate pairs, e.g. {missing}")
        scored["match_probability"] = scored["match_probability"].round(6)
        edges = pa.Table.from_pandas(
            pd.DataFrame(
                {
                    "source_dataset_l": "airwars",
                    "unique_id_l": scored["sequence"],
                    "source_dataset_r": "ged",
                    "unique_id_r": scored["ged_id"],
                    "match_probability": scored["match_probability"],
                }
            ),
            preserve_index=False,
        )
        clusters = linker.clustering.cluster_using_single_best_links(
            db.register(edges, table_name="candidate_edges"),
            duplicate_free_datasets=["airwars"],
            threshold_match_probability=THRESHOLD,
            ties_method="lowest_id",
        ).as_pandas_dataframe()
    finally:
        con.close()
    members = clusters[["cluster_id", "source_dataset", "unique_id"]]
    links = members[members["source_dataset"] == "airwars"].merge(
        members[members["source_dataset"] == "ged"], on="cluster_id", suffixes=("_l", "_r")
    )
    linked = pd.MultiIndex.from_arrays(
        [links["unique_id_l"].astype("int64"), links["unique_id_r"].astype("int64")]
    )
    scored["strict"] = pd.MultiIndex.from_frame(scored[["sequence", "ged_id"]]).isin(linked)
    return scored
