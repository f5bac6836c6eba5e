"""Published figures: SOHR's tallies, their copies, and the article's own figures.

Assumptions. `data/raw/published_figures.csv` is curated by hand for this project
from a collection of stored public texts (wire copies, SOHR's site, the article)
and is committed. Each row is one figure as printed in one copy: copies that
disagree (e.g. 893 vs 819 IS fighters in January 2016) stay separate rows, so no
discrepancy is silently resolved. Rows of the collection that describe method only
and carry no figure are not in the file. Victim categories, perpetrators,
qualifiers and areas use the controlled vocabulary of `analysis.vocabulary`.

Dates. `published` is written as precisely as the text showed it (`YYYY-MM-DD`,
`YYYY-MM` or `YYYY`) and `published_precision` must agree with that form; a
month or year is read as its first day. Periods are full dates: where a source
gave only a month, its start was set to the first and its end to the last day of
that month (the widest window the text allows), and the row's note says so.

Steps. (1) Read the CSV as text and check every column is present. (2) Parse
dates and figures, naming the row and column of any that fail. (3) Validate with
the schema: vocabulary, unique `figure_id`, `figure` >= 0, period start not after
its end.

Known drawbacks. A figure read in a copy may carry the copy's error rather than
SOHR's; the `publisher` column names the copy. Several figures are rounded in
headlines and marked by their qualifier (`almost`, `more_than`, ...), which must be
respected when comparing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis import monitors, paths
from analysis.errors import RawFileError
from analysis.importers import ImporterSpec
from analysis.importers.common import cites_column, read_text_csv
from analysis.vocabulary import (
    AREAS,
    CATEGORIES,
    DATE_PRECISIONS,
    KINDS,
    PERPETRATORS,
    QUALIFIERS,
)

COLUMNS = (
    "figure_id",
    "claim_id",
    "monitor",
    "publisher",
    "published",
    "published_precision",
    "period_start",
    "period_end",
    "perpetrator",
    "category",
    "area",
    "figure",
    "kind",
    "qualifier",
    "url",
    "note",
)
CLAIM_IDS = ("C1", "C2", "C3", "C4", "C1;C2", "CTX")
_FORMS = {
    "day": (r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d"),
    "month": (r"\d{4}-\d{2}", "%Y-%m"),
    "year": (r"\d{4}", "%Y"),
}


def _fail(path: Path, i: int, column: str, expected: str, found: object) -> RawFileError:
    return RawFileError(
        f"{path}: line {i + 2}, column {column!r}: expected {expected}, found {found!r}"
    )


def _published(raw: pd.DataFrame, path: Path) -> pd.Series:
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    for i, (text, precision) in enumerate(
        zip(raw["published"], raw["published_precision"], strict=True)
    ):
        if not text and not precision:
            continue  # publication date unknown
        if precision not in _FORMS:
            raise _fail(path, i, "published_precision", f"one of {DATE_PRECISIONS}", precision)
        pattern, form = _FORMS[precision]
        parsed = pd.to_datetime(text, format=form, errors="coerce")
        if not pd.Series([text]).str.fullmatch(pattern).iloc[0] or pd.isna(parsed):
            raise _fail(path, i, "published", f"a date of {precision} precision ({form})", text)
        out.iloc[i] = parsed
    return out


def read(files: list[Path]) -> pd.DataFrame:
    (path,) = files
    raw = read_text_csv(path, COLUMNS)
    table = raw[list(COLUMNS)].copy()
    table["published"] = _published(raw, path)
    table["published_precision"] = raw["published_precision"].replace("", pd.NA)
    for column in ("period_start", "period_end"):
        parsed = pd.to_datetime(raw[column], format="%Y-%m-%d", errors="coerce")
        if parsed.isna().any():
            i = int(parsed.isna().to_numpy().argmax())
            raise _fail(path, i, column, "a date YYYY-MM-DD", raw[column][i])
        table[column] = parsed.astype("datetime64[ns]")
    figure = pd.to_numeric(raw["figure"], errors="coerce")
    if figure.isna().any():
        i = int(figure.isna().to_numpy().argmax())
        raise _fail(path, i, "figure", "a number", raw["figure"][i])
    table["figure"] = figure.astype("float64")
    table["note"] = raw["note"].replace("", pd.NA)
    for column in COLUMNS:
        if table[column].dtype == object or str(table[column].dtype) == "str":
            table[column] = table[column].astype("string")
    table["cites"] = table["monitor"].map(monitors.claimant).astype("string")
    table.attrs["import_log"] = []
    return table


def _text(
    description: str,
    allowed: tuple[str, ...] | None = None,
    *,
    nullable: bool = False,
    unique: bool = False,
) -> pa.Column:
    checks = [pa.Check.isin(list(allowed))] if allowed else [pa.Check.str_length(min_value=1)]
    return pa.Column("string", checks, nullable=nullable, unique=unique, description=description)


SCHEMA = pa.DataFrameSchema(
    {
        "figure_id": pa.Column(
            "string",
            pa.Check.str_matches(r"^P\d{3}$"),
            unique=True,
            description="row identifier, P001 ...",
        ),
        "claim_id": _text(
            "which claim of the article the figure bears on (C1-C4, C1;C2 "
            "other tallies of Russian strikes, CTX context)",
            CLAIM_IDS,
        ),
        "monitor": _text("who counted (SOHR, or unattributed when the text names no one)"),
        "publisher": _text("outlet whose text was read, often a wire copy"),
        "published": pa.Column(
            "datetime64[ns]",
            nullable=True,
            description="publication date (first day of the month or "
            "year when only that was visible); empty when unknown",
        ),
        "published_precision": _text(
            "precision of published: day, month or year", DATE_PRECISIONS, nullable=True
        ),
        "period_start": pa.Column("datetime64[ns]", description="first day the figure covers"),
        "period_end": pa.Column("datetime64[ns]", description="last day the figure covers"),
        "perpetrator": _text("who the deaths are attributed to", PERPETRATORS),
        "category": _text("victim category", CATEGORIES),
        "area": _text("where: syria, a governorate code or a named area", AREAS),
        "figure": pa.Column("float64", pa.Check.ge(0), description="the figure as printed"),
        "kind": _text(
            "count (a documented tally), min, max, or estimate (a modelled total)", KINDS
        ),
        "qualifier": _text(
            "how the text hedged the figure (exact, about, almost, at_least, more_than, up_to)",
            QUALIFIERS,
        ),
        "url": pa.Column(
            "string", pa.Check.str_matches(r"^https?://"), description="address of the text read"
        ),
        "note": _text("short note in the project's own words", nullable=True),
        "cites": cites_column("the monitor the row names; 'unknown' when unattributed (added)"),
    },
    checks=[
        pa.Check(lambda t: t["period_start"] <= t["period_end"], error="period_start <= period_end")
    ],
    strict=True,
    ordered=True,
)

SPEC = ImporterSpec(
    name="published",
    description="Published casualty figures (SOHR tallies and their copies, the article's "
    "own figures), curated in data/raw/published_figures.csv",
    source=None,
    read=read,
    schema=SCHEMA,
    committed_inputs=(paths.PUBLISHED_FIGURES,),
)
