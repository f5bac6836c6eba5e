"""What the command line says in words: a claim given as options is checked option by
option (with the nearest valid value suggested), and the import log counts what it
left out without calling it flagged rows of the table."""

from __future__ import annotations

import pytest

from analysis.claims import explain
from analysis.cli import flagged
from analysis.errors import AnalysisError

GOOD = {
    "perpetrator": "russia",
    "category": "civilians",
    "start": "2015-09-30",
    "end": "2016-09-30",
    "figure": "3804",
}


@pytest.mark.parametrize(
    ("changed", "said"),
    [
        ({"start": "2016-02-30"}, "--start: 2016-02-30 is not a date (YYYY-MM-DD)"),
        ({"figure": "many"}, "--figure: many is not a number"),
        ({"area": "raqa"}, "--area: raqa is not an area; did you mean ar_raqqah?"),
        ({"area": "Deir ezzor"}, "--area: Deir ezzor is not an area; did you mean deir_ez_zor?"),
        (
            {"perpetrator": "rusia"},
            "--perpetrator: rusia is not a perpetrator; did you mean russia?",
        ),
        ({"end": "2015-01-01"}, "--end: expected a date on or after period_start 2015-09-30"),
    ],
)
def test_a_claim_given_as_options_is_checked_option_by_option(
    changed: dict[str, str], said: str
) -> None:
    with pytest.raises(AnalysisError) as caught:
        explain.claim_from_options({**GOOD, **changed})
    message = str(caught.value)
    assert message.startswith("bad claim options:\n  ") and said in message
    assert "line 2" not in message and "column" not in message


def test_nearest_finds_nothing_for_a_value_far_from_every_code() -> None:
    assert explain.nearest("zzzzzz", ("syria", "aleppo"), "area") is None


def test_import_log_entries_read_as_counts_of_what_was_left_out() -> None:
    assert flagged({"flag": "other_countries", "rows": 12825}) == (
        "12,825 rows of other countries left out"
    )
    assert flagged({"flag": "duplicate_code", "rows": 1}) == "1 row flagged duplicate code"
