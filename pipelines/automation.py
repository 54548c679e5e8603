"""The nightly pass: once a day after 02:00 UTC, plan batches from the inbox and request all pending work.

A sensor rather than a schedule, because only a sensor's result can carry the new batches'
dynamic-partition requests: the daemon adds the partitions and launches the runs from the
returned SensorResult, and the UI shows both on the tick. The cursor is the night last served.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import dagster as dg

from assets.partitions import batches
from assets.resources import LedgerStorage
from ledger.stages import assets_from
from ledger.work import find_work

NIGHTLY_HOUR_UTC = 2
CHECK_EVERY_SECONDS = 15 * 60


def night_due(now: datetime, last_night: str | None) -> str | None:
    """The night (the date of the latest 02:00 UTC) to serve now, or None when it was served."""
    night = (now.astimezone(UTC) - timedelta(hours=NIGHTLY_HOUR_UTC)).date().isoformat()
    return night if last_night is None or last_night < night else None


GAZETTEER_FILES = dg.AssetKey("gazetteer_files")
DATA_VERSION_TAG = "dagster/data_version"


def gazetteer_versions(instance: dg.DagsterInstance, storage: LedgerStorage) -> list[dg.AssetMaterialization]:
    """A materialisation of the external asset gazetteer_files when the files' content hash is not the
    one last reported (an edit, or the first run): its data version marks the entity stage stale."""
    version = storage.gazetteer.version
    latest = instance.get_latest_materialization_event(GAZETTEER_FILES)
    if latest and latest.asset_materialization.tags.get(DATA_VERSION_TAG) == version:
        return []
    return [
        dg.AssetMaterialization(
            asset_key=GAZETTEER_FILES,
            description="The gazetteer files changed (or were seen for the first time).",
            metadata={"gazetteer_version": version, "entities": len(storage.gazetteer.rows)},
            tags={DATA_VERSION_TAG: version},
        )
    ]


@dg.sensor(
    job_name="ledger_batch",
    minimum_interval_seconds=CHECK_EVERY_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Nightly, after 02:00 UTC: plans batches of what is new in the inbox, requests the new "
    "batches' partitions and a run for every batch not yet published, and re-extracts published batches "
    "whose code or gazetteer changed. (A changed gazetteer is staged by `make run` or by materialising "
    "gazetteer_entities.)",
)
def nightly_ledger(context: dg.SensorEvaluationContext, storage: LedgerStorage):
    night = night_due(datetime.now(UTC), context.cursor)
    if night is None:
        return dg.SkipReason(f"the night of {context.cursor} was served; next pass after 02:00 UTC")
    work = find_work(storage.inbox, storage.warehouse, storage.gazetteer, settle_seconds=storage.settle_seconds)
    observed = gazetteer_versions(context.instance, storage)
    if not (work.pending or work.outdated):
        return dg.SensorResult(
            skip_reason="nothing new in the inbox, no batch pending, nothing outdated",
            cursor=night,
            asset_events=observed,
        )
    new = [b for b in work.pending if not context.instance.has_dynamic_partition(batches.name, b)]
    # Run keys are unique over the sensor's life: the night in the key lets a blocked batch be retried.
    requests = [dg.RunRequest(run_key=f"{batch}:{night}", partition_key=batch) for batch in work.pending]
    requests += [
        dg.RunRequest(
            run_key=f"{batch}:{stage}:{night}",
            partition_key=batch,
            asset_selection=[dg.AssetKey(name) for name in assets_from(stage)],
        )
        for batch, stage in work.outdated.items()
    ]
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[batches.build_add_request(new)] if new else [],
        cursor=night,
        asset_events=observed,
    )
