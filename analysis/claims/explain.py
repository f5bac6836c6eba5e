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
import difflib
import io
import math
import re
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from analysis import labels, paths, vocabulary
from analysis.claims import independence, ledger
from analysis.claims.command import CSV_CLAIMS
from analysis.claims.format import COLUMNS, parse_claims, read_claims
from analysis.errors import AnalysisError, ClaimsFileError
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


#: The option that gives each column of a claim given as options.
OPTIONS = {
    "period_start": "--start",
    "period_end": "--end",
    "perpetrator": "--perpetrator",
    "category": "--category",
    "area": "--area",
    "figure": "--figure",
    "qualifier": "--qualifier",
    "kind": "--kind",
    "source": "--claim-source",
    "statement": "--statement",
}
#: Options whose value is a code of a vocabulary: (option key, what it is, codes).
CODED_OPTIONS = (
    ("perpetrator", "a perpetrator", vocabulary.PERPETRATORS),
    ("category", "a category", vocabulary.CATEGORIES),
    ("area", "an area", vocabulary.AREAS),
    ("qualifier", "a qualifier", vocabulary.QUALIFIERS),
)


def nearest(value: str, codes: tuple[str, ...], kind: str) -> str | None:
    """The code closest to `value`, by its spelling or its words (`raqqa` finds
    `ar_raqqah`, Raqqa governorate), or None when none is close."""
    names = {code: code for code in codes}
    for code in codes:
        names.setdefault(labels.word(kind, code).lower(), code)
        names.setdefault(code.replace("_", " "), code)
        if kind == "area" and code in labels.WORDS["governorate"]:
            names.setdefault(labels.WORDS["governorate"][code].lower(), code)
    found = difflib.get_close_matches(value.lower().strip(), list(names), n=1, cutoff=0.6)
    return names[found[0]] if found else None


def option_problems(options: dict[str, Any]) -> list[str]:
    """What is wrong with a claim given as options, each named by its option:
    `--start: 2016-02-30 is not a date (YYYY-MM-DD)`."""
    problems = []
    for key in ("start", "end"):
        given = options.get(key)
        if given:
            try:
                date.fromisoformat(str(given))
            except ValueError:
                problems.append(f"--{key}: {given} is not a date (YYYY-MM-DD)")
    figure = options.get("figure")
    if figure is not None and not re.fullmatch(r"\d+(\.\d+)?", str(figure).replace(",", "")):
        problems.append(f"--figure: {figure} is not a number")
    for key, what, codes in CODED_OPTIONS:
        given = options.get(key)
        if given and given not in codes:
            close = nearest(str(given), codes, key)
            hint = f"; did you mean {close}?" if close else ""
            problems.append(f"--{key}: {given} is not {what}{hint} (one of {', '.join(codes)})")
    return problems


def claim_from_options(options: dict[str, Any]) -> pd.DataFrame:
    """A claim given as options, read as a one-claim file would be (same checks), its
    problems named by option."""
    problems = option_problems(options)
    if problems:
        raise AnalysisError("bad claim options:\n  " + "\n  ".join(problems))
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
    try:
        return parse_claims(text.getvalue(), "command-line options")
    except ClaimsFileError as exc:
        said = re.sub(
            r"line 2, column (\w+): ",
            lambda m: f"{OPTIONS.get(m[1], m[1])}: ",
            str(exc).replace("command-line options: bad claims file:", "bad claim options:"),
        )
        raise AnalysisError(said) from exc


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
            labels.word("governorate", str(fields[k])) if k == "governorate" else str(fields[k])
            for k in (when, "grading", "location", "governorate", "where_coordinates", "cause")
            if k in fields and isinstance(fields[k], str | int | float) and str(fields[k]) != "nan"
        )
        about = f"; {detail}" if detail else ""
        out.append(f"{fields['record_id']} (+{fmt(float(fields[end]))}{about})")
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
        f"Full tables: `.venv/bin/python -m analysis claims FILE --out DIR` writes each as "
        f"DIR/{folder}/<source>.csv (files of up to {CSV_CLAIMS} claims, or with --csv)"
        + (f"; for this claims file they are in {written}" if written.is_dir() else "")
        + ". One record as stored upstream: `.venv/bin/python -m analysis explain --record ID`.",
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
        f"Full tables: `.venv/bin/python -m analysis contributions {run} {claim_id} --source S`. "
        "One record as stored upstream: `.venv/bin/python -m analysis explain --record ID`.",
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
    claimed = labels.claim(float(first["figure"]), str(first["qualifier"]), str(first["category"]))
    read_as = labels.span(
        float(first["claim_low"]),
        float(first["claim_high"]),
        low_excluded=first["qualifier"] == "more_than",
    )
    say(
        f"  claim: {labels.word('category', str(first['category']))} killed by "
        f"{labels.word('perpetrator', str(first['perpetrator']))}, "
        f"{labels.word('area', str(first['area']))}, {labels.day(first['period_start'])} to "
        f"{labels.day(first['period_end'])}; {claimed}"
        + ("" if read_as in claimed else f", read as {read_as}")
    )
    say(f"  verdict: {labels.verdict(str(first['verdict']))}. {first['reason']}")
    say(
        f"  verdict from the records independent of the claim's monitor: "
        f"{labels.verdict(str(first['verdict_independent']))}. {first['reason_independent']}"
    )
    if "robustness" in rows.columns:
        say(
            f"  robustness: {labels.word('robustness', str(first['robustness']))}: "
            f"{first['robustness_detail']}"
        )
    table = Table(show_lines=True, title="Each source")
    for column in ("source", "number", "rule", "records", "largest contributors"):
        table.add_column(column)
    for row in rows.itertuples(index=False):
        name = str(row.source)
        if only and name != only and not name.startswith(f"{only}:"):
            continue
        number = _number(row.role, row.low, row.high)
        shown = labels.word("source", name)
        if row.role == "none":
            table.add_row(*map(Text, (shown, "says nothing", str(row.basis), "-", "-")))
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
        cells = (shown, number, rule, counting, "\n".join(top) or "-")
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
    both = fmt(low) if low == high else f"{fmt(low)} to {fmt(high)}"
    return both + (" (own monitor)" if role == "own" else "")


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
