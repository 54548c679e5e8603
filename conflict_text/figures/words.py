"""Tokens of the normalised text."""

from __future__ import annotations

import re
from itertools import islice
from typing import NamedTuple

DIGIT = re.compile(r"\d")
SPACES = re.compile(r"\s*")
TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|[^\w\s]")
# TOKEN_RE as a split (gaps and tokens). A letter run starting with an Arabic letter is read first by a
# range class, which `re` tests much faster than the Unicode category test of [^\W\d_]; same tokens.
TOKEN_SPLIT = re.compile(r"(\d+(?:[.,]\d+)*|[\u0621-\u064a]+[^\W\d_]*|[^\W\d_]+|[^\w\s])")
# marks that may stand between a number and what it counts: quotes, brackets, dashes, and the hash of a hashtag
# («أربعة #أطفال» in a quoted post)
SKIP_PUNCT = set("\"'“”«»()[]<>-–—/:#")
QUOTE_MARKS = frozenset("\"'“”«»")


class Tok(NamedTuple):
    text: str
    start: int
    end: int


_NEXT_TOK = re.compile(r"\s*(\d+(?:[.,]\d+)*|[^\W\d_]+|[^\w\s])")


def next_token(text: str, pos: int, limit: int) -> Tok | None:
    m = _NEXT_TOK.match(text, pos, limit)
    return Tok(m.group(1), m.start(1), m.end(1)) if m else None


def end_before(text: str, pos: int, floor: int) -> int:
    lo = max(floor, pos - 20)
    return lo + len(text[lo:pos].rstrip()) if pos > floor else -1


def tokens_in(text: str, start: int, end: int, limit: int | None = None) -> list[Tok]:
    return [Tok(m.group(), m.start(), m.end()) for m in islice(TOKEN_RE.finditer(text, start, end), limit)]
