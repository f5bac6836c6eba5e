"""The strict rule's assignment on hand-made pairs: no GED death counts twice, an
event supports several incidents up to its deaths, ties are settled without ids,
and renumbering the records changes no link (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.linking import assignment


def _pairs(rows: list[tuple[int, int, float, float, int]]) -> pd.DataFrame:
    """(sequence, ged_id, match_probability, distance_km, date_gap_days) rows."""
    return pd.DataFrame(rows, columns=list(assignment.COLUMNS))


def test_an_event_supports_several_incidents_up_to_its_deaths() -> None:
    pairs = _pairs([(1, 10, 0.9, 1.0, 0), (2, 10, 0.8, 1.0, 0), (3, 10, 0.7, 1.0, 0)])
    need = pd.Series({1: 2.0, 2: 3.0, 3: 1.0})
    given_deaths = assignment.assign(pairs, need, pd.Series({10: 5.0}), 0.5)
    assert given_deaths.tolist() == [2.0, 3.0, 0.0]  # the third finds no death left


def test_an_incident_gathers_several_events_until_its_need_is_met() -> None:
    pairs = _pairs([(1, 10, 0.9, 1.0, 0), (1, 11, 0.8, 1.0, 0), (1, 12, 0.7, 1.0, 0)])
    deaths = pd.Series({10: 2.0, 11: 2.0, 12: 2.0})
    given_deaths = assignment.assign(pairs, pd.Series({1: 3.0}), deaths, 0.5)
    assert given_deaths.tolist() == [2.0, 1.0, 0.0]


def test_pairs_below_the_threshold_are_never_links() -> None:
    pairs = _pairs([(1, 10, 0.49, 1.0, 0), (2, 10, 0.5, 1.0, 0)])
    given_deaths = assignment.assign(pairs, pd.Series({1: 1.0, 2: 1.0}), pd.Series({10: 9.0}), 0.5)
    assert given_deaths.tolist() == [0.0, 1.0]


def test_a_tie_the_deaths_cannot_settle_links_neither() -> None:
    tied = _pairs([(1, 10, 0.9, 1.0, 0), (2, 10, 0.9, 1.0, 0)])
    need = pd.Series({1: 2.0, 2: 2.0})
    assert assignment.assign(tied, need, pd.Series({10: 3.0}), 0.5).tolist() == [0.0, 0.0]
    assert assignment.assign(tied, need, pd.Series({10: 4.0}), 0.5).tolist() == [2.0, 2.0]
    # nearer wins when the scores tie
    nearer = _pairs([(1, 10, 0.9, 2.0, 0), (2, 10, 0.9, 1.0, 0)])
    assert assignment.assign(nearer, need, pd.Series({10: 3.0}), 0.5).tolist() == [1.0, 2.0]


def test_independent_events_are_served_first() -> None:
    # Event 10 copied Airwars (better score), event 11 is independent: the incident's
    # one death goes to 11, and 10 keeps its death for incident 2.
    pairs = _pairs([(1, 10, 0.9, 1.0, 0), (1, 11, 0.6, 3.0, 0), (2, 10, 0.7, 1.0, 0)])
    pairs[assignment.FIRST] = [False, True, False]
    need = pd.Series({1: 1.0, 2: 1.0})
    deaths = pd.Series({10: 1.0, 11: 1.0})
    assert assignment.assign(pairs, need, deaths, 0.5).tolist() == [0.0, 1.0, 1.0]


def test_needs_are_at_least_one_death() -> None:
    low = pd.Series([0, 4, None], dtype="Float64")
    assert assignment.needs(low).tolist() == [1.0, 4.0, 1.0]


@st.composite
def _problems(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    n_incidents = draw(st.integers(1, 6))
    n_events = draw(st.integers(1, 6))
    keys = st.tuples(st.integers(0, n_incidents - 1), st.integers(0, n_events - 1))
    chosen = draw(st.lists(keys, min_size=1, max_size=20, unique=True))
    # few distinct values so that ties are common
    rows = [
        (
            100 + s,
            500 + e,
            draw(st.sampled_from([0.3, 0.6, 0.9])),
            draw(st.sampled_from([0.5, 3.0])),
            draw(st.integers(0, 1)),
        )
        for s, e in chosen
    ]
    need = pd.Series(
        {100 + s: float(draw(st.integers(1, 4))) for s in range(n_incidents)}, dtype=float
    )
    independent = {500 + e: draw(st.booleans()) for e in range(n_events)}
    deaths = pd.Series(
        {500 + e: float(draw(st.integers(1, 6))) for e in range(n_events)}, dtype=float
    )
    pairs = _pairs(rows)
    pairs[assignment.FIRST] = pairs["ged_id"].map(independent)
    return pairs, need, deaths


@settings(max_examples=300, deadline=None)
@given(_problems())
def test_no_ged_death_counts_twice(problem: tuple[pd.DataFrame, pd.Series, pd.Series]) -> None:
    pairs, need, deaths = problem
    given_deaths = assignment.assign(pairs, need, deaths, 0.5)
    per_event = given_deaths.groupby(pairs["ged_id"]).sum()
    assert (per_event <= deaths.reindex(per_event.index) + 1e-9).all()
    assert (given_deaths >= 0).all()
    assert (given_deaths[pairs["match_probability"] < 0.5] == 0).all()


@settings(max_examples=300, deadline=None)
@given(_problems(), st.randoms(use_true_random=False))
def test_renumbering_and_reordering_change_no_link(
    problem: tuple[pd.DataFrame, pd.Series, pd.Series], rnd: object
) -> None:
    pairs, need, deaths = problem
    before = assignment.assign(pairs, need, deaths, 0.5)
    seed = rnd.randrange(2**32)  # type: ignore[attr-defined]
    rng = np.random.default_rng(seed)
    new_sequence = dict(zip(need.index, rng.permutation(len(need)) * 7 + 1, strict=True))
    new_ged = dict(zip(deaths.index, rng.permutation(len(deaths)) * 11 + 3, strict=True))
    shuffled = pairs.sample(frac=1, random_state=seed % 1000).assign(
        sequence=lambda f: f["sequence"].map(new_sequence),
        ged_id=lambda f: f["ged_id"].map(new_ged),
    )
    after = assignment.assign(
        shuffled,
        need.rename(index=new_sequence),
        deaths.rename(index=new_ged),
        0.5,
    )
    assert after.reindex(pairs.index).tolist() == before.tolist()
