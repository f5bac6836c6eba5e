"""CSV injection: no text cell of a CSV the package writes can start a formula."""

from __future__ import annotations

import csv
import json
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from fixtures.claims.tables import CLAIMS, small_tables
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.claims import command, ledger
from analysis.csv_safety import FORMULA_STARTS, neutralise
from analysis.csv_tables import save_table

ATTACK = "=cmd|' /C calc'!A0"


def _cells(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_neutralise_quotes_text_that_starts_a_formula_and_leaves_numbers() -> None:
    table = pd.DataFrame(
        {
            "text": [ATTACK, "+1", "-1", "@SUM(A1)", "\tx", "\rx", "plain", None],
            "number": [-1.5, -2, 3, 4, 5, 6, 7, np.nan],
            "kind": pd.Categorical(["=a", "b", "=a", "b", "b", "b", "b", "b"]),
        }
    )
    out = neutralise(table)
    assert out["text"].tolist()[:7] == [
        "'" + ATTACK,
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "\nx",  # a lone carriage return is a line feed, which starts nothing
        "plain",
    ]
    assert pd.isna(out["text"].iloc[7])
    assert out["number"].equals(table["number"])
    assert out["kind"].tolist()[:2] == ["'=a", "b"]
    assert table["text"].iloc[0] == ATTACK  # the input is not changed


def test_a_numeric_categorical_column_keeps_its_numbers() -> None:
    table = pd.DataFrame({"year": pd.Categorical([2016, -1, 2016]), "n": [1, 2, 3]})
    out = neutralise(table)
    assert isinstance(out["year"].dtype, pd.CategoricalDtype)
    assert out["year"].cat.categories.tolist() == [-1, 2016]
    assert out["year"].tolist() == [2016, -1, 2016]


def test_text_columns_of_every_kind_are_neutralised() -> None:
    table = pd.DataFrame(
        {
            "string": pd.array(["-x", "y", None], dtype="string"),
            "mixed": pd.Series(["@x", 5, None], dtype=object),
            "numbers_as_objects": pd.Series([-1, 2, None], dtype=object),
            "carriage": ["a\rb", "a\r\nb", "c"],
        }
    )
    out = neutralise(table)
    assert out["string"].tolist()[:2] == ["'-x", "y"] and pd.isna(out["string"].iloc[2])
    assert out["mixed"].tolist()[:2] == ["'@x", 5] and pd.isna(out["mixed"].iloc[2])
    assert out["numbers_as_objects"].tolist()[:2] == [-1, 2]
    assert out["carriage"].tolist() == ["a\nb", "a\r\nb", "c"]


def test_every_csv_of_a_claims_run_holds_a_formula_claim_inert(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(ledger, "load_tables", small_tables)
    lines = (CLAIMS / "good.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(
        "Russian strikes killed 12 civilians in the first year", f'"{ATTACK}"'
    )
    # a claim id such as `@T2` is refused when the file is read (format.SAFE_ID)
    claims = tmp_path / "attack.csv"
    claims.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert command.main(claims, tmp_path / "out", robustness=True) == 0
    rows = _cells(tmp_path / "out" / "ledger.csv")
    statements = {r["statement"] for r in rows if r["claim_id"] == "T1"}
    assert statements == {"'" + ATTACK}
    written = sorted((tmp_path / "out").rglob("*.csv"))
    assert len(written) > 10  # the ledger, robustness.csv and the contributions tables
    for path in written:
        for row in _cells(path):
            for column, cell in row.items():
                assert not cell.startswith(FORMULA_STARTS) or _number(cell), (path, column)
    document = json.loads((tmp_path / "out" / "ledger.json").read_text(encoding="utf-8"))
    assert {r["statement"] for r in document["rows"] if r["claim_id"] == "T1"} == {ATTACK}


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_a_cell_cannot_start_a_row_of_its_own(tmp_path: Path) -> None:
    table = pd.DataFrame({"text": ["x\r=1+1", "y\r\n=2+2"], "n": [1, 2]})
    rows = _cells(save_table(table, tmp_path, "rows"))
    assert [r["text"] for r in rows] == ["x\n=1+1", "y\r\n=2+2"]
    assert [r["n"] for r in rows] == ["1", "2"]


def test_save_table_writes_a_formula_cell_inert_and_numbers_as_numbers(tmp_path: Path) -> None:
    table = pd.DataFrame({"statement": [ATTACK, "fine"], "change": [-12.0, 3.0]})
    path = save_table(table, tmp_path, "attack")
    assert path.read_text(encoding="utf-8") == (
        "statement,change\n'=cmd|' /C calc'!A0,-12\nfine,3\n"
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=20), min_size=1, max_size=10))
def test_no_text_cell_written_by_save_table_starts_a_formula(texts: list[str]) -> None:
    table = pd.DataFrame({"text": texts, "number": [-1.0] * len(texts)})
    with tempfile.TemporaryDirectory() as tmp:
        rows = _cells(save_table(table, tmp, "t"))
    assert len(rows) == len(texts)
    for row, text in zip(rows, texts, strict=True):
        assert not row["text"].startswith(FORMULA_STARTS)
        written = re.sub(r"\r(?!\n)", "\n", text)
        assert row["text"] in (written, "'" + written)
        assert row["number"] == "-1"
