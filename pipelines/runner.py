"""One pass over the inbox: plan a batch, run every pending batch, re-extract outdated ones, summarise.

`make run` and the nightly schedule share the planning; `make run` also executes in-process
against the real Dagster instance (DAGSTER_HOME), so its runs, checks and lineage show in the UI.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import dagster as dg

from assets.versions import STAGES, first_outdated_stage
from pipelines.definitions import build_definitions
from pipelines.inbox import InboxPlan, pending_batches, plan_batch
from pipelines.partitions import batches
from pipelines.resources import LedgerStorage
from pipelines.tables import GAZETTEER_ENTITIES, SOURCE_FILES

GAZETTEER_KEY = dg.AssetKey("gazetteer_entities")
# The run's own log goes to the Dagster instance (the UI); the terminal gets warnings and the summary.
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
# The assets each text stage re-materialises when re-extracted from it, publication included.
_STAGE_ASSETS = {"documents": ["documents"], "entity_mentions": ["entity_mentions"],
                 "figures": ["casualty_figures", "munitions_figures"]}


def assets_from(stage: str) -> list[dg.AssetKey]:
    later = STAGES[STAGES.index(stage):]
    return [dg.AssetKey(name) for s in later for name in _STAGE_ASSETS[s]] + [dg.AssetKey("publication")]


@dataclass
class BatchOutcome:
    batch: str
    published: bool
    statuses: dict[str, int]
    checks_passed: int
    checks_failed: list[str]
    from_stage: str | None = None  # set when a published batch was re-extracted from this stage


@dataclass
class RunSummary:
    plan: InboxPlan
    batches: list[BatchOutcome] = field(default_factory=list)
    reextracted: list[BatchOutcome] = field(default_factory=list)
    current: dict[str, int] = field(default_factory=dict)
    gazetteer_refreshed: bool = False

    @property
    def ok(self) -> bool:
        return all(b.published for b in self.batches + self.reextracted)

    def lines(self) -> list[str]:
        status = lambda key: sum(b.statuses.get(key, 0) for b in self.batches)  # noqa: E731
        runs = self.batches + self.reextracted
        out = [
            f"inbox: {self.plan.new} new, {self.plan.changed} changed, {self.plan.deleted} deleted, {self.plan.unchanged} unchanged",
            f"batches run: {len(self.batches)}" + (f" ({', '.join(b.batch for b in self.batches)})" if self.batches else " (nothing new)"),
            f"documents: {status('document')} processed, {status('duplicate')} duplicate, {status('rejected')} rejected, "
            f"{status('deferred')} deferred, {status('deleted')} deleted",
        ]
        if self.gazetteer_refreshed:
            out.append("gazetteer: changed, staged for publication")
        if self.reextracted:
            stages = sorted({b.from_stage for b in self.reextracted})
            out.append(f"re-extracted: {len(self.reextracted)} published batches from {', '.join(stages)} (code or gazetteer changed)")
        out.append(f"checks: {sum(b.checks_passed for b in runs)} passed, {sum(len(b.checks_failed) for b in runs)} failed")
        out += [f"  BLOCKED batch {b.batch}: failing {', '.join(b.checks_failed)} (previous publication kept)"
                for b in runs if not b.published]
        if self.current:
            out.append("published now: " + ", ".join(f"{n} {view}" for view, n in self.current.items()))
        return out


def _gazetteer_is_stale(storage: LedgerStorage, instance: dg.DagsterInstance) -> bool:
    published = GAZETTEER_ENTITIES.name in storage.warehouse.current_publication().tables
    staged = storage.warehouse.staged_path(GAZETTEER_ENTITIES).exists()
    event = instance.get_latest_materialization_event(GAZETTEER_KEY)
    version = event.asset_materialization.tags.get("dagster/data_version") if event and event.asset_materialization else None
    return not (published or staged) or version != storage.gazetteer.version


def _statuses(storage: LedgerStorage, batch: str) -> dict[str, int]:
    try:
        ledger = storage.warehouse.read_batch(SOURCE_FILES, batch, columns=["status"])
    except FileNotFoundError:
        return {}
    return dict(ledger.group_by("status").len().iter_rows())


def _describe_failure(evaluation: dg.AssetCheckEvaluation) -> str:
    failures = evaluation.metadata.get("failures")
    details = "; ".join(
        f'{f["expectation"]} on {f["unexpected_count"]} rows, e.g. {f["failing_rows"][:3]}'
        for f in (failures.value if isinstance(failures, dg.JsonMetadataValue) else []))
    return f"{evaluation.check_name} [{details}]"


def run_batch(defs: dg.Definitions, instance: dg.DagsterInstance, storage: LedgerStorage, batch: str,
              from_stage: str | None = None) -> BatchOutcome:
    """Runs a batch end to end, or (from_stage) re-extracts a published batch from that stage on."""
    if not instance.has_dynamic_partition(batches.name, batch):
        instance.add_dynamic_partitions(batches.name, [batch])
    result = defs.resolve_job_def("ledger_batch").execute_in_process(
        instance=instance, partition_key=batch, raise_on_error=False, run_config=QUIET, asset_selection=assets_from(from_stage) if from_stage else None)
    evaluations = result.get_asset_check_evaluations()
    failed = [_describe_failure(e) for e in evaluations if not e.passed]
    failed += [f"step {e.step_key} errored: {e.step_failure_data.error.message.strip()}" for e in result.all_events
               if e.is_step_failure and e.step_failure_data.error.cls_name != "DagsterAssetCheckFailedError"]
    published = any(e.asset_key == dg.AssetKey("publication") for e in result.get_asset_materialization_events())
    statuses = {} if from_stage else _statuses(storage, batch)
    return BatchOutcome(batch, published, statuses, len(evaluations) - len(failed), failed, from_stage)


def reextract(defs: dg.Definitions, instance: dg.DagsterInstance, storage: LedgerStorage,
              from_stage: str | None = None) -> list[BatchOutcome]:
    """Re-extracts published batches without re-ingesting: those whose recorded stage versions are
    outdated (from their earliest outdated stage), or every one from `from_stage` when given."""
    publication = storage.warehouse.current_publication()
    outcomes = []
    for batch in sorted(publication.batches):
        stage = from_stage or first_outdated_stage(publication.versions.get(batch, {}), storage.gazetteer)
        if stage:
            outcomes.append(run_batch(defs, instance, storage, batch, from_stage=stage))
    return outcomes


def run_inbox(storage: LedgerStorage, instance: dg.DagsterInstance, reextract_from: str | None = None) -> RunSummary:
    """Plans a batch from the inbox, runs every batch not yet published (oldest first), then
    re-extracts published batches whose code or gazetteer changed."""
    defs = build_definitions(storage)
    warehouse = storage.warehouse
    with warehouse.lock("run"):  # one run at a time per warehouse
        summary = RunSummary(plan_batch(storage.inbox, warehouse))
        if _gazetteer_is_stale(storage, instance):
            defs.resolve_job_def("gazetteer_refresh").execute_in_process(instance=instance, run_config=QUIET)
            summary.gazetteer_refreshed = True
        for batch in pending_batches(warehouse):
            summary.batches.append(run_batch(defs, instance, storage, batch))
        summary.reextracted = reextract(defs, instance, storage, reextract_from)
        if warehouse.catalog_path.exists():
            with warehouse.connect_read_only() as con:
                summary.current = {view: con.execute(f"SELECT count(*) FROM {view}").fetchone()[0]  # fixed names
                                   for view in ("documents", "rejected_documents", "casualty_figures", "munitions_figures", "entity_mentions")}
    return summary
