"""Validating tidy tables with pandera, and describing them for the docs.

Each importer declares one `pandera.DataFrameSchema` whose columns carry a
one-line `description`: the schema is the single place a column is described,
and `docs/tables.md` is rendered from it (`python -m analysis docs`).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from analysis.errors import SchemaError


def validate(table: pd.DataFrame, schema: pa.DataFrameSchema, name: str) -> pd.DataFrame:
    """Validate lazily and raise one error listing every failure, by column and row."""
    try:
        return schema.validate(table, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        lines = []
        for (column, check), group in cases.groupby(["column", "check"], dropna=False, sort=False):
            rows = [str(i) for i in group["index"].head(5).tolist()]
            found = [str(v) for v in group["failure_case"].head(5).tolist()]
            lines.append(
                f"  column {column!s}: check {check!s} failed in {len(group)} row(s)"
                f" (rows {', '.join(rows)}; found {', '.join(found)})"
            )
        raise SchemaError(f"table {name!r} breaks its schema:\n" + "\n".join(lines)) from exc


def describe(schema: pa.DataFrameSchema) -> list[tuple[str, str, bool, str]]:
    """(column, dtype, nullable, description) for each column, in schema order."""
    return [
        (name, str(column.dtype), bool(column.nullable), column.description or "")
        for name, column in schema.columns.items()
    ]
