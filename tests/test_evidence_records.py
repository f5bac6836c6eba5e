"""The columns of a contributions table (`analysis.evidence.records`), worked out by
hand on the fixture tables: each source's record ids and upstream addresses, what a
record cites, the Airwars category's range, the CSV text a table is written as (line
breaks, numbers, the fast `Writer` against pandas) and safe file names for odd ids."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fixtures.claims.tables import small_tables
from hypothesis import given
from hypothesis import strategies as st

from analysis import sources
from analysis.csv_tables import FLOAT_FORMAT
from analysis.evidence import records
from analysis.evidence.pairs import Contributions

#: File name -> resource name, per source, as the manifest would give them.
FILES = {
    "ucdp_ged": {"ucdp_syria_df.rda": "ged-object"},
    "ucdp_brd": {"ucdpbrds.rda": "brd-object"},
    "vdc_weekly": {"key_none.csv": "vdc-key-none", "key_other.csv": "vdc-key-other"},
    "vdc_daily": {"counts.csv": "vdc-counts"},
}


@pytest.fixture
def manifest(monkeypatch: pytest.MonkeyPatch) -> None:
    """A manifest naming each source's files; asked for all sources, it fails."""

    def resources(source: str) -> tuple[sources.Resource, ...]:
        return tuple(
            sources.Resource(name, source, f"{sources.UPSTREAM_PREFIX}o/r/c/d/{file}", "0", 1)
            for file, name in FILES[source].items()
        )

    monkeypatch.setattr(sources, "resources", resources)


def test_a_table_without_cites_cites_unknown() -> None:
    table = small_tables()["airwars"].head(3).drop(columns="cites")
    assert records.cites(table).tolist() == ["unknown"] * 3
    assert records.cites(table.assign(cites=["a", "b|c", "d"])).tolist() == ["a", "b|c", "d"]


def test_each_source_s_ids_addresses_and_pages(manifest: None) -> None:
    tables = small_tables()
    expected = {
        "airwars": ("RS3", "airwars zip:cases/0003/data.json"),
        "ucdp_ged": ("3", "ged-object:row 30"),
        "ucdp_brd": ("2013", "brd-object:row 102"),
        "vdc_weekly": (
            "2016-W39|civilian|Warplane shelling|total=all",
            "vdc-key-none:line 4, column civilian Warplane shelling all",
        ),
        "vdc_daily": ("2016-07-20", "vdc-counts:line 1928"),
        "published": ("F03", "data/raw/published_figures.csv:figure F03"),
    }
    for source, (record_id, address) in expected.items():
        row = tables[source].iloc[[2]]
        assert records.record_ids(source, row).tolist() == [record_id], source
        assert records.upstream(source, row).tolist() == [address], source
    page = {"airwars": "https://airwars.org/civilian-casualties/RS3", "published": ""}
    for source in expected:
        row = tables[source].iloc[[2]]
        if source == "published":
            row = row.assign(url=pd.array([pd.NA], dtype="string"))
        assert records.urls(source, row).tolist() == [page.get(source, "")], source
    published = tables["published"].head(1)
    assert records.urls("published", published).tolist() == ["https://example.org/"]


def test_a_weekly_file_the_manifest_does_not_name_is_shown_by_its_name(manifest: None) -> None:
    row = small_tables()["vdc_weekly"].iloc[[0]].assign(source_file="key_else.csv")
    assert records.upstream("vdc_weekly", row).iloc[0].startswith("key_else.csv:line 2, column ")
    row = row.assign(week=5)
    assert records.record_ids("vdc_weekly", row).iloc[0].startswith("2016-W05|")


def _found() -> Contributions:
    """Five Airwars pairs of two queries, with numbers pandas writes in each way it can:
    whole, with a fraction, past ten digits, at the 1e15 edge, and infinite."""
    return Contributions(
        "airwars",
        query=np.array([0, 0, 0, 1, 1]),
        record=np.array([3, 0, 1, 0, 10]),
        low=np.array([0.0, 2.5, 12345678901.0, 1e15, 3.0]),
        high=np.array([9.0, 4.0, np.inf, 1e15, 3.0]),
        why=np.array([1, 0, 2, 0, 0]),
        reasons=("counts, both ends", "not counted:\nanother perpetrator", "high only"),
        ends=("low and high", "neither", "high"),
    )


def test_a_table_has_the_common_columns_then_the_record_s_and_the_category_s(
    manifest: None,
) -> None:
    table = small_tables()["airwars"]
    shown = records.frame(_found(), table, np.array([True, True, True, False, False]), "children")
    assert list(shown.columns) == [
        *records.COMMON,
        "cites",
        *records.FIELDS["airwars"],
        "children_killed_min",
        "children_killed_max",
    ]
    assert shown["record_id"].tolist() == ["RS4", "RS1", "RS2"]
    assert shown["why"].tolist() == [
        "not counted:\nanother perpetrator",
        "counts, both ends",
        "high only",
    ]
    assert shown["counts"].tolist() == ["neither", "low and high", "high"]
    assert shown["children_killed_max"].fillna(-1).tolist() == [5, 1, -1]
    assert shown["url"].iloc[0] == "https://airwars.org/civilian-casualties/RS4"


def test_the_fast_writer_writes_what_pandas_writes(manifest: None, tmp_path: Path) -> None:
    """Each table `Writer` writes is `csv_bytes` of the same pairs, largest first."""
    found = _found()
    table = small_tables()["airwars"]
    writer = records.Writer(found, table, "civilians")
    order = records.largest_first(found)
    # the counting records first, then by high, then by low, largest first
    assert order.tolist() == [2, 1, 0, 3, 4]
    for query, pairs in ((0, slice(0, 3)), (1, slice(3, 5))):
        target = tmp_path / f"{query}.csv"
        writer.write(target, pairs)
        expected = records.csv_bytes(records.frame(found, table, order[pairs], "civilians"))
        assert target.read_bytes() == expected
    text = (tmp_path / "0.csv").read_text().splitlines()
    assert text[1].startswith("RS2,1.23456789e+10,inf,high,high only,")
    assert text[2].startswith("RS1,2.5,4,low and high,")
    assert text[3].startswith("RS4,0,9,neither,not counted: another perpetrator,")
    assert (tmp_path / "1.csv").read_text().splitlines()[1].startswith("RS1,1e+15,1e+15,")


def test_numbers_are_written_as_pandas_writes_them() -> None:
    """`FLOAT_FORMAT` (ten significant digits) writes a whole number of more than ten
    digits with an exponent, so `_numbers` must too."""
    values = np.array(
        [0.0, 3.0, -2.0, 2.5, 1 / 3, 9999999999.0, 1e10, 12345678901.0, 1e15 - 1, 1e16, np.inf]
    )
    assert records._numbers(values).to_pylist() == [
        "0",
        "3",
        "-2",
        "2.5",
        "0.3333333333",
        "9999999999",
        "1e+10",
        "1.23456789e+10",
        "1e+15",
        "1e+16",
        "inf",
    ]
    assert records._numbers(np.array([1.0, 2.0])).to_pylist() == ["1", "2"]


@given(
    st.lists(
        st.one_of(
            st.floats(allow_nan=False),
            st.integers(-(10**16), 10**16).map(float),
            st.sampled_from([0.0, -0.0, 1e10 - 1, 1e10, -1e10, 1e15]),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_numbers_are_what_pandas_writes_for_any_count(drawn: list[float]) -> None:
    """The fast path against pandas itself, which writes the store's export."""
    values = np.array(drawn, dtype=float)
    by_pandas = (
        pd.DataFrame({"n": values})
        .to_csv(index=False, header=False, float_format=FLOAT_FORMAT)
        .splitlines()
    )
    assert records._numbers(values).to_pylist() == by_pandas


def test_line_breaks_in_text_become_one_space() -> None:
    frame = pd.DataFrame(
        {
            "why": pd.array(["two\nlines", "a\r\n\r\nb", None], dtype="str"),
            "day": pd.to_datetime(["2016-03-01 12:00", "2016-03-02 00:00", "2016-03-03 00:00"]),
            "n": [1.0, 0.5, 2.0],
        }
    )
    assert records.csv_bytes(frame) == (
        b"why,day,n\ntwo lines,2016-03-01,1\na b,2016-03-02,0.5\n,2016-03-03,2\n"
    )
    assert records.csv_bytes(frame.head(0)) == b"why,day,n\n"


def _hashed(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


@pytest.mark.parametrize(
    ("claim_id", "name"),
    [
        ("A3-x_1.b", "A3-x_1.b"),
        ("X1", "X1"),
        ("a..b", "a_b-" + _hashed("a..b")),
        ("a/b", "a_b-" + _hashed("a/b")),
        ("...", "claim-" + _hashed("...")),
        ("é", "claim-" + _hashed("é")),
        ("c" * 61, "c" * 60 + "-" + _hashed("c" * 61)),
        ("c" * 60, "c" * 60),
    ],
)
def test_an_id_becomes_a_safe_file_name(claim_id: str, name: str) -> None:
    assert records.safe_name(claim_id) == name


def test_a_source_with_no_pairs_writes_the_header_alone(tmp_path: Path) -> None:
    none = np.array([], dtype="int64")
    found = Contributions("airwars", none, none, none * 1.0, none * 1.0, none, (), ())
    target = tmp_path / "none.csv"
    records.Writer(found, small_tables()["airwars"]).write(target, slice(0, 0))
    header = ",".join([*records.COMMON, *records.fields("airwars")])
    assert target.read_bytes() == (header + "\n").encode()
