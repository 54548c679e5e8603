"""Weapon noun phrases: the munition type a noun and its modifiers name, and weapons named without a count."""

from __future__ import annotations

from conflict_text.arabic import AND, WITH, is_definite, proclitic_length
from conflict_text.figures.document import Document
from conflict_text.figures.lexicon import noun_roles, role_of
from conflict_text.figures.phrases import phrase_key
from conflict_text.figures.rules import rule_table
from conflict_text.figures.sentence import Candidate
from conflict_text.figures.words import QUOTE_MARKS, SPACES, TOKEN_RE, Tok, next_token


def munition_phrase(
    doc: Document, head: Tok, key: str, limit: int
) -> tuple[str | None, int, int, str | None, list[str]]:
    """(type, phrase end, multiplicity, unit, the rules that typed it) of the weapon noun phrase starting at `head`."""
    lex = doc.lex
    text = doc.text
    entry = lex.munitions[key]
    base = entry.get("type")
    found: list[str] = []
    carried_end = None  # where the phrase ends before a weapon the head carries
    mult = 1
    end = head.end
    pos = head.end
    for _ in range(3):
        m = SPACES.match(text, pos)
        pos = m.end()
        if pos >= limit:
            break
        # a modifier in quote marks types the noun as a bare one does («قذائف "هاون"»)
        quoted = pos
        while quoted < limit and text[quoted] in QUOTE_MARKS:
            quoted += 1
        mm = doc.phrase_at("mod", quoted)
        if mm and mm[3] <= limit and not text.startswith(AND, quoted):
            t = lex.mods[phrase_key(text[quoted - mm[1] : mm[3]])]
            if t.startswith("x"):
                mult = int(t[1:])
            else:
                found.append(t)
            end = pos = mm[3]
            if quoted > m.end() and pos < limit and text[pos] in QUOTE_MARKS:
                end = pos = pos + 1  # its closing mark
            continue
        tm = TOKEN_RE.match(text, pos)
        if not tm:
            break
        tok = tm.group()
        if tok in ",،.;؛:" or tok.isdigit():
            break
        if tok in entry["own_modifiers"]:  # a modifier that types this noun only («ضربة جوية»)
            found.append(entry["own_modifiers"][tok])
            end = pos = tm.end()
            continue
        prefix, roles = noun_roles(tok)
        inner = role_of(roles, "munition")
        if inner and not (prefix.startswith(WITH) and (base is None or lex.munitions[inner[1]].get("type") is None)):
            # another weapon; one named after ب types an untyped head («هجوما بالقنابل العنقودية»), and a
            # typed head carries an untyped one named after ب, whose modifier types the head («صواريخ محملة
            # بقنابل عنقودية») when it may override the head's type
            break
        if inner and base is not None and carried_end is None:
            carried_end = end
        if tok.startswith(AND) and noun_roles(tok)[1]:
            break
        if not (tok in lex.fillers or (tok.startswith(WITH) and len(tok) > 3)):
            break
        pos = tm.end()
    only = entry.get("only_types")
    mtype = base
    fired = []
    if found:
        best = min(found, key=lambda t: lex.precedence.get(t, 99))
        if base is None:
            mtype = best if (not only or best in only) else None
            fired.append("weapon-typed-by-modifier")
        else:
            allowed = [t for t in found if t in lex.overrides.get(base, set())]
            if allowed:
                mtype = min(allowed, key=lambda t: lex.precedence.get(t, 99))
                fired.append("weapon-modifier-overrides-noun")
    elif entry.get("needs_modifier"):
        mtype = None
    if carried_end is not None and mtype == base:
        end = carried_end  # the carried weapon did not type the head: it is a weapon of its own
    unit = None
    if mtype in ("chlorine_attack", "chemical_attack") and key in lex.carrier_units:
        unit = lex.carrier_units[key]
        fired.append("chemical-carrier-unit")
    return mtype, end, mult, unit, fired


class WeaponContext:
    """What the rules of phase weapon.read (data/figure_rules/) read about a weapon noun named without a number."""

    __slots__ = (
        "doc",
        "si",
        "sent",
        "at",
        "munition_type",
        "noun_form",
        "definite",
        "counts_singly",
        "modified",
        "value",
    )

    def __init__(
        self,
        doc: Document,
        si: int,
        tok: Tok,
        munition_type: str | None,
        noun_form: str,
        definite: bool,
        entry: dict,
        phrase_end: int,
        value: int | None,
    ):
        self.doc, self.si, self.sent, self.at = doc, si, doc.sents[si], tok.start
        self.munition_type, self.noun_form, self.definite, self.value = munition_type, noun_form, definite, value
        self.counts_singly = bool(entry.get("count_singular"))  # an indefinite singular counts one («بغارة»)
        # modifiers after the noun extended its phrase or changed its type («قذيفة هاون», «صواريخ عنقودية»)
        self.modified = munition_type != entry.get("type") or phrase_end != tok.end


def munition_noun(doc: Document, si: int, tok: Tok, prefix: str, mun: tuple) -> None:
    lex = doc.lex
    sent = doc.sents[si]
    _, key, number = mun
    entry = lex.munitions[key]
    mtype, pend, mult, unit, fired = munition_phrase(doc, tok, key, sent.end)
    definite = is_definite(prefix)
    value = None
    # «أحد الانتحاريين»: one of the set. The ending the lexicon reads as a dual is a plural's too.
    word_before = doc.text[max(sent.start, tok.start - 12) : tok.start].split()[-1:]
    if number == "dual" and definite and word_before and word_before[0] in doc.grammar.partitive_one:
        value = 1
        fired.insert(0, "partitive-one-weapon")
    elif number == "dual" or (number == "construct_dual" and WITH in prefix):
        value = 2
        fired.insert(0, "dual-weapon")
    elif number == "singular" and entry.get("count_singular") and not definite:
        value = 1
        fired.insert(0, "singular-weapon-counts-one")
    if mult > 1 and value in (None, 1):
        value = mult
        fired.append("weapon-multiplicity")
    if rejected := rule_table().phase.weapon_read(
        WeaponContext(doc, si, tok, mtype, number, definite, entry, pend, value)
    ):
        return doc.reject(rejected, tok.start, tok.end)
    named_only = value is None  # a weapon named without a count
    doc.cands.append(
        Candidate(
            "mun",
            tok.start + proclitic_length(prefix),
            pend,
            value,
            "unspecified" if named_only else "exact",
            si,
            mtype=mtype,
            unit=unit,
            head_end=pend,
            modified=pend != tok.end,
            rules=["weapon-named", *fired] if named_only else fired,
        )
    )
    doc.consumed.append((tok.start, pend))


def material_candidates(doc: Document, si: int) -> None:
    lex = doc.lex
    sent = doc.sents[si]
    if sent.covid:
        return
    for start, clitic, _, end in doc.sentence_phrases("material", sent):
        if doc.is_consumed(start, end):
            continue
        doc.cands.append(
            Candidate(
                "mun",
                start - clitic,
                end,
                None,
                "unspecified",
                si,
                mtype=lex.materials[phrase_key(doc.text[start - clitic : end])],
                head_end=end,
                rules=["weapon-material-named"],
            )
        )
        doc.consumed.append((start, end))


def type_bare_weapons(doc: Document, cands: list[Candidate]) -> None:
    """A weapon named bare («قذيفة», «صاروخ») takes the type its paragraph names elsewhere («قذيفة هاون», «صواريخ
    غراد», or a noun of that type: «راجمات الصواريخ») when it names exactly one of the types its default may
    stand for (lexicon section weapons_typed_by_article); a paragraph naming two keeps the default. The
    paragraph, not the article: reports of several fronts name a different weapon in each."""
    text = doc.text
    paragraphs: dict[int, list[Candidate]] = {}
    for c in cands:
        if c.kind == "mun":
            paragraphs.setdefault(text.rfind("\n", 0, c.start), []).append(c)
    for weapons in paragraphs.values():
        for default, options in doc.lex.typed_by_article.items():
            named = {c.mtype for c in weapons if c.mtype in options or (c.modified and c.mtype == default)}
            if len(named) != 1 or default in named:
                continue
            named_type = named.pop()
            for c in weapons:
                if c.mtype == default and not c.modified:
                    c.mtype = named_type
                    c.rules.append("weapon-typed-by-article")


def _weapon_key(text: str, c: Candidate) -> str | None:
    """The lexicon key of a candidate's weapon noun («قذيفتي» and «7 قذائف» share one)."""
    for tok in TOKEN_RE.finditer(text, c.start, max(c.end, c.head_end)):
        if found := role_of(noun_roles(tok.group())[1], "munition"):
            return found[1]
    return None


def ordinal_weapons(doc: Document, cands: list[Candidate]) -> None:
    """«وسقط صاروخ ثانٍ», «فيما سقطت قذيفة ثانية»: a single weapon followed by an ordinal is the k-th of its kind
    in its paragraph. When the count of that weapon noun named last before it is k or more («سقطت قذيفتا هاون
    ... فيما سقطت قذيفة ثانية»), it is one of them named again and is not counted; else it adds one more of
    that weapon and takes its type («صاروخ "أرض - أرض"» ... «صاروخ ثانٍ»)."""
    text, ordinals = doc.text, doc.lex.weapon_ordinals
    muns = sorted((c for c in cands if c.kind == "mun"), key=lambda c: c.start)
    for i, c in enumerate(muns):
        if "singular-weapon-counts-one" not in c.rules:
            continue
        nxt = next_token(text, c.head_end, doc.sents[c.sent].end)
        rank = ordinals.get(nxt.text) if nxt is not None else None
        if rank is None:
            continue
        key, paragraph = _weapon_key(text, c), text.rfind("\n", 0, c.start)
        before = next(
            (
                m
                for m in reversed(muns[:i])
                if m.value is not None
                and m in cands
                and text.rfind("\n", 0, m.start) == paragraph
                and _weapon_key(text, m) == key
            ),
            None,
        )
        if before is None:
            continue
        if before.value >= rank:
            cands.remove(c)
            doc.reject("ordinal-weapon-of-the-set", c.start, c.end)
        elif not c.modified and before.mtype is not None:
            c.mtype = before.mtype
            c.rules.append("ordinal-weapon-continues-the-one-before")
