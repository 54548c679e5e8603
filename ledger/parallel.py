"""One function over many documents, on every core: the text stages' loop over a batch.

The workers are forked from the stage's process, so they inherit the documents and everything the
text functions have loaded (the gazetteer's automaton, the lexicons, the rule tables) instead of
each loading or receiving a copy: only chunk bounds go out. Before forking, the first document runs
here: it loads what the text functions build lazily, once, for all the workers to share.

What comes back is a chunk's rows already made into one Arrow table per output table: a few
buffers to pass and concatenate instead of a dict per row, so neither the work of building the
tables nor a Python object per row stays in the stage's process. A batch too small to fork makes
its tables the same way, as one chunk, so the frames are the serial loop's either way.

A worker runs pure Python (conflict_text) and pyarrow only. Polars, whose thread pool the parent
has started, must not run in a forked child; Arrow re-creates its thread pools after a fork.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, TypeVar

from ledger.memory import release_freed_memory
from ledger.tables import Table, arrow_rows

if TYPE_CHECKING:
    import polars as pl
    import pyarrow as pa

Item = TypeVar("Item")

# Below this many documents forking costs more than it saves (a run over 20 articles stays serial).
MIN_PARALLEL_ITEMS = 64
# Chunks per worker: small enough that the last chunks do not leave the other cores idle at the end
# (about 80 documents each in a batch of 5,000 on two cores, a fifth of a second of figures), large
# enough that each result message carries many documents.
CHUNKS_PER_WORKER = 32

# One document's rows for each output table, in the order of the tables.
RowsPerTable = Sequence[list[dict]]

# The work of the current parallel map, inherited by the forked workers (never pickled).
_work: tuple[Callable, Sequence, list[pa.Schema]] | None = None


class RowsByDocument:
    """A frame's rows grouped by document (`doc_id`), for a text function to look up its document's.

    Each row is a tuple of the named columns' values, in their order, made once here: the text
    functions' records are built from it positionally (`EntityMention(*row)`), without a dict per
    row in between. A dict or an object per row made up front in the stage's process was most of
    its serial part; a tuple per row costs a fraction of it.
    """

    def __init__(self, frame: pl.DataFrame, columns: list[str]):
        rows = list(zip(*(frame[name].to_list() for name in columns), strict=True))
        indexed = frame.select("doc_id").with_row_index("row")
        self._rows = {
            doc_id: [rows[i] for i in indices]
            for doc_id, indices in indexed.group_by("doc_id", maintain_order=True).agg("row").iter_rows()
        }

    def __call__(self, doc_id: str) -> list[tuple]:
        """The document's rows, in the frame's order; none for a document without rows."""
        return self._rows.get(doc_id, [])


def _tables_of_chunk(bounds: tuple[int, int]) -> list[pa.Table]:
    function, items, schemas = _work
    rows: list[list[dict]] = [[] for _ in schemas]
    for item in items[bounds[0] : bounds[1]]:
        for table_rows, produced in zip(rows, function(item), strict=True):
            table_rows.extend(produced)
    return [arrow_rows(table_rows, schema) for table_rows, schema in zip(rows, schemas, strict=True)]


def map_documents(
    function: Callable[[Item], RowsPerTable], items: Sequence[Item], tables: Sequence[Table], workers: int
) -> list[pl.DataFrame]:
    """The rows `function` gives each item for each of `tables`, in item order, as one frame per table;
    on up to `workers` processes when there are enough items."""
    global _work
    _work = (function, items, [table.arrow_schema() for table in tables])
    try:
        if workers < 2 or len(items) < MIN_PARALLEL_ITEMS:
            chunks = [_tables_of_chunk((0, len(items)))]
        else:
            chunks = [_tables_of_chunk((0, 1))]
            size = max(1, -(-(len(items) - 1) // (workers * CHUNKS_PER_WORKER)))
            bounds = [(start, min(start + size, len(items))) for start in range(1, len(items), size)]
            # The workers map the heap as it is now: without the pages earlier stages freed, every worker's
            # would count them again, as their own once touched.
            release_freed_memory()
            # The workers' garbage collector would otherwise walk, and so copy, every page of objects they inherit.
            gc.freeze()
            try:
                with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                    chunks += pool.map(_tables_of_chunk, bounds)
            finally:
                gc.unfreeze()
    finally:
        _work = None
    return [table.from_arrow([chunk[i] for chunk in chunks]) for i, table in enumerate(tables)]
