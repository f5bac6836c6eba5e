"""Linking on small hand-made records: candidate windows, haversine, filters, the
loose grid's invariants and the strict rule's one-incident-per-GED-event assignment."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.linking import (
    candidates,
    independence,
    loose,
    names,
    outputs,
    records,
    strict,
    validation,
)

DAY0 = np.datetime64("2016-03-01", "D").astype("int64")


def _records(rows: list[tuple[int, int, int, float, float, str]]) -> pd.DataFrame:
    """(id, first day offset, last day offset, lat, lon, place) -> linking shape."""
    return pd.DataFrame(
        {
            "unique_id": [r[0] for r in rows],
            "day_start": [DAY0 + r[1] for r in rows],
            "day_end": [DAY0 + r[2] for r in rows],
            "latitude": [r[3] for r in rows],
            "longitude": [r[4] for r in rows],
            "place": [names.place(r[5]) for r in rows],
            "tokens": [names.tokens(r[5]) for r in rows],
            "civilians_low": 3.0,
            "civilians_high": 5.0,
            "point_events": 1,
        }
    )


def test_haversine_matches_a_known_distance() -> None:
    # One degree of latitude on a 6,371 km sphere is 6371 * pi / 180 = 111.195 km.
    one_degree = candidates.haversine_km(
        np.array([36.0]), np.array([37.0]), np.array([37.0]), np.array([37.0])
    )
    assert one_degree[0] == pytest.approx(111.19493, abs=1e-4)
    # Damascus to Aleppo, about 310 km as the crow flies.
    dam_alp = candidates.haversine_km(
        np.array([33.5138]), np.array([36.2765]), np.array([36.2021]), np.array([37.1343])
    )
    assert 305 < dam_alp[0] < 315


def test_date_window_counts_ranges_and_stops_at_k() -> None:
    incidents = _records([(1, 0, 0, 35.0, 36.0, "A"), (2, 0, 3, 35.0, 36.0, "B")])
    events = _records(
        [
            (10, 0, 0, 35.0, 36.0, "A"),  # same day
            (11, 2, 2, 35.0, 36.0, "A"),  # 2 days after incident 1, inside incident 2
            (12, 3, 3, 35.0, 36.0, "A"),  # 3 days after 1: out; inside 2
            (13, 6, 6, 35.0, 36.0, "A"),  # 6 after 1 (out), 3 after 2's end (out)
            (14, -9, -1, 35.0, 36.0, "A"),  # ends 1 day before both
        ]
    )
    found = candidates.candidate_pairs(incidents, events, max_km=1, max_days=2)
    gaps = {(r.sequence, r.ged_id): r.date_gap_days for r in found.itertuples()}
    assert gaps == {
        (1, 10): 0,
        (1, 11): 2,
        (1, 14): 1,
        (2, 10): 0,
        (2, 11): 0,
        (2, 12): 0,
        (2, 14): 1,
    }
    at_k0 = loose.within(found, 1, 0)
    assert set(zip(at_k0.sequence, at_k0.ged_id, strict=True)) == {
        (1, 10),
        (2, 10),
        (2, 11),
        (2, 12),
    }


def test_distance_window_is_inclusive_and_exact() -> None:
    incidents = _records([(1, 0, 0, 35.0, 36.0, "A")])
    step = 10 / 111.19493  # 10 km north in degrees
    events = _records(
        [(10, 0, 0, 35.0 + step * 0.999, 36.0, "A"), (11, 0, 0, 35.0 + step * 1.001, 36.0, "A")]
    )
    found = candidates.candidate_pairs(incidents, events, max_km=10, max_days=0)
    assert list(found.ged_id) == [10]


def test_ged_events_keep_town_precision_with_civilian_deaths_only() -> None:
    ged = pd.DataFrame(
        {
            "id": [1, 2, 3, 4, 5],
            "date_start": pd.to_datetime(["2016-01-01"] * 5),
            "date_end": pd.to_datetime(["2016-01-01"] * 5),
            "where_prec": pd.array([1, 3, 4, 2, None], dtype="Int64"),
            "deaths_civilians": pd.array([1, 2, 5, 0, 3], dtype="Int64"),
            "latitude": [35.0] * 5,
            "longitude": [36.0] * 5,
            "where_coordinates": ["Kafr Nabl town"] * 5,
            "adm_2": ["Maarat al-Numaan district"] * 5,
        }
    )
    events = records.ged_events(ged)
    assert list(events.unique_id) == [1, 2]
    assert events.loc[0, "place"] == "kafr nabl"
    assert events.loc[0, "tokens"] == ["kafr", "nabl", "maarat", "numaan"]


def test_place_names_fold_spellings() -> None:
    assert names.place("Ma'arbo") == "maarbo"
    assert names.place("Bustan al Qasr (Aleppo)") == "bustan qasr"
    assert names.place("village of Khirab Ashk in the Kobani countryside") == "khirab ashk kobani"
    assert names.place(None) is None
    assert names.tokens("Ar Raqqah: west of Fardous mosque") == ["raqqah", "fardous", "mosque"]


def _pairs_strategy() -> st.SearchStrategy[pd.DataFrame]:
    row = st.tuples(
        st.integers(1, 8),
        st.integers(100, 110),
        st.floats(0, 25, allow_nan=False),
        st.integers(0, 2),
        st.floats(0, 1, allow_nan=False),
    )
    return st.lists(row, min_size=0, max_size=40, unique_by=lambda r: (r[0], r[1])).map(
        lambda rows: pd.DataFrame(
            rows, columns=["sequence", "ged_id", "distance_km", "date_gap_days", "p"]
        )
    )


@settings(max_examples=60, deadline=None)
@given(_pairs_strategy())
def test_loose_corroboration_is_monotone_in_d_and_k(pairs: pd.DataFrame) -> None:
    sequences = pd.Series(range(1, 9))
    flags = loose.grid_flags(pairs, sequences).set_index(["sequence", "d_km", "k_days"])
    counts = flags.groupby(["d_km", "k_days"])["corroborated"].sum()
    for d_km in loose.GRID_KM:
        for k_days in loose.GRID_DAYS:
            here = flags.xs((d_km, k_days), level=("d_km", "k_days"))["corroborated"]
            for d2 in (d for d in loose.GRID_KM if d >= d_km):
                for k2 in (k for k in loose.GRID_DAYS if k >= k_days):
                    wider = flags.xs((d2, k2), level=("d_km", "k_days"))["corroborated"]
                    assert not (here & ~wider).any()
            assert counts[(d_km, k_days)] <= len(sequences)


def _airwars(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sequence": np.arange(1, n + 1),
            "incident_code": [f"RS{i:04d}" for i in range(1, n + 1)],
            "belligerents": pd.array(["russia"] * (n - 1) + ["russia|turkey"], dtype="string"),
            "grading": pd.Categorical(["Fair", "Contested"] * (n // 2) + ["Fair"] * (n % 2)),
            "date": pd.to_datetime("2016-03-01") + pd.to_timedelta(np.arange(n) % 20, "D"),
            "civilians_killed_min": pd.array(np.arange(n) % 4, dtype="Int64"),
            "civilians_killed_max": pd.array(np.arange(n) % 4 + 2, dtype="Int64"),
        }
    )


@settings(max_examples=40, deadline=None)
@given(_pairs_strategy())
def test_corroborated_counts_never_exceed_totals(pairs: pd.DataFrame) -> None:
    airwars = _airwars(8)
    pairs = pairs.rename(columns={"p": "match_probability"}).assign(
        strict=lambda t: t.ged_id % 2 == 0,
        independence=lambda t: np.array(independence.INDEPENDENCE)[t.ged_id % 3],
    )
    linkable = pd.Series([True] * 7 + [False])
    grid = outputs.loose_grid_table(airwars, pairs, linkable)
    assert (grid["corroborated"] <= grid["incidents"]).all()
    assert (grid["corroborated_civilians_high"] <= grid["civilians_high"]).all()
    assert (grid["corroborated_independent"] <= grid["corroborated"]).all()
    assert (
        grid["corroborated_civilians_high_independent"] <= grid["corroborated_civilians_high"]
    ).all()
    assert set(grid["incidents"]) <= {7}
    summary = outputs.summary_table(airwars, pairs, linkable)
    everyone = summary[summary["perpetrator"] == "all"]
    for rule in outputs.RULES:
        part = everyone[everyone["rule"] == rule]
        assert (part["incidents_corroborated"] + part["incidents_uncorroborated"]).sum() == 7
        for what in ("incidents", "civilians_low", "civilians_high"):
            split = sum(part[f"{what}_corroborated_{k}"] for k in independence.INDEPENDENCE)
            assert (split == part[f"{what}_corroborated"]).all()
    turkey = summary[(summary["perpetrator"] == "turkey")]
    assert (turkey["incidents_corroborated"] + turkey["incidents_uncorroborated"]).sum() == 0


def test_only_independent_links_count_toward_the_independent_columns() -> None:
    # Incident 1 is linked to an event that does not rest on Airwars, incident 2 only
    # to one that cites Airwars alone, incident 3 to an independent event 20 km away.
    airwars = _airwars(4)
    pairs = pd.DataFrame(
        {
            "sequence": [1, 2, 3],
            "ged_id": [10, 20, 30],
            "distance_km": [1.0, 1.0, 20.0],
            "date_gap_days": [0, 0, 0],
            "match_probability": [0.9, 0.9, 0.9],
            "strict": [True, True, True],
            "independence": ["independent", "circular", "independent"],
        }
    )
    grid = outputs.loose_grid_table(airwars, pairs, pd.Series([True] * 4))
    cells = grid[(grid["perpetrator"] == "russia") & (grid["k_days"] == 0)].set_index("d_km")
    columns = [
        "corroborated",
        "corroborated_independent",
        "corroborated_civilians_high",
        "corroborated_civilians_high_independent",
    ]
    assert cells.loc[2.0, columns].tolist() == [2, 1, 2 + 3, 2]
    assert cells.loc[25.0, columns].tolist() == [3, 2, 2 + 3 + 4, 2 + 4]
    summary = outputs.summary_table(airwars, pairs, pd.Series([True] * 4))
    strict_russia = summary[(summary["rule"] == "strict") & (summary["perpetrator"] == "russia")]
    totals = strict_russia[list(outputs.SPLIT_COUNTS)].sum()
    assert totals["incidents_corroborated_independent"] == 2
    assert totals["incidents_corroborated_circular"] == 1
    assert totals["civilians_high_corroborated_circular"] == 3
    shares = outputs.shares_by_grading(summary, "strict", "russia", 2016).set_index("grading")
    assert shares.at["all", "corroborated"] == 2  # independent links only
    assert shares.at["all", "corroborated_circular"] == 1  # shown beside, not added in
    assert shares.at["all", "share_incidents"] == 2 / 4
    assert shares.at["all", "share_incidents_any"] == 3 / 4


def test_strict_rule_links_the_true_pairs_and_shares_an_event_by_its_deaths() -> None:
    # Forty strikes, each recorded once by both sources in its own village on its
    # own day, plus a second Airwars record (id 100) of strike 0 needing 3 deaths.
    # Event 1000 has 4 deaths: 3 for the nearer incident 0, 1 left for incident 100;
    # every other event goes to its own incident. Half the true pairs train the model.
    villages = [f"Qarya {chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(40)]
    spots = [
        (i, 2 * i, 2 * i, 33.0 + 0.1 * i, 36.0 + 0.05 * (i % 5), villages[i]) for i in range(40)
    ]
    incidents = _records([*spots, (100, 0, 0, 33.001, 36.001, villages[0])])
    events = _records([(1000 + i, *spot[1:]) for i, spot in enumerate(spots)])
    events["civilians_low"] = events["civilians_high"] = 4.0
    found = candidates.candidate_pairs(incidents, events)
    train = pd.DataFrame({"sequence": range(0, 40, 2), "ged_id": range(1000, 1040, 2)})
    scored, model = strict.score(incidents, events, found, train)
    links = scored[scored["strict"]]
    assert set(links["ged_id"]) == set(range(1000, 1040))
    assert set(links.loc[links.ged_id == 1000, "sequence"]) == {0, 100}
    assert links.loc[links.ged_id == 1000].set_index("sequence")["allocated"].to_dict() == {
        0: 3.0,
        100: 1.0,
    }
    assert all(
        links.loc[links.ged_id == 1000 + i, "sequence"].tolist() == [i] for i in range(1, 40)
    )
    assert (links.groupby("ged_id")["allocated"].sum() <= 4.0).all()
    assert set(model["comparison"]) == {"date", "place", "civilian_deaths", "prior"}
    again = strict.score(incidents, events, found, train)
    pd.testing.assert_frame_equal(scored, again[0])


def test_a_long_ged_tally_is_never_same_day() -> None:
    # One incident on day 0; GED events at its village: one on day 0, one spanning
    # days -3..3 (a week), one spanning -10..10 (three weeks), one spanning 0..1.
    # Thirty other strikes, each in both sources, train the model.
    others = [
        (200 + i, 3 * i, 3 * i, 33.0 + 0.1 * i, 37.0, f"Qarya {chr(97 + i)}") for i in range(30)
    ]
    incidents = _records([(1, 0, 0, 35.0, 36.0, "Kafr Zita"), *others])
    events = _records(
        [
            (10, 0, 0, 35.0, 36.0, "Kafr Zita"),
            (11, -3, 3, 35.0, 36.0, "Kafr Zita"),
            (12, -10, 10, 35.0, 36.0, "Kafr Zita"),
            (13, 0, 1, 35.0, 36.0, "Kafr Zita"),
            *[(1000 + i, *o[1:]) for i, o in enumerate(others)],
        ]
    )
    found = candidates.candidate_pairs(incidents, events)
    train = pd.DataFrame({"sequence": [o[0] for o in others], "ged_id": range(1000, 1030)})
    scored, _ = strict.score(incidents, events, found, train)
    mine = scored[scored["sequence"] == 1].set_index("ged_id")
    assert mine["date_level"].to_dict() == {
        10: "same_day",
        11: "short_span",
        12: "long_span",
        13: "short_span",
    }
    assert mine.loc[10, "match_weight"] > mine.loc[11, "match_weight"]


def test_place_bayes_factors_are_made_monotone() -> None:
    m = np.array([0.5, 0.1, 0.3, 0.1])
    u = np.array([0.01, 0.01, 0.01, 0.97])
    pooled = strict.pool_adjacent_violators(m, u)
    factors = pooled / u
    assert np.all(np.diff(factors) <= 1e-12)
    assert pooled.sum() == pytest.approx(1.0)
    assert factors[1] == pytest.approx(factors[2]) == pytest.approx(20.0)


def test_incident_links_cover_every_incident_once() -> None:
    airwars = _airwars(5)
    pairs = pd.DataFrame(
        {
            "sequence": [1, 1, 2],
            "ged_id": [20, 10, 30],
            "distance_km": [1.0, 3.0, 12.0],
            "date_gap_days": [0, 1, 0],
            "match_probability": [0.9, 0.2, 0.4],
            "strict": [True, False, False],
            "independence": ["circular", "independent", "mixed"],
        }
    )
    linkable = pd.Series([True, True, True, False, True])
    strict_links = outputs.incident_links(airwars, pairs, linkable, "strict")
    loose_links = outputs.incident_links(airwars, pairs, linkable, "loose")
    assert list(strict_links["sequence"]) == [1, 2, 3, 4, 5]
    assert list(strict_links["ged_ids"]) == ["20", "", "", "", ""]
    assert list(loose_links["ged_ids"]) == ["10|20", "", "", "", ""]  # 12 km is beyond 10
    assert list(strict_links["independence"]) == ["circular", "", "", "", ""]
    # one independent event among its links makes the incident independently corroborated
    assert list(loose_links["independence"]) == ["independent", "", "", "", ""]
    with pytest.raises(ValueError, match="unknown rule"):
        outputs.incident_links(airwars, pairs, linkable, "fuzzy")


def test_precision_and_recall_on_a_judged_sample() -> None:
    pairs = pd.DataFrame(
        {
            "sequence": [1, 2, 3, 4],
            "ged_id": [10, 20, 30, 40],
            "distance_km": [1.0, 1.0, 20.0, 1.0],
            "date_gap_days": [0, 0, 0, 2],
            "match_probability": [0.9, 0.8, 0.1, 0.1],
            "strict": [True, True, False, False],
        }
    )
    judged = pd.DataFrame(
        {
            "sequence": [1, 2, 3, 4],
            "incident_code": ["a", "b", "c", "d"],
            "ged_id": [10, 20, 30, 40],
            "stratum": ["high", "high", "low", "low"],
            "same_event": ["yes", "no", "yes", "no"],
            "reason": ["r"] * 4,
        }
    )
    result = validation.evaluate(pairs, judged).set_index("rule")
    assert result.loc["strict", "precision"] == 0.5
    assert result.loc["strict", "recall"] == 0.5
    # loose at 10 km / 1 day links pairs 1 and 2: 1 of 2 right, 1 of 2 found
    assert result.loc["loose", "linked"] == 2
    low, high = validation.wilson(1, 2)
    assert 0 < low < 0.5 < high < 1


_HEADER = "sequence,incident_code,ged_id,stratum,same_event,reason\n"
_PAIRS = pd.DataFrame({"sequence": [1, 2], "ged_id": [10, 20]})
_DESIGN = pd.DataFrame(
    {"stratum": ["low", "high"], "score_low": [0.0, 0.5], "score_high": [0.5, 1.0], "pairs": [9, 3]}
)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("1,a,10,low,maybe,r\n", "line 2: same_event must be yes or no"),
        ("1,a,10,low,yes,r\n2,b,99,low,no,r\n", "line 3: unknown pair"),
        ("1,a,10,low,yes,r\n1,a,10,low,no,r\n", "line 3: this pair is judged twice"),
        ("1,a,10,middle,yes,r\n", "line 2: stratum not in the sample design"),
    ],
)
def test_bad_judgements_are_refused_naming_the_line(
    tmp_path: Path, body: str, message: str
) -> None:
    path = tmp_path / "judged.csv"
    path.write_text(_HEADER + body)
    with pytest.raises(ValueError, match=message):
        validation.read_judgements(path, _PAIRS, _DESIGN)


def test_judgements_with_other_columns_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "judged.csv"
    path.write_text("sequence,ged_id,same_event\n1,10,yes\n")
    with pytest.raises(ValueError, match="expected columns"):
        validation.read_judgements(path)


def test_weighted_estimates_follow_the_strata_sizes() -> None:
    # Stratum "low": 9 candidate pairs, 1 judged (a true pair the rules miss);
    # stratum "high": 3 pairs, 1 judged (a true pair both link). Weighted, the
    # missed pair stands for 9 and the found one for 3: recall 3 / 12.
    pairs = pd.DataFrame(
        {
            "sequence": [1, 2],
            "ged_id": [10, 20],
            "distance_km": [20.0, 1.0],
            "date_gap_days": [2, 0],
            "match_probability": [0.1, 0.9],
            "strict": [False, True],
        }
    )
    judged = pd.DataFrame(
        {
            "sequence": [1, 2],
            "incident_code": ["a", "b"],
            "ged_id": [10, 20],
            "stratum": ["low", "high"],
            "same_event": ["yes", "yes"],
            "reason": ["r", "r"],
        }
    )
    result = validation.weighted(pairs, judged, _DESIGN, bootstrap=50).set_index("rule")
    assert result.loc["strict", "recall"] == pytest.approx(0.25)
    assert result.loc["strict", "precision"] == pytest.approx(1.0)
    assert list(result.reset_index().columns) == list(validation.VALIDATION_COLUMNS)
