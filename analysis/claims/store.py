"""The contributions store of a claims run: every record behind every ledger number,
as one Parquet dataset beside the ledger.

Layout, inside the run's folder::

    contributions.parquet/
        _index-NNNNN.parquet       where each ledger row of chunk NNNNN has its table
        _ledger-NNNNN.parquet      the ledger rows of chunk NNNNN
        <source>/part-NNNNN[-<category>].parquet

Each part holds the contributions tables of one chunk of claims (`ledger.CHUNK`),
one source and, for Airwars, one category, so its columns are exactly those of the
per-claim CSV (`analysis.evidence.records`), after `claim_id` and `source`: the
store carries whatever columns the contributions frames have. Rows are in claim
order, so a claim's records of one source are consecutive, and are written in row
groups of `ROW_GROUP` rows. The index says where each ledger row's table lies (its
part, first row and number of rows), so one claim is read from the row groups that
hold it without scanning the rest. Row groups and an index rather than a partition
per claim: Hive partitions by claim would bring back the thousands of small files
this store replaces. Every column is dictionary-encoded, each value once (claim
ids, sources, record ids, and each record's fields), so a record that counts toward
many claims is stored once per part. Each chunk writes its own files, so Dask
workers write their parts of the store and nothing is merged afterwards.

Every file carries `FORMAT` in its metadata; a store of another format, or a run
folder written before the store existed, is refused with the command that rebuilds
it, never read wrongly.

The same pass answers one question across claims for the ledger: for each ledger
row, the record that adds the most to its low end and the share of the low end it
holds (`largest_record`, `largest_record_share`), which flags numbers that rest on
one incident. DuckDB over the parts answers others (`query`).

Known drawbacks. The ledger rows are stored twice (in `ledger.csv` for people, in
`_ledger` parts for `explain --run`), a few MB for 10,000 claims. A reader opens
every index part to find a claim (50 small files for 100,000 claims).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analysis.claims.ledger import Ledger
from analysis.errors import AnalysisError
from analysis.evidence.pairs import Contributions
from analysis.evidence.records import largest_first, records

#: The store's folder, inside the run's folder.
STORE = "contributions.parquet"
#: The store's format; a reader refuses any other.
FORMAT = "1"
FORMAT_KEY = b"analysis.contributions.format"
#: Rows per row group: a claim is read from the groups it spans.
ROW_GROUP = 65_536
#: Columns the store adds before a contributions table's own.
KEYS = ("claim_id", "source")
#: The columns the ledger gains from the store.
LARGEST = ("largest_record", "largest_record_share")


@dataclass(frozen=True)
class Table:
    """One ledger row's contributions table in the store."""

    claim_id: str
    source: str
    frame: pd.DataFrame


def _dictionary(indices: np.ndarray, values: pa.Array) -> pa.DictionaryArray:
    """`values` taken at `indices`, dictionary-encoded with each value once: Parquet
    writes such a column as its dictionary and small indices, without hashing every
    row. (A missing value is a missing index, since Parquet takes no null inside a
    dictionary.)"""
    if pa.types.is_integer(values.type) and values.type.bit_width < 32:
        values = values.cast(pa.int32())  # Parquet's dictionaries hold no narrower ints
    if not pa.types.is_dictionary(values.type):
        values = pc.dictionary_encode(values)
    return values.take(pa.array(indices))


def _arrow(
    found: Contributions,
    table: pd.DataFrame,
    category: str | None,
    claim_ids: pa.Array,
    sources: np.ndarray,
) -> pa.Table:
    """The store rows of some pairs: keys, then the columns of `records.frame`."""
    # the records used, in table order, and each pair's place among them (no sort)
    used = np.flatnonzero(np.bincount(found.record, minlength=len(table)))
    place = np.zeros(len(table), dtype="int64")
    place[used] = np.arange(len(used))
    at = place[found.record]
    shown = pa.Table.from_pandas(
        records(found.source, table, used, category), preserve_index=False
    ).replace_schema_metadata(None)
    names, index = np.unique(sources, return_inverse=True)
    columns: dict[str, pa.Array] = {
        "claim_id": _dictionary(found.query, claim_ids),
        "source": _dictionary(index, pa.array(names, pa.string())),
        "record_id": _dictionary(at, shown.column("record_id").combine_chunks()),
        "low": pa.array(found.low, pa.float64()),
        "high": pa.array(found.high, pa.float64()),
        "counts": _dictionary(found.why, pa.array(found.ends, pa.string())),
        "why": _dictionary(found.why, pa.array(found.reasons, pa.string())),
    }
    for name in shown.column_names[1:]:
        columns[name] = _dictionary(at, shown.column(name).combine_chunks())
    return pa.table(columns).replace_schema_metadata({FORMAT_KEY: FORMAT.encode()})


def _largest(keys: np.ndarray, low: np.ndarray, ids: pa.ChunkedArray) -> pd.DataFrame:
    """Per table (the pairs sharing a key): the record adding most to the low end (the
    first as the table lists it among equals) and its share of the low end; no record
    and NaN where the low end is 0."""
    n = len(keys)
    order = np.lexsort((np.arange(n), -low, keys))
    first = order[np.r_[True, keys[order][1:] != keys[order][:-1]]] if n else order
    total = np.bincount(keys, weights=low)[keys[first]] if n else np.zeros(0)
    share = np.divide(low[first], total, out=np.full(len(first), np.nan), where=total > 0)
    named = np.asarray(ids.take(pa.array(first, pa.int64())).to_pylist(), dtype=object)
    largest = np.where(total > 0, named, "")
    return pd.DataFrame({LARGEST[0]: largest, LARGEST[1]: share}, index=keys[first])


def _write(table: pa.Table, target: Path) -> None:
    """Write a part: zstd, Parquet dictionaries for the dictionary columns and the two
    contributions (few distinct values), none for the other numbers, no statistics
    (the index finds the rows), which halves the time of pyarrow's defaults."""
    target.parent.mkdir(parents=True, exist_ok=True)
    table = table.replace_schema_metadata({FORMAT_KEY: FORMAT.encode()})
    encoded = [
        name
        for name, kind in zip(table.column_names, table.schema.types, strict=True)
        if pa.types.is_dictionary(kind) or name in ("low", "high")
    ]
    pq.write_table(
        table,
        target,
        row_group_size=ROW_GROUP,
        compression="zstd",
        use_dictionary=encoded,
        write_statistics=False,
    )


def write(done: Ledger, tables: dict[str, pd.DataFrame], folder: Path, part: int) -> pd.DataFrame:
    """Write chunk `part` of a run into the store under `folder` (the run's folder);
    returns the chunk's ledger rows with `LARGEST` after `records_counting`."""
    root = Path(folder) / STORE
    root.mkdir(parents=True, exist_ok=True)  # a run's store, even of claims with no records
    rows = done.rows
    claim_ids = done.claims["claim_id"].to_numpy(dtype=object)
    position = {c: i for i, c in enumerate(claim_ids)}
    queries = np.array([position[c] for c in rows["claim_id"]], dtype="int64")
    sources = rows["source"].to_numpy(dtype=str)
    wanted = (rows["contributions"] != "").to_numpy()
    published = np.char.startswith(sources, "published:")
    categories = done.claims["category"].to_numpy(dtype=object)
    ids = pa.array(claim_ids.astype(str), pa.string())
    index: list[pd.DataFrame] = []
    for name, found in done.tables():
        mine = wanted & (published if name == "published" else sources == name)
        groups = sorted(set(categories[queries[mine]])) if name == "airwars" else [None]
        for category in groups if mine.any() else []:
            chosen = mine & (categories[queries] == category) if category else mine
            pairs = found.take(np.isin(found.query, queries[chosen]))
            if name != "published":
                pairs = pairs.take(largest_first(pairs))  # each table as its CSV lists it
            if name == "published":
                # one record per context row: each pair is a table of its own
                labels = done.evidence.context["source"].to_numpy(dtype=str)[
                    np.isin(found.query, queries[chosen])
                ]
                keys = np.arange(len(pairs))
                entries = pd.DataFrame(
                    {"claim_id": claim_ids[pairs.query], "source": labels, "first": keys}
                ).assign(rows=1)
            else:
                labels = np.full(len(pairs), name)
                keys = pairs.query
                bounds = np.searchsorted(keys, np.arange(len(claim_ids) + 1))
                mine_queries = queries[chosen]
                entries = pd.DataFrame(
                    {
                        "claim_id": claim_ids[mine_queries],
                        "source": name,
                        "first": bounds[mine_queries],
                        "rows": bounds[mine_queries + 1] - bounds[mine_queries],
                    }
                )
            file = f"{name}/part-{part:05d}" + (f"-{category}" if category else "") + ".parquet"
            arrow = _arrow(pairs, tables[name], category, ids, labels)
            _write(arrow, root / file)
            top = _largest(keys, pairs.low, arrow.column("record_id"))
            table_keys = entries["first"] if name == "published" else queries[chosen]
            found_top = top.reindex(table_keys)
            entries[LARGEST[0]] = found_top[LARGEST[0]].fillna("").to_numpy(dtype=object)
            entries[LARGEST[1]] = found_top[LARGEST[1]].to_numpy(float)
            index.append(entries.assign(file=file))
    return _finish(rows, index, root, part)


def _finish(rows: pd.DataFrame, index: list[pd.DataFrame], root: Path, part: int) -> pd.DataFrame:
    """Write the chunk's index; return its rows with `LARGEST`."""
    columns = ["claim_id", "source", "file", "first", "rows", *LARGEST]
    entries = (
        pd.concat(index, ignore_index=True)[columns] if index else pd.DataFrame(columns=columns)
    )
    entries = entries.astype({"first": "int64", "rows": "int64"})
    if len(entries):
        plain = entries[["claim_id", "source", "file", "first", "rows"]]
        _write(
            pa.Table.from_pandas(plain, preserve_index=False), root / f"_index-{part:05d}.parquet"
        )
    at = pd.MultiIndex.from_frame(rows[["claim_id", "source"]])
    found = entries.set_index(["claim_id", "source"]).reindex(at)
    out = rows.copy()
    after = out.columns.get_loc("records_counting") + 1
    out.insert(after, LARGEST[0], found[LARGEST[0]].fillna("").to_numpy(dtype=object))
    out.insert(after + 1, LARGEST[1], found[LARGEST[1]].to_numpy(float))
    _write(pa.Table.from_pandas(out, preserve_index=False), root / f"_ledger-{part:05d}.parquet")
    return out


def _refuse(run: Path, found: str) -> AnalysisError:
    return AnalysisError(
        f"{run}: {found}; this version reads contributions store format {FORMAT} only. "
        f"Rebuild it: python -m analysis claims CLAIMS_FILE --out {run}"
    )


def _format(path: Path, run: Path) -> None:
    metadata = pq.read_schema(path).metadata or {}
    found = metadata.get(FORMAT_KEY)
    if found != FORMAT.encode():
        what = f"format {found.decode()}" if found else "no format version"
        raise _refuse(run, f"{path.relative_to(run)} has {what}")


def index(run: Path) -> pd.DataFrame:
    """The store's index of run folder `run` (`claim_id, source, file, first, rows`),
    after checking its format."""
    root = run / STORE
    if not root.is_dir():
        if (run / "ledger.csv").is_file():
            raise _refuse(run, f"holds a ledger but no {STORE} (written before the store)")
        raise AnalysisError(f"{run}: not a claims run folder (no ledger.csv, no {STORE})")
    parts = sorted(root.glob("_index-*.parquet"))
    for path in parts:
        _format(path, run)
    if not parts:
        return pd.DataFrame(columns=["claim_id", "source", "file", "first", "rows"])
    return pd.concat([pq.read_table(p).to_pandas() for p in parts], ignore_index=True)


def ledger_rows(run: Path, claim_id: str) -> pd.DataFrame:
    """The ledger rows of one claim of run folder `run`, as the run wrote them."""
    run = Path(run)
    index(run)  # the store's format, or a clear refusal
    for path in sorted((run / STORE).glob("_ledger-*.parquet")):
        _format(path, run)
        ids = pq.read_table(path, columns=["claim_id"]).column("claim_id")
        if pc.any(pc.equal(ids, claim_id)).as_py():
            table = pq.read_table(path)
            return table.filter(pc.equal(table.column("claim_id"), claim_id)).to_pandas()
    raise AnalysisError(f"{run}: no claim {claim_id!r} in its ledger")


def _rows(path: Path, first: int, count: int) -> pa.Table:
    """Rows `first` to `first + count` of a part, read from the row groups holding them."""
    handle = pq.ParquetFile(path)
    sizes = [handle.metadata.row_group(i).num_rows for i in range(handle.num_row_groups)]
    starts = np.cumsum([0, *sizes])
    groups = [i for i in range(len(sizes)) if starts[i] < first + count and starts[i + 1] > first]
    if not groups:
        return handle.schema_arrow.empty_table()
    read = handle.read_row_groups(groups)
    return read.slice(first - int(starts[groups[0]]), count)


def _plain(table: pa.Table) -> pd.DataFrame:
    """A store slice as a contributions table: the keys dropped, text as text."""
    columns = {}
    for name in table.column_names[len(KEYS) :]:
        values = table.column(name)
        if pa.types.is_dictionary(values.type):
            values = values.cast(values.type.value_type)
        columns[name] = values
    return pa.table(columns).to_pandas()


def read(run: Path, claim_id: str, source: str | None = None) -> list[Table]:
    """The contributions tables of claim `claim_id` in run folder `run`, in ledger
    order; only `source`'s (a source name, or `published` for every published
    figure) when given."""
    run = Path(run)
    found = index(run)
    mine = found[found["claim_id"] == claim_id]
    if mine.empty:
        known = ", ".join(found["claim_id"].drop_duplicates().head(10))
        raise AnalysisError(
            f"{run}: no claim {claim_id!r} in the store; its claims include {known}"
        )
    if source is not None:
        mine = mine[(mine["source"] == source) | mine["source"].str.startswith(f"{source}:")]
        if mine.empty:
            raise AnalysisError(f"{run}: claim {claim_id!r} has no table of source {source!r}")
    out = []
    for entry in mine.itertuples(index=False):
        path = run / STORE / entry.file
        _format(path, run)
        part = _rows(path, int(entry.first), int(entry.rows))
        out.append(Table(str(entry.claim_id), str(entry.source), _plain(part)))
    return out


def parts(run: Path) -> list[str]:
    """The store's part files (for DuckDB or `pyarrow.dataset`), each of its format."""
    run = Path(run)
    index(run)
    found = sorted((run / STORE).glob("*/part-*.parquet"))
    for path in found:
        _format(path, run)
    return [str(p) for p in found]


def query(run: Path, sql: str) -> pd.DataFrame:
    """Answer `sql` with DuckDB over the whole store of `run`, as the view `contributions`
    (the columns of every part, by name)."""
    import duckdb

    with duckdb.connect() as con:
        con.read_parquet(parts(Path(run)), union_by_name=True).create_view("contributions")
        return con.execute(sql).df()
