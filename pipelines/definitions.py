"""The code location: assets, checks, the ledger job, the nightly sensor and resources."""

from __future__ import annotations

import functools

import dagster as dg

import assets
from assets.resources import LedgerStorage
from ledger.stages import PIPELINE
from pipelines.automation import nightly_ledger

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


@functools.cache
def build_definitions(storage: LedgerStorage) -> dg.Definitions:
    """The code location bound to one inbox, warehouse, suite folder and gazetteer: built once per
    storage, so a `make run` reuses the code location this module built when it was imported."""
    return dg.Definitions(
        # Every asset and check the assets/ package defines: a new stage's module needs no list here.
        assets=dg.load_assets_from_package_module(assets),
        asset_checks=dg.load_asset_checks_from_package_module(assets),
        jobs=[ledger_job, gazetteer_job],
        sensors=[nightly_ledger],
        resources={"storage": storage},
    )


defs = build_definitions(LedgerStorage.from_environment())


def ledger_batch_job() -> dg.JobDefinition:
    """The batch job for executors that rebuild it in other processes (dg.reconstructable)."""
    return defs.resolve_job_def("ledger_batch")
