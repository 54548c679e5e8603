"""A process's start-up kept out of the garbage collector's way, and its end without teardown."""

import gc
import subprocess
import sys

from ledger.memory import collection_deferred
from ledger.settings import PROJECT_ROOT


def test_what_start_up_made_is_left_out_of_later_collections():
    frozen_before = gc.get_freeze_count()
    try:
        with collection_deferred():
            assert not gc.isenabled()
            made = [[] for _ in range(1000)]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen_before + len(made)
    finally:
        gc.unfreeze()


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT)


def test_a_process_ended_without_teardown_runs_its_exit_functions_flushes_and_keeps_its_code():
    ended = _run(
        "import atexit; from ledger.memory import end_process;"
        "atexit.register(print, 'exit function ran'); print('work', end=''); end_process(3)"
    )
    assert (ended.returncode, ended.stdout) == (3, "workexit function ran\n")


def test_registered_as_an_exit_function_it_runs_the_others_once():
    ended = _run(
        "import atexit, sys; from ledger.memory import end_process;"
        "atexit.register(print, 'registered first'); atexit.register(end_process, 0); sys.exit(0)"
    )
    assert (ended.returncode, ended.stdout, ended.stderr) == (0, "registered first\n", "")
