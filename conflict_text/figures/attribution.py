"""Location, perpetrator and claimant of a figure from the entity mentions of its sentence and the ones before.

The rules are named in data/figure_rules/attribution.json, their words are in data/figure_context.json.

Location: the place phrases of the figure's sentence (places the text links, «حي X في مدينة Y», «بلدة X بريف
Y»: conflict_text/places.py), without the places victims were taken to or people left for, where the attackers
stand, where a toll was announced («في مؤتمر صحفي في جنيف») and the capitals leading forces («بقيادة واشنطن»).
The phrase of the figure's own clause, or of a clause after it that opens with its cause («، جراء غارات على X»),
comes first; one of another item of a list («، و5 في Y») or of another event («، فيما قتل 2 في Y») last; the
nearest among equals; of that phrase, its first, most specific place. A breakdown is where its parent toll is,
unless its own clause names a place; a toll restated elsewhere (a headline and its story) is where the statement
naming a place puts it; a sentence naming no place continues the report before it: the last place of the nearest
earlier sentence that reports something or shares its line.

Claimant: the reporter named after the attribution cue nearest the figure, before the next cue (not a name after
«أن», «إن», nor an attacker some words after the cue: they are what is reported); an unnamed one as the text words
it («قال ناشطون محليون»); the source after «عن» of a relaying verb («نقلت وكالة X عن مصدر عسكري»); a reporter named
right before a cue that names none after it («أما X فأكدت», «أن المرصد السوري وثق»); the name before the colon of a line («المرصد السوري: مقتل 5»). A
toll restated elsewhere is claimed by the statement naming a reporter; a sentence without one («وأضاف», «وبحسب
التقرير», no cue) continues the report of the last organisation, outlet or unnamed reporter named before (the
outlet an unnamed source spoke to, «لمراسل سانا», included); a headline before any reporter takes the first
outlet or organisation of its story.

Perpetrator: in an armed group's own statement about its fighters («إن مقاتليها قتلوا»), the group; else the armed
group next to an attack word nearest the figure, one of its own clause first, not the reporter of its sentence nor
a target («على مواقع X»), or, when the sentence names none, an attacker it does not name right after a verb of the
attack («قذائف أطلقها إرهابيون», «ألقى الطيران المروحي»). A breakdown's is its parent's unless its clause names one;
a sentence naming none right after a sentence of its paragraph that does tells that attack's consequence.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

from conflict_text.arabic import AND, ARTICLE, PREPOSITIONS, PROCLITICS, with_proclitics
from conflict_text.figures.document import Document
from conflict_text.figures.lexicon import grammar, lexicon_data
from conflict_text.figures.sentence import Candidate
from conflict_text.models import EntityMention
from conflict_text.normalize import fold
from conflict_text.places import names_a_source, outermost, place_link
from conflict_text.tokens import split_tokens

_DATA = Path(__file__).resolve().parent.parent / "data"
# A word as written: letters and digits with their diacritics and tatweel (fold removes them); one capturing
# group, as conflict_text.tokens.split_tokens reads it.
_WORD_SPLIT = re.compile(r"([\w\u0610-\u061a\u064b-\u065f\u0670\u0640]+)")
_HEADLINE_END = ".!؟?…"
_NAMED_REPORTERS = ("organisation", "media")
_QUOTES = " \"'«»“”"
_TOLD = "told"  # the outlet an unnamed source spoke to: a reporter of the sentences after, not of its own
_CLAIMANT_TYPES = ("organisation", "media", "armed_group", "person")
# The number words that open an item of a list of tolls or weapons («، وستة آخرون في X», «، والثاني قرب Y»).
_ITEM_NUMBERS = ("units", "teen_units", "ten", "tens", "hundred", "hundreds", "ordinals")
# The words before a place in which a cue of data/figure_context.json is looked for (its reach and length).
_BEFORE_WORDS = 10
# A place before the figure is this much farther than one after it at the same distance.
_BEFORE_WEIGHT = 1.3


def _between_digits(text: str, pos: int) -> bool:
    """«1,500»: a comma between digits is no clause break."""
    return 0 < pos < len(text) - 1 and text[pos - 1].isdigit() and text[pos + 1].isdigit()


@lru_cache(maxsize=1 << 16)
def _form(word: str) -> str:
    """A word as the lists of data/figure_context.json write it: folded, proclitics of a listed word stripped."""
    folded = fold(word)
    return _context_words().forms.get(folded, folded)


class _Phrases:
    """Word sequences looked up by their last or first word: which of them ends or starts at a position of a
    list of words (only the phrases sharing that word are compared)."""

    def __init__(self, phrases: tuple[tuple[str, ...], ...]):
        self.phrases = phrases
        self._by_last: dict[str, list[tuple[str, ...]]] = {}
        self._by_first: dict[str, list[tuple[str, ...]]] = {}  # in the order of `phrases`: the first listed wins
        for phrase in phrases:
            self._by_last.setdefault(phrase[-1], []).append(phrase)
            self._by_first.setdefault(phrase[0], []).append(phrase)

    def __iter__(self):
        return iter(self.phrases)

    def ends_at(self, words: list[str], j: int) -> int:
        """The length of a phrase ending with words[j], 0 when none does."""
        for phrase in self._by_last.get(words[j], ()):
            n = len(phrase)
            if j + 1 >= n and tuple(words[j + 1 - n : j + 1]) == phrase:
                return n
        return 0

    def starts_at(self, words: list[str], i: int) -> int:
        """The length of the first listed phrase starting with words[i], 0 when none does."""
        if i >= len(words):
            return 0
        for phrase in self._by_first.get(words[i], ()):
            if tuple(words[i : i + len(phrase)]) == phrase:
                return len(phrase)
        return 0

    def starts(self, words: list[str]) -> bool:
        return self.starts_at(words, 0) > 0

    def anywhere(self, words: list[str]) -> bool:
        return any(self.ends_at(words, j) for j in range(len(words)))


@dataclass(frozen=True)
class _ContextWords:
    numbers: frozenset[str]  # number words and ordinals (data/number_words.json), which open a list's item
    causes: frozenset[str]  # cause words and attack words, which open a clause telling the cause
    cause_reach: int
    # «فيما», «في حين» (data/actors.json, contrast_connectives): words that join two events in a sentence
    other_event: _Phrases
    reported_speech: frozenset[str]  # «أن», «إن»: what follows them is reported, not the reporter
    continued: frozenset[str]  # the entity types of reporters whose report a later sentence continues
    targets: frozenset[str]  # «مواقع», «مقرات»: a group named right after them was attacked
    own_fighters: frozenset[str]  # «مقاتليها»: a reporting group's own fighters
    relay_verbs: frozenset[str]  # «نقلت»: a reporter relaying another's words, named after «عن»
    relay_from: frozenset[str]
    relay_reach: int
    agent_verbs: frozenset[str]  # «أطلقها»: a verb of the attack before the attacker it names
    plain_agent_verbs: frozenset[str]  # «ألقى»: the same without an object pronoun (a definite subject only)
    agents: _Phrases  # «إرهابيون», «الفصائل»: attackers the text does not name
    unnamed: _Phrases  # «ناشطون», «مصادر»: a reporter the text does not name
    stops: frozenset[str]  # prepositions and adverbs that end an unnamed reporter's words
    unnamed_skip: int
    unnamed_reach: int
    # (rule, cue phrases, reach in words, words one of which stands between cue and place) of the places that
    # are not the event's: where victims were taken, a capital leading forces, where attackers stand, where a
    # toll was announced
    set_asides: tuple[tuple[str, _Phrases, int, frozenset[str] | None], ...]
    forms: dict[str, str]  # a word with proclitics -> the word of the lists
    clause_break_re: re.Pattern


@cache
def _context_words() -> _ContextWords:
    data = json.loads((_DATA / "figure_context.json").read_text("utf-8"))
    phrases = lambda words: tuple(tuple(fold(w).split()) for w in words)  # noqa: E731
    transfer, actor = phrases(data["transfer"]["verbs"]), phrases(data["place_as_actor"]["words"])
    positions = phrases(data["attacker_position"]["words"])
    venues = phrases(data["statement_venue"]["words"])
    directions = frozenset(fold(w) for w in data["transfer"]["directions"])
    causes = {fold(w) for w in data["cause_openers"]["words"]}
    causes |= {fold(w) for w in lexicon_data()["attack_cues"] if " " not in w}
    other_event = phrases(
        json.loads((_DATA / "actors.json").read_text("utf-8"))["attached_actors"]["contrast_connectives"]
    )
    reported_speech = {fold(w) for w in data["reported_speech"]["words"]}
    targets = {fold(w) for w in data["attack_targets"]["words"]}
    own_fighters = {fold(w) for w in data["own_fighters"]["words"]}
    relay_verbs = {fold(w) for w in data["relayed"]["verbs"]}
    relay_from = {fold(w) for w in data["relayed"]["from"]}
    agent_verbs = {fold(w) for w in data["unnamed_attackers"]["verbs"]}
    plain_agent_verbs = {fold(w) for w in data["unnamed_attackers"]["plain_verbs"]}
    agents = phrases(data["unnamed_attackers"]["nouns"])
    unnamed = data["unnamed_reporters"]
    vocabulary = (
        {w for phrase in transfer + actor + positions + venues + other_event for w in phrase}
        | directions
        | causes
        | reported_speech
        | targets
        | own_fighters
        | relay_verbs
        | relay_from
        | agent_verbs
        | plain_agent_verbs
        | {w for phrase in agents for w in phrase}
    )
    number_words = json.loads((_DATA / "number_words.json").read_text("utf-8"))
    numbers = {fold(w) for key in _ITEM_NUMBERS for w in number_words[key]}
    return _ContextWords(
        numbers=frozenset(numbers),
        causes=frozenset(causes),
        cause_reach=data["cause_openers"]["reach"],
        other_event=_Phrases(other_event),
        reported_speech=frozenset(reported_speech),
        continued=frozenset(data["reporters_continued"]["entity_types"]),
        targets=frozenset(targets),
        own_fighters=frozenset(own_fighters),
        relay_verbs=frozenset(relay_verbs),
        relay_from=frozenset(relay_from),
        relay_reach=data["relayed"]["reach"],
        agent_verbs=frozenset(agent_verbs),
        plain_agent_verbs=frozenset(plain_agent_verbs),
        agents=_Phrases(agents),
        unnamed=_Phrases(phrases(unnamed["nouns"])),
        stops=frozenset(fold(w) for w in unnamed["stops"]),
        unnamed_skip=unnamed["skip"],
        unnamed_reach=unnamed["reach"],
        set_asides=(
            ("location-not-where-victims-were-taken", _Phrases(transfer), data["transfer"]["reach"], directions),
            ("location-not-a-country-leading-forces", _Phrases(actor), data["place_as_actor"]["reach"], None),
            ("location-not-where-the-attackers-stand", _Phrases(positions), data["attacker_position"]["reach"], None),
            ("location-not-where-it-was-announced", _Phrases(venues), data["statement_venue"]["reach"], None),
        ),
        forms=with_proclitics(vocabulary, PROCLITICS),
        clause_break_re=re.compile("|".join(map(re.escape, data["clause_breaks"]))),
    )


def _opens_item(word: str, numbers: frozenset[str]) -> bool:
    """«و17», «وستة», «والثاني»: a conjunction and a number, the start of another item of a list."""
    rest = word[len(AND) :]
    return word.startswith(AND) and bool(rest) and (rest.isdigit() or rest in numbers)


def _cue_before(words: list[str], phrases: _Phrases, reach: int, gap_needs: frozenset[str] | None = None) -> bool:
    """Whether one of `phrases` ends at most `reach` words before the end of `words` (with a word of
    `gap_needs` between them, when given)."""
    for j in range(max(0, len(words) - reach - 1), len(words)):
        if phrases.ends_at(words, j) and (gap_needs is None or not gap_needs.isdisjoint(words[j + 1 :])):
            return True
    return False


@dataclass
class _Phrase:
    """Places the text links into one phrase, most specific first («حي X في مدينة Y»)."""

    places: list[EntityMention]
    start: int
    end: int
    clause: int  # index of its clause in the sentence
    item: bool  # its clause is an item of a list («، وثلاث أخرى في X»)
    cause: bool  # its clause tells a cause («، جراء غارات على X»)
    other_event: bool  # its clause tells another event («، فيما قتل 3 في X»)
    names_a_source: bool


@dataclass
class _SentenceMentions:
    start: int  # the sentence's original offsets
    end: int
    inside: list[EntityMention]  # its mentions, in given order
    breaks: list[int]  # where the clauses of the sentence end (original offsets)
    # armed groups next to an attack word, not after «عناصر», «مقاتلي», «من» ... (they are the victims then)
    attackers: list[EntityMention]
    # Read on first use (Attribution._places, Attribution._sentence_claims): a sentence read back for the report
    # it continues needs only its places, or only its reporters, or only its attackers.
    phrases: list[_Phrase] | None = None  # event places (those set aside left out: where victims were taken ...)
    set_aside: list[str] | None = None  # rule ids of the places left out
    # (original start of the cue, the organisation, outlet, group or person it names, the rule) per attribution cue
    claims: list[tuple[int, EntityMention | None, str]] | None = None

    def clause(self, pos: int) -> int:
        return bisect_right(self.breaks, pos)


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
        self._locations: dict[int, tuple[str | None, list[str]]] = {}  # by candidate id, for its breakdowns
        self._perpetrators: dict[int, tuple[str | None, str | None]] = {}
        self._claims: dict[int, tuple[int, EntityMention, str] | None] = {}
        # per sentence read: the starts and ends of its words, and the words as the lists write them
        self._tokens: dict[int, tuple[list[int], list[int], list[str]]] = {}

    @cached_property
    def _restated(self) -> dict[int, list[Candidate]]:
        """The other statements of each toll: merged restatements (a headline and its story), by the kept one."""
        found: dict[int, list[Candidate]] = {}
        for x in self.doc.cands:
            if x.alias is not None:
                root = x.alias
                while root.alias is not None:
                    root = root.alias
                found.setdefault(id(root), []).append(x)
        return found

    @cached_property
    def _reporting(self) -> set[int]:
        """The sentences that report something (a count, a weapon or an attack), whose places a sentence after
        them continues (not a dateline's «بتوقيت دمشق»)."""
        doc = self.doc
        return {x.sent for x in doc.cands} | {doc.sent_of(a) for a, _, _, _ in doc.phrases("attack", 0, len(doc.text))}

    @cached_property
    def _with_places(self) -> set[int]:
        return {self._sent_of(m) for m in self.mentions if m.entity_type == "location"}

    @cached_property
    def _with_cues(self) -> set[int]:
        """The sentences that may name a reporter: a cue, or a name (before a colon)."""
        doc = self.doc
        cues = {doc.sent_of(start) for start, _, _, _ in doc.phrases("attribution", 0, len(doc.text))}
        return cues | {self._sent_of(m) for m in self.mentions if m.entity_type in _CLAIMANT_TYPES}

    def _sent_of(self, m: EntityMention) -> int:
        return self.doc.sent_of(self.nt.to_normalized(m.char_start))

    def _sentence(self, si: int) -> _SentenceMentions:
        if si in self._sents:
            return self._sents[si]
        doc, nt, text, body = self.doc, self.nt, self.doc.text, self.body
        words = _context_words()
        victim_side = grammar().victim_side_re
        sent = doc.sents[si]
        s0, s1 = nt.to_original(sent.start, sent.end)
        within = self._by_start[bisect_left(self._starts, s0) : bisect_right(self._starts, s1)]
        inside = [self.mentions[i] for i in sorted(within) if self.mentions[i].char_end <= s1]  # in given order
        breaks = [
            m.start() for m in words.clause_break_re.finditer(body, s0, s1) if not _between_digits(body, m.start())
        ]
        found = _SentenceMentions(s0, s1, inside, breaks, [])
        attacks = [nt.to_original(start, end) for start, _, _, end in doc.sentence_phrases("attack", sent)]
        not_attacking_end = None  # where the last group named as victims or target ends
        for g in inside:
            if g.entity_type != "armed_group":
                continue
            # quotes around a name («من عناصر «قسد»») stand between it and the word that places it
            pre = text[max(0, nt.to_normalized(g.char_start) - 16) : nt.to_normalized(g.char_start)].rstrip(_QUOTES)
            before = self._words(si, s0, g.char_start)[-1:]
            # a group joined by «و» to the victims or the target before it is on their side («من قوات النظام و«اللواء 137»»)
            joined = not_attacking_end is not None and body[not_attacking_end : g.char_start].strip(_QUOTES) == AND
            if victim_side.search(pre) or (before and before[0] in words.targets) or joined:
                not_attacking_end = g.char_end
                continue
            if any(abs(g.char_start - a1) <= 30 or abs(a0 - g.char_end) <= 30 for a0, a1 in attacks):
                found.attackers.append(g)
        if not found.attackers:
            found.attackers.extend(self._unnamed_attackers(si))
        self._sents[si] = found
        return found

    def _sentence_claims(self, si: int) -> list[tuple[int, EntityMention | None, str]]:
        """The claims of sentence si (`_SentenceMentions.claims`), read once."""
        found = self._sentence(si)
        if found.claims is not None:
            return found.claims
        doc, nt, inside, s0, s1 = self.doc, self.nt, found.inside, found.start, found.end
        claims = found.claims = []
        headline_reporter = self._reporter_before_colon(inside, s0)
        if headline_reporter is not None:
            claims.append((s0, headline_reporter, "claimant-named-before-a-colon"))
        cues = [nt.to_original(start, end) for start, _, _, end in doc.sentence_phrases("attribution", doc.sents[si])]
        for k, (a_start, a_end) in enumerate(cues):
            until = cues[k + 1][0] if k + 1 < len(cues) else s1
            named = self._named_after(si, inside, found.attackers, a_end, until)
            unnamed = self._unnamed_reporter(si, a_end, s1)
            source = self._relayed_source(si, inside, found.attackers, a_start, a_end, until)
            if source is not None:
                claims.append((a_start, source, "claimant-relayed-source"))
                if named is not None and named.entity_type in _NAMED_REPORTERS and named is not source:
                    claims.append((a_start, named, _TOLD))
            elif unnamed is not None and (named is None or unnamed.char_end <= named.char_start):
                claims.append((a_start, unnamed, "claimant-unnamed-reporter"))
                if named is not None and named.entity_type in _NAMED_REPORTERS:
                    # «قال مصدر لمراسل سانا»: the outlet told relays the source; what it reports next is its own
                    claims.append((a_start, named, _TOLD))
            elif named is None and (topic := self._named_before(inside, a_start)):
                claims.append((a_start, topic, "claimant-named-before-its-cue"))
            else:
                claims.append((a_start, named, "claimant-after-attribution-cue"))
        return claims

    def _places(self, si: int) -> _SentenceMentions:
        """Sentence si with its place phrases (`_SentenceMentions.phrases`, `set_aside`) read."""
        found = self._sentence(si)
        if found.phrases is None:
            found.phrases, found.set_aside = [], []
            self._place_phrases(found, si)
        return found

    def _place_phrases(self, found: _SentenceMentions, si: int) -> None:
        """The sentence's place phrases, those of places that are not the event's (`set_asides`) left out."""
        body, words, inside, s0 = self.body, _context_words(), found.inside, found.start
        places = outermost(sorted((m for m in inside if m.entity_type == "location"), key=lambda m: m.char_start))
        groups: list[list[EntityMention]] = []
        for m in places:
            if groups and place_link(body[groups[-1][-1].char_end : m.char_start]) in ("inside", "near"):
                groups[-1].append(m)
            else:
                groups.append([m])
        for group in groups:
            head = group[0]
            before = self._words(si, s0, head.char_start)[-_BEFORE_WORDS:]
            aside = next((rule for rule, *cue in words.set_asides if _cue_before(before, *cue)), None)
            if aside is not None:
                found.set_aside.append(aside)
                continue
            clause = found.clause(head.char_start)
            clause_start = found.breaks[clause - 1] + 1 if clause else s0
            opening = self._words(si, clause_start, head.char_start)[: words.cause_reach]
            found.phrases.append(
                _Phrase(
                    group,
                    head.char_start,
                    group[-1].char_end,
                    clause,
                    clause > 0 and bool(opening) and _opens_item(opening[0], words.numbers),
                    clause > 0 and not words.causes.isdisjoint(opening),
                    clause > 0 and words.other_event.starts(opening),
                    names_a_source(body, head.char_start),
                )
            )

    def location(self, c: Candidate) -> tuple[str | None, list[str]]:
        """The figure's place and the ids of the rules that chose it."""
        place, rules, own_clause = self._location(c)
        parent = self._locations.get(id(c.parent)) if c.parent is not None else None
        if not own_clause and parent is not None and parent[0] is not None:
            place, rules = parent[0], [*parent[1], "location-of-the-toll-it-breaks-down"]
        self._locations[id(c)] = (place, rules)
        return place, rules

    def _statements(self, c: Candidate) -> list[Candidate]:
        """The figure, then its restatements in other sentences, in text order."""
        return [c, *sorted(self._restated.get(id(c), ()), key=lambda x: x.start)]

    def _location(self, c: Candidate) -> tuple[str | None, list[str], bool]:
        """The figure's place, the rules that chose it, and whether the figure's own clause names it."""
        for statement in self._statements(c):
            if self._places(statement.sent).phrases:
                place, rules, own_clause = self._place_in_sentence(statement)
                if statement is not c:
                    rules.append("location-of-a-restatement")
                return place, rules, own_clause
        ctx = self._places(c.sent)
        for si in range(c.sent - 1, -1, -1):
            if si not in self._with_places or not (si in self._reporting or self._same_line(si, c.sent)):
                continue
            earlier = [p for p in self._places(si).phrases if not p.names_a_source]
            if earlier:
                return _name(earlier[-1].places[0]), [*ctx.set_aside, "location-of-the-report-before"], False
        return None, ctx.set_aside, False

    def _same_line(self, a: int, b: int) -> bool:
        """Whether no line break stands between sentences a and b (a before b): «مضايا.. مقتل شاب»."""
        start = self.nt.to_original(self.doc.sents[a].start, self.doc.sents[a].end)[0]
        return "\n" not in self.body[start : self.nt.to_original(self.doc.sents[b].start, self.doc.sents[b].end)[0]]

    def _place_in_sentence(self, c: Candidate) -> tuple[str | None, list[str], bool]:
        """The place of a figure whose sentence names one (see the module's doc)."""
        ctx = self._places(c.sent)
        f0, f1 = self.nt.to_original(c.start, max(c.end, c.head_end))
        own = ctx.clause(f0)

        def rank(p: _Phrase):
            after = p.start >= f1
            distance = p.start - f1 if after else (f0 - p.end) * _BEFORE_WEIGHT
            # A clause after the figure that opens with its cause («، جراء غارات على X») places it as its own
            # clause does; another item of a list («، و3 في Y») or another event («، فيما قتل 3 في Y») is
            # another scene.
            if p.clause == own or (after and p.cause and not p.other_event):
                tier = 0
            else:
                tier = 2 if p.item or p.other_event else 1
            return p.names_a_source, tier, distance

        chosen = min(ctx.phrases, key=rank)
        rules = [*ctx.set_aside, "location-nearest-place"]
        if len(chosen.places) > 1:
            rules.append("location-innermost-of-a-place-phrase")
        return _name(chosen.places[0]), rules, chosen.clause == own

    def claimant(self, c: Candidate) -> tuple[str | None, str | None]:
        """Who states the figure, and the id of the rule that found it."""
        for statement in self._statements(c):
            claim = self._claim_in_sentence(statement)
            if claim is not None:
                return _name(claim[1]), claim[2] if statement is c else "claimant-of-a-restatement"
        # «وأضاف», «وأشار» without a name: the pronoun is the last speaker's, whoever it was; a sentence without a
        # cue continues only a reporter's report (an organisation, an outlet, an unnamed source)
        speaks = any(m is None for _, m, _ in self._sentence_claims(c.sent))
        continued = _CLAIMANT_TYPES + ("unnamed_reporter",) if speaks else _context_words().continued
        for si in range(c.sent - 1, -1, -1):
            if si not in self._with_cues:
                continue
            earlier = [m for _, m, _ in self._sentence_claims(si) if m is not None and m.entity_type in continued]
            if earlier:
                return _name(earlier[-1]), "claimant-of-the-report-continued"
        if self._is_headline(c.sent):  # the outlet or organisation its story names, not a source it quotes
            for si in sorted(x for x in self._with_cues if x > c.sent):
                later = [
                    m for _, m, _ in self._sentence_claims(si) if m is not None and m.entity_type in _NAMED_REPORTERS
                ]
                if later:
                    return _name(later[0]), "claimant-of-a-headline-from-its-story"
        return None, None

    def _claim_in_sentence(self, c: Candidate) -> tuple[int, EntityMention, str] | None:
        """The claim naming a reporter after the attribution cue nearest before the figure, else the first after it."""
        if id(c) in self._claims:
            return self._claims[id(c)]
        f0 = self.nt.to_original(c.start, c.end)[0]
        usable = [x for x in self._sentence_claims(c.sent) if x[1] is not None and x[2] != _TOLD]
        before = [x for x in usable if x[0] < f0][::-1]
        after = [x for x in usable if x[0] >= f0]
        # a cue before another event's connective («بحسب مصادر تركية، فيما قتل 8») reports that other event
        found = next((x for x in before if not self._joins_another_event(c.sent, x[0], f0)), None)
        found = found or next(iter(after), None) or next(iter(before), None)
        self._claims[id(c)] = found
        return found

    def _joins_another_event(self, si: int, start: int, end: int) -> bool:
        """Whether a word joining two events («فيما», «في حين») stands between `start` and `end`."""
        return _context_words().other_event.anywhere(self._words(si, start, end))

    def _sentence_tokens(self, si: int) -> tuple[list[int], list[int], list[str]]:
        """The starts and ends of the words of sentence si, and the words as the lists write them."""
        if si not in self._tokens:
            s0, s1 = self.nt.to_original(self.doc.sents[si].start, self.doc.sents[si].end)
            starts, ends, words = split_tokens(_WORD_SPLIT, self.body[s0:s1], s0)
            self._tokens[si] = (starts, ends, list(map(_form, words)))
        return self._tokens[si]

    def _words(self, si: int, start: int, end: int) -> list[str]:
        """The words of sentence si lying within body[start:end], as the lists write them."""
        starts, ends, forms = self._sentence_tokens(si)
        return forms[bisect_left(starts, start) : bisect_right(ends, end)]

    def _named_after(
        self, si: int, inside: list[EntityMention], attackers: list[EntityMention], cue_end: int, until: int
    ) -> EntityMention | None:
        """The organisation or outlet (60 characters on), group or person (15) named first after a cue and before
        the next cue («وفق ما أفادت به مصادر ...»: the second cue's); not a name inside what is reported («أشار
        التقرير إلى أن قوات النظام»), nor an attacker some words after the cue («بحسب التقرير فقد قتلت قوات
        النظام»): a group reporting is named right after its cue."""
        words = _context_words()
        near = [
            m
            for m in inside
            if m.char_start < until
            and (
                (m.entity_type in ("organisation", "media") and 0 <= m.char_start - cue_end <= 60)
                or (m.entity_type in ("armed_group", "person") and 0 <= m.char_start - cue_end <= 15)
            )
            and words.reported_speech.isdisjoint(gap := self._words(si, cue_end, m.char_start))
            and not (gap and m in attackers)
        ]
        return min(near, key=lambda m: m.char_start) if near else None

    def _relayed_source(
        self,
        si: int,
        inside: list[EntityMention],
        attackers: list[EntityMention],
        cue_start: int,
        cue_end: int,
        until: int,
    ) -> EntityMention | None:
        """«نقلت وكالة X عن مصدر عسكري»: the reporter after «عن» following a verb of relaying."""
        words = _context_words()
        starts, ends, forms = self._sentence_tokens(si)
        first = bisect_left(starts, cue_start)
        if first >= len(forms) or forms[first] not in words.relay_verbs:
            return None
        for j in range(first + 1, min(len(forms), first + 1 + words.relay_reach)):
            if forms[j] in words.reported_speech or starts[j] >= until:
                return None
            if forms[j] in words.relay_from:
                named = self._named_after(si, inside, attackers, ends[j], until)
                unnamed = self._unnamed_reporter(si, ends[j], until)
                if unnamed is not None and (named is None or unnamed.char_end <= named.char_start):
                    return unnamed
                return named
        return None

    def _unnamed_reporter(self, si: int, cue_end: int, s1: int) -> EntityMention | None:
        """«قال ناشطون», «أفادت مصادر محلية لـ...»: a noun of an unnamed reporter right after a cue, with the
        adjectives after it, as a mention of its own words."""
        words = _context_words()
        starts, ends, forms = self._sentence_tokens(si)
        first, last = bisect_left(starts, cue_end), bisect_right(ends, s1)
        for i in range(first, min(first + words.unnamed_skip + 1, last)):
            n = words.unnamed.starts_at(forms, i)
            if not n or i + n > last:
                continue
            end = i + n
            while end < min(last, i + words.unnamed_reach):
                gap = self.body[ends[end - 1] : starts[end]]
                word = fold(self.body[starts[end] : ends[end]])
                glued = word[:1] in PREPOSITIONS and len(word) > 3
                if gap.strip(" ") or glued or forms[end] in words.stops or forms[end] in words.reported_speech:
                    break
                end += 1
            text = self.body[starts[i] : ends[end - 1]]
            return EntityMention("", "unnamed_reporter", text, text, None, starts[i], ends[end - 1], "context")
        return None

    def _unnamed_attackers(self, si: int) -> list[EntityMention]:
        """«قذائف أطلقها إرهابيون», «ألقى الطيران المروحي»: an attacker the text does not name, right after a verb
        of the attack carrying its object, or a definite one after the verb alone, as a mention of its own words."""
        words = _context_words()
        starts, ends, forms = self._sentence_tokens(si)
        found = []
        if words.agent_verbs.isdisjoint(forms) and words.plain_agent_verbs.isdisjoint(forms):
            return found  # most sentences hold no verb of the attack: no word needs reading
        for j in range(1, len(forms)):
            plain = forms[j - 1] in words.plain_agent_verbs
            if not plain and forms[j - 1] not in words.agent_verbs or plain and not forms[j].startswith(ARTICLE):
                continue
            for end in range(min(len(forms), j + 3), j, -1):
                if words.agents.ends_at(forms[:end], end - 1) == end - j:
                    text = self.body[starts[j] : ends[end - 1]]
                    found.append(EntityMention("", "unnamed_attacker", text, text, None, starts[j], ends[end - 1]))
                    break
        return found

    def _named_before(self, inside: list[EntityMention], cue_start: int) -> EntityMention | None:
        """«أما «حركة أحرار الشام» فأكدت», «أن المرصد السوري وثق»: the reporter named right before a cue that names
        none after it is its subject."""
        return next(
            (
                m
                for m in inside
                if m.entity_type in _CLAIMANT_TYPES
                and m.char_end <= cue_start
                and not self.body[m.char_end : cue_start].strip(_QUOTES)
            ),
            None,
        )

    def _reporter_before_colon(self, inside: list[EntityMention], s0: int) -> EntityMention | None:
        """«المرصد السوري: مقتل 5 مدنيين»: a line opening with a reporter's name and a colon names the
        reporter of its figures."""
        first = next((m for m in inside if m.entity_type in _CLAIMANT_TYPES), None)
        if first is None or self.body[s0 : first.char_start].strip(" \n\"'«»“”#"):
            return None
        return first if self.body[first.char_end : first.char_end + 3].lstrip(" \"'»”").startswith(":") else None

    def _is_headline(self, si: int) -> bool:
        """A line of its own that ends without a full stop."""
        s0, s1 = self.nt.to_original(self.doc.sents[si].start, self.doc.sents[si].end)
        line = self.body[s0:s1].strip()
        before, after = self.body[:s0].rstrip(" "), self.body[s1:].lstrip(" ")
        return (
            bool(line)
            and line[-1] not in _HEADLINE_END
            and (not before or before.endswith("\n"))
            and after.startswith("\n")
        )

    def perpetrator(self, c: Candidate) -> tuple[str | None, str | None]:
        """Who did it, and the id of the rule that found it."""
        ctx = self._sentence(c.sent)
        claim = self._claim_in_sentence(c)
        doers = [g for g in ctx.attackers if claim is None or g is not claim[1]]
        f0, f1 = self.nt.to_original(c.start, c.end)
        if (
            claim is not None
            and claim[1].entity_type == "armed_group"
            and not _context_words().own_fighters.isdisjoint(self._words(c.sent, claim[0], f0))
        ):
            found = _name(claim[1]), "perpetrator-the-reporting-group"
            self._perpetrators[id(c)] = found
            return found
        own = ctx.clause(f0)
        parent = self._perpetrators.get(id(c.parent)) if c.parent is not None else None
        if parent is not None and parent[0] is not None and all(ctx.clause(g.char_start) != own for g in doers):
            found = parent[0], "perpetrator-of-the-toll-it-breaks-down"
        elif doers:

            def rank(g: EntityMention):
                distance = g.char_start - f1 if g.char_start >= f1 else f0 - g.char_end
                return ctx.clause(g.char_start) != own, distance

            doer = min(doers, key=rank)
            unnamed = doer.entity_type == "unnamed_attacker"
            found = _name(doer), "perpetrator-unnamed-attacker" if unnamed else "perpetrator-near-attack-word"
        elif c.sent > 0 and self._same_line(c.sent - 1, c.sent) and (earlier := self._sentence(c.sent - 1).attackers):
            found = _name(earlier[-1]), "perpetrator-of-the-attack-before"
        else:
            found = None, None
        self._perpetrators[id(c)] = found
        return found

    def of(
        self, c: Candidate
    ) -> tuple[tuple[str | None, list[str]], tuple[str | None, str | None], tuple[str | None, str | None]]:
        """(location, its rules), (perpetrator, its rule), (claimant, its rule)."""
        return self.location(c), self.perpetrator(c), self.claimant(c)


def _name(m: EntityMention) -> str:
    return m.name_ar or m.surface
