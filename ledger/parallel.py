"""One function over many documents, on every core: the text stages' loop over a batch.

The workers are forked from the stage's process, so they inherit the documents and everything the
text functions have loaded (the gazetteer's automaton, the lexicons, the rule tables) instead of
each loading or receiving a copy: only chunk bounds go out and each chunk's results come back, in
order, so the output is the serial loop's. Before forking, the first document runs here: it loads
what the text functions build lazily, once, for all the workers to share.

A worker runs pure Python (conflict_text) only. Polars, whose thread pool the parent has started,
must not run in a forked child.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many documents forking costs more than it saves (a run over 20 articles stays serial).
MIN_PARALLEL_ITEMS = 64
# Chunks per worker: small enough that a slow chunk does not leave the other cores idle at the end,
# large enough that each result message carries many documents.
CHUNKS_PER_WORKER = 8

# The work of the current parallel map, inherited by the forked workers (never pickled).
_work: tuple[Callable, Sequence] | None = None


def _run_chunk(bounds: tuple[int, int]) -> list:
    function, items = _work
    return [function(item) for item in items[bounds[0] : bounds[1]]]


def map_documents(function: Callable[[Item], Result], items: Sequence[Item], workers: int) -> list[Result]:
    """[function(item) for item in items], on up to `workers` processes when there are enough items."""
    global _work
    if workers < 2 or len(items) < MIN_PARALLEL_ITEMS:
        return [function(item) for item in items]
    results = [function(items[0])]
    size = max(1, -(-(len(items) - 1) // (workers * CHUNKS_PER_WORKER)))
    chunks = [(start, min(start + size, len(items))) for start in range(1, len(items), size)]
    _work = (function, items)
    # The workers' garbage collector would otherwise walk, and so copy, every page of objects they inherit.
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            for chunk in pool.map(_run_chunk, chunks):
                results.extend(chunk)
    finally:
        gc.unfreeze()
        _work = None
    return results
