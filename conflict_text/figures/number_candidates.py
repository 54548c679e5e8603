"""Candidates from number expressions: what a number counts, or why it is not a figure."""

from __future__ import annotations

from conflict_text.arabic import proclitic_length
from conflict_text.figures.document import Document
from conflict_text.figures.lexicon import in_vocab, noun_roles, role_of
from conflict_text.figures.munitions import munition_phrase
from conflict_text.figures.phrases import phrase_key
from conflict_text.figures.qualifiers import qualifier_after, qualifier_before, qualifier_rules
from conflict_text.figures.rules import rule_table
from conflict_text.figures.sentence import Candidate
from conflict_text.figures.words import SKIP_PUNCT, Tok
from conflict_text.numbers import NumberSpan

_GROUP_MEMBERS = (("victim", "fighters", "plural"),)


class NumberContext:
    """What the rules of data/figure_rules/ read about a number: filled in as the engine reads it."""

    __slots__ = (
        "doc",
        "si",
        "sent",
        "ns",
        "kind",
        "at",
        "definite",
        "value",
        "before",
        "after",
        "i",
        "head",
        "roles",
        "start",
        "outcome",
        "victim",
        "cue",
    )

    def __init__(self, doc: Document, si: int, ns: NumberSpan):
        self.doc, self.si, self.sent, self.ns = doc, si, doc.sents[si], ns
        self.kind, self.at, self.definite = ns.kind, ns.start, ns.definite
        # the words around the number, read once the number itself passed the rules of phase "number"
        self.before: list[Tok] = []
        self.after: list[Tok] = []
        self.i = 0  # the index in `after` of the first word past quotes, brackets and dashes
        self.value = ns.value if ns.value is None or not float(ns.value).is_integer() else int(ns.value)
        self.head: Tok | None = None  # the counted noun
        self.roles: tuple = ()  # its roles in the noun lexicon
        self.start = ns.start  # where the figure starts (at a noun written before «واحد», «اثنين»)
        self.outcome: str | None = None
        self.victim: str | None = None
        self.cue: tuple | None = None  # the outcome cue the outcome was read from


def number_candidate(doc: Document, si: int, ns: NumberSpan) -> None:
    """Adds the candidate a number expression makes, naming in it the rules that typed it; or records the
    rule that rejected it (data/figure_rules/ describes each rule by its id)."""
    lex = doc.lex
    g = doc.grammar
    text = doc.text
    sent = doc.sents[si]
    table = rule_table()
    phase = table.phase
    ctx = NumberContext(doc, si, ns)
    if rejected := phase.number(ctx):
        return doc.reject(rejected, ns.start, ns.end)
    if ns.definite and qualifier_before(text, ns.start, sent.start):
        ns = ctx.ns = NumberSpan(ns.value, ns.start, ns.end, ns.kind, False, ns.text)  # «نحو الـ20» is not anaphoric
        ctx.definite = False
    before = ctx.before = sent.tokens(max(sent.start, ns.start - 40), ns.start, last=3)
    after = ctx.after = sent.tokens(ns.end, min(sent.end, ns.end + 100), 8)
    i = 0
    while i < len(after) and after[i].text in SKIP_PUNCT:
        i += 1
    ctx.i = i
    if rejected := phase.form(ctx):
        return doc.reject(rejected, ns.start, ns.end)
    value = ctx.value
    nxt = after[i].text if i < len(after) else ""
    # head noun
    fired = []  # the rules that accept and type the number, in the order they apply
    of = False
    hi = i
    marker_after = nxt in lex.markers_after
    if marker_after:  # «ستة منهم أطفال», «40 منهم من المدنيين»
        fired.append("breakdown-marker-after-number")
        hi = i + 1
        nxt = after[hi].text if hi < len(after) else ""
        i = hi
    if nxt == g.of:
        of = True
        hi = i + 1
        if hi < len(after) and after[hi].text == g.between:
            hi += 1
        while hi < len(after) and after[hi].text in SKIP_PUNCT:
            hi += 1
    head = after[hi] if hi < len(after) else None
    if head is not None and hi + 1 < len(after) and phrase_key(head.text) in lex.toll_heads:
        hi += 1  # «ارتفع إلى 16 عدد المدنيين الذين استشهدوا»: the number counts the noun after «عدد»
        head = after[hi]
        fired.append("toll-word-before-head")
    prefix, roles = noun_roles(head.text) if head else ("", ())
    if proclitic_length(prefix):
        prefix, roles = "", ()  # «وإصابة», «بغارة»: a word with a proclitic is not what the number counts
    if of and not roles and head is not None and head.start in doc.group_starts:
        roles = _GROUP_MEMBERS  # «11 من هيئة تحرير الشام»: members of an armed group
        fired.append("members-of-armed-group")
    start = ns.start
    # «مدنيين اثنين», «شخص واحد»: the noun precedes one and two
    if not roles and value in (1, 2) and ns.kind == "words" and before:
        p_prefix, p_roles = noun_roles(before[-1].text)
        after_of = len(before) >= 2 and before[-2].text == g.of
        if not after_of and (role_of(p_roles, "victim") or role_of(p_roles, "munition")):
            head, prefix, roles = before[-1], p_prefix, p_roles
            start = head.start
            of = False
            fired.append("noun-before-one-or-two")
    # «الغارات بلغ عددها 15», «ارتفع عدد الغارات ... إلى 30»: a count stated after the count of a set counts
    # the weapons of the set
    if not roles and before and (set_head := _weapon_counted_before(doc, si, before)) is not None:
        head, (prefix, roles) = set_head, noun_roles(set_head.text)
        fired.append("count-of-weapons-named-before")
    # «سقطت قذيفتا مدفعية على السوق وثلاث أخرى»: a count of «أخرى» counts more of the weapon named last before it
    more = not roles and nxt in g.more_of_the_same
    if more and (named := _weapon_named_before(doc, si, ns.start)) is not None:
        head, (prefix, roles) = named, noun_roles(named.text)
        fired.append("count-of-more-weapons-named-before")
    head_end = head.end if (head and roles) else ns.end
    ctx.i, ctx.head, ctx.roles, ctx.start = i, head, roles, start
    if rejected := phase.named(ctx):
        return doc.reject(rejected, ns.start, ns.end)
    mun = role_of(roles, "munition") if head else None
    if mun:
        mtype, pend, _, unit, mrules = munition_phrase(doc, head, mun[1], sent.end)
        if mtype:
            q = (
                "vague"
                if value is None
                else (qualifier_before(text, ns.start, sent.start) or qualifier_after(text, pend, sent.end) or "exact")
            )
            doc.cands.append(
                Candidate(
                    "mun",
                    start,
                    max(pend, ns.end),
                    value,
                    q,
                    si,
                    mtype=mtype,
                    unit=unit,
                    head_end=pend,
                    modified=pend != head.end,
                    rules=[*fired, "number-counts-weapon", *mrules, *qualifier_rules(q)],
                )
            )
            # the weapon named before «أخرى» is counted by its own phrase
            doc.consumed.append((start, after[i].end) if more else (min(start, head.start), pend))
            return
        if rejected := phase.untyped_weapon(ctx):
            return doc.reject(rejected, ns.start, ns.end)
    if decided := phase.strike(ctx):
        mtype = table.rules[decided].sets.get("munition_type")
        if mtype is None:
            return doc.reject(decided, ns.start, ns.end)
        doc.cands.append(
            Candidate(
                "mun", ns.start, head.end, value, "exact", si, mtype=mtype, head_end=head.end, rules=[*fired, decided]
            )
        )
        doc.consumed.append((ns.start, head.end))
        return
    if rejected := phase.counted(ctx):
        return doc.reject(rejected, ns.start, ns.end)
    victim = None
    outcome = None
    cue = None
    if roles:
        v = role_of(roles, "victim")
        o = role_of(roles, "outcome")
        oth = role_of(roles, "others")
        if v:
            fired.append("number-counts-victims")
            victim = doc.refine_victim(v[1], head, sent.end, head.text, fired)
        elif o:
            fired.append("number-counts-outcome-noun")
            outcome = o[1]
            victim, adjective = doc.victim_after(si, head.end, fired)
            victim = victim or "total"
            if adjective is not None:  # «123 قتيلا مدنيا»: the adjective is no singular victim of its own
                doc.consumed.append((adjective.start, adjective.end))
            if lex.koi_head_re.match(text, head.start + len(prefix)):
                fired.append("killed-or-injured-head")
                outcome = "killed_or_injured"
                km = lex.koi_head_re.match(text, head.start + len(prefix))
                head_end = km.end()
        elif oth:
            fired.append("number-counts-others")
            victim = "total"
    elif head and head.text in g.case_nouns and hi + 1 < len(after):
        # an outcome word follows: else rule cases-without-outcome (phase counted) rejected the number
        c_out = [c for c in sent.cues if c[0] >= head.end and c[0] - head.end <= 3]
        fired.append("cases-with-outcome")
        outcome = c_out[0][2][0][0]
        victim = "total"
        head_end = c_out[0][1]
    ctx.outcome, ctx.victim = outcome, victim
    if rejected := phase.typed(ctx):
        return doc.reject(rejected, ns.start, ns.end)
    # what happened
    if outcome is None:
        outcome, cue = doc.context_outcome(si, start, head_end, fired=fired)
        if cue is not None:
            fired.append("outcome-cue-after" if cue[0] > ns.start else "outcome-cue-before")
    ctx.outcome, ctx.cue = outcome, cue
    if decided := phase.outcome(ctx):
        outcome = table.rules[decided].sets.get("outcome")
        if outcome is None:
            return doc.reject(decided, ns.start, ns.end)
        fired.append(decided)
    ctx.victim = victim
    if decided := phase.victim(ctx):
        fired.append(decided)
        victim = table.rules[decided].sets["victim_group"]
    q = (
        "vague"
        if value is None
        else (
            qualifier_before(text, ns.start, sent.start)
            or qualifier_after(text, head_end, sent.end)
            or qualifier_after(text, ns.end, sent.end)
            or "exact"
        )
    )
    complement = bool(after and i < len(after) and in_vocab(after[i].text, lex.complement))
    c = Candidate(
        "cas",
        start,
        ns.end,
        value,
        q,
        si,
        outcome=outcome,
        victim=victim,
        head_end=head_end,
        definite=ns.definite,
        complement=complement,
        from_context=cue is not None,
        marker_after=marker_after,
        rules=[*fired, *qualifier_rules(q)],
    )
    doc.cands.append(c)
    doc.consumed.append((min(start, ns.start), head_end))


def _weapon_named_before(doc: Document, si: int, pos: int) -> Tok | None:
    """The nearest weapon noun before `pos` in sentence `si`, with no outcome cue between them."""
    sent = doc.sents[si]
    for tok in reversed(sent.tokens(sent.start, pos)):
        if any(tok.start <= cue_start < pos for cue_start, _, _ in sent.cues):
            return None
        prefix, roles = noun_roles(tok.text)
        if role_of(roles, "munition") and not proclitic_length(prefix):
            return tok
    return None


def _weapon_counted_before(doc: Document, si: int, before: list[Tok]) -> Tok | None:
    """The weapon noun a number counts when it stands after the count of a set of weapons named before it:
    right after «عددها» («its count»), perhaps with «إلى», the nearest weapon noun before it in the sentence
    («براميل متفجرة بلغ عددها 224»); right after «إلى», the weapon noun «عدد» names earlier in the sentence,
    not yet counted («ارتفع عدد الغارات التي نفذها الطيران إلى 30»)."""
    g = doc.grammar
    words = [t.text for t in before]
    after_to = words[-1:] == [g.to] and len(words) >= 2
    if after_to:
        words, before = words[:-1], before[:-1]
    sent = doc.sents[si]
    if words[-1] in g.count_of_set:
        for tok in reversed(sent.tokens(sent.start, before[-1].start)):
            prefix, roles = noun_roles(tok.text)
            if role_of(roles, "munition") and not proclitic_length(prefix):
                return tok
        return None
    if not after_to:
        return None
    toks = sent.tokens(sent.start, before[-1].end)
    for toll, tok in reversed(list(zip(toks, toks[1:]))):
        if toll.text in g.toll_words:
            prefix, roles = noun_roles(tok.text)
            counted = doc.is_consumed(tok.start, tok.end)
            return tok if role_of(roles, "munition") and not proclitic_length(prefix) and not counted else None
    return None
