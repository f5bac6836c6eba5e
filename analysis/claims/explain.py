"""`python -m analysis explain`: one claim, or one record, explained to a reviewer.

`explain CLAIM_ID [--claims FILE] [--source NAME]` checks that one claim (the same
engine as `claims`, so the same numbers) and prints: the claim and its range; the
verdict, its reason and its robustness; the verdict from the records that do not
cite the claim's own monitor, and its reason; for each source its role and numbers,
its rule in one sentence, each end split by what its records cite (independent of
the claimant, citing it, unknown), why a documented count bounds the claim from
above where it does, how many records it looked at and how many count toward each
end, the largest contributors to each end, and where the full contributions table
is written. The claim can also be given as options (`--perpetrator ... --figure
...`); it is validated by the same reader, with the same messages, as a file.

`explain CLAIM_ID --run DIR` prints the same from what a claims run wrote into DIR
(its ledger rows and the contributions store), without checking the claim again, so
it takes well under a second whatever the size of the run.

`explain --record ID [--source NAME]` prints one upstream record as stored, beside
the values the package took from it (`analysis.evidence.stored`).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from analysis import labels, paths
from analysis.claims import independence, ledger
from analysis.claims.command import CSV_CLAIMS
from analysis.claims.format import COLUMNS, parse_claims, read_claims
from analysis.errors import AnalysisError
from analysis.evidence import records
from analysis.intervals import fmt

#: Contributors listed per end.
LARGEST = 5
#: The date or period field shown for a record, per source.
WHEN = {
    "airwars": "date",
    "ucdp_ged": "date_start",
    "ucdp_brd": "year",
    "vdc_weekly": "week_start",
    "vdc_daily": "date",
    "published": "period_end",
}
OPTION_CLAIM_ID = "cli"


def claim_from_options(options: dict[str, Any]) -> pd.DataFrame:
    """A claim given as options, read as a one-claim file would be (same checks,
    same messages)."""
    row = {
        "claim_id": OPTION_CLAIM_ID,
        "statement": options.get("statement") or "claim given on the command line",
        "source": options.get("claim_source") or "unattributed",
        "published": options.get("published") or options.get("end") or "",
        "period_start": options.get("start") or "",
        "period_end": options.get("end") or "",
        "perpetrator": options.get("perpetrator") or "",
        "category": options.get("category") or "",
        "area": options.get("area") or "syria",
        "figure": "" if options.get("figure") is None else str(options["figure"]),
        "kind": options.get("kind") or "count",
        "qualifier": options.get("qualifier") or "exact",
        "url": "",
    }
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    return parse_claims(text.getvalue(), "command-line options")


def pick(claims: pd.DataFrame, claim_id: str, origin: Path) -> pd.DataFrame:
    chosen = claims[claims["claim_id"] == claim_id]
    if chosen.empty:
        known = ", ".join(claims["claim_id"].head(20))
        raise AnalysisError(f"{origin}: no claim {claim_id!r}; its claims include {known}")
    return chosen


def _largest(frame: pd.DataFrame, end: str, when: str) -> list[str]:
    top = frame[frame[end] > 0].sort_values(end, ascending=False, kind="stable").head(LARGEST)
    out = []
    for row in top.itertuples(index=False):
        fields = row._asdict()
        detail = ", ".join(
            str(fields[k])
            for k in (when, "grading", "location", "governorate", "where_coordinates", "cause")
            if k in fields and isinstance(fields[k], str | int | float) and str(fields[k]) != "nan"
        )
        out.append(f"{fields['record_id']} (+{fmt(float(fields[end]))}; {detail})")
    return out


def explain_claim(
    claims: pd.DataFrame, only: str | None, out_root: Path, console: Console
) -> ledger.Ledger:
    """Check one claim and print its explanation; returns the ledger of that claim."""
    tables = ledger.load_tables()
    done = ledger.check(claims, tables, robustness=True)
    show(done.rows, lambda name: _frame(done, name, tables), only, console)
    folder = f"{ledger.CONTRIBUTIONS}/{records.safe_name(str(done.rows['claim_id'].iloc[0]))}"
    written = out_root / folder
    console.print(
        f"Full tables: `python -m analysis claims FILE --out DIR` writes each as "
        f"DIR/{folder}/<source>.csv (files of up to {CSV_CLAIMS} claims, or with --csv)"
        + (f"; for this claims file they are in {written}" if written.is_dir() else "")
        + ". One record as stored upstream: `python -m analysis explain --record ID`.",
        markup=False,
        highlight=False,
    )
    return done


def explain_from_run(run: Path, claim_id: str, only: str | None, console: Console) -> None:
    """Explain one claim of a claims run from what the run wrote (its ledger rows and
    records, from the store), without checking it again: quick for a run of any size."""
    from analysis.claims import store

    rows = store.ledger_rows(run, claim_id)
    frames = {t.source: t.frame for t in store.read(run, claim_id)}
    show(rows, frames.__getitem__, only, console)
    console.print(
        f"Full tables: `python -m analysis contributions {run} {claim_id} --source S`. "
        "One record as stored upstream: `python -m analysis explain --record ID`.",
        markup=False,
        highlight=False,
    )


def show(
    rows: pd.DataFrame,
    frame_of: Callable[[str], pd.DataFrame],
    only: str | None,
    console: Console,
) -> None:
    """Print one claim's ledger rows, each source with its largest contributors (from
    `frame_of(source)`, the row's contributions table)."""
    first = rows.iloc[0]
    say = partial(console.print, markup=False, highlight=False)
    say(f"{first['claim_id']}: {first['statement']}")
    say(
        f"  claim: {first['category']} killed by {first['perpetrator']}, {first['area']}, "
        f"{first['period_start']} to {first['period_end']}; {first['qualifier']} "
        f"{fmt(first['figure'])} = {first['claim_range']}"
    )
    say(f"  verdict: {first['verdict']}. {first['reason']}")
    say(f"  verdict_independent: {first['verdict_independent']}. {first['reason_independent']}")
    if "robustness" in rows.columns:
        say(f"  robustness: {first['robustness']}: {first['robustness_detail']}")
    table = Table(show_lines=True, title="Each source")
    for column in ("source", "number", "rule", "records", "largest contributors"):
        table.add_column(column)
    for row in rows.itertuples(index=False):
        name = str(row.source)
        if only and name != only and not name.startswith(f"{only}:"):
            continue
        number = _number(row.role, row.low, row.high)
        if row.role == "none":
            table.add_row(*map(Text, (name, "says nothing", str(row.basis), "-", "-")))
            continue
        frame = frame_of(name)
        counting = f"{row.records_counting:,} of {row.records:,} count" + (
            f"\n{int((frame['counts'].isin(['low', 'low and high'])).sum()):,} toward the low end"
            f", {int((frame['counts'].isin(['high', 'low and high'])).sum()):,} toward the high"
        )
        top = [f"low end: {x}" for x in _largest(frame, "low", WHEN[name.split(":")[0]])]
        top += [f"high end: {x}" for x in _largest(frame, "high", WHEN[name.split(":")[0]])]
        rule = str(row.basis) + (f"\nown monitor: {row.own_check}" if row.own_check else "")
        rule += "".join(f"\n{line}" for line in _split(row._asdict()))
        if row.role == "upper":
            rule += "\nwhy an upper bound: " + labels.upper_bound_note(
                labels.word("source", name), labels.word("perpetrator", str(row.perpetrator))
            )
        cells = (name, number, rule, counting, "\n".join(top) or "-")
        table.add_row(*map(Text, cells))
    console.print(table)


def _split(row: dict[str, Any]) -> list[str]:
    """Each end of a ledger row split by what its records cite, one line per end."""
    lines = []
    for end, label in (("low", "low end"), ("high", "high end")):
        if end == "low" and row["role"] == "upper":
            continue  # an upper bound's low end is 0 by its role
        parts = [row[f"{end}_{p}"] for p in independence.PARTS]
        if any(math.isnan(v) for v in parts):
            continue
        total = fmt(row[end])
        if row["claimant"] == independence.UNKNOWN:
            lines.append(
                f"{label} {total}: {fmt(parts[0])} with known sources (the claim names no "
                f"monitor), {fmt(parts[2])} unknown"
            )
            continue
        who = labels.word("monitor", str(row["claimant"]))
        lines.append(
            f"{label} {total}: {fmt(parts[0])} independent of {who}, {fmt(parts[1])} citing "
            f"{who}, {fmt(parts[2])} unknown"
        )
    return lines


def _number(role: str, low: float, high: float) -> str:
    if role == "none":
        return "-"
    if role == "upper":
        return f"at most {fmt(high)} (upper bound)"
    if math.isinf(high):
        return f"at least {fmt(low)} (lower bound)" + (" (own)" if role == "own" else "")
    return f"{fmt(low)} to {fmt(high)}" + (" (own monitor)" if role == "own" else "")


def _frame(done: ledger.Ledger, name: str, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The contributions table of one ledger row of a one-claim ledger."""
    if name.startswith("published:"):
        found = ledger.context_contributions(done.evidence.context)
        mine = (done.evidence.context["source"] == name).to_numpy()
        return records.frame(found, tables["published"], mine)
    found = done.evidence.answers[name].contributions
    category = str(done.claims["category"].iloc[0])
    return records.frame(found, tables[name], np.ones(len(found), bool), category)


def explain_record(record_id: str, source: str | None, console: Console) -> None:
    from analysis.evidence import stored

    say = partial(console.print, markup=False, highlight=False)
    for one in stored.read(record_id, source):
        say(f"{one.source} record {one.record_id}")
        for label, value in one.where:
            say(f"  {label}: {value}")
        table = Table(title="Fields read, as stored, and the values taken", show_lines=False)
        for column in ("upstream field", "stored value", "table column", "value in the table"):
            table.add_column(column)
        for row in one.fields:
            table.add_row(*map(Text, row))
        console.print(table)
        if one.note:
            say(f"  {one.note}")


def main(
    claim_id: str | None,
    *,
    claims_file: Path | None = None,
    source: str | None = None,
    record: str | None = None,
    options: dict[str, Any] | None = None,
    run: Path | None = None,
) -> int:
    console = Console()
    if not console.is_terminal:
        console.width = max(console.width, 160)
    if record is not None:
        explain_record(record, source, console)
        return 0
    given = {k: v for k, v in (options or {}).items() if v is not None}
    if claim_id is None and not given:
        raise AnalysisError("explain: give a CLAIM_ID, the claim's fields as options, or --record")
    if claim_id is not None and given:
        raise AnalysisError("explain: give either a CLAIM_ID or the claim's fields, not both")
    if run is not None:
        if claim_id is None or claims_file is not None:
            raise AnalysisError("explain --run DIR: give a CLAIM_ID of that run, and no --claims")
        explain_from_run(run, claim_id, source, console)
        return 0
    if claim_id is None:
        claims = claim_from_options(given)
    else:
        origin = claims_file or paths.ARTICLE_CLAIMS
        claims = pick(read_claims(origin), claim_id, origin)
    explain_claim(claims, source, paths.REPORTS / "claims", console)
    return 0
