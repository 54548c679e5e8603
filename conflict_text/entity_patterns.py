"""The patterns of entity discovery (data/entity_patterns.json), loaded and checked against their schema.

A pattern names one way entities.py finds a name from its context: the entity type it finds and the cue
lists whose words (with their proclitics) trigger it, with examples and counterexamples of our own. The
file is checked when loaded, like the figure rules (figures/rules.py): an unknown key, cue list, clitic or
entity type, a pattern without examples, or a pattern the engine does not run (or one it runs that the
file lacks) is an error naming the file and the pattern.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from conflict_text.arabic import LI
from conflict_text.vocabularies import vocabularies

FILE = "entity_patterns.json"
FILE_KEYS = {"about", "patterns"}
PATTERN_KEYS = {"id", "finds", "triggers", "why", "examples", "counterexamples"}
EXAMPLE_KEYS = {"text", "expect"}
# the patterns entities.py runs, each where its trigger word is read
ENGINE_PATTERNS = {
    "armed-group-numbered-unit",
    "armed-group-head",
    "armed-group-army",
    "facility-name",
    "facility-definite-with-adjective",
    "facility-of-an-organisation",
    "place-after-cue",
    "outlet-head-and-tail",
    "media-after-cue",
    "media-quoted-after-li",
    "organisation-of-a-place",
    "organisation-after-cue",
    "person-after-title",
    "person-by-first-name",
    "person-between-commas-after-role",
    "place-in-a-list-of-places",
}
CLITICS = {"li": LI}  # the clitics a pattern may be triggered by
# lists that are not in cues.json: read from person_names.csv (gazetteer.read_gazetteer)
NAME_LISTS = {"given_names", "family_names"}


class PatternError(ValueError):
    """A pattern file that breaks the schema; the message names the file and the pattern."""


@dataclass(frozen=True)
class EntityPattern:
    id: str
    finds: str  # the entity type of what it finds
    cues: tuple[str, ...]  # the cue lists whose words trigger it
    clitic: str | None  # ... or the clitic that does
    why: str
    examples: tuple[dict, ...]
    counterexamples: tuple[dict, ...]


def _examples(where: str, raw: dict, key: str) -> tuple[dict, ...]:
    examples = raw.get(key, [])
    if not isinstance(examples, list):
        raise PatternError(f"{where}: {key} must be a list")
    for example in examples:
        if not isinstance(example, dict) or set(example) != EXAMPLE_KEYS or not isinstance(example["expect"], list):
            raise PatternError(f"{where}: each of {key} is {{text, expect: [...]}}, not {example!r}")
    return tuple(examples)


def load_patterns(text: str, cue_lists: frozenset[str], name: str = FILE) -> dict[str, EntityPattern]:
    """The patterns of a pattern file's JSON text, by id; `cue_lists` are the lists a trigger may name."""
    data = json.loads(text)
    if not isinstance(data, dict) or set(data) - FILE_KEYS or not isinstance(data.get("patterns"), list):
        raise PatternError(f"{name}: a pattern file is an object with 'patterns' (and 'about') only")
    types = set(vocabularies()["entity_type"])
    patterns: dict[str, EntityPattern] = {}
    for raw in data["patterns"]:
        pattern_id = raw.get("id") if isinstance(raw, dict) else None
        where = f"{name}: pattern {pattern_id or '(no id)'}"
        if not isinstance(raw, dict) or set(raw) - PATTERN_KEYS:
            raise PatternError(f"{where}: unknown keys {sorted(set(raw) - PATTERN_KEYS)}")
        if PATTERN_KEYS - {"counterexamples"} - set(raw):
            raise PatternError(f"{where}: missing {sorted(PATTERN_KEYS - {'counterexamples'} - set(raw))}")
        if pattern_id in patterns:
            raise PatternError(f"{where}: the id is used twice")
        if pattern_id not in ENGINE_PATTERNS:
            raise PatternError(f"{where}: the engine runs no such pattern (it runs {sorted(ENGINE_PATTERNS)})")
        if raw["finds"] not in types:
            raise PatternError(f"{where}: finds {raw['finds']!r}, not an entity type ({sorted(types)})")
        triggers = raw["triggers"]
        if not isinstance(triggers, dict) or len(triggers) != 1 or set(triggers) - {"cues", "clitic"}:
            raise PatternError(f'{where}: triggers is {{"cues": [cue lists]}} or {{"clitic": name}}')
        cues = tuple(triggers.get("cues", ()))
        unknown = set(cues) - cue_lists
        if unknown or ("cues" in triggers and not cues):
            raise PatternError(f"{where}: unknown cue lists {sorted(unknown)}" if unknown else f"{where}: no cue list")
        clitic = triggers.get("clitic")
        if clitic is not None and clitic not in CLITICS:
            raise PatternError(f"{where}: unknown clitic {clitic!r} (known: {sorted(CLITICS)})")
        examples = _examples(where, raw, "examples")
        if not examples:
            raise PatternError(f"{where}: a pattern needs at least one example")
        patterns[pattern_id] = EntityPattern(
            pattern_id,
            raw["finds"],
            cues,
            clitic,
            raw["why"],
            examples,
            _examples(where, raw, "counterexamples"),
        )
    if ENGINE_PATTERNS - set(patterns):
        raise PatternError(
            f"{name}: the engine runs patterns the file lacks: {sorted(ENGINE_PATTERNS - set(patterns))}"
        )
    return patterns


def shipped_cue_lists() -> frozenset[str]:
    """The cue lists of the shipped gazetteer (data/gazetteer/cues.json) and of person_names.csv."""
    text = resources.files("conflict_text").joinpath("data/gazetteer/cues.json").read_text("utf-8")
    return frozenset(k for k in json.loads(text) if not k.startswith("_")) | NAME_LISTS


@cache
def entity_patterns() -> dict[str, EntityPattern]:
    """The patterns of data/entity_patterns.json, loaded and checked once."""
    text = resources.files("conflict_text").joinpath(f"data/{FILE}").read_text("utf-8")
    return load_patterns(text, shipped_cue_lists())
