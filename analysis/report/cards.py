"""A wide table as cards, for print: one card per value of its first column.

Why. A table of more columns than an A4 page holds (the ledger has two dozen) loses
its right-hand columns when printed. Printed as cards, every value of every row is
on the page: each card is headed by the first column's value, the values that are
the same on every row of the card (a claim's statement, verdict and evidence range)
are shown once, and then each row's own values, as "header: value" lines. Nothing
is dropped and nothing is computed; empty cells are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.report.readable import Cell, Table

#: Tables with more columns than this print as cards.
PRINT_COLUMNS = 12


@dataclass
class Card:
    """Rows of a table that share their first column's value."""

    title: str
    shared: list[tuple[str, Cell]] = field(default_factory=list)
    rows: list[list[tuple[str, Cell]]] = field(default_factory=list)


def wide(table: Table) -> bool:
    """True when the table has more columns than a printed page holds."""
    return len(table.headers) > PRINT_COLUMNS


def cards(table: Table) -> list[Card]:
    """The table's rows grouped by their first column, in the order they come."""
    groups: dict[str, list[list[Cell]]] = {}
    for row in table.rows:
        groups.setdefault(row[0].text, []).append(row)
    found = []
    for key, rows in groups.items():
        columns = range(1, len(table.headers))
        same = [i for i in columns if len({r[i].text for r in rows}) == 1]
        own = [i for i in columns if i not in same]
        card = Card(f"{table.headers[0]} {key}")
        card.shared = [(table.headers[i], rows[0][i]) for i in same if rows[0][i].text]
        if own:
            card.rows = [[(table.headers[i], r[i]) for i in own if r[i].text] for r in rows]
        found.append(card)
    return found
