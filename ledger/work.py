"""What a run has to do, found without Dagster: new batches, batches not yet published, published
batches whose code or gazetteer changed, and whether the gazetteer must be staged again.

A nightly run with nothing to do stops here, without paying for Dagster's or GX's imports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from conflict_text.gazetteer import Gazetteer
from ledger.inbox import InboxPlan, pending_batches, plan_batch
from ledger.stages import first_outdated_stage
from ledger.summary import RunSummary
from ledger.tables import GAZETTEER_ENTITIES
from ledger.warehouse import Warehouse


@dataclass
class Work:
    plan: InboxPlan
    pending: list[str]  # planned, not yet published: run end to end, oldest first
    outdated: dict[str, str]  # published batch -> the stage to re-extract it from
    gazetteer_stale: bool

    @property
    def idle(self) -> bool:
        return not (self.pending or self.outdated or self.gazetteer_stale)


def find_work(
    inbox: Path,
    warehouse: Warehouse,
    gazetteer: Gazetteer,
    reextract_from: str | None = None,
    settle_seconds: float = 0.0,
) -> Work:
    warehouse.recover()
    warehouse.remember_stage_files()
    plan = plan_batch(inbox, warehouse, settle_seconds=settle_seconds)
    publication = warehouse.current_publication()
    pending = pending_batches(warehouse)
    outdated = {}
    for batch in sorted(publication.batches):
        stage = reextract_from or first_outdated_stage(publication.versions.get(batch, {}), gazetteer)
        if stage:
            outdated[batch] = stage
    has_batches = bool(pending or publication.batches)
    gazetteer_stale = has_batches and publication.table_versions.get(GAZETTEER_ENTITIES.name) != gazetteer.version
    return Work(plan, pending, outdated, gazetteer_stale)


def run_once(
    inbox: Path,
    warehouse: Warehouse,
    gazetteer: Gazetteer,
    execute: Callable[[Work], RunSummary],
    reextract_from: str | None = None,
    settle_seconds: float = 0.0,
) -> RunSummary:
    """One run per warehouse at a time: finds the work and hands it to `execute` (Dagster), unless
    there is none, in which case nothing heavier than the summary is loaded. Every run leaves a
    catalog, even one whose only batch was blocked: its views are then empty."""
    with warehouse.lock("run"):
        work = find_work(inbox, warehouse, gazetteer, reextract_from, settle_seconds)
        summary = RunSummary(work.plan) if work.idle else execute(work)
        warehouse.ensure_catalog()
        summary.current = warehouse.view_counts()
        return summary
