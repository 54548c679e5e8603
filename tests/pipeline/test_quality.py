"""The stored suites are valid GX 1.x suites, and a failing expectation names its failing rows."""
import json

import polars as pl
import pytest

from pipelines.quality import load_suite, validate
from pipelines.resources import PROJECT_ROOT

SUITES = sorted((PROJECT_ROOT / "expectations").glob("*.json"))


@pytest.mark.parametrize("path", SUITES, ids=lambda p: p.stem)
def test_suite_is_a_valid_gx_suite(path):
    import great_expectations as gx

    definition = json.loads(path.read_text("utf-8"))
    assert definition["name"] == path.stem
    suite = gx.ExpectationSuite(name=definition["name"], expectations=definition["expectations"])
    assert len(suite.expectations) == len(definition["expectations"]) > 3


def test_failing_rows_are_reported_by_id():
    frame = pl.DataFrame({
        "mention_id": ["m1", "m2", "m3"], "doc_id": ["d", "d", "d"], "entity_id": ["e", "e", "e"],
        "entity_type": ["location", "weapon", "person"], "match_source": ["gazetteer"] * 3,
        "name_ar": ["دوما", "دوما", "علوان"], "char_start": [0, 5, 9], "char_end": [4, 9, 14],
        "surface": ["دوما", "دوما", "علوان"], "span_text": ["دوما", "دوما", "علوا"],
    })
    outcome = validate(frame, load_suite(PROJECT_ROOT / "expectations", "entity_mentions"), ["mention_id"])
    assert not outcome.passed
    failed = {f["expectation"]: f for f in outcome.failed}
    assert set(failed) == {"expect_column_values_to_be_in_set(entity_type)", "expect_column_pair_values_to_be_equal(span_text/surface)"}
    assert [r["mention_id"] for r in failed["expect_column_values_to_be_in_set(entity_type)"]["failing_rows"]] == ["m2"]
    assert [r["mention_id"] for r in failed["expect_column_pair_values_to_be_equal(span_text/surface)"]["failing_rows"]] == ["m3"]


def test_bounds_must_match_the_qualifier():
    from assets.figures import _bounds_match_qualifier

    frame = pl.DataFrame({
        "qualifier": ["exact", "exact", "more_than", "less_than", "less_than", "vague", "about"],
        "value": [5, 5, 200, 20, 20, None, 100],
        "value_low": [5, 4, 200, None, None, None, None],
        "value_high": [5, 5, None, 19, 20, None, None],
    })
    assert frame.select(_bounds_match_qualifier())["bounds_match_qualifier"].to_list() == [True, False, True, True, False, True, True]
