"""Great Expectations 1.x suites, stored as JSON under expectations/, run on staged tables.

A suite names its value sets as suite parameters ({"$PARAMETER": "outcome"}) filled from the
text package's vocabularies, so a vocabulary is written down once. Columns that a built-in
expectation cannot see directly (the text at a record's offsets, furniture markers left in a
body) are derived here, before validation, and named in the suite's "derived_columns".

Each expectation is row-level («"meta": {"scope": "row"}»: a failing row condemns its document
alone, which is quarantined while the rest of the batch is published) or batch-level (the
default: schema, uniqueness, anything not about one document; a failure blocks the batch). Two
more batch-level rules come from the quarantine itself: a batch whose every document would be
quarantined, or more than `quarantine_max_share` of them, is blocked as a whole.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import importlib
import importlib.util
import json
import multiprocessing
import os
import re
import sys
import types
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

from conflict_text.vocabularies import vocabularies
from ledger import data_docs
from ledger.memory import collection_deferred, end_process, release_freed_memory

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

T = TypeVar("T")

_SAMPLE_ROWS = 10
# A failing value shown in the UI, the summary or a quarantine reason is cut to this many characters:
# a body that failed is a whole article, and once printed 1.9 MB to the terminal.
VALUE_CHARS = 200
ROW_SCOPE = "row"


def cut(value: Any) -> str | None:
    """A value as text of at most VALUE_CHARS characters, on one line."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 1] + "…"


@dataclass
class SuiteOutcome:
    suite: str
    evaluated: int
    blocking: list[dict[str, Any]] = field(default_factory=list)  # failures that hold the batch back
    quarantined: list[dict[str, Any]] = field(default_factory=list)  # one per (document, expectation)
    expectations: list[dict[str, Any]] = field(default_factory=list)  # every expectation run, and whether it passed
    data_docs_page: Path | None = None  # this run's Data Docs page, when asked for

    @property
    def passed(self) -> bool:
        return not self.blocking and not self.quarantined

    @property
    def quarantined_documents(self) -> list[str]:
        return list(dict.fromkeys(q["doc_id"] for q in self.quarantined))


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


def _validation_definition(context, suite_definition: dict):
    """The suite's validation definition in `context`, registered (suite, asset, batch definition)
    on first use."""
    import great_expectations as gx

    # Keyed by content too: a suite edited while the process lives is registered afresh.
    digest = hashlib.sha1(json.dumps(suite_definition, sort_keys=True).encode()).hexdigest()[:12]
    name = f"{suite_definition['name']}-{digest}"
    if name not in {s.name for s in context.suites.all()}:
        suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=suite_definition["expectations"]))
        asset = context.data_sources.get("staged_tables").add_dataframe_asset(name)
        batch = asset.add_batch_definition_whole_dataframe(name)
        context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
    return context.validation_definitions.get(name)


def _name(config) -> str:
    column = config.kwargs.get("column") or f"{config.kwargs.get('column_A')}/{config.kwargs.get('column_B')}"
    return f"{config.type}({column})"


def _describe(result) -> dict[str, Any]:
    detail = result.result or {}
    return {
        "expectation": _name(result.expectation_config),
        "unexpected_count": detail.get("unexpected_count"),
        "failing_rows": [
            {k: cut(v) for k, v in row.items()} if isinstance(row, dict) else cut(row)
            for row in (detail.get("unexpected_index_list") or [])[:_SAMPLE_ROWS]
        ],
        "observed": cut(detail.get("observed_value")) if "observed_value" in detail else None,
        "error": _first_error(result.exception_info),
    }


def _where_it_fails(config, value: Any) -> Any:
    """For a pattern the value must not match, the part of the value that matches it (with a little
    context): the start of a 2 MB body says nothing about why it failed."""
    kwargs = config.kwargs
    patterns = kwargs.get("regex_list") or ([kwargs["regex"]] if "regex" in kwargs else [])
    if not config.type.startswith("expect_column_values_to_not_match") or not isinstance(value, str):
        return value
    for pattern in patterns:
        if found := re.search(pattern, value):
            return "…" + value[max(0, found.start() - 40) : found.end() + 40] + "…"
    return value


def _quarantine(result, id_columns: list[str]) -> list[dict[str, Any]] | None:
    """One record per document whose rows fail a row-level expectation; None when the failure
    cannot be pinned on documents (the expectation raised, or rows lack a document id)."""
    config = result.expectation_config
    rows = (result.result or {}).get("unexpected_index_list")
    if (
        (config.meta or {}).get("scope") != ROW_SCOPE
        or "doc_id" not in id_columns
        or not rows
        or _first_error(result.exception_info)
        or any(not isinstance(r, dict) or r.get("doc_id") is None for r in rows)
    ):
        return None
    expectation, records = _name(config), {}
    for row in rows:
        shown = {k: _where_it_fails(config, v) for k, v in row.items() if k not in id_columns}
        value = "; ".join(f"{k}={cut(v)}" for k, v in shown.items())
        records.setdefault(
            row["doc_id"],
            {"doc_id": row["doc_id"], "expectation": expectation, "reason": cut(f"{expectation} failed on {value}")},
        )
    return list(records.values())


def _first_error(exception_info: dict | None) -> str | None:
    """The message of an expectation that raised instead of evaluating (it counts as failed)."""
    for info in (exception_info or {}).values():
        if isinstance(info, dict) and info.get("raised_exception"):
            return str(info.get("exception_message"))[:500]
    return None


# The process that runs the suites while a run's `validator_process()` block lasts; None: this one.
_validator: ProcessPoolExecutor | None = None


@contextlib.contextmanager
def validator_process(expectations_dir: Path | None = None) -> Iterator[None]:
    """Runs every suite of the block in a process of its own, which starts importing GX at once.

    Importing GX takes seconds, most of a small run's fixed cost. Started before the run imports
    Dagster and runs its first stages, the import proceeds on the other core meanwhile, and
    the first check finds GX ready, with every suite of `expectations_dir` registered. A fresh
    interpreter (spawn), not a fork: it inherits no thread pool of Polars or Arrow in an unknown state.
    """
    global _validator
    with ProcessPoolExecutor(
        1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_validator,
        initargs=(expectations_dir,),
    ) as pool:
        pool.submit(int)  # starts the process (and its import) now, not at the first check
        _validator = pool
        try:
            yield
        finally:
            _validator = None


# Modules GX imports for what no suite of expectations/ uses: a KL-divergence expectation, its altair
# chart and the distribution tests (scipy.stats). They are a third of GX's import (1 s of CPU of 2.7 s),
# which is on the critical path of a small run: the validator imports them on first use instead.
IMPORTED_ON_FIRST_USE = ("scipy.stats", "altair")


class _ImportedOnFirstUse(types.ModuleType):
    """Holds the place in sys.modules of a module not imported yet: `import m` and `from package
    import m` give this, and the first attribute asked of it imports the real module, which answers
    from then on."""

    def __getattr__(self, name: str) -> Any:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


def _import_on_first_use(names: tuple[str, ...]) -> None:
    for name in names:
        if name not in sys.modules and (spec := importlib.util.find_spec(name)) is not None:
            module = _ImportedOnFirstUse(name)
            module.__spec__ = spec  # what the import system asks of a module it finds in sys.modules
            sys.modules[name] = module


def validator_running() -> bool:
    """Whether this process runs its suites in a validator process (inside `validator_process()`)."""
    return _validator is not None


def _start_validator(expectations_dir: Path | None) -> None:
    """The validator process's start: GX's context, every suite registered before the first check
    asks for one, and two things that only a process living as long as a run and ended by its pool can do."""
    _import_on_first_use(IMPORTED_ON_FIRST_USE)
    # What GX builds here (about 280,000 objects) lives as long as the process: frozen, it is not walked
    # by the full collection after each suite (`_validate_and_release`), which then costs what that suite
    # made, not 0.1-0.2 s a suite, a dozen suites a batch, while the run waits.
    with collection_deferred():
        context = _context()
        for path in sorted(Path(expectations_dir).glob("*.json")) if expectations_dir else []:
            _validation_definition(context, json.loads(path.read_text("utf-8")))
    # Its pool ends it once the run is done with it, and waits: it ends without the interpreter's teardown.
    atexit.register(end_process, 0)


# The keyword arguments by which an expectation names the columns it reads.
_COLUMN_ARGUMENTS = ("column", "column_A", "column_B")
_COLUMN_LIST_ARGUMENTS = ("column_list",)


def suite_columns(suite_definition: dict, columns: list[str], id_columns: list[str]) -> list[str]:
    """The columns of `columns` that the suite's expectations read or that name a failing row, in
    table order; all of them when an expectation reads the table as a whole (its schema, its row count)."""
    read = set(id_columns)
    for expectation in suite_definition["expectations"]:
        kwargs = expectation["kwargs"]
        named = [kwargs[k] for k in _COLUMN_ARGUMENTS if k in kwargs]
        named += [c for k in _COLUMN_LIST_ARGUMENTS for c in kwargs.get(k, [])]
        if not named or "row_condition" in kwargs:
            return list(columns)
        read.update(named)
    return [c for c in columns if c in read]


def validate(*arguments, **keywords) -> SuiteOutcome:
    """`start_validation`, waited for: the suite's outcome."""
    return start_validation(*arguments, **keywords).result()


def start_validation(
    frame: pl.DataFrame,
    suite_definition: dict,
    id_columns: list[str],
    documents: int | None = None,
    quarantine_max_share: float = 0.0,
    docs_root: Path | None = None,
    run_name: str | None = None,
) -> Future[SuiteOutcome]:
    """Runs one suite on `frame`; failing expectations come back with sample failing rows by id.

    Rows failing a row-level expectation quarantine their documents (out of `documents` in the
    batch), unless that would quarantine every document or more than `quarantine_max_share` of
    them: then those failures block the batch, as batch-level ones always do. With `docs_root` (a
    warehouse), the run, named `run_name` (its batch), gets its Data Docs page there (ledger/data_docs.py).

    Inside `validator_process()` the suite runs in that process (the frame goes to it as Arrow IPC)
    while the caller goes on; without one it runs here, and the future is done when this returns.
    Only the columns the suite reads go there, and into GX's pandas frame, which copies them.
    """
    frame = frame.select(suite_columns(suite_definition, frame.columns, id_columns))
    arguments = (frame, suite_definition, id_columns, documents, quarantine_max_share, docs_root, run_name)
    return _begin(_validate_and_release, _validate, *arguments)


def _begin(in_validator: Callable[..., T], here: Callable[..., T], *arguments) -> Future[T]:
    """`in_validator(*arguments)` submitted to the validator process inside `validator_process()`;
    else `here(*arguments)` run now, its result (or error) in a future already done."""
    if _validator is not None:
        return _validator.submit(in_validator, *arguments)
    done: Future[T] = Future()
    try:
        done.set_result(here(*arguments))
    except Exception as error:  # raised where the result is asked for, as from the validator process
        done.set_exception(error)
    return done


def _validate_and_release(*arguments) -> SuiteOutcome:
    """_validate in the validator process, which then hands the memory of the suite's frames back to
    the system: it lives as long as the run, and would otherwise hold its largest table's pandas copy."""
    try:
        return _validate(*arguments)
    finally:
        release_freed_memory(collect_garbage=True)


def _validate(
    frame: pl.DataFrame,
    suite_definition: dict,
    id_columns: list[str],
    documents: int | None,
    quarantine_max_share: float,
    docs_root: Path | None,
    run_name: str | None,
) -> SuiteOutcome:
    from great_expectations.core.run_identifier import RunIdentifier

    context = _context()
    definition = _validation_definition(context, suite_definition)
    parameters = {**{key: list(values) for key, values in vocabularies().items()}}
    result = definition.run(
        batch_parameters={"dataframe": frame.to_pandas()},
        expectation_parameters=parameters,
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": id_columns},
        run_id=RunIdentifier(run_name=run_name, run_time=datetime.now(UTC)),
    )
    # GX's execution engine, one for the data source, keeps each asset's last dataframe: a pandas copy
    # of every table validated so far, which grew the validator process by each suite's largest batch.
    context.data_sources.get("staged_tables").get_execution_engine().batch_manager.batch_data_cache.clear()
    outcome = SuiteOutcome(suite_definition["name"], frame.height)
    row_failures = []
    for r in result.results:
        outcome.expectations.append({"expectation": _name(r.expectation_config), "passed": bool(r.success)})
        if r.success:
            continue
        records = _quarantine(r, id_columns)
        if records is None:
            outcome.blocking.append(_describe(r))
        else:
            row_failures.append((_describe(r), records))
    quarantined = [q for _, records in row_failures for q in records]
    share = len({q["doc_id"] for q in quarantined}) / documents if documents else 1.0
    if quarantined and (share >= 1.0 or share > quarantine_max_share):
        limit = (
            "every document"
            if share >= 1.0
            else f"more than {quarantine_max_share:.0%} of the batch's {documents} documents"
        )
        outcome.blocking += [
            {**failure, "error": f"row-level, but would quarantine {limit}"} for failure, _ in row_failures
        ]
    else:
        outcome.quarantined = quarantined
    if docs_root is not None:
        # A failing run's batch gets no report, which renders the pages of a run: this run renders its own.
        outcome.data_docs_page = data_docs.store_result(context, docs_root, result, render=not outcome.passed)
    return outcome


def start_rendering_data_docs(root: Path) -> Future[Path | None]:
    """Renders the Data Docs pages of the warehouse at `root` still missing, and its index; the future
    gives the index (None before any suite ran with docs). Inside `validator_process()`, in that
    process, while the caller goes on: this one need not import GX."""
    return _begin(_render_data_docs_here, _render_data_docs_here, root)


def _render_data_docs_here(root: Path) -> Path | None:
    return data_docs.render_pending(_context(), root)
