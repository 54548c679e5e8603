"""Candidates from number expressions: what a number counts, or why it is not a figure."""

from __future__ import annotations

from conflict_text.figures.document import Document
from conflict_text.figures.lexicon import in_vocab, lexicon, noun_roles, role_of
from conflict_text.figures.munitions import munition_phrase
from conflict_text.figures.phrases import phrase_key
from conflict_text.figures.qualifiers import qualifier_after, qualifier_before
from conflict_text.figures.sentence import Candidate
from conflict_text.figures.words import SKIP_PUNCT, proclitic_length
from conflict_text.numbers import NumberSpan


_GROUP_MEMBERS = (("victim", "fighters", "plural"),)


def _unknown_noun(token: str, start: int, sent: "Sentence") -> bool:
    """True for a bare content word that is neither a counted noun, a cue, a particle nor a clitic form."""
    lex = lexicon()
    if not token[:1].isalpha() or token.isdigit():
        return False
    if token in ("حاله", "حالات") or token in lex.followers or in_vocab(token, lex.followers) or in_vocab(token, lex.complement):
        return False
    if token[0] in "وفبلك" and len(token) > 3:
        return False  # «بقصف», «وجرح», «لقوا»: a proclitic form, not the counted noun
    if any(c[0] == start for c in sent.cues):
        return False
    if sent.doc.phrase_at("marker", start) or lex.qual_after_re.match(sent.doc.text[start:start + 20]):
        return False
    return True


def number_candidate(doc: Document, si: int, ns: NumberSpan) -> None:
    lex = doc.lex
    text = doc.text
    sent = doc.sents[si]
    if ns.kind not in ("digits", "words", "mixed", "vague"):
        return
    value = ns.value
    if value is not None and not float(value).is_integer():
        return
    value = int(value) if value is not None else None
    if ns.definite and qualifier_before(text, ns.start, sent.start):
        ns = NumberSpan(ns.value, ns.start, ns.end, ns.kind, False, ns.text)  # «نحو الـ20» is not anaphoric
    before = sent.tokens(max(sent.start, ns.start - 40), ns.start, last=3)
    after = sent.tokens(ns.end, min(sent.end, ns.end + 100), 8)
    prev = before[-1].text if before else ""
    # labels and dates
    if prev and phrase_key(prev) in lex.months or (len(before) >= 2 and phrase_key(before[-2].text + " " + prev) in lex.months):
        return
    i = 0
    while i < len(after) and after[i].text in SKIP_PUNCT:
        i += 1
    nxt = after[i].text if i < len(after) else ""
    if nxt:
        two = phrase_key(nxt + " " + after[i + 1].text) if i + 1 < len(after) else ""
        if phrase_key(nxt) in lex.months or two in lex.months:
            return
        if nxt == "من" and i + 1 < len(after) and (phrase_key(after[i + 1].text) in lex.months or after[i + 1].text == "شهر"):
            return
    # head noun
    of = False
    hi = i
    marker_after = nxt in lex.markers_after
    if marker_after:  # «ستة منهم أطفال», «40 منهم من المدنيين»
        hi = i + 1
        nxt = after[hi].text if hi < len(after) else ""
        i = hi
    if nxt == "من":
        of = True
        hi = i + 1
        if hi < len(after) and after[hi].text == "بين":
            hi += 1
        while hi < len(after) and after[hi].text in SKIP_PUNCT:
            hi += 1
    head = after[hi] if hi < len(after) else None
    if head is not None and hi + 1 < len(after) and phrase_key(head.text) in lex.toll_heads:
        hi += 1  # «ارتفع إلى 16 عدد المدنيين الذين استشهدوا»: the number counts the noun after «عدد»
        head = after[hi]
    prefix, roles = noun_roles(head.text) if head else ("", ())
    if proclitic_length(prefix):
        prefix, roles = "", ()  # «وإصابة», «بغارة»: a word with a proclitic is not what the number counts
    if of and not roles and head is not None and head.start in doc.group_starts:
        roles = _GROUP_MEMBERS  # «11 من هيئة تحرير الشام»: members of an armed group
    start = ns.start
    # «مدنيين اثنين», «شخص واحد»: the noun precedes one and two
    if not roles and value in (1, 2) and ns.kind == "words" and before:
        p_prefix, p_roles = noun_roles(before[-1].text)
        after_of = len(before) >= 2 and before[-2].text == "من"
        if not after_of and (role_of(p_roles, "victim") or role_of(p_roles, "munition")):
            head, prefix, roles = before[-1], p_prefix, p_roles
            start = head.start
            of = False
    head_end = head.end if (head and roles) else ns.end
    if not roles and before and before[-1].end in doc.name_end_set:
        return  # «مؤتمر جنيف 2»: a number right after a name is part of it
    if prev and not (role_of(roles, "victim") or role_of(roles, "outcome") or role_of(roles, "munition")) and \
            in_vocab(prev, lex.prefixes):
        return  # «اللواء 155», «عام 2012», «حي 8 آذار»
    mun = role_of(roles, "munition") if head else None
    if mun:
        mtype, pend, mult, unit = munition_phrase(doc, head, mun[1], sent.end)
        if mtype:
            q = "vague" if value is None else (qualifier_before(text, ns.start, sent.start)
                                              or qualifier_after(text, pend, sent.end) or "exact")
            doc.cands.append(Candidate("mun", start, max(pend, ns.end), value, q, si, mtype=mtype, unit=unit,
                                    head_end=pend))
            doc.consumed.append((min(start, head.start), pend))
            return
        if head.text and in_vocab(head.text, lex.units):
            return
    if head and in_vocab(head.text, lex.strike_nouns):
        if value is not None and doc.has_phrase("strike_verb", max(sent.start, ns.start - 60), ns.start):
            doc.cands.append(Candidate("mun", ns.start, head.end, value, "exact", si, mtype="airstrike",
                                    head_end=head.end))
            doc.consumed.append((ns.start, head.end))
        return
    if head and not roles and (in_vocab(head.text, lex.units) or head.text in lex.units):
        return
    if head and not roles and not start < ns.start and _unknown_noun(head.text, head.start, sent):
        return  # «طال 3 مستودعات»: the number counts something that is not in the lexicon
    if nxt == "%":
        return
    if ns.kind == "digits" and value is not None and 1900 <= value <= 2100 and not roles:
        return
    if sent.covid:
        return
    if not roles and ns.kind == "words" and value in (1, 2) and not (
            before and any(m[3] == before[-1].end for m in doc.phrases("marker", before[-1].start, before[-1].end))):
        return  # «عائلة واحدة», «الطرفين الاثنين»: one and two count only with their noun
    victim = None
    outcome = None
    cue = None
    if roles:
        v = role_of(roles, "victim")
        o = role_of(roles, "outcome")
        oth = role_of(roles, "others")
        if v:
            victim = doc.refine_victim(v[1], head, sent.end, head.text)
        elif o:
            outcome = o[1]
            victim = doc.victim_after(si, head.end) or "total"
            if lex.koi_head_re.match(text, head.start + len(prefix)):
                outcome = "killed_or_injured"
                km = lex.koi_head_re.match(text, head.start + len(prefix))
                head_end = km.end()
        elif oth:
            victim = "total"
    elif head and head.text in ("حاله", "حالات") and hi + 1 < len(after):
        c_out = [c for c in sent.cues if c[0] >= head.end and c[0] - head.end <= 3]
        if c_out:
            outcome = c_out[0][2][0][0]
            victim = "total"
            head_end = c_out[0][1]
        else:
            return
    elif head and not roles and prev.startswith("ال") and len(prev) > 3 and not noun_roles(prev)[1] \
            and not in_vocab(prev, lex.toll_words) and not in_vocab(prev, lex.function_words) \
            and not any(c[1] == before[-1].end for c in sent.cues):
        return  # «حي المزة 86», «الكيلو 4»: a number that is part of a name
    if not roles and head is None and prev.startswith("ال") and len(prev) > 3 and not noun_roles(prev)[1] \
            and not in_vocab(prev, lex.toll_words) and not in_vocab(prev, lex.function_words) \
            and not any(c[1] == before[-1].end for c in sent.cues):
        return
    # what happened
    if outcome is None:
        outcome, cue = doc.context_outcome(si, start, head_end)
        if cue is not None and cue[0] > ns.start and sent.population:
            return
        if cue is not None and cue[1] <= start and sent.population and doc.has_phrase("population", cue[1], start):
            return  # «... إلى النزوح، في وقت يعيش فيه قرابة مليون شخص»: the cue is another clause's
        if outcome is not None and sent.population and not roles:
            return
        if outcome is not None and doc.threatened(si, cue, start):
            return
    if outcome is None and sent.population:
        return
    if outcome == "detained" and doc.sentence_phrases("release", sent):
        return  # «أفرجت عن 50 معتقلاً»: a release, not an arrest
    if ns.kind == "vague" and not roles:
        adjacent = any(c[1] <= ns.start and not text[c[1]:ns.start].strip() and any(i[1] for i in c[2])
                       for c in sent.cues)
        if not (head and in_vocab(head.text, lex.others)) and not adjacent:
            return
    if victim is not None and outcome is None and not ns.definite and value is None:
        return
    if outcome == "killed" and victim == "total" and doc.sentence_phrases("losses", sent):
        if any(doc.sentence_phrases(name, sent) for name, g in lex.refiners if g == "regime_forces"):
            victim = "regime_forces"
        else:
            victim = "fighters"
    q = "vague" if value is None else (qualifier_before(text, ns.start, sent.start)
                                      or qualifier_after(text, head_end, sent.end)
                                      or qualifier_after(text, ns.end, sent.end) or "exact")
    complement = bool(after and i < len(after) and in_vocab(after[i].text, lex.complement))
    c = Candidate("cas", start, ns.end, value, q, si,
              outcome=outcome, victim=victim, head_end=head_end, definite=ns.definite, complement=complement,
              from_context=cue is not None, marker_after=marker_after)
    doc.cands.append(c)
    doc.consumed.append((min(start, ns.start), head_end))
