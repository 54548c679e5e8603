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

The pattern language. A pattern is a dict of conditions that must all hold (a list of patterns too):
    {"word": REL, "in": LIST}         the word at REL is in word list LIST: REL -1, -2 count back from the
                                      number, 1, 2 forward from it past quotes, brackets and dashes
                                      (from phase "named" on, also past a breakdown marker: «5 منهم»);
                                      "counted" is the noun the number counts (after «من», «عدد» ...)
      + "bare": true                  ... or is once a clitic is taken off it
    {"word": REL, "is": [...]}        the word is written so
    {"word": REL, "ends_name": true}  the word ends the name of an entity mention
    {"phrase_before": LIST, "within": N}  a phrase of LIST lies in the N characters before the number
                                      (or figure), or anywhere before it in its sentence: "within": "sentence"
    {"words": [REL, REL], "in": LIST} the two words, as one phrase, are in LIST
    {"number_kind": [...]}            digits, words, mixed, vague (numbers.scan_numbers); date, time ... otherwise
    {"fraction": true}                the value is not a whole number
    {"value_between": [LOW, HIGH]}    the value, inclusive
    {"counted_role": [...]}           the counted noun is a victim, outcome, munition or others noun
    {"sentence": "covid" | "population"}  the sentence reports COVID-19 / a population (data/figure_lexicon.json)
    {"sentence_has": LIST}            a phrase of LIST occurs in the sentence
    {"outcome": [...]}, {"victim": [...]}  the outcome, the victim group read so far (null for none)
    {"outcome_from": "cue_before" | "cue_after"}  the outcome was read from a cue before / after the number
    {"victim_read": true}             a victim group was read from the counted noun
    {"value_known": true}             the number has a value (it is not «عشرات», «مئات» ...)
    {"breakdown": true}               (figure phases) the figure is a breakdown of another
    {"weapon_typed": true}            (weapon phases) the weapon phrase names a munition type
    {"noun_form": [...]}              (weapon phases) singular, dual, construct_dual or plural
    {"counts_singly": true}           (weapon phases) the lexicon counts an indefinite singular as one
    {"modified": true}                (weapon phases) words after the noun extended its phrase or type
    {"definite": true}                the number carries the article («الـ13»)
    {"predicate": NAME}               a named predicate of conflict_text.figures.predicates
    {"not": PATTERN}, {"any": [PATTERN, ...]}
LIST is a section of data/figure_lexicon.json that holds words (a list, or a table keyed by words), or a
list inside a section ("strike_times.nouns"); a phrase LIST is one of the lists the phrase matcher reads
(conflict_text.figures.lexicon: "strike_verb", "losses", "refiner regime_forces" ...).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import SimpleNamespace

from conflict_text.figures.lexicon import in_vocab, lexicon_data
from conflict_text.figures.phrases import phrase_key
from conflict_text.normalize import fold

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
# every key of the pattern language
ATOMS = {
    "word",
    "words",
    "in",
    "is",
    "bare",
    "ends_name",
    "phrase_before",
    "within",
    "victim",
    "number_kind",
    "fraction",
    "value_between",
    "counted_role",
    "breakdown",
    "weapon_typed",
    "noun_form",
    "counts_singly",
    "modified",
    "sentence",
    "sentence_has",
    "outcome",
    "outcome_from",
    "victim_read",
    "value_known",
    "definite",
    "predicate",
    "not",
    "any",
    "in_code",
}
# what the rules of noun phases may read: a noun has no neighbouring words or number form
NOUN_ATOMS = {"sentence", "sentence_has", "outcome", "outcome_from", "victim", "definite", "predicate", "not", "any"}
# ... of weapon phases, which see a weapon noun named without a number
WEAPON_ATOMS = {
    "sentence",
    "sentence_has",
    "definite",
    "value_known",
    "weapon_typed",
    "noun_form",
    "counts_singly",
    "modified",
    "predicate",
    "not",
    "any",
}
# ... of figure phases, which see a casualty figure once the document's figures are read
FIGURE_ATOMS = {
    "sentence",
    "sentence_has",
    "phrase_before",
    "within",
    "outcome",
    "victim",
    "value_known",
    "breakdown",
    "predicate",
    "not",
    "any",
}
# ... and of number phases
NUMBER_ATOMS = ATOMS - {"breakdown", "weapon_typed", "noun_form", "counts_singly", "modified"}


class RuleError(ValueError):
    """A rule file that breaks the schema; the message names the file and the rule."""


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


def _word_lists() -> dict[str, frozenset[str]]:
    """The sections of the figure lexicon that hold words, as folded phrase keys."""
    lists = {}
    for name, section in lexicon_data().items():
        if isinstance(section, dict) and all(isinstance(v, (int, str)) for v in section.values()):
            lists[name] = list(section)  # a table keyed by words: months -> number, carrier nouns -> unit ...
        elif isinstance(section, list) and all(isinstance(w, str) for w in section):
            lists[name] = section
        elif isinstance(section, dict):  # lists inside a section: "strike_times.nouns"
            lists.update(
                (f"{name}.{key}", words)
                for key, words in section.items()
                if isinstance(words, list) and all(isinstance(w, str) for w in words)
            )
    return {
        name: frozenset(phrase_key(fold(w)) for w in words) for name, words in lists.items() if name != "_doc" and words
    }


_ALL_ROLES = frozenset({"victim", "outcome", "munition", "others"})  # the kinds of role in the noun lexicon
_NOUN_FORMS = frozenset({"singular", "dual", "construct_dual", "plural"})  # the forms of a noun in the lexicon


class _Compiler:
    """Compiles a pattern into a Python expression over `ctx`, a number's context
    (conflict_text.figures.number_candidates.NumberContext); the constants it needs go to `self.names`.
    A phase's rules become one function of such expressions: no call per rule or condition at run time."""

    def __init__(self, lists: dict[str, frozenset[str]], phrase_lists: frozenset[str], predicates: dict[str, Callable]):
        self.lists, self.phrase_lists, self.predicates = lists, phrase_lists, predicates
        self.names: dict[str, object] = {"phrase_key": phrase_key, "in_vocab": in_vocab}
        self.where = ""
        self.atoms = ATOMS  # what the patterns of the rule being compiled may read

    def fail(self, message: str):
        raise RuleError(f"{self.where}: {message}")

    def constant(self, value) -> str:
        name = f"_c{len(self.names)}"
        self.names[name] = value
        return name

    def expression(self, pattern) -> str:
        if isinstance(pattern, list):
            return "(" + " and ".join(self.expression(p) for p in pattern) + ")"
        if not isinstance(pattern, dict) or not pattern:
            self.fail(f"a pattern is a non-empty object or list, not {pattern!r}")
        unknown = set(pattern) - self.atoms
        if unknown:
            self.fail(
                f"unknown pattern keys {sorted(unknown)}"
                if set(pattern) - ATOMS
                else f"a rule of its phase may not read {sorted(unknown)}"
            )
        if "word" in pattern or "words" in pattern:
            return self._word(pattern)
        if "phrase_before" in pattern:
            return self._phrase_before(pattern)
        if len(pattern) > 1:
            return self.expression([{k: v} for k, v in pattern.items()])
        ((key, arg),) = pattern.items()
        if key == "not":
            return f"(not {self.expression(arg)})"
        if key == "any":
            return "(" + " or ".join(self.expression(p) for p in arg) + ")"
        if key == "number_kind":
            return f"(ctx.kind in {self.constant(frozenset(arg))})"
        if key == "fraction":
            fraction = "(ctx.ns.value is not None and not float(ctx.ns.value).is_integer())"
            return fraction if arg else f"(not {fraction})"
        if key == "value_between":
            low, high = (int(v) for v in arg)
            return f"(ctx.value is not None and {low} <= ctx.value <= {high})"
        if key == "counted_role":
            if set(arg) - _ALL_ROLES:
                self.fail(f"unknown roles {sorted(set(arg) - _ALL_ROLES)}")
            if set(arg) == _ALL_ROLES:
                return "bool(ctx.roles)"
            return f"any(r[0] in {self.constant(frozenset(arg))} for r in ctx.roles)"
        if key == "sentence":
            if arg not in ("covid", "population"):
                self.fail(f"unknown sentence property {arg!r}")
            return f"ctx.sent.{arg}"
        if key == "sentence_has":
            if arg not in self.phrase_lists:
                self.fail(f"unknown phrase list {arg!r}")
            return f"bool(ctx.doc.sentence_phrases({arg!r}, ctx.sent))"
        if key in ("outcome", "victim"):
            return f"(ctx.{key} in {self.constant(frozenset(arg))})"
        if key == "outcome_from":
            if arg not in ("cue_before", "cue_after"):
                self.fail(f"outcome_from is cue_before or cue_after, not {arg!r}")
            return f"(ctx.cue is not None and ctx.cue[0] {'>' if arg == 'cue_after' else '<='} ctx.at)"
        if key in ("breakdown", "counts_singly", "modified"):
            return f"(ctx.{key} is {bool(arg)})"
        if key == "weapon_typed":
            return f"(ctx.munition_type is {'not ' if arg else ''}None)"
        if key == "noun_form":
            if set(arg) - _NOUN_FORMS:
                self.fail(f"unknown noun forms {sorted(set(arg) - _NOUN_FORMS)}")
            return f"(ctx.noun_form in {self.constant(frozenset(arg))})"
        if key in ("victim_read", "value_known"):
            attribute = "victim" if key == "victim_read" else "value"
            return f"(ctx.{attribute} is {'not ' if arg else ''}None)"
        if key == "definite":
            return f"(ctx.definite is {bool(arg)})"
        if key == "predicate":
            if arg not in self.predicates:
                self.fail(f"unknown predicate {arg!r}")
            return f"{self.constant(self.predicates[arg])}(ctx)"
        self.fail(f"{key!r} is only valid next to 'word' or 'words'")

    def _token(self, rel) -> tuple[str, str]:
        """(the condition that the word at `rel` exists, the expression of its token)."""
        if rel == "counted":
            return "ctx.head is not None", "ctx.head"
        if isinstance(rel, int) and -3 <= rel <= -1:
            return f"len(ctx.before) >= {-rel}", f"ctx.before[{rel}]"
        if isinstance(rel, int) and 1 <= rel <= 3:
            return f"ctx.i + {rel - 1} < len(ctx.after)", f"ctx.after[ctx.i + {rel - 1}]"
        self.fail(f"a word position is -3..-1, 1..3 or 'counted', not {rel!r}")

    def _word(self, pattern: dict) -> str:
        rest = {k: v for k, v in pattern.items() if k not in ("word", "words", "in", "is", "bare", "ends_name")}
        if "words" in pattern:
            (exists1, first), (exists2, second) = (self._token(r) for r in pattern["words"])
            test = f"({exists1} and {exists2} and phrase_key({first}.text + ' ' + {second}.text) in {self._list(pattern.get('in'))})"
        else:
            exists, token = self._token(pattern["word"])
            if "in" in pattern:
                words = self._list(pattern["in"])
                # a token is one letter run (or digit run, or mark): its phrase key is itself, or empty for a joiner
                found = f"in_vocab({token}.text, {words})" if pattern.get("bare") else f"{token}.text in {words}"
            elif "is" in pattern:
                found = f"{token}.text in {self.constant(frozenset(pattern['is']))}"
            elif pattern.get("ends_name"):
                found = f"{token}.end in ctx.doc.name_end_set"
            else:
                self.fail("a 'word' condition needs 'in', 'is' or 'ends_name'")
            test = f"({exists} and {found})"
        return f"({test} and {self.expression(rest)})" if rest else test

    def _phrase_before(self, pattern: dict) -> str:
        name, within = pattern["phrase_before"], pattern.get("within")
        if name not in self.phrase_lists:
            self.fail(f"unknown phrase list {name!r}")
        if within == "sentence":
            start = "ctx.sent.start"
        elif isinstance(within, int) and within > 0:
            start = f"max(ctx.sent.start, ctx.at - {within})"
        else:
            self.fail("'phrase_before' needs 'within': a number of characters, or \"sentence\"")
        rest = {k: v for k, v in pattern.items() if k not in ("phrase_before", "within")}
        test = f"ctx.doc.has_phrase({name!r}, {start}, ctx.at)"
        return f"({test} and {self.expression(rest)})" if rest else test

    def _list(self, name) -> str:
        if name not in self.lists:
            self.fail(f"unknown word list {name!r}")
        return self.constant(self.lists[name])

    def phase(self, rules: list[tuple[str, str]]) -> Callable:
        """One function of a phase's (rule id, expression) pairs: the id of the first rule that holds, or None."""
        lines = ["def phase(ctx):"] + [f"    if {test}:\n        return {rule_id!r}" for rule_id, test in rules]
        namespace = dict(self.names)
        exec("\n".join(lines + ["    return None"]), namespace)
        return namespace["phase"]


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
    compiler = _Compiler(_word_lists(), phrase_lists, predicates)
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
