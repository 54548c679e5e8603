"""Arabic morphology every text module reads: the clitics written onto a word and the endings it may take.

The letters and endings are data (data/arabic.json), folded like the text they are matched against
(normalize.fold). A word may carry, in this order, a conjunction (و ف), a one-letter preposition (ب ل ك)
and the article (ال); ل before the article drops the article's alef (ل + الرقة -> «للرقة»). From these:

    PROCLITICS   every conjunction + preposition sequence, the empty one included: «», «و», «وب», «فل» ...
    PREFIXES     PROCLITICS with and without the article: «ال», «وال», «بال», «لل», «ولل» ... («» excluded)
    with_proclitics(words)   every form of each word after the proclitics, mapped to the word
    proclitic_length(prefix), is_definite(prefix)   what of a prefix is proclitics, and whether it is definite
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from itertools import product
from pathlib import Path

from conflict_text.normalize import fold

_RAW = json.loads((Path(__file__).resolve().parent / "data" / "arabic.json").read_text("utf-8"))

CONJUNCTIONS: tuple[str, ...] = tuple(fold(c) for c in _RAW["conjunctions"])
AND = CONJUNCTIONS[0]  # «و»
PREPOSITIONS: tuple[str, ...] = tuple(fold(p) for p in _RAW["prepositions"])
WITH = PREPOSITIONS[0]  # «ب»
LI = fold(_RAW["li"])  # «ل»
ARTICLE = fold(_RAW["article"])  # «ال»
LI_ARTICLE = LI + ARTICLE[1:]  # «لل»: ل + ال
WITH_ARTICLE = WITH + ARTICLE  # «بال»
ATTACHED_PRONOUNS: tuple[str, ...] = tuple(fold(p) for p in _RAW["attached_pronouns"])
NISBA = fold(_RAW["nisba"])
FEMININE = fold(_RAW["feminine"])
ALEF_MAQSURA = _RAW["alef_maqsura"]  # not folded: folding turns it into ي
PLURAL_VERB_ENDING = fold(_RAW["verb_endings"]["plural"])
DUAL_VERB_ENDING = fold(_RAW["verb_endings"]["dual"])
PROCLITIC_LETTERS = frozenset(CONJUNCTIONS + PREPOSITIONS)


def _with_article(proclitics: str) -> str:
    return proclitics[:-1] + LI_ARTICLE if proclitics.endswith(LI) else proclitics + ARTICLE


PROCLITICS: frozenset[str] = frozenset(c + p for c, p in product(("", *CONJUNCTIONS), ("", *PREPOSITIONS)))
PREFIXES: frozenset[str] = (PROCLITICS - {""}) | {_with_article(p) for p in PROCLITICS}


def with_proclitics(vocab: Iterable[str], proclitics: Iterable[str] = PROCLITICS) -> dict[str, str]:
    """Every token that is a word of `vocab`, alone or after proclitics, mapped to the word.

    Built once so that stripping a proclitic is one dict lookup per token. The word alone wins over
    a proclitic reading, one proclitic over two; a proclitic needs at least two letters after it.
    """
    forms = {}
    words = list(vocab)
    for clitic in sorted(proclitics, key=len, reverse=True):  # later (shorter) clitics win
        for word in words:
            if not clitic or len(word) > 1:
                forms[clitic + word] = word
    return forms


def proclitic_length(prefix: str) -> int:
    """Length of the proclitics (و ف ب ل ك) of a clitic prefix: the article stays in the surface."""
    for article in (ARTICLE, LI_ARTICLE):
        if prefix.endswith(article):
            return len(prefix) - len(article)
    return len(prefix)


def is_definite(prefix: str) -> bool:
    """Whether a clitic prefix carries the article («ال», «بال», and «لل», which is ل + ال)."""
    return ARTICLE in prefix or prefix.endswith(LI_ARTICLE)


def ends_with_pronoun(word: str) -> bool:
    """Whether a word longer than a bare noun ends in an attached pronoun that ends no name («قصفها»)."""
    return len(word) > 4 and word.endswith(ATTACHED_PRONOUNS)
