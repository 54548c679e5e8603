"""A process's memory: freed pages handed back to the system, long-lived objects kept out of the
garbage collector's way, and everything left to the system at the process's end."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import gc
import os
import sys
from collections.abc import Iterator
from typing import NoReturn


def release_freed_memory(collect_garbage: bool = False) -> None:
    """Has glibc and Arrow return the free pages they keep to the system, after collecting garbage
    (cycles) when asked: a full collection walks every object of the process, 0.1-0.2 s in a run's.

    Both keep what a process frees for later allocations: glibc's heap, fragmented by many small
    objects (a batch's texts and rows), stays at its highest size, and so does Arrow's pool (the text
    workers' tables arrive in it). A long-lived process, or one about to fork workers that each map
    its pages, would otherwise carry its largest stage's memory to the end of the run.
    """
    if collect_garbage:
        gc.collect()
    if trim := getattr(ctypes.CDLL(None), "malloc_trim", None):  # glibc only
        trim(0)
    if (arrow := sys.modules.get("pyarrow")) is not None:  # never imported just for this
        arrow.default_memory_pool().release_unused()


@contextlib.contextmanager
def collection_deferred() -> Iterator[None]:
    """Start-up without the garbage collector, then what it made kept out of later collections.

    Importing Dagster or GX and opening the instance make hundreds of thousands of objects that live
    as long as the process, and cycles that are garbage hardly any. Collected as they come, they cost
    a run over 20 articles six full collections (0.6-1.5 s, 0 to 10 objects found each), and every
    later full collection walks them all again. So the block runs with automatic collection off, and
    what it leaves is frozen (`gc.freeze`): later collections walk only what the run itself makes.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def end_process(code: int) -> NoReturn:
    """Ends the process with `code` once its work is written: the exit functions that libraries
    registered run (logging's, multiprocessing's), the interpreter's teardown does not. That teardown
    frees every module and object one at a time, 0.5-1 s with Dagster or GX loaded, which the user
    (or the run, for its validator process) waits for, and has DuckDB's bindings report the objects
    that `collection_deferred` froze as leaked. Also callable as an exit function itself."""
    atexit.unregister(end_process)
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
