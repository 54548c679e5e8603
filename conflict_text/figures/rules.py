"""The rule table: every decision the engine makes about a number or a noun, as named rules in data.

One JSON file per phenomenon under data/figure_rules/ holds {"about": ..., "rules": [...]}; a rule is

    {"id": "day-before-month",           unique over all the files; figures name it in their `rules` column
     "applies_to": "number.form",        where the engine applies it (APPLIES_TO)
     "when": {...},                      the pattern below, or {"in_code": "<module>"}
     "sets": {"figure": false},          what it decides (keys of SETS)
     "why": "...",
     "examples": [{"text": ..., "expect": [...]}],          sentences of our own where the rule applies,
     "counterexamples": [{"text": ..., "expect": [...]}]}   and near misses where it does not

An example's `expect` lists every figure of its text: "killed civilians 12", "injured total -" (no value),
"killed total 30 about" (a qualifier other than exact), with " of N" (a breakdown of casualty figure N),
" superseded", " disputed" when so; "munition mortar 2".
`mentions` (optional) gives entity mentions: [{"text": ..., "type": "armed_group"}].

Rules applied by the engine to a number (applies_to "number.<phase>") decide when their pattern matches, the
first matching rule of a phase deciding: most reject the number ({"figure": false}); those of phase strike
may instead make it a munition figure ({"munition_type": ...}), those of phase victim set its victim group, those of phase outcome may set the outcome instead.
The phases come in the order the engine reads a number: number (the number alone), form (with its
neighbours), named (once what it counts is read), untyped_weapon (a weapon noun of no known type), strike
(strikes and sorties), counted (after weapons and strikes are taken), typed (after the counted noun typed
it), outcome (after the outcome cue is read), victim (last). Rules of a dual or singular noun (applies_to
"noun.read", "noun.outcome") reject it before anything else is read / once its outcome is read; they read
only the sentence, the outcome, the victim group and whether the noun is definite (NOUN_ATOMS). Rules of
phase figure.dispute mark a casualty figure disputed ({"disputed": true}) once the document's figures are
read; they read its sentence, outcome, victim group and value (FIGURE_ATOMS). Rules of phase weapon.read
reject a weapon noun named without a number (WEAPON_ATOMS). Rules whose
condition is still engine code say {"in_code": "<module of conflict_text.figures>"}: that module records
their id where it applies them.

The pattern language of `when` is documented, checked and compiled in patterns.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import SimpleNamespace

from conflict_text.figures.patterns import (
    FIGURE_ATOMS,
    NOUN_ATOMS,
    NUMBER_ATOMS,
    WEAPON_ATOMS,
    PatternCompiler,
    RuleError,
    word_lists,
)

FILE_KEYS = {"about", "rules"}
RULE_KEYS = {"id", "applies_to", "when", "sets", "why", "examples", "counterexamples"}
REQUIRED_KEYS = RULE_KEYS - {"counterexamples"}
EXAMPLE_KEYS = {"text", "expect", "mentions", "published"}
NUMBER_PHASES = ("number", "form", "named", "untyped_weapon", "strike", "counted", "typed", "outcome", "victim")
NOUN_PHASES = ("read", "outcome")
WEAPON_PHASES = ("read",)
FIGURE_PHASES = ("supersede", "dispute")
# phase (applies_to) -> its attribute in RuleTable.phase
PHASES = {
    **{f"number.{p}": p for p in NUMBER_PHASES},
    **{f"noun.{p}": f"noun_{p}" for p in NOUN_PHASES},
    **{f"weapon.{p}": f"weapon_{p}" for p in WEAPON_PHASES},
    **{f"figure.{p}": f"figure_{p}" for p in FIGURE_PHASES},
}
# what the rules of a phase decide: a phase not named here only rejects ({"figure": false})
PHASE_DECISIONS = {
    "number.outcome": {"figure", "outcome"},
    "number.strike": {"figure", "munition_type"},
    "number.victim": {"victim_group"},
    "figure.supersede": {"superseded"},
    "figure.dispute": {"disputed"},
}
APPLIES_TO = {*PHASES, "number", "noun", "weapon", "structure", "attributes"}
SETS = {
    "figure",
    "kind",
    "outcome",
    "victim_group",
    "munition_type",
    "value",
    "qualifier",
    "unit",
    "parent",
    "superseded",
    "disputed",
    "merged_into",
    "location",
    "perpetrator",
    "claimant",
    "period",
}
ENGINE_MODULES = {"number_candidates", "noun_candidates", "munitions", "document", "structure", "qualifiers", "figures"}


@dataclass(frozen=True)
class Rule:
    id: str
    file: str
    applies_to: str
    when: dict
    sets: dict
    why: str
    examples: tuple[dict, ...]
    counterexamples: tuple[dict, ...]
    test: str | None  # the pattern as a Python expression over `ctx` (None for a rule whose condition is engine code)


@dataclass(frozen=True)
class RuleTable:
    rules: dict[str, Rule]
    # number phase -> the compiled test of its rules, in file order: phase.form(ctx) is the id of the first
    # rule of phase "form" that rejects the number of `ctx`, or None (attributes: called for every number)
    phase: SimpleNamespace


def _check_examples(where: str, rule: dict, key: str) -> tuple[dict, ...]:
    examples = rule.get(key, [])
    if not isinstance(examples, list):
        raise RuleError(f"{where}: {key} must be a list")
    for example in examples:
        if not isinstance(example, dict) or not {"text", "expect"} <= set(example) or set(example) - EXAMPLE_KEYS:
            raise RuleError(
                f"{where}: each of {key} has text and expect (and optionally mentions, published), "
                f"not {sorted(example) if isinstance(example, dict) else example!r}"
            )
    return tuple(examples)


def load_rules(files: dict[str, str], phrase_lists: frozenset[str], predicates: dict[str, Callable]) -> RuleTable:
    """The table of the rule files given as name -> JSON text; raises RuleError naming the file and rule."""
    compiler = PatternCompiler(word_lists(), phrase_lists, predicates)
    rules: dict[str, Rule] = {}
    for name, text in sorted(files.items()):
        data = json.loads(text)
        if not isinstance(data, dict) or set(data) - FILE_KEYS or "rules" not in data:
            raise RuleError(f"{name}: a rule file is an object with 'rules' (and 'about') only")
        for raw in data["rules"]:
            rule_id = raw.get("id") if isinstance(raw, dict) else None
            where = f"{name}: rule {rule_id or '(no id)'}"
            if not isinstance(raw, dict) or set(raw) - RULE_KEYS:
                raise RuleError(f"{where}: unknown keys {sorted(set(raw) - RULE_KEYS)}")
            if REQUIRED_KEYS - set(raw):
                raise RuleError(f"{where}: missing {sorted(REQUIRED_KEYS - set(raw))}")
            if rule_id in rules:
                raise RuleError(f"{where}: the id is also used in {rules[rule_id].file}")
            if raw["applies_to"] not in APPLIES_TO:
                raise RuleError(f"{where}: applies_to {raw['applies_to']!r} is not one of {sorted(APPLIES_TO)}")
            if not isinstance(raw["sets"], dict) or set(raw["sets"]) - SETS:
                raise RuleError(f"{where}: sets may only name {sorted(SETS)}")
            examples = _check_examples(where, raw, "examples")
            if not examples:
                raise RuleError(f"{where}: a rule needs at least one example")
            when = raw["when"]
            if isinstance(when, dict) and set(when) == {"in_code"}:
                if when["in_code"] not in ENGINE_MODULES:
                    raise RuleError(f"{where}: in_code names no module of the engine: {when['in_code']!r}")
                test = None
            elif raw["applies_to"] in PHASES:
                decides = PHASE_DECISIONS.get(raw["applies_to"], {"figure"})
                if (
                    not raw["sets"]
                    or set(raw["sets"]) - decides
                    or raw["sets"].get("figure", False) is not False
                    or any(raw["sets"].get(flag, True) is not True for flag in ("superseded", "disputed"))
                ):
                    raise RuleError(
                        f"{where}: a rule of {raw['applies_to']} sets one of {sorted(decides)}"
                        f"{' (figure: false)' if 'figure' in decides else ''}"
                    )
                compiler.where = where
                compiler.atoms = {"noun": NOUN_ATOMS, "weapon": WEAPON_ATOMS, "figure": FIGURE_ATOMS}.get(
                    raw["applies_to"].split(".")[0], NUMBER_ATOMS
                )
                test = compiler.expression(when)
            else:
                raise RuleError(
                    f"{where}: only rules of a phase ({', '.join(PHASES)}) have patterns yet; "
                    f'the others say {{"in_code": module}}'
                )
            rules[rule_id] = Rule(
                rule_id,
                name,
                raw["applies_to"],
                when,
                raw["sets"],
                raw["why"],
                examples,
                _check_examples(where, raw, "counterexamples"),
                test,
            )
    phases = {
        attribute: compiler.phase([(r.id, r.test) for r in rules.values() if r.applies_to == phase and r.test])
        for phase, attribute in PHASES.items()
    }
    return RuleTable(rules, SimpleNamespace(**phases))


def rule_files() -> dict[str, str]:
    folder = resources.files("conflict_text").joinpath("data/figure_rules")
    return {f.name: f.read_text("utf-8") for f in folder.iterdir() if f.name.endswith(".json")}


@cache
def rule_table() -> RuleTable:
    """The rule table of data/figure_rules/, loaded and validated once."""
    from conflict_text.figures.lexicon import lexicon
    from conflict_text.figures.predicates import PREDICATES

    return load_rules(rule_files(), frozenset(lexicon().phrases.lists), PREDICATES)
