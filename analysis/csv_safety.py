"""Text cells a spreadsheet would run as formulas, made inert before a CSV is written.

A CSV opened in a spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` as
a formula, and some programs treat a leading tab or carriage return the same way;
a claims file from a stranger can carry such a cell (`=cmd|' /C calc'!A0`) into the
ledger. As OWASP advises against CSV injection, such a text cell is written with a
single quote in front, which spreadsheets show as text and do not run.

A cell must not spill into the next row either, or its tail would start a row
unchecked. The CSV writer quotes a cell holding a separator, a quote or a line
feed, but Python 3.11's writer leaves a lone carriage return unquoted when lines
end with `\n`, and readers take it for a line end; so a lone carriage return in a
cell becomes a line feed first.

Only text is touched (object, string and categorical columns): a negative number in
a numeric column is data, which spreadsheets read as a number and never run.

Known drawbacks. The quote is part of the cell for any program that reads the CSV
back, which must strip it to get the original text; a text cell that starts with a
hyphen for a plain reason (a dash for "none") gains a quote too. A lone carriage
return inside a cell is written as a line feed.
"""

from __future__ import annotations

import re

import pandas as pd

#: First characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_LONE_CR = re.compile(r"\r(?!\n)")


def inert(value: object) -> object:
    """A text cell that cannot start a formula nor a row; other values as they are."""
    if not isinstance(value, str):
        return value
    value = _LONE_CR.sub("\n", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def neutralise(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of `table` in which no text cell can start a formula. Only the cells that
    need it are rewritten, so a large table of harmless text costs one vector test."""
    out = table.copy()
    for column in out.columns:
        values = out[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            out[column] = values.cat.rename_categories([inert(c) for c in values.cat.categories])
        elif values.dtype == object or isinstance(values.dtype, pd.StringDtype):
            try:
                risky = values.str.startswith(FORMULA_STARTS) | values.str.contains(
                    "\r", regex=False
                )
            except AttributeError:  # no text at all in an object column
                continue
            risky = risky.fillna(False).astype(bool)
            if risky.any():
                out[column] = values.where(~risky, values[risky].map(inert))
    return out
