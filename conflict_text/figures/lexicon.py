"""The figure lexicon (data/figure_lexicon.json) compiled once: noun roles, cue tables, qualifier patterns, and the
phrase lists the matcher reads; with the memoised per-token look-ups of the noun lexicon."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from conflict_text.arabic import CONJUNCTIONS, PREFIXES
from conflict_text.figures.phrases import TOKEN_CACHE_SIZE, PhraseMatcher, phrase_key
from conflict_text.normalize import fold

_WORD_B = r"(?<![^\W\d_])"
_WORD_E = r"(?![^\W\d_])"


@dataclass
class Lexicon:
    clitics: tuple[str, ...]
    nouns: dict[str, list[tuple]]
    cues: dict[str, list[tuple[str, bool, bool, bool]]]  # phrase -> [(outcome, pre, post, weak)]
    phrases: PhraseMatcher  # the phrase lists named in lexicon()
    koi_head_re: re.Pattern
    qual_before_re: re.Pattern
    qual_before: dict[str, str]
    qual_before_last_words: tuple[str, ...]
    qual_after_re: re.Pattern
    qual_after: dict[str, str]
    complement: frozenset
    markers_after: frozenset
    coord_re: re.Pattern
    mods: dict[str, str]
    materials: dict[str, str]
    munitions: dict[str, dict]
    precedence: dict[str, int]
    overrides: dict[str, set]
    typed_by_article: dict[str, frozenset[str]]  # default weapon type -> the types a bare noun of it may take
    carrier_units: dict[str, str]
    multiplicity: dict[str, int]
    units: frozenset
    prefixes: frozenset
    covid_re: re.Pattern
    # covid_re split for the whole-text test: terms without letter case are plain substrings under re.I
    covid_uncased: tuple[str, ...]
    covid_cased_re: re.Pattern | None
    refiners: list[tuple[str, str]]  # (phrase list, victim group)
    fighter_generic: frozenset
    soldier_nouns: frozenset  # who may be regime forces when the words after them say so
    volunteer_nouns: frozenset  # who may be civil defence when the words after them say so
    foreign_forces: frozenset
    fillers: frozenset
    followers: frozenset
    fighter_refiner_re: re.Pattern
    others: frozenset
    toll_words: frozenset
    toll_heads: frozenset
    weapon_ordinals: dict[str, int]  # «ثانية» -> 2: the rank an ordinal after a weapon noun gives it
    function_words: frozenset


@cache
def lexicon_data() -> dict:
    """data/figure_lexicon.json as written."""
    return json.loads(resources.files("conflict_text").joinpath("data/figure_lexicon.json").read_text("utf-8"))


@dataclass(frozen=True)
class Grammar:
    """The function words, clitics and endings the engine's code reads (section "grammar"), folded."""

    of: str  # «من»
    between: str  # «بين»
    case_nouns: frozenset[str]
    soldier_nouns: frozenset[str]
    volunteer_nouns: frozenset[str]
    victim_side_re: re.Pattern  # an armed group named after one of these words is the victim side
    toll_words: tuple[str, ...]  # «تجاوز عدد القتلى 500»: the qualifier stands before the toll word
    contrast_re: re.Pattern  # «إلا أن», «لكن»: what follows revises what precedes
    partitive_one: frozenset[str]  # «أحد»: «أحد الانتحاريين» is one of the set, whatever the noun's number
    count_of_set: frozenset[str]  # «عددها»: «الغارات بلغ عددها 15» counts the set named before it
    more_of_the_same: frozenset[str]  # «أخرى»: «قذيفتان على السوق وثلاث أخرى» counts more of the weapon before it
    to: str  # «إلى»


@cache
def grammar() -> Grammar:
    g = {k: (fold(v) if isinstance(v, str) else [fold(w) for w in v]) for k, v in lexicon_data()["grammar"].items()}
    return Grammar(
        of=g["of"],
        between=g["between"],
        case_nouns=frozenset(g["case_nouns"]),
        soldier_nouns=frozenset(g["soldier_nouns"]),
        volunteer_nouns=frozenset(g["volunteer_nouns"]),
        victim_side_re=re.compile(r"(?:" + "|".join(map(re.escape, g["victim_side_words"])) + r")\s*$"),
        toll_words=tuple(g["toll_words_before_number"]),
        partitive_one=frozenset(g["partitive_one"]),
        count_of_set=frozenset(g["count_of_set"]),
        more_of_the_same=frozenset(g["more_of_the_same"]),
        to=g["to"],
        contrast_re=re.compile(
            r"(?:"
            + "|".join(map(re.escape, g["contrast_words"]))
            + r")\s+(?:"
            + "|".join(map(re.escape, g["that_words"]))
            + ")"
        ),
    )


@cache
def lexicon() -> Lexicon:
    d = lexicon_data()
    f = fold
    clitics = tuple(sorted(PREFIXES, key=len, reverse=True))
    clitic_alt = "|".join(re.escape(c) for c in clitics)

    nouns: dict[str, list[tuple]] = {}

    def add(form: str, role: tuple) -> None:
        nouns.setdefault(f(form), []).append(role)

    for outcome, forms in d["outcome_nouns"].items():
        for number, words in forms.items():
            for w in words:
                add(w, ("outcome", outcome, number))
    for group, forms in d["victim_nouns"].items():
        for number, words in forms.items():
            for w in words:
                add(w, ("victim", group, number))
    munitions = {}
    for entry in d["munitions"]:
        key = f(entry["key"])
        munitions[key] = {**entry, "own_modifiers": {f(w): t for w, t in entry.get("own_modifiers", {}).items()}}
        for number in ("singular", "dual", "construct_dual", "plural"):
            for w in entry.get(number, []):
                if " " in w:
                    continue
                add(w, ("munition", key, number))
    for w in d["others"]:
        add(w, ("others", "total", "plural"))
    units = frozenset(f(w) for w in d["nonfigure_units"])

    cues: dict[str, list] = {}
    for outcome, kinds in d["outcome_cues"].items():
        weak = {f(w) for w in kinds.get("weak", [])}
        pre = {f(w) for w in kinds.get("pre", [])}
        post = {f(w) for w in kinds.get("post", [])}
        for w in pre | post:
            cues.setdefault(phrase_key(w), []).append((outcome, w in pre, w in post, w in weak))

    def table(section: dict) -> dict[str, str]:
        return {phrase_key(f(w)): q for q, words in section.items() for w in words}

    qual_before = table(d["qualifiers_before"])
    qual_after = table(d["qualifiers_after"])
    qb = "|".join(r"\s*".join(map(re.escape, k.split())) for k in sorted(qual_before, key=len, reverse=True))
    qa = "|".join(r"\s*".join(map(re.escape, k.split())) for k in sorted(qual_after, key=len, reverse=True))

    mods = {}
    for m in d["munition_modifiers"]:
        for w in m["words"]:
            mods.setdefault(phrase_key(f(w)), m["type"])
    for w, n in d["multiplicity_modifiers"].items():
        mods.setdefault(phrase_key(f(w)), f"x{n}")
    materials = {phrase_key(f(w)): m["type"] for m in d["munition_materials"] for w in m["words"]}
    covid_terms = [f(w) for w in d["covid_terms"]]
    covid_uncased = tuple(w for w in covid_terms if w.lower() == w == w.upper())
    covid_cased = [w for w in covid_terms if w not in covid_uncased]
    refiners = [(f"refiner {group}", group) for group in d["victim_refiners"]]
    fighter_generic = frozenset(f(w) for w in d["fighter_generic"])
    phrases = PhraseMatcher(
        {
            "cue": (list(cues), clitics),
            "marker": ([f(w) for w in d["breakdown_markers"]], ()),
            "one_of": ([f(w) for w in d["one_of_markers"]], CONJUNCTIONS),
            "mod": (list(mods), clitics),
            "material": (list(materials), clitics),
            "strike_verb": ([f(w) for w in d["strike_times"]["verbs"]], clitics),
            "threat": ([f(w) for w in d["threat_cues"]], clitics),
            "next_clause": ([f(w) for w in d["next_clause_openers"]], CONJUNCTIONS),
            "denial": ([f(w) for w in d["denial_cues"]], clitics),
            "revision": ([f(w) for w in d["revision_cues"]], clitics),
            "earlier": ([f(w) for w in d["earlier_cues"]], CONJUNCTIONS),
            "covid_aux": ([f(w) for w in d["covid_aux"]], clitics),
            "population": ([f(w) for w in d["population_cues"]], clitics),
            "attribution": ([f(w) for w in d["attribution_cues"]], clitics),
            "attack": ([f(w) for w in d["attack_cues"]], clitics),
            "losses": ([f(w) for w in d["losses_cues"]], clitics),
            "strong_earlier": ([f(w) for w in d["strong_earlier_cues"]], CONJUNCTIONS),
            "denial_topic": ([f(w) for w in d["denial_topics"]], clitics),
            "cumulative": ([f(w) for w in d["cumulative_cues"]], clitics),
            "release": ([f(w) for w in d["release_cues"]], clitics),
            **{
                f"under_rubble {k}": ([f(w) for w in d["under_rubble"][k]], CONJUNCTIONS)
                for k in ("still_before", "still_after", "rubble")
            },
            # the nouns that make a figure without a number: weapons, dual and singular victims or outcomes
            "noun": (
                [
                    w
                    for w, roles in nouns.items()
                    if any(
                        r[0] == "munition" or (r[0] in ("victim", "outcome") and r[2] in ("singular", "dual"))
                        for r in roles
                    )
                ],
                clitics,
            ),
            **{name: ([f(w) for w in d["victim_refiners"][group]], clitics) for name, group in refiners},
        }
    )
    return Lexicon(
        clitics=clitics,
        nouns=nouns,
        phrases=phrases,
        cues=cues,
        koi_head_re=re.compile(
            r"(?:"
            + "|".join(
                r"\s*".join(map(re.escape, f(w).split()))
                for w in sorted(d["killed_or_injured_heads"], key=len, reverse=True)
            )
            + r")"
            + _WORD_E
        ),
        qual_before_re=re.compile(rf"{_WORD_B}(?:{clitic_alt})?(?P<q>{qb})[\s\"“«]*$"),
        qual_before=qual_before,
        qual_before_last_words=tuple({k.split()[-1] for k in qual_before}),
        qual_after_re=re.compile(rf"^[\s,،\"”»)]*(?P<q>{qa}){_WORD_E}"),
        qual_after=qual_after,
        complement=frozenset(f(w) for w in d["complement_words"]),
        markers_after=frozenset(f(w) for w in d["breakdown_markers_after"]),
        coord_re=re.compile(
            r"^[\s\"”»]*(?:[,،][\s]*)?(?:"
            + "|".join(
                r"\s*".join(map(re.escape, f(w).split())) for w in sorted(d["coordination_gaps"], key=len, reverse=True)
            )
            + r")?[\s\"“«]*$"
        ),
        mods=mods,
        materials=materials,
        munitions=munitions,
        precedence={t: i for i, t in enumerate(d["modifier_precedence"] + ["rocket_launcher", "bombing"])},
        overrides={k: set(v) for k, v in d["modifier_overrides_noun"].items()},
        typed_by_article={k: frozenset(v) for k, v in d["weapons_typed_by_article"].items() if not k.startswith("_")},
        carrier_units={f(k): v for k, v in d["carrier_units"].items()},
        multiplicity={phrase_key(f(w)): n for w, n in d["multiplicity_modifiers"].items()},
        units=units,
        prefixes=frozenset(f(w) for w in d["nonfigure_prefixes"]),
        covid_re=re.compile("|".join(re.escape(w) for w in covid_terms), re.I),
        covid_uncased=covid_uncased,
        covid_cased_re=re.compile("|".join(map(re.escape, covid_cased)), re.I) if covid_cased else None,
        refiners=refiners,
        fighter_generic=fighter_generic,
        soldier_nouns=fighter_generic | grammar().soldier_nouns,
        volunteer_nouns=fighter_generic | grammar().volunteer_nouns,
        foreign_forces=frozenset(f(w) for w in d["foreign_forces"]),
        fillers=frozenset(f(w) for w in d["munition_fillers"]),
        followers=frozenset(f(w) for w in d["head_followers"]),
        fighter_refiner_re=re.compile(
            r"\s*(?:"
            + grammar().of
            + r"\s+)?(?:[\"“«]\s*)?(?:"
            + "|".join(re.escape(f(w)) for w in sorted(d["fighter_refiners"], key=len, reverse=True))
            + ")"
        ),
        others=frozenset(f(w) for w in d["others"]),
        toll_words=frozenset(f(w) for w in d["toll_words"]),
        toll_heads=frozenset(phrase_key(f(w)) for w in d["toll_heads"]),
        weapon_ordinals={f(w): n for w, n in d["weapon_ordinals"].items()},
        function_words=frozenset(f(w) for w in d["function_words"]),
    )


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def noun_roles(token: str) -> tuple[str, tuple]:
    """(clitic prefix, roles) of a token: the roles of its bare form in the noun lexicon."""
    lex = lexicon()
    roles = lex.nouns.get(token)
    if roles:
        return "", tuple(roles)
    for c in lex.clitics:
        if token.startswith(c) and len(token) - len(c) >= 2:
            roles = lex.nouns.get(token[len(c) :])
            if roles:
                return c, tuple(roles)
    return "", ()


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def bare_forms(token: str) -> tuple[str, ...]:
    """The token and its forms without each possible clitic prefix."""
    lex = lexicon()
    out = [token]
    for c in lex.clitics:
        if token.startswith(c) and len(token) - len(c) >= 2:
            out.append(token[len(c) :])
    return tuple(out)


def in_vocab(token: str, vocab: frozenset) -> bool:
    return any(b in vocab for b in bare_forms(token))


def role_of(roles: tuple, kind: str) -> tuple | None:
    for r in roles:
        if r[0] == kind:
            return r
    return None
