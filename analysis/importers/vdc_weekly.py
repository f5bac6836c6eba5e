"""Violations Documentation Center (VDC) list of the dead: weekly counts, 2011-2018.

Assumptions. A public course repository aggregated the full VDC list (about
180,000 records as of early 2018) into weekly counts, one CSV per breakdown:
`key_status.csv` (status x sex-and-age, province, cause), `key_deathCause.csv`
(cause x status, sex-and-age, province), `key_province.csv` (province x status,
sex-and-age, cause), `key_gender.csv` (sex-and-age x status, province, cause),
`key_none.csv` (every margin of each week) and `AggregatedInfVis.csv` (weekly
totals). The VDC records no perpetrator, so every count covers all parties.

Week numbering. The files key weeks by (`year`, `week`) with no dates. Four
candidate definitions were compared against the days 2011-03-14 .. 2018-01-14:
(calendar year, ISO week) yields exactly the files' 358 pairs; ISO year with ISO
week lacks (2016, 53); strftime `%U` and `%W` yield week 0 in five years and lack
(2015, 53) and (2016, 53); day-of-year // 7 yields a week 53 in 2011-2014 and 2017,
which the files lack. Summing `vdc_daily` (an independent 2016 snapshot) by each
definition, weekly totals correlate with the files' at r = 0.93 for the ISO-based
pairs and 0.81-0.82 for `%U`/`%W` (278 weeks to June 2016). So a week is the set of
days whose calendar year is `year` and whose ISO week is `week`. Most are a Monday
to Sunday week; at the turn of a year a pair can hold a stub of early-January days
(2016-53 is 1-3 Jan 2016 only) or join late-December days onto week 1 or week 52
(2012-1 holds 2-8 Jan and 31 Dec 2012). `week_start` is the first day of the pair's
longest run of consecutive days and `week_days` its number of days (1 to 10), so
rates per day stay honest.

Steps. (1) Read each CSV as text and check its columns; every header is a status,
a sex-and-age group, a province, a known cause of death or `total`, else an error
names the file and column. (2) Melt every file into cells keyed by (year, week,
status, cause, dimension, value); provinces become governorate codes. Cells crossing
sex-and-age with province (in `key_gender` and `key_province`) have no place in the
long form and are left out, counted in the import log. (3) Where several files give
the same cell, compare them; keep the value of the first file in the order
`key_none`, `key_status`, `key_deathCause`, `key_province`, `key_gender`,
`AggregatedInfVis`, and list any disagreement in the import log. (4) Attach
`week_start` and `week_days` from the calendar above. (5) Require every cut (status,
cause, dimension, value) to have a row in every week of the calendar from the files'
first week to their last, else refuse the import, counting the missing cells and
naming a few. The files write a week in which nobody died as 0, so an absent week is
not known to be 0; taken as 0 it would lower a ceiling.

Known drawbacks. `AggregatedInfVis.csv` disagrees with `key_none.csv` on the
weekly total in 245 weeks: by one or two deaths in most (a slightly different
record set), and by whole days at each year's turn, since its 357 pairs are exactly
ISO year with ISO week (it has no 2016-53). It is therefore a check only; the key
files are kept. The aggregation code is not published, so the week definition is
inferred, not documented by its author. Counts are of documented deaths only, and
the list went on growing after the files were made. Year and week bounds of
2011-11 .. 2018-2 are those of the files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis.errors import RawFileError
from analysis.importers import ImporterSpec
from analysis.importers.common import cites_column, read_text_csv
from analysis.importers.governorates import normalise_governorate
from analysis.vocabulary import GOVERNORATES

STATUSES = {"Civilian": "civilian", "Non-Civilian": "non_civilian"}
SEX_AGE = ("Adult - Female", "Adult - Male", "Child - Female", "Child - Male")
CAUSES = (
    "Chemical and toxic gases",
    "Detention - Execution",
    "Detention - Torture",
    "Detention - Torture - Execution",
    "Explosion",
    "Field Execution",
    "Kidnapping - Execution",
    "Kidnapping - Torture",
    "Kidnapping - Torture - Execution",
    "Other",
    "Shelling",
    "Shooting",
    "Siege",
    "Un-allowed to seek Medical help",
    "Unknown",
    "Warplane shelling",
)

#: File name -> the column naming each row's category (None: one row per week).
#: The order is the order of preference when two files give the same cell.
FILES: dict[str, str | None] = {
    "key_none.csv": "none",
    "key_status.csv": "status",
    "key_deathCause.csv": "deathCause",
    "key_province.csv": "province",
    "key_gender.csv": "gender",
    "AggregatedInfVis.csv": None,
}
KEY = ["year", "week", "status", "cause", "dimension", "value"]
#: Where each kept cell's bytes are: the file it was taken from, its line, its column.
LOCATOR = {"file": "source_file", "line": "source_line", "column": "source_column"}


def _axis(label: str, path: Path, column: str) -> tuple[str, str] | None:
    """What a header or row label is: (axis, value), or None for a total."""
    if label in ("total", "deaths", ""):
        return None
    if label in STATUSES:
        return "status", STATUSES[label]
    if label in SEX_AGE:
        return "sex_age", label
    if label in CAUSES:
        return "cause", label
    code = normalise_governorate(label)
    if code is not None:
        return "province", code
    raise RawFileError(
        f"{path}: {column} {label!r} is not a status, sex-and-age group, province, known "
        f"cause of death or 'total'"
    )


def _cells(path: Path, row_column: str | None) -> tuple[pd.DataFrame, int]:
    """A file's cells in long form, and how many sex-age x province cells were left out."""
    raw = read_text_csv(path, ["year", "week"] + ([row_column] if row_column else ["deaths"]))
    ids = ["year", "week"] + ([row_column] if row_column else [])
    for column in raw.columns.difference(ids):
        _axis(column, path, "column")
    for column in ("year", "week"):
        if not raw[column].str.fullmatch(r"\d+").all():
            i = int((~raw[column].str.fullmatch(r"\d+")).idxmax())
            raise RawFileError(
                f"{path}: line {i + 2}, column {column!r}: expected a whole number, "
                f"found {raw[column][i]!r}"
            )
    raw = raw.rename(columns={row_column: "row"}) if row_column else raw.assign(row="")
    long = raw.melt(id_vars=["year", "week", "row"], var_name="column", value_name="text")
    # melt stacks the columns one after another, so row i of the file recurs per column
    long["line"] = np.tile(np.arange(len(raw), dtype="int64") + 2, len(long) // max(len(raw), 1))
    pairs = long[["row", "column"]].drop_duplicates()
    axes = pd.DataFrame.from_records(
        [
            dict(a for a in (_axis(r, path, "row label"), _axis(c, path, "column")) if a)
            for r, c in zip(pairs["row"], pairs["column"], strict=True)
        ],
        columns=["status", "cause", "sex_age", "province"],
    ).astype("object")
    long = long.merge(
        pairs.reset_index(drop=True).join(axes),
        on=["row", "column"],
        how="left",
        validate="many_to_one",
    )
    cross = long["sex_age"].notna() & long["province"].notna()
    long = long[~cross]
    deaths = pd.to_numeric(long["text"].str.strip(), errors="coerce")
    bad = deaths.isna() | (deaths % 1 != 0) | (deaths < 0)
    if bad.any():
        i = bad.idxmax()
        line = int(i) % len(raw) + 2
        raise RawFileError(
            f"{path}: line {line}, column {long['column'][i]!r}: expected a count (a whole "
            f"number >= 0), found {long['text'][i]!r}"
        )
    dimension = pd.Series("total", index=long.index)
    dimension[long["sex_age"].notna()] = "sex_age"
    dimension[long["province"].notna()] = "province"
    cells = pd.DataFrame(
        {
            "year": long["year"].astype("int64"),
            "week": long["week"].astype("int64"),
            "status": long["status"].fillna("all"),
            "cause": long["cause"].fillna("all"),
            "dimension": dimension,
            "value": long["sex_age"].fillna(long["province"]).fillna("all"),
            "deaths": deaths.astype("int64"),
            "file": path.name,
            "line": long["line"],
            "column": long["column"].astype(str),
        }
    )
    return cells, int(cross.sum())


def week_calendar(first_year: int, last_year: int) -> pd.DataFrame:
    """(year, week) -> week_start, week_days under (calendar year, ISO week)."""
    days = pd.Series(pd.date_range(f"{first_year}-01-01", f"{last_year}-12-31"))
    key = pd.DataFrame(
        {
            "year": days.dt.year.astype("int64"),
            "week": days.dt.isocalendar().week.astype("int64").to_numpy(),
        }
    )
    run = (key != key.shift()).any(axis=1).cumsum()
    runs = (
        key.assign(day=days, run=run)
        .groupby(["year", "week", "run"])
        .agg(start=("day", "min"), length=("day", "size"))
    )
    longest = (
        runs.sort_values(["length", "start"], ascending=[False, True])
        .groupby(level=["year", "week"])
        .head(1)
        .reset_index(level="run", drop=True)
    )
    out = pd.DataFrame(
        {
            "week_start": longest["start"].astype("datetime64[ns]"),
            "week_days": runs.groupby(level=["year", "week"])["length"].sum().astype("Int64"),
        }
    )
    return out.reset_index()


def _combine(parts: list[pd.DataFrame]) -> tuple[pd.DataFrame, dict[str, object]]:
    """One value per cell, the first file's; disagreements listed for the log."""
    every = pd.concat(parts, ignore_index=True)
    spread = every.groupby(KEY, sort=False)["deaths"].agg(["min", "max", "size"])
    shared = int((spread["size"] > 1).sum())
    disagree = spread[spread["min"] != spread["max"]]
    flagged = every.merge(disagree.index.to_frame(index=False).head(50), on=KEY)
    examples = [
        {
            "cell": dict(zip(KEY, map(str, key), strict=True)),
            "values": dict(zip(group["file"], map(int, group["deaths"]), strict=True)),
        }
        for key, group in flagged.groupby(KEY, sort=False)
    ]
    entry = {
        "flag": "files_disagree",
        "rows": len(disagree),
        "cells": examples,
        "action": f"compared {shared:,} cells given by two or more files; kept the value of "
        f"the first file in the order {', '.join(FILES)}",
    }
    kept = every.drop_duplicates(KEY, keep="first")
    return kept.rename(columns=LOCATOR), entry


def _require_every_week(table: pd.DataFrame, calendar: pd.DataFrame) -> None:
    """Refuse a table in which a cut lacks a week of the files' range.

    A missing week is unknown, not zero: read as 0 it would understate a ceiling.
    The range is every (year, week) pair of `calendar` from the table's first
    week to its last, so a week absent from every file is refused as well.
    """
    starts = table["week_start"]
    weeks = calendar[calendar["week_start"].between(starts.min(), starts.max())]
    every = table[KEY[2:]].drop_duplicates().merge(weeks[KEY[:2]], how="cross")
    missing = pd.MultiIndex.from_frame(every[KEY]).difference(pd.MultiIndex.from_frame(table[KEY]))
    if len(missing):
        examples = ", ".join(
            f"{year}-W{week:02d}|{status}|{cause}|{dimension}={value}"
            for year, week, status, cause, dimension, value in missing[:5]
        )
        raise RawFileError(
            f"VDC weekly: {len(missing):,} cell(s) missing: a cut (status, cause, dimension, "
            f"value) lacks a week of the files' range, and a missing week is unknown, not 0 "
            f"(it would understate a ceiling); for example {examples}"
        )


def read(files: list[Path]) -> pd.DataFrame:
    by_name = {f.name: f for f in files}
    absent = [name for name in FILES if name not in by_name]
    if absent:
        raise RawFileError(f"VDC weekly: expected files {list(FILES)}, missing {absent}")
    parts, crossed = [], 0
    for name, row_column in FILES.items():
        cells, skipped = _cells(by_name[name], row_column)
        parts.append(cells)
        crossed += skipped
    table, disagreement = _combine(parts)
    calendar = week_calendar(int(table["year"].min()), int(table["year"].max()))
    table = table.merge(calendar, on=["year", "week"], how="left", validate="many_to_one")
    _require_every_week(table, calendar)
    table["deaths"] = table["deaths"].astype("Int64")
    for column in ("status", "cause", "dimension", "value", "source_file", "source_column"):
        table[column] = table[column].astype("string")
    table = table[[*KEY[:2], "week_start", "week_days", *KEY[2:], "deaths", *LOCATOR.values()]]
    table = table.sort_values(KEY, ignore_index=True)
    table["cites"] = pd.Series("vdc", index=table.index, dtype="string")
    table.attrs["import_log"] = [
        disagreement,
        {
            "flag": "sex_age_by_province_left_out",
            "rows": crossed,
            "action": "cells crossing sex-and-age with province (key_gender, key_province) "
            "have no place in the long form; not kept",
        },
    ]
    return table


_VALUES = ["all", *SEX_AGE, *GOVERNORATES]

SCHEMA = pa.DataFrameSchema(
    {
        "year": pa.Column(
            "int64",
            pa.Check.between(2011, 2018),
            description="calendar year of the week, the file's own numbering",
        ),
        "week": pa.Column(
            "int64",
            pa.Check.between(1, 53),
            description="ISO week number within that calendar year (the file's)",
        ),
        "week_start": pa.Column(
            "datetime64[ns]",
            description="first day of the week's longest "
            "run of consecutive days (see the module docstring)",
        ),
        "week_days": pa.Column(
            "Int64",
            pa.Check.between(1, 10),
            description="days the (year, week) pair covers: 7 except at a year's turn",
        ),
        "status": pa.Column(
            "string",
            pa.Check.isin(["all", *STATUSES.values()]),
            description="civilian, non_civilian, or all",
        ),
        "cause": pa.Column(
            "string",
            pa.Check.isin(["all", *CAUSES]),
            description="cause of death as the VDC names it, or all",
        ),
        "dimension": pa.Column(
            "string",
            pa.Check.isin(["total", "sex_age", "province"]),
            description="the breakdown this row belongs to",
        ),
        "value": pa.Column(
            "string",
            pa.Check.isin(_VALUES),
            description="all for totals; a sex-and-age group; or a governorate code",
        ),
        "deaths": pa.Column(
            "Int64", pa.Check.ge(0), description="documented deaths in the cell, all perpetrators"
        ),
        "source_file": pa.Column(
            "string",
            pa.Check.isin(list(FILES)),
            description="upstream file the cell's value was taken from (added)",
        ),
        "source_line": pa.Column(
            "int64",
            pa.Check.ge(2),
            description="line of that file holding the cell (the header is line 1; added)",
        ),
        "source_column": pa.Column(
            "string", description="column of that file holding the cell (added)"
        ),
        "cites": cites_column("always 'vdc': the VDC's own list of the dead (added)"),
    },
    unique=KEY,
    strict=True,
    ordered=True,
)

SPEC = ImporterSpec(
    name="vdc_weekly",
    description="VDC documented deaths per week (2011-2018) by status, cause, and sex-and-age "
    "or governorate, long form; all perpetrators",
    source="vdc_weekly",
    read=read,
    schema=SCHEMA,
)
