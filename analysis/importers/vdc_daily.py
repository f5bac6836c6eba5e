"""Violations Documentation Center (VDC) list of the dead: daily counts, July 2016.

Assumptions. `counts.csv` has two columns, `Date of death` (YYYY-MM-DD) and
`# killed`, one row per day with at least one recorded death, as the list stood
on 2016-07-20; days with no death are absent rather than zero. It has no status,
cause or perpetrator, so it can bound all deaths only.

Steps. (1) Read the CSV as text. (2) Check both columns are there. (3) Parse every
date and count, naming the row of any that does not parse. (4) Refuse duplicate
days and negative counts (schema).

Known drawbacks. A snapshot: the VDC kept adding and revising records after July
2016, so counts for recent weeks are lower than later versions (compare
`vdc_weekly`, built from the 2018 list). Dates are dates of death as recorded,
not of the attack.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.errors import RawFileError
from analysis.importers import ImporterSpec
from analysis.importers.common import cites_column, read_text_csv

DATE, COUNT = "Date of death", "# killed"
FIRST, LAST = pd.Timestamp("2011-03-01"), pd.Timestamp("2016-07-20")


def read(files: list[Path]) -> pd.DataFrame:
    (path,) = files
    raw = read_text_csv(path, (DATE, COUNT))
    date = pd.to_datetime(raw[DATE].str.strip(), format="%Y-%m-%d", errors="coerce")
    deaths = pd.to_numeric(raw[COUNT].str.strip(), errors="coerce")
    for column, parsed, expected in (
        (DATE, date, "a date YYYY-MM-DD"),
        (COUNT, deaths, "a whole number"),
    ):
        bad = parsed.isna() | ((parsed % 1 != 0) if column == COUNT else False)
        if bad.any():
            i = int(bad.idxmax())
            raise RawFileError(
                f"{path}: line {i + 2} (data row {i + 1}), column {column!r}: "
                f"expected {expected}, found {raw[column][i]!r}"
            )
    table = pd.DataFrame(
        {
            "date": date.astype("datetime64[ns]"),
            "deaths": deaths.astype("Int64"),
            "source_line": pd.Series(raw.index + 2, dtype="int64"),
            "cites": pd.Series("vdc", index=raw.index, dtype="string"),
        }
    )
    table.attrs["import_log"] = []
    return table


SCHEMA = pa.DataFrameSchema(
    {
        "date": pa.Column(
            "datetime64[ns]",
            pa.Check.between(FIRST, LAST),
            unique=True,
            description="date of death; days with no recorded death are absent",
        ),
        "deaths": pa.Column(
            "Int64",
            pa.Check.ge(0),
            description="deaths the VDC list recorded that day (all statuses)",
        ),
        "source_line": pa.Column(
            "int64",
            pa.Check.ge(2),
            unique=True,
            description="line of the day in the upstream CSV (the header is line 1; added)",
        ),
        "cites": cites_column("always 'vdc': the VDC's own list of the dead (added)"),
    },
    strict=True,
    ordered=True,
)

SPEC = ImporterSpec(
    name="vdc_daily",
    description="VDC list of the dead as of 2016-07-20, deaths per day (no status or perpetrator)",
    source="vdc_daily",
    read=read,
    schema=SCHEMA,
)
