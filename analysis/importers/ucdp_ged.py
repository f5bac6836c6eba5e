"""UCDP Georeferenced Event Dataset, Syria special release 652.1601.1911.

Assumptions. The release is one R data file holding the tibble `ucdp_syria_df`:
one row per event with the 41 columns of the GED 19.1 codebook, every number
stored as a double and dates as R `Date`. Names follow the codebook unchanged, so
a reader can look each column up there.

Steps. (1) Read the `.rda` with pyreadr, in memory. (2) Check that the 41 codebook
columns are there. (3) Give identifiers, codes and death counts integer types
(death counts nullable `Int64`) and dates `datetime64[ns]`; refuse a fractional
count or an unparseable date, naming the event. (4) Add `governorate`, the package
code of `adm_1` (UCDP writes `Aleppo Governorate`; that spelling is kept in
`adm_1`). Events with no `adm_1` (country-level or aggregate events) get no
governorate and are counted in the import log.

Known drawbacks. The release covers 2016-01-01 to 2019-11-30 only: nothing of the
first three months of Russian strikes. Russia is never a side: UCDP codes it as a
secondary supporter of the government, so its strikes cannot be separated from the
government's. Events with `date_prec` 5 are aggregates spanning up to a year; in
2016 fifteen of them carry about a third of the year's best-estimate deaths, so
weekly or monthly sums need care.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pyreadr

from analysis import monitors
from analysis.errors import RawFileError
from analysis.importers import ImporterSpec
from analysis.importers.common import cites_column, require_columns, to_integer
from analysis.importers.governorates import normalise_governorate
from analysis.vocabulary import GOVERNORATES

OBJECT = "ucdp_syria_df"
#: How `source_original` joins the names of several original sources.
_ORIGINAL_SPLIT = re.compile(r"[;,/\n]|\band\b|\s+(?=air ?wars)", re.IGNORECASE)

#: The codebook's columns in file order, with a one-line description each.
CODEBOOK: dict[str, str] = {
    "id": "UCDP event identifier; the unique key",
    "year": "year of the event",
    "active_year": "1 when the dyad passed 25 battle deaths in the year",
    "type_of_violence": "1 state-based, 2 non-state, 3 one-sided violence",
    "conflict_new_id": "UCDP conflict identifier",
    "conflict_name": "UCDP conflict name",
    "dyad_new_id": "UCDP dyad identifier",
    "dyad_name": "the two sides, as UCDP names them",
    "side_a_new_id": "identifier of side A",
    "side_a": "side A (a government in state-based conflict); never Russia here",
    "side_b_new_id": "identifier of side B",
    "gwnob": "Gleditsch-Ward code of a foreign government on side B, if any",
    "side_b": "side B",
    "number_of_sources": "number of sources UCDP used for the event",
    "source_article": "reference of the source article(s)",
    "source_office": "agency or outlet of the source",
    "source_date": "date(s) of the source, as UCDP wrote them",
    "source_headline": "headline(s) of the source",
    "source_original": "original source behind the outlet (e.g. SOHR)",
    "where_prec": "precision of the location, 1 (exact) to 7 (country)",
    "where_coordinates": "place the coordinates stand for",
    "adm_1": "first-order administrative unit, UCDP's spelling",
    "adm_2": "second-order administrative unit, UCDP's spelling",
    "latitude": "decimal degrees north",
    "longitude": "decimal degrees east",
    "geom_wkt": "the point as well-known text",
    "priogrid_gid": "PRIO-GRID cell identifier",
    "country": "country name",
    "country_id": "Gleditsch-Ward country code (652 = Syria)",
    "region": "world region",
    "event_clarity": "1 clear event, 2 aggregate or unclear",
    "date_prec": "precision of the dates, 1 (day) to 5 (more than a month)",
    "date_start": "first possible day of the event",
    "date_end": "last possible day of the event",
    "deaths_a": "deaths on side A, best estimate",
    "deaths_b": "deaths on side B, best estimate",
    "deaths_civilians": "civilian deaths, best estimate",
    "deaths_unknown": "deaths of unknown status, best estimate",
    "low": "total deaths, low estimate",
    "best": "total deaths, best estimate",
    "high": "total deaths, high estimate",
}

_INT64 = ("id", "year")
_NULLABLE_INT = (
    "active_year",
    "type_of_violence",
    "conflict_new_id",
    "dyad_new_id",
    "side_a_new_id",
    "side_b_new_id",
    "gwnob",
    "number_of_sources",
    "where_prec",
    "priogrid_gid",
    "country_id",
    "event_clarity",
    "date_prec",
)
DEATHS = ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "low", "best", "high")
_FLOAT = ("latitude", "longitude")
_DATES = ("date_start", "date_end")


def read_rdata(path: Path, name: str) -> pd.DataFrame:
    """One object of an R data file, or an error naming the file and what is in it."""
    try:
        found = pyreadr.read_r(str(path))
    except (pyreadr.custom_errors.PyreadrError, ValueError, OSError) as exc:
        raise RawFileError(f"{path}: not a readable R data file: {exc}") from exc
    if name not in found:
        raise RawFileError(f"{path}: expected an object {name!r}, found {list(found)}")
    return found[name]


def to_dates(raw: pd.Series, path: Path, key: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(raw.astype("string"), format="%Y-%m-%d", errors="coerce")
    bad = raw.notna() & parsed.isna()
    if bad.any():
        i = bad.idxmax()
        raise RawFileError(
            f"{path}: column {raw.name!r}, row with key {key[i]}: expected a date "
            f"YYYY-MM-DD, found {raw[i]!r}"
        )
    return parsed.astype("datetime64[ns]")


def event_cites(office: object, original: object, unmapped: monitors.Unmapped | None = None) -> str:
    """`cites` of one event: the monitors its `source_office` (outlets joined by `;`)
    and `source_original` (joined by `;`, `,`, `/`, a new line, `and`, or a space
    before Airwars) name."""
    names = office.split(";") if isinstance(office, str) else []
    names += _ORIGINAL_SPLIT.split(original) if isinstance(original, str) else []
    return monitors.cites(monitors.of_name(n, unmapped) for n in names)


def _cites(table: pd.DataFrame) -> tuple[pd.Series, dict[str, object]]:
    found, unmapped, rows = [], monitors.Unmapped(), 0
    for office, original in zip(table["source_office"], table["source_original"], strict=True):
        before = sum(unmapped.values.values())
        found.append(event_cites(office, original, unmapped))
        rows += sum(unmapped.values.values()) > before
    entry = unmapped.log_entry(rows, "a source_office or source_original spelling:")
    return pd.Series(found, index=table.index, dtype="string"), entry


def read(files: list[Path]) -> pd.DataFrame:
    (path,) = files
    raw = read_rdata(path, OBJECT)
    require_columns(raw, list(CODEBOOK), path)
    raw = raw[list(CODEBOOK)].reset_index(drop=True)
    table = pd.DataFrame(index=raw.index)
    key = raw["id"]
    for column in CODEBOOK:
        if column in _INT64:
            table[column] = to_integer(raw[column], path, key, "int64")
        elif column in _NULLABLE_INT or column in DEATHS:
            table[column] = to_integer(raw[column], path, key, "Int64")
        elif column in _FLOAT:
            table[column] = pd.to_numeric(raw[column]).astype("float64")
        elif column in _DATES:
            table[column] = to_dates(raw[column], path, key)
        else:
            table[column] = raw[column].astype("string")
    table["governorate"] = table["adm_1"].map(normalise_governorate).astype("string")
    table["source_row"] = pd.Series(raw.index + 1, index=raw.index, dtype="int64")
    table["cites"], unmapped = _cites(table)
    unresolved = table["governorate"].isna() & table["adm_1"].notna()
    no_adm = table["adm_1"].isna()
    table.attrs["import_log"] = [
        {
            "flag": "no_adm_1",
            "rows": int(no_adm.sum()),
            "ids": [int(i) for i in table.loc[no_adm, "id"].head(50)],
            "action": "kept; governorate left empty",
        },
        {
            "flag": "governorate_unresolved",
            "rows": int(unresolved.sum()),
            "ids": [int(i) for i in table.loc[unresolved, "id"].head(50)],
            "action": "kept; governorate left empty",
        },
        unmapped,
    ]
    return table


def _column(name: str) -> pa.Column:
    text = CODEBOOK[name]
    if name == "id":
        return pa.Column("int64", unique=True, description=text)
    if name == "year":
        return pa.Column("int64", pa.Check.between(1989, 2030), description=text)
    if name == "type_of_violence":
        return pa.Column("Int64", pa.Check.isin([1, 2, 3]), description=text)
    if name == "date_prec":
        return pa.Column("Int64", pa.Check.between(1, 5), description=text)
    if name in DEATHS:
        return pa.Column("Int64", pa.Check.ge(0), nullable=True, description=text)
    if name in _NULLABLE_INT:
        return pa.Column("Int64", nullable=True, description=text)
    if name == "latitude":
        return pa.Column("float64", pa.Check.between(-90, 90), nullable=True, description=text)
    if name == "longitude":
        return pa.Column("float64", pa.Check.between(-180, 180), nullable=True, description=text)
    if name in _DATES:
        return pa.Column(
            "datetime64[ns]",
            pa.Check.between(pd.Timestamp("1989-01-01"), pd.Timestamp("2030-12-31")),
            description=text,
        )
    return pa.Column("string", nullable=True, description=text)


SCHEMA = pa.DataFrameSchema(
    {
        **{name: _column(name) for name in CODEBOOK},
        "governorate": pa.Column(
            "string",
            pa.Check.isin(list(GOVERNORATES)),
            nullable=True,
            description="package governorate code of adm_1 (added)",
        ),
        "source_row": pa.Column(
            "int64",
            pa.Check.ge(1),
            unique=True,
            description=f"row of the event in the R object `{OBJECT}` of the upstream "
            ".rda file, counted from 1 (added): where its upstream bytes are",
        ),
        "cites": cites_column("from source_office and source_original (added)"),
    },
    checks=[pa.Check(lambda t: t["date_start"] <= t["date_end"], error="date_start <= date_end")],
    strict=True,
    ordered=True,
)

SPEC = ImporterSpec(
    name="ucdp_ged",
    description="UCDP georeferenced events in Syria, 2016-01 to 2019-11, one row per event "
    "(codebook GED 19.1 names)",
    source="ucdp_ged",
    read=read,
    schema=SCHEMA,
)
