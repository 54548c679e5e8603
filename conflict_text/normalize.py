"""Arabic normalisation for matching, with a map back to offsets in the original text.

Matching folds the letter variants that writers and keyboards mix freely (hamza forms of alef,
alef maqsura, ta marbuta, hamza carriers), drops diacritics, tatweel and invisible direction
marks, and turns Arabic-Indic and Persian digits into ASCII. Every step either keeps a character
(possibly replaced by one other character) or deletes it, so normalised index i always comes
from exactly one original index: `NormalizedText.to_original`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# Deleted: harakat and Quranic marks, superscript alef, tatweel, zero-width and bidi controls, BOM.
_DELETED = (
    "\u0610\u0611\u0612\u0613\u0614\u0615\u0616\u0617\u0618\u0619\u061a"
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0653\u0654\u0655\u0656\u0657\u0658\u0659\u065a\u065b\u065c\u065d\u065e\u065f"
    "\u0670\u0640\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad"
)
_REPLACED = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ى": "ي",
    "ی": "ي",
    "ئ": "ي",
    "ة": "ه",
    "ۀ": "ه",
    "ؤ": "و",
    "ک": "ك",
    "٬": ",",
    "٫": ".",
    "،": ",",
}
_REPLACED.update({chr(0x0660 + d): str(d) for d in range(10)})  # Arabic-Indic digits
_REPLACED.update({chr(0x06F0 + d): str(d) for d in range(10)})  # Persian digits
# ASCII case only: str.lower() may lengthen some letters (İ), which would break the offset map.
_REPLACED.update({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})
_TABLE = str.maketrans({**_REPLACED, **{ch: None for ch in _DELETED}})
# The same folding as a chain of str.replace calls, one per folded character that occurs in the text:
# str.translate looks every character up in a dict, while `in` and replace run at memchr speed (about
# 4x faster on an article). The order of the steps does not matter: no replacement is itself folded.
_SPACE_RUNS = re.compile("  +")
_FOLD_STEPS = tuple((chr(code), repl or "") for code, repl in _TABLE.items())
assert not {repl for _, repl in _FOLD_STEPS} & {char for char, _ in _FOLD_STEPS}


@dataclass(frozen=True, slots=True)
class NormalizedText:
    text: str
    # The offset map as runs rather than one entry per character: from normalised index marks[k] on,
    # the original index is the normalised one plus shifts[k] (the characters deleted before it; the last
    # k with marks[k] <= i counts, as a run of deletions may repeat a mark).
    marks: tuple[int, ...]
    shifts: tuple[int, ...]
    original_marks: tuple[int, ...]  # the original index of each run's first character
    original_length: int

    def original(self, i: int) -> int:
        """The original index of the character at normalised index i."""
        return i + self.shifts[bisect_right(self.marks, i) - 1]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Maps the normalised span [start, end) to the original span covering the same characters."""
        marks = self.marks
        if len(marks) == 1:
            return start, end
        if start >= end:
            pos = self.original(start) if start < len(self.text) else self.original_length
            return pos, pos
        shifts = self.shifts  # original() inlined: called for every mention and figure
        return start + shifts[bisect_right(marks, start) - 1], end + shifts[bisect_right(marks, end - 1) - 1]

    def to_normalized(self, original: int) -> int:
        """The normalised index of the last kept character at or before the original index `original`."""
        if len(self.marks) == 1:
            return original
        k = bisect_right(self.original_marks, original) - 1
        run_end = self.marks[k + 1] if k + 1 < len(self.marks) else len(self.text)
        return max(0, min(original - self.shifts[k], run_end - 1))


def fold_char_table() -> dict[int, str | None]:
    """The translation table, for callers that fold many short strings (gazetteer keys)."""
    return _TABLE


# The same table as a list indexed by code point (code points past its end raise IndexError, which
# str.translate reads as unmapped): a list is indexed where a dict is hashed for every character, about
# twice as fast.
_TABLE_BY_CODE_POINT = [_TABLE.get(code, chr(code)) for code in range(max(_TABLE) + 1)]
# translate costs per character, the replace chain of fold_document per folded character it looks for (a scan
# of the text each): translate is faster below about 150 characters, the chain above (measured per call:
# 1.3 against 5.4 µs at 30 characters, 7.5 against 6.2 µs at 200, 15 against 9 µs at 400).
_TRANSLATE_BELOW = 150


def fold(text: str) -> str:
    """The matching key of a string (a word, a line, a sentence, a paragraph), without the offset map."""
    if len(text) < _TRANSLATE_BELOW:
        return text.translate(_TABLE_BY_CODE_POINT)
    return fold_document(text)[0]


_WHITESPACE = re.compile(r"\s+")


def match_key(text: str) -> str:
    """Folded, whitespace-squeezed matching key of a name or a phrase (gazetteer aliases, cue words, dates)."""
    return _WHITESPACE.sub(" ", fold(text)).strip()


def _positions(text: str, char: str) -> list[int]:
    """Indexes of `char` in `text`."""
    out, i = [], text.find(char)
    while i >= 0:
        out.append(i)
        i = text.find(char, i + 1)
    return out


def fold_document(text: str) -> tuple[str, list[int]]:
    """`fold(text)` of a whole document, and the sorted indexes of the characters it deleted."""
    folded, deleted = text, []
    for char, repl in _FOLD_STEPS:
        if char in folded:
            folded = folded.replace(char, repl)
            if not repl:
                deleted += _positions(text, char)
    deleted.sort()
    return folded, deleted


def index_shifts(deleted_runs: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """(marks, shifts) mapping indexes of a text without `deleted_runs` (sorted, disjoint [a, b)
    spans of the original) to original indexes: i + shifts[k] for the last marks[k] <= i."""
    marks, shifts, deleted = [0], [0], 0
    for a, b in deleted_runs:
        deleted += b - a
        marks.append(b - deleted)  # the index, in the shortened text, of the character after the run
        shifts.append(deleted)
    return marks, shifts


def _merged(runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The [a, b) spans sorted, with overlapping ones joined."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(runs):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def normalize(text: str, spaces: str | None = None) -> NormalizedText:
    """Normalises `text` for matching; the result's length may be shorter, never longer.

    With `spaces` (the characters to read as a space: tabs, no-break spaces, the «_» of a hashtag ...),
    those become a space and every run of spaces one space, the offset map covering the runs squeezed.
    """
    folded, deleted = fold_document(text)
    runs = [(i, i + 1) for i in deleted]
    marks, shifts = index_shifts(runs)
    if spaces is not None:
        # Squeezing with str methods first: a regex over every character of the article cost as
        # much as the rest of normalising, and runs of spaces are rare in cleaned bodies.
        for char in spaces:  # one for one: the offsets do not move
            if char in folded:
                folded = folded.replace(char, " ")
        if "  " in folded:
            squeezed = [(m.start() + 1, m.end()) for m in _SPACE_RUNS.finditer(folded)]
            # the same runs in original coordinates, which may enclose folded-away characters
            at = lambda i: i + shifts[bisect_right(marks, i) - 1]  # noqa: E731
            runs += [(at(a), at(b - 1) + 1) for a, b in squeezed]
            marks, shifts = index_shifts(_merged(runs))
            folded = _SPACE_RUNS.sub(" ", folded)
    original_marks = tuple(mark + shift for mark, shift in zip(marks, shifts))
    return NormalizedText(folded, tuple(marks), tuple(shifts), original_marks, len(text))
