"""Airwars civilian-harm incidents in Syria: 112 zip parts to one row per incident.

Assumptions. The third-party archive splits one zip into `part-000` ... `part-111`;
its `manifest.json` gives the whole zip's sha256 and size. Each incident is one
`cases/NNNN/data.json` whose `incident` object holds Arabic field names, with the
archive's English original beside each translated field (`... — الأصل`). Only
those English originals and the numbers become columns. Victim lists are read only
to collect names to withhold: a free-text location that names a listed victim is
emptied (coordinates are kept), so no name of the dead reaches the table.

Steps. (1) Read every case record through `airwars_archive`, which reassembles the
zip in memory, checks its sha256 and guards against hostile entries. (2) Parse each case record
into one row with English column names. (3) Normalise belligerents to package
codes and governorates to one spelling. (4) Flag known defects instead of dropping
them: duplicate incident codes, impossible or out-of-Syria coordinates, a minimum
above its maximum, unresolvable governorates.

Known drawbacks. 4,330 cases were archived without their detail page, so category
breakdowns (children, women, men) are blank more often than in Airwars' own site.
The grading `Contested, Discounted` (one case) is read as `Discounted`, the more
conservative of the two; its original text is kept in `grading_original`.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pandas as pd
import pandera.pandas as pa

from analysis import monitors
from analysis.errors import RawFileError
from analysis.importers import ImporterSpec
from analysis.importers.airwars_archive import ENTRY, read_case_records, reassemble
from analysis.importers.common import cites_column
from analysis.importers.governorates import normalise_governorate
from analysis.privacy import NameSet, find_names, names_from_victims
from analysis.vocabulary import BELLIGERENTS, GOVERNORATES, GRADINGS

#: Syria's extent, with a margin, for flagging coordinates outside it.
SYRIA_BOUNDS = (32.0, 35.5, 37.5, 42.5)  # south, west, north, east
#: Dates before the uprising began are placeholders, not incident dates.
WAR_START = pd.Timestamp("2011-03-15")

_ORIGINAL = " — الأصل"
_FIELDS: dict[str, str] = {
    "sequence": "التسلسل",
    "incident_code": "رمز الحادثة",
    "date": "تاريخ الحادثة",
    "date_end": "نهاية نطاق التاريخ",
    "detail_captured": "تفاصيل الصفحة الداخلية محفوظة",
    "airwars_url": "رابط الحادثة",
    "location": "الموقع بالإنجليزية",
    "latitude": "خط العرض",
    "longitude": "خط الطول",
    "belligerents_original": "الجهة العسكرية" + _ORIGINAL,
    "grading_original": "قوة الأدلة" + _ORIGINAL,
    "strike_status": "حالة نسبة الضربة" + _ORIGINAL,
    "governorate_field": "المحافظة" + _ORIGINAL,
    "region_field": "المنطقة" + _ORIGINAL,
    "province_field": "الإقليم/الولاية" + _ORIGINAL,
}
_COUNTS: dict[str, str] = {
    "civilians_killed": "مدنيون قتلى",
    "children_killed": "أطفال قتلى",
    "women_killed": "نساء قتلى",
    "men_killed": "رجال قتلى",
    "civilians_injured": "مدنيون جرحى",
    "military_killed": "عسكريون قتلى",
}
_MIN, _MAX = " — حد أدنى", " — حد أعلى"
_YES = "نعم"
#: In a case's `technical` record: the incident's earlier codes, as a JSON list of
#: {"previous_unique_reference_code": ...} (GED cites incidents by these codes).
_EARLIER_CODES = "الرموز السابقة JSON"
#: The case record's lists of links, and the keys of a link's address and name in them.
_LINK_KEYS = ("sources", "api_links", "additional_links")
_SOURCE_URL, _SOURCE_NAME = "رابط المصدر", "اسم المصدر" + _ORIGINAL
_LINK_TEXT = "نص الرابط" + _ORIGINAL
#: Category of a link that stays inside Airwars' site (navigation, its own images).
_INTERNAL = "روابط داخل Airwars"

#: Intermediate fields -> the table columns made from them (others keep their name).
_DERIVED: dict[str, tuple[str, ...]] = {
    "date": ("date", "date_precision"),
    "belligerents_original": ("belligerents_original", "belligerents", "belligerent_count"),
    "grading_original": ("grading_original", "grading"),
    "governorate_field": ("governorate_original", "governorate"),
    "region_field": ("governorate_original", "governorate"),
    "province_field": ("governorate_original", "governorate"),
}


def upstream_keys() -> dict[str, tuple[str, ...]]:
    """Every key of a case's `incident` object that the importer reads, with the table
    columns it feeds: what `explain --record` shows beside the stored values."""
    keys = {key: _DERIVED.get(name, (name,)) for name, key in _FIELDS.items()}
    for column, key in _COUNTS.items():
        keys[key + _MIN] = (f"{column}_min",)
        keys[key + _MAX] = (f"{column}_max",)
    return keys


STRIKE_STATUSES = ("Declared strike", "Likely strike", "Contested strike", "Single source claim")
COUNT_COLUMNS = tuple(f"{c}_{end}" for c in _COUNTS for end in ("min", "max"))


# -- parsing ----------------------------------------------------------------------


def _parse_dates(raw: pd.Series, column: str) -> tuple[pd.Series, pd.Series]:
    """Dates as `YYYY-MM-DD`, or a bare year; anything else is an error naming the row."""
    text = raw.astype("string").str.strip()
    day = pd.to_datetime(text.where(text.str.len() == 10), format="%Y-%m-%d", errors="coerce")
    year = pd.to_datetime(text.where(text.str.fullmatch(r"\d{4}")), format="%Y", errors="coerce")
    bad = text.notna() & day.isna() & year.isna()
    if bad.any():
        first = bad.idxmax()
        raise RawFileError(
            f"Airwars case record {first + 1} ({column}): expected a date YYYY-MM-DD or a "
            f"year YYYY, found {text[first]!r}"
        )
    precision = pd.Series(pd.NA, index=raw.index, dtype="string")
    precision[day.notna()] = "day"
    precision[year.notna()] = "year"
    return day.fillna(year).astype("datetime64[ns]"), precision


def _belligerents(original: pd.Series) -> pd.Series:
    def codes(text: object) -> object:
        if not isinstance(text, str) or not text.strip():
            return pd.NA
        names = [n.strip() for n in text.split(",") if n.strip()]
        return "|".join(BELLIGERENTS.get(n, "other") for n in names)

    return original.map(codes).astype("string")


def _grading(original: pd.Series) -> pd.Series:
    def one(text: object) -> object:
        if not isinstance(text, str):
            return pd.NA
        parts = [p.strip() for p in text.split(",")]
        known = [p for p in parts if p in GRADINGS]
        # Several gradings: keep the weakest (last in GRADINGS), the conservative reading.
        return max(known, key=GRADINGS.index) if known else pd.NA

    return original.map(one).astype(pd.CategoricalDtype(GRADINGS, ordered=True))


def earlier_codes(technical: object) -> str | None:
    """A case's earlier incident codes from its `technical` records, trimmed, in
    their stored order, without blanks or repeats, joined by "|"; None when none."""
    codes: list[str] = []
    for record in technical if isinstance(technical, list) else []:
        stored = record.get(_EARLIER_CODES) if isinstance(record, dict) else None
        if not isinstance(stored, str) or not stored.strip():
            continue
        try:
            items = orjson.loads(stored)
        except orjson.JSONDecodeError as exc:
            raise RawFileError(
                f"Airwars technical record: {_EARLIER_CODES!r} is not JSON: {exc}"
            ) from exc
        for item in items if isinstance(items, list) else []:
            code = item.get("previous_unique_reference_code") if isinstance(item, dict) else None
            if isinstance(code, str) and code.strip() and code.strip() not in codes:
                codes.append(code.strip())
    return "|".join(codes) or None


def tidy(
    records: list[dict[str, Any]],
    withheld_names: NameSet | None = None,
    entries: list[str] | None = None,
    earlier: list[str | None] | None = None,
) -> pd.DataFrame:
    """One row per case record with English names, normalised codes and flags.

    `entries` names each record's zip entry (`cases/NNNN/data.json`), kept as the
    record's upstream address; `earlier` gives each record's earlier codes
    (`earlier_codes`). A location text that contains any of `withheld_names`
    (the archive's victim names: some locations read "the home of ...") is emptied,
    and logged.
    """
    raw = pd.DataFrame.from_records(records)
    for key in [*_FIELDS.values(), *(f"{v}{e}" for v in _COUNTS.values() for e in (_MIN, _MAX))]:
        if key not in raw.columns:
            raw[key] = None
    out = pd.DataFrame({name: raw[key] for name, key in _FIELDS.items()})
    if out["sequence"].isna().any() or out["incident_code"].isna().any():
        row = int(out.index[out["sequence"].isna() | out["incident_code"].isna()][0])
        raise RawFileError(
            f"Airwars case record {row + 1}: missing sequence or incident code "
            f"({_FIELDS['sequence']!r}, {_FIELDS['incident_code']!r})"
        )
    table = pd.DataFrame({"sequence": out["sequence"].astype("int64")})
    table["incident_code"] = out["incident_code"].astype("string")
    table["earlier_codes"] = pd.array(earlier or [None] * len(table), dtype="string")
    table["belligerents"] = _belligerents(out["belligerents_original"])
    table["belligerent_count"] = table["belligerents"].str.count(r"\|").add(1).astype("Int64")
    table["belligerents_original"] = out["belligerents_original"].astype("string")
    table["date"], table["date_precision"] = _parse_dates(out["date"], "incident date")
    table["date_end"], _ = _parse_dates(out["date_end"], "end of date range")
    table["grading"] = _grading(out["grading_original"])
    table["grading_original"] = out["grading_original"].astype("string")
    table["strike_status"] = out["strike_status"].astype("string")
    for column, key in _COUNTS.items():
        for end, suffix in (("min", _MIN), ("max", _MAX)):
            table[f"{column}_{end}"] = pd.to_numeric(raw[f"{key}{suffix}"]).astype("Int64")
    spelled = out["governorate_field"].fillna(out["province_field"]).fillna(out["region_field"])
    table["governorate"] = spelled.map(normalise_governorate).astype("string")
    table["governorate_original"] = spelled.astype("string")
    location = out["location"].astype("string")
    names = withheld_names if withheld_names is not None else NameSet()
    naming = location.map(lambda t: isinstance(t, str) and bool(find_names(t, names)))
    naming = naming.astype(bool)
    table["location"] = location.mask(naming)
    table["latitude"] = pd.to_numeric(out["latitude"], errors="coerce").astype("float64")
    table["longitude"] = pd.to_numeric(out["longitude"], errors="coerce").astype("float64")
    table["airwars_url"] = out["airwars_url"].astype("string")
    table["detail_captured"] = out["detail_captured"].eq(_YES).astype("bool")
    table["entry"] = pd.array(entries or [pd.NA] * len(table), dtype="string")
    table = _flag(table)
    table.attrs["import_log"].append(
        {
            "flag": "location_withheld",
            "rows": int(naming.sum()),
            "sequences": [int(s) for s in table.loc[naming, "sequence"].head(50)],
            "action": "location text emptied: it names a person listed among the victims; "
            "coordinates kept",
        }
    )
    return table


def _flag(table: pd.DataFrame) -> pd.DataFrame:
    """Flag known defects; keep every row. The import log lists each flag's rows."""
    lat, lon = table["latitude"], table["longitude"]
    invalid = (lat.abs() > 90) | (lon.abs() > 180)
    south, west, north, east = SYRIA_BOUNDS
    outside = ~invalid & lat.notna() & ~(lat.between(south, north) & lon.between(west, east))
    issue = pd.Series(pd.NA, index=table.index, dtype="string")
    issue[outside] = "outside_syria"
    issue[invalid] = "invalid"
    table["coordinate_issue"] = issue
    table.loc[invalid, ["latitude", "longitude"]] = float("nan")
    table["duplicate_code"] = table["incident_code"].duplicated(keep=False).astype("bool")
    inverted = pd.Series(False, index=table.index)
    for column in _COUNTS:
        low, high = table[f"{column}_min"], table[f"{column}_max"]
        inverted |= (low > high).fillna(False).astype(bool)
    table["min_above_max"] = inverted.astype("bool")
    implausible = table["date"] < WAR_START
    table["date_issue"] = pd.Series(pd.NA, index=table.index, dtype="string")
    table.loc[table["date"].isna(), "date_issue"] = "missing"
    table.loc[implausible, "date_issue"] = "before_war"
    table.loc[implausible, ["date", "date_precision"]] = (pd.NaT, pd.NA)
    unresolved = table["governorate"].isna() & table["governorate_original"].notna()
    table.attrs["import_log"] = [
        {
            "flag": name,
            "rows": int(mask.sum()),
            "sequences": [int(s) for s in table.loc[mask, "sequence"].head(50)],
            "action": action,
        }
        for name, mask, action in (
            ("duplicate_code", table["duplicate_code"], "kept both; sequence is the key"),
            ("coordinate_invalid", invalid, "coordinates set to NaN"),
            ("coordinate_outside_syria", outside, "kept as published"),
            ("min_above_max", table["min_above_max"], "kept as published"),
            ("governorate_unresolved", unresolved, "governorate left empty"),
            ("date_missing", table["date_issue"].eq("missing"), "kept; not in dated tallies"),
            (
                "date_before_war",
                implausible,
                "date set to NaT (a placeholder such as 1970-01-01); kept, not in dated tallies",
            ),
        )
    ]
    return table


def case_cites(record: dict[str, Any], unmapped: monitors.Unmapped | None = None) -> str:
    """`cites` of one case: the monitors of its source links, API links and additional
    links, leaving out links inside Airwars (navigation, its own images) and in-page
    anchors, which are not sources."""
    links: list[tuple[Any, Any]] = [
        (s.get(_SOURCE_URL), s.get(_SOURCE_NAME)) for s in record.get("sources") or []
    ]
    links += [
        (a.get("url"), None)
        for a in record.get("api_links") or []
        if a.get("category") != _INTERNAL
    ]
    links += [
        (a.get("url"), (a.get("data") or {}).get(_LINK_TEXT))
        for a in record.get("additional_links") or []
        if a.get("category") != _INTERNAL and monitors.host(str(a.get("url") or ""))
    ]
    return monitors.cites(monitors.of_link(url, name, unmapped) for url, name in links)


def read(files: list[Path]) -> pd.DataFrame:
    records = read_case_records(
        reassemble(files), keys=("incident", "victims", "technical", *_LINK_KEYS)
    )
    names = names_from_victims(r["victims"] for r in records)
    table = tidy(
        [r["incident"] for r in records],
        withheld_names=names,
        entries=[r[ENTRY] for r in records],
        earlier=[earlier_codes(r["technical"]) for r in records],
    )
    unmapped = [monitors.Unmapped() for _ in records]
    table["cites"] = pd.array(
        [case_cites(r, u) for r, u in zip(records, unmapped, strict=True)], dtype="string"
    )
    everything = monitors.Unmapped(sum((u.values for u in unmapped), Counter()))
    table.attrs["import_log"].append(
        everything.log_entry(sum(bool(u.values) for u in unmapped), "a link's host or name:")
    )
    return table


def _count(name: str) -> pa.Column:
    what, end = name.rsplit("_", 1)
    return pa.Column(
        "Int64",
        pa.Check.ge(0),
        nullable=True,
        description=f"{what.replace('_', ' ')}, {'lowest' if end == 'min' else 'highest'} "
        "reported figure",
    )


SCHEMA = pa.DataFrameSchema(
    {
        "sequence": pa.Column(
            "int64",
            pa.Check.ge(1),
            unique=True,
            description="archive's sequence number; the unique key",
        ),
        "incident_code": pa.Column(
            "string",
            pa.Check.str_matches(r"^[A-Z0-9]+[a-z]?\d*"),
            description="Airwars incident code; prefix RS = Russian "
            "Military, CS = US-led Coalition, TS = Turkish Military",
        ),
        "earlier_codes": pa.Column(
            "string",
            nullable=True,
            description="codes the incident had before (e.g. R3685, S494), joined by '|'; "
            "GED's sources cite incidents by them",
        ),
        "belligerents": pa.Column(
            "string",
            nullable=True,
            description="alleged belligerents as package codes joined by "
            "'|' (russia, us_led_coalition, turkey, syrian_government, ...)",
        ),
        "belligerent_count": pa.Column(
            "Int64",
            pa.Check.ge(1),
            nullable=True,
            description="how many belligerents the record names",
        ),
        "belligerents_original": pa.Column(
            "string", nullable=True, description="belligerents as the archive spells them"
        ),
        "date": pa.Column(
            "datetime64[ns]",
            pa.Check.between(WAR_START, pd.Timestamp("2030-12-31")),
            nullable=True,
            description="start date of the incident",
        ),
        "date_precision": pa.Column(
            "string",
            pa.Check.isin(["day", "year"]),
            nullable=True,
            description="precision of date: day, or year only",
        ),
        "date_end": pa.Column(
            "datetime64[ns]", nullable=True, description="end date when the incident spans a range"
        ),
        "grading": pa.Column(
            pd.CategoricalDtype(GRADINGS, ordered=True),
            nullable=True,
            description="Airwars' grading of the civilian-harm claim",
        ),
        "grading_original": pa.Column(
            "string", nullable=True, description="grading as the archive spells it"
        ),
        "strike_status": pa.Column(
            "string",
            pa.Check.isin(STRIKE_STATUSES),
            nullable=True,
            description="Airwars' assessment of who struck",
        ),
        **{name: _count(name) for name in COUNT_COLUMNS},
        "governorate": pa.Column(
            "string",
            pa.Check.isin(list(GOVERNORATES)),
            nullable=True,
            description="governorate code (one spelling, 14 values)",
        ),
        "governorate_original": pa.Column(
            "string", nullable=True, description="governorate as the archive spells it"
        ),
        "location": pa.Column("string", nullable=True, description="place name, in English"),
        "latitude": pa.Column(
            "float64", pa.Check.between(-90, 90), nullable=True, description="decimal degrees north"
        ),
        "longitude": pa.Column(
            "float64",
            pa.Check.between(-180, 180),
            nullable=True,
            description="decimal degrees east",
        ),
        "airwars_url": pa.Column(
            "string",
            pa.Check.str_startswith("https://airwars.org/"),
            description="the incident's page on airwars.org",
        ),
        "detail_captured": pa.Column("bool", description="the archive saved the full detail page"),
        "entry": pa.Column(
            "string",
            pa.Check.str_matches(r"^cases/\d+/data\.json$"),
            nullable=True,
            description="the record's entry in the reassembled archive zip, "
            "e.g. cases/0123/data.json: where its upstream bytes are",
        ),
        "coordinate_issue": pa.Column(
            "string",
            pa.Check.isin(["invalid", "outside_syria"]),
            nullable=True,
            description="flag: invalid or outside Syria",
        ),
        "duplicate_code": pa.Column("bool", description="flag: the code appears more than once"),
        "min_above_max": pa.Column("bool", description="flag: some minimum exceeds its maximum"),
        "date_issue": pa.Column(
            "string",
            pa.Check.isin(["missing", "before_war"]),
            nullable=True,
            description="flag: date missing, or a placeholder "
            "before March 2011 (then date is empty)",
        ),
        "cites": cites_column(
            "from the case's source links, API links and external additional links; "
            "'unknown' when the archive captured none"
        ),
    },
    strict=True,
    ordered=True,
)

SPEC = ImporterSpec(
    name="airwars",
    description="Airwars civilian-harm incidents in Syria, one row per incident",
    source="airwars",
    read=read,
    schema=SCHEMA,
)
