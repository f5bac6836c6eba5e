"""The report's pages on a hand-made ledger run: the landing page answers in words,
evidence numbers link to the records behind them when the ledger names them, and a
ledger without those columns still reads; the labels and table formatting behind
them; the PDF's date stamps and its absence without Chromium."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import pytest

from analysis import labels
from analysis.report import index, pdf
from analysis.report.readable import readable

RUN = "claims_ledger-fix"
A3 = ("A3", "3,804 civilians", 3804, "exact", "civilians", "russia", "syria")
A3_PERIOD = ("2015-09-30", "2016-09-30", 3804, 3804)
A3_VERDICT = (2554, 7563, "within_evidence")
AIRWARS = "tables/contributions/A3/airwars.csv"
VDC = "tables/contributions/A3/vdc_weekly.csv"
A9 = ("A9", "war toll", 400000, "more_than", "total", "all", "syria", "2011-03-15")
LEDGER = [
    # claim fields, source, role, low, high, contributions, records, evidence, verdict
    (*A3, *A3_PERIOD, "airwars", "both", 2554, 9649, AIRWARS, 3, *A3_VERDICT),
    (*A3, *A3_PERIOD, "vdc_weekly", "upper", 0, 7563, VDC, 2, *A3_VERDICT),
    (*A3, *A3_PERIOD, "published:P001", "own", "", "", "", 0, *A3_VERDICT),
    (*A9, "2016-09-30", 400000, "inf", "ucdp_brd", "lower", 230270, "inf", "", 0, 230270, "inf",
     "within_evidence"),
]  # fmt: skip
COLUMNS = [
    "claim_id", "statement", "figure", "qualifier", "category", "perpetrator", "area",
    "period_start",
    "period_end", "claim_low", "claim_high", "source", "role", "low", "high", "contributions",
    "records", "evidence_low", "evidence_high", "verdict",
]  # fmt: skip
RECORDS = ["record_id", "low", "high", "counts", "why", "url", "upstream", "grading"]


def _write(path: Path, header: list[str], rows: list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _ledger_run(out: Path, *, audit_trail: bool = True) -> Path:
    run = out / "runs" / RUN
    rows = [list(row) for row in LEDGER]
    header = list(COLUMNS)
    if audit_trail:
        header += ["own_check", "robustness", "robustness_detail"]
        rows = [[*r, "", "robust", "within under all 8 rules"] for r in rows]
        _write(
            run / "tables/contributions/A3/airwars.csv",
            RECORDS,
            [
                ["aw-2", "0", "40", "none", "Discounted", "https://example.org/aw-2", "p1#2", "D"],
                ["aw-1", "12", "30", "both", "sole, Fair", "https://example.org/aw-1", "p1#1", "F"],
                ["aw-3", "0", "9", "high", "shared", "https://example.org/aw-3", "p1#3", "C"],
            ],
        )
        _write(
            run / "tables/contributions/A3/vdc_weekly.csv",
            RECORDS[:-1],
            [["2016-W01", "0", "7000", "high", "warplane shelling", "", "w.csv#9"]],
        )
    else:
        drop = [COLUMNS.index("contributions"), COLUMNS.index("records")]
        header = [h for i, h in enumerate(header) if i not in drop]
        rows = [[v for i, v in enumerate(r) if i not in drop] for r in rows]
    _write(run / "tables" / "ledger.csv", header, rows)
    return run


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_landing_page_answers_each_claim_in_words_and_links_evidence_to_records(
    tmp_path: Path,
) -> None:
    _ledger_run(tmp_path)
    found = index.pages(tmp_path)
    landing = found["index.html"]
    text = _text(landing)
    assert (
        "3,804 civilians killed by Russia, 30 Sep 2015 to 30 Sep 2016: ● consistent with "
        "what sources document, 2,554 to 7,563." in text
    )
    assert (
        "More than 400,000 people killed by any party, 15 Mar 2011 to 30 Sep 2016: ● consistent "
        "with what sources document: sources document at least 230,270; the claim says more "
        "than 400,000 people." in text
    )
    assert "2 claims: 2 ● consistent with the evidence." in text
    assert '<a href="pages/claims_ledger-fix/A3--airwars.html">2,554</a>' in landing
    assert '<a href="pages/claims_ledger-fix/A3--vdc_weekly.html">7,563</a>' in landing
    assert "holds under every counting rule: within under all 8 rules" in text
    assert "low: Airwars incidents; high: VDC weekly records" in text
    records = found["pages/claims_ledger-fix/A3--airwars.html"]
    assert "python -m analysis explain A3" in records
    assert "3 records, of which 2 count toward the low or the high end" in _text(records)
    ids = re.findall(r'<a href="https://example.org/(aw-\d)">', records)
    assert ids == ["aw-1", "aw-3", "aw-2"]  # counting records first, linked upstream
    assert 'href="../../runs/claims_ledger-fix/tables/contributions/A3/airwars.csv"' in records
    page = found[f"pages/{RUN}.html"]
    assert '<a href="../pages/claims_ledger-fix/A3--airwars.html">2,554 to 9,649</a>' in page
    assert "the claimant&#39;s own figures" in page  # role `own` in words


def test_without_the_audit_trail_columns_the_pages_read_and_link_nothing(tmp_path: Path) -> None:
    _ledger_run(tmp_path, audit_trail=False)
    found = index.pages(tmp_path)
    assert sorted(found) == ["index.html", f"pages/{RUN}.html"]
    text = _text(found["index.html"])
    assert "3,804 civilians killed by Russia" in text and "2,554 to 7,563" in text
    assert "Robustness" not in found["index.html"]
    assert "--airwars.html" not in found["index.html"]


def test_a_missing_contributions_file_leaves_the_number_unlinked(tmp_path: Path) -> None:
    run = _ledger_run(tmp_path)
    (run / "tables/contributions/A3/vdc_weekly.csv").unlink()
    found = index.pages(tmp_path)
    assert "A3--vdc_weekly.html" not in found["index.html"]
    assert f"pages/{RUN}/A3--vdc_weekly.html" not in found
    assert '<a href="pages/claims_ledger-fix/A3--airwars.html">2,554</a>' in found["index.html"]


@pytest.mark.parametrize(
    ("low", "high", "excluded", "words"),
    [
        (2554, 7563, False, "2,554 to 7,563"),
        (3804, 3804, False, "3,804"),
        (230270, float("inf"), False, "at least 230,270, no upper bound"),
        (2746, float("inf"), True, "more than 2,746"),
        (0, 3450, False, "0 to 3,450"),
        (0.0336, 1.0, False, "0.034 to 1"),
    ],
)
def test_span_writes_ranges_with_open_ends_in_words(
    low: float, high: float, excluded: bool, words: str
) -> None:
    assert labels.span(low, high, low_excluded=excluded) == words


def test_labels_for_codes_claims_and_dates() -> None:
    assert labels.claim(4000, "about", "civilians") == "about 4,000 civilians"
    assert labels.claim(3804, "exact", "civilians") == "3,804 civilians"
    assert labels.word("perpetrator", "us_led_coalition") == "the US-led coalition"
    assert labels.word("source", "published:P007") == "published figure P007"
    assert labels.word("category", "no_such_code") == "no such code"
    assert labels.verdict("above_evidence") == "▲ above what sources document"
    assert labels.day("2016-09-19") == "19 Sep 2016" and labels.day("soon") == "soon"
    assert labels.count(1234567.0) == "1,234,567" and labels.decimal(0.12345) == "0.123"
    assert len(set(labels.VERDICT_SHAPES.values())) == len(labels.VERDICT_SHAPES)


def test_readable_merges_low_high_pairs_and_writes_values_in_words() -> None:
    header = ["month", "claim_range", "claim_low", "claim_high", "low", "high", "verdict", "role"]
    row = dict(
        zip(
            header,
            [
                "2016-01-01",
                "(2,746, inf)",
                "2746",
                "inf",
                "1234",
                "56789.5",
                "not_checkable",
                "upper",
            ],
            strict=True,
        )
    )
    table = readable([row], header)
    assert table.headers == [
        "Month", "Claim's range", "Range (low to high)", "Verdict", "What the source can say"
    ]  # fmt: skip
    assert [cell.text for cell in table.rows[0]] == [
        "Jan 2016",
        "at least 2,746, no upper bound",
        "1,234 to 56,789.5",
        "○ no source can check it",
        "upper bound only",
    ]


def test_pdf_date_stamps_are_fixed_without_moving_a_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    data = b"<</CreationDate (D:20261126190341+00'00')\n/ModDate (D:20261126190341+00'00')>>"
    fixed = pdf.fixed_dates(data)
    assert len(fixed) == len(data)
    assert fixed.count(b"(D:19700101000000+00'00')") == 2


def test_build_without_chromium_says_so_in_one_line_and_writes_no_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(pdf.CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    _ledger_run(tmp_path)
    assert pdf.write_pdf(tmp_path) is None
    said = capsys.readouterr().out.strip().splitlines()
    assert len(said) == 1 and said[0].startswith("report: no report.pdf (no Chromium found")
    assert not (tmp_path / "report.pdf").exists() and not pdf.missing(tmp_path)


def test_a_long_contributions_table_shows_counting_records_first_and_counts_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analysis.report import contributions

    _ledger_run(tmp_path)
    monkeypatch.setattr(contributions, "SHOWN", 1)
    records = index.pages(tmp_path)["pages/claims_ledger-fix/A3--airwars.html"]
    assert re.findall(r'<a href="https://example.org/(aw-\d)">', records) == ["aw-1"]
    assert "2 more records are in the CSV." in records


def test_shares_read_as_percentages_and_identifiers_as_written() -> None:
    header = [
        "measure",
        "low",
        "high",
        "of_minimums",
        "unit",
        "sequence",
        "event_id",
        "governorate",
    ]
    rows = [
        dict(zip(header, ["children", "0.0666", "0.7843", "0.25176", "share", "7506", "12345",
                          "deir_ez_zor"], strict=True)),
        dict(zip(header, ["index", "20.5", "100", "56.8", "index 0-100", "1", "2", ""],
                 strict=True)),
    ]  # fmt: skip
    table = readable(rows, header)
    assert [c.text for c in table.rows[0]] == [
        "children", "6.7% to 78.4%", "25.2%", "share", "7506", "12345", "Deir ez-Zor"
    ]  # fmt: skip
    assert [c.text for c in table.rows[1]][1:3] == ["20.5 to 100", "56.8"]
    both = readable([{"belligerents": "russia|us_led_coalition"}], ["belligerents"])
    assert both.rows[0][0].text == "Russia; the US-led coalition"


def test_records_pages_list_the_largest_contributors_first(tmp_path: Path) -> None:
    from analysis.report import contributions

    run = tmp_path / "runs" / "r" / "tables" / "contributions"
    run.mkdir(parents=True)
    (run / "x.csv").write_text(
        "record_id,low,high,counts,why,url,upstream\n"
        "a,1,2,low and high,,,\nb,0,96,high,,,\nc,0,0,neither,,,\nd,5,5,low and high,,,\n",
        encoding="utf-8",
    )
    found = contributions.records(tmp_path, "r", "tables/contributions/x.csv")
    assert found is not None
    assert [row[0].text for row in found.table.rows] == ["b", "d", "a", "c"]


def test_print_document_shows_a_wide_table_as_cards_holding_every_value(tmp_path: Path) -> None:
    _ledger_run(tmp_path)
    printed = _text(index.print_document(tmp_path))
    page = _text(index.pages(tmp_path)[f"pages/{RUN}.html"])
    assert "one card per claim" in printed and "one card per claim" not in page
    a3 = printed[printed.index("Claim A3 · ") : printed.index("Claim A9 · ")]
    # shared once at the head of the card, then each source's own values
    assert a3.count("What the claim says:") == 1 and a3.count("Source:") == 3
    assert "Evidence range: 2,554 to 7,563" in a3 and "Range (low to high): 2,554 to 9,649" in a3
    assert "Verdict: ● consistent with what sources document" in a3


def test_print_document_summarises_the_robustness_grid_per_claim(tmp_path: Path) -> None:
    run = _ledger_run(tmp_path)
    _write(
        run / "tables" / "verdicts.csv",
        ["claim_id", "verdict", "robustness", "robustness_detail"],
        [["A3", "within_evidence", "rule_dependent", "below the evidence when both ends count"]],
    )
    _write(
        run / "tables" / "robustness.csv",
        ["claim_id", "rule_set", "verdict"],
        [["A3", str(i), "within_evidence"] for i in range(60)],
    )
    printed = html.unescape(_text(index.print_document(tmp_path)))
    assert "Robustness, per claim" in printed and "depends on the counting rule" in printed
    assert "Each claim's verdict under every rule set, 60 rows, is in robustness.csv." in printed
    page = _text(index.pages(tmp_path)[f"pages/{RUN}.html"])
    assert "Robustness, per claim" not in page  # the page keeps the grid


def test_a_run_about_one_perpetrator_and_year_shows_its_own_rows(tmp_path: Path) -> None:
    run = tmp_path / "runs" / "corroboration-x"
    rows = [[p, y, "3"] for p in ("russia", "all") for y in ("2016", "2017")]
    _write(run / "tables" / "grid.csv", ["perpetrator", "year", "incidents"], rows)
    _write(
        run / "tables" / "by_month.csv",
        ["perpetrator", "month", "incidents"],
        [["russia", "2016-01", "1"], ["russia", "2017-01", "2"], ["all", "2016-02", "3"]],
    )
    (run / "provenance.json").write_text(
        '{"parameters": {"perpetrator": "russia", "year": 2016}}', encoding="utf-8"
    )
    page = index.pages(tmp_path)["pages/corroboration-x.html"]
    assert page.count("<td>Russia</td><td>2016</td>") == 1 and "2017" not in page
    assert page.count("2016-01") == 1 and "2016-02" not in page
    assert "the CSV also holds the 3 rows of other perpetrators and years" in _text(page)
