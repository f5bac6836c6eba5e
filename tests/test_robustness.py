"""Robustness: the 60 rule sets, Airwars' ends under each against plain pandas and
against the sweep's own vectorised path, and the robust / rule-dependent call."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fixtures.claims.drawn import claims
from fixtures.claims.tables import CLAIMS, small_tables
from hypothesis import HealthCheck, given, settings

from analysis.claims import ledger
from analysis.claims.format import read_claims
from analysis.claims.robustness import RULE_SETS
from analysis.evidence.airwars import LEDGER, RuleSet
from analysis.evidence.tallies import rule_grid
from analysis.metrics.airwars import GRADING_RULES


def test_sixty_distinct_rule_sets_the_ledger_s_first_each_high_end_as_wide_as_its_low() -> None:
    assert len(set(RULE_SETS)) == 60 and RULE_SETS[0] == LEDGER
    for rules in RULE_SETS:
        assert not (rules.low_classes & ~rules.high_classes).any(), rules
    assert len([r for r in RULE_SETS if _one_rule(r)]) == len(GRADING_RULES) * 2  # the sweep's


def _one_rule(rules: RuleSet) -> bool:
    """A point of the sweep's grid: one rule for both ends, incidents by start date."""
    return (rules.low_grading, rules.low_attribution, rules.edge) == (
        rules.high_grading,
        rules.high_attribution,
        "start_date",
    )


def _plain(table: pd.DataFrame, claim: pd.Series, rules: RuleSet) -> tuple[float, float]:
    """Airwars' ends for one claim under one rule set, from the documented rule alone."""
    start, end = claim["period_start"], claim["period_end"]
    last = (
        table["date_end"].fillna(table["date"]).where(lambda d: d >= table["date"], table["date"])
    )
    dated = table["date"].between(start, end)
    if rules.edge == "overlap":
        dated = (table["date"] <= end) & (last >= start)
    codes = table["belligerents"].fillna("").str.split("|")
    names = codes.map(lambda c: claim["perpetrator"] in c)
    sole = codes.map(lambda c: c == [claim["perpetrator"]])
    grading = table["grading"].astype(object)

    def admitted(rule: str) -> pd.Series:
        allowed = GRADING_RULES[rule]
        return grading.isin([g for g in allowed if g]) | (grading.isna() & (None in allowed))

    stem = {"civilians": "civilians_killed", "children": "children_killed"}[claim["category"]]
    low_f = table[f"{stem}_min"].astype(float).fillna(0)
    high_f = table[f"{stem}_max"].astype(float).fillna(low_f)
    low_v, high_v = np.minimum(low_f, high_f), np.maximum(low_f, high_f)
    chosen = dated.fillna(False)
    low = low_v[
        chosen & admitted(rules.low_grading) & (sole if rules.low_attribution == "sole" else names)
    ].sum()
    high = high_v[
        chosen
        & admitted(rules.high_grading)
        & (sole if rules.high_attribution == "sole" else names)
    ].sum()
    return float(low), float(high)


def test_airwars_ends_under_every_rule_set_equal_the_documented_rule() -> None:
    tables = small_tables()
    good = read_claims(CLAIMS / "good.csv")
    done = ledger.check(good[good["claim_id"].isin(["T1", "T2"])], tables, robustness=True)
    grid = done.grid.set_index(["claim_id", "rule_set"])
    claim = good.iloc[0]
    for r, rules in enumerate(RULE_SETS):
        assert tuple(grid.loc[("T1", r), ["airwars_low", "airwars_high"]]) == _plain(
            tables["airwars"], claim, rules
        ), rules


@pytest.mark.mirror
@pytest.mark.usefixtures("real_tables")
def test_the_article_s_claims_under_every_rule_set() -> None:
    from analysis import load, paths

    tables = ledger.load_tables()
    article = read_claims(paths.ARTICLE_CLAIMS)
    done = ledger.check(article, tables, robustness=True)
    verdicts = done.rows.drop_duplicates("claim_id").set_index("claim_id")
    assert verdicts.loc[["A7", "A8", "A9"], "robustness"].eq("robust").all()
    assert verdicts.at["A3", "robustness"] == "rule_dependent"
    grid = done.grid.set_index(["claim_id", "rule_set"])
    a3 = article.set_index("claim_id").loc["A3"]
    for r in (0, 1, 17, 33, 59):
        assert tuple(grid.loc[("A3", r), ["airwars_low", "airwars_high"]]) == _plain(
            load("airwars"), a3, RULE_SETS[r]
        ), RULE_SETS[r]
    # the sweep's own path agrees on its points (one rule for both ends, by start date)
    sweep = pd.DataFrame(
        [
            (r.low_grading, r.low_attribution, "2015-09-30", "2016-09-30")
            for r in RULE_SETS
            if _one_rule(r)
        ],
        columns=["grading", "attribution", "start", "end"],
    )
    found = rule_grid(load("airwars"), "russia", "civilians", sweep)
    for point in found.itertuples(index=False):
        rules = RuleSet(point.grading, point.attribution, point.grading, point.attribution)
        r = RULE_SETS.index(rules)
        assert tuple(grid.loc[("A3", r), ["airwars_low", "airwars_high"]]) == (
            point.low,
            point.high,
        )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=claims())
def test_the_ledger_rule_set_gives_the_ledger_s_verdict(batch: pd.DataFrame) -> None:
    done = ledger.check(batch, small_tables(), robustness=True)
    first = done.rows.drop_duplicates("claim_id").set_index("claim_id")
    grid = done.grid
    ledger_rule = grid[grid["rule_set"] == 0].set_index("claim_id")
    assert (ledger_rule["verdict"] == first["verdict"]).all()
    spread = grid.groupby("claim_id")["verdict"].nunique()
    assert ((spread == 1) == (first["robustness"] == "robust").reindex(spread.index)).all()


@pytest.mark.parametrize(
    ("values", "said"),
    [
        (["all_but_discounted", "all"], "counts Contested incidents"),
        (["all"], "counts Discounted incidents"),
        (["confirmed_fair"], "leaves out Weak incidents"),
        (["confirmed_fair_weak", "confirmed_fair"], "leaves out Contested incidents"),
        (["confirmed_fair_weak"], "counts Weak but not Contested incidents"),
        (["confirmed_fair", "all"], "takes Confirmed/Fair or any grading"),
    ],
)
def test_grading_choices_read_as_what_an_end_counts(values: list[str], said: str) -> None:
    from analysis.claims.robustness import _grading_words

    assert _grading_words(values)[0] == said


def test_the_robustness_note_reads_as_a_sentence_without_codes() -> None:
    from dataclasses import asdict

    from analysis.claims.robustness import RULE_SETS, _shared_choices

    grid = pd.DataFrame([asdict(r) for r in RULE_SETS])
    wide = grid[grid["low_grading"].isin(["all_but_discounted", "all"])]
    assert _shared_choices(wide) == "both ends count Contested incidents"
    narrow = grid[(grid["low_grading"] == "confirmed_fair") & (grid["edge"] == "overlap")]
    narrow = narrow[narrow["high_attribution"] == "sole"]
    said = _shared_choices(narrow)
    assert said.startswith("the low end leaves out Weak incidents and both ends count only")
    assert said.endswith("incidents are counted by any overlap with the period")
    assert "_" not in said
