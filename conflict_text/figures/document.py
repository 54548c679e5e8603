"""A normalised document: its sentences, entity names and phrase matches, and the readings of a count's context
(outcome cue, threat, victim group) that every kind of candidate shares."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from conflict_text.arabic import AND
from conflict_text.figures.lexicon import grammar, in_vocab, lexicon, noun_roles, role_of
from conflict_text.figures.phrases import PhraseMatch, one_after_another, phrase_key
from conflict_text.figures.sentence import Candidate, Sentence
from conflict_text.figures.words import DIGIT, Tok, next_token
from conflict_text.sentences import split_sentences

# A cue, a counted noun or a weapon inside the name of an entity is part of the name («كفر شمس», «حي
# الشهداء», «منظمة حظر الأسلحة الكيميائية»), and so is a number («ناحية السبع بيار»).
_NOT_IN_NAMES = ("cue", "noun", "material")


class Document:
    def __init__(
        self,
        text: str,
        names: list[tuple[int, int]],
        group_starts: frozenset[int] = frozenset(),
        places: list[tuple[int, str]] = (),
    ):
        """`names`: the sorted (start, end) of the entity mentions in `text`; `group_starts`: where the
        armed groups among them start; `places`: (start, entity id) of the place mentions."""
        self.text = text
        self.name_starts = [a for a, _ in names]
        self.name_ends = [b for _, b in names]
        self.name_end_set = frozenset(self.name_ends)
        self.group_starts = group_starts
        lex = lexicon()
        self.lex = lex
        self.grammar = grammar()
        self.spans = split_sentences(text)
        self.starts = [s for s, _ in self.spans]
        # bool(lex.covid_re.search(text)), without trying its alternation at every position
        self.covid_doc = any(term in text for term in lex.covid_uncased) or (
            lex.covid_cased_re is not None and lex.covid_cased_re.search(text) is not None
        )
        self.sents: list[Sentence] = [Sentence(self, s, e) for s, e in self.spans]
        self.sentence_places: dict[int, frozenset[str]] = {}  # sentence -> the places it names
        for start, place in places:
            si = self.sent_of(start)
            self.sentence_places[si] = self.sentence_places.get(si, frozenset()) | {place}
        self.cands: list[Candidate] = []
        self.consumed: list[tuple[int, int]] = []
        self.hits = lex.phrases.scan(text)
        if names:
            for name in _NOT_IN_NAMES:
                if name in self.hits:
                    self.hits[name] = [m for m in self.hits[name] if not self.in_name(m[0], m[3])]
        # (start, end, rule id) of each number or noun a rule rejected, kept only when explaining (see `trace`)
        self.rejections: list[tuple[int, int, str]] | None = None
        self._window_hits: dict[tuple[int, int], dict[str, list]] = {}  # scans of windows that cut a word
        self._by_sentence: dict[str, dict[int, list]] = {}  # list name -> sentence start -> its matches

    def in_name(self, start: int, end: int) -> bool:
        """Whether [start, end) lies within the name of an entity."""
        i = bisect_right(self.name_starts, start) - 1
        return i >= 0 and end <= self.name_ends[i]

    def _inside_word(self, pos: int) -> bool:
        """Whether `pos` falls between two letters (a window edge there cuts a word)."""
        text = self.text
        if 0 < pos < len(text):
            after, before = text[pos], text[pos - 1]  # is_letter inlined: called for every window
            return after.isalnum() and before.isalnum() and not after.isdecimal() and not before.isdecimal()
        return False

    def _candidates(self, name: str, lo: int, hi: int, substring: bool) -> list[PhraseMatch]:
        """Every match of list `name` that lies within [lo, hi), as `rx.finditer(text, lo, hi)` of a regex of
        the list would see them, or `rx.finditer(text[lo:hi])` when `substring`."""
        if self._inside_word(hi) or (substring and self._inside_word(lo)):
            # A window edge inside a word: the part of the word inside the window reads as a whole word
            # (the regex sees the end of the string there). Such windows are short and rare: scan them.
            if (lo, hi) not in self._window_hits:
                self._window_hits[lo, hi] = self.lex.phrases.scan(self.text[lo:hi])
            left_cut = self._inside_word(lo)
            return [
                (start + lo, clitic, rank, end + lo)
                for start, clitic, rank, end in self._window_hits[lo, hi].get(name, ())
                if substring or not (left_cut and start == 0)
            ]
        matches = self.hits.get(name, ())
        i = bisect_left(matches, (lo,))
        j = bisect_left(matches, (hi,), i)
        return [m for m in matches[i:j] if m[3] <= hi]

    def phrases(self, name: str, lo: int, hi: int, substring: bool = False) -> list[PhraseMatch]:
        """The matches of list `name` in [lo, hi) found one after the other, as `finditer` finds them."""
        return one_after_another(self._candidates(name, lo, hi, substring), lo)

    def sentence_phrases(self, name: str, sent: Sentence) -> list[PhraseMatch]:
        """`phrases(name, sent.start, sent.end)`, from the list's matches shared out to the sentences once
        (white space bounds a sentence, so its edges cut no word)."""
        by_sentence = self._by_sentence.get(name)
        if by_sentence is None:
            by_sentence = self._by_sentence[name] = {}
            for m in self.hits.get(name, ()):
                s = self.sents[self.sent_of(m[0])]
                if m[3] <= s.end:
                    by_sentence.setdefault(s.start, []).append(m)
            for start, matches in by_sentence.items():
                by_sentence[start] = one_after_another(matches, start)
        return by_sentence.get(sent.start, [])

    def has_phrase(self, name: str, lo: int, hi: int, substring: bool = False) -> bool:
        """Whether list `name` occurs in [lo, hi), as `search` tells."""
        return bool(self._candidates(name, lo, hi, substring))

    def phrase_at(self, name: str, pos: int) -> PhraseMatch | None:
        """The match of list `name` starting at `pos`, as `match(text, pos)` finds it (the text goes on after it)."""
        matches = self.hits.get(name, ())
        i = bisect_left(matches, (pos,))
        return matches[i] if i < len(matches) and matches[i][0] == pos else None

    def reject(self, rule: str, start: int, end: int) -> None:
        """Notes that `rule` rejected the number or noun at [start, end) of the text, when rejections are kept."""
        if self.rejections is not None:
            self.rejections.append((start, end, rule))

    def sent_of(self, pos: int) -> int:
        return max(0, bisect_right(self.starts, pos) - 1)

    def is_consumed(self, s: int, e: int) -> bool:
        return any(a < e and s < b for a, b in self.consumed)

    # --- outcome of a count from the cues around it
    def context_outcome(
        self, si: int, start: int, head_end: int, allow_weak: bool = True, fired: list[str] | None = None
    ) -> tuple[str | None, tuple | None]:
        """(outcome, cue) of the count at [start, head_end) from the nearest cue before it or a cue right after it;
        a cue after a word that opens another clause («، كما أصيب ...») is not its own (rule
        outcome-cue-in-next-clause, added to `fired` when it set one aside)."""
        sent = self.sents[si]
        pre = post = None
        for cs, ce, infos in sent.cues:
            if ce <= start and start - ce <= 150:
                pick = [i for i in infos if i[1] and (allow_weak or not i[3])]
                if pick:
                    pre = (cs, ce, pick[0][0])
            elif cs >= head_end and cs - head_end <= 60 and post is None:
                pick = [i for i in infos if i[2] and (allow_weak or not i[3])]
                if pick and self.has_phrase("next_clause", head_end, cs):
                    if fired is not None:
                        fired.append("outcome-cue-in-next-clause")
                    break
                if pick:
                    post = (cs, ce, pick[0][0])
        if post and (pre is None or (post[0] - head_end <= 15 and start - pre[1] > 40)):
            return post[2], post
        if pre and self._joined_to_the_other_outcome(sent, pre):
            if fired is not None:
                fired.append("killed-and-injured-cues-joined")
            return "killed_or_injured", pre
        if pre:
            return pre[2], pre
        return None, None

    def _joined_to_the_other_outcome(self, sent: Sentence, cue: tuple) -> bool:
        """Whether a killed (injured) cue is joined by «و» to an injured (killed) cue right before it, with at most
        one word between them that is no counted noun («قتل وأصيب 14», «استشهد فيها وجرح 200»): the count after
        them counts both."""
        pair = {"killed", "injured"}
        if cue[2] not in pair:
            return False
        before = [c for c in sent.cues if c[1] <= cue[0]]
        if not before:
            return False
        start, end, infos = max(before, key=lambda c: c[1])
        if not any(i[1] and i[0] == (pair - {cue[2]}).pop() for i in infos):
            return False
        # the other cue tells what happened to a count right before it («5 مدنيين قتلوا وأصيب 12», «38 شهيدا وإصابة»)
        if any(sent.start <= c.start < start and c.head_end >= start - 2 for c in self.cands if c.kind == "cas"):
            return False
        words = self.text[end : cue[0]].split()
        if words and words[-1] == AND:
            words = words[:-1]
        elif not (self.text.startswith(AND, cue[0]) and phrase_key(self.text[cue[0] + 1 : cue[1]]) in self.lex.cues):
            return False
        return len(words) <= 1 and not any(noun_roles(w)[1] or DIGIT.search(w) for w in words)

    def threatened(self, si: int, cue: tuple | None, start: int) -> bool:
        if cue is None or cue[0] > start:
            return False
        sent = self.sents[si]
        lo = max(sent.start, cue[0] - 50)
        window = self.text[lo:start]
        cut = max(window.rfind(","), window.rfind("،"), window.rfind("."))
        if cut >= 0 and lo + cut < cue[0]:
            lo += cut + 1
        return self.has_phrase("threat", lo, start, substring=True)

    def refine_victim(self, group: str, tok: Tok, limit: int, noun: str, fired: list[str]) -> str:
        """The victim group of `noun` at `tok` (group `group` in the lexicon) as the words after it refine it; the
        rule that refined it is added to `fired`."""
        lex = self.lex
        window = self.text[tok.end : min(limit, tok.end + 45)]
        # the next count starts a phrase of its own: «30 مقاتلا من الفصائل و22 عنصرا من قوات النظام»
        digit = DIGIT.search(window)
        if digit:
            window = window[: digit.start()]
        window_end = tok.end + len(window)
        if group in ("fighters", "regime_forces", "total", "civil_defence") or in_vocab(noun, lex.fighter_generic):
            for name, g in lex.refiners:
                if self.has_phrase(name, tok.end, window_end, substring=True):
                    if (
                        g == "regime_forces"
                        and group in ("fighters", "total", "regime_forces")
                        and in_vocab(noun, lex.soldier_nouns)
                    ):
                        fired.append("refined-regime-forces")
                        return "regime_forces"
                    if g == "civil_defence" and in_vocab(noun, lex.volunteer_nouns):
                        fired.append("refined-civil-defence")
                        return "civil_defence"
                    if g == "medical_staff" and in_vocab(noun, lex.fighter_generic):
                        fired.append("refined-medical-staff")
                        return "medical_staff"
            if group == "total" and in_vocab(noun, lex.fighter_generic) and lex.fighter_refiner_re.match(window):
                fired.append("refined-fighters")
                return "fighters"
        if group == "regime_forces":
            adjective = next_token(self.text, tok.end, limit)
            if adjective is not None and adjective.text in lex.foreign_forces:
                fired.append("foreign-soldiers")
                return "fighters"  # «جنديان تركيان», «3 جنود أتراك»: not the Syrian government's forces
        if (
            group in ("women", "children")
            and role_of(noun_roles(noun)[1], "victim")
            and role_of(noun_roles(noun)[1], "victim")[2] == "plural"
        ):
            m = re.match(r"\s*(\S+)", window)
            if m:
                r = role_of(noun_roles(m.group(1))[1], "victim")
                if r and r[2] == "plural" and {r[1], group} == {"women", "children"} and m.group(1).startswith(AND):
                    fired.append("women-and-children")
                    return "women_and_children"
        return group

    def victim_after(self, si: int, pos: int, fired: list[str]) -> tuple[str | None, Tok | None]:
        """The group of a victim noun right after an outcome noun («جرحى مدنيون», «قتيلا من المدنيين») of sentence
        `si`, and the noun when it is the outcome noun's adjective («قتيلا مدنيا»: no «من» between)."""
        limit = self.sents[si].end
        toks = self.sents[si].tokens(pos, min(limit, pos + 40), 3)
        i = 0
        if i < len(toks) and toks[i].text in (self.grammar.of, self.grammar.between):
            i += 1
            if i < len(toks) and toks[i].text == self.grammar.between:
                i += 1
        if i < len(toks):
            r = role_of(noun_roles(toks[i].text)[1], "victim")
            if r:
                fired.append("victims-after-outcome-noun")
                return self.refine_victim(r[1], toks[i], limit, toks[i].text, fired), toks[i] if i == 0 else None
        return None, None
