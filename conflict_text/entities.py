"""Entity mentions in a cleaned body: gazetteer matching plus discovery from context.

1. Gazetteer: the body is folded (normalize(): hamza/alef, ى/ي, ة/ه, diacritics, tatweel, digits)
   with an offset map back to the body; one Aho-Corasick pass finds every folded alias. A hit is
   kept when it ends at a word boundary and starts at one, or after proclitics (و ف ب ل ك and
   pairs such as وب، ول); «للمرصد» (ل + المرصد with the alef elided) is matched through a «لل» key
   and, since the clitic cannot be split off, its surface keeps it. Ambiguous aliases listed as
   `cue` in stoplist.csv need a context word (a place cue such as «بلدة», a media cue such as
   «قناة»/«لـ»; for an outlet also a line of its own, its masthead) or an unambiguous mention of the same
   entity elsewhere in the document.
   Overlaps are resolved longest first. A known organisation or armed group runs on over the
   adjectives that follow it, and takes a force head before it («جيش/قوات X»).
2. Discovery (match_source="pattern"), every cue word from cues.json: places after «مدينة/بلدة/
   قرية/حي/ريف/منطقة …», also in brackets or quotes, and lists after plural cues (comma lists too);
   facilities named after their noun («مسجد/مدرسة/مشفى X»); people named next to a role or a
   title, or by known given and family names (person_names.csv), or in a byline; armed groups
   from a unit's number, a head with a quoted name, or an army's nationality; media after
   «وكالة/صحيفة/قناة» or quoted after «لـ»; ministries and organisations after «وزارة/منظمة/
   مديرية/لجنة», and local bodies named by the place they serve («الهيئة الطبية في مضايا»). A discovered place or outlet replaces the known places inside it. Ids are
   `pattern:<type>:<folded name>`; a discovered name that is in the gazetteer takes its entity.
   Each way of discovery is a named pattern of data/entity_patterns.json (entity_patterns.py): the cue
   lists that trigger it, what it finds, examples and counterexamples; discovery_patterns() says which
   pattern found each name of a text.
   The Python names no word, nor any letter: the proclitics, the article and the pronoun suffixes it
   strips are those of conflict_text/arabic.py (data/arabic.json), which numbers, dates and figures share.

EntityMention.surface == body[char_start:char_end], proclitics excluded.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from itertools import compress, count
from operator import attrgetter

from conflict_text.arabic import (
    ALEF_MAQSURA,
    AND,
    ARTICLE,
    ATTACHED_PRONOUNS,
    CONJUNCTIONS,
    FEMININE,
    LI,
    LI_ARTICLE,
    NISBA,
    PROCLITICS,
    WITH_ARTICLE,
    ends_with_pronoun,
    with_proclitics,
)
from conflict_text.entity_patterns import CLITICS, entity_patterns
from conflict_text.gazetteer import Gazetteer, load_gazetteer
from conflict_text.models import EntityMention
from conflict_text.normalize import match_key, normalize
from conflict_text.tokens import split_tokens

# a name's proclitics; «لل» is also ل before a word whose article lost its alef, when the name has none
_CLITICS = PROCLITICS | {LI_ARTICLE}
_LIL_CLITICS = frozenset({"", *CONJUNCTIONS})  # before the «لل» form of an «ال» name
# Other horizontal spaces become a space, and runs of spaces one space. So does «_», which joins the
# words of a hashtag («#الدفاع_المدني»): the words are matched as written with spaces.
_OTHER_SPACES = "\t\u00a0\u2009\u202f_"
_AS_SPACE = str.maketrans(dict.fromkeys(_OTHER_SPACES, " "))
_TOKEN_SPLIT = re.compile(r"(\w+)")
_QUOTES = frozenset("\"'«»“”„‘’()[]")
_OPENERS = frozenset('(«"“[')
_CLOSERS = frozenset(')»"”]')
_SENTENCE_END = re.compile(r"[.!?؟:\n]")
_LIST_END = frozenset('.،,؛:)»"')  # what may follow the last item of a list of places
_HASHTAG = "#"  # a hashtag's words are joined by «_», which the text reads as spaces
_COMMAS = frozenset("،,")


def _with_clitics(vocab: Iterable[str]) -> dict[str, str]:
    """Every token that is a word of `vocab`, alone or after proclitics (arabic.with_proclitics), mapped to the word."""
    return with_proclitics(vocab, _CLITICS)


class _Doc:
    """The folded, whitespace-squeezed body (normalize() with spaces squeezed) and its word tokens.

    `span` and `to_body` map text offsets back to the body, through the one offset map of NormalizedText.
    """

    __slots__ = ("body", "text", "span", "to_body", "starts", "ends", "words")

    def __init__(self, body: str):
        normalized = normalize(body, _OTHER_SPACES)
        self.body, self.text = body, normalized.text
        self.span = normalized.to_original  # the body span of the text span [start, end), end > start
        self.to_body = normalized.original
        self.starts, self.ends, self.words = split_tokens(_TOKEN_SPLIT, self.text)

    def prev_token(self, w: int) -> tuple[str, str]:
        """The word before position w and the characters between it and w.

        The word (cut to the 40 characters before w) must be on the same line, except that one
        line break right before w is skipped. ("", up to 3 characters before w) when there is none.
        """
        text = self.text
        end = w - 1 if w and text[w - 1] == "\n" else w
        k = bisect_left(self.starts, end) - 1  # the last word starting before `end`
        if k >= 0:
            lo = w - 40  # (called for most place hits: comparisons rather than min()/max())
            e = self.ends[k]
            if e > end:
                e = end
            if e > lo and "\n" not in text[e:end]:
                s = self.starts[k]
                return text[s if s > lo else lo : e], text[e:end]
        return "", text[w - 3 if w > 3 else 0 : w]


def _word_start(text: str, s: int) -> int | None:
    """Start of the word containing position s, or None when more than 3 letters precede s."""
    w = s
    while w > 0 and text[w - 1].isalnum():
        w -= 1
        if s - w > 3:
            return None
    return w


class _Matcher:
    def __init__(self, gaz: Gazetteer):
        self.g = gaz
        c = gaz.folded_cues
        patterns = entity_patterns()
        # the words that trigger each discovery pattern (data/entity_patterns.json), and what it finds
        triggers = {p.id: frozenset().union(*(c.get(name, frozenset()) for name in p.cues)) for p in patterns.values()}
        self.finds = {p.id: p.finds for p in patterns.values()}
        self.place_cues = triggers["place-after-cue"]
        self.place_excl = c.get("place_cues_exclusive", frozenset())
        self.place_incl = c.get("place_cues_inclusive", frozenset())
        self.place_plural = c.get("place_cues_plural", frozenset())
        self.prefixes = c.get("place_name_prefixes", frozenset())
        self.suffixes = c.get("place_name_suffixes", frozenset())
        self.roles = c.get("person_roles", frozenset())
        self.verbs = c.get("saying_verbs", frozenset())
        self.given = c.get("given_names", frozenset())  # from Wikidata, common words filtered out
        self.family = c.get("family_names", frozenset())
        self.first = triggers["person-by-first-name"]
        self.person_names = self.given | self.family
        self.stop = c.get("stop_tokens", frozenset())
        self.media_cues = c.get("media_cues", frozenset())
        self.media_name_cues = c.get("media_name_cues", frozenset())
        self.media_tails = c.get("media_name_tails", frozenset())
        self.nationality = c.get("nationality_adjectives", frozenset())
        self.org_tails = self.nationality | c.get("org_name_tails", frozenset())
        self.name_tails = {"organisation": self.org_tails, "armed_group": self.nationality}
        self.group_heads = c.get("group_heads", frozenset())
        self.weak_media = c.get("weak_media_cues", frozenset())
        self.joiners = c.get("name_joiners", frozenset())
        self.joiner_forms = _with_clitics(self.joiners)
        self.region_prefixes = tuple(w + " " for w in c.get("region_prefixes", ()))
        self.twin_cues = c.get("twin_place_cues", frozenset())
        self.streets = c.get("street_cues", frozenset())
        self.area_cues = c.get("area_cues", frozenset())
        self.descriptors = c.get("place_descriptors", frozenset())
        self.news_words = c.get("news_words", frozenset())
        self.second_suffixes = c.get("place_name_second_suffixes", frozenset())
        # single words that rules name
        self.hai, self.muhafaza, self.wikala, self.wizara, self.ali = (
            next(iter(c.get(key, ())), None)
            for key in (
                "neighbourhood_cue",
                "governorate_word",
                "agency_cue",
                "ministry_cue",
                "name_spelt_like_a_preposition",
            )
        )
        self.blocking = self.stop | self.verbs | (self.roles - c.get("surname_titles", frozenset())) | self.place_cues
        self.media_all = triggers["media-after-cue"]
        # Token -> the cue word it is with its proclitics stripped (see _with_clitics).
        self.place_cue_forms = _with_clitics(self.place_cues)
        # armed groups: a unit's head and its number («اللواء 155»), a head opening a quoted name
        # («"تجمع العزة"») or followed by one («وحدات "حماية الشعب"»), an army and its nationality
        self.unit_forms = _with_clitics(triggers["armed-group-numbered-unit"])
        self.group_head_forms = _with_clitics(triggers["armed-group-head"])
        self.army_forms = _with_clitics(triggers["armed-group-army"])
        self.group_trigger_forms = frozenset(
            self.unit_forms.keys() | self.group_head_forms.keys() | self.army_forms.keys()
        )
        self.title_forms = _with_clitics(triggers["person-after-title"])
        self.appositive_role_forms = _with_clitics(triggers["person-between-commas-after-role"])
        self.force_head_forms = _with_clitics(c.get("force_heads", frozenset()))
        self.group_name_head_forms = _with_clitics(c.get("group_name_heads", frozenset()))
        self.force_head_ends = frozenset(
            f[-1] for f in self.force_head_forms.keys() | self.group_name_head_forms.keys()
        )  # a cheap test before prev_token
        # «مركز حلب الإعلامي»: a head, one or two words, and a tail that makes it an outlet
        self.outlet_head_forms = _with_clitics(triggers["outlet-head-and-tail"])
        self.outlet_tails = c.get("outlet_tails", frozenset())
        self.facility_forms = _with_clitics(triggers["facility-name"])
        self.definite_facility_forms = _with_clitics(triggers["facility-definite-with-adjective"])
        self.org_facility_forms = _with_clitics(triggers["facility-of-an-organisation"])
        self.facility_adjectives = c.get("facility_name_adjectives", frozenset())
        self.place_incl_forms = _with_clitics(self.place_incl)
        self.media_cue_forms = _with_clitics(self.media_cues)
        self.media_all_forms = _with_clitics(self.media_all)
        self.org_forms = _with_clitics(triggers["organisation-after-cue"])
        self.local_body_forms = _with_clitics(triggers["organisation-of-a-place"])
        self.local_body_links = c.get("local_body_links", frozenset())
        self.body_words = c.get("local_body_words", frozenset())
        self.age_words = c.get("age_words", frozenset())
        self.list_prepositions = frozenset(_with_clitics(c.get("place_list_prepositions", ())))
        # a country ends no local body's name: «مكتب المنظمة في سوريا» is the organisation's office
        self.not_local_places = frozenset(gaz.cues.get("not_local_body_place_types", ()))
        self.role_forms = _with_clitics(self.roles)
        self.verb_forms = _with_clitics(self.verbs)
        self.not_place_name_forms = _with_clitics(self.stop | self.place_cues | self.verbs | self.roles)
        # A first name starts a person only alone or after «و»/«ف», and not when it is a common word.
        self.first_name_forms = {
            t: name
            for t, name in _with_clitics(self.first).items()
            if len(t) > 2
            and name not in c.get("not_first_names", frozenset())
            and len(t) - len(name) <= 1
            and (t == name or t[0] in CONJUNCTIONS)
        }
        self.by_id = {r["entity_id"]: r for r in gaz.rows}
        index_of = {r["entity_id"]: k for k, r in enumerate(gaz.rows)}
        self.parents = {k: index_of[r["parent_id"]] for k, r in enumerate(gaz.rows) if r.get("parent_id") in index_of}
        # known outlets by their name without the outlet's noun («قناة الميادين» -> «الميادين»): after an outlet's
        # noun or a reporter's, such a name is the outlet even where a town has it too
        self.outlet_bare_names: dict[str, str] = {}
        for r in gaz.rows:
            if r["entity_type"] == "media":
                for alias in (r["name_ar"], *r["aliases_ar"]):
                    head, _, bare = match_key(alias).partition(" ")
                    if bare and head in self.media_name_cues:
                        self.outlet_bare_names.setdefault(bare, r["entity_id"])
        self.entity_types = [r["entity_type"] for r in gaz.rows]
        # (entity index, folded alias) of the names a group is known by without the head of another of its
        # names: «تحرير الشام» of «هيئة تحرير الشام»
        self.headless = {
            (k, rest)
            for k, r in enumerate(gaz.rows)
            if r["entity_type"] == "armed_group"
            for name in (r["name_ar"], *r["aliases_ar"])
            for first, _, rest in [match_key(name).partition(" ")]
            if rest and first in self.group_name_head_forms
        }
        self.mention_fields = [(r["entity_id"], r["entity_type"], r["name_ar"], r["name_en"]) for r in gaz.rows]
        self.li = CLITICS[patterns["media-quoted-after-li"].clitic]  # «لـ» before a quoted outlet
        # Tokens that can start a discovery (cue words with their proclitics, first names, «لـ»):
        # one set lookup per token decides whether the token needs a closer look.
        self.triggers = frozenset(
            self.place_cue_forms.keys()
            | self.media_all_forms.keys()
            | self.org_forms.keys()
            | self.local_body_forms.keys()
            | self.facility_forms.keys()
            | self.definite_facility_forms.keys()
            | self.org_facility_forms.keys()
            | self.unit_forms.keys()
            | self.group_head_forms.keys()
            | self.army_forms.keys()
            | self.title_forms.keys()
            | self.outlet_head_forms.keys()
            | self.first_name_forms.keys()
            | self.appositive_role_forms.keys()
            | {self.li}
        )

    # ---------------------------------------------------------------- gazetteer
    def gazetteer_hits(self, doc: _Doc) -> tuple[list[tuple[int, int, int, str]], bytearray]:
        """(start, end, entity_index, how) in folded coordinates, overlaps resolved, and the
        occupancy of the text (1 where a kept hit lies)."""
        text, types = doc.text, self.entity_types
        n = len(text)
        # (start - end, start, entity_index, end, key, word start): sorts longest first, then leftmost.
        cands = []
        for end, key in self.g.automaton.iter(text):
            e = end + 1
            if e < n and text[e].isalnum():
                continue
            s = e - len(key.text)
            w = s
            if s and text[s - 1].isalnum():
                w = _word_start(text, s)
                if w is None:
                    continue
                prefix = text[w:s]
                if prefix not in (_LIL_CLITICS if key.lil else _CLITICS):
                    continue
                if prefix == LI_ARTICLE and not key.lil:
                    continue  # «لل» + a name without ال is ل + ل-initial word: handled by the ل clitic
            cands.append((s - e, s, key.entity_index, e, key, w))
        cands.sort()  # no two candidates share (length, start, entity): the same span is the same key
        anchored = None  # entities with an unambiguous alias in the document, needed by «cue» aliases
        occupied = bytearray(n + 1)
        out = []
        regions = []
        for _, s, idx, e, key, w in cands:
            if key.rule == "cue":
                if anchored is None:  # a unit named unambiguously anchors the force it belongs to too
                    anchored = {c[2] for c in cands if not c[4].rule}
                    anchored |= {self.parents[x] for x in anchored if x in self.parents}
                if idx not in anchored and not self._cue_ok(doc, s, e, w, types[idx]):
                    continue
            if occupied.find(1, s, e) != -1:
                if types[idx] == "location" and any(
                    rs <= s and e <= re_ and (rs, re_) != (s, e) for rs, re_ in regions
                ):
                    out.append((s, e, idx, "nested"))
                continue
            occupied[s:e] = b"\x01" * (e - s)
            out.append((s, e, idx, "gazetteer"))
            if key.text.startswith(self.region_prefixes):
                regions.append((s, e))
        return out, occupied

    def _cue_ok(self, doc: _Doc, s: int, e: int, w: int, etype: str) -> bool:
        text = doc.text
        prev, between = doc.prev_token(w)
        if etype == "location":
            return prev in self.place_cue_forms
        if etype == "media":
            if LI in text[w:s] or prev == LI or prev in self.media_cue_forms:
                return True
            after = text[e : e + 2]
            if any(ch in _QUOTES for ch in between) and any(ch in _QUOTES for ch in after):
                return True
            # a line of its own: the outlet's masthead or source line atop or under an article
            line_end = text.find("\n", e)
            return (
                not text[text.rfind("\n", 0, w) + 1 : w].strip()
                and not text[e : None if line_end < 0 else line_end].strip()
            )
        return prev in self.role_forms

    # ---------------------------------------------------------------- discovery
    def discover(
        self,
        doc: _Doc,
        occupied: bytearray,
        places: bytearray,
        organisations: bytearray,
        named: dict[int, tuple[int, int]],
    ) -> list[tuple[int, int, str, str, str | None, str]]:
        """(start, end, entity_type, name_ar, gazetteer entity_id or None, the id of the pattern that found it),
        folded coordinates; `places` and `organisations` are 1 where a gazetteer place or organisation lies,
        and `named` maps the start of each of them (a country excepted) to its (end, entity index)."""
        text, starts, ends, words = doc.text, doc.starts, doc.ends, doc.words
        out: list[tuple[int, int, str, str, str | None, str]] = []

        def free(s: int, e: int) -> bool:
            return occupied.find(1, s, e) == -1

        def free_but_named(s: int, e: int) -> bool:
            """Free, or holding gazetteer places and organisations only."""
            return all(not o or p or g for o, p, g in zip(occupied[s:e], places[s:e], organisations[s:e]))

        def free_but_places(s: int, e: int) -> bool:
            """Free, or holding gazetteer places and more («معرة الصين», «"حلب اليوم"»): a discovered place
            or outlet replaces the places inside it."""
            return occupied[s:e] == places[s:e] and places.find(0, s, e) != -1

        def claim(s: int, e: int, pattern: str, entity_id: str | None = None) -> None:
            name, etype = text[s:e], self.finds[pattern]
            for idx in () if entity_id else self.g.lookup(_unquoted(name)):
                if self.g.rows[idx]["entity_type"] == etype:
                    entity_id = self.g.rows[idx]["entity_id"]
                    break
            occupied[s:e] = b"\x01" * (e - s)
            out.append((s, e, etype, name, entity_id, pattern))

        def sep(i: int) -> str:  # characters between token i-1 and token i
            return text[ends[i - 1] : starts[i]] if i > 0 else ""

        def plain(i: int) -> bool:  # token i follows token i-1 after a single space
            return 0 < i < len(words) and sep(i) == " "

        def place_name(i: int) -> int | None:
            """Index of the last token of a place name starting at token i."""
            if i >= len(words):
                return None
            t = words[i]
            # a title that opens place names («الشيخ مقصود») is a prefix here: a name must follow it
            if (
                (t in self.not_place_name_forms and not (t in self.roles and t in self.prefixes))
                or len(t) < 2
                or t.isdigit()
                or t.startswith((LI_ARTICLE, WITH_ARTICLE))
            ):
                return None
            if ends_with_pronoun(t) or t == self.muhafaza:
                return None
            if t in self.prefixes and not plain(i + 1):
                return None
            j = i
            if t in self.prefixes and plain(i + 1) and words[i + 1] not in self.stop:
                j = i + 1
                if words[j] in self.joiners and plain(j + 1):
                    j += 1
            elif plain(i + 1) and words[i + 1].isdigit() and len(words[i + 1]) <= 3 and t in self.prefixes:
                j = i + 1
            if plain(j + 1) and words[j + 1] in self.suffixes:
                j += 1
                if plain(j + 1) and words[j + 1] in self.second_suffixes:
                    j += 1
            return j

        ntok = len(words)
        resume = 0  # the tokens before it belong to the last discovery
        # A list, not a lazy iterator: _list_items briefly rewrites a later word.
        for i in list(compress(count(), map(self.triggers.__contains__, words))):
            s, e, t = starts[i], ends[i], words[i]
            if i < resume or occupied[s]:
                continue
            # ---- armed groups
            group = self._group_span(doc, i) if t in self.group_trigger_forms else None
            if group is not None:
                span, pattern = group
                gs = s + (len(t) - len(self.group_head_forms.get(t) or self.unit_forms.get(t) or self.army_forms[t]))
                if free(gs, ends[span]):
                    claim(gs, ends[span], pattern)
                    resume = span + 1
                    continue
            # ---- facilities: «مسجد X», «مدرسة الشهيد X Y», «مشفى “X”»
            fcue = self.facility_forms.get(t)
            if fcue is not None and i + 1 < ntok and not occupied[starts[i + 1]]:
                j = self._facility_end(doc, i + 1)
                fs = s + (len(t) - len(fcue))
                if j is not None and free(fs, ends[j]):
                    claim(fs, ends[j], "facility-name")
                    resume = j + 1
                    continue
                # the facility's kind and the known place it serves: «محطة كهرباء هنانو», «فرن خبز الباب»
                if (
                    j is None
                    and plain(i + 1)
                    and plain(i + 2)
                    and self._name_part(words[i + 1])
                    and places[starts[i + 2]]
                ):
                    end = places.find(0, starts[i + 2])
                    if end == ends[bisect_left(ends, end)] and free_but_places(fs, end):
                        claim(fs, end, "facility-name")
                        resume = bisect_left(ends, end) + 1
                        continue
            # ---- a definite facility noun and the adjective that names it: «المشفى الوطني», «الجامع الكبير»
            dcue = self.definite_facility_forms.get(t)
            if dcue is not None and plain(i + 1) and self._facility_adjective(words[i + 1]):
                fs = s + (len(t) - len(dcue))
                if free(fs, ends[i + 1]):
                    claim(fs, ends[i + 1], "facility-definite-with-adjective")
                    resume = i + 2
                    continue
            # ---- a known organisation's centre or seat is a place: «مركز الدفاع المدني» (the organisation
            # stays a mention of its own)
            ocentre = self.org_facility_forms.get(t)
            if ocentre is not None and plain(i + 1) and organisations[starts[i + 1]]:
                r = starts[i + 1]
                while organisations[r]:
                    r += 1
                fs = s + (len(t) - len(ocentre))
                if free(fs, e):
                    claim(fs, r, "facility-of-an-organisation")
                    resume = bisect_left(starts, r)
                    continue
            # ---- places after a cue word
            cue = self.place_cue_forms.get(t)
            # a name or list in brackets or quotes: «بلدة "X"», «قرى (X، Y، وZ)»
            opened = cue is not None and i + 1 < ntok and sep(i + 1).strip(" ") in _OPENERS
            # or a hashtag: «منطقة #X», «قرى #X و #Y»
            tagged = cue is not None and i + 1 < ntok and sep(i + 1) == " " + _HASHTAG
            if (
                cue is not None
                and (plain(i + 1) or opened or tagged)
                and occupied[starts[i + 1]]
                and (cue in self.place_plural or cue in self.place_excl)
            ):
                r = starts[i + 1]
                while occupied[r]:
                    r += 1
                j = i + 1
                while j + 1 < ntok and ends[j + 1] <= r:
                    j += 1
                # a known place and a place suffix after it are another place after a village's or town's cue:
                # «بلدة المليحة الشرقية», «بلدة «الغارية الغربية»» (of twin villages); after a city's or a region's
                # the suffix names a part of it («أطراف مدينة دوما الشمالية», «ريف إدلب الجنوبي»)
                if (
                    cue in self.twin_cues
                    and places[starts[i + 1]]
                    and ends[j] == r
                    and plain(j + 1)
                    and words[j + 1] in self.suffixes
                    and free_but_places(starts[i + 1], ends[j + 1])
                ):
                    j += 1
                    claim(starts[i + 1], ends[j], "place-after-cue")
                resume = self._list_items(doc, j, cue in self.place_plural, opened, place_name, free, claim)
                continue
            if cue is not None and (plain(i + 1) or opened or tagged) and occupied[starts[i + 1]] == 0:
                j = place_name(i + 1)
                if j is not None and cue in self.area_cues and not opened:
                    # «منطقة» names a place only with a definite name («منطقة السكن الشبابي»), not
                    # with an adjective («منطقة مكتظة»)
                    j = self._name_tail(doc, j) if words[i + 1].startswith(ARTICLE) else None
                if j is not None and opened:
                    j = self._bracketed_end(doc, j)
                    if cue not in self.place_plural and text[ends[j] : ends[j] + 1] not in _CLOSERS:
                        j = None  # a quoted name after a singular cue is the whole quote
                if j is not None:
                    # an area keeps its cue in the surface, and its name is the bare one (see find_mentions)
                    if (
                        cue in self.place_incl
                        and cue not in self.place_excl
                        or cue in self.area_cues
                        and cue not in self.place_plural
                    ) and not (opened or tagged):
                        cs = s + (len(t) - len(cue))
                        if free(cs, ends[j]):
                            claim(cs, ends[j], "place-after-cue")
                    elif free_but_places(starts[i + 1], ends[j]):
                        claim(starts[i + 1], ends[j], "place-after-cue")
                    if cue in self.place_plural or cue in self.place_excl:
                        resume = self._list_items(
                            doc, j, cue in self.place_plural, opened, place_name, free_but_places, claim
                        )
                    else:
                        resume = j + 1
                    continue
            # ---- an outlet named by a head and a tail: «مركز إدلب الإعلامي»
            ohead = self.outlet_head_forms.get(t)
            if ohead is not None:
                b = next(
                    (
                        k
                        for k in (i + 2, i + 3)
                        if k < ntok
                        and words[k] in self.outlet_tails
                        and all(plain(x) and self._name_part(words[x]) for x in range(i + 1, k))
                    ),
                    None,
                )
                hs = s + (len(t) - len(ohead))
                if b is not None and free_but_places(hs, ends[b]):
                    claim(hs, ends[b], "outlet-head-and-tail")
                    resume = b + 1
                    continue
            # ---- media after «وكالة/صحيفة/قناة …» or quoted after «لـ»
            mcue = self.media_all_forms.get(t)
            if mcue is not None and i + 1 < ntok:
                span = self._media_name(doc, i + 1, weak=mcue in self.weak_media)
                if span is not None:
                    a, b = span
                    start = (
                        s + (len(t) - len(mcue))
                        if mcue == self.wikala and not any(q in sep(i + 1) for q in _QUOTES)
                        else starts[a]
                    )
                    outlet = self._outlet_named_like_a_place(doc, a, b, places)
                    if outlet is not None:
                        claim(starts[a], ends[b], "media-after-cue", outlet)
                    elif free_but_places(start, ends[b]):
                        claim(start, ends[b], "media-after-cue")
                    resume = b + 1
                    continue
            if t == self.li and i + 1 < ntok and any(q in sep(i + 1) for q in _QUOTES):
                b = self._quoted_end(doc, i + 1)
                if (
                    b is not None
                    and words[i + 1] not in self.group_heads
                    and self._verb_before(doc, i, 12)
                    and free_but_places(starts[i + 1], ends[b])
                ):
                    claim(starts[i + 1], ends[b], "media-quoted-after-li")
                    resume = b + 1
                    continue
            # ---- a local body named by its place: «الهيئة الطبية في مضايا», «قيادة شرطة حلب», «المجلس المحلي
            # لجبل X» (the place stays a mention of its own)
            lhead = self.local_body_forms.get(t)
            body_end = self._local_body_end(doc, i, lhead, named, occupied, place_name) if lhead is not None else None
            if body_end is not None:
                end, place_cue = body_end
                hs = s + (len(t) - len(lhead))
                if free_but_named(hs, end):
                    if place_cue is None:
                        end = self.tail_end(doc, end, self.org_tails, occupied)
                    claim(hs, end, "organisation-of-a-place")
                    resume = bisect_left(starts, end)
                    if place_cue is not None:  # the place after its cue is found by the place branch
                        occupied[starts[place_cue] : end] = bytes(end - starts[place_cue])
                        resume = place_cue
                    continue
            # ---- organisations: «وزارة X (adj)», «منظمة X», «مديرية X Y»
            ocue = self.org_forms.get(t)
            if ocue is not None and plain(i + 1) and words[i + 1] not in self.stop and not occupied[starts[i + 1]]:
                b = i + 1
                if ocue != self.wizara and plain(b + 1) and words[b + 1] not in self.blocking:
                    b += 1
                if plain(b + 1) and words[b + 1] in self.nationality:
                    b += 1
                while plain(b + 1) and words[b + 1] in self.org_tails:
                    b += 1
                start = s + (len(t) - len(ocue))
                # a known place may be part of the name («مديرية صحة إدلب الحرة»): it stays a mention too
                if occupied[start : ends[b]] == places[start : ends[b]]:
                    claim(start, ends[b], "organisation-after-cue")
                resume = b + 1
                continue
            # ---- people: a title and two words of an unknown name («اللواء فاليري سيمينوف»)
            # (a known first name after the title is the next branch's: its name may be longer)
            if (
                t in self.title_forms
                and i + 1 < ntok
                and words[i + 1] not in self.first_name_forms
                and all(
                    plain(k)
                    and not words[k].startswith(ARTICLE)
                    and words[k] not in self.blocking
                    and words[k] not in self.joiners
                    and self._name_part(words[k])
                    for k in (i + 1, i + 2)
                )
                and free(starts[i + 1], ends[i + 2])
            ):
                claim(starts[i + 1], ends[i + 2], "person-after-title")
                resume = i + 3
                continue
            # ---- people
            base = self.first_name_forms.get(t)
            if base == self.ali and doc.body[doc.to_body(e - 1)] == ALEF_MAQSURA:
                base = None  # the preposition «على», folded like the name «علي»
            if base is not None:
                ps = s + (len(t) - len(base))
                # an age after a known given name makes it a person by itself: «وابنتها ماريا البالغة من العمر»
                j = i if base in self.given and plain(i + 1) and words[i + 1] in self.age_words else None
                if j is None:
                    j = self._person_end(doc, i, plain)
                if j is not None and j > i and j < i + 3:  # «محمد خير» + a known name: «محمد خير إسماعيل»
                    while j < i + 3 and plain(j + 1) and words[j + 1] in self.person_names:
                        j += 1
                if j is None or not free(ps, ends[j]) or (j > i and not self._person_context(doc, i, j)):
                    # no cue: a known given name followed by known names is a person by itself, and so
                    # is a known given name and one more word that end a short line (a byline)
                    j = (
                        (self._known_name_end(doc, i, plain) or self._byline_end(doc, i, plain))
                        if base in self.given
                        else None
                    )
                if j is not None and free(ps, ends[j]):
                    claim(ps, ends[j], "person-by-first-name")
                    resume = j + 1
                    continue
            # ---- people set off by commas after a role's phrase: «قال المتحدث باسم X، NAME، إن»
            # (the role's phrase may hold other names: the loop goes on over it)
            if t in self.appositive_role_forms:
                span = self._appositive_name(doc, i)
                if span is not None and free(starts[span[0]], ends[span[1]]):
                    claim(starts[span[0]], ends[span[1]], "person-between-commas-after-role")
        self._listed_with_known_places(doc, occupied, places, place_name, claim)
        return out

    def _listed_with_known_places(self, doc: _Doc, occupied: bytearray, places: bytearray, place_name, claim) -> None:
        """Unknown names in a list of known places are places: «على عربين ودوما والمرج وحزرما.», «على الهبيط
        وكفرسجنة،». A list is items joined by an attached «و» (or a comma before it); an unknown item is a free
        name (place_name) that ends its list or is followed by the next item. It is a place when the list holds
        as many known places as unknown names, and either two known places or a list preposition before it
        («على/في/من»); a first item without «و» needs that preposition in any case."""
        text, starts, ends, words = doc.text, doc.starts, doc.ends, doc.words
        n = len(words)
        # a list starts at a known place or after a list preposition: only those words are looked at
        led_by = {k + 1 for k in compress(count(), map(self.list_prepositions.__contains__, words))}
        known_starts = set()
        a = places.find(1)
        while a != -1:
            known_starts.add(bisect_left(starts, a))
            b = places.find(0, a)
            a = -1 if b == -1 else places.find(1, b)
        done = 0  # the words before it belong to a list already read
        for k in sorted(led_by | known_starts):
            if k < done or k >= n or places.find(1, starts[k], ends[min(k + 6, n - 1)]) == -1:
                continue  # read already, or no known place in reach
            items: list[tuple[int, int, bool]] = []  # (start, end, known) in folded offsets
            known, unknown = 0, []  # counted as the items are read: most lists end after one known place
            j = k
            while j < n:
                waw = bool(items) and words[j].startswith(AND) and len(words[j]) > 2
                if items and (not waw or text[ends[j - 1] : starts[j]].strip(" ،,")):
                    break
                a = starts[j] + waw
                if places[a] and (a == 0 or not places[a - 1]):
                    r = places.find(0, a)  # the bytearray ends with a 0
                    e = bisect_left(ends, r)
                    if e >= n or ends[e] != r:
                        break
                    items.append((a, r, True))
                    known += 1
                    j = e + 1
                    continue
                written = words[j]
                name = written[waw:]
                # not a place suffix («ريف إدلب الجنوبي والشرقي») nor any pronoun form («درعا وحدها»)
                if (
                    occupied[a]
                    or not self._name_part(name)
                    or name in self.suffixes
                    or name.endswith(ATTACHED_PRONOUNS)
                ):
                    break
                words[j] = name  # the name without «و», for place_name
                e = place_name(j)
                words[j] = written
                if e is None or ends[e] - a < 3 or occupied.find(1, a, ends[e]) != -1:
                    break
                items.append((a, ends[e], False))
                unknown.append((a, ends[e]))
                j = e + 1
            if known and unknown and len(unknown) <= known:
                after = text[items[-1][1] : items[-1][1] + 1]
                ends_list = after in ("", "\n") or after in _LIST_END
                led = k > 0 and words[k - 1] in self.list_prepositions and text[ends[k - 1] : starts[k]] == " "
                first_unknown = not items[0][2]
                if ends_list and (led or (known >= 2 and not first_unknown)):
                    for a, b in unknown:
                        claim(a, b, "place-in-a-list-of-places")
            done = j

    def _local_body_end(
        self,
        doc: _Doc,
        i: int,
        head: str,
        named: dict[int, tuple[int, int]],
        occupied: bytearray,
        place_name,
    ) -> tuple[int, int | None] | None:
        """(end in folded offsets, the index of the place cue in it or None) of a local body's name at the head
        word i: the head, at most two words that name the body (definite ones, or one noun in construct after
        an indefinite head: «قيادة شرطة»), and the known place or organisation that completes it, after the
        link word («في X»), after «لـ», or right after an indefinite name in construct; after the link or «لـ»,
        also a place cue and its name («المجلس المحلي لبلدة X»). A head without a name word is completed only
        by a governorate («مجلس محافظة درعا»: «بقيادة واشنطن» is "led by"). None when nothing completes it."""
        text, starts, ends, words = doc.text, doc.starts, doc.ends, doc.words
        n = len(words)

        def plain(k: int) -> bool:
            return 0 < k < n and text[ends[k - 1] : starts[k]] == " "

        definite_head = head.startswith(ARTICLE)
        k, taken, construct = i + 1, 0, not definite_head
        while taken < 2 and plain(k) and not occupied[starts[k]]:
            w = words[k]
            if w.startswith(ARTICLE) and self._body_word(w):
                construct = False
            elif not definite_head and taken == 0 and not w.startswith(ARTICLE) and self._name_part(w):
                construct = True
            else:
                break
            k += 1
            taken += 1
        if (definite_head and not taken) or not plain(k):
            return None
        w = words[k]
        if w in self.local_body_links and taken and plain(k + 1):
            k += 1
            at = starts[k]
        elif w.startswith(LI) and taken:  # «لجبل شحشبو»; «للرقة», whose clitic the place's surface keeps
            at = starts[k] + len(LI)
            if w.startswith(LI_ARTICLE) and at not in named:
                at = starts[k]
        elif construct and (taken or words[k] == self.muhafaza):
            at = starts[k]
        else:
            at = -1
        hit = named.get(at)
        if hit is not None:
            return hit[0], None
        if at != -1 and text[at : ends[k]] in self.place_cues and plain(k + 1):
            j = place_name(k + 1)
            if j is not None:
                return ends[j], k
        return None

    def _body_word(self, w: str) -> bool:
        """Whether a definite word may name a local body («الطبية», «المحلي», «الصحة»): not a verb, role or
        place cue, nor a function word, time or other stop word unless it is a «الـ…ي» adjective («المحلي»)
        or one of the words that name bodies («العامة»)."""
        return (
            len(w) > 3
            and w not in self.verbs
            and w not in self.roles
            and w not in self.place_cues
            and w not in self.descriptors
            and (w not in self.stop or w in self.body_words or (len(w) > 4 and w.endswith((NISBA, NISBA + FEMININE))))
        )

    def _list_items(self, doc: _Doc, j, plural, opened, place_name, free, claim) -> int:
        """Continues a list of places after a cue: «بلدات X وY، وZ», «قرى (X، Y، وZ)»; returns the next
        token index. After a plural cue an item may follow a bare comma («قرى X، Y، وZ»): such items
        are kept once an item with «و», or the list's closing bracket, comes after them."""
        text, starts, ends, words = doc.text, doc.starts, doc.ends, doc.words
        k = j + 1
        pending: list[tuple[int, int]] = []
        for _ in range(8):
            if k >= len(words):
                break
            between = text[ends[k - 1] : starts[k]]
            written = t = words[k]
            detached = t == AND and k + 1 < len(words) and text[ends[k] : starts[k + 1]].strip(" ") == _HASHTAG
            if detached:  # «قرى #X و #Y»: the «و» of a list of hashtags stands alone
                k += 1
                written = words[k]
                t = AND + written
            if between.strip(" " + _HASHTAG) not in ("", "،", ","):
                break
            comma = "،" in between or "," in between
            waw = t.startswith(AND) and (len(t) >= 4 or t[1:] in self.prefixes)  # «وأم X»
            if not (plural or comma) or not (waw or (plural and comma)):
                break
            name = t[1:] if waw else t
            if name in self.place_cue_forms:
                break  # a new cue: the main loop takes it
            words[k] = name  # the name without «و», for place_name
            end = place_name(k)
            words[k] = written
            if end is None:
                break
            if opened:
                end = self._bracketed_end(doc, end)
            name_start = starts[k] + (waw and not detached)
            nxt = text[ends[end] : ends[end] + 2]
            if not plural and not (nxt == "" or nxt[0] in "،,.”\"'»)\n" or nxt.startswith(" " + AND)):
                break
            if not plural and not any(
                self.g.rows[x]["entity_type"] == "location" for x in self.g.lookup(text[name_start : ends[end]])
            ):
                break
            pending.append((name_start, ends[end]))
            if waw or text[ends[end] : ends[end] + 1] in _CLOSERS:
                for a, b in pending:
                    if free(a, b):
                        claim(a, b, "place-after-cue")
                pending = []
            k = end + 1
        return k

    def _bracketed_end(self, doc: _Doc, j: int) -> int:
        """In a bracketed list a name runs on to the next separator: «(… والسبع بحرات)». The last token
        of the item ending at token j or at most two words later, when a separator follows them."""
        text, starts, ends, words = doc.text, doc.starts, doc.ends, doc.words
        k = j
        while (
            k < min(j + 2, len(words) - 1)
            and text[ends[k] : starts[k + 1]] == " "
            and not words[k + 1].startswith(AND)
            and self._name_part(words[k + 1])
        ):
            k += 1
        after = text[ends[k] : ends[k] + 2]
        return k if k == j or after[:1] in _CLOSERS or after[:1] in "،," or after == " " + AND else j

    def _quoted_end(self, doc: _Doc, a: int, limit: int = 4) -> int | None:
        text, starts, ends, words = doc.text, doc.starts, doc.ends, doc.words
        for b in range(a, min(a + limit, len(words))):
            after = text[ends[b] : ends[b] + 1]
            if after and after in _QUOTES:
                return b
            if b + 1 < len(words) and text[ends[b] : starts[b + 1]] != " ":
                return None
        return None

    def _media_name(self, doc: _Doc, a: int, weak: bool) -> tuple[int, int] | None:
        text, starts, ends, words = doc.text, doc.starts, doc.ends, doc.words
        between = text[ends[a - 1] : starts[a]]
        if any(q in between for q in _QUOTES):
            b = self._quoted_end(doc, a)
            if b is None or words[a] in self.group_heads:
                return None
            return a, b
        if between != " ":
            return None
        t = words[a]
        b = a
        if t in self.news_words and a + 1 < len(words) and text[ends[a] : starts[a + 1]] == " ":
            b = a + 1
            t = words[b]
        if t in self.stop or t in self.blocking or t.isdigit() or len(t) < 2 or t.startswith(LI_ARTICLE):
            return None
        tail = False
        while (
            b + 1 < len(words)
            and text[ends[b] : starts[b + 1]] == " "
            and (words[b + 1] in self.media_tails or words[b + 1] in self.nationality)
        ):
            b += 1
            tail = True
        if weak and not tail and match_key(text[starts[a] : ends[b]]) not in self.outlet_bare_names:
            return None
        return a, b

    def _outlet_named_like_a_place(self, doc: _Doc, a: int, b: int, places: bytearray) -> str | None:
        """The id of the known outlet whose bare name is tokens a..b, when a known place has exactly that span."""
        s, e = doc.starts[a], doc.ends[b]
        if places.find(0, s, e) != -1 or (s and places[s - 1]) or places[e]:
            return None
        return self.outlet_bare_names.get(match_key(doc.text[s:e]))

    def _appositive_name(self, doc: _Doc, i: int, window: int = 12) -> tuple[int, int] | None:
        """(first, last token) of a name of two or three words between the first two commas after the
        role word i, in its sentence, a title before the name skipped; None when the words there are no
        name (a time, a place, a cue, an article's word to begin with)."""
        text, starts, ends, words = doc.text, doc.starts, doc.ends, doc.words
        a = next(
            (
                k
                for k in range(i + 1, min(i + window, len(words)))
                if _COMMAS.intersection(text[ends[k - 1] : starts[k]])
            ),
            None,
        )
        if a is None or _SENTENCE_END.search(text, ends[i], starts[a]):
            return None
        if words[a] in self.title_forms and a + 1 < len(words) and text[ends[a] : starts[a + 1]] == " ":
            a += 1
        if words[a].startswith(ARTICLE):
            return None
        for b in range(a, min(a + 3, len(words))):
            word = words[b]
            if (
                not self._name_part(word)
                and not (b > a and word.startswith(ARTICLE) and word not in self.blocking)
                or word in self.blocking
                or (word in self.triggers and word not in self.first_name_forms)
            ):
                return None
            after = text[ends[b] : starts[b + 1]] if b + 1 < len(words) else ""
            if _COMMAS.intersection(after):
                return (a, b) if b > a else None
            if after != " ":
                return None
        return None

    def _person_end(self, doc: _Doc, i: int, plain) -> int | None:
        words = doc.words
        t = words[i]
        j = i
        if t in self.joiner_forms:  # «عبد الجبار …», «أبو محمد …»
            if not plain(j + 1):
                return None
            j += 1
        if not plain(j + 1):
            return None
        nxt = words[j + 1]
        if nxt in self.blocking or nxt.isdigit() or len(nxt) < 2:
            return None if j == i else j
        j += 1
        if nxt in self.joiners and plain(j + 1) and words[j + 1] not in self.blocking:
            j += 1
        return j

    def _group_span(self, doc: _Doc, i: int) -> tuple[int, str] | None:
        """(index of the last token, pattern id) of an armed group starting at the head word i, or None."""
        text, starts, ends, words = doc.text, doc.starts, doc.ends, doc.words
        t = words[i]
        if i + 1 >= len(words):
            return None
        after = text[ends[i] : starts[i + 1]]
        if t in self.unit_forms and after == " " and words[i + 1].isdigit() and len(words[i + 1]) <= 3:
            return i + 1, "armed-group-numbered-unit"
        if t in self.army_forms and after == " " and words[i + 1] in self.nationality:
            return i + 1, "armed-group-army"
        if t in self.group_head_forms:
            end = None
            if any(q in after for q in _OPENERS):  # the head before a quoted name
                end = self._quoted_end(doc, i + 1, 5)
            elif i > 0 and any(q in text[ends[i - 1] : starts[i]] for q in _OPENERS):  # a quoted name opening with it
                end = self._quoted_end(doc, i, 5)
            return None if end is None else (end, "armed-group-head")
        return None

    def tail_end(self, doc: _Doc, e: int, tails: frozenset[str], occupied: bytearray) -> int:
        """The end of a name ending at e, continued by free words of `tails` after single spaces."""
        text, starts, ends, words = doc.text, doc.starts, doc.ends, doc.words
        if text[e : e + 1] != " ":
            return e
        k = bisect_left(starts, e)
        while (
            k < len(words) and starts[k] == e + 1 and text[e] == " " and words[k] in tails and not occupied[starts[k]]
        ):
            occupied[e : ends[k]] = b"\x01" * (ends[k] - e)
            e = ends[k]
            k += 1
        return e

    def _name_part(self, t: str) -> bool:
        """Whether token t can be a word of a place's or a facility's name."""
        return (
            len(t) > 1
            and not t.isdigit()
            and t not in self.not_place_name_forms
            and not t.startswith((LI_ARTICLE, WITH_ARTICLE))
            and not ends_with_pronoun(t)
        )

    def _name_tail(self, doc: _Doc, j: int, limit: int = 3) -> int:
        """Index of the last token of a name ending at token j or continued after it by definite
        words («الهلالية», «الميداني») or a joiner and a word («عبد الرحمن»), at most `limit` more."""
        text, starts, ends, words = doc.text, doc.starts, doc.ends, doc.words
        last = min(len(words) - 1, j + limit)
        while j < last and text[ends[j] : starts[j + 1]] == " ":
            u = words[j + 1]
            if (
                u in self.joiners
                and j + 1 < last
                and text[ends[j + 1] : starts[j + 2]] == " "
                and self._name_part(words[j + 2])
            ):
                j += 2
            elif u.startswith(ARTICLE) and (self._name_part(u) or u in self.suffixes):  # «الميداني»
                j += 1
            else:
                break
        return j

    def _facility_end(self, doc: _Doc, a: int) -> int | None:
        """Index of the last token of a facility's name starting at token a (after the facility noun),
        None when the words there are no name: a quoted name, or a name part followed by name words
        or itself definite, a joiner or a known name («مدرسة ابتدائية» is no name)."""
        text, starts, ends, words = doc.text, doc.starts, doc.ends, doc.words
        between = text[ends[a - 1] : starts[a]]
        if any(q in between for q in _QUOTES):
            return self._quoted_end(doc, a)
        t = words[a]
        if between != " ":
            return None
        plain_next = a + 1 < len(words) and text[ends[a] : starts[a + 1]] == " "
        if t in self.joiners:  # «جامع أبو بكر الصديق»
            return self._name_tail(doc, a + 1) if plain_next and self._name_part(words[a + 1]) else None
        if t in self.roles:  # «مدرسة الشهيد X»: a name must follow the title
            j = self._name_tail(doc, a)
            if j == a and plain_next and self._name_part(words[a + 1]):  # «… الشهيد خالد العمر»
                j = self._name_tail(doc, a + 1)
            return j if j > a else None
        if not self._name_part(t):
            return None
        j = self._name_tail(doc, a)
        if j == a and not (t.startswith(ARTICLE) or t in self.person_names or self.g.lookup(t)):
            return None
        return j

    def _facility_adjective(self, t: str) -> bool:
        """Whether t, after a definite facility noun, names the facility: a definite adjective of the «الـ…ي»
        form («الوطني», «الفرنسي»), or one of the facility adjectives listed."""
        return t in self.facility_adjectives or (
            len(t) > 4
            and t.startswith(ARTICLE)
            and t.endswith(NISBA)
            # a stop token may name it («الفرنسي», «الميداني» end other names): not a verb, role or cue
            and t not in self.verb_forms
            and t not in self.role_forms
            and t not in self.place_cue_forms
        )

    def _known_name_end(self, doc: _Doc, i: int, plain) -> int | None:
        """Index of the last token of the run of known given or family names after token i (None
        when there is none); a joiner («بن», «أبو» …) counts when a known name follows it, and a
        family name of the «الـ…ي» form («العكاري») may end the run."""
        words, names = doc.words, self.person_names
        j = i
        while plain(j + 1):
            if words[j + 1] in names:
                j += 1
            elif words[j + 1] in self.joiners and plain(j + 2) and words[j + 2] in names:
                j += 2
            else:
                if self._nisba(words[j + 1]):
                    j += 1
                break
        return j if j > i else None

    def _byline_end(self, doc: _Doc, i: int, plain) -> int | None:
        """i + 1 when token i and the next word end a line of at most five words, else None."""
        text, starts, ends, words = doc.text, doc.starts, doc.ends, doc.words
        if not plain(i + 1):
            return None
        e = k = ends[i + 1]
        while k < len(text) and text[k] in " .":  # the line must end right after the name
            k += 1
        if k < len(text) and text[k] != "\n":
            return None
        if (
            not self._name_part(words[i + 1])
            or words[i + 1] in self.blocking
            or text.count(" ", text.rfind("\n", 0, starts[i]) + 1, e) > 4
        ):
            return None
        return i + 1

    def _nisba(self, t: str) -> bool:
        """Whether t reads as a family name of the «الـ…ي» form, not an adjective the lexicons know."""
        return (
            len(t) > 4
            and t.startswith(ARTICLE)
            and t.endswith(NISBA)
            and t not in self.nationality
            and t not in self.suffixes
            and self._name_part(t)
        )

    def _verb_before(self, doc: _Doc, i: int, window: int) -> bool:
        return not self.verb_forms.keys().isdisjoint(doc.words[max(0, i - window) : i])

    def _person_context(self, doc: _Doc, i: int, j: int) -> bool:
        text, starts, ends, words = doc.text, doc.starts, doc.ends, doc.words
        roles = self.role_forms
        if i > 0 and "\n" not in text[ends[i - 1] : starts[i]] and words[i - 1] in roles:
            return True
        lo = max(0, i - 7)
        for k in range(i - 1, lo - 1, -1):
            if _SENTENCE_END.search(text, ends[k], starts[k + 1]):
                break
            tk = words[k]
            if tk in roles or (k == i - 1 and tk in self.verb_forms):
                return True
        if j + 1 < len(words):
            between = text[ends[j] : starts[j + 1]]
            if "\n" not in between and (
                words[j + 1] in roles or (j + 2 < len(words) and "،" in between and words[j + 2] in roles)
            ):
                return True
        return False


_MATCHERS: dict[int, _Matcher] = {}


def _matcher(gaz: Gazetteer) -> _Matcher:
    m = _MATCHERS.get(id(gaz))
    if m is None or m.g is not gaz:
        m = _MATCHERS[id(gaz)] = _Matcher(gaz)
    return m


def _unquoted(name: str) -> str:
    return "".join(ch for ch in name if ch not in _QUOTES)


def _pattern_id(etype: str, name: str) -> str:
    return f"pattern:{etype}:{match_key(_unquoted(name)).replace(' ', '_')}"


def _mention_from_context(etype: str, key: str, body: str, a: int, b: int) -> EntityMention:
    """A name a gazetteer entry's cue or head widened into a new one: its id from the folded `key`, its
    name the body's text with spaces squeezed."""
    return EntityMention(_pattern_id(etype, key), etype, body[a:b], " ".join(body[a:b].split()), None, a, b, "pattern")


def find_mentions(body: str, gazetteer: Gazetteer | None = None) -> list[EntityMention]:
    """Entity mentions in `body`, in text order; surface == body[char_start:char_end]."""
    return _mentions(body, gazetteer, None)


def discovery_patterns(body: str, gazetteer: Gazetteer | None = None) -> list[tuple[str, str]]:
    """(pattern id, surface) of each name discovery found in `body` (data/entity_patterns.json), in text order."""
    fired: list[tuple[str, str]] = []
    _mentions(body, gazetteer, fired)
    return fired


def _mentions(body: str, gazetteer: Gazetteer | None, fired: list[tuple[str, str]] | None) -> list[EntityMention]:
    gaz = gazetteer or load_gazetteer()
    m = _matcher(gaz)
    doc = _Doc(body)
    hits, occupied = m.gazetteer_hits(doc)
    text = doc.text
    mentions: list[EntityMention] = []
    for s, e, idx, how in hits:
        entity_id, etype, name_ar, name_en = m.mention_fields[idx]
        # A cue needs a single space before the name (prev_token skips one line break).
        if etype == "location" and how == "gazetteer" and text[s - 1 : s] in (" ", "\n"):
            prev, between = doc.prev_token(s)
            ps = s - len(between) - len(prev)
            cue = (m.place_incl_forms.get(prev) or m.facility_forms.get(prev)) if between == " " and ps >= 0 else None
            if cue == m.hai:  # «حي X» with X a known place: the neighbourhood's surface keeps the cue
                s = ps + (len(prev) - len(cue))
                occupied[s:e] = b"\x01" * (e - s)
            elif cue is not None and not text[s:e].startswith(cue + " "):
                cs = ps + (len(prev) - len(cue))
                ce = e
                if cue in m.facility_forms:  # «مشفى أريحا الجراحي»
                    ce = doc.ends[m._name_tail(doc, bisect_left(doc.ends, e))]
                a, b = doc.span(cs, ce)
                mentions.append(_mention_from_context("location", text[cs:ce], body, a, b))
                occupied[cs:ce] = b"\x01" * (ce - cs)
                if (
                    cue in m.streets
                    or cue in m.facility_forms
                    or gaz.stoplist.get(match_key(name_ar)) == "cue"
                    or gaz.stoplist.get(text[s:e]) == "cue"
                ):
                    continue
        elif etype in m.name_tails:  # «مديرية صحة إدلب» + «الحرة», «وحدات حماية المرأة» + «الكردية»
            alias = text[s:e]
            e = m.tail_end(doc, e, m.name_tails[etype], occupied)
            prev, between = doc.prev_token(s) if text[s - 2 : s - 1] in m.force_head_ends else ("", "")
            head = m.force_head_forms.get(prev) if between == " " else None
            if head is None and between == " " and prev in m.group_name_head_forms and (idx, alias) in m.headless:
                # a known group named without its head takes the head written before it, another one
                # included: «جبهة تحرير الشام» (its name «هيئة تحرير الشام»), not «جبهة داعش» (a front)
                head = m.group_name_head_forms[prev]
            if (
                head is not None and not occupied[s - 1 - len(head)]
            ):  # the forces of a known actor: «جيش نظام الأسد», «قوات الإدارة الذاتية»
                s -= 1 + len(head)
                occupied[s:e] = b"\x01" * (e - s)
                if etype != "armed_group":
                    a, b = doc.span(s, e)
                    mentions.append(_mention_from_context("armed_group", text[s:e], body, a, b))
                    continue
        a, b = doc.span(s, e)
        mentions.append(EntityMention(entity_id, etype, body[a:b], name_ar, name_en, a, b, "gazetteer"))
    by_id = m.by_id
    places = bytearray(len(occupied))
    organisations = bytearray(len(occupied))
    for s, e, idx, how in hits:
        if m.entity_types[idx] == "location" and how == "gazetteer":
            places[s:e] = b"\x01" * (e - s)
        elif m.entity_types[idx] == "organisation":
            organisations[s:e] = b"\x01" * (e - s)
    covering = []  # body spans of discovered places and outlets, which replace the places inside them
    outlets = set()  # body spans of outlets named like a place, which replace that place
    named = {
        s: (e, idx)
        for s, e, idx, how in hits
        if how == "gazetteer"
        and m.entity_types[idx] in ("location", "organisation")
        and m.g.rows[idx]["place_type"] not in m.not_local_places
    }
    for s, e, etype, name, entity_id, pattern in m.discover(doc, occupied, places, organisations, named):
        a, b = doc.span(s, e)
        if fired is not None:
            fired.append((pattern, body[a:b]))
        if etype in ("location", "media"):
            covering.append((a, b))
        if etype == "media":
            outlets.add((a, b))
        surface = body[a:b]
        if entity_id is not None:
            row = by_id[entity_id]
            mentions.append(EntityMention(entity_id, etype, surface, row["name_ar"], row["name_en"], a, b, "gazetteer"))
        else:
            words = surface.translate(_AS_SPACE).split()  # «دير_فول» of a hashtag -> «دير فول»
            if etype == "location" and len(words) > 1 and match_key(words[0]) in m.area_cues:
                words = words[1:]  # «منطقة السكن الشبابي» -> «السكن الشبابي», the id of the bare name
                name = name.split(" ", 1)[1]
            if etype == "location" and len(words) > 2 and match_key(words[-1]) in m.descriptors:
                words = words[:-1]  # «قاعدة حميميم العسكرية» -> «قاعدة حميميم»
            name_ar = _unquoted(" ".join(words))  # «جامع “عبد الله بن عمر”» -> «جامع عبد الله بن عمر»
            mentions.append(EntityMention(_pattern_id(etype, name), etype, surface, name_ar, None, a, b, "pattern"))
    if covering:
        mentions = [
            x
            for x in mentions
            if not (
                x.entity_type == "location"
                and x.match_source == "gazetteer"
                and (
                    (x.char_start, x.char_end) in outlets
                    or any(
                        a <= x.char_start and x.char_end <= b and (a, b) != (x.char_start, x.char_end)
                        for a, b in covering
                    )
                )
            )
        ]
    mentions.sort(key=attrgetter("char_start", "char_end"))
    return mentions
