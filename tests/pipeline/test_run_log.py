"""The run log written while `make run` keeps Dagster's SQLite databases open holds every event afterwards."""

import dagster as dg

from pipelines.run_log import sqlite_flushed_at_checkpoints


@dg.op
def _count() -> int:
    return 3


@dg.job
def _counting():
    _count()


def test_every_event_is_kept_and_every_database_closed(tmp_path):
    with sqlite_flushed_at_checkpoints(), dg.DagsterInstance.local_temp(str(tmp_path)) as instance:
        run_id = _counting.execute_in_process(instance=instance).run_id
        written = len(instance.all_logs(run_id))
    assert written > 5
    assert not list(tmp_path.rglob("*.db-wal"))  # the last connections closed: each database checkpointed
    with dg.DagsterInstance.local_temp(str(tmp_path)) as again:
        assert len(again.all_logs(run_id)) == written
        assert again.get_run_by_id(run_id).is_success
