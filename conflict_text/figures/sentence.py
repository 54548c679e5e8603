"""A figure candidate, and a sentence with the cues, markers and tokens read from it on first use."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import repeat
from typing import TYPE_CHECKING

from conflict_text.figures.phrases import phrase_key
from conflict_text.figures.words import DIGIT, TOKEN_SPLIT, Tok, tokens_in
from conflict_text.tokens import split_tokens

if TYPE_CHECKING:  # the document holds its sentences: importing it here would be circular
    from conflict_text.figures.document import Document


@dataclass(eq=False, slots=True)
class Candidate:
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
    parent: Candidate | None = None
    definite: bool = False
    complement: bool = False
    alias: Candidate | None = None
    superseded: bool = False
    disputed: bool = False
    in_breakdown: bool = False
    marker_child: bool = False
    marker_after: bool = False  # «ستة منهم»: part of an earlier count, unless an outcome cue stands between
    from_context: bool = False
    modified: bool = False  # a weapon named with a modifier after its noun («قذيفة هاون»), not bare («قذيفة»)
    rules: list[str] = field(default_factory=list)  # ids of the rules that accepted and typed it, in order


@dataclass(slots=True)
class Sentence:
    """A sentence; its cue matches and filters are computed on first use (most sentences hold no count)."""

    doc: Document
    start: int
    end: int
    _covid: bool | None = None
    _population: bool | None = None
    _cues: list | None = None
    _has_digits: bool | None = None
    _markers: list[tuple[int, int]] | None = None
    _tokens: list[Tok] | None = None
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
            self._covid = doc.covid_doc and (
                bool(covid_re.search(text, self.start, self.end))
                or (
                    bool(doc.sentence_phrases("covid_aux", self))
                    and bool(
                        covid_re.search(text, text.rfind("\n", 0, self.start) + 1, self.start)
                        or covid_re.search(text, doc.sents[max(0, doc.sent_of(self.start) - 1)].start, self.start)
                    )
                )
            )
        return self._covid

    @property
    def has_digits(self) -> bool:
        if self._has_digits is None:
            self._has_digits = DIGIT.search(self.doc.text, self.start, self.end) is not None
        return self._has_digits

    @property
    def markers(self) -> list[tuple[int, int]]:
        """(start, end) of each breakdown marker («بينهم», «منهم») in the sentence."""
        if self._markers is None:
            self._markers = [(m[0], m[3]) for m in self.doc.sentence_phrases("marker", self)]
        return self._markers

    def tokens(self, start: int, end: int, limit: int | None = None, last: int | None = None) -> list[Tok]:
        """`tokens_in(text, start, end, limit)` (or its `last` tokens) for a window inside the sentence, cut from
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
                out = tokens_in(text, start, end)
            else:
                head = tokens_in(text, start, toks[i].end) if toks[i].start < start else [toks[i]]
                tail = tokens_in(text, toks[j - 1].start, end) if toks[j - 1].end > end else [toks[j - 1]]
                out = head + toks[i + 1 : j - 1] + tail
            return out[-last:] if last else out[:limit]
        if last:
            i = max(i, j - last)
        if limit is not None:
            j = min(j, i + limit)
        return toks[i:j]  # the tokens are shared: nobody changes a Tok

    def _read_tokens(self) -> None:
        # tuple.__new__ skips Tok.__new__: no Python step per token
        self._token_starts, self._token_ends, texts = split_tokens(
            TOKEN_SPLIT, self.doc.text[self.start : self.end], self.start
        )
        self._tokens = list(map(tuple.__new__, repeat(Tok), zip(texts, self._token_starts, self._token_ends)))

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
            self._cues = [
                (start, end, cues[phrase_key(text[start - clitic : end])])
                for start, clitic, _, end in self.doc.sentence_phrases("cue", self)
            ]
        return self._cues
