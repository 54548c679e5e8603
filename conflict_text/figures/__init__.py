"""Casualty and munition figures from the cleaned body of an Arabic news article.

    extract_figures(body, mentions, published_date) -> Figures

Pure functions, no I/O beyond reading the data files once. The words are data: number words in
data/number_words.json, cue and function words in data/figure_lexicon.json; and so are the rules: every
decision on a number or noun is a named rule in data/figure_rules/ (see rules.py), and each figure lists
the ids of the rules that made it. The engine:

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

Modules, one responsibility each:
    phrases            the phrase matcher (one Aho-Corasick automaton for every cue list)
    lexicon            data/figure_lexicon.json compiled once; memoised per-token look-ups
    words, qualifiers  tokens; qualifier phrases and the bounds they imply (clitics: conflict_text.arabic)
    sentence, document a candidate and a sentence; the document with its phrase look-ups and context readings
    number_candidates  number expressions (step 3)
    noun_candidates    dual and singular nouns (step 2); munitions: weapon noun phrases
    structure          breakdowns, anaphora, restatements, revisions, denials (step 4)
    periods, attribution  step 5
    rules              the rule table: its files loaded and validated against the schema
    patterns, predicates  the pattern language, compiled to one function per phase; the named predicates
    explain            which rules made, typed or rejected each number and noun of a text
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from conflict_text.figures.attribution import Attribution
from conflict_text.figures.document import Document
from conflict_text.figures.munitions import material_candidates, ordinal_weapons, type_bare_weapons
from conflict_text.figures.noun_candidates import noun_candidates
from conflict_text.figures.number_candidates import number_candidate
from conflict_text.figures.periods import Periods
from conflict_text.figures.qualifiers import value_bounds
from conflict_text.figures.sentence import Candidate
from conflict_text.figures.structure import structure
from conflict_text.models import CasualtyFigure, EntityMention, Figures, MunitionFigure
from conflict_text.normalize import normalize
from conflict_text.numbers import extend_marks, scan_numbers


def extract_figures(body: str, mentions: Sequence[EntityMention], published_date: date | None) -> Figures:
    """Casualty and munition figures stated in `body`, with offsets into `body`; each names the rules that made it."""
    return read_figures(body, mentions, published_date, None)


def read_figures(
    body: str,
    mentions: Sequence[EntityMention],
    published_date: date | None,
    rejections: list[tuple[int, int, str]] | None,
) -> Figures:
    """`extract_figures`; when `rejections` is a list, also adds to it (start, end, rule id) in `body` of each
    number or noun a rule rejected."""
    if not body:
        return Figures()
    nt = normalize(body)
    text = nt.text
    spans = [(nt.to_normalized(m.char_start), nt.to_normalized(m.char_end - 1) + 1) for m in mentions]
    doc = Document(
        text,
        sorted(spans),
        frozenset(a for (a, _), m in zip(spans, mentions) if m.entity_type == "armed_group"),
        [(a, m.entity_id) for (a, _), m in zip(spans, mentions) if m.entity_type == "location"],
    )
    if rejections is not None:
        doc.rejections = []
    numbers = scan_numbers(text)
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
            if numbers[j].end <= sent.end:
                number_candidate(doc, si, numbers[j])
            j += 1
        noun_candidates(doc, si)
        material_candidates(doc, si)
    type_bare_weapons(doc, doc.cands)
    ordinal_weapons(doc, doc.cands)
    final = structure(doc)
    final.sort(key=lambda c: (c.start, -c.end))
    attribution = Attribution(doc, nt, mentions, body)
    periods = Periods(doc, published_date)
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
    if rejections is not None:
        rejections.extend((*nt.to_original(start, end), rule) for start, end, rule in doc.rejections)
    return out


def _record(doc: Document, nt, body: str, c: Candidate, attribution: Attribution, periods: Periods):
    s, e = nt.to_original(c.start, c.end)
    e = extend_marks(body, e)
    sent = doc.sents[c.sent]
    es, ee = nt.to_original(sent.start, sent.end)
    low, high = value_bounds(c.value, c.qualifier)
    (location, location_rules), (perpetrator, perpetrator_rule), (claimant, claimant_rule) = attribution.of(c)
    p0, p1 = periods.of(c)
    found = (
        (perpetrator, perpetrator_rule),
        (claimant, claimant_rule),
        (p0, "period-from-stated-dates"),
    )
    rules = list(dict.fromkeys([*c.rules, *location_rules, *(rule for value, rule in found if value is not None)]))
    common = dict(
        value=c.value,
        value_low=low,
        value_high=high,
        qualifier=c.qualifier,
        surface=body[s:e],
        char_start=s,
        char_end=e,
        evidence=body[es:ee],
        evidence_start=es,
        evidence_end=ee,
        location=location,
        perpetrator=perpetrator,
        claimant=claimant,
        period_start=p0,
        period_end=p1,
        rules=rules,
    )
    if c.kind == "cas":
        return CasualtyFigure(
            outcome=c.outcome, victim_group=c.victim or "total", disputed=c.disputed, superseded=c.superseded, **common
        )
    return MunitionFigure(munition_type=c.mtype, unit=c.unit, **common)
