"""Document-level structure of the candidates: breakdowns and their parents, anaphora, restatements merged,
superseded (revised) tolls and disputed (denied) ones."""

from __future__ import annotations

import re

from conflict_text.arabic import AND
from conflict_text.figures.document import Document
from conflict_text.figures.rules import rule_table
from conflict_text.figures.sentence import Candidate
from conflict_text.figures.words import next_token

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


def _breakdowns(doc: Document, si: int, cands: list[Candidate]) -> None:
    lex = doc.lex
    text = doc.text
    sent = doc.sents[si]
    markers = sent.markers
    prev: Candidate | None = None
    scope: Candidate | None = None
    for c in cands:
        if c.parent is not None:  # pair members
            prev = c if c.parent is None else prev
            continue
        gap_start = prev.head_end if prev else sent.start
        # a marker whose list names no number («بينهم نساء وأطفال») ends where a cue of another outcome starts
        # the next count («... وجرح ثلاثة آخرين»): that count is no part of the one before the marker
        marker = (
            any(
                gap_start <= ms
                and me <= c.start
                and not (
                    c.from_context and c.outcome != prev.outcome and any(me <= cs < c.start for cs, _, _ in sent.cues)
                )
                for ms, me in markers
            )
            if prev
            else False
        )
        if not marker and prev is not None and any(gap_start <= ms and me <= c.start for ms, me in markers):
            c.rules.append("breakdown-ends-at-another-outcome")
        own_outcome = (
            c.outcome is not None
            and not c.from_context
            and prev is not None
            and prev.outcome is not None
            and c.outcome != prev.outcome
        )
        if own_outcome:
            scope = None
        elif prev is not None and (
            marker
            or c.marker_child
            or (c.marker_after and not any(gap_start <= cs < c.start for cs, _, _ in sent.cues))
        ):
            c.parent = prev
            scope = prev
            c.in_breakdown = True
            c.rules.append("breakdown-marker")
        elif c.complement and scope is not None:
            target = scope
            for p in [x for x in cands if x is not c]:
                kids = [k for k in cands if k.parent is p and k.value is not None]
                if p.value is not None and c.value is not None and any(k.value + c.value == p.value for k in kids):
                    target = p
            c.parent = target
            c.in_breakdown = True
            c.rules.append("breakdown-complement")
        elif (
            scope is not None
            and prev is not None
            and lex.coord_re.match(text[gap_start : c.start])
            and (c.outcome is None or c.outcome == scope.outcome or scope.outcome is None)
            and (
                c.victim is None
                or SUBGROUPS.get(scope.victim or "total") is None
                or c.victim in SUBGROUPS[scope.victim]
            )
            and not (
                c.outcome is not None and not c.from_context and c.victim == "total" and c.outcome != scope.outcome
            )
        ):
            if "," in text[gap_start : c.start] or "،" in text[gap_start : c.start]:
                if not re.search(
                    r"\S",
                    text[gap_start : c.start].replace(",", "").replace("،", "").replace(AND, ""),
                ):
                    scope = None
            if scope is not None:
                c.parent = scope
                c.in_breakdown = True
                c.rules.append("breakdown-coordination")
        else:
            scope = None
        if c.parent is not None and c.parent.outcome is not None and c.outcome != c.parent.outcome:
            c.outcome = c.parent.outcome
        prev = c


# the others of a child or a woman («مقتل طفل وإصابة 3 آخرين») are civilians, not children or women
_OTHERS_GROUP = {"children": "civilians", "women": "civilians", "women_and_children": "civilians"}


def _others_of_the_count_before(cands: list[Candidate]) -> None:
    """«قتل 3 مدنيين وأصيب 7 آخرون»: a count of others outside a breakdown is of the group of the count before
    it in its sentence (of its parent, when that count is a breakdown)."""
    prev: Candidate | None = None
    for c in cands:
        if prev is not None and c.parent is None and c.victim == "total" and "number-counts-others" in c.rules:
            group = _root_parent(prev).victim
            if group not in (None, "total"):
                c.victim = _OTHERS_GROUP.get(group, group)
                c.rules.append("others-of-the-count-before")
        prev = c


def _counts_others(doc: Document, c: Candidate) -> bool:
    """«وقتل 3 مدنيين آخرين», «وأصيب 7 آخرون»: a count of others restates no count but another count of others
    (a title and its lead: «وإصابة 32 آخرين» ... «وجرح 32 آخرون»)."""
    if "number-counts-others" in c.rules:
        return True
    nxt = next_token(doc.text, max(c.end, c.head_end), doc.sents[c.sent].end)
    return nxt is not None and nxt.text in doc.lex.others


# Equal tolls of separate incidents are common only when small: a list of shellings gives each its one, two or
# three victims. A larger equal toll in another sentence restates the fact even when that sentence names
# other places (the city of a press conference, a reporting body's area).
SMALL_TOLL = 5


def _same_places(doc: Document, a: int, b: int) -> bool:
    """Whether two sentences may state one fact by the places they name: one of them names none, or they share
    one («في حي باب توما» and «في حي المزرعة» are two incidents, a title's «حلب» and its lead's «حي الصاخور
    بحلب» may be one)."""
    pa, pb = doc.sentence_places.get(a), doc.sentence_places.get(b)
    return not pa or not pb or bool(pa & pb)


def _root_parent(c: Candidate) -> Candidate:
    while c.parent is not None:
        c = c.parent
    return c


def _root(c: Candidate) -> Candidate:
    while c.alias is not None:
        c = c.alias
    return c


def _compatible_q(a: str, b: str) -> bool:
    return a == b or {a, b} in ({"exact", "at_least"}, {"exact", "about"})


def _victim_ok(a: str | None, b: str | None) -> bool:
    return a == b or a in (None, "total") or b in (None, "total")


def structure(doc: Document) -> list[Candidate]:
    cands = sorted(doc.cands, key=lambda c: (c.start, c.end))
    by_sent: dict[int, list[Candidate]] = {}
    for c in cands:
        if c.kind == "cas":
            by_sent.setdefault(c.sent, []).append(c)
    for si, cs in by_sent.items():
        _breakdowns(doc, si, cs)
        _others_of_the_count_before(cs)
    # parents first: inherit outcome and victim
    cas = [c for c in cands if c.kind == "cas"]
    kept: list[Candidate] = []
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
            doc.reject("definite-number-refers-back" if c.alias else "no-outcome", c.start, c.end)
            continue
        if c.outcome is None:
            doc.reject("no-outcome", c.start, c.end)
            continue
        if c.victim is None:
            c.victim = "total"
        # the same fact stated again in another sentence
        dup = None
        if c.value is not None:
            others = _counts_others(doc, c)
            cp = _root(c.parent) if c.parent is not None else None
            for g in kept:
                gp = _root(g.parent) if g.parent is not None else None
                if (
                    g.sent != c.sent
                    and g.outcome == c.outcome
                    and g.value == c.value
                    and gp is cp
                    and _victim_ok(g.victim, c.victim)
                    and _compatible_q(g.qualifier, c.qualifier)
                ):
                    if others and not _counts_others(doc, g):
                        if "others-restate-no-count" not in c.rules:
                            c.rules.append("others-restate-no-count")
                        continue
                    if c.value <= SMALL_TOLL and not _same_places(doc, g.sent, c.sent):
                        if "restatement-names-the-same-place" not in c.rules:
                            c.rules.append("restatement-names-the-same-place")
                        continue
                    dup = g
                    break
        if dup is not None:
            c.alias = dup
            doc.reject("restated-toll", c.start, c.end)
            if "restatement-merged" not in dup.rules:
                dup.rules.append("restatement-merged")
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
    muns: list[Candidate] = []
    seen_unspec = set()
    counted = {(c.sent, c.mtype) for c in cands if c.kind == "mun" and c.value is not None}
    # sentence -> (outcome, value) of the tolls of more than one it states: one victim identifies no incident
    tolls: dict[int, set[tuple]] = {}
    for c in cas:
        if c.value is not None and c.value > 1 and _root(c).outcome is not None:
            tolls.setdefault(c.sent, set()).add((_root(c).outcome, c.value))
    for c in (c for c in cands if c.kind == "mun"):
        if c.value is None:
            key = (c.sent, c.mtype)
            if key in seen_unspec or key in counted:
                doc.reject("weapon-named-again", c.start, c.end)
                continue
            seen_unspec.add(key)
            muns.append(c)
            continue
        # a single weapon is one incident: named again in another sentence it is another one, unless both
        # sentences state the same toll of several (a title and its lead: «مقتل 15 في غارة على سوق»)
        single = "singular-weapon-counts-one" in c.rules
        same = [
            m
            for m in muns
            if m.value == c.value
            and m.mtype == c.mtype
            and m.sent != c.sent
            and _compatible_q(m.qualifier, c.qualifier)
            and (not single or tolls.get(m.sent, set()) & tolls.get(c.sent, set()))
        ]
        # one or two weapons counted by their noun alone («قذيفة», «برميلين») named again where another place is
        # struck are another salvo
        by_noun = single or "dual-weapon" in c.rules
        if same and by_noun and not any(_same_places(doc, m.sent, c.sent) for m in same):
            c.rules.append("weapon-restatement-names-the-same-place")
        elif same:
            doc.reject("weapon-count-restated", c.start, c.end)
            continue
        muns.append(c)
    _superseded_and_disputed(doc, kept)
    return kept + muns


class FigureContext:
    """What the rules of phases figure.* (data/figure_rules/) read about a casualty figure of the document."""

    __slots__ = (
        "doc",
        "figure",
        "si",
        "sent",
        "at",
        "outcome",
        "victim",
        "value",
        "breakdown",
        "figures",
        "figure_sentences",
        "raised_tolls",
    )

    def __init__(
        self,
        doc: Document,
        c: Candidate,
        figures: list[Candidate],
        figure_sentences: frozenset[int],
        raised_tolls: list[Candidate],
    ):
        self.doc, self.figure, self.si, self.sent, self.at = doc, c, c.sent, doc.sents[c.sent], c.start
        self.outcome, self.victim, self.value, self.breakdown = c.outcome, c.victim, c.value, c.parent is not None
        self.figures = figures  # the document's casualty figures
        self.figure_sentences = figure_sentences  # the sentences that hold one
        self.raised_tolls = raised_tolls  # the figures a revision word introduces («ارتفعت الحصيلة إلى 15»)


def _raised_tolls(doc: Document, cas: list[Candidate]) -> list[Candidate]:
    """Totals right after a revision word («ارتفعت الحصيلة إلى 15»), unless cumulative over a longer period
    («منذ بدء الحملة», «خلال أسبوع»)."""
    raised = []
    for n in cas:
        sent = doc.sents[n.sent]
        if (
            n.value is not None
            and n.parent is None
            and doc.has_phrase("revision", max(sent.start, n.start - 60), n.start)
            and not doc.sentence_phrases("cumulative", sent)
        ):
            raised.append(n)
    return raised


def _superseded_and_disputed(doc: Document, cas: list[Candidate]) -> None:
    """Marks the figures the text revises (phase figure.supersede) and those a denial disputes (figure.dispute)."""
    phase = rule_table().phase
    denials = any(doc.sentence_phrases("denial", s) for s in doc.sents)
    raised = _raised_tolls(doc, cas)
    figure_sentences = frozenset(c.sent for c in cas)
    for c in cas:
        ctx = FigureContext(doc, c, cas, figure_sentences, raised)
        if decided := phase.figure_supersede(ctx):
            c.superseded = True
            c.rules.append(decided)
        if denials and (decided := phase.figure_dispute(ctx)):
            c.disputed = True
            c.rules.append(decided)
