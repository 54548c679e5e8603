"""One blocking asset check per staged table, each running that table's GX suite.

Blocking: a batch-level failure (severity ERROR) stops every downstream step of the run, so the
publication step never promotes the batch; the previous publication stays as it was. Rows that
fail a row-level expectation quarantine their documents instead: the check fails with severity
WARN, which does not block, records the documents in the stage's quarantine table, and the
publication keeps them out of every view.
"""

from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime

import dagster as dg
import polars as pl

from assets.partitions import batches
from assets.resources import LedgerStorage
from ledger.quality import SuiteOutcome, load_suite, start_validation, validator_running
from ledger.stages import QUARANTINE_TABLES
from ledger.tables import CLEANED_DOCUMENTS, Table
from ledger.warehouse import Warehouse

# Adds the columns a suite's expectations name but the table does not store (e.g. the text at
# a record's offsets), given the staged frame, the warehouse and the batch.
Derivation = Callable[[pl.DataFrame, Warehouse, "str | None"], pl.DataFrame]
_EXAMPLES = 3  # quarantined documents shown in the check's metadata and the run summary


def _quarantine_table(table: Table) -> Table | None:
    return next((q for q in QUARANTINE_TABLES if q.name == f"quarantine_{table.name}"), None)


# Suites begun by their stage's step once it has written its tables, by (table, batch, Dagster run):
# the validator process runs them while Dagster records that step and starts the checks' steps.
_begun: dict[tuple[str, str | None, str], tuple[Future[SuiteOutcome], pl.DataFrame | None]] = {}


def begin_suite(
    table: Table, storage: LedgerStorage, batch: str, run_id: str, id_columns: list[str], derive: Derivation | None
) -> None:
    """Starts the suite of `table`'s staged batch in the validator process, whose check (in the same
    Dagster run and process) takes its result. Without a validator process (a run of the multiprocess
    executor, whose check runs in another process than its stage) the check runs its suite itself."""
    if validator_running():
        _begun[(table.name, batch, run_id)] = _start_suite(table, storage, batch, id_columns, derive)


def _start_suite(
    table: Table, storage: LedgerStorage, batch: str | None, id_columns: list[str], derive: Derivation | None
) -> tuple[Future[SuiteOutcome], pl.DataFrame | None]:
    """The suite of `table`'s staged batch, started, and the batch's documents (doc_id, source_name)
    when a failing row quarantines its document."""
    frame = storage.warehouse.read_batch(table, batch)
    if derive is not None:
        frame = derive(frame, storage.warehouse, batch)
    documents = None
    if _quarantine_table(table) is not None:
        documents = storage.warehouse.read_batch(CLEANED_DOCUMENTS, batch, columns=["doc_id", "source_name"])
    running = start_validation(
        frame,
        load_suite(storage.expectations, table.name),
        id_columns,
        documents=None if documents is None else documents.height,
        quarantine_max_share=storage.quarantine_max_share,
        docs_root=storage.warehouse.root,
        run_name=batch,
    )
    return running, documents


def suite_check(
    table: Table,
    asset: dg.AssetKey | str,
    id_columns: list[str],
    derive: Derivation | None = None,
    partitioned: bool = True,
) -> dg.AssetChecksDefinition:
    quarantine = _quarantine_table(table)

    @dg.asset_check(
        asset=asset,
        name=f"{table.name}_expectations",
        description=f"Great Expectations suite expectations/{table.name}.json on the staged {table.name}."
        + (
            " Rows failing a row-level expectation quarantine their documents (severity WARN);"
            " any other failure blocks the batch."
            if quarantine
            else ""
        ),
        blocking=True,
        partitions_def=batches if partitioned else None,
    )
    def _check(context: dg.AssetCheckExecutionContext, storage: LedgerStorage) -> dg.AssetCheckResult:
        batch = context.partition_key if partitioned else None
        begun = _begun.pop((table.name, batch, context.run.run_id), None)
        running, documents = begun or _start_suite(table, storage, batch, id_columns, derive)
        outcome = running.result()
        metadata = {
            "rows": outcome.evaluated,
            "expectations_evaluated": len(outcome.expectations),
            "expectations_passed": sum(e["passed"] for e in outcome.expectations),
            # Which expectations ran and how each fared, readable in the UI without unfolding JSON.
            "expectations": dg.MetadataValue.md(
                "\n".join(
                    f"- {'passed' if e['passed'] else '**failed**'}: `{e['expectation']}`" for e in outcome.expectations
                )
            ),
            "expectations_failed": len(outcome.blocking),
            "failures": dg.MetadataValue.json(outcome.blocking) if outcome.blocking else dg.MetadataValue.text("none"),
            # Every expectation with its result and failing rows, as GX renders them (ledger/data_docs.py).
            "data_docs": dg.MetadataValue.path(str(outcome.data_docs_page)),
        }
        if quarantine is not None:
            names = dict(documents.iter_rows())
            records = [
                {
                    **q,
                    "source_name": names.get(q["doc_id"]),
                    "stage": table.name,
                    "quarantined_at": datetime.now(UTC),
                    "batch": batch,
                }
                for q in outcome.quarantined
            ]
            storage.warehouse.write_staged(quarantine, batch, quarantine.frame(records))
            first_per_document = {}
            for r in records:
                first_per_document.setdefault(r["doc_id"], r)
            metadata["quarantined_documents"] = len(first_per_document)
            metadata["quarantined_examples"] = dg.MetadataValue.json(
                [
                    {k: r[k] for k in ("source_name", "doc_id", "reason")}
                    for r in list(first_per_document.values())[:_EXAMPLES]
                ]
            )
        return dg.AssetCheckResult(
            passed=outcome.passed,
            severity=dg.AssetCheckSeverity.ERROR
            if outcome.blocking or not outcome.quarantined
            else dg.AssetCheckSeverity.WARN,
            metadata=metadata,
        )

    return _check
