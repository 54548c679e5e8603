"""Qualifiers of a number («نحو», «أكثر من», «على الأقل») and the bounds they imply."""

from __future__ import annotations

import re

from conflict_text.arabic import ARTICLE
from conflict_text.figures.lexicon import grammar, lexicon
from conflict_text.figures.phrases import JOINER_CHARS, phrase_key

_TOLL_WORDS = grammar().toll_words
_TOLL_TAIL = re.compile(r"\s*(?:" + "|".join(map(re.escape, _TOLL_WORDS)) + r")\s+\S+\s*$")

_ARTICLE_TAIL = re.compile(r"\s*" + re.escape(ARTICLE) + r"\s*$")


def qualifier_before(text: str, pos: int, floor: int) -> str | None:
    lex = lexicon()
    window = text[max(floor, pos - 34) : pos]
    window = _ARTICLE_TAIL.sub("", window) if window.endswith((ARTICLE, ARTICLE + " ")) else window  # «قرابة الـ30»
    m = search_qualifier_before(window)
    if m is None and any(w in window for w in _TOLL_WORDS):  # «تجاوز عدد القتلى 500»
        shorter = _TOLL_TAIL.sub("", window)
        if shorter != window:
            m = search_qualifier_before(shorter)
    return lex.qual_before[phrase_key(m.group("q"))] if m else None


# what qual_before_re allows after its phrase: `[\s\"“«]`
_QUALIFIER_BEFORE_TAIL = "".join(sorted(c for c in JOINER_CHARS if c.isspace())) + '"“«'


def search_qualifier_before(window: str) -> re.Match | None:
    """`qual_before_re.search(window)`. Its phrase ends where only white space and quotes follow, so a window
    that does not end so with the last word of a qualifier (most windows) holds none: no search then."""
    lex = lexicon()
    if not window.rstrip(_QUALIFIER_BEFORE_TAIL).endswith(lex.qual_before_last_words):
        return None
    return lex.qual_before_re.search(window)


def qualifier_after(text: str, pos: int, ceil: int) -> str | None:
    lex = lexicon()
    m = lex.qual_after_re.match(text[pos : min(ceil, pos + 30)])
    return lex.qual_after[phrase_key(m.group("q"))] if m else None


def qualifier_rules(qualifier: str) -> tuple[str, ...]:
    """The rule that set a qualifier other than the default «exact»."""
    if qualifier == "vague":
        return ("vague-quantity",)
    return () if qualifier == "exact" else ("qualifier-phrase",)


def value_bounds(value: int | None, qualifier: str) -> tuple[int | None, int | None]:
    if value is None:
        return None, None
    if qualifier == "exact":
        return value, value
    if qualifier in ("at_least", "more_than"):
        return value, None
    if qualifier == "less_than":
        return None, value - 1
    return None, None
