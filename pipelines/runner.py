"""Executing a run's work in-process against the real Dagster instance (DAGSTER_HOME), so its runs,
checks and lineage show in the UI: stage the gazetteer when it changed, run every pending batch,
re-extract outdated published batches.
"""

from __future__ import annotations

import dagster as dg

from assets.partitions import batches
from assets.resources import LedgerStorage
from ledger.stages import QUARANTINE_TABLES, assets_from
from ledger.summary import BatchOutcome, RunSummary
from ledger.tables import SOURCE_FILES
from ledger.work import Work, run_once
from pipelines.automation import gazetteer_versions
from pipelines.definitions import build_definitions

# The run's own log goes to the Dagster instance (the UI); the terminal gets warnings and the summary.
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def _statuses(storage: LedgerStorage, batch: str) -> dict[str, int]:
    try:
        ledger = storage.warehouse.read_batch(SOURCE_FILES, batch, columns=["status"])
    except FileNotFoundError:
        return {}
    return dict(ledger.group_by("status").len().iter_rows())


def _quarantined(storage: LedgerStorage, batch: str) -> list[dict]:
    """The batch's quarantined documents (one record each, the earliest stage's), staged or published."""
    records = {}
    for table in QUARANTINE_TABLES:
        try:
            frame = storage.warehouse.read_batch(table, batch, columns=["doc_id", "source_name", "stage", "reason"])
        except FileNotFoundError:
            continue  # the stage did not run (an earlier check blocked the batch)
        for row in frame.iter_rows(named=True):
            records.setdefault(row["doc_id"], row)
    return list(records.values())


def _describe_failure(evaluation: dg.AssetCheckEvaluation) -> str:
    failures = evaluation.metadata.get("failures")
    details = "; ".join(
        f"{f['expectation']} on {f['unexpected_count']} rows, e.g. {f['failing_rows'][:3]}"
        for f in (failures.value if isinstance(failures, dg.JsonMetadataValue) else [])
    )
    return f"{evaluation.check_name} [{details}]"


def run_batch(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    storage: LedgerStorage,
    batch: str,
    from_stage: str | None = None,
) -> BatchOutcome:
    """Runs a batch end to end, or (from_stage) re-extracts a published batch from that stage on."""
    if not instance.has_dynamic_partition(batches.name, batch):
        instance.add_dynamic_partitions(batches.name, [batch])
    result = defs.resolve_job_def("ledger_batch").execute_in_process(
        instance=instance,
        partition_key=batch,
        raise_on_error=False,
        run_config=QUIET,
        asset_selection=[dg.AssetKey(name) for name in assets_from(from_stage)] if from_stage else None,
    )
    evaluations = result.get_asset_check_evaluations()
    # A check that failed with severity WARN quarantined documents; only ERROR blocks the batch.
    failed = [_describe_failure(e) for e in evaluations if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR]
    quarantining = [e for e in evaluations if not e.passed and e.severity == dg.AssetCheckSeverity.WARN]
    failed += [
        f"step {e.step_key} errored: {e.step_failure_data.error.message.strip()}"
        for e in result.all_events
        if e.is_step_failure and e.step_failure_data.error.cls_name != "DagsterAssetCheckFailedError"
    ]
    published = any(e.asset_key == dg.AssetKey("publication") for e in result.get_asset_materialization_events())
    statuses = {} if from_stage else _statuses(storage, batch)
    quarantined = _quarantined(storage, batch) if quarantining else []
    return BatchOutcome(
        batch,
        published,
        statuses,
        len(evaluations) - len(failed) - len(quarantining),
        failed,
        from_stage,
        quarantined,
        len(quarantining),
    )


def execute(work: Work, storage: LedgerStorage, instance: dg.DagsterInstance) -> RunSummary:
    defs = build_definitions(storage)
    summary = RunSummary(work.plan)
    for event in gazetteer_versions(instance, storage):
        instance.report_runless_asset_event(event)
    if work.gazetteer_stale:
        defs.resolve_job_def("gazetteer_refresh").execute_in_process(instance=instance, run_config=QUIET)
        summary.gazetteer_refreshed = True
    summary.batches = [run_batch(defs, instance, storage, batch) for batch in work.pending]
    summary.reextracted = [
        run_batch(defs, instance, storage, batch, from_stage=stage) for batch, stage in work.outdated.items()
    ]
    return summary


def run_inbox(storage: LedgerStorage, instance: dg.DagsterInstance, reextract_from: str | None = None) -> RunSummary:
    """Plans batches from the inbox and does all the work that follows, one run at a time per warehouse."""
    return run_once(
        storage.inbox,
        storage.warehouse,
        storage.gazetteer,
        lambda work: execute(work, storage, instance),
        reextract_from,
        storage.settle_seconds,
    )
