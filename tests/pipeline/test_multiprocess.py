"""The same code on Dagster's multiprocess executor: each step in its own process, several batches."""

import shutil

import dagster as dg

from ledger.inbox import plan_batch
from ledger.settings import PROJECT_ROOT
from ledger.warehouse import Warehouse
from pipelines.definitions import ledger_batch_job

# Steps fork from a server that has imported the code location once, instead of each paying for it.
MULTIPROCESS = {
    "execution": {
        "config": {
            "multiprocess": {
                "max_concurrent": 2,
                "start_method": {"forkserver": {"preload_modules": ["pipelines.definitions", "great_expectations"]}},
            }
        }
    }
}


def test_batches_on_the_multiprocess_executor(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    shutil.copytree(PROJECT_ROOT / "seeds", inbox)
    warehouse = Warehouse(tmp_path / "warehouse")
    monkeypatch.setenv("INBOX_DIR", str(inbox))  # child processes rebuild the code location from these
    monkeypatch.setenv("WAREHOUSE_DIR", str(warehouse.root))
    plan = plan_batch(inbox, warehouse, max_files=3)
    assert len(plan.batches) == 2
    (tmp_path / "home").mkdir()
    with dg.DagsterInstance.local_temp(str(tmp_path / "home")) as instance:
        instance.add_dynamic_partitions("batches", plan.batches)
        for batch in plan.batches:
            result = dg.execute_job(
                dg.reconstructable(ledger_batch_job),
                instance=instance,
                tags={"dagster/partition": batch},
                run_config=MULTIPROCESS,
            )
            assert result.success
            pids = {e.pid for e in result.all_events if e.is_step_success}
            assert len(pids) > 1  # really one process per step
    with warehouse.connect_read_only() as con:
        assert con.execute("SELECT count(*), count(DISTINCT batch) FROM documents").fetchone() == (5, 2)
        assert con.execute("SELECT count(*) FROM casualty_figures WHERE value = 1945").fetchone() == (1,)
