"""Where each place mention of a document lies: coordinates, governorate, district and ACLED geo_precision.

A gazetteer place lies where the gazetteer puts it (geo_precision by its type: 1 a town, village or
site, 2 a region, 3 a governorate or wider). A place found from context (match_source "pattern") takes
the coordinates of a gazetteer place the text relates it to, by the rules of data/place_links.json:
  1. the place named right after it through a link of location or nearness («حي X في مدينة Y»,
     «بلدة X بريف Y», «قرية X (12 كم شرق Y)»), or through a list whose last member is so linked
     («X، وZ بريف Y»); a chain of such links ends at a gazetteer place («حي X في بلدة Z بريف Y»);
  2. the known place its name is made of, for a hospital, camp or prison named after its town
     («مشفى X الميداني»); the last town named before it, when the text links it to «المدينة»,
     «البلدة» («جامع X وسط المدينة»);
  3. the governorate of its sentence's gazetteer places, when they all lie in one; else its paragraph's,
     else the article's
     (not for a base, airport, branch or camp: those are named from afar, «أقلعت من قاعدة X»).
Its geo_precision says how near those coordinates are: 2 those of its town, district or region, 3 those
of its governorate. The district (admin2) is the gazetteer's: a place's own admin2_id or its parent's.

The Python names no word: the link words, nouns and lists are data.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from conflict_text.arabic import PREFIXES
from conflict_text.gazetteer import Gazetteer
from conflict_text.models import EntityMention
from conflict_text.normalize import fold, match_key
from conflict_text.sentences import split_sentences

_DATA = Path(__file__).resolve().parent / "data"
_SOURCE_REACH = 4  # words: «مكتب توثيق الشهداء في درعا»
_CLAUSE_BREAK = re.compile(r"[،,.؛;:\n\"«»]")

# How specific a place type is (lower is more specific), and ACLED's geo_precision for it: 1 the
# place itself (a town or a site in it), 2 a part of a region, 3 a governorate or wider.
SPECIFICITY = {
    "site": 0,
    "neighbourhood": 1,
    "village": 2,
    "town": 2,
    "city": 3,
    "region": 4,
    "governorate": 5,
    "country": 6,
}
GEO_PRECISION = {0: 1, 1: 1, 2: 1, 3: 1, 4: 2, 5: 3, 6: 3}
_UNKNOWN_TYPE = 4  # a gazetteer place without a type: as vague as a region
# A place borrowed from a link is at most this far after the place it locates (characters).
_MAX_LINK_GAP = 40
_BRACKETS = re.compile(r"[()\[\]«»\"“”'‘’]")
_DIGITS = re.compile(r"\d+")
_COMMA = re.compile(r"[،,]")
_SENTENCE_BREAK = re.compile(r"[.!?؟:;؛\n]")
_WORDS = re.compile(r"\w+|,")
# The rules that place a name found from context in or near the place named after it.
LINK_RULES = frozenset({"place-inside-place", "place-near-place", "places-listed-share-a-place"})


def vague_place_type(place_type: str | None) -> bool:
    """A region, governorate or country (or a place of no known type): what ACLED places at 2 or 3."""
    return GEO_PRECISION[SPECIFICITY.get(place_type or "", _UNKNOWN_TYPE)] >= 2


@dataclass(frozen=True, slots=True)
class Located:
    """Where a place mention lies."""

    place_id: str  # the gazetteer place whose coordinates it takes (its own entity when it is one)
    latitude: float | None
    longitude: float | None
    admin1: str | None
    admin2: str | None
    geo_precision: int
    rule: str  # "gazetteer" or the id of the rule in data/place_links.json that placed it


class PlaceIndex:
    """The gazetteer's places indexed once, for every document of a batch."""

    def __init__(self, gazetteer: Gazetteer):
        self.rows = {r["entity_id"]: r for r in gazetteer.entities() if r["entity_type"] == "location"}
        self.districts = gazetteer.districts
        self.governorates = {r["governorate"]: r for r in self.rows.values() if r["place_type"] == "governorate"}
        self._named = {}  # folded name -> the single place of that name (ambiguous names left out)
        for entity_id, r in self.rows.items():
            for name in {match_key(n) for n in [r["name_ar"], *r["aliases_ar"]]}:
                self._named[name] = None if name in self._named else entity_id
        self.stoplist = gazetteer.stoplist
        self._own: dict[str, Located] = {}  # entity id -> where the gazetteer puts it, once computed
        # Descriptive words that may end a site's name («الميداني», «الوطني»): the place-name suffixes.
        self.suffixes = frozenset(match_key(w) for w in gazetteer.cues.get("place_name_suffixes", []))

    def specificity(self, entity_id: str) -> int:
        row = self.rows.get(entity_id)
        return SPECIFICITY.get(row["place_type"], _UNKNOWN_TYPE) if row else SPECIFICITY["site"]

    def geo_precision(self, entity_id: str) -> int:
        return GEO_PRECISION[self.specificity(entity_id)]

    def ancestors(self, entity_id: str) -> list[str]:
        found, parent = [], self.rows.get(entity_id, {}).get("parent_id")
        while parent and parent in self.rows and parent not in found:
            found.append(parent)
            parent = self.rows[parent].get("parent_id")
        return found

    def admin2(self, entity_id: str) -> str | None:
        """The district the gazetteer puts the place in (its own, or the nearest ancestor's), English name."""
        for place in (entity_id, *self.ancestors(entity_id)):
            district = self.districts.get(self.rows.get(place, {}).get("admin2_id") or "")
            if district:
                return district["name_en"]
        return None

    def named(self, name: str) -> str | None:
        """The one place called `name` (folded), unless the name is ambiguous or needs a cue."""
        key = match_key(name)
        return None if self.stoplist.get(key) else self._named.get(key)

    def located(self, entity_id: str, rule: str = "gazetteer") -> Located:
        """Where the gazetteer puts the place (`rule`: why a mention is placed there)."""
        own = self._own.get(entity_id)
        if own is None:
            row = self.rows[entity_id]
            own = self._own[entity_id] = Located(
                entity_id,
                row["latitude"],
                row["longitude"],
                row["governorate"],
                self.admin2(entity_id),
                self.geo_precision(entity_id),
                "gazetteer",
            )
        return own if rule == own.rule else dataclasses.replace(own, rule=rule)


@dataclass(frozen=True)
class _Links:
    relative: frozenset[str]
    units: frozenset[str]
    prepositions: frozenset[str]
    glued: tuple[str, ...]
    relations: tuple[tuple[tuple[str, ...], str], ...]  # (folded words, inside | near), longest first
    relation_heads: frozenset[str]  # their first words
    nouns: frozenset[str]
    separators: frozenset[str]
    named_sites: frozenset[str]
    afar: frozenset[str]
    towns_named_before: dict[str, frozenset[str]]  # folded noun («المدينة») -> the place types it refers to


@cache
def _links() -> _Links:
    data = json.loads((_DATA / "place_links.json").read_text("utf-8"))
    folded = lambda words: frozenset(match_key(w) for w in words)  # noqa: E731
    relations = {tuple(match_key(w).split(" ")): kind for kind, words in data["relations"].items() for w in words}
    return _Links(
        relative=folded(data["relative_words"]),
        units=folded(data["distance_units"]),
        prepositions=folded(data["prepositions"]),
        glued=tuple(match_key(w) for w in data["glued_prepositions"]),
        relations=tuple(sorted(relations.items(), key=lambda item: -len(item[0]))),
        relation_heads=frozenset(words[0] for words in relations),
        nouns=folded(data["place_nouns"]),
        separators=folded(data["list_separators"]),
        named_sites=folded(data["site_nouns_named_after_their_place"]),
        afar=folded(data["installations_named_from_afar"]),
        towns_named_before={match_key(n): frozenset(types) for n, types in data["towns_named_before"].items()},
    )


def _gap_tokens(gap: str) -> list[str]:
    """The words between two places, folded, numbers as «0», commas as words of their own."""
    gap = _COMMA.sub(" , ", _BRACKETS.sub(" ", gap))
    return _DIGITS.sub("0", match_key(gap)).split()


def _link(gap: str, links: _Links) -> str | None:
    """'inside' or 'near' when `gap` links a place to the place after it, 'list' for a list separator."""
    if "\n" in gap:
        return None
    tokens = _gap_tokens(gap)
    glued_last = gap.rstrip() == gap and bool(tokens) and tokens[-1] in links.glued  # «بريف»: «ب» + «ريف»
    if tokens and all(t in links.separators for t in tokens):
        return "list"
    return _linked(tokens, glued_last, links)


# The gaps between places are a few short phrases over and over (« في », « بريف », «، »): each is read once.
@lru_cache(maxsize=4096)
def place_link(gap: str) -> str | None:
    """'inside' or 'near' when the text `gap` between two places links the first to the second
    («حي X في مدينة Y», «بلدة X بريف Y», «قرية X (12 كم شرق Y)»), 'list' for a list separator."""
    return _link(gap, _links()) if len(gap) <= _MAX_LINK_GAP else None


def _linked(tokens: list[str], glued_last: bool, links: _Links) -> str | None:
    """'inside' or 'near' when the folded words link a place to the place after them (see place_links.json)."""
    i = 1 if tokens[:1] == [","] else 0
    if i < len(tokens) and tokens[i] in links.relative:
        i += 1
    if i + 1 < len(tokens) and tokens[i] == "0" and tokens[i + 1] in links.units:
        i += 2
    linked = None
    if i < len(tokens) and tokens[i] in links.prepositions:
        linked, i = "inside", i + 1
    elif i < len(tokens) and tokens[i] in links.glued and i == len(tokens) - 1 and glued_last:
        return "inside"  # «ب» joined to the place itself («بإدلب»)
    elif i < len(tokens) and tokens[i][:1] in links.glued and len(tokens[i]) > 2:
        rest = tokens[i][1:]
        if rest in links.relation_heads or rest in links.nouns:
            tokens = [*tokens[:i], rest, *tokens[i + 1 :]]
            linked = "inside"
    for words, kind in links.relations:
        if tuple(tokens[i : i + len(words)]) == words:
            linked, i = kind, i + len(words)
            break
    nouns = 0
    while i < len(tokens) and nouns < 2 and tokens[i] in links.nouns:
        i, nouns = i + 1, nouns + 1
    return linked if i == len(tokens) else None


def outermost(mentions: list[EntityMention]) -> list[EntityMention]:
    """Mentions not inside a longer one («ريف إدلب» and «إدلب» inside «ريف إدلب الجنوبي»), in their order.

    One sweep in text order (longest first at one start): a mention is inside a longer one when an
    earlier one of another span reaches as far; two mentions of one span are both kept."""
    inner, reach, reach_span = set(), -1, None
    for m in sorted(mentions, key=lambda m: (m.char_start, -m.char_end)):
        span = (m.char_start, m.char_end)
        if reach >= m.char_end and reach_span != span:
            inner.add(id(m))
        if m.char_end > reach:
            reach, reach_span = m.char_end, span
    return [m for m in mentions if id(m) not in inner]


def _named_after(mention: EntityMention, index: PlaceIndex, links: _Links) -> str | None:
    """The known place a site's name is made of («مشفى X الجراحي» -> X), for the site nouns of the data."""
    words = match_key(mention.surface).split(" ")
    if len(words) < 2 or words[0] not in links.named_sites:
        return None
    words = words[1:]
    while len(words) > 1 and words[-1] in index.suffixes:
        words = words[:-1]
    return index.named(" ".join(words))


def _town_named_before(
    body: str, k: int, order: list[int], mentions, found: dict[int, Located], index: PlaceIndex, links: _Links
) -> Located | None:
    """«X وسط المدينة», «X في البلدة»: X lies in the last town of that kind named before it (rule
    place-in-the-town-named-before), when nothing but link words stand between X and the noun."""
    m = mentions[order[k]]
    end = min(m.char_end + _MAX_LINK_GAP, mentions[order[k + 1]].char_start if k + 1 < len(order) else len(body))
    tail = _SENTENCE_BREAK.split(body[m.char_end : end], maxsplit=1)[0]
    tokens = _WORDS.findall(_DIGITS.sub("0", match_key(_COMMA.sub(" , ", tail))))
    for t, token in enumerate(tokens):
        glued = token[:1] in links.glued and token[1:] in links.towns_named_before
        noun = token[1:] if glued else token
        if noun in links.towns_named_before:
            if _linked(tokens[:t] + ([token[0]] if glued else []), glued, links) is None:
                return None
            kinds = links.towns_named_before[noun]
            for j in reversed(order[:k]):
                place = found.get(j)
                if (
                    place is not None
                    and place.rule == "gazetteer"
                    and index.rows[place.place_id]["place_type"] in kinds
                ):
                    return _borrowed(place, "place-in-the-town-named-before", index)
            return None
    return None


def _borrowed(place: Located, rule: str, index: PlaceIndex) -> Located | None:
    """A place found from context at the coordinates of `place`: 2 a town, district or region, 3 wider."""
    if index.rows[place.place_id]["place_type"] == "country":
        return None
    precision = max(2, index.geo_precision(place.place_id), place.geo_precision)
    return Located(place.place_id, place.latitude, place.longitude, place.admin1, place.admin2, precision, rule)


def _single_governorate(places: list[Located]) -> str | None:
    governorates = {p.admin1 for p in places if p.admin1}
    return governorates.pop() if len(governorates) == 1 else None


def locate_places(body: str, mentions: list[EntityMention], index: PlaceIndex) -> dict[int, Located]:
    """Where each place mention lies, by the mention's index in `mentions`; unplaced ones are left out."""
    links = _links()
    order = sorted(
        (i for i, m in enumerate(mentions) if m.entity_type == "location"),
        key=lambda i: (mentions[i].char_start, -mentions[i].char_end),
    )
    # Every known place lies where the gazetteer puts it, «إدلب» inside «ريف إدلب» too; only the
    # outermost places take part in links.
    found = {i: index.located(mentions[i].entity_id) for i in order if mentions[i].entity_id in index.rows}
    outer = set(map(id, outermost([mentions[i] for i in order])))
    order = [i for i in order if id(mentions[i]) in outer]
    container: dict[int, tuple[int, str]] = {}  # mention -> (the mention it lies in or near, how)
    for k in range(len(order) - 1, -1, -1):  # right to left: a place's container is placed first
        i = order[k]
        m = mentions[i]
        if k + 1 < len(order):
            j = order[k + 1]
            gap = body[m.char_end : mentions[j].char_start]
            how = place_link(gap)
            if how in ("inside", "near"):
                container[i] = (j, "place-inside-place" if how == "inside" else "place-near-place")
            elif how == "list" and j in container:
                container[i] = (container[j][0], "places-listed-share-a-place")
        if i in found:
            continue
        if i in container and container[i][0] in found:
            target, rule = container[i]
            if (placed := _borrowed(found[target], rule, index)) is not None:
                found[i] = placed
                continue
        if (named := _named_after(m, index, links)) is not None:
            found[i] = _borrowed(index.located(named), "site-named-after-its-place", index)
    for k, i in enumerate(order):  # left to right: the town named before is placed
        if i not in found and (placed := _town_named_before(body, k, order, mentions, found, index, links)):
            found[i] = placed
    _by_governorate(body, mentions, order, found, index, links)
    return found


def _by_governorate(
    body: str, mentions, order: list[int], found: dict[int, Located], index: PlaceIndex, links: _Links
) -> None:
    """Places still unplaced lie in the one governorate of their sentence's known places, else of their
    paragraph's, else of the article's; not an installation, named from afar."""
    unplaced = [i for i in order if i not in found and match_key(mentions[i].surface).split(" ")[0] not in links.afar]
    if not unplaced:
        return
    known = [i for i in order if i in found and found[i].rule == "gazetteer"]
    article = _single_governorate([found[i] for i in known])
    sentences = split_sentences(body)
    for i in unplaced:
        start = mentions[i].char_start
        sentence = next(((a, b) for a, b in sentences if a <= start < b), (start, start))
        end = body.find("\n", start)
        paragraph = (body.rfind("\n", 0, start) + 1, len(body) if end < 0 else end)
        governorate = article
        for a, b in (sentence, paragraph):  # the nearest scope that names a governorate's place decides
            near = [found[j] for j in known if a <= mentions[j].char_start < b]
            if any(p.admin1 for p in near):
                governorate = _single_governorate(near)
                break
        row = index.governorates.get(governorate or "")
        if row is not None:
            found[i] = index.located(row["entity_id"], rule="place-in-the-governorate-of-its-sentence")


@cache
def _source_nouns() -> frozenset[str]:
    nouns = json.loads((_DATA / "sites.json").read_text("utf-8"))["source_nouns"]
    return frozenset(prefix + fold(w) for w in nouns for prefix in ("", *PREFIXES))


def names_a_source(body: str, start: int) -> bool:
    """Whether the place named at `start` names a reporting body by its area («شبكة مراسلي ريف دمشق»,
    «مكتب توثيق الشهداء في درعا»): a source noun (data/sites.json) among the few words before it, in its
    clause. Such a place is where the source works, the event's only when its sentence names no other."""
    window = body[max(0, start - 60) : start]
    return any(fold(w) in _source_nouns() for w in _CLAUSE_BREAK.split(window)[-1].split()[-_SOURCE_REACH:])
