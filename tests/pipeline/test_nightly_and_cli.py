"""The nightly pass requests the pending work through the sensor's result; `make run`'s idle path
never starts Dagster."""

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime

import dagster as dg

from ledger.settings import PROJECT_ROOT
from pipelines.automation import night_due
from pipelines.definitions import build_definitions


def test_the_night_is_served_once_after_two_utc():
    assert night_due(datetime(2026, 3, 5, 1, 59, tzinfo=UTC), None) == "2026-03-04"  # before 02:00: the night before
    assert night_due(datetime(2026, 3, 5, 1, 59, tzinfo=UTC), "2026-03-04") is None
    assert night_due(datetime(2026, 3, 5, 2, 0, tzinfo=UTC), "2026-03-04") == "2026-03-05"
    assert night_due(datetime(2026, 3, 5, 23, 0, tzinfo=UTC), "2026-03-05") is None


def _tick(defs: dg.Definitions, ledger, cursor: str | None):
    sensor = defs.resolve_sensor_def("nightly_ledger")
    context = dg.build_sensor_context(
        instance=ledger.instance,
        instance_ref=ledger.instance.get_ref(),  # as the daemon has it: partition requests are resolved against it
        cursor=cursor,
        definitions=defs,
        resources={"storage": ledger.storage},
    )
    return sensor.evaluate_tick(context)


def test_nightly_tick_requests_partitions_and_runs_that_publish(ledger):
    defs = build_definitions(ledger.storage)
    tick = _tick(defs, ledger, None)
    [pending] = tick.run_requests
    assert pending.partition_key and pending.asset_selection is None  # a new batch runs end to end
    # The tick itself adds nothing to the instance: the partition comes as a request in its result.
    assert not ledger.instance.has_dynamic_partition("batches", pending.partition_key)
    [added] = tick.dynamic_partitions_requests
    assert added.partitions_def_name == "batches" and list(added.partition_keys) == [pending.partition_key]
    [gazetteer] = tick.asset_events  # the gazetteer files, seen for the first time
    assert gazetteer.asset_key == dg.AssetKey("gazetteer_files")
    assert gazetteer.tags["dagster/data_version"] == ledger.storage.gazetteer.version
    # What the daemon does with the result: add the partitions, record the events, launch the runs.
    ledger.instance.add_dynamic_partitions(added.partitions_def_name, added.partition_keys)
    ledger.instance.report_runless_asset_event(gazetteer)
    for request in tick.run_requests:
        result = defs.resolve_job_def("ledger_batch").execute_in_process(
            instance=ledger.instance, partition_key=request.partition_key, tags=request.tags
        )
        assert result.success
    published = ledger.instance.get_latest_materialization_event(dg.AssetKey("publication"))
    assert published and published.asset_materialization.partition == pending.partition_key
    assert ledger.query("SELECT count(*) FROM documents") == [(5,)]
    # The same night is served once; the next night finds nothing new, and the gazetteer unchanged.
    assert _tick(defs, ledger, tick.cursor).skip_message.startswith(f"the night of {tick.cursor} was served")
    next_night = _tick(defs, ledger, "2000-01-01")
    assert next_night.skip_message.startswith("nothing new") and not next_night.asset_events


def test_idle_run_does_not_start_dagster(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(PROJECT_ROOT / "seeds", inbox)
    (tmp_path / "home").mkdir()
    env = {
        **os.environ,
        "INBOX_DIR": str(inbox),
        "WAREHOUSE_DIR": str(tmp_path / "warehouse"),
        "DAGSTER_HOME": str(tmp_path / "home"),
    }
    probe = "import sys; from pipelines.__main__ import main; code = main(['run']); print('dagster loaded:', 'dagster' in sys.modules); sys.exit(code)"
    first = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert first.returncode == 0, first.stderr
    assert "5 processed" in first.stdout and "dagster loaded: True" in first.stdout
    second = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert second.returncode == 0, second.stderr
    assert "batches run: 0 (nothing new)" in second.stdout and "published now: 5 documents" in second.stdout
    assert "dagster loaded: False" in second.stdout
