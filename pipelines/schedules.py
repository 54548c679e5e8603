"""The nightly schedule: at 02:00, plan batches from the inbox and run all pending work."""

import dagster as dg

from assets.partitions import batches
from assets.resources import LedgerStorage
from ledger.stages import assets_from
from ledger.work import find_work


@dg.schedule(
    cron_schedule="0 2 * * *",
    job_name="ledger_batch",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Plans batches of what is new in the inbox, runs every batch not yet published and "
    "re-extracts published batches whose code or gazetteer changed. (A changed gazetteer is staged "
    "by `make run` or by materialising gazetteer_entities.)",
)
def nightly_ledger(context: dg.ScheduleEvaluationContext, storage: LedgerStorage):
    work = find_work(storage.inbox, storage.warehouse, storage.gazetteer, settle_seconds=storage.settle_seconds)
    if not (work.pending or work.outdated):
        return dg.SkipReason("nothing new in the inbox, no batch pending, nothing outdated")
    # Schedules cannot return partition requests, so the partitions are added here before the runs.
    new = [b for b in work.pending if not context.instance.has_dynamic_partition(batches.name, b)]
    context.instance.add_dynamic_partitions(batches.name, new)
    requests = [dg.RunRequest(run_key=batch, partition_key=batch) for batch in work.pending]
    requests += [
        dg.RunRequest(
            run_key=f"{batch}:{stage}:{context.scheduled_execution_time:%Y%m%d}",
            partition_key=batch,
            asset_selection=[dg.AssetKey(name) for name in assets_from(stage)],
        )
        for batch, stage in work.outdated.items()
    ]
    return requests
