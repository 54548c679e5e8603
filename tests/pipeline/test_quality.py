"""The stored suites are valid GX 1.x suites, and a failing expectation names its failing rows."""

import json

import polars as pl
import pytest

from ledger import quality
from ledger.quality import load_suite, validate, validator_process
from ledger.settings import PROJECT_ROOT

SUITES = sorted((PROJECT_ROOT / "expectations").glob("*.json"))


@pytest.mark.parametrize("path", SUITES, ids=lambda p: p.stem)
def test_suite_is_a_valid_gx_suite(path):
    import great_expectations as gx

    definition = json.loads(path.read_text("utf-8"))
    assert definition["name"] == path.stem
    suite = gx.ExpectationSuite(name=definition["name"], expectations=definition["expectations"])
    assert len(suite.expectations) == len(definition["expectations"]) > 3


def test_failing_rows_are_reported_by_id():
    frame = pl.DataFrame(
        {
            "mention_id": ["m1", "m2", "m3"],
            "doc_id": ["d", "d", "d"],
            "entity_id": ["e", "e", "e"],
            "entity_type": ["location", "weapon", "person"],
            "match_source": ["gazetteer"] * 3,
            "name_ar": ["دوما", "دوما", "علوان"],
            "char_start": [0, 5, 9],
            "char_end": [4, 9, 14],
            "surface": ["دوما", "دوما", "علوان"],
            "span_text": ["دوما", "دوما", "علوا"],
            "latitude": [33.57, None, None],
            "geo_precision": [1, None, None],
        }
    )
    outcome = validate(frame, load_suite(PROJECT_ROOT / "expectations", "entity_mentions"), ["mention_id"])
    assert not outcome.passed
    # Without a doc_id the failing rows cannot be pinned on documents: the failures block the batch.
    failed = {f["expectation"]: f for f in outcome.blocking}
    assert set(failed) == {
        "expect_column_values_to_be_in_set(entity_type)",
        "expect_column_pair_values_to_be_equal(span_text/surface)",
    }
    assert [r["mention_id"] for r in failed["expect_column_values_to_be_in_set(entity_type)"]["failing_rows"]] == ["m2"]
    assert [
        r["mention_id"] for r in failed["expect_column_pair_values_to_be_equal(span_text/surface)"]["failing_rows"]
    ] == ["m3"]


def _mentions(doc_ids: list[str], entity_types: list[str]) -> pl.DataFrame:
    n = len(doc_ids)
    return pl.DataFrame(
        {
            "mention_id": [f"m{i}" for i in range(n)],
            "doc_id": doc_ids,
            "entity_id": ["e"] * n,
            "entity_type": entity_types,
            "match_source": ["gazetteer"] * n,
            "name_ar": ["دوما"] * n,
            "char_start": [0] * n,
            "char_end": [4] * n,
            "surface": ["دوما"] * n,
            "span_text": ["دوما"] * n,
            "latitude": [33.57] * n,
            "geo_precision": [1] * n,
        }
    )


def test_rows_failing_a_row_level_expectation_quarantine_their_document():
    suite = load_suite(PROJECT_ROOT / "expectations", "entity_mentions")
    frame = _mentions(
        ["d1", "d1", "d2", "d3", "d4", "d5"], ["weapon", "weapon", "location", "person", "location", "media"]
    )

    outcome = validate(frame, suite, ["mention_id", "doc_id"], documents=5, quarantine_max_share=0.2)

    assert outcome.blocking == [] and not outcome.passed
    assert outcome.quarantined_documents == ["d1"]
    [record] = outcome.quarantined
    assert record["expectation"] == "expect_column_values_to_be_in_set(entity_type)" and "weapon" in record["reason"]


def test_the_validator_process_gives_what_this_process_gives():
    suite = load_suite(PROJECT_ROOT / "expectations", "entity_mentions")
    frame = _mentions(["d1", "d1", "d2", "d3"], ["weapon", "weapon", "location", "person"])
    here = validate(frame, suite, ["mention_id", "doc_id"], documents=4, quarantine_max_share=0.5)
    with validator_process(PROJECT_ROOT / "expectations"):
        registered = quality._validator.submit(_registered_suites).result()
        there = validate(frame, suite, ["mention_id", "doc_id"], documents=4, quarantine_max_share=0.5)
        first_use = quality._validator.submit(_scipy_stats_on_first_use).result()
    assert there == here and {q["doc_id"] for q in there.quarantined} == {"d1"}
    # Every suite was registered as the process started, before the first check asked for one.
    assert registered == sorted(p.stem for p in SUITES)
    # GX and the suites ran without importing scipy.stats, which its first use imports for real.
    assert first_use == ("_ImportedOnFirstUse", "module", 0.693)


def _registered_suites() -> list[str]:
    return sorted(s.name.rsplit("-", 1)[0] for s in quality._context().suites.all())


def _scipy_stats_on_first_use() -> tuple[str, str, float]:
    import sys

    from scipy import stats

    before = type(sys.modules["scipy.stats"]).__name__
    entropy = round(float(stats.entropy([0.5, 0.5])), 3)
    return before, type(sys.modules["scipy.stats"]).__name__, entropy


def test_quarantining_more_than_the_share_or_every_document_blocks_the_batch():
    suite = load_suite(PROJECT_ROOT / "expectations", "entity_mentions")
    two_of_five = _mentions(["d1", "d2", "d3", "d4", "d5"], ["weapon", "weapon", "location", "person", "media"])
    outcome = validate(two_of_five, suite, ["mention_id", "doc_id"], documents=5, quarantine_max_share=0.2)
    assert outcome.quarantined == [] and "more than 20% of the batch's 5 documents" in outcome.blocking[0]["error"]
    only_one = _mentions(["d1"], ["weapon"])
    outcome = validate(only_one, suite, ["mention_id", "doc_id"], documents=1, quarantine_max_share=1.0)
    assert outcome.quarantined == [] and "every document" in outcome.blocking[0]["error"]


def test_a_quarantine_reason_shows_the_failing_part_in_at_most_200_characters():
    frame = pl.DataFrame(
        {"doc_id": ["d1", "d2"], "body": ["نص سليم " * 50, "نص " * 5000 + "مشاهدة 48,213" + " نص" * 5000]}
    )
    suite = {
        "name": "bodies",
        "expectations": [
            {
                "type": "expect_column_values_to_not_match_regex_list",
                "kwargs": {"column": "body", "regex_list": [r"مشاهدة [\d,]+"]},
                "meta": {"scope": "row"},
            }
        ],
    }
    [record] = validate(frame, suite, ["doc_id"], documents=2, quarantine_max_share=0.5).quarantined
    assert record["doc_id"] == "d2" and "مشاهدة 48,213" in record["reason"] and len(record["reason"]) <= 200


def test_bounds_must_match_the_qualifier():
    from assets.figures import _bounds_match_qualifier

    frame = pl.DataFrame(
        {
            "qualifier": ["exact", "exact", "more_than", "less_than", "less_than", "vague", "about"],
            "value": [5, 5, 200, 20, 20, None, 100],
            "value_low": [5, 4, 200, None, None, None, None],
            "value_high": [5, 5, None, 19, 20, None, None],
        }
    )
    assert frame.select(_bounds_match_qualifier())["bounds_match_qualifier"].to_list() == [
        True,
        False,
        True,
        True,
        False,
        True,
        True,
    ]
