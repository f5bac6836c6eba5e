"""`python -m analysis <command>`: a thin layer over the package's modules.

Each command parses its arguments and calls one function; errors the package
raises on purpose (`AnalysisError`) are printed as one clear message and exit 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from analysis.errors import AnalysisError


def _fetch(args: argparse.Namespace) -> int:
    from analysis import sources

    report = sources.fetch(args.source or None, progress=not args.quiet, jobs=args.jobs)
    if report.fetched:
        print(
            f"fetched and verified {len(report.fetched)} file(s); "
            f"{len(report.present)} already present"
        )
    else:
        print(f"nothing to fetch: all {len(report.present)} file(s) present and verified")
    return 0


#: What an import-log entry counts, when its flag alone would not say it: rows left
#: out are not rows of the table.
FLAG_WORDS = {
    "other_countries": "rows of other countries left out",
    "sex_age_by_province_left_out": "sex-and-age-by-province cells left out",
    "files_disagree": "cells on which two files disagree (the first file's value kept)",
}


def flagged(entry: dict[str, object]) -> str:
    """One import-log entry in words: `12,825 rows of other countries left out`."""
    flag = str(entry["flag"])
    what = FLAG_WORDS.get(flag, f"rows flagged {flag.replace('_', ' ')}")
    rows = int(str(entry["rows"]))
    if rows == 1:
        what = what.replace("rows", "row", 1).replace("cells", "cell", 1)
    return f"{rows:,} {what}"


def _import(args: argparse.Namespace) -> int:
    from analysis import tables

    for name in args.table or tables.TIDY_TABLES:
        table = tables.load(name, refresh=args.refresh)
        flags = [flagged(e) for e in table.attrs.get("import_log", []) if e["rows"]]
        print(
            f"{name}: {len(table):,} rows x {table.shape[1]} columns"
            + (f"; {'; '.join(flags)}" if flags else "")
        )
    return 0


def _docs(args: argparse.Namespace) -> int:
    from analysis import docs

    target = docs.write_tables_doc(args.out)
    print(f"wrote {target}")
    return 0


def _claims(args: argparse.Namespace) -> int:
    from analysis.claims import command

    return command.main(
        args.file, args.out, robustness=args.robustness, scheduler=args.scheduler, csv=args.csv
    )


def _contributions(args: argparse.Namespace) -> int:
    from analysis.claims import export

    return export.main(args.run_dir, args.claim_id, source=args.source, out=args.out)


def _explain(args: argparse.Namespace) -> int:
    from analysis.claims import explain

    options = {name: getattr(args, name) for name in CLAIM_OPTIONS}
    return explain.main(
        args.claim_id,
        claims_file=args.claims,
        source=args.source,
        record=args.record,
        options=options,
        run=args.run_dir,
    )


#: The fields of a claim `explain` takes as options, beside `--area` (syria by default).
CLAIM_OPTIONS = (
    "perpetrator",
    "category",
    "start",
    "end",
    "figure",
    "qualifier",
    "area",
    "claim_source",
    "statement",
)


def _link(args: argparse.Namespace) -> int:
    from analysis import linking, paths

    out = args.out or paths.REPORTS / "link"
    if args.review is not None:
        page = linking.write_review(out, args.review)
        print(f"link: wrote {page.name} ({args.review} pairs to judge) to {out}")
        return 0
    written = linking.write(out)
    print(f"link: wrote {', '.join(p.name for p in written.values())} to {out}")
    return 0


def _build(args: argparse.Namespace) -> int:
    from analysis.pipeline import engine

    return engine.main(
        force=args.force,
        jobs=args.jobs,
        scheduler=args.scheduler,
        only=args.only,
        config=args.config,
        out=args.out,
    )


def _sweep(args: argparse.Namespace) -> int:
    from analysis import sweep

    return sweep.main(args.config, args.out)


def _verify(args: argparse.Namespace) -> int:
    from analysis.pipeline import verify

    return verify.main(args.manifest, args.only)


def _publish(args: argparse.Namespace) -> int:
    from analysis.pipeline import publish

    return publish.main(args.out)


def _lab(args: argparse.Namespace) -> int:
    from analysis import lab

    return lab.main(args.port)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Re-examine casualty claims about Russian air strikes in Syria "
        "against independent public data. Data flow: fetch -> import -> link -> claims "
        "-> build -> verify -> publish.",
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(
        name: str, helptext: str, run: Callable[[argparse.Namespace], int]
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=helptext, description=helptext)
        sub.set_defaults(run=run)
        return sub

    fetch = add(
        "fetch",
        "Download every upstream file of the manifest into data/raw/, "
        "verified by sha256; reads ANALYSIS_DATA_MIRROR (a folder or http(s) URL "
        "laid out OWNER/REPO/COMMIT/PATH) instead of upstream when set.",
        _fetch,
    )
    fetch.add_argument("source", nargs="*", help="sources to fetch (default: all)")
    fetch.add_argument("--quiet", action="store_true", help="no progress bar")
    fetch.add_argument(
        "--jobs",
        type=int,
        choices=range(1, 9),
        default=None,
        metavar="{1..8}",
        help="files downloaded at once, one connection each (default: 4)",
    )

    imp = add(
        "import",
        "Import raw files into validated tidy tables, cached as parquet; "
        "prints row counts and what each importer flagged.",
        _import,
    )
    imp.add_argument("table", nargs="*", help="tables to import (default: all)")
    imp.add_argument("--refresh", action="store_true", help="ignore the cache and re-import")

    claims = add(
        "claims",
        "Check a claims file against every independent source and write the ledger "
        "(ledger.csv, ledger.json) with a verdict per claim, and the records behind "
        "every number (contributions.parquet; and contributions/<claim>/<source>.csv "
        "for files of at most 100 claims, or with --csv).",
        _claims,
    )
    claims.add_argument(
        "file",
        nargs="?",
        type=Path,
        default=None,
        help="claims CSV (default: data/raw/article_claims.csv)",
    )
    claims.add_argument(
        "--out", type=Path, default=None, help="output folder (default: reports/claims/)"
    )
    claims.add_argument(
        "--robustness",
        action="store_true",
        help="also decide every claim under every counting rule (robustness.csv) and say "
        "whether its verdict is robust or rule-dependent",
    )
    claims.add_argument(
        "--scheduler",
        default=None,
        help="address of a Dask scheduler to check the claims on, e.g. tcp://host:8786",
    )
    claims.add_argument(
        "--csv",
        action="store_true",
        help="also write every contributions table as CSV, however many claims",
    )

    contributions = add(
        "contributions",
        "Export one claim's contributions (the records behind its numbers) from a claims "
        "run's store as CSV.",
        _contributions,
    )
    contributions.add_argument("run_dir", type=Path, help="the folder a claims run wrote")
    contributions.add_argument("claim_id", help="a claim id of the run")
    contributions.add_argument(
        "--source", default=None, help="only this source's table (airwars, ucdp_ged, ...)"
    )
    contributions.add_argument(
        "--out", type=Path, default=None, help="CSV file to write (default: standard output)"
    )

    explain = add(
        "explain",
        "Explain one claim (each source's number, rule, records and largest contributors) "
        "or, with --record, one upstream record as stored beside the values taken from it.",
        _explain,
    )
    explain.add_argument("claim_id", nargs="?", default=None, help="a claim id of the file")
    explain.add_argument(
        "--claims",
        type=Path,
        default=None,
        help="claims CSV (default: data/raw/article_claims.csv)",
    )
    explain.add_argument(
        "--run",
        dest="run_dir",
        type=Path,
        default=None,
        help="a claims run's folder: explain the claim from what the run wrote, not again",
    )
    explain.add_argument("--source", default=None, help="only this source (airwars, ucdp_ged, ...)")
    explain.add_argument(
        "--record", default=None, help="a record id of a contributions table, e.g. RS1377"
    )
    claim = explain.add_argument_group("a claim given as options instead of a CLAIM_ID")
    claim.add_argument("--perpetrator")
    claim.add_argument("--category")
    claim.add_argument("--start", help="first day, YYYY-MM-DD")
    claim.add_argument("--end", help="last day, YYYY-MM-DD")
    claim.add_argument("--figure", help="the claimed number")
    claim.add_argument("--qualifier", help="exact (default), about, almost, at_least, ...")
    claim.add_argument("--area", help="syria (default), a governorate or a named area")
    claim.add_argument("--claim-source", help="who published it (default unattributed)")
    claim.add_argument("--statement", help="the claim in words")

    link = add(
        "link",
        "Link Airwars incidents to UCDP GED events with civilian deaths (a loose rule "
        "over a distance and day grid, and a strict rule scored with Splink); writes "
        "links.csv, summary.csv, loose_grid.csv, gold_citations.csv, validation.csv, "
        "shares.csv and model.csv.",
        _link,
    )
    link.add_argument(
        "--out", type=Path, default=None, help="output folder (default: reports/link/)"
    )
    link.add_argument(
        "--review",
        type=int,
        metavar="N",
        default=None,
        help="instead, write review.html: N unjudged candidate pairs side by side, to judge",
    )

    build = add(
        "build",
        "Run the parameterised notebooks with papermill into reports/, "
        "rebuilding only what changed, in parallel; then write reports/index.html.",
        _build,
    )
    build.add_argument("--force", action="store_true", help="re-run every notebook")
    build.add_argument("--jobs", type=int, default=None, help="parallel runs (default: cores)")
    build.add_argument(
        "--scheduler",
        default=None,
        help="address of an existing Dask scheduler, e.g. tcp://host:8786",
    )
    build.add_argument(
        "--only", action="append", default=None, help="run only these run ids (repeatable)"
    )
    build.add_argument(
        "--config", type=Path, default=None, help="parameter sets (default: config/runs.yaml)"
    )
    build.add_argument("--out", type=Path, default=None, help="output folder (default: reports/)")

    sweep = add(
        "sweep",
        "Year-one tallies under every combination of grading rule, "
        "attribution rule and period edges: one table and one figure.",
        _sweep,
    )
    sweep.add_argument(
        "--config", type=Path, default=None, help="grid (default: config/sweep.yaml)"
    )
    sweep.add_argument(
        "--out", type=Path, default=None, help="output folder (default: reports/sweep/)"
    )

    verify = add(
        "verify",
        "Rebuild every published figure and table into a temporary "
        "folder and compare its sha256 with the committed manifest; exits "
        "non-zero on any difference.",
        _verify,
    )
    verify.add_argument(
        "--only",
        action="append",
        default=None,
        help="rebuild and compare only this run id (repeatable)",
    )
    verify.add_argument(
        "--manifest",
        type=Path,
        default=None,
        help="manifest file to compare with, read as it is (default: "
        "reports/MANIFEST.sha256 as committed in HEAD)",
    )

    publish = add(
        "publish",
        "Make the hashes of the last build (reports/BUILT.sha256) the published "
        "manifest (reports/MANIFEST.sha256) and name every output that changed.",
        _publish,
    )
    publish.add_argument("--out", type=Path, default=None, help="report folder (default: reports/)")

    docs = add("docs", "Render docs/tables.md from the importers' schemas.", _docs)
    docs.add_argument("--out", type=Path, default=None, help="target (default: docs/tables.md)")

    lab = add("lab", "Start JupyterLab on the project's kernel, in notebooks/.", _lab)
    lab.add_argument("--port", type=int, default=8888)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
