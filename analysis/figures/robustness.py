"""Figure of how each claim's verdict moves with the counting rules.

One row per claim, one column per rule set of `analysis.claims.robustness`
(grouped by period edge and attribution, then by the gradings of the low and the
high end), each cell the verdict under that rule set. Verdicts differ in colour,
in lightness and in a hatch pattern, so the figure reads in greyscale too; the
ledger's own rule set is framed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.patches import Patch, Rectangle

from analysis.claims.robustness import RULE_SETS
from analysis.figures import elements
from analysis.figures.save import Chart
from analysis.labels import VERDICT_SHORT

#: Verdict -> (colour, hatch); lightness falls from top to bottom.
VERDICT_LOOKS: dict[str, tuple[str, str]] = {
    "within_evidence": ("#F0E442", ""),
    "below_evidence": ("#56B4E9", ".."),
    "above_evidence": ("#CC79A7", "//"),
    "sources_disagree": ("#D55E00", "xx"),
    "not_checkable": ("#555555", ""),
}
GRADING_SHORT = {
    "confirmed_fair": "CF",
    "confirmed_fair_weak": "CFW",
    "all_but_discounted": "ABD",
    "all": "all",
}


def _column_order() -> list[int]:
    """Rule sets grouped by edge and attribution pair, then by the two gradings."""
    grading = list(GRADING_SHORT)
    return sorted(
        range(len(RULE_SETS)),
        key=lambda i: (
            RULE_SETS[i].edge,
            RULE_SETS[i].low_attribution,
            RULE_SETS[i].high_attribution,
            grading.index(RULE_SETS[i].low_grading),
            grading.index(RULE_SETS[i].high_grading),
        ),
    )


def robustness_figure(grid: pd.DataFrame) -> Chart:
    """Claims (rows) by rule sets (columns), each cell the verdict under that rule set.

    `grid` is the robustness grid of the ledger: columns claim_id, rule_set, verdict.
    """
    claims = list(dict.fromkeys(grid["claim_id"]))
    order = _column_order()
    verdict = grid.pivot(index="claim_id", columns="rule_set", values="verdict").loc[claims]
    height = 3.2 + 0.32 * len(claims)
    fig, ax = elements.new_figure(height=height, width=11.0, bottom=2.1 / height)
    fig.subplots_adjust(left=0.06, right=0.99, top=1 - 0.8 / height)
    for y, claim in enumerate(claims):
        for x, rule in enumerate(order):
            color, hatch = VERDICT_LOOKS[str(verdict.at[claim, rule])]
            ax.add_patch(
                Rectangle(
                    (x, y), 1, 1, facecolor=color, hatch=hatch, edgecolor="white", linewidth=0.6
                )
            )
    ledger_at = order.index(0)
    ax.add_patch(
        Rectangle((ledger_at, 0), 1, len(claims), fill=False, edgecolor="black", linewidth=1.6)
    )
    ax.set_xlim(0, len(order))
    ax.set_ylim(len(claims), 0)
    ax.set_yticks(np.arange(len(claims)) + 0.5, claims, fontsize=8)
    labels = [
        f"{GRADING_SHORT[RULE_SETS[i].low_grading]}/{GRADING_SHORT[RULE_SETS[i].high_grading]}"
        for i in order
    ]
    ax.set_xticks(np.arange(len(order)) + 0.5, labels, rotation=90, fontsize=6)
    ax.grid(False)
    groups: dict[tuple[str, str, str], list[int]] = {}
    for x, i in enumerate(order):
        rules = RULE_SETS[i]
        key = (rules.edge, rules.low_attribution, rules.high_attribution)
        groups.setdefault(key, []).append(x)
    for (edge, low_a, high_a), columns in groups.items():
        ax.axvline(columns[0], color="black", linewidth=0.8)
        ax.text(
            (columns[0] + columns[-1] + 1) / 2,
            -0.25,
            f"by {edge.replace('_', ' ')}\n{low_a} / {high_a}",
            ha="center",
            va="bottom",
            fontsize=7,
        )
    ax.set_xlabel(
        "Rule set: the gradings that count toward the low / high end (CF Confirmed and Fair, "
        "CFW also Weak, ABD all but Discounted);\nabove the columns, the period edge and "
        "the attribution of the low / high end",
        fontsize=8.5,
    )
    ax.set_title("Each claim's verdict under every counting rule", pad=34)
    fig.legend(
        handles=[
            Patch(facecolor=c, hatch=h, edgecolor="#777777", label=VERDICT_SHORT[code])
            for code, (c, h) in VERDICT_LOOKS.items()
        ]
        + [Patch(fill=False, edgecolor="black", linewidth=1.6, label="the ledger's rule set")],
        loc="lower center",
        bbox_to_anchor=(0.5, 0.55 / height),
        ncol=6,
        fontsize=7.5,
    )
    elements.source_note(
        fig,
        "the claims ledger with --robustness (python -m analysis claims --robustness); "
        "only Airwars' counting rules vary.",
    )
    return Chart(fig, *_words(grid, claims))


def _words(grid: pd.DataFrame, claims: list[str]) -> tuple[str, str]:
    """The caption and the alt text, from the grid."""
    counts = grid.groupby("claim_id", sort=False)["verdict"].value_counts()
    moving = [c for c in claims if len(counts[c]) > 1]
    total = len(RULE_SETS)
    caption = (
        f"Each claim's verdict under each of {total} counting rule sets: the gradings that "
        "count toward the low and the high end, sole or shared attribution for each end, and "
        "incidents counted by start date or by any overlap with the period. The framed column "
        f"is the ledger's rule set. {len(claims) - len(moving)} of {len(claims)} claims keep "
        "one verdict under every rule set"
        + (f"; {', '.join(moving)} change with the rules." if moving else ".")
    )
    alt = (
        f"Grid of {len(claims)} claims by {total} rule sets, each cell a verdict. "
        + " ".join(
            f"{c}: "
            + ", ".join(f"{VERDICT_SHORT[v]} under {n}" for v, n in counts[c].items())
            + "."
            for c in moving
        )
        + (" Every other claim has one verdict throughout." if moving else "")
    )
    return caption, alt
