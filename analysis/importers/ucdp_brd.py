"""UCDP battle-related deaths per country and year, Syria only.

Assumptions. The file is the R data object `ucdpbrds`: one row per country and
year, 1946-2022, with PRIO battle deaths before 1989 and UCDP GED 23.1 after
(`source` says which). Syria is Gleditsch-Ward code 652. Counts are stored as
doubles but are whole numbers.

Steps. (1) Read the `.rda` with pyreadr. (2) Check the expected columns. (3) Keep
Syria's rows (gwcode 652) and say in the import log how many other rows were left
out. (4) Give codes and years integer types and the three estimates `Int64`,
refusing fractions and naming the year.

Known drawbacks. Battle-related deaths count state-based conflict only (a
government against an organised group): one-sided killings of civilians and
fighting between non-state groups are outside it, so it is a floor for the war's
dead, not a total. Before 1989 the PRIO figures are far coarser. The source gives
no split by perpetrator, so Russian strikes cannot be isolated.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis import monitors
from analysis.importers import ImporterSpec
from analysis.importers.common import cites_column, require_columns, to_integer
from analysis.importers.ucdp_ged import read_rdata

OBJECT = "ucdpbrds"
SYRIA = 652

COLUMNS: dict[str, str] = {
    "gwcode": "Gleditsch-Ward country code (652 = Syria)",
    "country_name": "country name",
    "status": "state status in the Gleditsch-Ward list",
    "owner": "Gleditsch-Ward code of the state owning the territory",
    "capname": "capital city",
    "caplong": "capital longitude, decimal degrees east",
    "caplat": "capital latitude, decimal degrees north",
    "b_def": "1 when the country is defined in the year",
    "fid": "feature identifier of the country polygon",
    "year": "calendar year",
    "low": "battle-related deaths, low estimate",
    "high": "battle-related deaths, high estimate",
    "best": "battle-related deaths, best estimate",
    "source": "dataset the year's figures come from (PRIO before 1989, UCDP GED after)",
}
_INTEGERS = ("gwcode", "owner", "b_def", "fid", "year")
ESTIMATES = ("low", "high", "best")


def read(files: list[Path]) -> pd.DataFrame:
    (path,) = files
    raw = read_rdata(path, OBJECT)
    require_columns(raw, list(COLUMNS), path)
    syria = raw.loc[raw["gwcode"] == SYRIA, list(COLUMNS)]
    position = pd.Series(range(1, len(raw) + 1), index=raw.index).loc[syria.index]
    syria = syria.reset_index(drop=True)
    key = syria["year"]
    table = pd.DataFrame(index=syria.index)
    for column in COLUMNS:
        if column in _INTEGERS:
            table[column] = to_integer(syria[column], path, key, "int64")
        elif column in ESTIMATES:
            table[column] = to_integer(syria[column], path, key, "Int64")
        elif column in ("caplong", "caplat"):
            table[column] = pd.to_numeric(syria[column]).astype("float64")
        else:
            table[column] = syria[column].astype("string")
    table["source_row"] = position.to_numpy(dtype="int64")
    # Country-year totals summed from events: which monitors stand behind a total was
    # not captured in the file, so it is honestly unknown.
    table["cites"] = pd.Series(monitors.UNKNOWN, index=table.index, dtype="string")
    table = table.sort_values("year", ignore_index=True)
    table.attrs["import_log"] = [
        {
            "flag": "other_countries",
            "rows": int(len(raw) - len(syria)),
            "action": f"left out: only Syria (gwcode {SYRIA}) is kept",
        },
    ]
    return table


def _column(name: str) -> pa.Column:
    text = COLUMNS[name]
    if name == "gwcode":
        return pa.Column("int64", pa.Check.eq(SYRIA), description=text)
    if name == "year":
        return pa.Column("int64", pa.Check.between(1946, 2030), unique=True, description=text)
    if name in ESTIMATES:
        return pa.Column("Int64", pa.Check.ge(0), nullable=True, description=text)
    if name in _INTEGERS:
        return pa.Column("int64", description=text)
    if name in ("caplong", "caplat"):
        return pa.Column("float64", nullable=True, description=text)
    return pa.Column("string", nullable=True, description=text)


SCHEMA = pa.DataFrameSchema(
    {
        **{name: _column(name) for name in COLUMNS},
        "source_row": pa.Column(
            "int64",
            pa.Check.ge(1),
            unique=True,
            description=f"row of the country-year in the R object `{OBJECT}` of the "
            "upstream .rda file, counted from 1 (added): where its upstream bytes are",
        ),
        "cites": cites_column(
            "always 'unknown': country-year totals summed from events (PRIO before 1989, "
            "GED after), whose sources the file does not carry (added)"
        ),
    },
    checks=[
        pa.Check(
            lambda t: (t["low"] <= t["best"]) & (t["best"] <= t["high"]),
            error="low <= best <= high",
        )
    ],
    strict=True,
    ordered=True,
)

SPEC = ImporterSpec(
    name="ucdp_brd",
    description="UCDP battle-related deaths in Syria per year, low, best and high estimates "
    "(PRIO before 1989)",
    source="ucdp_brd",
    read=read,
    schema=SCHEMA,
)
