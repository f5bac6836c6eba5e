"""No name of the dead reaches a committed file or a report."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import paths, privacy

VICTIMS = [
    [
        {"الاسم الأصلي/المنقول": "Samir Khalil Haddad", "الاسم المحلي": "سمير خليل حداد"},
        {"الاسم الأصلي/المنقول": "Unnamed child"},
        {"الاسم الأصلي/المنقول": "Mohammed"},
        {"الاسم الأصلي/المنقول": "Member of the Darwish family"},
    ]
]


def test_only_names_of_two_naming_words_are_searched() -> None:
    names = privacy.names_from_victims(VICTIMS)
    assert names == {"samir khalil haddad", "سمير خليل حداد"}


def test_names_match_as_whole_words_whatever_the_case_and_punctuation() -> None:
    names = privacy.names_from_victims(VICTIMS)
    assert privacy.find_names("<td>SAMIR  khalil-Haddad</td>", names) == {"samir khalil haddad"}
    assert privacy.find_names("the Samir Khalil Haddadin family", names) == set()
    assert privacy.find_names("قتل سمير خليل حداد أمس", names) == {"سمير خليل حداد"}


def test_scan_reports_counts_not_names(tmp_path: Path) -> None:
    leaky = tmp_path / "leaky.html"
    leaky.write_text("<p>Samir Khalil Haddad</p>", encoding="utf-8")
    clean = tmp_path / "clean.csv"
    clean.write_text("claim,low\nC1,6145\n", encoding="utf-8")
    names = privacy.names_from_victims(VICTIMS)
    assert privacy.scan_files([leaky, clean], names) == {leaky: 1}


def _every_window(text: str, names: privacy.NameSet) -> set[str]:
    """The plain search: every run of words of every name length, looked up."""
    words = privacy.fold(text).split()
    return {
        " ".join(words[start : start + size])
        for size in names.sizes
        for start in range(len(words) - size + 1)
    } & names


WORDS = st.sampled_from(["samir", "khalil", "haddad", "ali", "the", "of", "Ali-Haddad", "x"])


@given(
    st.lists(st.lists(WORDS, min_size=1, max_size=4).map(" ".join), max_size=6),
    st.lists(WORDS, max_size=40).map(" ".join),
)
def test_find_names_equals_looking_up_every_window(names: list[str], text: str) -> None:
    folded = privacy.NameSet(privacy.fold(n) for n in names if privacy.fold(n))
    assert privacy.find_names(text, folded) == _every_window(text, folded)


@pytest.fixture(scope="module")
def victim_names(mirror: str) -> privacy.NameSet:
    return privacy.airwars_victim_names()


@pytest.mark.mirror
def test_the_archive_lists_named_victims(victim_names: privacy.NameSet) -> None:
    # the check is only meaningful if it has names to look for: about 20,000 victim records
    assert len(victim_names) > 10_000


@pytest.mark.mirror
def test_no_committed_file_holds_a_victim_name(victim_names: privacy.NameSet) -> None:
    listed = subprocess.run(
        ["git", "ls-files"], cwd=paths.ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert listed, "git ls-files listed nothing"
    assert privacy.scan_files([paths.ROOT / f for f in listed], victim_names) == {}


@pytest.mark.slow
@pytest.mark.mirror
def test_no_tidy_table_holds_a_victim_name(victim_names: privacy.NameSet) -> None:
    from analysis import load

    table = load("airwars")
    text = table.astype("string").fillna("").to_csv(index=False)
    assert privacy.find_names(text, victim_names) == set()
