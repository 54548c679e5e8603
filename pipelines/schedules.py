"""The nightly schedule: at 02:00, plan a batch from the inbox and run every unpublished batch."""

import dagster as dg

from pipelines.inbox import pending_batches, plan_batch
from pipelines.partitions import batches
from pipelines.resources import LedgerStorage


@dg.schedule(
    cron_schedule="0 2 * * *",
    job_name="ledger_batch",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Plans a batch of what is new in the inbox and runs every batch not yet published.",
)
def nightly_ledger(context: dg.ScheduleEvaluationContext, storage: LedgerStorage):
    plan_batch(storage.inbox, storage.warehouse)
    pending = pending_batches(storage.warehouse)
    if not pending:
        return dg.SkipReason("nothing new in the inbox and no batch pending")
    # Schedules cannot return partition requests, so the partitions are added here before the runs.
    context.instance.add_dynamic_partitions(batches.name, [b for b in pending if not context.instance.has_dynamic_partition(batches.name, b)])
    return [dg.RunRequest(run_key=batch, partition_key=batch) for batch in pending]
