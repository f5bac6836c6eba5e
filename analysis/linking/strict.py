"""The strict rule: Splink scores every candidate pair with weights learnt from data,
and an assignment gives each GED event's civilian deaths to incidents.

Library. Splink 5 (Fellegi-Sunter, DuckDB backend) rather than the Python Record
Linkage Toolkit: recordlinkage 0.16 requires pandas < 3 and this package runs on
pandas 3; Splink scores pairs in SQL, estimates u-probabilities from random pairs,
m-probabilities from labelled pairs, and adjusts for how common a place name is.

Model. Three comparisons, each a ladder of levels:

- `date`: both records on one day and the same day, 1 or 2 days apart; or, when
  either spans several days, a short span (up to `SHORT_SPAN_DAYS`) or a long one
  that comes within 2 days of the other. A GED event spanning days (its
  `date_start` to `date_end`; `date_prec` above 1) is never "same day": a city's
  two-week tally overlapping a strike is weaker evidence than a strike that day;
- `place`: distance (within 2, 10, 25 km, further) crossed with whether the place
  names agree (equal, or Jaro-Winkler >= 0.88 on `analysis.linking.names.place`) or
  share a word (Airwars' location against GED's `where_coordinates` and `adm_2`).
  Distance and name are one comparison because they are not independent. A GED
  event on a city's point (one that `CITY_POINT_EVENTS` or more GED events share,
  such as "Aleppo town") has levels of its own, within 10 km with the name or a
  word in common, or within 10 km: an incident near Aleppo's centre and named
  "Aleppo" is near most of Aleppo's GED events, so agreeing there says less than
  agreeing on a village, and the data give those levels their own weight. (Splink's
  term-frequency adjustment needs a plain exact-match level on the name, which a
  ladder crossing name and distance does not have);
- `civilian_deaths`: GED's civilian deaths inside Airwars' [minimum, maximum],
  within a factor of two of it, or further (no level when Airwars gives no count).

Weights from data. u-probabilities (how often a level occurs between unrelated
records) are estimated by Splink from a million seeded random pairs (two million
move no u by more than about a tenth and take twice as long). m-probabilities (how
often a level occurs between two records of one event) are estimated from the
`train` half of the citation gold set (`analysis.linking.gold`), with a
pseudo-count of `PSEUDO_COUNT` per level so that an unseen level is rare, not
impossible. The place ladder is then made monotone: its levels are ordered (nearer
before further, within a distance an agreeing name before a shared word before
neither) and adjacent levels whose Bayes factors m/u fall out of that order are
pooled (the pool-adjacent-violators algorithm, weighted by u), so being nearer or
agreeing in name never counts against a pair. The prior (how many pairs match at
all) is estimated by Splink from a deterministic rule (overlapping dates, within
1 km, same place name) with its recall measured on the same `train` half.

Decision. Pairs scoring at least `THRESHOLD` (match probability) are linked by
`analysis.linking.assignment`: each event's civilian deaths go to incidents best
pair first, independent GED events before those resting on Airwars, no death to
two incidents; ties are settled without ids. The
threshold is a convention, not an estimate: `analysis.linking.bands` reports every
share over thresholds 0.3 to 0.7 and over the prior's interval.

Known drawbacks. The training pairs are easier than the general case (GED copied
Airwars' date and place when it cited Airwars), so the m-probabilities lean towards
agreement and the rule is stricter with independent reports than these pairs
suggest. GED's civilian deaths come from every perpetrator, so a link says that a
second source recorded deaths there and then, not who caused them.
"""

from __future__ import annotations

import logging
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import splink.blocking_rule_library as brl
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator

from analysis.linking import assignment, candidates
from analysis.linking.candidates import EARTH_RADIUS_KM, MAX_DAYS, MAX_KM
from analysis.linking.validation import wilson

THRESHOLD = 0.5
SEED = 13
U_MAX_PAIRS = 1e6
NAME_SIMILARITY = 0.88
SHORT_SPAN_DAYS = 7
CITY_POINT_EVENTS = 50
PSEUDO_COUNT = 0.5
DETERMINISTIC_KM = 1.0
#: u of a level never met among the random pairs (small inputs only).
U_FLOOR = 1e-6

#: The m-probabilities the package set by hand before they were estimated (issue 17
#: compares them); the old date ladder was 0, 1, 2 days apart or further.
HAND_SET_M: dict[str, dict[str, float]] = {
    "date": {"same_day": 0.60, "1_day": 0.25, "2_days": 0.12, "else": 0.03},
    "place": {
        "city_point_name": float("nan"),
        "city_point": float("nan"),
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
#: Level names of each comparison, in ladder order (the null level has none).
LEVELS: dict[str, tuple[str, ...]] = {
    "date": ("same_day", "1_day", "2_days", "short_span", "long_span", "else"),
    "place": tuple(HAND_SET_M["place"]),
    "civilian_deaths": tuple(HAND_SET_M["civilian_deaths"]),
}

_GAP = "greatest(day_start_r - day_end_l, day_start_l - day_end_r, 0)"
_ONE_DAY = "day_end_l = day_start_l and day_end_r = day_start_r"
_SPAN = "greatest(day_end_l - day_start_l, day_end_r - day_start_r) + 1"


def _haversine_sql(left: str, right: str) -> str:
    """Haversine distance in km between two table aliases' points, in DuckDB SQL."""
    return (
        f"2 * {EARTH_RADIUS_KM} * asin(sqrt("
        f"pow(sin(radians({right}.latitude - {left}.latitude) / 2), 2) + "
        f"cos(radians({left}.latitude)) * cos(radians({right}.latitude)) * "
        f"pow(sin(radians({right}.longitude - {left}.longitude) / 2), 2)))"
    )


def _comparisons() -> list[Any]:
    """The three comparisons, levels in the order of `LEVELS`, m-probabilities unset."""
    date = cl.CustomComparison(
        [
            cll.CustomLevel(f"{_GAP} = 0 and {_ONE_DAY}", "same day"),
            cll.CustomLevel(f"{_GAP} = 1 and {_ONE_DAY}", "1 day apart"),
            cll.CustomLevel(f"{_GAP} = 2 and {_ONE_DAY}", "2 days apart"),
            cll.CustomLevel(
                f"{_GAP} <= {MAX_DAYS} and {_SPAN} <= {SHORT_SPAN_DAYS}",
                f"a span of up to {SHORT_SPAN_DAYS} days, within {MAX_DAYS} days",
            ),
            cll.CustomLevel(f"{_GAP} <= {MAX_DAYS}", f"a longer span, within {MAX_DAYS} days"),
            cll.ElseLevel(),
        ],
        output_column_name="date",
    )

    def name() -> Any:
        return cll.Or(cll.ExactMatchLevel("place"), cll.JaroWinklerLevel("place", NAME_SIMILARITY))

    def word() -> Any:
        return cll.CustomLevel("list_has_any(tokens_l, tokens_r)", "a place word in common")

    def near_10() -> Any:
        return cll.DistanceInKMLevel("latitude", "longitude", km_threshold=10)

    city = cll.CustomLevel(f"point_events_r >= {CITY_POINT_EVENTS}", "GED event on a city's point")
    levels: list[Any] = [
        cll.Or(cll.NullLevel("latitude"), cll.NullLevel("longitude")),
        cll.And(city, near_10(), cll.Or(name(), word())),
        cll.And(city, near_10()),
    ]
    for km in (2, 10):

        def near(km: float = km) -> Any:
            return cll.DistanceInKMLevel("latitude", "longitude", km_threshold=km)

        levels += [cll.And(near(), name()), cll.And(near(), word()), near()]
    far = cll.DistanceInKMLevel("latitude", "longitude", km_threshold=MAX_KM)
    levels += [
        cll.And(far, cll.Or(name(), word())),
        cll.DistanceInKMLevel("latitude", "longitude", km_threshold=MAX_KM),
        cll.ElseLevel(),
    ]
    deaths = cl.CustomComparison(
        [
            cll.Or(cll.NullLevel("civilians_low"), cll.NullLevel("civilians_high")),
            cll.CustomLevel(
                "civilians_low_r between civilians_low_l and civilians_high_l",
                "GED civilians inside Airwars' range",
            ),
            cll.CustomLevel(
                "civilians_low_r between civilians_low_l / 2 and civilians_high_l * 2",
                "within a factor of two",
            ),
            cll.ElseLevel(),
        ],
        output_column_name="civilian_deaths",
    )
    return [date, cl.CustomComparison(levels, output_column_name="place"), deaths]


def _blocking_rule() -> str:
    """Pairs within MAX_DAYS and (a hair over) MAX_KM; exact filtering is in pandas."""
    return (
        f"l.day_start <= r.day_end + {MAX_DAYS} and r.day_start <= l.day_end + {MAX_DAYS} "
        f"and {_haversine_sql('l', 'r')} <= {MAX_KM + 0.01}"
    )


def _deterministic_rule() -> str:
    return (
        "l.day_start <= r.day_end and r.day_start <= l.day_end "
        f"and l.place = r.place and {_haversine_sql('l', 'r')} <= {DETERMINISTIC_KM}"
    )


def _arrow(records: pd.DataFrame, source: str) -> pa.Table:
    table = records.assign(source_dataset=source)
    return pa.Table.from_pandas(table, preserve_index=False)


def deterministic_recall(
    incidents: pd.DataFrame, events: pd.DataFrame, train: pd.DataFrame
) -> tuple[float, float, float]:
    """Share of `train` pairs (`sequence`, `ged_id`) the deterministic rule finds,
    with its 95 % Wilson interval: (recall, low, high)."""
    joined = train.merge(
        incidents.add_suffix("_l"), left_on="sequence", right_on="unique_id_l"
    ).merge(events.add_suffix("_r"), left_on="ged_id", right_on="unique_id_r")
    km = candidates.haversine_km(
        joined["latitude_l"].to_numpy(),
        joined["longitude_l"].to_numpy(),
        joined["latitude_r"].to_numpy(),
        joined["longitude_r"].to_numpy(),
    )
    found = (
        (joined["day_start_l"] <= joined["day_end_r"])
        & (joined["day_start_r"] <= joined["day_end_l"])
        & joined["place_l"].eq(joined["place_r"]).fillna(False)
        & (km <= DETERMINISTIC_KM)
    )
    hits, trials = int(found.sum()), len(joined)
    if hits == 0:
        raise ValueError(
            f"the deterministic rule finds none of the {trials} training pairs; "
            "the prior cannot be estimated"
        )
    low, high = wilson(hits, trials)
    return hits / trials, low, high


def pool_adjacent_violators(m: np.ndarray, u: np.ndarray) -> np.ndarray:
    """m-probabilities whose Bayes factors m/u do not increase along the ladder:
    violating neighbours are pooled (their m and u summed), keeping each m's sum."""
    blocks: list[list[Any]] = []  # [m sum, u sum, level count]
    for m_level, u_level in zip(m, u, strict=True):
        blocks.append([m_level, u_level, 1])
        while len(blocks) > 1 and blocks[-2][0] * blocks[-1][1] < blocks[-1][0] * blocks[-2][1]:
            m_last, u_last, n_last = blocks.pop()
            blocks[-1] = [blocks[-1][0] + m_last, blocks[-1][1] + u_last, blocks[-1][2] + n_last]
    factors = np.concatenate([np.full(n, m_sum / u_sum) for m_sum, u_sum, n in blocks])
    return factors * u


def _estimated_parameters(model: dict[str, Any], train_pairs: int) -> pd.DataFrame:
    """m (smoothed, monotone for place) and u of every level, from a trained model."""
    rows = []
    for comparison in model["comparisons"]:
        output = comparison["output_column_name"]
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        raw = np.array([lv.get("m_probability") or 0.0 for lv in levels], dtype=float)
        u = np.array([lv.get("u_probability") or U_FLOOR for lv in levels], dtype=float)
        m = (raw * train_pairs + PSEUDO_COUNT) / (train_pairs + PSEUDO_COUNT * len(levels))
        if output == "place":  # the city-point levels stand apart from the ladder
            m[2:] = pool_adjacent_violators(m[2:], u[2:])
        for name, raw_m, m_level, u_level in zip(LEVELS[output], raw, m, u, strict=True):
            rows.append(
                {
                    "comparison": output,
                    "level": name,
                    "m_hand_set": HAND_SET_M[output].get(name, float("nan")),
                    "m_observed": raw_m,
                    "m": m_level,
                    "u": u_level,
                    "bayes_factor": m_level / u_level,
                }
            )
    return pd.DataFrame(rows)


def _with_parameters(model: dict[str, Any], parameters: pd.DataFrame) -> dict[str, Any]:
    for comparison in model["comparisons"]:
        table = parameters[parameters["comparison"] == comparison["output_column_name"]]
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        for level, m in zip(levels, table["m"], strict=True):
            level["m_probability"] = float(m)
    return model


def score(
    incidents: pd.DataFrame,
    events: pd.DataFrame,
    candidate_pairs: pd.DataFrame,
    train: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score the candidate pairs and assign GED events' deaths to incidents.

    `train` holds the training pairs (`sequence`, `ged_id`) of the citation gold
    set. Returns the scored pairs (`candidate_pairs` with the level of each
    comparison, `date_level`, `place_level`, `civilian_deaths_level` (empty when a
    value is missing), `match_weight`, `match_probability` rounded to 6 decimals,
    `need`, `deaths`, `ged_independent` (served first), `allocated` (deaths the
    assignment gave) and `strict`) and
    the model (`comparison`, `level`, `m_hand_set`, `m_observed`, `m`, `u`,
    `bayes_factor`, plus rows for the prior). Raises if Splink did not score every
    candidate, which would mean the SQL and pandas windows disagree.
    """
    train = train[
        train["sequence"].isin(incidents["unique_id"]) & train["ged_id"].isin(events["unique_id"])
    ]
    recall, recall_low, recall_high = deterministic_recall(incidents, events, train)
    con = duckdb.connect()
    con.execute("SET threads = 1")
    try:
        db = DuckDBAPI(connection=con)
        tables = [
            db.register(_arrow(incidents, "airwars"), table_name="airwars"),
            db.register(_arrow(events, "ged"), table_name="ged"),
        ]
        settings = SettingsCreator(
            link_type="link_only",
            comparisons=_comparisons(),
            blocking_rules_to_generate_predictions=[brl.CustomRule(_blocking_rule())],
        )
        linker = Linker(tables, settings, log_level=logging.ERROR)
        linker.training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=SEED)
        linker.table_management.register_table(
            pd.DataFrame(
                {
                    "source_dataset_l": "airwars",
                    "unique_id_l": train["sequence"].to_numpy(dtype="int64"),
                    "source_dataset_r": "ged",
                    "unique_id_r": train["ged_id"].to_numpy(dtype="int64"),
                }
            ),
            "training_pairs",
            overwrite=True,
        )
        linker.training.estimate_m_from_pairwise_labels("training_pairs")
        parameters = _estimated_parameters(linker.misc.save_model_to_json(), len(train))
        model = _with_parameters(linker.misc.save_model_to_json(), parameters)
        linker = Linker(tables, model, log_level=logging.ERROR)
        linker.training.estimate_probability_two_random_records_match(
            [_deterministic_rule()], recall=recall
        )
        prior = float(linker.misc.save_model_to_json()["probability_two_random_records_match"])
        predicted = linker.inference.predict().as_pandas_dataframe()
    finally:
        con.close()
    for output, names in LEVELS.items():
        gammas = {len(names) - 1 - i: name for i, name in enumerate(names)}
        predicted[f"{output}_level"] = predicted[f"gamma_{output}"].map(gammas).astype("string")
    level_columns = [f"{output}_level" for output in LEVELS]
    scored = candidate_pairs.merge(
        predicted[
            ["unique_id_l", "unique_id_r", *level_columns, "match_weight", "match_probability"]
        ].rename(columns={"unique_id_l": "sequence", "unique_id_r": "ged_id"}),
        on=["sequence", "ged_id"],
        how="left",
        validate="one_to_one",
    )
    if scored["match_probability"].isna().any():
        missing = scored[scored["match_probability"].isna()].head(3)
        raise RuntimeError(f"Splink did not score some candidate pairs, e.g. {missing}")
    scored["match_weight"] = scored["match_weight"].round(6)
    scored["match_probability"] = scored["match_probability"].round(6)
    need = assignment.needs(
        pd.Series(incidents["civilians_low"].to_numpy(), index=incidents["unique_id"])
    )
    deaths = pd.Series(events["civilians_low"].to_numpy(dtype=float), index=events["unique_id"])
    scored["need"] = scored["sequence"].map(need)
    scored["deaths"] = scored["ged_id"].map(deaths)
    independent = pd.Series(
        events["independent"].to_numpy(dtype=bool) if "independent" in events else False,
        index=events["unique_id"],
    )
    scored[assignment.FIRST] = scored["ged_id"].map(independent).astype(bool)
    scored["allocated"] = assignment.assign(scored, need, deaths, THRESHOLD)
    scored["strict"] = scored["allocated"] > 0
    prior_rows = pd.DataFrame(
        {
            "comparison": "prior",
            "level": ["deterministic_recall", "recall_low", "recall_high", "probability"],
            "m_hand_set": [0.7, np.nan, np.nan, np.nan],
            "m_observed": [recall, recall_low, recall_high, prior],
            "m": [recall, recall_low, recall_high, prior],
            "u": np.nan,
            "bayes_factor": np.nan,
        }
    )
    return scored, pd.concat([parameters, prior_rows], ignore_index=True)
