"""Claims files from strangers (hypothesis): random and mutated files never crash the
reader. It returns a table that keeps every rule of the format, or raises one
`ClaimsFileError` whose every problem names a line and a column.

Run with `--hypothesis-show-statistics` to see how many examples each test ran.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from analysis.claims.format import (
    COLUMNS,
    EARLIEST,
    LATEST,
    MAX_FIGURE,
    parse_claims,
    read_claims,
)
from analysis.errors import ClaimsFileError
from analysis.vocabulary import AREAS, CATEGORIES, KINDS, PERPETRATORS, QUALIFIERS

PROBLEM = re.compile(r"line [1-9][0-9]*, column [^:\n]+: expected [^\n]+, found [^\n]+")
FORMULA = "=cmd|' /C calc'!A0"
GOOD_ROW = {
    "claim_id": "C1",
    "statement": "Russian strikes killed 12 civilians",
    "source": "SOHR",
    "published": "2016-09-30",
    "period_start": "2015-09-30",
    "period_end": "2016-09-30",
    "perpetrator": "russia",
    "category": "civilians",
    "area": "syria",
    "figure": "12",
    "kind": "count",
    "qualifier": "exact",
    "url": "https://example.org/a",
}
hostile = settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

ODD_CELLS = (
    "",
    " ",
    FORMULA,
    "+1",
    "-1",
    "@SUM(A1)",
    "\tTAB",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "1e400",
    "9" * 400,
    "1" + "0" * 20,
    "-5",
    "1,000",
    "2016-02-30",
    "0001-01-01",
    "9999-12-31",
    "2016-13-01",
    "2016-9-30",
    "a\nb",
    "a\r\nb",
    '"quoted"',
    "x,y",
    "\x00",
    "\u202e",
    "Ω",
    "russia ",
    "Aleppo",
)
odd_cells = st.sampled_from(ODD_CELLS)
long_cells = st.integers(1, 300_000).map(lambda n: "x" * n)
any_cell = st.one_of(odd_cells, odd_cells, long_cells, st.text(max_size=30))


@st.composite
def mutated_rows(draw: st.DrawFn) -> list[list[str]]:
    """A header and good rows, then cells replaced, columns dropped, added or renamed."""
    header = list(COLUMNS)
    rows = []
    for i in range(draw(st.sampled_from([0, 1, 2, 4]))):
        rows.append([GOOD_ROW[c] if c != "claim_id" else f"C{i}" for c in COLUMNS])
    table = [header, *rows]
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2, 3, 6]))):
        r = draw(st.integers(0, len(table) - 1))
        action = draw(st.sampled_from(["replace", "replace", "replace", "drop", "add", "dup"]))
        if action == "replace" and table[r]:
            table[r][draw(st.integers(0, len(table[r]) - 1))] = draw(any_cell)
        elif action == "drop" and table[r]:
            del table[r][draw(st.integers(0, len(table[r]) - 1))]
        elif action == "add":
            table[r].insert(draw(st.integers(0, len(table[r]))), draw(any_cell))
        elif action == "dup" and r > 0:
            table.insert(r, list(table[r]))
    return table


def to_text(rows: list[list[str]], line_end: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator=line_end).writerows(rows)
    return out.getvalue()


@st.composite
def mutated_files(draw: st.DrawFn) -> bytes:
    """A mutated table as bytes: LF or CRLF, perhaps a BOM, perhaps some bytes flipped."""
    data = to_text(draw(mutated_rows()), draw(st.sampled_from(["\n", "\r\n"]))).encode(
        "utf-8", "surrogatepass"
    )
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
        if data:
            at = draw(st.integers(0, len(data) - 1))
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    return data


def assert_valid_or_one_clear_error(read, origin: str) -> str:  # type: ignore[no-untyped-def]
    """Check what `read()` gives; say which of the two outcomes it was."""
    try:
        table = read()
    except ClaimsFileError as exc:
        head, *problems = str(exc).split("\n  ")
        assert head == f"{origin}: bad claims file:", head
        assert problems
        for problem in problems:
            assert PROBLEM.fullmatch(problem) or re.fullmatch(
                r"\.\.\. and \d+ more problems", problem
            ), problem
        return "one ClaimsFileError"
    assert list(table.columns) == [*COLUMNS, "line"]
    assert len(table) >= 1
    assert table["claim_id"].is_unique and (table["claim_id"].str.len() > 0).all()
    assert (table["statement"].str.len() > 0).all() and (table["source"].str.len() > 0).all()
    assert table["perpetrator"].isin(PERPETRATORS).all()
    assert table["category"].isin(CATEGORIES).all()
    assert table["kind"].isin(KINDS).all() and table["qualifier"].isin(QUALIFIERS).all()
    assert table["area"].isin(AREAS).all()
    for column in ("published", "period_start", "period_end"):
        days = table[column]
        assert days.map(lambda d: isinstance(d, pd.Timestamp)).all()
        assert (days >= pd.Timestamp(EARLIEST)).all() and (days <= pd.Timestamp(LATEST)).all()
    assert (table["period_start"] <= table["period_end"]).all()
    figures = table["figure"].astype(float)
    assert figures.between(0, MAX_FIGURE).all()
    assert table["url"].map(lambda u: u == "" or u.startswith(("http://", "https://"))).all()
    assert table["line"].is_monotonic_increasing and (table["line"] >= 2).all()
    return "a valid table"


@hostile
@given(mutated_files())
@example(b"")
@example(b"\xef\xbb\xbf" + to_text([list(COLUMNS), list(GOOD_ROW.values())], "\r\n").encode())
@example(to_text([list(COLUMNS), [*list(GOOD_ROW.values())[:-1], "x" * 200_000]], "\n").encode())
def test_mutated_claims_files(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "claims.csv"
    path.write_bytes(data)
    event(assert_valid_or_one_clear_error(lambda: read_claims(path), str(path)))


@hostile
@given(st.binary(max_size=2000))
def test_random_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "claims.csv"
    path.write_bytes(data)
    event(assert_valid_or_one_clear_error(lambda: read_claims(path), str(path)))


weird_text = st.text(
    alphabet=st.characters(categories=("Cs", "Cc", "Cf", "Zs", "Lo", "Nd")), max_size=8
)


@hostile
@given(mutated_rows(), weird_text, st.data())
def test_claims_as_text_with_any_characters(
    rows: list[list[str]], junk: str, data: st.DataObject
) -> None:
    """Text may hold what no file can, such as lone surrogates, in any cell."""
    r = data.draw(st.integers(0, len(rows) - 1))
    if rows[r]:
        c = data.draw(st.integers(0, len(rows[r]) - 1))
        rows[r][c] += junk
    origin = "command-line options"
    event(
        assert_valid_or_one_clear_error(lambda: parse_claims(to_text(rows, "\n"), origin), origin)
    )


@hostile
@given(
    st.lists(
        st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=300).filter(
            str.strip
        ),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from(["\n", "\r\n"]),
)
def test_any_printable_statement_is_read_as_written(statements: list[str], line_end: str) -> None:
    """Formula-looking, quoted, multi-line or foreign statements: kept, once stripped."""
    rows = [list(COLUMNS)]
    rows += [
        list(dict(GOOD_ROW, claim_id=f"C{i}", statement=text).values())
        for i, text in enumerate(statements)
    ]
    table = parse_claims(to_text(rows, line_end), "test")
    assert table["statement"].tolist() == [text.strip() for text in statements]


def test_every_odd_cell_in_every_column() -> None:
    """The grid hypothesis samples, walked in full: each odd cell in each column."""
    for column in COLUMNS:
        for cell in ODD_CELLS:
            row = dict(GOOD_ROW, **{column: cell})
            text = to_text([list(COLUMNS), list(row.values())], "\n")
            assert_valid_or_one_clear_error(lambda t=text: parse_claims(t, "grid"), "grid")


def test_a_formula_cell_is_read_as_written() -> None:
    row = dict(GOOD_ROW, statement=FORMULA)
    table = parse_claims(to_text([list(COLUMNS), list(row.values())], "\n"), "options")
    assert table.loc[0, "statement"] == FORMULA


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (b"claim_id,statement\xff", "line 1, column 2: expected UTF-8 text, found the byte 0xff"),
        (
            to_text([list(COLUMNS)], "\n").encode() + b"C1,caf\xe9",
            "line 2, column statement: expected UTF-8 text, found the byte 0xe9",
        ),
    ],
)
def test_bytes_that_are_not_utf8_are_placed(tmp_path: Path, text: bytes, problem: str) -> None:
    path = tmp_path / "claims.csv"
    path.write_bytes(text)
    with pytest.raises(ClaimsFileError) as error:
        read_claims(path)
    assert str(error.value) == f"{path}: bad claims file:\n  {problem}"


@pytest.mark.parametrize(
    ("cell", "column", "expected"),
    [
        ("2016-02-30", "published", "a date YYYY-MM-DD"),
        ("0001-01-01", "period_start", "a date YYYY-MM-DD"),
        ("NaN", "figure", "a number of people"),
        ("inf", "figure", "a number of people"),
        ("9" * 400, "figure", "a number of people"),
        ("x" * 200_000, "statement", "at most 10000 characters"),
        ("a\x00b", "source", "text without control characters"),
    ],
)
def test_hostile_cells_are_named_by_line_and_column(cell: str, column: str, expected: str) -> None:
    rows = [list(COLUMNS), list(GOOD_ROW.values()), list(dict(GOOD_ROW, claim_id="C2").values())]
    rows[2][COLUMNS.index(column)] = cell
    with pytest.raises(ClaimsFileError, match=f"line 3, column {column}: expected {expected}"):
        parse_claims(to_text(rows, "\n"), "test")


def test_a_quoted_line_break_keeps_the_first_line_of_its_record() -> None:
    second = dict(GOOD_ROW, claim_id="C2", statement="two\nlines")
    third = dict(GOOD_ROW, claim_id="C3", perpetrator="nato")
    rows = [list(COLUMNS), list(GOOD_ROW.values()), list(second.values()), list(third.values())]
    with pytest.raises(ClaimsFileError, match="line 5, column perpetrator"):
        parse_claims(to_text(rows, "\r\n"), "test")
    table = parse_claims(to_text(rows[:3], "\r\n"), "test")
    assert table["line"].tolist() == [2, 3]
    assert table.loc[1, "statement"] == "two\nlines"


@pytest.mark.parametrize(
    "claim_id", ["../../etc/passwd", "A 1", "é1", "-A", "x" * 65, "A1;rm", "@T2", "=1+1"]
)
def test_a_claim_id_outside_the_safe_characters_is_refused_clearly(claim_id: str) -> None:
    rows = [list(COLUMNS), list(dict(GOOD_ROW, claim_id=claim_id).values())]
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    with pytest.raises(ClaimsFileError, match="line 2, column claim_id: expected an id of at most"):
        parse_claims(text.getvalue(), "t")
    good = [list(COLUMNS), list(dict(GOOD_ROW, claim_id="A-1.b_2").values())]
    text = io.StringIO()
    csv.writer(text).writerows(good)
    assert parse_claims(text.getvalue(), "t")["claim_id"].tolist() == ["A-1.b_2"]
