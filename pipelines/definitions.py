"""The code location: assets, checks, the ledger job, the nightly schedule and resources."""
from __future__ import annotations

import dagster as dg

from assets import documents, entities, events, figures, publication, report
from assets.resources import LedgerStorage
from ledger.stages import PIPELINE
from pipelines.schedules import nightly_ledger

_asset_modules = [documents, entities, figures, events, publication, report]

ledger_job = dg.define_asset_job(
    "ledger_batch",
    selection=dg.AssetSelection.groups(*(stage.group for stage in PIPELINE), "publication"),
    description="Processes one inbox batch end to end and publishes it when every check passed.",
)
gazetteer_job = dg.define_asset_job(
    "gazetteer_refresh",
    selection=dg.AssetSelection.assets("gazetteer_entities"),
    description="Stages the gazetteer (checked) for the next publication.",
)



def build_definitions(storage: LedgerStorage) -> dg.Definitions:
    """The code location bound to one inbox, warehouse, suite folder and gazetteer."""
    return dg.Definitions(
        assets=dg.load_assets_from_modules(_asset_modules),
        asset_checks=dg.load_asset_checks_from_modules(_asset_modules),
        jobs=[ledger_job, gazetteer_job],
        schedules=[nightly_ledger],
        resources={"storage": storage},
    )


defs = build_definitions(LedgerStorage.from_environment())


def ledger_batch_job() -> dg.JobDefinition:
    """The batch job for executors that rebuild it in other processes (dg.reconstructable)."""
    return defs.resolve_job_def("ledger_batch")
