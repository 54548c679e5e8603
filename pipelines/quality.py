"""Great Expectations 1.x suites, stored as JSON under expectations/, run on staged tables.

A suite names its value sets as suite parameters ({"$PARAMETER": "outcome"}) filled from the
text package's vocabularies, so a vocabulary is written down once. Columns that a built-in
expectation cannot see directly (the text at a record's offsets, furniture markers left in a
body) are derived here, before validation, and named in the suite's "derived_columns".
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from conflict_text.vocabularies import vocabularies

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

_SAMPLE_ROWS = 10


@dataclass
class SuiteOutcome:
    suite: str
    passed: bool
    evaluated: int
    failed: list[dict[str, Any]] = field(default_factory=list)  # one entry per failing expectation


def load_suite(expectations_dir: Path, name: str) -> dict:
    return json.loads((Path(expectations_dir) / f"{name}.json").read_text("utf-8"))


@cache
def _context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.data_sources.add_pandas("staged_tables")
    return context


def _describe(result) -> dict[str, Any]:
    config = result.expectation_config
    detail = result.result or {}
    column = config.kwargs.get("column") or f'{config.kwargs.get("column_A")}/{config.kwargs.get("column_B")}'
    return {
        "expectation": f"{config.type}({column})",
        "unexpected_count": detail.get("unexpected_count"),
        "failing_rows": [
            {k: (None if v is None else str(v)) for k, v in row.items()} if isinstance(row, dict) else str(row)
            for row in (detail.get("unexpected_index_list") or [])[:_SAMPLE_ROWS]
        ],
        "observed": str(detail.get("observed_value")) if "observed_value" in detail else None,
        "error": _first_error(result.exception_info),
    }


def _first_error(exception_info: dict | None) -> str | None:
    """The message of an expectation that raised instead of evaluating (it counts as failed)."""
    for info in (exception_info or {}).values():
        if isinstance(info, dict) and info.get("raised_exception"):
            return str(info.get("exception_message"))[:500]
    return None


def validate(frame: pl.DataFrame, suite_definition: dict, id_columns: list[str]) -> SuiteOutcome:
    """Runs one suite on `frame`; failing expectations come back with sample failing rows by id."""
    import great_expectations as gx

    context = _context()
    # Keyed by content too: a suite edited while the process lives is registered afresh.
    digest = hashlib.sha1(json.dumps(suite_definition, sort_keys=True).encode()).hexdigest()[:12]
    name = f'{suite_definition["name"]}-{digest}'
    if name not in {s.name for s in context.suites.all()}:
        suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=suite_definition["expectations"]))
        asset = context.data_sources.get("staged_tables").add_dataframe_asset(name)
        batch = asset.add_batch_definition_whole_dataframe(name)
        context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
    definition = context.validation_definitions.get(name)
    parameters = {**{key: list(values) for key, values in vocabularies().items()}}
    result = definition.run(
        batch_parameters={"dataframe": frame.to_pandas()},
        expectation_parameters=parameters,
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": id_columns},
    )
    failed = [_describe(r) for r in result.results if not r.success]
    return SuiteOutcome(suite_definition["name"], bool(result.success), frame.height, failed)
