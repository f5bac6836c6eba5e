"""`python -m analysis sweep`: how much the year-one Airwars tally moves with the rules.

Method. The grid in `config/sweep.yaml` crosses grading rules, attribution rules
(`sole`: Russia is the only belligerent named; `shared`: Russia is among those
named) and first and last days of the period. For every point and every category
(civilians, children) the tally is the number of incidents, the sum of their
minima (`low`) and of their maxima (`high`), over incidents whose start date lies
in the inclusive period. The grading and attribution rules are those of
`analysis.metrics.airwars` (`GRADING_RULES`, `ATTRIBUTION_RULES`), and the work is
done by the evidence engine's `analysis.evidence.tallies.rule_grid`, the ledger's own
Airwars rule: the incidents of each distinct period are paired once and every rule
reads the same pairs, so hundreds of points take about a second. No notebook per
point is needed.

Outputs, in `reports/sweep/` by default: `tables/sweep.csv` (one row per point and
category) and `figures/sweep.svg|png` (per rule pair, the span of the low and high
sums across all period edges), saved byte-deterministically.

Known drawbacks. The low and high columns of a point use one rule for both ends, so
they are not the ledger's asymmetric interval (low: sole and Confirmed/Fair; high:
shared and all but Discounted); both of those are points of the grid. Incidents
without a date never count.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import yaml

from analysis import paths
from analysis.errors import ConfigError

GRID_KEYS = ("perpetrator", "categories", "grading", "attribution", "start", "end")


def default_config() -> Path:
    return paths.CONFIG / "sweep.yaml"


def default_out() -> Path:
    return paths.REPORTS / "sweep"


def load_grid(path: Path) -> dict[str, Any]:
    """The grid config, checked against the rule names the metrics know."""
    from analysis.metrics.airwars import ATTRIBUTION_RULES, CATEGORY_COLUMNS, GRADING_RULES

    if not path.is_file():
        raise ConfigError(f"{path}: no such sweep config")
    grid = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(grid, dict) or set(grid) != set(GRID_KEYS):
        found = sorted(grid) if isinstance(grid, dict) else grid
        raise ConfigError(f"{path}: expected exactly the keys {list(GRID_KEYS)}, found {found!r}")
    known = {
        "grading": GRADING_RULES,
        "attribution": ATTRIBUTION_RULES,
        "categories": CATEGORY_COLUMNS,
    }
    for key in GRID_KEYS[1:]:
        values = grid[key]
        if not isinstance(values, list) or not values:
            raise ConfigError(f"{path}: {key}: expected a non-empty list, found {values!r}")
        if key in known:
            unknown = [v for v in values if v not in known[key]]
            if unknown:
                raise ConfigError(f"{path}: {key}: unknown {unknown}; known: {list(known[key])}")
    for key in ("start", "end"):
        grid[key] = [str(v) for v in grid[key]]
    return grid


def sweep(table: Any, grid: dict[str, Any]) -> Any:
    """One row per grid point and category: grading, attribution, start, end,
    category, incidents, low, high."""
    import pandas as pd

    from analysis.evidence.tallies import rule_grid

    combos = pd.DataFrame(
        list(itertools.product(grid["grading"], grid["attribution"], grid["start"], grid["end"])),
        columns=["grading", "attribution", "start", "end"],
    )
    parts = []
    for category in grid["categories"]:
        part = rule_grid(table, grid["perpetrator"], category, combos)
        part.insert(4, "category", category)
        parts.append(part)
    result = pd.concat(parts, ignore_index=True)
    result[["low", "high"]] = result[["low", "high"]].round(0).astype("int64")
    return result


def figure(result: Any) -> Any:
    """Per category and rule pair, the span of the low and of the high sum over all
    period edges: how far the answer moves with each choice. Returns a `Chart`."""
    import matplotlib.pyplot as plt
    import numpy as np

    from analysis import labels
    from analysis.figures import Chart, elements, style
    from analysis.figures.theme import CATEGORY_LOOKS

    ends = {
        "low": ("Low end: sum of incident minima", CATEGORY_LOOKS["civilians"]),
        "high": ("High end: sum of incident maxima", CATEGORY_LOOKS["civilian_men"]),
    }
    categories = list(dict.fromkeys(result["category"]))
    spans = result.groupby(["category", "grading", "attribution"], sort=False)[["low", "high"]].agg(
        ["min", "max"]
    )
    with style():
        fig, axes = plt.subplots(1, len(categories), figsize=(11, 5.4), squeeze=False, sharey=True)
        for ax, category in zip(axes[0], categories, strict=True):
            rows = spans.loc[category]
            y = np.arange(len(rows))
            for offset, (end, (label, drawn)) in zip((-0.18, 0.18), ends.items(), strict=True):
                first, last = rows[(end, "min")].to_numpy(), rows[(end, "max")].to_numpy()
                ax.barh(
                    y + offset,
                    np.maximum(last - first, 1),
                    left=first,
                    height=0.32,
                    color=drawn.color,
                    alpha=0.45,
                    hatch=drawn.hatch,
                    edgecolor=drawn.color,
                    label=label,
                )
            ax.set_yticks(y, [f"{g}, {a}" for g, a in rows.index])
            ax.set_title(f"{labels.first_upper(labels.word('category', category))} killed")
            ax.set_xlabel("Deaths in the year, summed over incidents (count)")
            ax.set_xlim(left=0)
            elements.thousands(ax, "x")
        axes[0][0].invert_yaxis()  # shared by every panel: strictest rule on top
        axes[0][0].set_ylabel("Grading rule, attribution rule")
        handles, names = axes[0][0].get_legend_handles_labels()
        fig.legend(
            handles, names, loc="lower left", bbox_to_anchor=(0.2, 0.05), ncols=2, frameon=False
        )
        fig.suptitle(
            "How far Airwars' year-one tally for Russian strikes moves with the\n"
            "grading rule, the attribution rule and the period's edges",
            x=0.01,
            ha="left",
            fontweight="bold",
        )
        fig.subplots_adjust(left=0.2, right=0.98, top=0.84, bottom=0.24, wspace=0.08)
        elements.source_note(
            fig,
            "Airwars incident archive. Each bar spans the sums over "
            "every start and end date of the grid (config/sweep.yaml).",
        )
    moves = "; ".join(
        f"{labels.word('category', c)}: low end {labels.span(*_extent(result, c, 'low'))}, "
        f"high end {labels.span(*_extent(result, c, 'high'))}"
        for c in categories
    )
    caption = (
        f"Airwars' tally of {len(categories)} victim categories under each pair of grading "
        f"and attribution rules ({len(spans) // len(categories)} pairs, strictest on top): "
        "each bar spans the sum of incident minimums (low end) or maximums (high end) over "
        "every start and end date of the grid in config/sweep.yaml."
    )
    return Chart(fig, caption, f"Horizontal range bars, one panel per category. {moves}.")


def _extent(result: Any, category: str, end: str) -> tuple[float, float]:
    """Smallest and largest sum of one end (`low` or `high`) over the whole grid."""
    values = result.loc[result["category"] == category, end]
    return float(values.min()), float(values.max())


def main(config: Path | None = None, out: Path | None = None) -> int:
    """Write tables/sweep.csv and figures/sweep.svg, .png into `out` (default reports/sweep/)."""
    import time

    from analysis import tables
    from analysis.csv_tables import save_table
    from analysis.figures.save import save

    started = time.perf_counter()
    grid = load_grid(config or default_config())
    out = out or default_out()
    result = sweep(tables.load("airwars"), grid)
    save_table(result, out, "sweep")
    save(figure(result), out, "sweep")
    points = len(result) // len(grid["categories"])
    print(
        f"sweep: {points} grid points x {len(grid['categories'])} categories -> "
        f"{out} ({time.perf_counter() - started:.2f} s)"
    )
    return 0
