"""The phrase matcher: every cue list of the lexicon found in one pass of one Aho-Corasick automaton."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

import ahocorasick

# Every cue list is matched by one Aho-Corasick automaton, in one pass over the text of a document. A
# list's phrase matches where a word starts (no letter before), optionally after one of the list's
# clitics, and ends where a word ends (no letter after); the words of a phrase are joined in the text by
# any run of white space, «-», «–», «/», or by nothing («ارض-ارض», «ارضارض» for «ارض ارض»).
#
# A match is the tuple (start, -clitic length, rank, end), where rank is the phrase followed by U+FFFF.
# Sorting the matches that start at one place puts first the one a regex
# `(?<![^\W\d_])(?:clitic|...)?(?:phrase|...)(?![^\W\d_])` returns there: the longest clitic, then the
# phrase met first in a depth-first walk of the phrase trie (characters in code point order, a phrase
# before the phrases it is a prefix of). `Document.phrases` reproduces `finditer` and `search` of such a
# regex from these matches, so the rules of the figures are unchanged by the move from regexes.

PhraseMatch = tuple[int, int, str, int]  # (start, -clitic length, rank, end), as described above

# What joins the words of a phrase: `[\s\-–/]` (`\s` is str.isspace; test_figures checks the list).
JOINER_CHARS = frozenset(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000-–/"
)
JOINER_RUN = re.compile(r"[\s\-–/]+")


def is_letter(ch: str) -> bool:
    r"""`[^\W\d_]` for one character, without the cost of a regex call."""
    return ch.isalnum() and not ch.isdecimal()


def one_after_another(matches: list[PhraseMatch], pos: int) -> list[PhraseMatch]:
    """The matches `finditer` returns from `pos`, out of all possible ones (sorted): the preferred match at
    the leftmost place, then the same from its end on."""
    found = []
    for m in matches:
        if m[0] >= pos:
            found.append(m)
            pos = m[3]
    return found


class PhraseMatcher:
    """All phrase lists in one automaton; `scan` returns every possible match of every list in a text."""

    def __init__(self, lists: dict[str, tuple[list[str], tuple[str, ...]]]):
        """`lists`: name -> (folded phrases, clitics that may precede them)."""
        forms: dict[str, list[tuple[str, int, str]]] = {}
        for name, (phrases, clitics) in lists.items():
            for phrase in {phrase_key(p) for p in phrases if phrase_key(p)}:
                words = phrase.split(" ")
                rank = phrase + "\uffff"
                # the automaton reads phrases joined by one space or by nothing; `_across_joiners` does the rest
                for glue in product((" ", ""), repeat=len(words) - 1):
                    written = words[0] + "".join(g + w for g, w in zip(glue, words[1:]))
                    for clitic in ("",) + clitics:
                        forms.setdefault(clitic + written, []).append((name, -len(clitic), rank))
        if any(not is_letter(ch) for form in forms for ch in form.replace(" ", "")):
            raise ValueError("phrases and clitics must be letters and spaces")
        self.lists = lists
        self.longest = max(map(len, forms))
        self.automaton = ahocorasick.Automaton()
        self.joined = ahocorasick.Automaton()  # the phrases of several words only
        for form, owners in forms.items():
            self.automaton.add_word(form, (len(form), tuple(owners)))
            if " " in form:
                self.joined.add_word(form, (len(form), tuple(owners)))
        # Joiners other than one space are reported too, to find the phrases written across them.
        for joiner in (JOINER_CHARS - {" "}) | {"  "}:
            self.automaton.add_word(joiner, None)
        self.automaton.make_automaton()
        self.joined.make_automaton()
        # A phrase read across a joiner run has one of its words right before the run and the next right
        # after it, each a whole letter run of the text: a run without such words is not read again.
        words = [form.split(" ") for form in forms if " " in form]
        self.words_before_joiner = frozenset(w for parts in words for w in parts[:-1])
        self.words_after_joiner = frozenset(w for parts in words for w in parts[1:])

    def scan(self, text: str) -> dict[str, list[PhraseMatch]]:
        """List name -> its matches in `text`, sorted by start, then by preference (lists without any left out)."""
        found: dict[str, list] = {}
        odd_joiners = []
        n = len(text)
        for last, hit in self.automaton.iter(text):
            if hit is None:
                odd_joiners.append(last)
                continue
            length, owners = hit
            start = last + 1 - length
            end = last + 1
            # is_letter inlined: this loop sees every word ending of the text
            if start:
                ch = text[start - 1]
                if ch.isalnum() and not ch.isdecimal():
                    continue
            if end < n:
                ch = text[end]
                if ch.isalnum() and not ch.isdecimal():
                    continue
            for name, clitic, rank in owners:
                matches = found.get(name)
                if matches is None:
                    found[name] = matches = []
                matches.append((start, clitic, rank, end))
        if odd_joiners:
            self._across_joiners(text, odd_joiners, found)
        for matches in found.values():
            if len(matches) > 1:
                matches.sort()
        return found

    def _across_joiners(self, text: str, odd_joiners: list[int], found: dict[str, list]) -> None:
        """Adds the phrases of several words written across a joiner run other than one space («ارض - ارض»)."""
        n = len(text)
        added = set()
        run_end = -1
        for pos in odd_joiners:
            if pos < run_end:
                continue  # inside the run already read
            a = pos
            while a > 0 and text[a - 1] in JOINER_CHARS:
                a -= 1
            run_end = pos + 1
            while run_end < n and text[run_end] in JOINER_CHARS:
                run_end += 1
            word_start = a
            while word_start > 0 and is_letter(text[word_start - 1]):
                word_start -= 1
            word_end = run_end
            while word_end < n and is_letter(text[word_end]):
                word_end += 1
            if (
                text[word_start:a] not in self.words_before_joiner
                or text[run_end:word_end] not in self.words_after_joiner
            ):
                continue
            # a window holding `longest` non-joiner characters on each side holds every phrase across the run
            lo, seen = a, 0
            while lo > 0 and seen < self.longest:
                lo -= 1
                seen += text[lo] not in JOINER_CHARS
            hi, seen = run_end, 0
            while hi < n and seen < self.longest:
                seen += text[hi] not in JOINER_CHARS
                hi += 1
            # the window with every joiner run as one space, and the text index of each of its characters
            pieces, index, last = [], [], lo
            for m in JOINER_RUN.finditer(text, lo, hi):
                pieces.append(text[last : m.start()])
                index.extend(range(last, m.start()))
                pieces.append(" ")
                index.append(m.start())
                last = m.end()
            pieces.append(text[last:hi])
            index.extend(range(last, hi))
            window = "".join(pieces)
            for w_last, (length, owners) in self.joined.iter(window):
                start, end = index[w_last + 1 - length], index[w_last] + 1
                if not start < a < end:
                    continue
                if (start and is_letter(text[start - 1])) or (end < n and is_letter(text[end])):
                    continue
                for name, clitic, rank in owners:
                    if (name, start, clitic, rank, end) not in added:
                        added.add((name, start, clitic, rank, end))
                        found.setdefault(name, []).append((start, clitic, rank, end))


# The look-ups below are memoised per token of the articles read: bounded, as a run over a million articles
# meets millions of distinct tokens (25 real articles already give 1,200 distinct keys).
TOKEN_CACHE_SIZE = 1 << 16


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def phrase_key(text: str) -> str:
    return JOINER_RUN.sub(" ", text).strip()
