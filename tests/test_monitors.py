"""Who documented each record, on hand-made inputs: links and outlet names to monitor
ids, unmapped values to `other` (counted, never an error), `unknown` when nothing was
captured, a bad vocabulary file refused, and the mapping safe on any text."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import monitors
from analysis.errors import RawFileError
from analysis.importers import airwars, ucdp_ged
from analysis.linking import independence


@pytest.mark.parametrize(
    ("url", "name", "expected"),
    [
        ("https://www.syriahr.com/en/12345/", None, "sohr"),
        ("http://news.sn4hr.org/2016/10/01/x/", None, "snhr"),  # a host under a domain
        ("https://eng.mil.ru/en/news_page/country/more.htm?id=1", None, "russian_mod"),
        ("https://twitter.com/SyriaCivilDefe/status/1", None, "syria_civil_defence"),  # account
        ("https://m.facebook.com/LCCSy/posts/2", None, "lcc"),  # mobile host, any case
        ("https://www.facebook.com/someone/posts/3", None, "social_media"),
        # a generic host gives way to a known outlet name
        ("https://www.facebook.com/permalink.php?id=4", "Violations Documentation Center", "vdc"),
        ("https://archive.is/AbCd", "'@SOHR (2)", "sohr"),
        ("https://archive.is/AbCd", None, "other"),  # known host, mapped to other
        ("", "Syrian Network for Human Rights", "snhr"),  # a name without a link
        ("https://www.vdc-sy.info/index.php/en/details/martyrs/1", "Smart News", "vdc"),
    ],
)
def test_links_map_to_their_monitor(url: str, name: str | None, expected: str) -> None:
    unmapped = monitors.Unmapped()
    assert monitors.of_link(url, name, unmapped) == expected
    assert not unmapped.values


def test_an_unknown_host_or_spelling_is_other_and_reported() -> None:
    unmapped = monitors.Unmapped()
    assert monitors.of_link("https://www.no-such-outlet.example/a", None, unmapped) == "other"
    assert monitors.of_link("https://sub.no-such-outlet.example/b", "Nobody", unmapped) == "other"
    assert monitors.of_name("  Qarya Weekly ", unmapped) == "other"
    assert unmapped.values == {
        "no-such-outlet.example": 1,
        "sub.no-such-outlet.example": 1,
        "Qarya Weekly": 1,
    }
    entry = unmapped.log_entry(rows=2, what="a link's host or name:")
    assert entry["flag"] == "cites_unmapped"
    assert entry["rows"] == 2
    assert entry["values"] == dict(unmapped.values)


@pytest.mark.parametrize("empty", [None, "", "   ", "''", float("nan")])
def test_nothing_captured_is_unknown(empty: object) -> None:
    assert monitors.of_link(empty, empty) is None  # type: ignore[arg-type]
    assert monitors.of_name(empty) is None  # type: ignore[arg-type]
    assert monitors.cites([monitors.of_link(empty, None)]) == "unknown"  # type: ignore[arg-type]
    assert monitors.claimant(empty) == "unknown"  # type: ignore[arg-type]


def test_cites_are_sorted_unique_and_joined() -> None:
    assert monitors.cites(["vdc", "sohr", None, "snhr", "sohr"]) == "snhr|sohr|vdc"
    assert monitors.cites([]) == "unknown"
    assert monitors.monitors_of("snhr|sohr") == {"snhr", "sohr"}
    assert monitors.monitors_of("unknown") == frozenset()


def test_the_articles_claimant_is_sohr() -> None:
    assert monitors.claimant("SOHR") == "sohr"
    assert monitors.claimant("Syrian Observatory for Human Rights") == "sohr"


def test_a_ged_event_cites_its_office_and_original_sources() -> None:
    unmapped = monitors.Unmapped()
    assert ucdp_ged.event_cites("SOHR;SOHR;Reuters News", "SOHR", unmapped) == "news_agency|sohr"
    assert ucdp_ged.event_cites("SOHR", "SOHR, airwars", unmapped) == "airwars|sohr"
    assert ucdp_ged.event_cites("Air Wars", "SOHR Airwars", unmapped) == "airwars|sohr"
    assert ucdp_ged.event_cites("The Independent (in SOHR)", None, unmapped) == "sohr"
    assert not unmapped.values
    assert ucdp_ged.event_cites("Qarya Weekly", "", unmapped) == "other"
    assert unmapped.values == {"Qarya Weekly": 1}
    assert ucdp_ged.event_cites(None, None) == "unknown"


def _link(url: str, text: str, category: str = "روابط خارجية") -> dict[str, object]:
    return {"url": url, "category": category, "data": {"نص الرابط — الأصل": text}}


def test_an_airwars_case_cites_its_links_but_not_its_navigation() -> None:
    case = {
        "sources": [
            {"رابط المصدر": "https://twitter.com/someone/status/1", "اسم المصدر — الأصل": "SOHR"},
            {"رابط المصدر": "https://unheard-of.example/x", "اسم المصدر — الأصل": "Qarya"},
        ],
        "api_links": [{"url": "https://www.vdc-sy.info/x", "category": "روابط تقارير"}],
        "additional_links": [
            _link("https://airwars.org/country/syria/", "Syria", "روابط داخل Airwars"),
            _link("#sources", "Sources"),  # an anchor on the page itself
            _link("https://www.facebook.com/snhr/posts/1", ""),
        ],
    }
    unmapped = monitors.Unmapped()
    assert airwars.case_cites(case, unmapped) == "other|snhr|sohr|vdc"
    assert unmapped.values == {"unheard-of.example": 1}
    own_image = {
        "url": "https://airwars.org/wp-content/uploads/2017/09/geo.png",
        "category": "روابط داخل Airwars",
    }
    navigation_only = {
        "sources": [],
        "api_links": [own_image],
        "additional_links": case["additional_links"][:2],
    }
    assert airwars.case_cites(navigation_only) == "unknown"
    assert airwars.case_cites({}) == "unknown"


def test_ged_events_are_classed_by_whether_they_rest_on_airwars() -> None:
    cites = pd.Series(["sohr", "airwars", "airwars|sohr", "unknown", None, "other|vdc"])
    assert list(independence.of_events(cites)) == [
        "independent",
        "circular",
        "mixed",
        "mixed",  # sources not captured are never independent
        "mixed",
        "independent",
    ]


def _vocabulary(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "monitors.csv"
    path.write_text("monitor,match,pattern,note\n" + rows, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("sohr,domain,syriahr.com,\nvdc,domain,SyriaHR.com,\n", "given to sohr and vdc"),
        ("observatory,domain,syriahr.com,\n", "expected a monitor"),
        ("sohr,regex,syriahr,\n", "expected a monitor"),
        ("sohr,name,(unclosed,\n", "bad pattern"),
        ("sohr,domain,,\n", "expected a monitor"),
    ],
)
def test_a_bad_vocabulary_is_refused_naming_the_line(
    tmp_path: Path, rows: str, message: str
) -> None:
    with pytest.raises(RawFileError, match=re.escape(message)):
        monitors.load_vocabulary(_vocabulary(tmp_path, rows))


def test_the_committed_vocabulary_loads_and_names_only_known_monitors() -> None:
    vocab = monitors.load_vocabulary()
    assert set(vocab.domains.values()) | set(vocab.accounts.values()) <= set(monitors.MONITORS)
    assert {m for _, m in vocab.names} <= set(monitors.MONITORS)


_CITES = re.compile(monitors.CITES_PATTERN)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.none(), st.text(), st.from_regex(r"https?://[^\s]{0,40}", fullmatch=True)),
    st.one_of(st.none(), st.text()),
)
def test_the_mapping_never_fails_on_any_text(url: str | None, name: str | None) -> None:
    unmapped = monitors.Unmapped()
    found = monitors.of_link(url, name, unmapped)
    assert found is None or found in monitors.MONITORS
    by_name = monitors.of_name(name, unmapped)
    assert by_name is None or by_name in monitors.MONITORS
    assert _CITES.fullmatch(monitors.cites([found, by_name]))
    assert _CITES.fullmatch(ucdp_ged.event_cites(name, url, unmapped))
