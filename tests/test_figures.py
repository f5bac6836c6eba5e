"""Figures: deterministic bytes, one style that survives greyscale, ranges drawn as
ranges, and the data preparation behind them checked against plain pandas."""

from __future__ import annotations

import hashlib
import itertools
import json
import subprocess
import sys
import zlib
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis import figures, labels
from analysis.figures import aleppo, elements, ledger, one_year, theme

DRAW = """
import sys
import pandas as pd
from analysis import figures
from analysis.figures import elements
with figures.style():
    fig, ax = elements.new_figure()
    dates = pd.date_range("2016-01-01", periods=6, freq="MS")
    elements.range_band(ax, dates, [1, 2, 3, 2, 1, 0], [3, 5, 6, 4, 2, 1], "airwars")
    elements.range_bars(ax, dates, [0, 1, 2, 2, 0, 0], [1, 1, 4, 3, 0, 2], "vdc", width=10)
    elements.month_axis(ax)
    ax.set_title("Test <figure> & title")
    elements.source_note(fig, "made-up numbers")
    figures.save(figures.Chart(fig, "How to read it.", "What it shows."), sys.argv[1], "example")
"""


def _draw(folder: Path) -> tuple[bytes, bytes]:
    subprocess.run([sys.executable, "-c", DRAW, str(folder)], check=True)
    return (
        (folder / "figures" / "example.svg").read_bytes(),
        (folder / "figures" / "example.png").read_bytes(),
    )


def _png_text_chunks(data: bytes) -> list[bytes]:
    """Keys of the tEXt/iTXt/zTXt chunks of a PNG, read with the file format alone."""
    keys, at = [], 8
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        kind = data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + length]
        assert zlib.crc32(kind + body) == int.from_bytes(
            data[at + 8 + length : at + 12 + length], "big"
        )
        if kind in (b"tEXt", b"iTXt", b"zTXt"):
            keys.append(body.split(b"\0", 1)[0])
        at += 12 + length
    return keys


@pytest.mark.slow
def test_two_processes_give_byte_identical_svg_and_png(tmp_path: Path) -> None:
    svg_a, png_a = _draw(tmp_path / "a")
    svg_b, png_b = _draw(tmp_path / "b")
    assert hashlib.sha256(svg_a).hexdigest() == hashlib.sha256(svg_b).hexdigest()
    assert png_a == png_b
    assert png_a[:8] == b"\x89PNG\r\n\x1a\n"


def test_saved_files_carry_no_date_or_version(tmp_path: Path) -> None:
    svg, png = _draw(tmp_path)
    text = svg.decode("utf-8")
    assert "<dc:date>" not in text
    assert "Matplotlib v" not in text and "matplotlib.org" not in text
    assert b"Software" not in _png_text_chunks(png)
    # Text from the figure is escaped in the SVG, not injected as markup.
    assert "<figure>" not in text


def test_save_in_one_process_twice_is_identical_and_names_are_checked(tmp_path: Path) -> None:
    with figures.style():
        fig, ax = elements.new_figure()
        ax.plot([1, 2, 3], [3, 1, 2])
        chart = figures.Chart(fig, "Caption «é».", "Alt text.")
        first = [p.read_bytes() for p in figures.save(chart, tmp_path / "one", "x", close=False)]
        second = [p.read_bytes() for p in figures.save(chart, tmp_path / "two", "x")]
    assert first == second
    words = [(tmp_path / d / "figures" / "x.json").read_bytes() for d in ("one", "two")]
    assert words[0] == words[1]
    assert json.loads(words[0]) == {"alt": "Alt text.", "caption": "Caption «é»."}
    with pytest.raises(ValueError, match=r"figure name '\.\./evil'"):
        figures.save(figures.Chart(plt.figure(), "c", "a"), tmp_path, "../evil")


def test_a_figure_without_caption_or_alt_text_is_refused(tmp_path: Path) -> None:
    bare = plt.figure()
    with pytest.raises(TypeError, match="expected a Chart"):
        figures.save(bare, tmp_path, "bare")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs a caption and an alt text"):
        figures.Chart(bare, "caption", " ")
    plt.close(bare)
    assert not (tmp_path / "figures").exists()


def test_source_colours_differ_in_grey_and_markers_hatches_differ() -> None:
    for looks in (theme.LOOKS, theme.CATEGORY_LOOKS):
        greys = sorted(theme.luminance(look.color) for look in looks.values())
        assert min(b - a for a, b in itertools.pairwise(greys)) >= 0.06, greys
        assert len({look.marker for look in looks.values()}) == len(looks)
        assert len({look.hatch for look in looks.values()}) == len(looks)


def test_luminance_matches_wcag_reference_values() -> None:
    assert theme.luminance("#ffffff") == pytest.approx(1.0)
    assert theme.luminance("#000000") == 0.0
    assert theme.luminance("#808080") == pytest.approx(0.2158605, abs=1e-6)


def test_range_bars_draw_each_interval_from_low_to_high() -> None:
    with figures.style():
        fig, ax = elements.new_figure()
        elements.range_bars(ax, [0, 1, 2], [10, 5, 7], [20, 5, 9], "airwars", horizontal=True)
        bars = ax.patches
        spans = [(round(b.get_x(), 6), round(b.get_x() + b.get_width(), 6)) for b in bars]
        exact = [line for line in ax.lines if line.get_marker() == theme.look("airwars").marker]
        plt.close(fig)
    assert spans == [(10, 20), (5, 5), (7, 9)]
    assert len(exact) == 1 and list(exact[0].get_xdata()) == [5.0]


def test_unknown_look_names_the_key() -> None:
    with pytest.raises(KeyError, match="no figure look for 'sohr2'"):
        theme.look("sohr2")


def test_shares_table_against_hand_computation() -> None:
    ranges = pd.DataFrame(
        {
            "category": ["civilians", "children", "women", "civilian_men"],
            "low": [100.0, 20.0, 10.0, 40.0],
            "high": [200.0, 50.0, 30.0, 60.0],
        }
    )
    got = one_year.shares_table(ranges).set_index("measure")
    children = got.loc["children among civilians"]
    assert children["low"] == pytest.approx(20 / 200)
    assert children["high"] == pytest.approx(50 / 100)
    assert children["of_minimums"] == pytest.approx(0.2)
    assert children["of_maximums"] == pytest.approx(0.25)
    dwi = got.loc["Dirty War Index (women and children)"]
    assert dwi["of_minimums"] == pytest.approx(100 * 30 / 70)
    assert dwi["of_maximums"] == pytest.approx(100 * 80 / 140)
    assert 0 <= dwi["low"] <= dwi["of_minimums"] <= dwi["high"] <= 100


def test_per_claim_keeps_one_row_per_claim_and_lists_speaking_sources() -> None:
    rows = pd.DataFrame(
        {
            "claim_id": ["A", "A", "A", "B"],
            "statement": ["s", "s", "s", "t"],
            "claim_range": ["[1, 1]"] * 3 + ["(2, inf)"],
            "claim_low": [1.0] * 3 + [2.0],
            "claim_high": [1.0] * 3 + [np.inf],
            "source": ["airwars", "vdc_weekly", "ucdp_brd", "airwars"],
            "role": ["both", "upper", "none", "none"],
            "low": [0.0, 0.0, np.nan, np.nan],
            "high": [3.0, 4.0, np.nan, np.nan],
            "evidence_low": [0.0] * 3 + [np.nan],
            "evidence_high": [3.0] * 3 + [np.nan],
            "verdict": ["within_evidence"] * 3 + ["not_checkable"],
            "reason": ["r"] * 3 + ["q"],
        }
    )
    got = ledger.per_claim(rows)
    assert list(got["claim_id"]) == ["A", "B"]
    assert list(got["sources"]) == ["airwars;vdc_weekly", ""]
    assert list(got["verdict"]) == ["within_evidence", "not_checkable"]


@pytest.mark.mirror
@pytest.mark.slow
def test_year_one_ranges_match_plain_pandas(real_tables: None) -> None:
    """The ledger-rule civilians range for Russia's first year, recomputed here."""
    import analysis

    table = analysis.load("airwars")
    got = one_year.category_ranges(table, "russia", "2015-09-30", "2016-09-30")
    civilians = got.set_index("category").loc["civilians"]
    dated = table[table["date"].between("2015-09-30", "2016-09-30")]
    codes = dated["belligerents"].astype("string").fillna("")
    sole = codes.eq("russia") & dated["grading"].astype("string").isin(["Confirmed", "Fair"])
    shared = codes.str.split("|").apply(lambda xs: "russia" in xs) & ~dated["grading"].astype(
        "string"
    ).eq("Discounted").fillna(False)
    low = (
        dated.loc[sole, "civilians_killed_min"]
        .fillna(dated.loc[sole, "civilians_killed_max"])
        .fillna(0)
    )
    high = (
        dated.loc[shared, "civilians_killed_max"]
        .fillna(dated.loc[shared, "civilians_killed_min"])
        .fillna(0)
    )
    assert civilians["low"] == float(low.sum()) == 2554.0
    assert civilians["high"] == float(high.sum())


@pytest.mark.mirror
@pytest.mark.slow
def test_months_add_up_to_the_period_and_named_rules_match_pandas(real_tables: None) -> None:
    import analysis

    table = analysis.load("airwars")
    start, end = "2016-09-30", "2017-09-30"
    months = one_year.monthly(table, "russia", start, end)
    year = one_year.category_ranges(table, "russia", start, end).set_index("category")
    assert months["low"].sum() == year.loc["civilians", "low"]
    assert months["high"].sum() == year.loc["civilians", "high"]
    assert months["month"].iloc[0] == pd.Timestamp("2016-09-01")
    assert months["middle"].iloc[0] == pd.Timestamp(start)  # one day of September inside
    named = one_year.category_ranges(table, "russia", start, end, "confirmed_fair", "sole")
    dated = table[table["date"].between(start, end)]
    chosen = dated[
        dated["belligerents"].astype("string").eq("russia")
        & dated["grading"].astype("string").isin(["Confirmed", "Fair"])
    ]
    children = named.set_index("category").loc["children"]
    assert children["incidents_low"] == len(chosen)
    assert children["low"] == float(
        chosen["children_killed_min"].fillna(chosen["children_killed_max"]).fillna(0).sum()
    )


RANGES = pd.DataFrame(
    {
        "category": ["civilians", "children", "women", "civilian_men"],
        "low": [2554.0, 643.0, 344.0, 750.0],
        "high": [9649.0, 2003.0, 1048.0, 1752.0],
    }
)


def test_tallies_caption_says_whether_published_figures_are_drawn() -> None:
    published = pd.DataFrame(
        {
            "monitor": ["SOHR"],
            "category": ["civilians"],
            "figure": [3804.0],
            "qualifier": ["exact"],
            "low": [3804.0],
            "high": [3804.0],
        }
    )
    kwargs = {"perpetrator": "russia", "start": "2016-09-30", "end": "2017-09-30", "rule": "r"}
    with figures.style():
        without = one_year.tallies_figure(RANGES, published.iloc[0:0], **kwargs)
        drawn = one_year.tallies_figure(RANGES, published, **kwargs)
    plt.close(without.figure)
    plt.close(drawn.figure)
    assert "No published figure covers exactly this perpetrator" in without.caption
    assert "Black bars" not in without.caption and "No published figures." in without.alt
    assert "Black bars and stars are the 1 published figure(s)" in drawn.caption
    assert "SOHR: 3,804 civilians" in drawn.alt and "civilians 2,554 to 9,649" in drawn.alt
    assert "30 Sep 2016 to 30 Sep 2017" in without.caption


def _overlaps(a: object, b: object) -> bool:
    return bool(a.overlaps(b))  # type: ignore[attr-defined]


def test_aleppo_daily_tells_claims_apart_and_keeps_its_legend_off_the_plot() -> None:
    days = pd.DataFrame(
        {
            "date": pd.date_range("2016-09-05", "2016-10-31"),
            "low": 1.0,
            "high": 5.0,
            "incidents": 1,
        }
    )
    claims = pd.DataFrame(
        {
            "monitor": ["unattributed", "SOHR"],
            "publisher": ["The New Arab", "Youm7"],
            "period_start": pd.to_datetime(["2016-09-19", "2016-09-19"]),
            "period_end": pd.to_datetime(["2016-09-30", "2016-11-06"]),
            "figure": [200.0, 458.0],
            "qualifier": ["more_than", "exact"],
            "category": ["civilians", "civilians"],
            "low": [200.0, 458.0],
        }
    )
    with figures.style():
        chart = aleppo.daily_figure(
            days, area="east_aleppo", pivot="2016-09-19", perpetrator="russia", claims=claims
        )
        fig = chart.figure
        fig.canvas.draw()
        ax = fig.axes[0]
        lines = [c for c in ax.collections if c.get_label().startswith(("The article", "SOHR"))]
        styles = {(theme.luminance(c.get_color()[0]), str(c.get_linestyle())) for c in lines}
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        legend = ax.get_legend().get_window_extent(renderer)
        label = next(t for t in ax.texts if "ceasefire" in t.get_text())
        overlaps = [
            _overlaps(legend, ax.get_window_extent(renderer)),
            _overlaps(legend, label.get_window_extent(renderer)),
        ]
    plt.close(fig)
    assert len(lines) == 2 and len(styles) == 2  # differ in grey and in dashes
    assert overlaps == [False, False]
    assert "more than 200 civilians" in chart.alt and "458 civilians" in chart.alt


def test_aleppo_map_legend_covers_no_box() -> None:
    found = pd.DataFrame(
        {
            "date": pd.to_datetime(["2016-09-10", "2016-09-25"]),
            "latitude": [36.2, 36.19],
            "longitude": [37.18, 37.17],
            "low": [1.0, 2.0],
            "high": [3.0, 9.0],
        }
    )
    with figures.style():
        chart = aleppo.incident_map(
            found,
            area="east_aleppo",
            start="2016-09-05",
            end="2016-10-31",
            pivot="2016-09-19",
            perpetrator="russia",
        )
        fig = chart.figure
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        ax = fig.axes[0]
        legend = ax.get_legend().get_window_extent(renderer)
        covered = [_overlaps(legend, p.get_window_extent(renderer)) for p in ax.patches]
    plt.close(fig)
    assert len(covered) == 2 and not any(covered)
    assert "1 incidents at 1 places" in chart.alt and "2 Airwars incidents" in chart.alt


def test_event_lines_stop_below_the_labels_they_would_cross() -> None:
    events = pd.DataFrame(
        {
            "date": pd.to_datetime(["2016-12-22", "2016-12-30", "2017-05-06"]),
            "label": ["East Aleppo evacuated", "Nationwide truce", "De-escalation zones"],
        }
    )
    with figures.style():
        fig, ax = elements.new_figure()
        ax.set_xlim(pd.Timestamp("2016-09-25"), pd.Timestamp("2017-10-05"))
        ax.set_ylim(0, 100)
        elements.mark_events(ax, events)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        boxes = [t.get_window_extent(renderer) for t in ax.texts]
        lines = [line.get_window_extent(renderer) for line in ax.lines]
    plt.close(fig)
    assert len(lines) == 3
    crossings = [
        (i, j)
        for i, line in enumerate(lines)
        for j, box in enumerate(boxes)
        if i != j and box.x0 <= line.x0 <= box.x1 and line.y1 > box.y0
    ]
    assert crossings == []
    assert lines[1].y1 < boxes[0].y0 < lines[0].y1  # the truce's line stops under the label


def test_claims_figure_legend_shows_dashes_and_the_star_and_its_caption_names_colours() -> None:
    from fixtures.claims.tables import CLAIMS, small_tables

    from analysis.claims import ledger as checked
    from analysis.claims.format import read_claims

    rows = checked.check(read_claims(CLAIMS / "good.csv"), small_tables()).rows
    with figures.style():
        chart = ledger.ledger_figure(rows)
    ax = chart.figure.axes[0]
    legend = ax.get_legend()
    assert "A claim of one exact number" in [t.get_text() for t in legend.get_texts()]
    assert legend.handlelength >= 4  # long enough to show each source's dashes
    # verdict words start clear of the arrowheads drawn at the right edge of the axes
    verdicts = [t for t in ax.texts if t.get_text()[:1] in labels.VERDICT_SHAPES.values()]
    assert verdicts and all(t.get_position()[0] >= 1.03 for t in verdicts)
    assert "in black (a star where it is one exact number)" in chart.caption
    assert "Airwars incidents blue" in chart.caption and "(light orange)" in chart.caption
    plt.close(chart.figure)
