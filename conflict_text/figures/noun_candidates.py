"""Candidates from nouns without a number: dual and singular victims or outcomes, and weapon nouns."""

from __future__ import annotations

from conflict_text.arabic import AND, DUAL_VERB_ENDING, PLURAL_VERB_ENDING, is_definite, proclitic_length
from conflict_text.figures.document import Document
from conflict_text.figures.lexicon import noun_roles, role_of
from conflict_text.figures.munitions import munition_noun
from conflict_text.figures.rules import rule_table
from conflict_text.figures.sentence import Candidate
from conflict_text.figures.words import DIGIT, Tok, end_before, next_token


class NounContext:
    """What the rules of phases noun.* (data/figure_rules/) read about a dual or singular noun."""

    __slots__ = ("doc", "si", "sent", "at", "start", "definite", "outcome", "victim", "cue")

    def __init__(self, doc: Document, si: int, tok: Tok, definite: bool):
        self.doc, self.si, self.sent, self.definite = doc, si, doc.sents[si], definite
        self.at = self.start = tok.start
        self.outcome: str | None = None
        self.victim: str | None = None
        self.cue: tuple | None = None  # the outcome cue the outcome was read from


def noun_candidates(doc: Document, si: int) -> None:
    text = doc.text
    phase = rule_table().phase
    sent = doc.sents[si]
    toks = [Tok(text[start:end], start, end) for start, _, _, end in doc.sentence_phrases("noun", sent)]
    if not toks:
        return
    cue_end = {c[1]: c for c in sent.cues}
    cue_start = {c[0]: c for c in sent.cues}
    markers_end = {end for _, end in sent.markers}
    one_of = {end: start for start, _, _, end in doc.sentence_phrases("one_of", sent)}
    for tok in toks:
        if doc.is_consumed(tok.start, tok.end):
            continue
        prefix, roles = noun_roles(tok.text)
        if not roles:
            continue
        definite = is_definite(prefix)
        v = role_of(roles, "victim") or role_of(roles, "outcome")
        mun = role_of(roles, "munition")
        if mun and not sent.covid:
            munition_noun(doc, si, tok, prefix, mun)
            continue
        if v is None:
            continue
        ctx = NounContext(doc, si, tok, definite)
        if rejected := phase.noun_read(ctx):
            doc.reject(rejected, tok.start, tok.end)
            continue
        kind, group, number = v
        prev_end = end_before(text, tok.start, sent.start)
        nxt = next_token(text, tok.end, sent.end)
        fired = []
        if number == "dual":
            fired.append("dual-outcome-noun" if kind == "outcome" else "dual-victim-noun")
            outcome = group if kind == "outcome" else None
            victim = "total" if kind == "outcome" else doc.refine_victim(group, tok, sent.end, tok.text, fired)
            if outcome is None:
                outcome, cue = doc.context_outcome(si, tok.start, tok.end)
                ctx.outcome, ctx.cue, ctx.victim = outcome, cue, victim
                if rejected := phase.noun_outcome(ctx):
                    doc.reject(rejected, tok.start, tok.end)
                    continue
                if cue is not None:
                    fired.append("outcome-cue-after" if cue[0] >= tok.end else "outcome-cue-before")
            c = _noun_figure(
                tok.start + proclitic_length(prefix), tok.end, 2, si, fired, outcome=outcome, victim=victim
            )
            doc.cands.append(c)
            doc.consumed.append((tok.start, tok.end))
            continue
        if number != "singular" or kind != "victim":
            continue
        # a singular noun counts one next to an outcome cue, after «أحدهم», or in a breakdown pair
        adjacent_cue = None
        for ce, c in cue_end.items():
            if ce <= tok.start and not text[ce : tok.start].strip():
                if any(i[1] and not i[3] for i in c[2]):
                    adjacent_cue = c
        after_cue = None
        if nxt is not None and nxt.start in cue_start:
            c = cue_start[nxt.start]
            if any(i[2] and not i[3] for i in c[2]) and not nxt.text.endswith(PLURAL_VERB_ENDING):
                after_cue = c
        # pair «مواطنة وطفل استشهدا»
        pair = None
        if nxt is not None and nxt.text.startswith(AND):
            p2, r2 = noun_roles(nxt.text)
            v2 = role_of(r2, "victim")
            verb = next_token(text, nxt.end, sent.end) if v2 else None
            if v2 and v2[2] == "singular" and p2 == AND and verb is not None:
                if verb.start in cue_start and verb.text.endswith(DUAL_VERB_ENDING):
                    pair = (v2, nxt, cue_start[verb.start])
        marker_before = prev_end in markers_end or prev_end in one_of
        one_of_start = one_of.get(prev_end)
        coordinated = False
        if tok.text.startswith(AND) and prefix == AND:
            left = [
                c
                for c in doc.cands
                if c.kind == "cas"
                and c.sent == si
                and c.head_end <= tok.start
                and not text[c.head_end : tok.start].strip()
            ]
            if left:
                x = left[-1]
                coordinated = x.in_breakdown or any(
                    me <= x.start and x.start - me <= 40 and not any(me <= o.start < x.start for o in doc.cands)
                    for me in markers_end
                )
        victim = doc.refine_victim(group, tok, sent.end, tok.text, fired)
        if pair:
            v2, tok2, verb = pair
            outcome = verb[2][0][0]
            total = _noun_figure(
                tok.start + proclitic_length(prefix),
                tok2.end,
                2,
                si,
                ["singular-pair-with-dual-verb"],
                outcome=outcome,
                victim="total",
            )
            doc.cands.append(total)
            for member, t, p in ((group, tok, prefix), (v2[1], tok2, AND)):
                if member not in ("total", "civilians"):
                    sub = _noun_figure(
                        t.start + len(p), t.end, 1, si, ["singular-pair-member"], outcome=outcome, victim=member
                    )
                    sub.parent = total
                    doc.cands.append(sub)
            doc.consumed.append((tok.start, verb[1]))
            continue
        if one_of_start is not None:
            c = _noun_figure(one_of_start, tok.end, 1, si, ["one-of-them", *fired], victim=victim)
            c.marker_child = True
        elif marker_before or coordinated:
            if group == "total" or (group == "civilians" and not coordinated):
                doc.reject("singular-person-in-breakdown", tok.start, tok.end)
                continue
            c = _noun_figure(
                tok.start + proclitic_length(prefix), tok.end, 1, si, ["singular-in-breakdown", *fired], victim=victim
            )
            c.marker_child = marker_before
            c.in_breakdown = True
        elif adjacent_cue or after_cue:
            cue = adjacent_cue or after_cue
            outcome = [i for i in cue[2] if (i[1] if cue is adjacent_cue else i[2])][0][0]
            ctx.outcome, ctx.cue, ctx.victim = outcome, cue, victim
            if rejected := phase.noun_outcome(ctx):
                doc.reject(rejected, tok.start, tok.end)
                continue
            c = _noun_figure(
                tok.start + proclitic_length(prefix),
                tok.end,
                1,
                si,
                ["singular-next-to-cue" if cue is adjacent_cue else "singular-before-cue", *fired],
                outcome=outcome,
                victim=victim,
            )
        elif (listed := _listed_after(doc, si, tok, prefix)) is not None:
            c = _noun_figure(
                tok.start + proclitic_length(prefix),
                tok.end,
                1,
                si,
                ["singular-listed-after-victim", *fired],
                outcome=own[0][0] if (own := _post_readings(nxt, cue_start)) else listed.outcome,
                victim=victim,
            )
        else:
            doc.reject("singular-without-cue", tok.start, tok.end)
            continue
        doc.cands.append(c)
        doc.consumed.append((c.start, c.end))


def _noun_figure(start: int, end: int, value: int, si: int, rules: list[str], **attributes) -> Candidate:
    """A casualty figure a noun states by itself (a dual, a singular person): exact, its head the noun."""
    return Candidate("cas", start, end, value, "exact", si, head_end=end, rules=rules, **attributes)


def _listed_after(doc: Document, si: int, tok: Tok, prefix: str) -> Candidate | None:
    """«مقتل رجل وطفله», «قتل مواطن في القرية ومواطنة في البلدة»: a singular noun joined by «و» to the victims
    counted just before it (within 40 characters, no cue or number between) is one more of them: the count
    it follows, whose outcome it shares."""
    if prefix != AND:
        return None
    sent = doc.sents[si]
    left = [c for c in doc.cands if c.kind == "cas" and c.sent == si and c.head_end <= tok.start]
    if not left:
        return None
    last = max(left, key=lambda c: c.head_end)
    if last.outcome is None or tok.start - last.head_end > 40 or DIGIT.search(doc.text, last.head_end, tok.start):
        return None
    if any(last.head_end <= cs < tok.start for cs, _, _ in sent.cues):
        return None
    return last


def _post_readings(nxt: Tok | None, cue_start: dict) -> list:
    """The readings after a count of the cue that starts at `nxt`, weak ones included («وثالث توفي لاحقا»):
    a listed victim with a verb of its own takes that verb's outcome."""
    if nxt is None or nxt.start not in cue_start:
        return []
    return [i for i in cue_start[nxt.start][2] if i[2]]
