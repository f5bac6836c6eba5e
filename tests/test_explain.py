"""`python -m analysis explain`: a claim's numbers, rules, records and largest
contributors, checked against plain pandas; a claim given as options equals the same
claim in a file; one record as stored upstream, with victims' names withheld."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import cli, load, paths, privacy
from analysis.claims import explain, ledger
from analysis.claims.format import read_claims
from analysis.errors import AnalysisError

pytestmark = [pytest.mark.mirror, pytest.mark.usefixtures("real_tables")]
START, END = pd.Timestamp("2015-09-30"), pd.Timestamp("2016-09-30")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert cli.main(["explain", *args]) == 0
    return capsys.readouterr().out


def test_a3_numbers_records_and_largest_contributors(capsys) -> None:
    out = _run(capsys, "A3")
    aw = load("airwars")
    year = aw[(aw["date"] >= START) & (aw["date"] <= END)]
    sole = year[year["belligerents"] == "russia"]
    low = sole[sole["grading"].astype(str).isin(["Confirmed", "Fair"])]
    assert "2,554 to 9,649" in out and "● consistent with what sources document" in out
    assert (
        "claim: civilians killed by Russia, Syria, 30 Sep 2015 to 30 Sep 2016; 3,804 civilians\n"
        in out
    )
    assert f"{len(low):,} toward the low end" in out
    top = low.sort_values("civilians_killed_min", ascending=False, kind="stable").head(5)
    for code, deaths in zip(top["incident_code"], top["civilians_killed_min"], strict=True):
        assert re.search(rf"low end: {code} \(\+{deaths}[;)]", out), code
    assert "robustness: depends on the counting rule: " in out
    assert "when both ends count Contested incidents" in " ".join(out.split())
    codes = ("within_evidence", "rule_dependent", "deir_ez_zor", "confirmed_fair", "3,804 to 3,804")
    assert not [code for code in codes if code in out]


def test_a_claim_given_as_options_equals_the_same_claim_in_a_file(capsys) -> None:
    given = explain.claim_from_options(
        {
            "perpetrator": "russia",
            "category": "civilians",
            "start": "2015-09-30",
            "end": "2016-09-30",
            "figure": "3804",
            "qualifier": "exact",
            "claim_source": "SOHR",
        }
    )
    tables = ledger.load_tables()
    from_options = ledger.check(given, tables).rows
    in_file = read_claims(paths.ARTICLE_CLAIMS)
    from_file = ledger.check(in_file[in_file["claim_id"] == "A3"], tables).rows
    same = [c for c in ledger.COLUMNS if c not in ("claim_id", "statement", "contributions")]
    pd.testing.assert_frame_equal(from_options[same], from_file[same])
    out = _run(
        capsys,
        *("--perpetrator", "russia", "--category", "civilians", "--start", "2015-09-30"),
        *("--end", "2016-09-30", "--figure", "3804"),
    )
    assert "2,554 to 9,649" in out


def test_bad_options_are_named_by_option(capsys) -> None:
    with pytest.raises(AnalysisError, match="--perpetrator: nato is not a perpetrator"):
        explain.claim_from_options(
            {"perpetrator": "nato", "category": "civilians", "start": "2016-01-01",
             "end": "2016-12-31", "figure": "3"}
        )  # fmt: skip
    assert cli.main(["explain", "--perpetrator", "russia", "--category", "civilians"]) == 2
    # what the claims reader finds is said of the option, not of a file's line and column
    assert "--start: expected a date" in capsys.readouterr().err


def test_an_unknown_claim_or_record_is_a_clear_error(capsys) -> None:
    assert cli.main(["explain", "A99"]) == 2
    assert "no claim 'A99'" in capsys.readouterr().err
    assert cli.main(["explain", "--record", "RS999999"]) == 2
    assert "no airwars record with id 'RS999999'" in capsys.readouterr().err
    assert cli.main(["explain", "--record", "what?"]) == 2
    assert "give --source" in capsys.readouterr().err


@pytest.mark.slow
def test_a_case_listing_victims_is_shown_without_their_names(capsys) -> None:
    table = load("airwars")
    (log,) = [e for e in table.attrs["import_log"] if e["flag"] == "location_withheld"]
    sequence = log["sequences"][0]  # a case whose location names one of its victims
    out = _run(capsys, "--record", str(sequence), "--source", "airwars")
    assert "[withheld: names a victim]" in out and "names withheld" in out
    assert privacy.find_names(out, privacy.airwars_victim_names()) == set()
    code = table.loc[table["sequence"] == sequence, "incident_code"].iloc[0]
    assert f"airwars record {code}" in out and "entry CRC-32" in out


def test_records_of_other_sources_show_their_stored_values(capsys) -> None:
    ged = load("ucdp_ged").iloc[100]
    out = _run(capsys, "--record", str(ged["id"]))
    assert f"row {ged['source_row']} (counted from 1)" in out
    assert re.search(rf"deaths_civilians\s+│\s+{ged['deaths_civilians']}\s+│", out)
    weekly = load("vdc_weekly").iloc[5000]
    record = (
        f"{weekly['year']}-W{weekly['week']:02d}|{weekly['status']}|{weekly['cause']}|"
        f"{weekly['dimension']}={weekly['value']}"
    )
    out = _run(capsys, "--record", record)
    assert f"line: {weekly['source_line']} (the header is line 1)" in out
    assert re.search(rf"│\s+{weekly['deaths']}\s+│\s+deaths\s+│\s+{weekly['deaths']}\s+│", out)
    out = _run(capsys, "--record", "2016-07-20")
    assert "Date of death" in out and "line: 1928 " in out
