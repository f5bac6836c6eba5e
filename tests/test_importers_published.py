"""The curated published-figures table: vocabulary, dates and figures checked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.errors import RawFileError, SchemaError
from analysis.importers import published
from analysis.schema import validate


def _load(path: Path) -> pd.DataFrame:
    return validate(published.read([path]), published.SCHEMA, "published")


def test_the_committed_table_is_valid_and_holds_the_articles_figures() -> None:
    raw = pd.read_csv(paths.PUBLISHED_FIGURES, dtype=str)
    table = _load(paths.PUBLISHED_FIGURES)
    assert len(table) == len(raw)
    article = table[table["publisher"] == "The New Arab"].set_index("category")
    assert sorted(table.loc[table["publisher"] == "The New Arab", "claim_id"].unique()) == [
        "C1",
        "C2",
        "C3",
        "C4",
    ]
    assert article.loc["children", "figure"] == 906
    assert article.loc["is_fighters", "figure"] == 2746
    # discrepant copies of January 2016 stay separate rows
    assert {893.0, 965.0} <= set(table.loc[table["category"] == "is_fighters", "figure"])


def _edited(tmp_path: Path, column: str, value: str) -> Path:
    frame = pd.read_csv(paths.PUBLISHED_FIGURES, dtype=str, keep_default_na=False)
    frame.loc[2, column] = value
    target = tmp_path / "published_figures.csv"
    frame.to_csv(target, index=False)
    return target


@pytest.mark.parametrize(
    ("column", "value", "error", "match"),
    [
        ("category", "martians", SchemaError, "category"),
        ("perpetrator", "Russia", SchemaError, "perpetrator"),
        ("figure", "-3", SchemaError, "figure"),
        ("figure", "about 3000", RawFileError, "line 4, column 'figure'"),
        ("period_end", "2015-01-01", SchemaError, "period_start <= period_end"),
        ("period_start", "30/09/2015", RawFileError, "line 4, column 'period_start'"),
        ("published", "2016-09", RawFileError, "line 4, column 'published'"),
    ],
)
def test_a_bad_value_is_named(
    tmp_path: Path, column: str, value: str, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        _load(_edited(tmp_path, column, value))


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    frame = pd.read_csv(paths.PUBLISHED_FIGURES, dtype=str).drop(columns="qualifier")
    frame.to_csv(tmp_path / "p.csv", index=False)
    with pytest.raises(RawFileError, match=r"missing column\(s\) \['qualifier'\]"):
        published.read([tmp_path / "p.csv"])
