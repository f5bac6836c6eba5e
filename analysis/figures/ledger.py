"""Figure of the claims ledger: each claim's range beside each source's range.

`per_claim` condenses the ledger (one row per claim and source) to one row per
claim with its verdict. `ledger_figure` draws one band per claim on a log scale
(claims run from hundreds to hundreds of thousands): the claim's range in black,
every source that speaks (as a lower bound, an upper bound or both)
in its own look, and the combined evidence range; the verdict is written at the
right. An open end (a lower bound of 0, an upper bound of infinity) is drawn to
the edge of the axes with an arrowhead, so "no bound" never looks like a number.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from analysis import labels
from analysis.figures import elements
from analysis.figures.save import Chart
from analysis.figures.theme import colour, look, who

#: Ledger source name -> (figure look, line style): two tables of one source share
#: its colour and differ in dashes; legend labels are `labels.word("source", name)`.
SOURCE_LOOKS: dict[str, tuple[str, object]] = {
    "airwars": ("airwars", "-"),
    "ucdp_ged": ("ucdp", ":"),
    "ucdp_brd": ("ucdp", (0, (6, 2))),
    "vdc_weekly": ("vdc", "-."),
    "vdc_daily": ("vdc", (0, (1, 1))),
}
SPEAKING = ("both", "lower", "upper")
AXIS = (10.0, 3.0e6)


def per_claim(ledger: pd.DataFrame) -> pd.DataFrame:
    """One row per claim: claim_id, statement, claim_range, claim_low, claim_high,
    sources (those that speak, `;`-joined), evidence_low, evidence_high, verdict,
    reason, and verdict_independent, reason_independent, robustness and
    robustness_detail when the ledger has them."""
    speaking = ledger[ledger["role"].isin(SPEAKING)]
    sources = speaking.groupby("claim_id", sort=False)["source"].agg(";".join)
    first = ledger.drop_duplicates("claim_id")
    out = first[
        [
            "claim_id",
            "statement",
            "claim_range",
            "claim_low",
            "claim_high",
            "evidence_low",
            "evidence_high",
            "verdict",
            "reason",
            *(
                c
                for c in (
                    "verdict_independent",
                    "reason_independent",
                    "robustness",
                    "robustness_detail",
                )
                if c in ledger
            ),
        ]
    ].copy()
    out.insert(5, "sources", out["claim_id"].map(sources).fillna(""))
    return out.reset_index(drop=True)


def _segment(
    ax: Axes,
    low: float,
    high: float,
    y: float,
    key: str,
    width: float,
    label: str | None,
    linestyle: object = "-",
) -> None:
    style = look(key)
    shown_low = min(max(low, AXIS[0]), AXIS[1])
    shown_high = AXIS[1] if math.isinf(high) else min(max(high, AXIS[0]), AXIS[1])
    ax.plot(
        [shown_low, shown_high],
        [y, y],
        color=style.color,
        linewidth=width,
        linestyle=linestyle,
        solid_capstyle="butt",
        label=label,
    )
    if shown_low == shown_high:
        ax.plot(
            [shown_low], [y], marker=style.marker, color=style.color, markersize=9, linestyle="none"
        )
    if low < AXIS[0]:
        ax.plot([AXIS[0]], [y], marker="<", color=style.color, markersize=6)
    if high > AXIS[1]:
        ax.plot([AXIS[1]], [y], marker=">", color=style.color, markersize=6)


def ledger_figure(ledger: pd.DataFrame) -> Chart:
    """Claims against evidence, one band per claim, log scale, verdicts (shape and
    words) at the right."""
    claims = per_claim(ledger)
    height = 2.2 + 0.6 * len(claims)
    fig, ax = elements.new_figure(height=height, width=10.0, bottom=2.0 / height)
    fig.subplots_adjust(left=0.2, right=0.79, top=1 - 0.45 / height)
    about = ledger.drop_duplicates("claim_id").set_index("claim_id")
    seen: set[str] = set()

    def once(label: str) -> str | None:
        if label in seen:
            return None
        seen.add(label)
        return label

    for i, claim in claims.iterrows():
        y = float(i)
        _segment(
            ax,
            claim["claim_low"],
            claim["claim_high"],
            y - 0.28,
            "article",
            4,
            once("The claim, as its wording allows"),
        )
        rows = ledger[(ledger["claim_id"] == claim["claim_id"]) & ledger["role"].isin(SPEAKING)]
        for j, row in enumerate(rows.itertuples(index=False)):
            key, dashes = SOURCE_LOOKS.get(row.source, ("sohr", "--"))
            label = labels.first_upper(labels.word("source", row.source))
            _segment(ax, row.low, row.high, y - 0.1 + 0.12 * j, key, 2.5, once(label), dashes)
        if not np.isnan(claim["evidence_low"]):
            _segment(
                ax,
                claim["evidence_low"],
                claim["evidence_high"],
                y + 0.34,
                "evidence",
                5,
                once("Combined evidence range"),
            )
        ax.text(
            1.035,  # clear of the arrowheads drawn at the axis' right edge
            y,
            f"{labels.VERDICT_SHAPES[claim['verdict']]} {labels.VERDICT_SHORT[claim['verdict']]}",
            transform=ax.get_yaxis_transform(),
            va="center",
            fontsize=8,
        )
    ax.set_xscale("log")
    ax.set_xlim(*AXIS)
    ax.set_yticks(
        range(len(claims)),
        [
            f"{c}: {labels.word('category', about.at[c, 'category'])},\n"
            f"{who(about.at[c, 'perpetrator'])}"
            for c in claims["claim_id"]
        ],
        fontsize=8,
    )
    ax.set_ylim(len(claims) - 0.4, -0.6)
    ax.set_xlabel("People killed (count, log scale); an arrow: the range runs on past the axis")
    ax.set_title("The article's claims against what sources document")
    if (claims["claim_low"] == claims["claim_high"]).any():
        ax.plot(
            [],
            [],
            marker=look("article").marker,
            color=look("article").color,
            markersize=9,
            linestyle="none",
            label="A claim of one exact number",
        )
    # long handles, so that each source's dashes show in the legend
    ax.legend(
        loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3, fontsize=7.5, handlelength=4.5
    )
    elements.thousands(ax, "x")
    elements.source_note(
        fig,
        "the claims ledger (python -m analysis claims): Airwars, UCDP "
        "GED and battle deaths, VDC weekly and daily; published figures are "
        "context and not drawn.",
    )
    return Chart(fig, _caption(claims), _alt(claims, about))


def _caption(claims: pd.DataFrame) -> str:
    """How to read the figure, with the verdicts it shows counted."""
    tally = claims["verdict"].value_counts()
    verdicts = "; ".join(
        f"{labels.VERDICT_SHAPES[v]} {labels.VERDICT_SHORT[v]}: {tally[v]}"
        for v in labels.VERDICT_SHAPES
        if v in tally
    )
    drawn = sorted({name for names in claims["sources"] for name in names.split(";") if name})
    colours = ", ".join(
        f"{labels.word('source', name)} {colour(SOURCE_LOOKS[name][0])}"
        for name in drawn
        if name in SOURCE_LOOKS
    )
    star = (
        " (a star where it is one exact number)"
        if (claims["claim_low"] == claims["claim_high"]).any()
        else ""
    )
    return (
        f"Each of the {len(claims)} claims as the range its wording allows, in "
        f"{colour('article')}{star}, beside the range each source gives, in its "
        f"colour and dashes ({colours}), and the combined evidence range "
        f"({colour('evidence')}); log scale, an arrow where a range runs past the axis. The "
        f"verdict is written at the right with its shape ({verdicts}). "
        "Documented counts are minimums: a claim above the evidence is not thereby false."
    )


def _alt(claims: pd.DataFrame, about: pd.DataFrame) -> str:
    """Every claim with its range, the evidence range and the verdict, in words."""
    parts = []
    for claim in claims.itertuples(index=False):
        said = labels.claim(
            about.at[claim.claim_id, "figure"],
            about.at[claim.claim_id, "qualifier"],
            about.at[claim.claim_id, "category"],
        )
        evidence = (
            f", evidence {labels.span(claim.evidence_low, claim.evidence_high)}"
            if not np.isnan(claim.evidence_low)
            else ""
        )
        parts.append(f"{claim.claim_id}, {said}: {labels.VERDICT_SHORT[claim.verdict]}{evidence}")
    return "Range chart of claims against evidence. " + "; ".join(parts) + "."
