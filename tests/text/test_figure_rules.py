"""The rule table of conflict_text/data/figure_rules/: its examples are the tests of the engine's rules.

Every rule's examples must give the figures they expect with the rule firing (making, typing or rejecting a
number or noun); its counterexamples must give theirs without it. The schema is strict: a broken rule
file fails its load with the file and rule named.
"""

import json
import re
from pathlib import Path

import pytest

from conflict_text.figures.explain import describe, explain, run_example
from conflict_text.figures.lexicon import lexicon
from conflict_text.figures.patterns import RuleError
from conflict_text.figures.predicates import PREDICATES
from conflict_text.figures.rules import load_rules, rule_files, rule_table

ENGINE = Path(__file__).resolve().parents[2] / "conflict_text" / "figures"
RULES = sorted(rule_table().rules.values(), key=lambda r: (r.file, r.id))
CASES = [
    pytest.param(rule, kind, example, id=f"{rule.id}:{kind}{i}")
    for rule in RULES
    for kind, examples in (("example", rule.examples), ("counterexample", rule.counterexamples))
    for i, example in enumerate(examples)
]


@pytest.mark.parametrize("rule, kind, example", CASES)
def test_rule_examples(rule, kind, example):
    figures, fired = run_example(example)
    where = f"rule {rule.id} ({rule.file}), {kind} «{example['text']}»"
    assert describe(figures) == example["expect"], where
    if kind == "example":
        assert rule.id in fired, f"{where}: the rule did not fire (fired: {sorted(fired)})"
    else:
        assert rule.id not in fired, f"{where}: the rule fired"


def test_every_rule_the_engine_names_is_in_the_table_and_back():
    """Rule ids are the kebab-case strings of the engine; a rule whose condition is code is named there."""
    named = {m for path in ENGINE.glob("*.py") for m in re.findall(r'"([a-z]+(?:-[a-z]+)+)"', path.read_text("utf-8"))}
    table = rule_table().rules
    assert named - set(table) == set()
    assert {r.id for r in table.values() if r.test is None} - named == set()


def test_the_engine_knows_no_arabic_word_outside_its_comments():
    for path in ENGINE.glob("*.py"):
        code = "\n".join(line.split("#")[0] for line in path.read_text("utf-8").splitlines())
        code = re.sub(r'"""(?:.|\n)*?"""', "", code)
        words = sorted(set(re.findall(r"[\u0621-\u064a]+", code)))
        assert words == [], f"{path.name}: {words}"


def _load(rules: list[dict]):
    return load_rules(
        {"test.json": json.dumps({"about": "a test", "rules": rules})}, frozenset(lexicon().phrases.lists), PREDICATES
    )


def _rule(**changes) -> dict:
    rule = {
        "id": "a-rule",
        "applies_to": "number.form",
        "when": {"word": 1, "in": "months"},
        "sets": {"figure": False},
        "why": "a test",
        "examples": [{"text": "قتل 3 مدنيين.", "expect": ["killed civilians 3"]}],
    }
    return {k: v for k, v in {**rule, **changes}.items() if v is not None}


@pytest.mark.parametrize(
    "rule, message",
    [
        (_rule(colour="red"), r"test.json: rule a-rule: unknown keys \['colour'\]"),
        (_rule(when={"word": 1, "in": "no_such_list"}), r"test.json: rule a-rule: unknown word list 'no_such_list'"),
        (_rule(when={"sentence_has": "no_such_list"}), r"test.json: rule a-rule: unknown phrase list"),
        (_rule(when={"word": 1, "in": "months", "colour": 1}), r"test.json: rule a-rule: unknown pattern keys"),
        (_rule(when={"predicate": "no_such_predicate"}), r"test.json: rule a-rule: unknown predicate"),
        (_rule(examples=[]), r"test.json: rule a-rule: a rule needs at least one example"),
        (_rule(examples=None), r"test.json: rule a-rule: missing \['examples'\]"),
        (_rule(examples=[{"text": "قتل 3 مدنيين."}]), r"test.json: rule a-rule: each of examples has text and expect"),
        (_rule(sets={"colour": "red"}), r"test.json: rule a-rule: sets may only name"),
        (_rule(applies_to="number.later"), r"test.json: rule a-rule: applies_to 'number.later'"),
        (_rule(when={"in_code": "nowhere"}), r"test.json: rule a-rule: in_code names no module"),
        (
            _rule(sets={"victim_group": "fighters"}),
            r"test.json: rule a-rule: a rule of number.form sets one of \['figure'\]",
        ),
        (
            _rule(applies_to="number.victim"),
            r"test.json: rule a-rule: a rule of number.victim sets one of \['victim_group'\]",
        ),
        (_rule(when={"phrase_before": "strike_verb"}), r"test.json: rule a-rule: 'phrase_before' needs 'within'"),
        (_rule(applies_to="noun.read"), r"test.json: rule a-rule: a rule of its phase may not read \['in', 'word'\]"),
    ],
)
def test_a_broken_rule_fails_the_load_naming_file_and_rule(rule, message):
    with pytest.raises(RuleError, match=message):
        _load([rule])


def test_rule_ids_are_unique_over_all_files():
    files = rule_files()
    twice = {"other.json": json.dumps({"rules": [json.loads(next(iter(files.values())))["rules"][0]]})}
    with pytest.raises(RuleError, match="the id is also used in"):
        load_rules({**files, **twice}, frozenset(lexicon().phrases.lists), PREDICATES)


def test_explain_names_the_rules_of_each_number():
    decisions = explain("قتل 12 مدنيا يوم 3 آذار بينهم 4 أطفال.", [], None)
    assert [(d.surface, d.verdict, d.rules) for d in decisions] == [
        ("12", "killed civilians 12", ("number-counts-victims", "outcome-cue-before")),
        ("3", "rejected", ("day-before-month",)),
        ("4", "killed children 4 of 0", ("number-counts-victims", "outcome-cue-before", "breakdown-marker")),
    ]


def test_the_explain_command_prints_each_number_with_its_rules(capsys):
    from pipelines.__main__ import main

    assert main(["explain", "قتل 12 مدنيا يوم 3 آذار."]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "«12» [4:6] killed civilians 12: number-counts-victims, outcome-cue-before",
        "«3» [17:18] rejected: day-before-month",
    ]
