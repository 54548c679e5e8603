"""The morphology every text module shares (conflict_text/arabic.py, data/arabic.json)."""

import re
from pathlib import Path

import pytest

from conflict_text.arabic import (
    LI_ARTICLE,
    PREFIXES,
    PROCLITICS,
    ends_with_pronoun,
    is_definite,
    proclitic_length,
    with_proclitics,
)
from conflict_text.normalize import fold


def test_proclitics_are_a_conjunction_then_a_preposition():
    assert {"", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فل"} <= PROCLITICS
    assert not {"بو", "لف", "ال"} & PROCLITICS  # a preposition never comes before a conjunction


def test_the_article_after_li_loses_its_alef():
    assert LI_ARTICLE == "لل"
    assert {"ال", "وال", "بال", "لل", "ولل", "فلل", "وبال"} <= PREFIXES
    assert "لال" not in PREFIXES and "" not in PREFIXES


@pytest.mark.parametrize(
    "prefix, proclitics, definite",
    [("", 0, False), ("و", 1, False), ("ال", 0, True), ("وبال", 2, True), ("لل", 0, True), ("ولل", 1, True)],
)
def test_a_prefix_splits_into_proclitics_and_article(prefix, proclitics, definite):
    assert (proclitic_length(prefix), is_definite(prefix)) == (proclitics, definite)


def test_with_proclitics_maps_each_written_form_to_its_word():
    forms = with_proclitics([fold("مدينة"), "ب"])
    assert forms[fold("ومدينة")] == forms[fold("بمدينة")] == fold("مدينة")
    assert "وب" not in forms  # a one-letter word takes no proclitic: «وب» is not و + ب
    assert forms["ب"] == "ب"


def test_a_pronoun_suffix_ends_no_name_but_a_short_word_keeps_its_letters():
    assert ends_with_pronoun(fold("قصفها")) and ends_with_pronoun(fold("بينهم"))
    assert not ends_with_pronoun(fold("حماة")) and not ends_with_pronoun(fold("منها"))


@pytest.mark.parametrize(
    "module",
    [
        "arabic",
        "dates",
        "entities",
        "entity_patterns",
        "events",
        "gazetteer",
        "numbers",
        "places",
        "victims",
        "tokens",
        "sentences",
    ],
)
def test_the_text_modules_know_no_arabic_letter_outside_their_comments(module):
    """Their clitics, endings, month names and cue words are data (conflict_text/data/)."""
    path = Path(__file__).resolve().parents[2] / "conflict_text" / f"{module}.py"
    code = "\n".join(line.split("#")[0] for line in path.read_text("utf-8").splitlines())
    code = re.sub(r'"""(?:.|\n)*?"""', "", code)
    assert sorted(set(re.findall(r"[\u0621-\u064a]+", code))) == [], module
