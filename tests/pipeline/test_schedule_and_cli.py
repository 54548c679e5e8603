"""The nightly schedule requests the pending work; `make run`'s idle path never starts Dagster."""

import os
import shutil
import subprocess
import sys

import dagster as dg

from ledger.settings import PROJECT_ROOT
from pipelines.definitions import build_definitions


def test_nightly_schedule_requests_every_pending_batch(ledger):
    defs = build_definitions(ledger.storage)
    schedule = defs.resolve_schedule_def("nightly_ledger")
    context = dg.build_schedule_context(
        instance=ledger.instance, repository_def=defs.get_repository_def(), resources={"storage": ledger.storage}
    )
    requests = schedule.evaluate_tick(context).run_requests
    [pending] = requests
    assert pending.partition_key and pending.asset_selection is None  # a new batch runs end to end
    assert ledger.instance.has_dynamic_partition("batches", pending.partition_key)
    assert ledger.run().ok  # the same batch, run by `make run`
    assert schedule.evaluate_tick(context).skip_message.startswith("nothing new")


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
