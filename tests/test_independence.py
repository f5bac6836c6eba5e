"""Each evidence number split by who documented its records: the part independent of
the claim's own monitor, the part citing it and the unknown part, which add up to the
number exactly; and the verdict from the independent part alone.

Independent computations: the parts are re-summed here from the written
contributions tables (their `cites` column) with plain pandas, and the independent
verdict of a fixture claim is worked out by hand.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fixtures.claims.drawn import claims
from fixtures.claims.tables import CLAIMS, small_tables
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.claims import command, independence, ledger
from analysis.claims.format import read_claims
from analysis.claims.output import write_contributions

CITE_SETS = ("sohr", "sohr|vdc", "vdc", "unknown", "airwars|snhr", "snhr", "other")
SOURCES = ("airwars", "ucdp_ged", "ucdp_brd", "vdc_weekly", "vdc_daily", "published")


def cited_tables(pick: list[int] | None = None) -> dict[str, pd.DataFrame]:
    """The fixture tables with a `cites` column: record i of each table cites
    `CITE_SETS[pick[i % len(pick)]]` (round robin through `CITE_SETS` by default)."""
    pick = pick or list(range(len(CITE_SETS)))
    tables = {name: table.copy() for name, table in small_tables().items()}
    for name in SOURCES:
        n = len(tables[name])
        tables[name]["cites"] = [CITE_SETS[pick[i % len(pick)] % len(CITE_SETS)] for i in range(n)]
    return tables


def expected_part(cites: str, claimant: str) -> str:
    """The part of a record, written out again from the rule in the module docstring."""
    ids = cites.split("|")
    if claimant != "unknown" and claimant in ids:
        return "claimant"
    if cites == "unknown":
        return "unknown"
    return "independent"


def assert_parts_add_up(rows: pd.DataFrame) -> int:
    """independent + claimant + unknown == the number, exactly; returns rows checked."""
    checked = 0
    for row in rows[rows["role"] != "none"].itertuples():
        where = f"{row.claim_id}/{row.source}"
        assert row.low_independent + row.low_claimant + row.low_unknown == row.low, where
        if math.isfinite(row.high):
            assert row.high_independent + row.high_claimant + row.high_unknown == row.high, where
        else:
            assert math.isnan(row.high_independent), where
        checked += 1
    return checked


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=claims(), pick=st.lists(st.integers(0, len(CITE_SETS) - 1), min_size=1, max_size=9))
def test_the_three_parts_add_up_to_every_number(batch: pd.DataFrame, pick: list[int]) -> None:
    tables = cited_tables(pick)
    done = ledger.check(batch, tables)
    assert_parts_add_up(done.rows)
    silent = done.rows[done.rows["role"] == "none"]
    assert silent[list(independence.COLUMNS)].isna().all().all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=claims(), pick=st.lists(st.integers(0, len(CITE_SETS) - 1), min_size=1, max_size=9))
def test_the_parts_are_the_written_records_summed_by_what_they_cite(
    batch: pd.DataFrame, pick: list[int]
) -> None:
    tables = cited_tables(pick)
    done = ledger.check(batch, tables)
    with tempfile.TemporaryDirectory() as tmp:
        write_contributions(done, tables, Path(tmp))
        for row in done.rows[done.rows["contributions"] != ""].itertuples():
            table = pd.read_csv(Path(tmp) / row.contributions, keep_default_na=False)
            part = table["cites"].map(lambda c, m=row.claimant: expected_part(c, m))
            for name in independence.PARTS:
                mine = table[part == name]
                assert mine["low"].sum() == getattr(row, f"low_{name}"), (row.claim_id, name)
                if math.isfinite(row.high):
                    assert mine["high"].sum() == getattr(row, f"high_{name}"), row.claim_id


def test_a_record_citing_the_claimant_among_others_rests_on_it():
    assert independence.part_of("sohr|vdc", "sohr") == independence.PARTS.index("claimant")
    assert independence.part_of("vdc", "sohr") == independence.PARTS.index("independent")
    assert independence.part_of("unknown", "sohr") == independence.PARTS.index("unknown")
    assert independence.part_of("", "sohr") == independence.PARTS.index("unknown")
    # an unattributed claim: nothing can cite it, and unknown stays unknown
    assert independence.part_of("sohr", "unknown") == independence.PARTS.index("independent")
    assert independence.part_of("unknown", "unknown") == independence.PARTS.index("unknown")


def test_without_a_cites_column_every_record_is_unknown():
    good = read_claims(CLAIMS / "good.csv")
    rows = ledger.check(good, small_tables()).rows
    speaking = rows[rows["role"].isin(["both", "lower", "upper"])]
    assert (speaking["low_unknown"] == speaking["low"]).all()
    assert (speaking["low_independent"] == 0).all()


def test_the_independent_verdict_drops_the_claimant_s_records():
    """T1: 12 civilians killed by Russia, SOHR's claim. The Airwars fixture's low end is
    10: incidents 1 (2), 2 (5) and 11 (3); its high end 55 (1, 2, 3, 4, 6, 9, 11, 12:
    4 + 5 + 6 + 20 + 8 + 3 + 5 + 4). With incident 4 citing SOHR and the others the
    VDC, the independent high end is 35, still above 12; with incidents 1, 2, 3 and 4
    citing SOHR it is 20, and the low end 3: 12 lies within [3, 20]. With every incident
    but 11 citing SOHR, the independent evidence is [3, 5] and 12 lies above it."""
    good = read_claims(CLAIMS / "good.csv")
    one = good[good["claim_id"] == "T1"]

    def airwars_citing_sohr(sequences: set[int]) -> pd.Series:
        tables = cited_tables([2])  # everything cites the VDC
        airwars = tables["airwars"]
        airwars["cites"] = np.where(airwars["sequence"].isin(sequences), "sohr", "vdc")
        rows = ledger.check(one, tables).rows
        return rows[rows["source"] == "airwars"].iloc[0]

    row = airwars_citing_sohr({4})
    assert (row["low"], row["high"]) == (10, 55)
    assert (row["low_claimant"], row["high_claimant"], row["high_independent"]) == (0, 20, 35)
    assert row["verdict"] == row["verdict_independent"] == "within_evidence"
    row = airwars_citing_sohr({1, 2, 3, 4})
    assert (row["low_independent"], row["high_independent"]) == (3, 20)
    assert row["verdict_independent"] == "within_evidence"
    row = airwars_citing_sohr({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13})
    assert (row["low_independent"], row["high_independent"]) == (3, 5)
    assert row["verdict"] == "within_evidence"
    assert row["verdict_independent"] == "above_evidence"
    assert "do not cite SOHR" in row["reason_independent"]
    assert "5 from airwars" in row["reason_independent"]


def test_the_landing_page_splits_each_end_and_says_why_the_verdicts_differ(tmp_path: Path):
    from test_report_pages import _ledger_run, _text

    from analysis.report import index

    run = _ledger_run(tmp_path)
    path = run / "tables" / "ledger.csv"
    table = pd.read_csv(path, keep_default_na=False, dtype=str)
    a3 = table["claim_id"] == "A3"
    split = {  # A3: Airwars' 2,554 to 9,649; the VDC's at most 7,563
        "airwars": ("1990", "564", "0", "7000", "2600", "49"),
        "vdc_weekly": ("0", "0", "0", "7563", "0", "0"),
    }
    for column in independence.COLUMNS:
        table[column] = ""
    for source, values in split.items():
        mine = a3 & (table["source"] == source)
        for column, value in zip(independence.COLUMNS, values, strict=True):
            table.loc[mine, column] = value
    table["claimant"] = np.where(a3, "sohr", "unknown")
    table["verdict_independent"] = np.where(a3, "below_evidence", "within_evidence")
    table["reason_independent"] = np.where(a3, "Counting only ... X.", "")
    table.to_csv(path, index=False)
    landing = index.pages(tmp_path)["index.html"]
    text = _text(landing)
    assert "low: Airwars incidents (1,990 independent of SOHR, 564 citing SOHR, 0 unknown)" in text
    assert "high: VDC weekly records (7,563 independent of SOHR, 0 citing SOHR, 0 unknown)" in text
    assert (
        "Counting only records that do not cite SOHR: ▼ below what sources document. "
        "Why the verdicts differ: Counting only ... X." in text
    )
    # A9 names no monitor, and its two verdicts agree: no why
    assert (
        "Counting only records whose sources are known: ● consistent with what sources "
        "document. (claim A9)" in text
    )
    assert text.count("Why the verdicts differ") == 1
    assert "Documented counts used as upper bounds" in text
    assert "the high end, 7,563, comes from VDC weekly records" in text


def test_the_split_table_reads_each_number_in_words_and_marks_the_verdict_s_ends():
    good = read_claims(CLAIMS / "good.csv")
    tables = cited_tables()
    done = ledger.check(good, tables)
    split = independence.split_table(done.rows)
    rows = done.rows
    for row in split.itertuples():
        source = rows[(rows["claim_id"] == row.claim_id) & (rows["source"] == row.source)]
        assert row.number == source[row.end].iloc[0]
        assert row.independent + row.claimant + row.unknown == row.number
    t1 = split[(split["claim_id"] == "T1") & (split["source"] == "airwars")]
    assert list(t1["end"]) == ["low", "high"] and t1["headline"].all()
    low = t1.iloc[0]
    assert low["in_words"] == (
        f"10 low end: {low['independent']:.0f} independent of SOHR, {low['claimant']:.0f} "
        f"citing SOHR, {low['unknown']:.0f} unknown"
    )
    t5 = split[split["claim_id"] == "T5"]  # unattributed: no claimant part
    assert t5["in_words"].str.contains("with known sources").all()
    assert (t5["claimant"] == 0).all()


def test_the_headline_records_are_those_adding_to_the_verdict_s_ends():
    good = read_claims(CLAIMS / "good.csv")
    tables = cited_tables()
    done = ledger.check(good[good["claim_id"] == "T1"], tables)
    found = independence.headline_records(done, tables)
    # T1's evidence is Airwars' both ends: the low end 10 from incidents 1, 2 and 11
    # (which reads 3 to 5: its minimum and maximum are swapped), the high end 55
    low = found[found["end"] == "low"]
    assert dict(zip(low["record_id"], low["adds"], strict=True)) == {"RS1": 2, "RS2": 5, "RS11": 3}
    airwars = tables["airwars"].set_index("incident_code")
    assert found[found["end"] == "high"]["adds"].sum() == 55
    assert list(found["cites"]) == list(airwars.loc[found["record_id"], "cites"])


def test_the_overlap_figure_counts_each_record_once_and_names_the_claimant_s_share():
    from analysis import figures
    from analysis.figures.independence import overlap_figure

    good = read_claims(CLAIMS / "good.csv")
    tables = cited_tables()
    done = ledger.check(good, tables)
    found = independence.headline_records(done, tables)
    distinct = found.drop_duplicates(["source", "record_id"])
    citing = distinct[distinct["part"] == "claimant"]
    with figures.style():
        chart = overlap_figure(found)
    assert f"{len(distinct):,} records behind the headline numbers" in chart.alt
    assert f"{len(citing):,} records cite the claim's own monitor" in chart.alt


@pytest.fixture(scope="module")
def article(real_tables: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The article's claims checked on the real data, written to a folder."""
    out = tmp_path_factory.mktemp("article") / "claims"
    assert command.main(None, out) == 0
    return out


@pytest.mark.mirror
def test_a3_s_airwars_ends_split_by_what_their_incidents_cite(article: Path) -> None:
    """Issue 16 found 564 of Airwars' low end of 2,554 for A3 in incidents citing SOHR.
    Here the split is summed again from the written table's `cites` with pandas."""
    rows = pd.read_csv(article / "ledger.csv", keep_default_na=False, na_values=[""])
    assert_parts_add_up(rows)
    a3 = rows[(rows["claim_id"] == "A3") & (rows["source"] == "airwars")].iloc[0]
    table = pd.read_csv(article / a3["contributions"], keep_default_na=False)
    ids = table["cites"].str.split("|")
    citing = ids.map(lambda m: "sohr" in m)
    unknown = table["cites"] == "unknown"
    assert table.loc[citing, "low"].sum() == a3["low_claimant"] == 564
    assert table.loc[unknown, "low"].sum() == a3["low_unknown"]
    assert table.loc[~citing & ~unknown, "high"].sum() == a3["high_independent"]
    assert a3["low"] == 2554 and a3["claimant"] == "sohr"
    verdicts = rows.drop_duplicates("claim_id").set_index("claim_id")["verdict_independent"]
    assert verdicts["A3"] == "within_evidence"
