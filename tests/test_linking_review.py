"""The review page on hand-made records: pairs in words, escaped, names withheld,
and a save button writing the judgements file's columns."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.linking import review, validation
from analysis.privacy import names_from_victims


def _tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    airwars = pd.DataFrame(
        {
            "sequence": [1, 2],
            "incident_code": ["RS1", "RS2"],
            "airwars_url": ["https://airwars.org/civilian-casualties/rs1/"] * 2,
            "date": pd.to_datetime(["2016-03-01", "2016-03-02"]),
            "date_end": pd.to_datetime([None, "2016-03-04"]),
            "location": ["<script>alert(1)</script> Kafr Zita", None],
            "latitude": [35.0, 35.1],
            "longitude": [36.0, 36.1],
            "civilians_killed_min": pd.array([2, None], dtype="Int64"),
            "civilians_killed_max": pd.array([5, None], dtype="Int64"),
            "belligerents_original": ["Russian Military"] * 2,
            "grading_original": ["Fair", "Weak"],
        }
    )
    ged = pd.DataFrame(
        {
            "id": [10, 20],
            "date_start": pd.to_datetime(["2016-03-01", "2016-02-20"]),
            "date_end": pd.to_datetime(["2016-03-01", "2016-03-05"]),
            "date_prec": [1, 5],
            "where_coordinates": ["Kafr Zita town", "Hama town"],
            "adm_1": ["Hama"] * 2,
            "adm_2": ["Muhradah"] * 2,
            "latitude": [35.0, 35.1],
            "longitude": [36.0, 36.1],
            "where_prec": [1, 1],
            "deaths_civilians": [4, 30],
            "best": [4, 41],
            "dyad_name": ["Government of Syria - Syrian insurgents"] * 2,
            "source_headline": ["Air strike on Kafr Zita", "Strike kills Jamil Abu Omar"],
        }
    )
    pairs = pd.DataFrame(
        {
            "sequence": [1, 2, 1],
            "ged_id": [10, 20, 20],
            "distance_km": [0.0, 0.0, 14.2],
            "date_gap_days": [0, 0, 0],
            "match_probability": [0.97, 0.4, 0.01],
        }
    )
    return airwars, ged, pairs


def test_review_page_shows_pairs_in_words_and_saves_the_judgements_format(
    tmp_path: Path,
) -> None:
    airwars, ged, pairs = _tables()
    judged = pd.DataFrame({"sequence": [1], "ged_id": [20]})
    names = names_from_victims([[{"الاسم المحلي": "Jamil Abu Omar"}]])
    target = review.write_review(tmp_path / "review.html", pairs, judged, airwars, ged, names, 5)
    text = target.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;" in text
    assert "Jamil" not in text and "withheld: it names a person" in text
    assert "over 15 days, 20 February 2016 to 5 March 2016" in text
    assert "on 1 March 2016" in text
    assert "https://ucdp.uu.se/event/10" in text and "airwars.org/civilian-casualties" in text
    assert "2 candidate pairs drawn at random from 2" in text  # the judged pair is left out
    header = ",".join(f'"{c}"' for c in validation.JUDGEMENT_COLUMNS)
    assert f"[{header}]" in text


def test_review_draws_only_unjudged_pairs_and_refuses_zero() -> None:
    _, _, pairs = _tables()
    judged = pd.DataFrame({"sequence": [1, 2], "ged_id": [10, 20]})
    chosen = review.draw(pairs, judged, 5)
    assert list(zip(chosen["sequence"], chosen["ged_id"], strict=True)) == [(1, 20)]
    with pytest.raises(ValueError, match="at least 1 pair"):
        review.draw(pairs, judged, 0)
