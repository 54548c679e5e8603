"""What event a casualty figure reports: its date, its place and who did what to whom.

Per figure, from its evidence sentence, the paragraph before it and the document's entity mentions:
- the event date and ACLED time_precision (conflict_text/dates.py);
- the most specific place the text names for it, resolved to a gazetteer place with governorate
  (admin1), district (admin2, when the gazetteer has one above it), coordinates and ACLED
  geo_precision, and the places the text or the gazetteer puts it inside;
- actor1 (who did it) and actor2 (to whom) as canonical ACLED-style actors (data/actors.json). An
  armed group the text names only by an adjective of the attack («غارة جوية روسية», «القصف التركي»)
  is an actor too (attached_actors), and comes before a group merely named in the sentence.

A place phrase is a run of place mentions joined by short words («سوق الهال في مدينة معرة النعمان
بريف إدلب الجنوبي»): its first, most specific place is the figure's location, and the others
contain it. A place found from context only (a market, a square) counts when a gazetteer place
follows it in its phrase, which anchors it; «حيا سكنيا» read as a place «سكنيا» has no such anchor
and is not an event place, nor is a name found from context that does not start with a site noun
(data/sites.json), unless it follows a settlement noun (data/sites.json) and the text links it to
that place («بلدة X بريف Y», conflict_text/places.py): such a village or town is the location, at
its anchor's coordinates with geo_precision 2 at least.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import ahocorasick

from conflict_text.arabic import AND, PROCLITICS
from conflict_text.dates import MONTH, WEEK, event_date
from conflict_text.gazetteer import Gazetteer
from conflict_text.models import EntityMention
from conflict_text.normalize import fold, normalize
from conflict_text.places import (
    GEO_PRECISION,
    LINK_RULES,
    SPECIFICITY,
    PlaceIndex,
    names_a_source,
    outermost,
)

_DATA = Path(__file__).resolve().parent / "data"
# Between two places of one phrase: a few short words and no list («و») or clause break.
_PHRASE_GAP = re.compile(r"^\s*(?:\S+\s+){0,2}\S*\s*$")
_MAX_GAP = 20
_LIST_OR_BREAK = re.compile(rf"[،,.؛;:\n]|(?:^|\s){AND}(?:\s|$)")
# A group named right after the count is the victims' («مقتل 5 عناصر من قوات النظام»).
_VICTIM_GROUP_REACH = 30
_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class FigureSpan:
    """What events.py needs of a casualty figure."""

    char_start: int
    char_end: int
    evidence_start: int
    evidence_end: int
    victim_group: str
    perpetrator: str | None = None
    # The period a cumulative toll covers, as the figures stage read it («منذ 19 شباط»).
    period_start: date | None = None
    period_end: date | None = None
    # The place the figures stage gave it (conflict_text/figures/attribution.py: the most specific place of its
    # own scene, not where victims were taken, nor a capital leading forces; or the report's before it).
    location: str | None = None


@dataclass(slots=True)
class FigureEvent:
    event_date: date | None = None
    time_precision: int | None = None
    date_cue: str | None = None  # the (folded) words dated from; None when the publication date stands in
    location: str | None = None  # the most specific place named for the event, as the gazetteer names it
    location_id: str | None = None  # its entity id (pattern:* for a site anchored in a gazetteer place)
    place_id: str | None = None  # the gazetteer place it is, or lies in
    within_ids: list[str] = field(default_factory=list)  # the places containing it, innermost first
    admin1: str | None = None
    admin2: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    actor1: str | None = None
    actor1_category: str | None = None
    actor2: str | None = None
    actor2_category: str | None = None


_PLACE_FIELDS = (
    "location",
    "location_id",
    "place_id",
    "within_ids",
    "admin1",
    "admin2",
    "latitude",
    "longitude",
    "geo_precision",
)


@dataclass(frozen=True)
class Actor:
    name: str
    category: str | None


class Places(PlaceIndex):
    """The gazetteer's places and armed groups indexed once, for every document of a batch."""

    def __init__(self, gazetteer: Gazetteer):
        super().__init__(gazetteer)
        self.groups = {r["entity_id"]: r for r in gazetteer.entities() if r["entity_type"] == "armed_group"}

    def actor(self, mention: EntityMention) -> Actor:
        known = _actors()["actors"].get(mention.entity_id)
        if known:
            return Actor(known["name"], _category(known["category"]))
        row = self.groups.get(mention.entity_id)
        if row is None:  # a name found from context: its own words, no category
            return Actor(mention.surface, None)
        return Actor(row["name_en"] or row["name_ar"], _category(row["actor_type"]))


@cache
def _actors() -> dict:
    return json.loads((_DATA / "actors.json").read_text("utf-8"))


def _alternation(words) -> str:
    return "|".join(re.escape(fold(w)) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class _AttachedActors:
    pattern: re.Pattern  # an attack named with a nationality
    nationalities: dict[str, str]  # (folded) nationality -> armed group
    contrast: re.Pattern  # the words that join two events in a sentence
    # The (folded) attack nouns and nationalities, of which every match holds one each: word -> (its length,
    # whether an attack noun, whether a nationality).
    words: ahocorasick.Automaton
    prefixes: frozenset[str]  # the (folded) prefixes of an attack noun, "" included


@cache
def _attached_actors() -> _AttachedActors:
    """The pattern of an attack named with a nationality (data/actors.json, attached_actors), the armed
    group of each (folded) nationality, and the pattern of the words that join two events in a sentence."""
    data = _actors()["attached_actors"]
    nationalities = {fold(word): group for word, group in data["nationalities"].items()}
    nouns, adjectives = _alternation(data["attack_nouns"]), _alternation(data["attack_adjectives"])
    forms = []
    for form in ("definite", "indefinite"):
        prefixes = data[form]
        forms.append(
            rf"(?:{_alternation(prefixes['noun_prefixes'])})(?:{nouns})"
            rf"(?:\s+(?:{_alternation(prefixes['adjective_prefixes'])})(?:{adjectives})){{0,{data['max_attack_adjectives']}}}"
            rf"\s+(?:{_alternation(prefixes['nationality_prefixes'])})(?P<{form}>{_alternation(nationalities)})"
        )
    not_followed_by = _alternation(data["not_followed_by"])
    pattern = rf"(?<!\w)(?:{'|'.join(forms)})(?!\w)(?!\s+(?:{not_followed_by})(?!\w))"
    contrast = re.compile(rf"(?<!\w){AND}?(?:{_alternation(data['contrast_connectives'])})(?!\w)")
    attack_nouns = {fold(noun) for noun in data["attack_nouns"]}
    words = ahocorasick.Automaton()
    for word in attack_nouns | nationalities.keys():
        words.add_word(word, (len(word), word in attack_nouns, word in nationalities))
    words.make_automaton()
    prefixes = frozenset(fold(p) for form in ("definite", "indefinite") for p in data[form]["noun_prefixes"])
    return _AttachedActors(re.compile(pattern), nationalities, contrast, words, prefixes)


def _attack_matches(text: str) -> list[re.Match]:
    """`pattern.finditer(text)` of _attached_actors, tried only where a match can start.

    A match starts with a prefix and an attack noun and ends with a nationality that ends a word: in one
    pass over the text, the automaton finds the nouns (a match starts where a prefix ends right before
    one) and tells whether such a nationality occurs at all. The pattern is tried at those starts, left
    to right, going on after each match as finditer does; elsewhere it cannot match."""
    attached = _attached_actors()
    lengths = {len(prefix) for prefix in attached.prefixes}
    starts, nationality = set(), False
    for end, (length, attack_noun, is_nationality) in attached.words.iter(text):
        if is_nationality:
            nationality = nationality or not _WORD_CHAR.match(text, end + 1)
        if attack_noun:
            at = end + 1 - length
            starts.update(at - n for n in lengths if at >= n and text[at - n : at] in attached.prefixes)
    found, resume = [], 0
    for start in sorted(starts) if nationality else ():
        if start >= resume and (match := attached.pattern.match(text, start)):
            found.append(match)
            resume = match.end()
    return found


def attached_actors(body: str) -> list[EntityMention]:
    """Armed groups named by an adjective of the attack («بغارة جوية روسية», «القصف المدفعي التركي»), as
    mentions of the gazetteer group the nationality stands for, spanning the attack's words as written
    (clitics included: they are read here, never published as entity mentions)."""
    nationalities = _attached_actors().nationalities
    text = normalize(body)
    found = []
    for match in _attack_matches(text.text):
        start, end = text.to_original(match.start(), match.end())
        group = nationalities[match.group("definite") or match.group("indefinite")]
        found.append(
            EntityMention(group, "armed_group", body[start:end], body[start:end], None, start, end, "attached")
        )
    return found


@cache
def _site_nouns() -> frozenset[str]:
    return frozenset(fold(w) for w in json.loads((_DATA / "sites.json").read_text("utf-8"))["site_nouns"])


def _is_site(mention: EntityMention) -> bool:
    return fold(mention.surface).split(" ")[0] in _site_nouns()


@cache
def _settlement_nouns() -> frozenset[str]:
    nouns = json.loads((_DATA / "sites.json").read_text("utf-8"))["settlement_nouns"]
    return frozenset(clitic + fold(w) for w in nouns for clitic in PROCLITICS)


def _after_settlement_noun(body: str, mention: EntityMention) -> bool:
    """«بلدة X», «وبقرية X»: the word before the mention is a settlement noun, proclitics allowed."""
    before = body[max(0, mention.char_start - 20) : mention.char_start].split()
    return bool(before) and fold(before[-1]) in _settlement_nouns()


def canonical_actors() -> list[tuple[str, str, str]]:
    """(gazetteer id, canonical actor, category name) for every armed group data/actors.json names."""
    return [(entity_id, a["name"], _category(a["category"])) for entity_id, a in _actors()["actors"].items()]


def category_names() -> dict[str, str]:
    """The category name of each gazetteer actor_type (state_forces -> State forces ...)."""
    return {key: c["name"] for key, c in _actors()["categories"].items()}


def inter_codes() -> dict[str, int]:
    """ACLED's inter code of each actor category name (State forces 1 ... External/Other forces 8)."""
    return {c["name"]: c["inter"] for c in _actors()["categories"].values()}


def _category(key: str | None) -> str | None:
    category = _actors()["categories"].get(key or "")
    return category["name"] if category else None


def _phrases(body: str, places: list[EntityMention]) -> list[list[EntityMention]]:
    """Place mentions grouped into phrases, in text order."""
    phrases: list[list[EntityMention]] = []
    for m in places:
        if phrases:
            gap = body[phrases[-1][-1].char_end : m.char_start]
            if len(gap) <= _MAX_GAP and _PHRASE_GAP.match(gap) and not _LIST_OR_BREAK.search(gap):
                phrases[-1].append(m)
                continue
        phrases.append([m])
    return phrases


def _place(phrase: list[EntityMention], index: Places, linked: set[int]) -> dict | None:
    """The figure's place from its phrase: the most specific named place, anchored in the gazetteer.

    `linked`: ids of the places found from context that the text links to a place after them."""
    known = [m for m in phrase if m.entity_id in index.rows]
    if not known:
        return None
    # A site found from context is inside the gazetteer place after it, not the one before it.
    candidates = [m for m in phrase[: phrase.index(known[0])] if _is_site(m) or id(m) in linked] + known
    rank = lambda m: (index.specificity(m.entity_id), phrase.index(m))  # noqa: E731
    chosen, anchor = min(candidates, key=rank), min(known, key=rank)
    within = [] if chosen is anchor else [anchor.entity_id]
    # A town named after a town is a bearing («كفرنبل جنوبي إدلب»), not a container: only the phrase's
    # regions and wider places contain the location.
    wider = [m for m in known if m is not anchor and index.specificity(m.entity_id) >= SPECIFICITY["region"]]
    for m in [anchor, *wider]:
        for place in ([m.entity_id] if m is not anchor else []) + index.ancestors(m.entity_id):
            if place not in within and place != chosen.entity_id:
                within.append(place)
    row = index.rows[anchor.entity_id]
    precision = GEO_PRECISION[index.specificity(anchor.entity_id)]
    if chosen not in known and not _is_site(chosen):  # a village at its town's or region's coordinates
        precision = max(2, precision)
    return {
        "location": index.rows[chosen.entity_id]["name_ar"] if chosen in known else chosen.surface,
        "location_id": chosen.entity_id,
        "place_id": anchor.entity_id,
        "within_ids": within,
        "admin1": row["governorate"],
        "admin2": index.admin2(anchor.entity_id),
        "latitude": row["latitude"],
        "longitude": row["longitude"],
        "geo_precision": precision,
    }


def _nearest_place(
    body: str, figure: FigureSpan, phrases: list[list[EntityMention]], index: Places, linked: set[int]
) -> dict | None:
    """The place phrase holding the place the figures stage gave the figure; else the phrase of its sentence
    nearest the figure, one that names a reporting body only when the sentence has no other; else the last one
    before the sentence."""

    def distance(phrase):
        start, end = phrase[0].char_start, phrase[-1].char_end
        return max(start - figure.char_end, figure.char_start - end, 0)

    in_sentence = [p for p in phrases if figure.evidence_start <= p[0].char_start < figure.evidence_end]
    before = [p for p in phrases if p[-1].char_end <= figure.evidence_start]
    # The phrase the figures stage placed the figure in comes first: in its sentence, else the last one before it.
    names_it = lambda p: figure.location is not None and any(figure.location in (m.name_ar, m.surface) for m in p)  # noqa: E731
    placed = [p for p in in_sentence if names_it(p)] or [p for p in before[::-1] if names_it(p)][:1]
    for candidates in (
        sorted(placed, key=distance),
        sorted(
            in_sentence,
            key=lambda p: (names_a_source(body, p[0].char_start), distance(p), p[0].char_start < figure.char_start),
        ),
        before[::-1],
    ):
        for phrase in candidates:
            if (place := _place(phrase, index, linked)) is not None:
                return place
    return None


def _same_event(body: str, figure: FigureSpan, attack: EntityMention) -> bool:
    """No word joining two events («فيما», «بينما») stands between the figure and the attack."""
    between = body[min(figure.char_end, attack.char_end) : max(figure.char_start, attack.char_start)]
    return _attached_actors().contrast.search(fold(between)) is None


def _actors_of(
    body: str, figure: FigureSpan, groups: list[EntityMention], attached: list[EntityMention], index: Places
) -> dict:
    def here(mentions):
        return [g for g in mentions if figure.evidence_start <= g.char_start < figure.evidence_end]

    in_sentence = here(groups)
    attacks = [a for a in here(attached) if _same_event(body, figure, a)]
    victims = _actors()["victims"].get(figure.victim_group)
    victim_actor = Actor(victims["name"], _category(victims["category"])) if victims else None
    victim_mention = None
    if victim_actor is None and figure.victim_group == "fighters":
        victim_mention = next(
            (g for g in in_sentence if 0 <= g.char_start - figure.char_end <= _VICTIM_GROUP_REACH), None
        )
        victim_actor = index.actor(victim_mention) if victim_mention else None
    doers = [g for g in in_sentence if g is not victim_mention]
    # Who did it: the group the figures stage found next to an attack word (its perpetrator), or an attack
    # named with its nationality, whichever the sentence names first; when there is none, or it is the
    # victims themselves, the first group the sentence names. An attack is never the victims
    # («مقتل 3 عناصر بقصف تركي»).
    named = [g for g in doers if figure.perpetrator and g.surface in figure.perpetrator]
    said = min(named + attacks, key=lambda g: g.char_start, default=None)
    actor1 = index.actor(said) if said else None
    if (actor1 is None or (victim_actor and actor1.name == victim_actor.name)) and doers:
        actor1 = index.actor(doers[0])
    if actor1 and victim_actor and actor1.name == victim_actor.name:
        actor1 = None  # «قتلى من قوات النظام» names the victims, not who killed them
    return {
        "actor1": actor1.name if actor1 else None,
        "actor1_category": actor1.category if actor1 else None,
        "actor2": victim_actor.name if victim_actor else None,
        "actor2_category": victim_actor.category if victim_actor else None,
    }


def _lede(body: str, figure: FigureSpan) -> FigureSpan | None:
    """For a figure of a headline (a line of its own, without a full stop), the paragraph after it read as
    its sentence: a headline tells its story's event in fewer words («مقتل 12 مدنيا بغارة على سوق في معرة النعمان»)."""
    line_start = body.rfind("\n", 0, figure.evidence_start) + 1
    line_end = body.find("\n", figure.evidence_start)
    line = body[line_start : line_end if line_end >= 0 else len(body)].strip()
    if (
        line_end < 0
        or not line
        or line[-1] in ".!؟?…"
        or len(line) > len(body[figure.evidence_start : figure.evidence_end].strip())
    ):
        return None
    start = len(body) - len(body[line_end:].lstrip())
    end = body.find("\n", start)
    end = len(body) if end < 0 else end
    return dataclasses.replace(figure, char_start=start, char_end=start, evidence_start=start, evidence_end=end)


def _event(
    body: str,
    published: date | None,
    figure: FigureSpan,
    phrases,
    groups,
    attached,
    index: Places,
    linked: set[int],
) -> FigureEvent:
    sentence = body[figure.evidence_start : figure.evidence_end]
    paragraph_start = body.rfind("\n", 0, figure.evidence_start) + 1
    when = event_date(
        sentence, figure.char_start - figure.evidence_start, body[paragraph_start : figure.evidence_start], published
    )
    event = FigureEvent(
        **(_nearest_place(body, figure, phrases, index, linked) or {}),
        **_actors_of(body, figure, groups, attached, index),
    )
    if when:
        event.event_date, event.time_precision, event.date_cue = when.day, when.precision, when.cue
    if figure.period_start and figure.period_end and figure.period_end > figure.period_start:
        # A toll over days is no day's event: dated by its period's start, a week or vaguer.
        span = (figure.period_end - figure.period_start).days
        event.event_date, event.time_precision = figure.period_start, WEEK if span <= 7 else MONTH
    return event


def read_events(
    body: str,
    published: date | None,
    figures: list[FigureSpan],
    mentions: list[EntityMention],
    index: Places,
    place_rules: Sequence[str | None],
) -> list[FigureEvent]:
    """The event of each figure, in the order of `figures`.

    `place_rules`: for each mention, the rule by which the entities stage placed it (conflict_text/places.py,
    `locate_places`, the mentions' place_rule), None when it did not: read from there, not placed again."""
    ordered = sorted(mentions, key=lambda m: (m.char_start, -m.char_end))
    phrases = _phrases(body, outermost([m for m in ordered if m.entity_type == "location"]))
    groups = outermost([m for m in ordered if m.entity_type == "armed_group"])
    attached = attached_actors(body)
    linked = {
        id(m)
        for m, rule in zip(mentions, place_rules, strict=True)
        if rule in LINK_RULES and _after_settlement_noun(body, m)
    }
    events = []
    for figure in figures:
        event = _event(body, published, figure, phrases, groups, attached, index, linked)
        lede = _lede(body, figure)
        if lede is not None:
            told = _event(body, published, lede, phrases, groups, attached, index, linked)
            if event.date_cue is None and told.date_cue is not None:
                event.event_date, event.time_precision, event.date_cue = (
                    told.event_date,
                    told.time_precision,
                    told.date_cue,
                )
            if told.place_id and event.place_id in (told.place_id, *told.within_ids):  # the lead places it more exactly
                for name in _PLACE_FIELDS:
                    setattr(event, name, getattr(told, name))
            if event.actor1 is None:
                event.actor1, event.actor1_category = told.actor1, told.actor1_category
        events.append(event)
    return events
