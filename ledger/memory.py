"""Handing memory a process no longer uses back to the system."""

from __future__ import annotations

import ctypes
import gc
import sys


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
