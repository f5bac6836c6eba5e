"""The report's pages: the landing page, one page per run, one per evidence table.

- `index.html` answers first: each claim of the ledger run with its verdict (shape
  and words), the range its wording allows and the evidence range, the verdict from
  the records that do not cite the claimant (and why, where it differs), then the
  claims-against-evidence figure, "How independent are the sources?" (the ledger
  run's `independence` figure and table), then the table of contents of the runs.
- `pages/<run_id>.html`: the run's figures with numbered captions and alt text
  (saved beside each figure by `figures.save`), its tables in words
  (`readable`), its parameters, provenance and the command that regenerates it.
- `pages/<run_id>/<...>.html`: the records behind an evidence number, when the
  ledger names a contributions table (`contributions`).
- A "check it yourself" box on every page.

`print_document` is the same content as one document (landing page, then every run
as a section, without links that a PDF cannot follow), which `pdf` prints.

Every string that comes from data passes through Jinja2 with autoescaping on, so a
claims file holding markup shows it as text. Links are relative, so the folder can
be moved or served from anywhere. Everything is read from the run folders; nothing
is computed but words. The ledger run is the first run (in page order) that
published `tables/ledger.csv` or `tables/verdicts.csv`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2

from analysis import labels
from analysis.atomic import publish_folder, write_text_atomic
from analysis.report import cards, contributions
from analysis.report.claims import Claim, ledger_table, read_claims
from analysis.report.readable import Table, read_csv, readable
from analysis.report.runs import Figure, Run, read_runs

PAGES = "pages"
LANDING_FIGURE = "claims_vs_evidence"
#: The ledger run's figure and table of "How independent are the sources?".
INDEPENDENCE = "independence"


@dataclass(frozen=True)
class Item:
    """A table of a run page: its title, CSV path and rows in words."""

    title: str
    csv: str
    table: Table
    note: str = ""


class Links:
    """Relative links from a page at `depth` folders below the report folder; in a
    print document (`live=False`) runs are sections and nothing else links."""

    def __init__(self, out_dir: Path, depth: int, live: bool = True) -> None:
        self.out_dir, self.root, self.live = out_dir, "../" * depth, live

    def file(self, path: str) -> str:
        return self.root + path

    def run(self, run: Run) -> str:
        return self.root + run.page if self.live else f"#run-{run.run_id}"

    def evidence(self, run_id: str, path: str) -> str:
        """The page of a contributions CSV, or "" when there is none (or no links)."""
        if not self.live or not path or not (self.out_dir / "runs" / run_id / path).is_file():
            return ""
        return self.root + contributions.page_path(run_id, path)


#: Rows a run's table shows on its page and in the PDF.
TABLE_ROWS = 100


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.globals.update(cards=cards.cards, wide=cards.wide)
    return env


def _own_rows(run: Run, header: list[str], rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """When the run's parameters name a perpetrator and a year, the rows of a table
    about that perpetrator and year (a `year` or `month` column); else all rows."""
    p = run.parameters
    if "perpetrator" not in p or "year" not in p or "perpetrator" not in header:
        return rows
    year = str(p["year"])
    if "year" in header:
        in_year = [r for r in rows if r["year"] == year]
    elif "month" in header:
        in_year = [r for r in rows if r["month"].startswith(f"{year}-")]
    else:
        return rows
    return [r for r in in_year if r["perpetrator"] == str(p["perpetrator"])]


def _items(run: Run, out_dir: Path) -> list[Item]:
    """A run's tables in words; a long one (the robustness grid: claims x 60 rule sets)
    shows its first `TABLE_ROWS` rows, and its CSV holds them all. A run about one
    perpetrator and year shows that perpetrator's and year's rows."""
    found = []
    for csv_path in run.tables:
        header, rows = read_csv(out_dir / csv_path)
        name = Path(csv_path).stem
        own = _own_rows(run, header, rows)
        table = readable(own, header, limit=TABLE_ROWS)
        note = ""
        if len(own) < len(rows):
            note = (
                f"The rows of {labels.word('perpetrator', str(run.parameters['perpetrator']))} "
                f"in {run.parameters['year']}; the CSV also holds the "
                f"{labels.count(len(rows) - len(own))} rows of other perpetrators and years."
            )
        found.append(Item(labels.first_upper(name.replace("_", " ")), csv_path, table, note))
    return found


#: Columns of a run's verdicts table that summarise its robustness grid, in print.
ROBUSTNESS_SUMMARY = ("claim_id", "verdict", "robustness", "robustness_detail")

#: A wide table other than the ledger prints at most this many rows, as cards (a
#: card per row takes a tenth of a page); its CSV holds them all. The ledger always
#: prints whole.
PRINT_CARD_ROWS = 12


def _print_rows(item: Item) -> Item:
    """`item` as printed: a wide table other than the ledger cut to `PRINT_CARD_ROWS`."""
    table = item.table
    if Path(item.csv).stem == "ledger" or not cards.wide(table):
        return item
    if len(table.rows) <= PRINT_CARD_ROWS:
        return item
    left_out = len(table.rows) - PRINT_CARD_ROWS
    cut = replace(table, rows=table.rows[:PRINT_CARD_ROWS], hidden=table.hidden + left_out)
    return replace(item, table=cut)


def _printed(run: Run, items: list[Item], out_dir: Path) -> list[Item]:
    """A run's tables as printed: the robustness grid (claims x 60 rule sets) becomes
    one row per claim, from the robustness columns of the run's verdicts table, and a
    long wide table prints its first rows (`_print_rows`). The CSVs hold every row."""
    verdicts = next((i for i in items if Path(i.csv).stem == "verdicts"), None)
    found = []
    for item in items:
        if Path(item.csv).stem != "robustness" or verdicts is None:
            found.append(_print_rows(item))
            continue
        header, rows = read_csv(out_dir / verdicts.csv)
        if not set(ROBUSTNESS_SUMMARY) <= set(header):
            found.append(item)
            continue
        _, grid = read_csv(out_dir / item.csv)
        table = readable(rows, list(ROBUSTNESS_SUMMARY))
        note = (
            f"Each claim's verdict under every rule set, {labels.count(len(grid))} rows, "
            f"is in {Path(item.csv).name}."
        )
        found.append(Item("Robustness, per claim", item.csv, table, note))
    return found


def _summary(claims: list[Claim]) -> str:
    counts = {v: sum(c.verdict == v for c in claims) for v in labels.VERDICT_SHAPES}
    parts = [
        f"{n} {labels.VERDICT_SHAPES[v]} {labels.VERDICT_SHORT[v]}" for v, n in counts.items() if n
    ]
    return f"{len(claims)} claims: " + ", ".join(parts) + "."


@dataclass
class Site:
    """Everything the pages show, read once from a build."""

    out_dir: Path
    runs: list[Run]
    items: dict[str, list[Item]]
    ledger_run: Run | None
    claims: list[Claim]

    @classmethod
    def read(cls, out_dir: Path) -> Site:
        runs = read_runs(out_dir)
        ledger_run = next(
            (r for r in runs if ledger_table(out_dir / "runs" / r.run_id) is not None), None
        )
        claims = read_claims(out_dir / "runs" / ledger_run.run_id) if ledger_run else []
        items = {run.run_id: _items(run, out_dir) for run in runs}
        return cls(out_dir, runs, items, ledger_run, claims)

    def landing_figure(self) -> Figure | None:
        if self.ledger_run is None:
            return None
        chosen = [f for f in self.ledger_run.figures if f.name == LANDING_FIGURE]
        return next(iter(chosen or self.ledger_run.figures), None)

    def independence(self) -> tuple[Figure | None, list[dict[str, str]]]:
        """The ledger run's overlap figure and its split table's rows, in words."""
        if self.ledger_run is None:
            return None, []
        figure = next((f for f in self.ledger_run.figures if f.name == INDEPENDENCE), None)
        path = self.out_dir / "runs" / self.ledger_run.run_id / "tables" / f"{INDEPENDENCE}.csv"
        if not path.is_file():
            return figure, []
        _, rows = read_csv(path)
        return figure, [
            {
                "claim": row["claim_id"],
                "source": labels.word("source", row["source"]),
                "headline": "yes" if row.get("headline") == "True" else "",
                "words": row["in_words"],
            }
            for row in rows
        ]

    def common(self, links: Links) -> dict[str, Any]:
        independence_figure, independence_rows = self.independence()
        return {
            "runs": self.runs,
            "claims": self.claims,
            "claim_ids": [c.claim_id for c in self.claims],
            "ledger_run": self.ledger_run,
            "summary": _summary(self.claims),
            "landing_figure": self.landing_figure(),
            "independence_figure": independence_figure,
            "independence_rows": independence_rows,
            "links": links,
        }

    def evidence_tables(self) -> list[tuple[str, str, str, str]]:
        """(run id, contributions path, heading, claim id or "") of every contributions
        CSV a run's table names in its `contributions` column: the ledger's, one per
        claim and source, and the notebooks' tallies, one per row."""
        found = {}
        for run in self.runs:
            for csv_path in run.tables:
                header, rows = read_csv(self.out_dir / csv_path)
                if "contributions" not in header:
                    continue
                table = labels.first_upper(Path(csv_path).stem.replace("_", " "))
                for row in rows:
                    path = row.get("contributions", "")
                    if not path:
                        continue
                    claim = row.get("claim_id", "")
                    source = labels.word("source", row.get("source") or Path(path).stem)
                    heading = f"claim {claim}, {source}" if claim else f"{table}, {Path(path).stem}"
                    found[(run.run_id, path)] = (heading, claim)
        return [(run_id, path, *about) for (run_id, path), about in found.items()]


def pages(out_dir: Path) -> dict[str, str]:
    """Every page of the build in `out_dir`: relative path -> HTML text."""
    out_dir = Path(out_dir)
    site = Site.read(out_dir)
    env = _environment()
    found = {"index.html": env.get_template("index.html.j2").render(site.common(Links(out_dir, 0)))}
    for run in site.runs:
        found[run.page] = env.get_template("run.html.j2").render(
            site.common(Links(out_dir, 1)), run=run, items=site.items[run.run_id]
        )
    by_id = {run.run_id: run for run in site.runs}
    for run_id, path, heading, claim_id in site.evidence_tables():
        records = contributions.records(out_dir, run_id, path)
        if records is None:
            continue
        found[records.page] = env.get_template("records.html.j2").render(
            site.common(Links(out_dir, records.page.count("/"))),
            run=by_id[run_id],
            records=records,
            claim_id=claim_id,
            heading=heading,
        )
    return found


def print_document(out_dir: Path) -> str:
    """The landing page and every run as one HTML document, for printing."""
    out_dir = Path(out_dir)
    site = Site.read(out_dir)
    return (
        _environment()
        .get_template("print.html.j2")
        .render(
            site.common(Links(out_dir, 0, live=False)),
            items={r.run_id: _printed(r, site.items[r.run_id], out_dir) for r in site.runs},
        )
    )


def write_index(out_dir: Path) -> Path:
    """Write `index.html` and the `pages/` folder (replaced whole, so pages of runs
    that are gone do not linger); returns the path of `index.html`."""
    out_dir = Path(out_dir)
    written = pages(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with publish_folder(out_dir / PAGES) as fresh:
        for rel, text in written.items():
            if rel.startswith(f"{PAGES}/"):
                write_text_atomic(fresh / rel[len(PAGES) + 1 :], text)
    return write_text_atomic(out_dir / "index.html", written["index.html"])
