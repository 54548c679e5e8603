"""Named predicates: the conditions of rules (data/figure_rules/) that the pattern language cannot say yet.

Each takes the NumberContext of a number (conflict_text.figures.number_candidates) and answers yes or no;
rules name them with {"predicate": NAME}. The words they read come from the lexicon, never from here.
"""

from __future__ import annotations

from collections.abc import Callable

from conflict_text.arabic import ARTICLE, PROCLITIC_LETTERS
from conflict_text.figures.lexicon import in_vocab, lexicon, noun_roles

PREDICATES: dict[str, Callable] = {}


def predicate(function: Callable) -> Callable:
    PREDICATES[function.__name__] = function
    return function


@predicate
def counts_unknown_noun(ctx) -> bool:
    """The number is followed by a bare content word that is neither a counted noun, a cue, a particle nor
    a clitic form («طال 3 مستودعات»)."""
    head, sent = ctx.head, ctx.sent
    if head is None or ctx.start < ctx.ns.start:
        return False
    lex = lexicon()
    token, start = head.text, head.start
    if not token[:1].isalpha() or token.isdigit():
        return False
    grammar = sent.doc.grammar
    if (
        token in grammar.case_nouns
        or token in lex.followers
        or in_vocab(token, lex.followers)
        or in_vocab(token, lex.complement)
    ):
        return False
    if token[0] in PROCLITIC_LETTERS and len(token) > 3:
        return False  # «بقصف», «وجرح», «لقوا»: a proclitic form, not the counted noun
    if any(c[0] == start for c in sent.cues):
        return False
    if sent.doc.phrase_at("marker", start) or lex.qual_after_re.match(sent.doc.text[start : start + 20]):
        return False
    return True


@predicate
def after_breakdown_marker(ctx) -> bool:
    """The word right before the number is a breakdown marker («بينهم اثنان»)."""
    if not ctx.before:
        return False
    last = ctx.before[-1]
    return any(m[3] == last.end for m in ctx.doc.phrases("marker", last.start, last.end))


def _definite_word_before(ctx):
    """The word before the number when it is a definite word, neither a toll word, a function word nor an
    outcome cue; else None."""
    if not ctx.before:
        return None
    lex = lexicon()
    prev = ctx.before[-1]
    definite = (
        prev.text.startswith(ARTICLE)
        and len(prev.text) > 3
        and not in_vocab(prev.text, lex.toll_words)
        and not in_vocab(prev.text, lex.function_words)
        and not any(c[1] == prev.end for c in ctx.sent.cues)
    )
    return prev if definite else None


@predicate
def after_definite_name_word(ctx) -> bool:
    """The word before the number is a definite word outside the lexicon, neither a toll word, a function
    word nor an outcome cue: the number is part of a name («حي المزة 86», «الكيلو 4»)."""
    prev = _definite_word_before(ctx)
    return prev is not None and not noun_roles(prev.text)[1]


@predicate
def after_definite_word(ctx) -> bool:
    """The word before the number is a definite word, neither a toll word, a function word nor an outcome cue
    («مواقع التفجير الثلاثة»)."""
    return _definite_word_before(ctx) is not None


@predicate
def word_after_counted(ctx) -> bool:
    """A word follows the counted noun among the words read after the number («5 حالات اختناق»)."""
    return ctx.head is not None and ctx.head in ctx.after and ctx.after.index(ctx.head) + 1 < len(ctx.after)


@predicate
def outcome_cue_after_counted(ctx) -> bool:
    """An outcome cue starts right after the counted noun, within three characters («5 حالات وفاة»)."""
    end = ctx.head.end
    return any(end <= c[0] <= end + 3 for c in ctx.sent.cues)


@predicate
def population_word_after_cue(ctx) -> bool:
    """A population word stands between the outcome cue and the number: the cue is another clause's."""
    return ctx.cue is not None and ctx.doc.has_phrase("population", ctx.cue[1], ctx.start)


@predicate
def threatened(ctx) -> bool:
    """A threat word («محاولة», «يهدد») governs the outcome cue before the number."""
    return ctx.doc.threatened(ctx.si, ctx.cue, ctx.start)


@predicate
def outcome_cue_right_before(ctx) -> bool:
    """An outcome cue read before numbers ends right before the number («مقتل العشرات»)."""
    text, ns = ctx.doc.text, ctx.ns
    return any(
        c[1] <= ns.start and not text[c[1] : ns.start].strip() and any(i[1] for i in c[2]) for c in ctx.sent.cues
    )


@predicate
def toll_denied_in_next_sentences(ctx) -> bool:
    """One of the two sentences after the figure's, with no casualty figure of its own or between, denies
    attacks or tolls («ونفت الوزارة تنفيذ الغارات»): a denial of something else (an agreement) does not count."""
    doc = ctx.doc
    for si in range(ctx.si + 1, min(ctx.si + 3, len(doc.sents))):
        if si in ctx.figure_sentences:
            return False  # the denial is that figure's
        sent = doc.sents[si]
        if doc.sentence_phrases("denial", sent) and doc.sentence_phrases("denial_topic", sent):
            return True
    return False


@predicate
def revised_later_in_its_sentence(ctx) -> bool:
    """A revision word follows the figure in its sentence, no figure after it, and the figure is called
    earlier or contrasted («وثقوا في وقت سابق مقتل خمسة، إلا أن الحصيلة ارتفعت»)."""
    doc, c, sent = ctx.doc, ctx.figure, ctx.sent
    revision = doc.phrases("revision", c.head_end, sent.end)
    if not revision:
        return False
    if any(x.sent == c.sent and x.start > revision[0][0] for x in ctx.figures):
        return False
    return (
        doc.has_phrase("earlier", sent.start, c.start)
        or doc.grammar.contrast_re.search(doc.text[c.head_end : revision[0][0]]) is not None
    )


@predicate
def larger_toll_of_same_outcome(ctx) -> bool:
    """The document states a larger total of the same outcome."""
    c = ctx.figure
    return any(
        n is not c and n.outcome == c.outcome and n.value is not None and n.value > c.value and n.parent is None
        for n in ctx.figures
    )


@predicate
def raised_to_a_larger_toll_later(ctx) -> bool:
    """A later sentence raises the toll of the same outcome and victims to a larger number."""
    c = ctx.figure
    return any(
        c.sent < n.sent and c.value < n.value and c.outcome == n.outcome and c.victim == n.victim
        for n in ctx.raised_tolls
    )


@predicate
def still_under_rubble(ctx) -> bool:
    """The people counted are said to be still under the rubble: a «still» word in the 25 characters before
    the number or a plural one in the 40 after it, and a rubble phrase in the 60 after it (lexicon under_rubble)."""
    doc, sent, at = ctx.doc, ctx.sent, ctx.at
    after = ctx.ns.end
    return doc.has_phrase("under_rubble rubble", after, min(sent.end, after + 60)) and (
        doc.has_phrase("under_rubble still_before", max(sent.start, at - 25), at)
        or doc.has_phrase("under_rubble still_after", after, min(sent.end, after + 40))
    )
