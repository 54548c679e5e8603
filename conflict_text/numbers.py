"""Numbers in Arabic news text: digits, number words, multipliers and vague quantities.

`find_numbers(text)` returns every number expression with its value and its span in `text`.
Matching runs on the normalised text (Arabic-Indic digits already ASCII, letter variants folded) and
offsets are mapped back with `NormalizedText.to_original`. The words live in data/number_words.json;
the engine finds number words with one Aho-Corasick pass and digits with one regex, then a small
combiner joins compounds such as «مئة وخمسة وعشرون», «6 آلاف و400», «مليون و300 ألف», «1.3 مليون».

Kinds: "digits", "words", "mixed" (digits with word multipliers), "vague" (عشرات، مئات، آلاف، عدة ...,
value None), "ordinal" (الثاني والعشرين, value None), "date", "time", "percent" (value None for
date and time, the number for percent) — callers decide which kinds count.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

import ahocorasick

from conflict_text.arabic import AND, ARTICLE, PREFIXES
from conflict_text.normalize import fold, normalize


@dataclass(frozen=True, slots=True)
class NumberSpan:
    value: int | float | None
    start: int
    end: int
    kind: str
    definite: bool = False  # written with the article («الستة», «الـ13»): refers back to a known count
    text: str = ""


@dataclass(frozen=True, slots=True)
class _Lexicon:
    words: dict[str, tuple[str, float | None]]  # folded word -> (class, value)
    # every written form (a word, or a prefix and a word) -> (prefix, word), found in one Aho-Corasick pass
    forms: ahocorasick.Automaton
    percent_after: re.Pattern  # what makes the number before it a percentage («15 في المئة»)
    vague_when_leading: tuple[str, ...]  # multipliers with no value when they lead a number («آلاف»)


def _finditer_from(pattern: re.Pattern, first_char: re.Pattern, text: str) -> Iterator[re.Match]:
    """`pattern.finditer(text)`, trying only the positions where `first_char` matches.

    Every match of `pattern` must begin with a character of the one-character class `first_char` and be
    non-empty. `re` skips to such characters in C, whereas a pattern that begins with a look-behind or an
    alternation of classes is tried at every position of the text.
    """
    pos = 0
    while (c := first_char.search(text, pos)) is not None:
        m = pattern.match(text, c.start())
        if m is None:
            pos = c.start() + 1
        else:
            yield m
            pos = m.end()


@cache
def _data() -> dict:
    return json.loads(resources.files("conflict_text").joinpath("data/number_words.json").read_text("utf-8"))


@cache
def _lexicon() -> _Lexicon:
    data = _data()
    words: dict[str, tuple[str, float | None]] = {}
    for cls in ("units", "teen_units", "ten", "tens", "hundred", "hundreds", "multipliers", "fractions"):
        for word, value in data[cls].items():
            words.setdefault(fold(word), (cls, value))
    for word in data["vague"]:
        for part in fold(word).split():
            if part.startswith(ARTICLE) and part[len(ARTICLE) :] in words:
                continue
            words.setdefault(part, ("vague", None))
    for word in data["ordinals"]:
        words.setdefault(fold(word), ("ordinal", None))
    # A letter run reads as the bare word first, else as the longest prefix followed by a word.
    prefixes = sorted(PREFIXES, key=len, reverse=True)
    forms: dict[str, tuple[str, str]] = {w: ("", w) for w in words}
    for prefix in prefixes:
        for word in words:
            forms.setdefault(prefix + word, (prefix, word))
    automaton = ahocorasick.Automaton()
    for form, split in forms.items():
        if not _LETTERS.fullmatch(form):
            raise ValueError(f"number word {form!r}: only letters can be matched as a whole letter run")
        automaton.add_word(form, (len(form), *split))
    automaton.make_automaton()
    percent_after = re.compile(r"\s*(?:" + "|".join(re.escape(fold(w)) for w in data["percent_after"]) + ")")
    return _Lexicon(words, automaton, percent_after, tuple(fold(w) for w in data["vague_when_leading"]))


_LETTERS = re.compile(r"[^\W\d_]+")
# Digits not glued to a Latin word, a handle, a path or another number. The look-behind follows the
# first digit so that the pattern starts with a character class, which `re` skips to in C.
_DIGITS = re.compile(r"\d(?<![A-Za-z_@#/\\\d.,]\d)\d*(?:[.,]\d+)*(?![A-Za-z_\d])")
_MASKS = re.compile(
    r"(?P<url>https?://\S+|www\.\S+|[A-Za-z0-9._%-]+\.(?:com|net|org|info|sy|tv|me)\b\S*)"
    r"|(?P<date>(?<!\d)\d{1,4}[/-]\d{1,2}[/-]\d{1,4}(?!\d)|(?<!\d)\d{1,2}\.\d{1,2}\.\d{4}(?!\d))"
    r"|(?P<time>(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d))"
    r"|(?P<handle>[@#][\w.]+)"
)
_MASK_FIRST = re.compile(r"[A-Za-z0-9._%@#-]")
# What every match of _MASKS holds («://», «www.», a domain ending, digits joined by / - . or :, @ or #):
# most articles hold none of it, and then no position needs trying. Looked for as substrings, and the
# joined digits from the joining mark on (a pattern opening with a class of literals is skipped to in C;
# one alternation of them all was tried at every position of the text).
_MASK_HINT_SUBSTRINGS = (
    "://",
    "www.",
    "@",
    "#",
    *(f".{ending}" for ending in ("com", "net", "org", "info", "sy", "tv", "me")),
)
_JOINED_DIGITS = re.compile(r"[/.:-](?<=\d[/.:-])\d")


def _may_hold_masks(text: str) -> bool:
    return any(hint in text for hint in _MASK_HINT_SUBSTRINGS) or _JOINED_DIGITS.search(text) is not None


def _word_matches(text: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, prefix, word) of each letter run of `text` that is a number word, with or without prefix."""
    n = len(text)
    for last, (length, prefix, word) in _lexicon().forms.iter(text):
        start, end = last + 1 - length, last + 1
        # a letter is `[^\W\d_]`, tested with str methods: a regex call per hit cost more than the automaton pass
        if start and text[start - 1].isalnum() and not text[start - 1].isdecimal():
            continue
        if end < n and text[end].isalnum() and not text[end].isdecimal():
            continue
        yield start, end, prefix, word


_GAP = re.compile(rf"\s*({AND})?\s*")


@dataclass(slots=True)
class _Tok:
    cls: str
    value: float | None
    start: int
    end: int
    conj: bool  # joined to the previous token by «و»
    definite: bool


def _digits_value(raw: str, followed_by_multiplier: bool) -> float | None:
    if "," in raw:
        head, *rest = raw.split(",")
        if all(len(r) == 3 for r in rest) and len(head) <= 3:
            raw = raw.replace(",", "")
        else:
            return None
    if "." in raw:
        parts = raw.split(".")
        if len(parts) == 2 and not followed_by_multiplier and len(parts[1]) == 3 and len(parts[0]) <= 3:
            raw = raw.replace(".", "")  # 1.300 written with a dot as thousands separator
        elif len(parts) == 2:
            return float(raw)
        else:
            return None
    return float(int(raw))


def _tokens(ntext: str) -> tuple[list[_Tok], list[NumberSpan]]:
    lex = _lexicon()
    special: list[NumberSpan] = []
    masked = ntext
    pieces = []
    last = 0
    for m in _finditer_from(_MASKS, _MASK_FIRST, ntext) if _may_hold_masks(ntext) else ():
        kind = m.lastgroup
        if kind in ("date", "time"):
            special.append(NumberSpan(None, m.start(), m.end(), kind, False, m.group()))
        pieces.append(ntext[last : m.start()])
        pieces.append(" " * (m.end() - m.start()))
        last = m.end()
    if pieces:
        pieces.append(ntext[last:])
        masked = "".join(pieces)
    toks: list[_Tok] = []
    for m in _DIGITS.finditer(masked):
        start, end = m.span()
        before = masked[max(0, start - 3) : start]
        definite = before.endswith(ARTICLE) or before.endswith(ARTICLE + " ")
        toks.append(_Tok("digits", None, start, end, False, definite))
    for start, end, prefix, word in _word_matches(masked):
        cls, value = lex.words[word]
        toks.append(_Tok(cls, value, start, end, prefix.startswith(AND), ARTICLE in prefix))
    toks.sort(key=lambda t: t.start)
    # digits values need to know whether a multiplier follows
    for i, t in enumerate(toks):
        if t.cls == "digits":
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            mult = nxt is not None and nxt.cls == "multipliers" and not masked[t.end : nxt.start].strip()
            t.value = _digits_value(masked[t.start : t.end], mult)
            if t.value is None:
                t.cls = "junk"
    return toks, special


def _can_join(prev: _Tok, tok: _Tok, gap_conj: bool) -> bool:
    conj = gap_conj or tok.conj
    if prev.cls == "junk" or tok.cls == "junk":
        return False
    if tok.cls == "vague":
        return prev.cls == "vague" and not conj
    if prev.cls == "vague":
        return tok.cls == "multipliers" and not conj  # عشرات الآلاف
    if tok.cls == "ordinal":
        return False
    if prev.cls == "ordinal":
        return tok.cls in ("ten", "tens") and (conj or tok.cls == "ten")
    if tok.cls == "ten":
        return prev.cls in ("units", "teen_units") and not conj
    if prev.cls == "teen_units":
        return False
    if tok.cls == "multipliers":
        return not conj
    if tok.cls == "hundred":
        return (prev.cls == "units" and not conj) or (conj and prev.cls in ("multipliers",))
    if tok.cls == "fractions":
        return conj and prev.cls == "multipliers"
    if prev.cls == "fractions":
        return False
    # units, tens, hundreds, digits after a number: only compounds joined with «و»
    if not conj:
        return False
    if prev.cls == "multipliers" or prev.cls in ("hundred", "hundreds"):
        return tok.cls in ("units", "tens", "hundreds", "digits", "ten")
    if prev.cls in ("units", "ten"):
        return tok.cls == "tens"  # خمسة وعشرون
    if prev.cls == "digits":
        return False
    return False


def _value(group: list[_Tok]) -> tuple[float | None, str]:
    classes = {t.cls for t in group}
    if "ordinal" in classes:
        return None, "ordinal"
    if classes == {"vague"} or (group[0].cls == "vague"):
        return None, "vague"
    total = 0.0
    cur = 0.0
    prev: _Tok | None = None
    last_mult = 1.0
    for t in group:
        if t.cls in ("units", "tens", "hundreds", "digits", "teen_units", "ten"):
            cur += t.value
        elif t.cls == "hundred":
            if prev is not None and prev.cls == "units" and not t.conj:
                cur = cur * 100
            else:
                cur += 100
        elif t.cls == "multipliers":
            cur = (cur if cur else 1) * t.value
            total += cur
            cur = 0.0
            last_mult = t.value
        elif t.cls == "fractions":
            if prev is not None and prev.cls == "multipliers":
                total += t.value * last_mult
            else:
                cur += t.value
        prev = t
    value = total + cur
    kind = "digits" if classes == {"digits"} else ("mixed" if "digits" in classes else "words")
    return value, kind


def scan_numbers(ntext: str) -> list[NumberSpan]:
    """Number expressions in already-normalised text, with offsets into that text."""
    toks, special = _tokens(ntext)
    spans: list[NumberSpan] = list(special)
    group: list[_Tok] = []

    def flush() -> None:
        if not group:
            return
        # a lone teen-unit or fraction is not a number («أحد», «نصف»); a lone آلاف is vague
        if len(group) == 1 and group[0].cls in ("teen_units", "fractions", "junk"):
            group.clear()
            return
        if group[0].cls == "multipliers" and ntext[group[0].start : group[0].end].endswith(
            _lexicon().vague_when_leading
        ):
            value, kind = None, "vague"
        else:
            value, kind = _value(group)
        start, end = group[0].start, group[-1].end
        if kind not in ("vague", "ordinal") and value is not None:
            if float(value).is_integer():
                value = int(value)
            m = _lexicon().percent_after.match(ntext, end)
            if m and kind != "words":
                spans.append(NumberSpan(value, start, m.end(), "percent", False, ntext[start : m.end()]))
                group.clear()
                return
        spans.append(NumberSpan(value, start, end, kind, group[0].definite, ntext[start:end]))
        group.clear()

    for tok in toks:
        if group:
            prev = group[-1]
            gap = ntext[prev.end : tok.start]
            gm = _GAP.fullmatch(gap)
            if gm and _can_join(prev, tok, gm.group(1) is not None):
                group.append(tok)
                continue
            flush()
            if spans and spans[-1].kind == "percent" and tok.start < spans[-1].end:
                continue  # «المئة» of «15 في المئة» is part of the percentage
        group.append(tok)
    flush()
    spans.sort(key=lambda s: s.start)
    return spans


_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]*")


def extend_marks(text: str, end: int) -> int:
    """`end` moved past the diacritics and tatweel that follow it (they belong to the last letter)."""
    return _MARKS.match(text, end).end()


def find_numbers(text: str) -> list[NumberSpan]:
    """Every number expression in `text` (raw, not normalised), with offsets into `text`."""
    nt = normalize(text)
    out = []
    for s in scan_numbers(nt.text):
        start, end = nt.to_original(s.start, s.end)
        end = extend_marks(text, end)
        out.append(NumberSpan(s.value, start, end, s.kind, s.definite, text[start:end]))
    return out


def parse_number(text: str) -> int | float | None:
    """The value of a text that is one number expression («مئة وخمسة وعشرون», «1.3 مليون»), else None."""
    spans = [s for s in find_numbers(text) if s.kind in ("digits", "words", "mixed")]
    return spans[0].value if len(spans) == 1 else None
