"""Location, perpetrator and claimant of a figure from the entity mentions of its sentence."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from conflict_text.figures.document import Document
from conflict_text.figures.lexicon import grammar
from conflict_text.figures.sentence import Candidate
from conflict_text.models import EntityMention
from conflict_text.places import names_a_source


@dataclass
class _SentenceMentions:
    places: list[EntityMention]
    # (normalised start of the cue, the organisation, outlet, group or person it names) per attribution cue
    claims: list[tuple[int, EntityMention | None]]
    # armed groups next to an attack word, not after «عناصر», «مقاتلي», «من» ... (they are the victims then)
    attackers: list[EntityMention]


class Attribution:
    """Location, perpetrator and claimant of figures from the entity mentions of their sentence."""

    def __init__(self, doc: Document, nt, mentions: Sequence[EntityMention], body: str):
        self.doc = doc
        self.body = body
        self.nt = nt
        self.mentions = mentions
        # mention indexes by start, to find a sentence's mentions without reading them all
        self._by_start = sorted(range(len(mentions)), key=lambda i: mentions[i].char_start)
        self._starts = [mentions[i].char_start for i in self._by_start]
        self._sents: dict[int, _SentenceMentions] = {}

    def _sentence(self, si: int) -> _SentenceMentions:
        if si in self._sents:
            return self._sents[si]
        doc, nt, text = self.doc, self.nt, self.doc.text
        victim_side = grammar().victim_side_re
        sent = doc.sents[si]
        s0, s1 = nt.to_original(sent.start, sent.end)
        within = self._by_start[bisect_left(self._starts, s0) : bisect_right(self._starts, s1)]
        inside = [self.mentions[i] for i in sorted(within) if self.mentions[i].char_end <= s1]  # in given order
        claims = []
        for a_start, _, _, a_end in doc.sentence_phrases("attribution", sent):
            _, a_end = nt.to_original(a_start, a_end)
            near = [
                m
                for m in inside
                if (m.entity_type in ("organisation", "media") and 0 <= m.char_start - a_end <= 60)
                or (m.entity_type in ("armed_group", "person") and 0 <= m.char_start - a_end <= 15)
            ]
            claims.append((a_start, min(near, key=lambda m: m.char_start) if near else None))
        attacks = [nt.to_original(start, end) for start, _, _, end in doc.sentence_phrases("attack", sent)]
        attackers = []
        for g in inside:
            if g.entity_type != "armed_group":
                continue
            pre = text[max(0, nt.to_normalized(g.char_start) - 14) : nt.to_normalized(g.char_start)]
            if victim_side.search(pre):
                continue
            if any(abs(g.char_start - a1) <= 30 or abs(a0 - g.char_end) <= 30 for a0, a1 in attacks):
                attackers.append(g)
        found = _SentenceMentions([m for m in inside if m.entity_type == "location"], claims, attackers)
        self._sents[si] = found
        return found

    def of(self, c: Candidate) -> tuple[str | None, str | None, str | None]:
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

            # A place naming a reporting body by its area is the figure's only when the sentence has no other.
            location = _name(min(ctx.places, key=lambda m: (names_a_source(self.body, m.char_start), distance(m))))
        perpetrator = next((_name(g) for g in ctx.attackers if g is not claim_mention), None)
        return location, perpetrator, _name(claim_mention) if claim_mention is not None else None


def _name(m: EntityMention) -> str:
    return m.name_ar or m.surface
