"""Entity mentions in a cleaned body: gazetteer matching plus discovery from context.

1. Gazetteer: the body is folded (normalize(): hamza/alef, ى/ي, ة/ه, diacritics, tatweel, digits)
   with an offset map back to the body; one Aho-Corasick pass finds every folded alias. A hit is
   kept when it ends at a word boundary and starts at one, or after proclitics (و ف ب ل ك and
   pairs such as وب، ول); «للمرصد» (ل + المرصد with the alef elided) is matched through a «لل» key
   and, since the clitic cannot be split off, its surface keeps it. Ambiguous aliases listed as
   `cue` in stoplist.csv need a context word (a place cue such as «بلدة», a media cue such as
   «قناة»/«لـ») or an unambiguous mention of the same entity elsewhere in the document.
   Overlaps are resolved longest first.
2. Discovery (match_source="pattern"): places after «مدينة/بلدة/قرية/حي/ريف …» (and lists after
   plural cues «بلدات/أحياء/بلدتي …»), people named next to a role («الناطق باسم…», «مراسل»,
   «العقيد», a verb of saying) whose first name is in the lexicon, media after «وكالة/صحيفة/قناة»
   or quoted after «لـ», ministries and organisations after «وزارة/منظمة/مديرية». Ids are
   `pattern:<type>:<folded name>`; a discovered name that is in the gazetteer takes its entity.

EntityMention.surface == body[char_start:char_end], proclitics excluded.
"""
from __future__ import annotations

import re

from conflict_text.gazetteer import Gazetteer, load_gazetteer, match_key
from conflict_text.models import EntityMention
from conflict_text.normalize import normalize

_CLITICS = frozenset({"", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك", "لل"})
_LIL_CLITICS = frozenset({"", "و", "ف"})
_SQUEEZE = re.compile(r"[ \t\u00a0\u2009\u202f]{2,}|[\t\u00a0\u2009\u202f]")
_TOKEN = re.compile(r"\w+")
_PREV = re.compile(r"(\w+)([^\w\n]*)$")
_QUOTES = frozenset("\"'«»“”„‘’()[]")
_SENTENCE_END = re.compile(r"[.!?؟:\n]")
_GROUP_CUES = frozenset(match_key(w) for w in (
    "لواء", "ألوية", "كتيبة", "كتائب", "فرقة", "سرايا", "تجمع", "جيش", "فيلق", "حركة", "جبهة", "غرفة", "قوات",
    "فصيل", "هيئة", "جماعة", "تنظيم", "ميليشيا", "مجلس", "مكتب", "وزارة", "منظمة", "الشبكة", "المرصد", "مركز"))
_WEAK_MEDIA_CUES = frozenset(match_key(w) for w in ("موقع", "شبكة", "تلفزيون", "مراسل", "مراسلة", "لمراسل"))
_NAME_JOINERS = frozenset(match_key(w) for w in ("أبو", "عبد", "بن", "ابن", "أم", "بني", "دي", "فان", "ولد", "آل", "أبي"))
_SURNAME_TITLES = frozenset(match_key(w) for w in ("الشيخ", "الحاج", "الأمير", "الأب", "أمير", "الأستاذ", "شيخ"))
_REGION_PREFIXES = tuple(match_key(w) + " " for w in ("ريف", "محافظة", "غوطة", "شمال", "جنوب", "شرق", "غرب"))
_STREETS = frozenset(match_key(w) for w in ("شارع", "ساحة", "دوار", "مستشفى", "مشفى", "سجن", "جسر", "سوق", "حارة"))
_AREA_CUES = frozenset(match_key(w) for w in ("منطقة", "مناطق"))
_NOT_FIRST_NAMES = frozenset(match_key(w) for w in ("بان", "يان", "باسم"))
_DESCRIPTORS = frozenset(match_key(w) for w in ("العسكري", "العسكرية"))
_ORG_STRONG = frozenset(match_key(w) for w in ("وزارة", "منظمة", "مديرية", "مفوضية"))


def _strip_clitic(tok: str, vocab: frozenset[str]) -> str | None:
    """`tok` or `tok` without one or two proclitics, if that is in `vocab`."""
    if tok in vocab:
        return tok
    for n in (1, 2):
        if len(tok) > n + 1 and tok[:n] in _CLITICS and tok[n:] in vocab:
            return tok[n:]
    return None


class _Doc:
    """The folded, whitespace-squeezed body with a map back to body offsets."""

    __slots__ = ("body", "text", "offsets")

    def __init__(self, body: str):
        nt = normalize(body)
        text, offsets = nt.text, nt.offsets
        if _SQUEEZE.search(text):
            base = offsets if offsets is not None else range(len(text))
            parts, new_offsets, pos = [], [], 0
            for m in _SQUEEZE.finditer(text):
                parts.append(text[pos:m.start()])
                new_offsets.extend(base[pos:m.start()])
                parts.append(" ")
                new_offsets.append(base[m.start()])
                pos = m.end()
            parts.append(text[pos:])
            new_offsets.extend(base[pos:])
            text, offsets = "".join(parts), new_offsets
        self.body, self.text, self.offsets = body, text, offsets

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self.offsets is None:
            return start, end
        return self.offsets[start], self.offsets[end - 1] + 1


def _word_start(text: str, s: int) -> int | None:
    """Start of the word containing position s, or None when more than 3 letters precede s."""
    w = s
    while w > 0 and text[w - 1].isalnum():
        w -= 1
        if s - w > 3:
            return None
    return w


def _prev_token(text: str, w: int) -> tuple[str, str]:
    """The word before position w and the characters between it and w."""
    m = _PREV.search(text, max(0, w - 40), w)
    return (m.group(1), m.group(2)) if m else ("", text[max(0, w - 3):w])


class _Matcher:
    def __init__(self, gaz: Gazetteer):
        self.g = gaz
        c = gaz.folded_cues
        self.place_cues = c.get("place_cues_exclusive", frozenset()) | c.get("place_cues_inclusive", frozenset())
        self.place_excl = c.get("place_cues_exclusive", frozenset())
        self.place_incl = c.get("place_cues_inclusive", frozenset())
        self.place_plural = c.get("place_cues_plural", frozenset())
        self.prefixes = c.get("place_name_prefixes", frozenset())
        self.suffixes = c.get("place_name_suffixes", frozenset())
        self.roles = c.get("person_roles", frozenset())
        self.verbs = c.get("saying_verbs", frozenset())
        self.first = c.get("first_names", frozenset())
        self.stop = c.get("stop_tokens", frozenset())
        self.media_cues = c.get("media_cues", frozenset())
        self.media_name_cues = c.get("media_name_cues", frozenset())
        self.media_tails = c.get("media_name_tails", frozenset())
        self.nationality = c.get("nationality_adjectives", frozenset())
        self.blocking = self.stop | self.verbs | (self.roles - _SURNAME_TITLES) | self.place_cues
        self.media_all = self.media_name_cues | _WEAK_MEDIA_CUES
        self.by_id = {r["entity_id"]: r for r in gaz.rows}
        # Tokens that can start a discovery (cue words with their proclitics, first names): one set
        # lookup per token decides whether the token needs a closer look.
        clitics = [c for c in _CLITICS if c]
        base = self.place_cues | self.media_all | _ORG_STRONG
        self.triggers = frozenset(base | {c + w for c in clitics for w in base}
                                  | self.first | {c + w for c in ("و", "ف") for w in self.first} | {"ل"})

    # ---------------------------------------------------------------- gazetteer
    def gazetteer_hits(self, doc: _Doc) -> list[tuple[int, int, int, str]]:
        """(start, end, entity_index, how) in folded coordinates, overlaps resolved."""
        text, keys, rows = doc.text, self.g.keys, self.g.rows
        n = len(text)
        cands = []
        for end, ki in self.g.automaton.iter(text):
            e = end + 1
            if e < n and text[e].isalnum():
                continue
            key = keys[ki]
            s = e - len(key.text)
            w = _word_start(text, s)
            if w is None:
                continue
            prefix = text[w:s]
            if prefix not in (_LIL_CLITICS if key.lil else _CLITICS):
                continue
            if prefix == "لل" and not key.lil:
                continue  # «لل» + a name without ال is ل + ل-initial word: handled by the ل clitic
            cands.append((s, e, key, w))
        anchored = {k.entity_index for _, _, k, _ in cands if not k.rule}
        keep = []
        for s, e, key, w in cands:
            if key.rule == "cue" and key.entity_index not in anchored and not self._cue_ok(
                    text, s, e, w, rows[key.entity_index]["entity_type"]):
                continue
            keep.append((s, e, key))
        keep.sort(key=lambda c: (-(c[1] - c[0]), c[0], c[2].entity_index))
        occupied = bytearray(n + 1)
        out = []
        regions = []
        for s, e, key in keep:
            if occupied.find(1, s, e) != -1:
                if rows[key.entity_index]["entity_type"] == "location" and any(
                        rs <= s and e <= re_ and (rs, re_) != (s, e) for rs, re_ in regions):
                    out.append((s, e, key.entity_index, "nested"))
                continue
            occupied[s:e] = b"\x01" * (e - s)
            out.append((s, e, key.entity_index, "gazetteer"))
            if key.text.startswith(_REGION_PREFIXES):
                regions.append((s, e))
        return out

    def _cue_ok(self, text: str, s: int, e: int, w: int, etype: str) -> bool:
        prev, between = _prev_token(text, w)
        if etype == "location":
            return _strip_clitic(prev, self.place_cues) is not None
        if etype == "media":
            if "ل" in text[w:s] or prev == "ل" or _strip_clitic(prev, self.media_cues) is not None:
                return True
            after = text[e:e + 2]
            return any(ch in _QUOTES for ch in between) and any(ch in _QUOTES for ch in after)
        return _strip_clitic(prev, self.roles) is not None

    # ---------------------------------------------------------------- discovery
    def discover(self, doc: _Doc, occupied: bytearray) -> list[tuple[int, int, str, str, str | None]]:
        """(start, end, entity_type, name_ar, gazetteer entity_id or None), folded coordinates."""
        text = doc.text
        toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        out: list[tuple[int, int, str, str, str | None]] = []

        def free(s: int, e: int) -> bool:
            return occupied.find(1, s, e) == -1

        def claim(s: int, e: int, etype: str, name_span: tuple[int, int] | None = None) -> None:
            ns, ne = name_span or (s, e)
            name = text[ns:ne]
            entity_id = None
            for idx in self.g.lookup(name):
                if self.g.rows[idx]["entity_type"] == etype:
                    entity_id = self.g.rows[idx]["entity_id"]
                    break
            occupied[s:e] = b"\x01" * (e - s)
            out.append((s, e, etype, name, entity_id))

        def sep(i: int) -> str:  # characters between token i-1 and token i
            return text[toks[i - 1][1]:toks[i][0]] if i > 0 else ""

        def plain(i: int) -> bool:  # token i follows token i-1 after a single space
            return 0 < i < len(toks) and sep(i) == " "

        def place_name(i: int) -> int | None:
            """Index of the last token of a place name starting at token i."""
            if i >= len(toks):
                return None
            t = toks[i][2]
            if _strip_clitic(t, self.stop | self.place_cues | self.verbs) is not None or len(t) < 2 or t.isdigit() or t.startswith("لل") \
                    or t.startswith("بال") or _strip_clitic(t, self.roles) or t in self.verbs:
                return None
            if (len(t) > 4 and t.endswith(("ها", "هم"))) or t == match_key("محافظة"):
                return None
            if t in self.prefixes and not plain(i + 1):
                return None
            j = i
            if t in self.prefixes and plain(i + 1) and toks[i + 1][2] not in self.stop:
                j = i + 1
                if toks[j][2] in _NAME_JOINERS and plain(j + 1):
                    j += 1
            elif plain(i + 1) and toks[i + 1][2].isdigit() and len(toks[i + 1][2]) <= 3 and t in self.prefixes:
                j = i + 1
            if plain(j + 1) and toks[j + 1][2] in self.suffixes:
                j += 1
                if plain(j + 1) and toks[j + 1][2] in ("الغربي", "الشرقي"):
                    j += 1
            return j

        i = 0
        ntok = len(toks)
        while i < ntok:
            s, e, t = toks[i]
            if t not in self.triggers or occupied[s]:
                i += 1
                continue
            # ---- places after a cue word
            cue = _strip_clitic(t, self.place_cues)
            if cue is not None and plain(i + 1) and occupied[toks[i + 1][0]] and (
                    cue in self.place_plural or cue in self.place_excl):
                r = toks[i + 1][0]
                while occupied[r]:
                    r += 1
                j = i + 1
                while j + 1 < ntok and toks[j + 1][1] <= r:
                    j += 1
                i = self._list_items(text, toks, j, cue in self.place_plural, place_name, free, claim)
                continue
            if cue is not None and plain(i + 1) and occupied[toks[i + 1][0]] == 0 and cue not in _AREA_CUES:
                j = place_name(i + 1)
                if j is not None:
                    if cue in self.place_incl and cue not in self.place_excl:
                        cs = s + (len(t) - len(cue))
                        if free(cs, toks[j][1]):
                            claim(cs, toks[j][1], "location")
                    elif free(toks[i + 1][0], toks[j][1]):
                        claim(toks[i + 1][0], toks[j][1], "location")
                    if cue in self.place_plural or cue in self.place_excl:
                        i = self._list_items(text, toks, j, cue in self.place_plural, place_name, free, claim)
                    else:
                        i = j + 1
                    continue
            # ---- media after «وكالة/صحيفة/قناة …» or quoted after «لـ»
            mcue = _strip_clitic(t, self.media_all)
            if mcue is not None and i + 1 < ntok:
                span = self._media_name(text, toks, i + 1, weak=mcue in _WEAK_MEDIA_CUES)
                if span is not None:
                    a, b = span
                    start = s + (len(t) - len(mcue)) if mcue == match_key("وكالة") and not any(
                        q in sep(i + 1) for q in _QUOTES) else toks[a][0]
                    if free(start, toks[b][1]):
                        claim(start, toks[b][1], "media")
                    i = b + 1
                    continue
            if t == "ل" and i + 1 < ntok and any(q in sep(i + 1) for q in _QUOTES):
                b = self._quoted_end(text, toks, i + 1)
                if b is not None and toks[i + 1][2] not in _GROUP_CUES and self._verb_before(toks, i, 12) \
                        and free(toks[i + 1][0], toks[b][1]):
                    claim(toks[i + 1][0], toks[b][1], "media")
                    i = b + 1
                    continue
            # ---- organisations: «وزارة X (adj)», «منظمة X», «مديرية X Y»
            ocue = _strip_clitic(t, _ORG_STRONG)
            if ocue is not None and plain(i + 1) and toks[i + 1][2] not in self.stop and not occupied[toks[i + 1][0]]:
                b = i + 1
                if ocue != match_key("وزارة") and plain(b + 1) and toks[b + 1][2] not in self.blocking:
                    b += 1
                if plain(b + 1) and toks[b + 1][2] in self.nationality:
                    b += 1
                start = s + (len(t) - len(ocue))
                if free(start, toks[b][1]):
                    claim(start, toks[b][1], "organisation")
                i = b + 1
                continue
            # ---- people
            base = _strip_clitic(t, self.first) if len(t) > 2 else None
            if base is not None and (base in _NOT_FIRST_NAMES or len(t) - len(base) > 1 or (
                    base != t and t[0] not in "وف")):
                base = None
            if base is not None and base == match_key("علي") and doc.body[doc.span(e - 1, e)[0]] == "ى":
                base = None
            if base is not None:
                j = self._person_end(toks, i, plain)
                if j is not None:
                    ps = s + (len(t) - len(base))
                    if free(ps, toks[j][1]) and self._person_context(text, toks, i, j):
                        claim(ps, toks[j][1], "person")
                        i = j + 1
                        continue
            i += 1
        return out

    def _list_items(self, text, toks, j, plural, place_name, free, claim) -> int:
        """Continues a list of places after a cue: «بلدات X وY، وZ»; returns the next token index."""
        k = j + 1
        for _ in range(8):
            if k >= len(toks):
                break
            between = text[toks[k - 1][1]:toks[k][0]]
            t = toks[k][2]
            if between.strip(" ") not in ("", "،", ","):
                break
            comma = "،" in between or "," in between
            if not t.startswith("و") or len(t) < 4:
                break
            if not (plural or comma):
                break
            if _strip_clitic(t[1:], self.place_cues) is not None:
                break  # a new cue: the main loop takes it
            orig = toks[k]
            toks_k = (orig[0] + 1, orig[1], t[1:])
            saved = toks[k]
            toks[k] = toks_k
            end = place_name(k)
            toks[k] = saved
            if end is None:
                break
            nxt = text[toks[end][1]:toks[end][1] + 2]
            if not plural and not (nxt == "" or nxt[0] in "،,.”\"'»)\n" or nxt.startswith(" و")):
                break
            if not plural and not any(self.g.rows[x]["entity_type"] == "location"
                                      for x in self.g.lookup(text[toks_k[0]:toks[end][1]])):
                break
            if free(toks_k[0], toks[end][1]):
                claim(toks_k[0], toks[end][1], "location")
            k = end + 1
        return k

    def _quoted_end(self, text, toks, a: int, limit: int = 4) -> int | None:
        for b in range(a, min(a + limit, len(toks))):
            after = text[toks[b][1]:toks[b][1] + 1]
            if after and after in _QUOTES:
                return b
            if b + 1 < len(toks) and text[toks[b][1]:toks[b + 1][0]] != " ":
                return None
        return None

    def _media_name(self, text, toks, a: int, weak: bool) -> tuple[int, int] | None:
        between = text[toks[a - 1][1]:toks[a][0]]
        if any(q in between for q in _QUOTES):
            b = self._quoted_end(text, toks, a)
            if b is None or toks[a][2] in _GROUP_CUES:
                return None
            return a, b
        if between != " ":
            return None
        t = toks[a][2]
        b = a
        if t in (match_key("أنباء"), match_key("الأنباء")) and a + 1 < len(toks) and \
                text[toks[a][1]:toks[a + 1][0]] == " ":
            b = a + 1
            t = toks[b][2]
        if t in self.stop or t in self.blocking or t.isdigit() or len(t) < 2 or t.startswith("لل"):
            return None
        tail = False
        while b + 1 < len(toks) and text[toks[b][1]:toks[b + 1][0]] == " " and (
                toks[b + 1][2] in self.media_tails or toks[b + 1][2] in self.nationality):
            b += 1
            tail = True
        if weak and not tail:
            return None
        return a, b

    def _person_end(self, toks, i: int, plain) -> int | None:
        t = toks[i][2]
        j = i
        if _strip_clitic(t, _NAME_JOINERS):  # «عبد الجبار …», «أبو محمد …»
            if not plain(j + 1):
                return None
            j += 1
        if not plain(j + 1):
            return None
        nxt = toks[j + 1][2]
        if nxt in self.blocking or nxt.isdigit() or len(nxt) < 2:
            return None if j == i else j
        j += 1
        if nxt in _NAME_JOINERS and plain(j + 1) and toks[j + 1][2] not in self.blocking:
            j += 1
        return j

    def _verb_before(self, toks, i: int, window: int) -> bool:
        for k in range(max(0, i - window), i):
            if _strip_clitic(toks[k][2], self.verbs):
                return True
        return False

    def _person_context(self, text, toks, i: int, j: int) -> bool:
        if i > 0 and "\n" not in text[toks[i - 1][1]:toks[i][0]] and _strip_clitic(toks[i - 1][2], self.roles):
            return True
        lo = max(0, i - 7)
        for k in range(i - 1, lo - 1, -1):
            if _SENTENCE_END.search(text, toks[k][1], toks[k + 1][0]):
                break
            tk = toks[k][2]
            if _strip_clitic(tk, self.roles) or (k == i - 1 and _strip_clitic(tk, self.verbs)):
                return True
        if j + 1 < len(toks):
            between = text[toks[j][1]:toks[j + 1][0]]
            if "\n" not in between and (_strip_clitic(toks[j + 1][2], self.roles) or (
                    j + 2 < len(toks) and "،" in between and _strip_clitic(toks[j + 2][2], self.roles))):
                return True
        return False


_MATCHERS: dict[int, _Matcher] = {}


def _matcher(gaz: Gazetteer) -> _Matcher:
    m = _MATCHERS.get(id(gaz))
    if m is None or m.g is not gaz:
        m = _MATCHERS[id(gaz)] = _Matcher(gaz)
    return m


def _pattern_id(etype: str, name: str) -> str:
    return f"pattern:{etype}:{match_key(name).replace(' ', '_')}"


def find_mentions(body: str, gazetteer: Gazetteer | None = None) -> list[EntityMention]:
    """Entity mentions in `body`, in text order; surface == body[char_start:char_end]."""
    gaz = gazetteer or load_gazetteer()
    m = _matcher(gaz)
    doc = _Doc(body)
    hits = m.gazetteer_hits(doc)
    text = doc.text
    rows = gaz.rows
    occupied = bytearray(len(text) + 1)
    for s, e, _, _ in hits:
        occupied[s:e] = b"\x01" * (e - s)
    # «حي X» where X is a known place: the neighbourhood's surface keeps the cue word.
    hai = frozenset({match_key("حي")})
    mentions: list[EntityMention] = []
    for s, e, idx, how in hits:
        row = rows[idx]
        if row["entity_type"] == "location" and how == "gazetteer":
            prev, between = _prev_token(text, s)
            ps = s - len(between) - len(prev)
            cue = _strip_clitic(prev, m.place_incl) if between == " " and ps >= 0 else None
            if cue is not None and cue in hai:
                s = ps + (len(prev) - len(cue))
                occupied[s:e] = b"\x01" * (e - s)
            elif cue is not None and not text[s:e].startswith(cue + " "):
                cs = ps + (len(prev) - len(cue))
                a, b = doc.span(cs, e)
                mentions.append(EntityMention(_pattern_id("location", text[cs:e]), "location", body[a:b],
                                              " ".join(body[a:b].split()), None, a, b, "pattern"))
                occupied[cs:e] = b"\x01" * (e - cs)
                if cue in _STREETS or gaz.stoplist.get(match_key(row["name_ar"])) == "cue" or \
                        gaz.stoplist.get(text[s:e]) == "cue":
                    continue
        a, b = doc.span(s, e)
        mentions.append(EntityMention(row["entity_id"], row["entity_type"], body[a:b], row["name_ar"],
                                      row["name_en"], a, b, "gazetteer"))
    by_id = m.by_id
    for s, e, etype, name, entity_id in m.discover(doc, occupied):
        a, b = doc.span(s, e)
        surface = body[a:b]
        if entity_id is not None:
            row = by_id[entity_id]
            mentions.append(EntityMention(entity_id, etype, surface, row["name_ar"], row["name_en"], a, b,
                                          "gazetteer"))
        else:
            na, nb = doc.span(*_find_sub(text, s, e, name))
            words = body[na:nb].split()
            if etype == "location" and len(words) > 2 and match_key(words[-1]) in _DESCRIPTORS:
                words = words[:-1]  # «قاعدة حميميم العسكرية» -> «قاعدة حميميم»
            name_ar = " ".join(words)
            mentions.append(EntityMention(_pattern_id(etype, name), etype, surface, name_ar, None, a, b, "pattern"))
    mentions.sort(key=lambda x: (x.char_start, x.char_end))
    return mentions


def _find_sub(text: str, s: int, e: int, name: str) -> tuple[int, int]:
    k = text.find(name, s, e)
    return (k, k + len(name)) if k >= 0 else (s, e)
