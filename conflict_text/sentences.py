"""Sentence spans of Arabic news text.

A sentence ends at a line break or at . ! ? ؟ … followed by white space (so «1.3» and «د.ب.أ» stay whole).
Spans are (start, end) offsets into the text given, trimmed of surrounding white space; they work on the
raw or on the normalised text alike, since normalisation never turns a letter into one of these marks.
"""

from __future__ import annotations

import re

# A sentence ends at a line break, or after an end mark (and a closing quote) followed by white space.
# The pattern starts with a character class, so that `re` skips from one candidate to the next in C.
_SENTENCE_END = re.compile(r"[\n.!?؟…](?:(?<=\n)|[\"'”»)]?(?=\s))")
_LEADING = re.compile(r"\s*")


def _spans(text: str, splitter: re.Pattern) -> list[tuple[int, int]]:
    """The pieces between the matches of `splitter`; a match ends the piece it follows (its white space
    is trimmed, its end mark kept)."""
    out = []
    start = 0
    for m in splitter.finditer(text):
        _add(text, start, m.end(), out)
        start = m.end()
    _add(text, start, len(text), out)
    return out


def _add(text: str, start: int, end: int, out: list) -> None:
    start = _LEADING.match(text, start).end()
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, in order."""
    return _spans(text, _SENTENCE_END)
