"""Casualty and munition figures from the cleaned body of an Arabic news article.

    extract_figures(body, mentions, published_date) -> Figures

Pure functions, no I/O beyond reading the data files once. The rules are data: number words in
data/number_words.json, cue words in data/figure_lexicon.json. The engine:

1. normalise the body (offset map back to the original), split sentences; find the phrases of every cue
   list in one pass of one Aho-Corasick automaton (each later «does list X occur here» is a bisect);
2. candidates per sentence: number expressions (numbers.scan_numbers), dual nouns («طفلان», «قذيفتي»),
   singular nouns next to an outcome cue («مقتل امرأة», «ورجل استشهد»), «أحدهم طفل», weapon nouns;
3. each number reads its head noun (what is counted: a weapon -> munition figure; a victim or outcome noun;
   a unit of time, distance, target ... -> not a figure) and its outcome cue (nearest before it in the
   sentence, or a verb right after it), qualifier phrases, dates/labels/threats/COVID filters;
4. structure: breakdowns («بينهم», «منهم», «أحدهم») link to their parent; definite numbers («الـ13»)
   refer back; repeated statements of one fact across sentences are merged; earlier tolls that the text
   says were raised are superseded; denied figures are disputed;
5. location, perpetrator, claimant from the entity mentions, period from explicit dates.
All offsets in the result index the original body.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from itertools import islice, product, repeat
from importlib import resources
from typing import NamedTuple, Sequence

import ahocorasick

from conflict_text.models import CasualtyFigure, EntityMention, Figures, MunitionFigure
from conflict_text.normalize import fold, normalize
from conflict_text.numbers import NumberSpan, extend_marks, scan_numbers
from conflict_text.sentences import split_sentences
from conflict_text.tokens import split_tokens

_WORD_B = r"(?<![^\W\d_])"
_WORD_E = r"(?![^\W\d_])"
_DIGIT = re.compile(r"\d")
_SPACES = re.compile(r"\s*")
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|[^\w\s]")
# _TOKEN_RE as a split (gaps and tokens). A letter run starting with an Arabic letter is read first by a
# range class, which `re` tests much faster than the Unicode category test of [^\W\d_]; same tokens.
_TOKEN_SPLIT = re.compile(r"(\d+(?:[.,]\d+)*|[\u0621-\u064a]+[^\W\d_]*|[^\W\d_]+|[^\w\s])")
_SKIP_PUNCT = set("\"'“”«»()[]<>-–—/:")

SUBGROUPS = {
    "total": None,  # anything
    "civilians": {"civilians", "children", "women", "women_and_children", "medical_staff", "civil_defence"},
    "fighters": {"fighters"},
    "regime_forces": {"regime_forces"},
    "children": {"children"},
    "women": {"women"},
    "women_and_children": {"women", "children", "women_and_children"},
    "medical_staff": {"medical_staff"},
    "civil_defence": {"civil_defence"},
}


# ----------------------------------------------------------------------------- phrase matching
#
# Every cue list is matched by one Aho-Corasick automaton, in one pass over the text of a document. A
# list's phrase matches where a word starts (no letter before), optionally after one of the list's
# clitics, and ends where a word ends (no letter after); the words of a phrase are joined in the text by
# any run of white space, «-», «–», «/», or by nothing («ارض-ارض», «ارضارض» for «ارض ارض»).
#
# A match is the tuple (start, -clitic length, rank, end), where rank is the phrase followed by U+FFFF.
# Sorting the matches that start at one place puts first the one a regex
# `(?<![^\W\d_])(?:clitic|...)?(?:phrase|...)(?![^\W\d_])` returns there: the longest clitic, then the
# phrase met first in a depth-first walk of the phrase trie (characters in code point order, a phrase
# before the phrases it is a prefix of). `_Doc.phrases` reproduces `finditer` and `search` of such a
# regex from these matches, so the rules of the figures are unchanged by the move from regexes.

_PhraseMatch = tuple[int, int, str, int]  # (start, -clitic length, rank, end), as described above

# What joins the words of a phrase: `[\s\-–/]` (`\s` is str.isspace; test_figures checks the list).
_JOINER_CHARS = frozenset(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000-–/")
_JOINER_RUN = re.compile(r"[\s\-–/]+")


def _is_letter(ch: str) -> bool:
    r"""`[^\W\d_]` for one character, without the cost of a regex call."""
    return ch.isalnum() and not ch.isdecimal()


def _one_after_another(matches: list[_PhraseMatch], pos: int) -> list[_PhraseMatch]:
    """The matches `finditer` returns from `pos`, out of all possible ones (sorted): the preferred match at
    the leftmost place, then the same from its end on."""
    found = []
    for m in matches:
        if m[0] >= pos:
            found.append(m)
            pos = m[3]
    return found


class _PhraseMatcher:
    """All phrase lists in one automaton; `scan` returns every possible match of every list in a text."""

    def __init__(self, lists: dict[str, tuple[list[str], tuple[str, ...]]]):
        """`lists`: name -> (folded phrases, clitics that may precede them)."""
        forms: dict[str, list[tuple[str, int, str]]] = {}
        for name, (phrases, clitics) in lists.items():
            for phrase in {_key(p) for p in phrases if _key(p)}:
                words = phrase.split(" ")
                rank = phrase + "\uffff"
                # the automaton reads phrases joined by one space or by nothing; `_across_joiners` does the rest
                for glue in product((" ", ""), repeat=len(words) - 1):
                    written = words[0] + "".join(g + w for g, w in zip(glue, words[1:]))
                    for clitic in ("",) + clitics:
                        forms.setdefault(clitic + written, []).append((name, -len(clitic), rank))
        if any(not _is_letter(ch) for form in forms for ch in form.replace(" ", "")):
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
        for joiner in (_JOINER_CHARS - {" "}) | {"  "}:
            self.automaton.add_word(joiner, None)
        self.automaton.make_automaton()
        self.joined.make_automaton()
        # A phrase read across a joiner run has one of its words right before the run and the next right
        # after it, each a whole letter run of the text: a run without such words is not read again.
        words = [form.split(" ") for form in forms if " " in form]
        self.words_before_joiner = frozenset(w for parts in words for w in parts[:-1])
        self.words_after_joiner = frozenset(w for parts in words for w in parts[1:])

    def scan(self, text: str) -> dict[str, list[_PhraseMatch]]:
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
            # _is_letter inlined: this loop sees every word ending of the text
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
            while a > 0 and text[a - 1] in _JOINER_CHARS:
                a -= 1
            run_end = pos + 1
            while run_end < n and text[run_end] in _JOINER_CHARS:
                run_end += 1
            word_start = a
            while word_start > 0 and _is_letter(text[word_start - 1]):
                word_start -= 1
            word_end = run_end
            while word_end < n and _is_letter(text[word_end]):
                word_end += 1
            if text[word_start:a] not in self.words_before_joiner or text[run_end:word_end] not in self.words_after_joiner:
                continue
            # a window holding `longest` non-joiner characters on each side holds every phrase across the run
            lo, seen = a, 0
            while lo > 0 and seen < self.longest:
                lo -= 1
                seen += text[lo] not in _JOINER_CHARS
            hi, seen = run_end, 0
            while hi < n and seen < self.longest:
                seen += text[hi] not in _JOINER_CHARS
                hi += 1
            # the window with every joiner run as one space, and the text index of each of its characters
            pieces, index, last = [], [], lo
            for m in _JOINER_RUN.finditer(text, lo, hi):
                pieces.append(text[last:m.start()])
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
                if (start and _is_letter(text[start - 1])) or (end < n and _is_letter(text[end])):
                    continue
                for name, clitic, rank in owners:
                    if (name, start, clitic, rank, end) not in added:
                        added.add((name, start, clitic, rank, end))
                        found.setdefault(name, []).append((start, clitic, rank, end))


# ----------------------------------------------------------------------------- lexicon

# The look-ups below are memoised per token of the articles read: bounded, as a run over a million articles
# meets millions of distinct tokens (25 real articles already give 1,200 distinct keys).
_TOKEN_CACHE_SIZE = 1 << 16


@lru_cache(maxsize=_TOKEN_CACHE_SIZE)
def _key(text: str) -> str:
    return _JOINER_RUN.sub(" ", text).strip()


@dataclass
class _Lex:
    clitics: tuple[str, ...]
    nouns: dict[str, list[tuple]]
    cues: dict[str, list[tuple[str, bool, bool, bool]]]  # phrase -> [(outcome, pre, post, weak)]
    phrases: _PhraseMatcher  # the phrase lists named in _lex()
    koi_head_re: re.Pattern
    qual_before_re: re.Pattern
    qual_before: dict[str, str]
    qual_before_last_words: tuple[str, ...]
    qual_after_re: re.Pattern
    qual_after: dict[str, str]
    complement: frozenset
    markers_after: frozenset
    coord_re: re.Pattern
    mods: dict[str, str]
    materials: dict[str, str]
    munitions: dict[str, dict]
    precedence: dict[str, int]
    overrides: dict[str, set]
    carrier_units: dict[str, str]
    multiplicity: dict[str, int]
    strike_nouns: frozenset
    units: frozenset
    prefixes: frozenset
    months: dict[str, int]
    month_alt: str
    month_first_words: ahocorasick.Automaton  # every date names a month: where none is written, none is read
    covid_re: re.Pattern
    # covid_re split for the whole-text test: terms without letter case are plain substrings under re.I
    covid_uncased: tuple[str, ...]
    covid_cased_re: re.Pattern | None
    refiners: list[tuple[str, str]]  # (phrase list, victim group)
    fighter_generic: frozenset
    foreign_forces: frozenset
    fillers: frozenset
    followers: frozenset
    fighter_refiner_re: re.Pattern
    others: frozenset
    toll_words: frozenset
    toll_heads: frozenset
    function_words: frozenset
    date_re: re.Pattern
    range_re: re.Pattern


@cache
def _lex() -> _Lex:
    d = json.loads(resources.files("conflict_text").joinpath("data/figure_lexicon.json").read_text("utf-8"))
    f = fold
    clitics = tuple(sorted({f(c) for c in d["clitics"]}, key=len, reverse=True))
    clitic_alt = "|".join(re.escape(c) for c in clitics)

    nouns: dict[str, list[tuple]] = {}

    def add(form: str, role: tuple) -> None:
        nouns.setdefault(f(form), []).append(role)

    for outcome, forms in d["outcome_nouns"].items():
        for number, words in forms.items():
            for w in words:
                add(w, ("outcome", outcome, number))
    for group, forms in d["victim_nouns"].items():
        for number, words in forms.items():
            for w in words:
                add(w, ("victim", group, number))
    munitions = {}
    for entry in d["munitions"]:
        key = f(entry["key"])
        munitions[key] = entry
        for number in ("singular", "dual", "construct_dual", "plural"):
            for w in entry.get(number, []):
                if " " in w:
                    continue
                add(w, ("munition", key, number))
    for w in d["others"]:
        add(w, ("others", "total", "plural"))
    units = frozenset(f(w) for w in d["nonfigure_units"])

    cues: dict[str, list] = {}
    for outcome, kinds in d["outcome_cues"].items():
        weak = {f(w) for w in kinds.get("weak", [])}
        pre = {f(w) for w in kinds.get("pre", [])}
        post = {f(w) for w in kinds.get("post", [])}
        for w in pre | post:
            cues.setdefault(_key(w), []).append((outcome, w in pre, w in post, w in weak))

    def table(section: dict) -> dict[str, str]:
        return {_key(f(w)): q for q, words in section.items() for w in words}

    qual_before = table(d["qualifiers_before"])
    qual_after = table(d["qualifiers_after"])
    qb = "|".join(r"\s*".join(map(re.escape, k.split())) for k in sorted(qual_before, key=len, reverse=True))
    qa = "|".join(r"\s*".join(map(re.escape, k.split())) for k in sorted(qual_after, key=len, reverse=True))

    mods = {}
    for m in d["munition_modifiers"]:
        for w in m["words"]:
            mods.setdefault(_key(f(w)), m["type"])
    for w, n in d["multiplicity_modifiers"].items():
        mods.setdefault(_key(f(w)), f"x{n}")
    materials = {_key(f(w)): m["type"] for m in d["munition_materials"] for w in m["words"]}
    months = {_key(f(w)): n for w, n in d["months"].items()}
    month_alt = "|".join(r"\s*".join(map(re.escape, k.split())) for k in sorted(months, key=len, reverse=True))
    day = r"(?P<{0}>\d{{1,2}})"
    one_date = (r"{d}\s*(?:من\s+)?(?:شهر\s+)?(?P<{m}>" + month_alt + r")(?:\s*[/(]?\s*(?:" + month_alt +
                r")\s*\)?)?(?:\s*[,،]?\s*(?:من\s+)?(?:عام\s+)?(?P<{y}>(?:19|20)\d\d))?")
    month_first_words = ahocorasick.Automaton()
    for first in {k.split()[0] for k in months}:
        month_first_words.add_word(first, len(first))
    month_first_words.make_automaton()
    date1 = one_date.format(d=day.format("d1"), m="m1", y="y1")
    date2 = one_date.format(d=day.format("d2"), m="m2", y="y2")
    covid_terms = [f(w) for w in d["covid_terms"]]
    covid_uncased = tuple(w for w in covid_terms if w.lower() == w == w.upper())
    covid_cased = [w for w in covid_terms if w not in covid_uncased]
    refiners = [(f"refiner {group}", group) for group in d["victim_refiners"]]
    one_or_and = ("و", "ف")
    phrases = _PhraseMatcher({
        "cue": (list(cues), clitics),
        "marker": ([f(w) for w in d["breakdown_markers"]], ()),
        "one_of": ([f(w) for w in d["one_of_markers"]], one_or_and),
        "mod": (list(mods), clitics),
        "material": (list(materials), clitics),
        "strike_verb": ([f(w) for w in d["strike_times"]["verbs"]], clitics),
        "threat": ([f(w) for w in d["threat_cues"]], clitics),
        "denial": ([f(w) for w in d["denial_cues"]], clitics),
        "revision": ([f(w) for w in d["revision_cues"]], clitics),
        "earlier": ([f(w) for w in d["earlier_cues"]], one_or_and),
        "covid_aux": ([f(w) for w in d["covid_aux"]], clitics),
        "population": ([f(w) for w in d["population_cues"]], clitics),
        "attribution": ([f(w) for w in d["attribution_cues"]], clitics),
        "attack": ([f(w) for w in d["attack_cues"]], clitics),
        "losses": ([f(w) for w in d["losses_cues"]], clitics),
        "strong_earlier": ([f(w) for w in d["strong_earlier_cues"]], one_or_and),
        "denial_topic": ([f(w) for w in d["denial_topics"]], clitics),
        "cumulative": ([f(w) for w in d["cumulative_cues"]], clitics),
        "release": ([f(w) for w in d["release_cues"]], clitics),
        # the nouns that make a figure without a number: weapons, dual and singular victims or outcomes
        "noun": ([w for w, roles in nouns.items() if any(
            r[0] == "munition" or (r[0] in ("victim", "outcome") and r[2] in ("singular", "dual")) for r in roles)],
            clitics),
        **{name: ([f(w) for w in d["victim_refiners"][group]], clitics) for name, group in refiners},
    })
    return _Lex(
        clitics=clitics,
        nouns=nouns,
        phrases=phrases,
        cues=cues,
        koi_head_re=re.compile(r"(?:" + "|".join(
            r"\s*".join(map(re.escape, f(w).split())) for w in sorted(d["killed_or_injured_heads"], key=len, reverse=True)
        ) + r")" + _WORD_E),
        qual_before_re=re.compile(rf"{_WORD_B}(?:{clitic_alt})?(?P<q>{qb})[\s\"“«]*$"),
        qual_before=qual_before,
        qual_before_last_words=tuple({k.split()[-1] for k in qual_before}),
        qual_after_re=re.compile(rf"^[\s,،\"”»)]*(?P<q>{qa}){_WORD_E}"),
        qual_after=qual_after,
        complement=frozenset(f(w) for w in d["complement_words"]),
        markers_after=frozenset(f(w) for w in d["breakdown_markers_after"]),
        coord_re=re.compile(r"^[\s\"”»]*(?:[,،][\s]*)?(?:" + "|".join(
            r"\s*".join(map(re.escape, f(w).split())) for w in sorted(d["coordination_gaps"], key=len, reverse=True)
        ) + r")?[\s\"“«]*$"),
        mods=mods,
        materials=materials,
        munitions=munitions,
        precedence={t: i for i, t in enumerate(d["modifier_precedence"] + ["rocket_launcher", "bombing"])},
        overrides={k: set(v) for k, v in d["modifier_overrides_noun"].items()},
        carrier_units={f(k): v for k, v in d["carrier_units"].items()},
        multiplicity={_key(f(w)): n for w, n in d["multiplicity_modifiers"].items()},
        strike_nouns=frozenset(f(w) for w in d["strike_times"]["nouns"]),
        units=units,
        prefixes=frozenset(f(w) for w in d["nonfigure_prefixes"]),
        months=months,
        month_alt=month_alt,
        month_first_words=month_first_words,
        covid_re=re.compile("|".join(re.escape(w) for w in covid_terms), re.I),
        covid_uncased=covid_uncased,
        covid_cased_re=re.compile("|".join(map(re.escape, covid_cased)), re.I) if covid_cased else None,
        refiners=refiners,
        fighter_generic=frozenset(f(w) for w in d["fighter_generic"]),
        foreign_forces=frozenset(f(w) for w in d["foreign_forces"]),
        fillers=frozenset(f(w) for w in d["munition_fillers"]),
        followers=frozenset(f(w) for w in d["head_followers"]),
        fighter_refiner_re=re.compile(r"\s*(?:من\s+)?(?:[\"“«]\s*)?(?:" + "|".join(
            re.escape(f(w)) for w in sorted(d["fighter_refiners"], key=len, reverse=True)) + ")"),
        others=frozenset(f(w) for w in d["others"]),
        toll_words=frozenset(f(w) for w in d["toll_words"]),
        toll_heads=frozenset(_key(f(w)) for w in d["toll_heads"]),
        function_words=frozenset(f(w) for w in d["function_words"]),
        # a date starts with ب, ف, و or a digit: the look-ahead saves trying the look-behind everywhere
        date_re=re.compile(rf"(?=[بفو\d]){_WORD_B}(?:ب|في|و)?{date1}"),
        range_re=re.compile(rf"(?:من|منذ|بين)\s+(?:يوم\s+)?(?:\w+\s+)?{date1}[\s)]*(?:و?\s*(?:حتى|حتي|الى|الي|لغايه|ولغايه)|و)\s+(?:يوم\s+)?(?:\w+\s+)?{date2}"),
    )


# ----------------------------------------------------------------------------- helpers


class _Tok(NamedTuple):
    text: str
    start: int
    end: int


_NEXT_TOK = re.compile(r"\s*(\d+(?:[.,]\d+)*|[^\W\d_]+|[^\w\s])")


def _next_tok(text: str, pos: int, limit: int) -> _Tok | None:
    m = _NEXT_TOK.match(text, pos, limit)
    return _Tok(m.group(1), m.start(1), m.end(1)) if m else None


def _prev_end(text: str, pos: int, floor: int) -> int:
    lo = max(floor, pos - 20)
    return lo + len(text[lo:pos].rstrip()) if pos > floor else -1


def _tokens(text: str, start: int, end: int, limit: int | None = None) -> list[_Tok]:
    return [_Tok(m.group(), m.start(), m.end()) for m in islice(_TOKEN_RE.finditer(text, start, end), limit)]


def _pro(prefix: str) -> int:
    """Length of the proclitics (و ف ب ل ك) of a clitic prefix: the article stays in the surface."""
    if prefix.endswith("ال"):
        return len(prefix) - 2
    if prefix.endswith("لل"):
        return len(prefix) - 2
    return len(prefix)


def _definite(prefix: str) -> bool:
    """Whether a clitic prefix carries the article («ال», «بال», and «لل», which is ل + ال)."""
    return "ال" in prefix or prefix.endswith("لل")


def _unknown_noun(token: str, start: int, sent: "_Sent") -> bool:
    """True for a bare content word that is neither a counted noun, a cue, a particle nor a clitic form."""
    lex = _lex()
    if not token[:1].isalpha() or token.isdigit():
        return False
    if token in ("حاله", "حالات") or token in lex.followers or _in(token, lex.followers) or _in(token, lex.complement):
        return False
    if token[0] in "وفبلك" and len(token) > 3:
        return False  # «بقصف», «وجرح», «لقوا»: a proclitic form, not the counted noun
    if any(c[0] == start for c in sent.cues):
        return False
    if sent.doc.phrase_at("marker", start) or lex.qual_after_re.match(sent.doc.text[start:start + 20]):
        return False
    return True


@lru_cache(maxsize=_TOKEN_CACHE_SIZE)
def _roles(token: str) -> tuple[str, tuple]:
    """(clitic prefix, roles) of a token: the roles of its bare form in the noun lexicon."""
    lex = _lex()
    roles = lex.nouns.get(token)
    if roles:
        return "", tuple(roles)
    for c in lex.clitics:
        if token.startswith(c) and len(token) - len(c) >= 2:
            roles = lex.nouns.get(token[len(c):])
            if roles:
                return c, tuple(roles)
    return "", ()


@lru_cache(maxsize=_TOKEN_CACHE_SIZE)
def _bare(token: str) -> tuple[str, ...]:
    """The token and its forms without each possible clitic prefix."""
    lex = _lex()
    out = [token]
    for c in lex.clitics:
        if token.startswith(c) and len(token) - len(c) >= 2:
            out.append(token[len(c):])
    return tuple(out)


def _in(token: str, vocab: frozenset) -> bool:
    return any(b in vocab for b in _bare(token))


def _role(roles: tuple, kind: str) -> tuple | None:
    for r in roles:
        if r[0] == kind:
            return r
    return None


@dataclass(eq=False, slots=True)
class _Cand:
    kind: str  # "cas" | "mun"
    start: int  # normalised surface span
    end: int
    value: int | None
    qualifier: str
    sent: int
    outcome: str | None = None
    victim: str | None = None
    mtype: str | None = None
    unit: str | None = None
    head_end: int = 0
    parent: "_Cand | None" = None
    definite: bool = False
    complement: bool = False
    alias: "_Cand | None" = None
    superseded: bool = False
    disputed: bool = False
    in_breakdown: bool = False
    marker_child: bool = False
    marker_after: bool = False  # «ستة منهم»: part of an earlier count, unless an outcome cue stands between
    from_context: bool = False


@dataclass(slots=True)
class _Sent:
    """A sentence; its cue matches and filters are computed on first use (most sentences hold no count)."""

    doc: "_Doc"
    start: int
    end: int
    _covid: bool | None = None
    _population: bool | None = None
    _cues: list | None = None
    _has_digits: bool | None = None
    _markers: list[tuple[int, int]] | None = None
    _tokens: list[_Tok] | None = None
    _token_starts: list[int] | None = None
    _token_ends: list[int] | None = None

    @property
    def covid(self) -> bool:
        """Whether the sentence reports COVID-19: it names it, or it counts cases («حالات», «شفاء») right after
        text that does (in its paragraph or the sentence before): a COVID ticker elsewhere on the page
        does not make «بينهم حالات حرجة» a COVID count."""
        if self._covid is None:
            # covid_doc is False when no COVID term occurs anywhere, so no sentence needs searching then
            doc, covid_re, text = self.doc, self.doc.lex.covid_re, self.doc.text
            self._covid = doc.covid_doc and (bool(covid_re.search(text, self.start, self.end)) or (
                bool(doc.sentence_phrases("covid_aux", self)) and bool(
                    covid_re.search(text, text.rfind("\n", 0, self.start) + 1, self.start)
                    or covid_re.search(text, doc.sents[max(0, doc.sent_of(self.start) - 1)].start, self.start))))
        return self._covid

    @property
    def has_digits(self) -> bool:
        if self._has_digits is None:
            self._has_digits = _DIGIT.search(self.doc.text, self.start, self.end) is not None
        return self._has_digits

    @property
    def markers(self) -> list[tuple[int, int]]:
        """(start, end) of each breakdown marker («بينهم», «منهم») in the sentence."""
        if self._markers is None:
            self._markers = [(m[0], m[3]) for m in self.doc.sentence_phrases("marker", self)]
        return self._markers

    def tokens(self, start: int, end: int, limit: int | None = None, last: int | None = None) -> list[_Tok]:
        """`_tokens(text, start, end, limit)` (or its `last` tokens) for a window inside the sentence, cut from
        the sentence's tokens (read once) rather than tokenising every window around every number again."""
        if self._tokens is None:
            self._read_tokens()
        toks = self._tokens
        i = bisect_right(self._token_ends, start)  # the first token ending inside the window
        j = bisect_left(self._token_starts, end)  # the first token starting after it
        if i < j and (toks[i].start < start or toks[j - 1].end > end):
            # A token cut by the window reads as the tokens of its part inside the window, which end
            # where the whole token ends (a letter run, or a digit group from a digit or a separator).
            text = self.doc.text
            if i == j - 1:
                out = _tokens(text, start, end)
            else:
                head = _tokens(text, start, toks[i].end) if toks[i].start < start else [toks[i]]
                tail = _tokens(text, toks[j - 1].start, end) if toks[j - 1].end > end else [toks[j - 1]]
                out = head + toks[i + 1:j - 1] + tail
            return out[-last:] if last else out[:limit]
        if last:
            i = max(i, j - last)
        if limit is not None:
            j = min(j, i + limit)
        return toks[i:j]  # the tokens are shared: nobody changes a _Tok

    def _read_tokens(self) -> None:
        # tuple.__new__ skips _Tok.__new__: no Python step per token
        self._token_starts, self._token_ends, texts = split_tokens(_TOKEN_SPLIT, self.doc.text[self.start:self.end],
                                                                   self.start)
        self._tokens = list(map(tuple.__new__, repeat(_Tok), zip(texts, self._token_starts, self._token_ends)))

    @property
    def population(self) -> bool:
        if self._population is None:
            self._population = bool(self.doc.sentence_phrases("population", self))
        return self._population

    @property
    def cues(self) -> list:
        """(start, end, [(outcome, pre, post, weak)]) of each outcome cue in the sentence."""
        if self._cues is None:
            cues, text = self.doc.lex.cues, self.doc.text
            self._cues = [(start, end, cues[_key(text[start - clitic:end])])
                          for start, clitic, _, end in self.doc.sentence_phrases("cue", self)]
        return self._cues


_TOLL_WORDS = ("عدد", "حصيله")
_TOLL_TAIL = re.compile(r"\s*(?:" + "|".join(_TOLL_WORDS) + r")\s+\S+\s*$")
_ARTICLE_TAIL = re.compile(r"\s*ال\s*$")


def _qualifier_before(text: str, pos: int, floor: int) -> str | None:
    lex = _lex()
    window = text[max(floor, pos - 34):pos]
    window = _ARTICLE_TAIL.sub("", window) if window.endswith(("ال", "ال ")) else window  # «قرابة الـ30»
    m = _search_qualifier_before(window)
    if m is None and any(w in window for w in _TOLL_WORDS):  # «تجاوز عدد القتلى 500»
        shorter = _TOLL_TAIL.sub("", window)
        if shorter != window:
            m = _search_qualifier_before(shorter)
    return lex.qual_before[_key(m.group("q"))] if m else None


# what qual_before_re allows after its phrase: `[\s\"“«]`
_QUALIFIER_BEFORE_TAIL = "".join(sorted(c for c in _JOINER_CHARS if c.isspace())) + '"“«'


def _search_qualifier_before(window: str) -> re.Match | None:
    """`qual_before_re.search(window)`. Its phrase ends where only white space and quotes follow, so a window
    that does not end so with the last word of a qualifier (most windows) holds none: no search then."""
    lex = _lex()
    if not window.rstrip(_QUALIFIER_BEFORE_TAIL).endswith(lex.qual_before_last_words):
        return None
    return lex.qual_before_re.search(window)


def _qualifier_after(text: str, pos: int, ceil: int) -> str | None:
    lex = _lex()
    m = lex.qual_after_re.match(text[pos:min(ceil, pos + 30)])
    return lex.qual_after[_key(m.group("q"))] if m else None


def _bounds(value: int | None, qualifier: str) -> tuple[int | None, int | None]:
    if value is None:
        return None, None
    if qualifier == "exact":
        return value, value
    if qualifier in ("at_least", "more_than"):
        return value, None
    if qualifier == "less_than":
        return None, value - 1
    return None, None


# ----------------------------------------------------------------------------- munition phrases


def _munition_phrase(doc: "_Doc", head: _Tok, key: str, limit: int) -> tuple[str | None, int, int, str | None]:
    """(type, phrase end, multiplicity, unit) of the weapon noun phrase starting at `head`."""
    lex = doc.lex
    text = doc.text
    entry = lex.munitions[key]
    found: list[str] = []
    mult = 1
    end = head.end
    pos = head.end
    for _ in range(3):
        m = _SPACES.match(text, pos)
        pos = m.end()
        if pos >= limit:
            break
        mm = doc.phrase_at("mod", pos)
        if mm and mm[3] <= limit and not text.startswith("و", pos):
            t = lex.mods[_key(text[pos - mm[1]:mm[3]])]
            if t.startswith("x"):
                mult = int(t[1:])
            else:
                found.append(t)
            end = pos = mm[3]
            continue
        tm = _TOKEN_RE.match(text, pos)
        if not tm:
            break
        tok = tm.group()
        if tok in ",،.;؛:" or tok.isdigit():
            break
        prefix, roles = _roles(tok)
        if _role(roles, "munition") and not (entry.get("type") is None and prefix.startswith("ب")):
            # another weapon; one named after ب types an untyped head («هجوما بالقنابل العنقودية»)
            break
        if tok.startswith("و") and _roles(tok)[1]:
            break
        if not (tok in lex.fillers or (tok.startswith("ب") and len(tok) > 3)):
            break
        pos = tm.end()
    base = entry.get("type")
    only = entry.get("only_types")
    mtype = base
    if found:
        best = min(found, key=lambda t: lex.precedence.get(t, 99))
        if base is None:
            mtype = best if (not only or best in only) else None
        else:
            allowed = [t for t in found if t in lex.overrides.get(base, set())]
            if allowed:
                mtype = min(allowed, key=lambda t: lex.precedence.get(t, 99))
    elif entry.get("needs_modifier"):
        mtype = None
    unit = None
    if mtype in ("chlorine_attack", "chemical_attack") and key in lex.carrier_units:
        unit = lex.carrier_units[key]
    return mtype, end, mult, unit


# ----------------------------------------------------------------------------- per-sentence analysis


# A cue, a counted noun or a weapon inside the name of an entity is part of the name («كفر شمس», «حي
# الشهداء», «منظمة حظر الأسلحة الكيميائية»), and so is a number («ناحية السبع بيار»).
_NOT_IN_NAMES = ("cue", "noun", "material")


_GROUP_MEMBERS = (("victim", "fighters", "plural"),)


class _Doc:
    def __init__(self, text: str, names: list[tuple[int, int]], group_starts: frozenset[int] = frozenset()):
        """`names`: the sorted (start, end) of the entity mentions in `text`; `group_starts`: where the
        armed groups among them start."""
        self.text = text
        self.name_starts = [a for a, _ in names]
        self.name_ends = [b for _, b in names]
        self.name_end_set = frozenset(self.name_ends)
        self.group_starts = group_starts
        lex = _lex()
        self.lex = lex
        self.spans = split_sentences(text)
        self.starts = [s for s, _ in self.spans]
        # bool(lex.covid_re.search(text)), without trying its alternation at every position
        self.covid_doc = any(term in text for term in lex.covid_uncased) or (
            lex.covid_cased_re is not None and lex.covid_cased_re.search(text) is not None)
        self.sents: list[_Sent] = [_Sent(self, s, e) for s, e in self.spans]
        self.cands: list[_Cand] = []
        self.consumed: list[tuple[int, int]] = []
        self.hits = lex.phrases.scan(text)
        if names:
            for name in _NOT_IN_NAMES:
                if name in self.hits:
                    self.hits[name] = [m for m in self.hits[name] if not self.in_name(m[0], m[3])]
        self._window_hits: dict[tuple[int, int], dict[str, list]] = {}  # scans of windows that cut a word
        self._by_sentence: dict[str, dict[int, list]] = {}  # list name -> sentence start -> its matches

    def in_name(self, start: int, end: int) -> bool:
        """Whether [start, end) lies within the name of an entity."""
        i = bisect_right(self.name_starts, start) - 1
        return i >= 0 and end <= self.name_ends[i]

    def _inside_word(self, pos: int) -> bool:
        """Whether `pos` falls between two letters (a window edge there cuts a word)."""
        text = self.text
        if 0 < pos < len(text):
            after, before = text[pos], text[pos - 1]  # _is_letter inlined: called for every window
            return after.isalnum() and before.isalnum() and not after.isdecimal() and not before.isdecimal()
        return False

    def _candidates(self, name: str, lo: int, hi: int, substring: bool) -> list[_PhraseMatch]:
        """Every match of list `name` that lies within [lo, hi), as `rx.finditer(text, lo, hi)` of a regex of
        the list would see them, or `rx.finditer(text[lo:hi])` when `substring`."""
        if self._inside_word(hi) or (substring and self._inside_word(lo)):
            # A window edge inside a word: the part of the word inside the window reads as a whole word
            # (the regex sees the end of the string there). Such windows are short and rare: scan them.
            if (lo, hi) not in self._window_hits:
                self._window_hits[lo, hi] = self.lex.phrases.scan(self.text[lo:hi])
            left_cut = self._inside_word(lo)
            return [(start + lo, clitic, rank, end + lo) for start, clitic, rank, end in
                    self._window_hits[lo, hi].get(name, ()) if substring or not (left_cut and start == 0)]
        matches = self.hits.get(name, ())
        i = bisect_left(matches, (lo,))
        j = bisect_left(matches, (hi,), i)
        return [m for m in matches[i:j] if m[3] <= hi]

    def phrases(self, name: str, lo: int, hi: int, substring: bool = False) -> list[_PhraseMatch]:
        """The matches of list `name` in [lo, hi) found one after the other, as `finditer` finds them."""
        return _one_after_another(self._candidates(name, lo, hi, substring), lo)

    def sentence_phrases(self, name: str, sent: "_Sent") -> list[_PhraseMatch]:
        """`phrases(name, sent.start, sent.end)`, from the list's matches shared out to the sentences once
        (white space bounds a sentence, so its edges cut no word)."""
        by_sentence = self._by_sentence.get(name)
        if by_sentence is None:
            by_sentence = self._by_sentence[name] = {}
            for m in self.hits.get(name, ()):
                s = self.sents[self.sent_of(m[0])]
                if m[3] <= s.end:
                    by_sentence.setdefault(s.start, []).append(m)
            for start, matches in by_sentence.items():
                by_sentence[start] = _one_after_another(matches, start)
        return by_sentence.get(sent.start, [])

    def has_phrase(self, name: str, lo: int, hi: int, substring: bool = False) -> bool:
        """Whether list `name` occurs in [lo, hi), as `search` tells."""
        return bool(self._candidates(name, lo, hi, substring))

    def phrase_at(self, name: str, pos: int) -> _PhraseMatch | None:
        """The match of list `name` starting at `pos`, as `match(text, pos)` finds it (the text goes on after it)."""
        matches = self.hits.get(name, ())
        i = bisect_left(matches, (pos,))
        return matches[i] if i < len(matches) and matches[i][0] == pos else None

    def sent_of(self, pos: int) -> int:
        return max(0, bisect_right(self.starts, pos) - 1)

    def is_consumed(self, s: int, e: int) -> bool:
        return any(a < e and s < b for a, b in self.consumed)

    # --- outcome of a count from the cues around it
    def context_outcome(self, si: int, start: int, head_end: int, allow_weak: bool = True) -> tuple[str | None, tuple | None]:
        sent = self.sents[si]
        pre = post = None
        for cs, ce, infos in sent.cues:
            if ce <= start and start - ce <= 150:
                pick = [i for i in infos if i[1] and (allow_weak or not i[3])]
                if pick:
                    pre = (cs, ce, pick[0][0])
            elif cs >= head_end and cs - head_end <= 60 and post is None:
                pick = [i for i in infos if i[2] and (allow_weak or not i[3])]
                if pick:
                    post = (cs, ce, pick[0][0])
        if post and (pre is None or (post[0] - head_end <= 15 and start - pre[1] > 40)):
            return post[2], post
        if pre:
            return pre[2], pre
        return None, None

    def threatened(self, si: int, cue: tuple | None, start: int) -> bool:
        if cue is None or cue[0] > start:
            return False
        sent = self.sents[si]
        lo = max(sent.start, cue[0] - 50)
        window = self.text[lo:start]
        cut = max(window.rfind(","), window.rfind("،"), window.rfind("."))
        if cut >= 0 and lo + cut < cue[0]:
            lo += cut + 1
        return self.has_phrase("threat", lo, start, substring=True)

    def refine_victim(self, group: str, tok: _Tok, limit: int, noun: str) -> str:
        lex = self.lex
        window = self.text[tok.end:min(limit, tok.end + 45)]
        # the next count starts a phrase of its own: «30 مقاتلا من الفصائل و22 عنصرا من قوات النظام»
        digit = _DIGIT.search(window)
        if digit:
            window = window[:digit.start()]
        window_end = tok.end + len(window)
        if group in ("fighters", "regime_forces", "total", "civil_defence") or _in(noun, lex.fighter_generic):
            for name, g in lex.refiners:
                if self.has_phrase(name, tok.end, window_end, substring=True):
                    if g == "regime_forces" and group in ("fighters", "total", "regime_forces") and _in(noun, lex.fighter_generic | frozenset({"جنود", "جندي"})):
                        return "regime_forces"
                    if g == "civil_defence" and _in(noun, lex.fighter_generic | frozenset({"متطوعين", "متطوع"})):
                        return "civil_defence"
                    if g == "medical_staff" and _in(noun, lex.fighter_generic):
                        return "medical_staff"
            if group == "total" and _in(noun, lex.fighter_generic) and lex.fighter_refiner_re.match(window):
                return "fighters"
        if group == "regime_forces":
            adjective = _next_tok(self.text, tok.end, limit)
            if adjective is not None and adjective.text in lex.foreign_forces:
                return "fighters"  # «جنديان تركيان», «3 جنود أتراك»: not the Syrian government's forces
        if group in ("women", "children") and _role(_roles(noun)[1], "victim") and _role(_roles(noun)[1], "victim")[2] == "plural":
            m = re.match(r"\s*(\S+)", window)
            if m:
                r = _role(_roles(m.group(1))[1], "victim")
                if r and r[2] == "plural" and {r[1], group} == {"women", "children"} and m.group(1).startswith("و"):
                    return "women_and_children"
        return group

    def victim_after(self, si: int, pos: int) -> str | None:
        """A victim noun right after an outcome noun («جرحى مدنيون», «قتيلا من المدنيين») of sentence `si`."""
        limit = self.sents[si].end
        toks = self.sents[si].tokens(pos, min(limit, pos + 40), 3)
        i = 0
        if i < len(toks) and toks[i].text in ("من", "بين"):
            i += 1
            if i < len(toks) and toks[i].text == "بين":
                i += 1
        if i < len(toks):
            r = _role(_roles(toks[i].text)[1], "victim")
            if r:
                return self.refine_victim(r[1], toks[i], limit, toks[i].text)
        return None

    # --- a number expression
    def number_cand(self, si: int, ns: NumberSpan) -> None:
        lex = self.lex
        text = self.text
        sent = self.sents[si]
        if ns.kind not in ("digits", "words", "mixed", "vague"):
            return
        value = ns.value
        if value is not None and not float(value).is_integer():
            return
        value = int(value) if value is not None else None
        if ns.definite and _qualifier_before(text, ns.start, sent.start):
            ns = NumberSpan(ns.value, ns.start, ns.end, ns.kind, False, ns.text)  # «نحو الـ20» is not anaphoric
        before = sent.tokens(max(sent.start, ns.start - 40), ns.start, last=3)
        after = sent.tokens(ns.end, min(sent.end, ns.end + 100), 8)
        prev = before[-1].text if before else ""
        # labels and dates
        if prev and _key(prev) in lex.months or (len(before) >= 2 and _key(before[-2].text + " " + prev) in lex.months):
            return
        i = 0
        while i < len(after) and after[i].text in _SKIP_PUNCT:
            i += 1
        nxt = after[i].text if i < len(after) else ""
        if nxt:
            two = _key(nxt + " " + after[i + 1].text) if i + 1 < len(after) else ""
            if _key(nxt) in lex.months or two in lex.months:
                return
            if nxt == "من" and i + 1 < len(after) and (_key(after[i + 1].text) in lex.months or after[i + 1].text == "شهر"):
                return
        # head noun
        of = False
        hi = i
        marker_after = nxt in lex.markers_after
        if marker_after:  # «ستة منهم أطفال», «40 منهم من المدنيين»
            hi = i + 1
            nxt = after[hi].text if hi < len(after) else ""
            i = hi
        if nxt == "من":
            of = True
            hi = i + 1
            if hi < len(after) and after[hi].text == "بين":
                hi += 1
            while hi < len(after) and after[hi].text in _SKIP_PUNCT:
                hi += 1
        head = after[hi] if hi < len(after) else None
        if head is not None and hi + 1 < len(after) and _key(head.text) in lex.toll_heads:
            hi += 1  # «ارتفع إلى 16 عدد المدنيين الذين استشهدوا»: the number counts the noun after «عدد»
            head = after[hi]
        prefix, roles = _roles(head.text) if head else ("", ())
        if _pro(prefix):
            prefix, roles = "", ()  # «وإصابة», «بغارة»: a word with a proclitic is not what the number counts
        if of and not roles and head is not None and head.start in self.group_starts:
            roles = _GROUP_MEMBERS  # «11 من هيئة تحرير الشام»: members of an armed group
        start = ns.start
        # «مدنيين اثنين», «شخص واحد»: the noun precedes one and two
        if not roles and value in (1, 2) and ns.kind == "words" and before:
            p_prefix, p_roles = _roles(before[-1].text)
            after_of = len(before) >= 2 and before[-2].text == "من"
            if not after_of and (_role(p_roles, "victim") or _role(p_roles, "munition")):
                head, prefix, roles = before[-1], p_prefix, p_roles
                start = head.start
                of = False
        head_end = head.end if (head and roles) else ns.end
        if not roles and before and before[-1].end in self.name_end_set:
            return  # «مؤتمر جنيف 2»: a number right after a name is part of it
        if prev and not (_role(roles, "victim") or _role(roles, "outcome") or _role(roles, "munition")) and \
                _in(prev, lex.prefixes):
            return  # «اللواء 155», «عام 2012», «حي 8 آذار»
        mun = _role(roles, "munition") if head else None
        if mun:
            mtype, pend, mult, unit = _munition_phrase(self, head, mun[1], sent.end)
            if mtype:
                q = "vague" if value is None else (_qualifier_before(text, ns.start, sent.start)
                                                  or _qualifier_after(text, pend, sent.end) or "exact")
                self.cands.append(_Cand("mun", start, max(pend, ns.end), value, q, si, mtype=mtype, unit=unit,
                                        head_end=pend))
                self.consumed.append((min(start, head.start), pend))
                return
            if head.text and _in(head.text, lex.units):
                return
        if head and _in(head.text, lex.strike_nouns):
            if value is not None and self.has_phrase("strike_verb", max(sent.start, ns.start - 60), ns.start):
                self.cands.append(_Cand("mun", ns.start, head.end, value, "exact", si, mtype="airstrike",
                                        head_end=head.end))
                self.consumed.append((ns.start, head.end))
            return
        if head and not roles and (_in(head.text, lex.units) or head.text in lex.units):
            return
        if head and not roles and not start < ns.start and _unknown_noun(head.text, head.start, sent):
            return  # «طال 3 مستودعات»: the number counts something that is not in the lexicon
        if nxt == "%":
            return
        if ns.kind == "digits" and value is not None and 1900 <= value <= 2100 and not roles:
            return
        if sent.covid:
            return
        if not roles and ns.kind == "words" and value in (1, 2) and not (
                before and any(m[3] == before[-1].end for m in self.phrases("marker", before[-1].start, before[-1].end))):
            return  # «عائلة واحدة», «الطرفين الاثنين»: one and two count only with their noun
        victim = None
        outcome = None
        cue = None
        if roles:
            v = _role(roles, "victim")
            o = _role(roles, "outcome")
            oth = _role(roles, "others")
            if v:
                victim = self.refine_victim(v[1], head, sent.end, head.text)
            elif o:
                outcome = o[1]
                victim = self.victim_after(si, head.end) or "total"
                if lex.koi_head_re.match(text, head.start + len(prefix)):
                    outcome = "killed_or_injured"
                    km = lex.koi_head_re.match(text, head.start + len(prefix))
                    head_end = km.end()
            elif oth:
                victim = "total"
        elif head and head.text in ("حاله", "حالات") and hi + 1 < len(after):
            c_out = [c for c in sent.cues if c[0] >= head.end and c[0] - head.end <= 3]
            if c_out:
                outcome = c_out[0][2][0][0]
                victim = "total"
                head_end = c_out[0][1]
            else:
                return
        elif head and not roles and prev.startswith("ال") and len(prev) > 3 and not _roles(prev)[1] \
                and not _in(prev, lex.toll_words) and not _in(prev, lex.function_words) \
                and not any(c[1] == before[-1].end for c in sent.cues):
            return  # «حي المزة 86», «الكيلو 4»: a number that is part of a name
        if not roles and head is None and prev.startswith("ال") and len(prev) > 3 and not _roles(prev)[1] \
                and not _in(prev, lex.toll_words) and not _in(prev, lex.function_words) \
                and not any(c[1] == before[-1].end for c in sent.cues):
            return
        # what happened
        if outcome is None:
            outcome, cue = self.context_outcome(si, start, head_end)
            if cue is not None and cue[0] > ns.start and sent.population:
                return
            if cue is not None and cue[1] <= start and sent.population and self.has_phrase("population", cue[1], start):
                return  # «... إلى النزوح، في وقت يعيش فيه قرابة مليون شخص»: the cue is another clause's
            if outcome is not None and sent.population and not roles:
                return
            if outcome is not None and self.threatened(si, cue, start):
                return
        if outcome is None and sent.population:
            return
        if outcome == "detained" and self.sentence_phrases("release", sent):
            return  # «أفرجت عن 50 معتقلاً»: a release, not an arrest
        if ns.kind == "vague" and not roles:
            adjacent = any(c[1] <= ns.start and not text[c[1]:ns.start].strip() and any(i[1] for i in c[2])
                           for c in sent.cues)
            if not (head and _in(head.text, lex.others)) and not adjacent:
                return
        if victim is not None and outcome is None and not ns.definite and value is None:
            return
        if outcome == "killed" and victim == "total" and self.sentence_phrases("losses", sent):
            if any(self.sentence_phrases(name, sent) for name, g in lex.refiners if g == "regime_forces"):
                victim = "regime_forces"
            else:
                victim = "fighters"
        q = "vague" if value is None else (_qualifier_before(text, ns.start, sent.start)
                                          or _qualifier_after(text, head_end, sent.end)
                                          or _qualifier_after(text, ns.end, sent.end) or "exact")
        complement = bool(after and i < len(after) and _in(after[i].text, lex.complement))
        c = _Cand("cas", start, ns.end, value, q, si,
                  outcome=outcome, victim=victim, head_end=head_end, definite=ns.definite, complement=complement,
                  from_context=cue is not None, marker_after=marker_after)
        self.cands.append(c)
        self.consumed.append((min(start, ns.start), head_end))

    # --- dual and singular nouns, weapon nouns
    def noun_cands(self, si: int) -> None:
        lex = self.lex
        text = self.text
        sent = self.sents[si]
        toks = [_Tok(text[start:end], start, end) for start, _, _, end in self.sentence_phrases("noun", sent)]
        if not toks:
            return
        cue_end = {c[1]: c for c in sent.cues}
        cue_start = {c[0]: c for c in sent.cues}
        markers_end = {end for _, end in sent.markers}
        one_of = {end: start for start, _, _, end in self.sentence_phrases("one_of", sent)}
        k = 0
        while k < len(toks):
            tok = toks[k]
            if self.is_consumed(tok.start, tok.end):
                k += 1
                continue
            prefix, roles = _roles(tok.text)
            if not roles:
                k += 1
                continue
            definite = _definite(prefix)
            v = _role(roles, "victim") or _role(roles, "outcome")
            mun = _role(roles, "munition")
            if mun and not sent.covid:
                self.munition_noun(si, tok, prefix, mun)
                k += 1
                continue
            if v is None or sent.covid or definite:
                k += 1
                continue
            kind, group, number = v
            prev_end = _prev_end(text, tok.start, sent.start)
            nxt = _next_tok(text, tok.end, sent.end)
            if number == "dual":
                outcome = group if kind == "outcome" else None
                victim = "total" if kind == "outcome" else self.refine_victim(group, tok, sent.end, tok.text)
                if outcome is None:
                    outcome, cue = self.context_outcome(si, tok.start, tok.end)
                    if outcome is not None and self.threatened(si, cue, tok.start):
                        k += 1
                        continue
                c = _Cand("cas", tok.start + _pro(prefix), tok.end, 2, "exact", si, outcome=outcome, victim=victim,
                          head_end=tok.end)
                self.cands.append(c)
                self.consumed.append((tok.start, tok.end))
                k += 1
                continue
            if number != "singular" or kind != "victim":
                k += 1
                continue
            # a singular noun counts one next to an outcome cue, after «أحدهم», or in a breakdown pair
            adjacent_cue = None
            for ce, c in cue_end.items():
                if ce <= tok.start and not text[ce:tok.start].strip():
                    if any(i[1] and not i[3] for i in c[2]):
                        adjacent_cue = c
            after_cue = None
            if nxt is not None and nxt.start in cue_start:
                c = cue_start[nxt.start]
                if any(i[2] and not i[3] for i in c[2]) and not nxt.text.endswith("وا"):
                    after_cue = c
            # pair «مواطنة وطفل استشهدا»
            pair = None
            if nxt is not None and nxt.text.startswith("و"):
                p2, r2 = _roles(nxt.text)
                v2 = _role(r2, "victim")
                verb = _next_tok(text, nxt.end, sent.end) if v2 else None
                if v2 and v2[2] == "singular" and p2 == "و" and verb is not None:
                    if verb.start in cue_start and verb.text.endswith("ا"):
                        pair = (v2, nxt, cue_start[verb.start])
            marker_before = prev_end in markers_end or prev_end in one_of
            one_of_start = one_of.get(prev_end)
            coordinated = False
            if tok.text.startswith("و") and prefix == "و":
                left = [c for c in self.cands if c.kind == "cas" and c.sent == si and c.head_end <= tok.start
                        and not text[c.head_end:tok.start].strip()]
                if left:
                    x = left[-1]
                    coordinated = x.in_breakdown or any(
                        me <= x.start and x.start - me <= 40 and not any(me <= o.start < x.start for o in self.cands)
                        for me in markers_end)
            victim = self.refine_victim(group, tok, sent.end, tok.text)
            if pair:
                v2, tok2, verb = pair
                outcome = verb[2][0][0]
                total = _Cand("cas", tok.start + _pro(prefix), tok2.end, 2, "exact", si, outcome=outcome,
                              victim="total", head_end=tok2.end)
                self.cands.append(total)
                for g, t, p in ((group, tok, prefix), (v2[1], tok2, "و")):
                    if g not in ("total", "civilians"):
                        sub = _Cand("cas", t.start + len(p), t.end, 1, "exact", si, outcome=outcome, victim=g,
                                    head_end=t.end)
                        sub.parent = total
                        self.cands.append(sub)
                self.consumed.append((tok.start, verb[1]))
                k += 1
                continue
            if one_of_start is not None:
                c = _Cand("cas", one_of_start, tok.end, 1, "exact", si, victim=victim, head_end=tok.end)
                c.marker_child = True
            elif marker_before or coordinated:
                if group == "total" or (group == "civilians" and not coordinated):
                    k += 1
                    continue
                c = _Cand("cas", tok.start + _pro(prefix), tok.end, 1, "exact", si, victim=victim, head_end=tok.end)
                c.marker_child = marker_before
                c.in_breakdown = True
            elif adjacent_cue or after_cue:
                cue = adjacent_cue or after_cue
                outcome = [i for i in cue[2] if (i[1] if cue is adjacent_cue else i[2])][0][0]
                if adjacent_cue and self.threatened(si, adjacent_cue, tok.start):
                    k += 1
                    continue
                c = _Cand("cas", tok.start + _pro(prefix), tok.end, 1, "exact", si, outcome=outcome, victim=victim,
                          head_end=tok.end)
            else:
                k += 1
                continue
            self.cands.append(c)
            self.consumed.append((c.start, c.end))
            k += 1

    def munition_noun(self, si: int, tok: _Tok, prefix: str, mun: tuple) -> None:
        lex = self.lex
        text = self.text
        sent = self.sents[si]
        _, key, number = mun
        entry = lex.munitions[key]
        mtype, pend, mult, unit = _munition_phrase(self, tok, key, sent.end)
        if not mtype:
            return
        definite = _definite(prefix)
        value = None
        if number == "dual" or (number == "construct_dual" and "ب" in prefix):
            value = 2
        elif number == "singular" and entry.get("count_singular") and not definite:
            value = 1
        if mult > 1 and value in (None, 1):
            value = mult
        if value is None and number == "singular" and (definite or not entry.get("count_singular")) and \
                mtype == entry.get("type") and pend == tok.end:
            return  # «القذيفة», «انفجار»: a bare singular names an event already counted or none at all
        if value is None:
            self.cands.append(_Cand("mun", tok.start + _pro(prefix), pend, None, "unspecified", si, mtype=mtype,
                                    unit=unit, head_end=pend))
        else:
            self.cands.append(_Cand("mun", tok.start + _pro(prefix), pend, value, "exact", si, mtype=mtype, unit=unit,
                                    head_end=pend))
        self.consumed.append((tok.start, pend))

    def material_cands(self, si: int) -> None:
        lex = self.lex
        sent = self.sents[si]
        if sent.covid:
            return
        for start, clitic, _, end in self.sentence_phrases("material", sent):
            if self.is_consumed(start, end):
                continue
            self.cands.append(_Cand("mun", start - clitic, end, None, "unspecified", si,
                                    mtype=lex.materials[_key(self.text[start - clitic:end])], head_end=end))
            self.consumed.append((start, end))


# ----------------------------------------------------------------------------- document-level structure


def _breakdowns(doc: _Doc, si: int, cands: list[_Cand]) -> None:
    lex = doc.lex
    text = doc.text
    sent = doc.sents[si]
    markers = sent.markers
    prev: _Cand | None = None
    scope: _Cand | None = None
    for c in cands:
        if c.parent is not None:  # pair members
            prev = c if c.parent is None else prev
            continue
        gap_start = prev.head_end if prev else sent.start
        marker = any(gap_start <= ms and me <= c.start for ms, me in markers) if prev else False
        own_outcome = c.outcome is not None and not c.from_context and prev is not None and \
            prev.outcome is not None and c.outcome != prev.outcome
        if own_outcome:
            scope = None
        elif prev is not None and (marker or c.marker_child or (c.marker_after and not any(
                gap_start <= cs < c.start for cs, _, _ in sent.cues))):
            c.parent = prev
            scope = prev
            c.in_breakdown = True
        elif c.complement and scope is not None:
            target = scope
            for p in [x for x in cands if x is not c]:
                kids = [k for k in cands if k.parent is p and k.value is not None]
                if p.value is not None and c.value is not None and any(k.value + c.value == p.value for k in kids):
                    target = p
            c.parent = target
            c.in_breakdown = True
        elif scope is not None and prev is not None and lex.coord_re.match(text[gap_start:c.start]) and \
                (c.outcome is None or c.outcome == scope.outcome or scope.outcome is None) and \
                (c.victim is None or SUBGROUPS.get(scope.victim or "total") is None or c.victim in SUBGROUPS[scope.victim]) \
                and not (c.outcome is not None and not c.from_context and c.victim == "total" and c.outcome != scope.outcome):
            if "," in text[gap_start:c.start] or "،" in text[gap_start:c.start]:
                if not re.search(r"\S", text[gap_start:c.start].replace(",", "").replace("،", "").replace("و", "")):
                    scope = None
            if scope is not None:
                c.parent = scope
                c.in_breakdown = True
        else:
            scope = None
        if c.parent is not None and c.parent.outcome is not None and c.outcome != c.parent.outcome:
            c.outcome = c.parent.outcome
        prev = c


def _root(c: _Cand) -> _Cand:
    while c.alias is not None:
        c = c.alias
    return c


def _compatible_q(a: str, b: str) -> bool:
    return a == b or {a, b} in ({"exact", "at_least"}, {"exact", "about"})


def _victim_ok(a: str | None, b: str | None) -> bool:
    return a == b or a in (None, "total") or b in (None, "total")


def _structure(doc: _Doc) -> list[_Cand]:
    cands = sorted(doc.cands, key=lambda c: (c.start, c.end))
    by_sent: dict[int, list[_Cand]] = {}
    for c in cands:
        if c.kind == "cas":
            by_sent.setdefault(c.sent, []).append(c)
    for si, cs in by_sent.items():
        _breakdowns(doc, si, cs)
    # parents first: inherit outcome and victim
    cas = [c for c in cands if c.kind == "cas"]
    kept: list[_Cand] = []
    for c in cas:
        if c.parent is not None:
            p = _root(c.parent)
            if p.outcome is not None:
                c.outcome = p.outcome
            if c.victim is None:
                c.victim = p.victim
        if c.outcome is None and c.definite and c.value is not None:
            for g in reversed(kept):
                if g.value == c.value and g.sent < c.sent:
                    c.alias = g
                    break
            if c.alias is None:
                continue
            continue
        if c.outcome is None:
            continue
        if c.victim is None:
            c.victim = "total"
        # the same fact stated again in another sentence
        dup = None
        if c.value is not None:
            cp = _root(c.parent) if c.parent is not None else None
            for g in kept:
                gp = _root(g.parent) if g.parent is not None else None
                if g.sent != c.sent and g.outcome == c.outcome and g.value == c.value and gp is cp and \
                        _victim_ok(g.victim, c.victim) and _compatible_q(g.qualifier, c.qualifier):
                    dup = g
                    break
        if dup is not None:
            c.alias = dup
            if dup.qualifier == "exact" and c.qualifier != "exact":
                dup.qualifier = c.qualifier
            if dup.victim == "total" and c.victim != "total":
                dup.victim = c.victim
            continue
        kept.append(c)
    keep_set = set(map(id, kept))
    for c in kept:
        if c.parent is not None:
            p = _root(c.parent)
            c.parent = p if id(p) in keep_set else None
    # munitions: merge a repeated count of the same weapon; one unspecified mention per sentence and type
    muns: list[_Cand] = []
    seen_unspec = set()
    counted = {(c.sent, c.mtype) for c in cands if c.kind == "mun" and c.value is not None}
    for c in (c for c in cands if c.kind == "mun"):
        if c.value is None:
            key = (c.sent, c.mtype)
            if key in seen_unspec or key in counted:
                continue
            seen_unspec.add(key)
            muns.append(c)
            continue
        if any(m.value == c.value and m.mtype == c.mtype and m.sent != c.sent and _compatible_q(m.qualifier, c.qualifier)
               for m in muns):
            continue
        muns.append(c)
    _revisions(doc, kept)
    _denials(doc, kept)
    return kept + muns


def _revisions(doc: _Doc, cas: list[_Cand]) -> None:
    lex = doc.lex
    text = doc.text
    for c in cas:
        sent = doc.sents[c.sent]
        rev = doc.phrases("revision", c.head_end, sent.end)
        if not rev:
            continue
        later = [x for x in cas if x.sent == c.sent and x.start > rev[0][0]]
        earlier = doc.has_phrase("earlier", sent.start, c.start)
        contrast = re.search(r"(?:الا|لكن|غير)\s+(?:ان|انه)", text[c.head_end:rev[0][0]])
        if not later and (earlier or contrast):
            c.superseded = True
    # «وكان المرصد وثق في وقت سابق مقتل 9»: a toll the text calls earlier, when a larger one is reported
    for c in cas:
        sent = doc.sents[c.sent]
        if c.value is None or c.parent is not None or c.superseded:
            continue
        if doc.has_phrase("strong_earlier", sent.start, c.start) and any(
                n is not c and n.outcome == c.outcome and n.value is not None and n.value > c.value and
                n.parent is None for n in cas):
            c.superseded = True
    # «ارتفعت حصيلة القتلى إلى 15»: an earlier, smaller toll of the same people is superseded, unless the
    # new figure is a cumulative total over a longer period («منذ بدء الحملة», «خلال أسبوع»)
    for n in cas:
        sent = doc.sents[n.sent]
        if n.value is None or n.parent is not None:
            continue
        if not doc.has_phrase("revision", max(sent.start, n.start - 60), n.start) or \
                doc.sentence_phrases("cumulative", sent):
            continue
        for c in cas:
            if c.sent < n.sent and c.parent is None and c.value is not None and c.value < n.value and \
                    c.outcome == n.outcome and c.victim == n.victim and not c.superseded:
                c.superseded = True


def _denials(doc: _Doc, cas: list[_Cand]) -> None:
    lex = doc.lex
    text = doc.text
    denied = [i for i, s in enumerate(doc.sents) if doc.sentence_phrases("denial", s)]
    if not denied:
        return
    with_figs = sorted({c.sent for c in cas})
    for si in denied:
        if si in with_figs:
            targets = {si}
        elif not doc.sentence_phrases("denial_topic", doc.sents[si]):
            continue  # a denial of something else (an agreement, a withdrawal)
        else:
            before = [s for s in with_figs if s < si]
            targets = {before[-1]} if before and si - before[-1] <= 2 else set()
        for c in cas:
            if c.sent in targets:
                c.disputed = True


# ----------------------------------------------------------------------------- attributes from mentions and dates


class _Periods:
    """The period of a figure from the dates stated in its sentence and the three before it.

    Many figures share a sentence, so each sentence's dates are read once. A date without a year takes
    the publication year, else the year the text mentions most (counted only when needed).
    """

    def __init__(self, doc: _Doc, published_date: date | None):
        self.doc = doc
        self.published_year = published_date.year if published_date else None
        self._text_year: int | None = None
        self._text_year_read = False
        self._ranges: dict[int, tuple[date, date] | None] = {}
        self._dates: dict[int, list[tuple[int, int, date | None]]] = {}
        # (start, end) of the first word of every month name written in the text, anywhere (as date_re reads them)
        self._month_words = sorted((last + 1 - length, last + 1)
                                   for last, length in doc.lex.month_first_words.iter(doc.text))

    def _names_month(self, start: int, end: int) -> bool:
        """Whether the first word of a month name lies in [start, end): else date_re and range_re match nothing there."""
        for s, e in islice(self._month_words, bisect_left(self._month_words, (start,)), None):
            if s >= end:
                return False
            if e <= end:
                return True
        return False

    def default_year(self) -> int | None:
        if self.published_year:
            return self.published_year
        if not self._text_year_read:
            years = Counter(int(m.group("y1")) for m in self.doc.lex.date_re.finditer(self.doc.text) if m.group("y1")) \
                if self._month_words else None
            self._text_year = years.most_common(1)[0][0] if years else None
            self._text_year_read = True
        return self._text_year

    def _date(self, day: str, month: str, year: str | None) -> date | None:
        y = int(year) if year else self.default_year()
        if y is None:
            return None
        try:
            return date(y, self.doc.lex.months[_key(month)], int(day))
        except ValueError:
            return None

    def _range(self, si: int) -> tuple[date, date] | None:
        """The first «من 3 آذار حتى 5 آذار» of the sentence, when it reads as a valid range."""
        if si not in self._ranges:
            s = self.doc.sents[si]
            m = self.doc.lex.range_re.search(self.doc.text, s.start, s.end) if self._names_month(s.start, s.end) else None
            found = None
            if m:
                y2 = m.group("y2")
                d1 = self._date(m.group("d1"), m.group("m1"), m.group("y1") or y2)
                d2 = self._date(m.group("d2"), m.group("m2"), y2)
                if d1 and d2 and d1 <= d2:
                    found = d1, d2
            self._ranges[si] = found
        return self._ranges[si]

    def _single_dates(self, si: int) -> list[tuple[int, int, date | None]]:
        if si not in self._dates:
            s = self.doc.sents[si]
            self._dates[si] = [(m.start(), m.end(), self._date(m.group("d1"), m.group("m1"), m.group("y1")))
                               for m in self.doc.lex.date_re.finditer(self.doc.text, s.start, s.end)] \
                if self._names_month(s.start, s.end) else []
        return self._dates[si]

    def of(self, c: _Cand) -> tuple[date | None, date | None]:
        for back in range(0, 4):
            si = c.sent - back
            if si < 0:
                break
            if not self.doc.sents[si].has_digits:
                continue
            found = self._range(si)
            if found:
                return found
            if back == 0:
                for start, end, d1 in self._single_dates(si):
                    if start <= c.start < end:
                        continue
                    if d1:
                        return d1, d1
        return None, None


@dataclass
class _SentenceMentions:
    places: list[EntityMention]
    # (normalised start of the cue, the organisation, outlet, group or person it names) per attribution cue
    claims: list[tuple[int, EntityMention | None]]
    # armed groups next to an attack word, not after «عناصر», «مقاتلي», «من» ... (they are the victims then)
    attackers: list[EntityMention]


class _Attribution:
    """Location, perpetrator and claimant of figures from the entity mentions of their sentence."""

    def __init__(self, doc: _Doc, nt, mentions: Sequence[EntityMention]):
        self.doc = doc
        self.nt = nt
        self.mentions = mentions
        # mention indexes by start, to find a sentence's mentions without reading them all
        self._by_start = sorted(range(len(mentions)), key=lambda i: mentions[i].char_start)
        self._starts = [mentions[i].char_start for i in self._by_start]
        self._sents: dict[int, _SentenceMentions] = {}

    def _sentence(self, si: int) -> _SentenceMentions:
        if si in self._sents:
            return self._sents[si]
        doc, nt, lex, text = self.doc, self.nt, self.doc.lex, self.doc.text
        sent = doc.sents[si]
        s0, s1 = nt.to_original(sent.start, sent.end)
        within = self._by_start[bisect_left(self._starts, s0):bisect_right(self._starts, s1)]
        inside = [self.mentions[i] for i in sorted(within) if self.mentions[i].char_end <= s1]  # in given order
        claims = []
        for a_start, _, _, a_end in doc.sentence_phrases("attribution", sent):
            _, a_end = nt.to_original(a_start, a_end)
            near = [m for m in inside if (m.entity_type in ("organisation", "media") and 0 <= m.char_start - a_end <= 60)
                    or (m.entity_type in ("armed_group", "person") and 0 <= m.char_start - a_end <= 15)]
            claims.append((a_start, min(near, key=lambda m: m.char_start) if near else None))
        attacks = [nt.to_original(start, end) for start, _, _, end in doc.sentence_phrases("attack", sent)]
        attackers = []
        for g in inside:
            if g.entity_type != "armed_group":
                continue
            pre = text[max(0, nt.to_normalized(g.char_start) - 14):nt.to_normalized(g.char_start)]
            if _VICTIM_SIDE.search(pre):
                continue
            if any(abs(g.char_start - a1) <= 30 or abs(a0 - g.char_end) <= 30 for a0, a1 in attacks):
                attackers.append(g)
        found = _SentenceMentions([m for m in inside if m.entity_type == "location"], claims, attackers)
        self._sents[si] = found
        return found

    def of(self, c: _Cand) -> tuple[str | None, str | None, str | None]:
        if not self.mentions:
            return None, None, None
        ctx = self._sentence(c.sent)
        # the nearest attribution cue before the figure, else the first after it
        ordered = [x for x in ctx.claims if x[0] < c.start][::-1] + [x for x in ctx.claims if x[0] >= c.start]
        claim_mention = next((m for _, m in ordered if m is not None), None)
        location = None
        if ctx.places:
            f0, f1 = self.nt.to_original(c.start, max(c.end, c.head_end))

            def distance(m):
                return m.char_start - f1 if m.char_start >= f1 else (f0 - m.char_end) * 1.3
            location = _name(min(ctx.places, key=distance))
        perpetrator = next((_name(g) for g in ctx.attackers if g is not claim_mention), None)
        return location, perpetrator, _name(claim_mention) if claim_mention is not None else None


_VICTIM_SIDE = re.compile(r"(?:عناصر|مقاتلي|افراد|عنصر|مقاتلين|من)\s*$")


def _name(m: EntityMention) -> str:
    return m.name_ar or m.surface


# ----------------------------------------------------------------------------- public API


def extract_figures(body: str, mentions: Sequence[EntityMention], published_date: date | None) -> Figures:
    """Casualty and munition figures stated in `body`, with offsets into `body`."""
    if not body:
        return Figures()
    nt = normalize(body)
    text = nt.text
    spans = [(nt.to_normalized(m.char_start), nt.to_normalized(m.char_end - 1) + 1) for m in mentions]
    doc = _Doc(text, sorted(spans), frozenset(a for (a, _), m in zip(spans, mentions) if m.entity_type == "armed_group"))
    numbers = scan_numbers(text)
    lex = doc.lex
    # only sentences holding a number, a counted noun or a weapon are analysed
    busy = {doc.sent_of(n.start) for n in numbers}
    busy.update(doc.sent_of(m[0]) for m in doc.phrases("noun", 0, len(text)))
    busy.update(doc.sent_of(m[0]) for m in doc.phrases("material", 0, len(text)))
    ni = 0
    for si in sorted(busy):
        sent = doc.sents[si]
        while ni < len(numbers) and numbers[ni].start < sent.start:
            ni += 1
        j = ni
        while j < len(numbers) and numbers[j].start < sent.end:
            if numbers[j].end <= sent.end and not doc.in_name(numbers[j].start, numbers[j].end):
                doc.number_cand(si, numbers[j])
            j += 1
        doc.noun_cands(si)
        doc.material_cands(si)
    final = _structure(doc)
    final.sort(key=lambda c: (c.start, -c.end))
    attribution = _Attribution(doc, nt, mentions)
    periods = _Periods(doc, published_date)
    out = Figures()
    index: dict[int, int] = {}
    cas = [c for c in final if c.kind == "cas"]
    for c in cas:
        index[id(c)] = len(out.casualties)
        out.casualties.append(_record(doc, nt, body, c, attribution, periods))
    for c, rec in zip(cas, out.casualties):
        if c.parent is not None and id(c.parent) in index:
            rec.parent_index = index[id(c.parent)]
    for c in final:
        if c.kind == "mun":
            out.munitions.append(_record(doc, nt, body, c, attribution, periods))
    return out


def _record(doc: _Doc, nt, body: str, c: _Cand, attribution: _Attribution, periods: _Periods):
    s, e = nt.to_original(c.start, c.end)
    e = extend_marks(body, e)
    sent = doc.sents[c.sent]
    es, ee = nt.to_original(sent.start, sent.end)
    low, high = _bounds(c.value, c.qualifier)
    location, perpetrator, claimant = attribution.of(c)
    p0, p1 = periods.of(c)
    common = dict(value=c.value, value_low=low, value_high=high, qualifier=c.qualifier, surface=body[s:e],
                  char_start=s, char_end=e, evidence=body[es:ee], evidence_start=es, evidence_end=ee,
                  location=location, perpetrator=perpetrator, claimant=claimant, period_start=p0, period_end=p1)
    if c.kind == "cas":
        return CasualtyFigure(outcome=c.outcome, victim_group=c.victim or "total", disputed=c.disputed,
                              superseded=c.superseded, **common)
    return MunitionFigure(munition_type=c.mtype, unit=c.unit, **common)
