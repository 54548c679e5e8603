"""The pattern language of the rule table (rules.py), compiled into Python: one function per phase.

The pattern language. A pattern is a dict of conditions that must all hold (a list of patterns too):
    {"word": REL, "in": LIST}         the word at REL is in word list LIST: REL -1, -2 count back from the
                                      number, 1, 2 forward from it past quotes, brackets, dashes and «#»
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
    {"in_name": true}                 the number lies within the name of an entity mention («ناحية السبع بيار»)
    {"predicate": NAME}               a named predicate of conflict_text.figures.predicates
    {"not": PATTERN}, {"any": [PATTERN, ...]}
LIST is a section of data/figure_lexicon.json that holds words (a list, or a table keyed by words), "months" (the
month names of data/dates.json), or a
list inside a section ("strike_times.nouns"); a phrase LIST is one of the lists the phrase matcher reads
(conflict_text.figures.lexicon: "strike_verb", "losses", "refiner regime_forces" ...).
"""

from __future__ import annotations

from collections.abc import Callable

from conflict_text.dates import months
from conflict_text.figures.lexicon import in_vocab, lexicon_data
from conflict_text.figures.phrases import phrase_key
from conflict_text.normalize import fold

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
    "in_name",
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


def word_lists() -> dict[str, frozenset[str]]:
    """The sections of the figure lexicon that hold words, and the month names, as folded phrase keys."""
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
    lists["months"] = list(months())  # the month names of the one date table (data/dates.json)
    return {
        name: frozenset(phrase_key(fold(w)) for w in words) for name, words in lists.items() if name != "_doc" and words
    }


_ALL_ROLES = frozenset({"victim", "outcome", "munition", "others"})  # the kinds of role in the noun lexicon
_NOUN_FORMS = frozenset({"singular", "dual", "construct_dual", "plural"})  # the forms of a noun in the lexicon


class PatternCompiler:
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
        if key == "in_name":
            return f"(ctx.doc.in_name(ctx.ns.start, ctx.ns.end) is {bool(arg)})"
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
