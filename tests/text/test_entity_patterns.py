"""The patterns of entity discovery (conflict_text/data/entity_patterns.json): their examples are its tests.

Every pattern's examples must give the discovered mentions they expect, the pattern finding at least one of
them; its counterexamples must give theirs without the pattern finding anything. The schema is strict: a
broken pattern file fails its load with the file and pattern named.
"""

import json
from importlib import resources

import pytest

from conflict_text.entities import discovery_patterns, find_mentions
from conflict_text.entity_patterns import PatternError, entity_patterns, load_patterns, shipped_cue_lists

CASES = [
    pytest.param(pattern, kind, example, id=f"{pattern.id}:{kind}{i}")
    for pattern in entity_patterns().values()
    for kind, examples in (("example", pattern.examples), ("counterexample", pattern.counterexamples))
    for i, example in enumerate(examples)
]


@pytest.mark.parametrize("pattern, kind, example", CASES)
def test_pattern_examples(pattern, kind, example):
    text = example["text"]
    where = f"pattern {pattern.id}, {kind} «{text}»"
    found = [f"{m.entity_type} {m.surface}" for m in find_mentions(text) if m.match_source == "pattern"]
    assert found == example["expect"], where
    fired = [surface for pattern_id, surface in discovery_patterns(text) if pattern_id == pattern.id]
    if kind == "example":
        assert fired, f"{where}: the pattern found nothing"
        assert all(f"{pattern.finds} {surface}" in found for surface in fired), where
    else:
        assert not fired, f"{where}: the pattern found {fired}"


def _shipped() -> dict:
    text = resources.files("conflict_text").joinpath("data/entity_patterns.json").read_text("utf-8")
    return {p["id"]: p for p in json.loads(text)["patterns"]}


def _load(**changes) -> None:
    """Loads the shipped patterns with the facility pattern changed."""
    patterns = _shipped()
    changed = {k: v for k, v in {**patterns.pop("facility-name"), **changes}.items() if v is not None}
    load_patterns(json.dumps({"patterns": [changed, *patterns.values()]}), shipped_cue_lists(), "test.json")


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"colour": "red"}, r"test.json: pattern facility-name: unknown keys \['colour'\]"),
        (
            {"triggers": {"cues": ["facility_cue"]}},
            r"test.json: pattern facility-name: unknown cue lists \['facility_cue'\]",
        ),
        ({"triggers": {"clitic": "ka"}}, r"test.json: pattern facility-name: unknown clitic 'ka'"),
        ({"finds": "building"}, r"test.json: pattern facility-name: finds 'building', not an entity type"),
        ({"examples": []}, r"test.json: pattern facility-name: a pattern needs at least one example"),
        ({"examples": [{"text": "x", "expected": []}]}, r"test.json: pattern facility-name: each of examples is"),
        ({"id": "mosque-name"}, r"test.json: pattern mosque-name: the engine runs no such pattern"),
        ({"why": None}, r"test.json: pattern facility-name: missing \['why'\]"),
    ],
)
def test_a_broken_pattern_fails_its_load_naming_file_and_pattern(changes, message):
    with pytest.raises(PatternError, match=message):
        _load(**changes)


def test_a_pattern_the_engine_runs_may_not_be_left_out():
    with pytest.raises(PatternError, match=r"test.json: the engine runs patterns the file lacks: \['facility-name'"):
        others = [p for i, p in _shipped().items() if i != "facility-name"]
        load_patterns(json.dumps({"patterns": others}), shipped_cue_lists(), "test.json")
