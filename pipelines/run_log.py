"""Dagster's SQLite run log without a disk flush per event, while a `make run` writes it.

Dagster's SQLite storage opens a connection per event (a run writes a few hundred) and closes it
again. Closing the last connection to a database in WAL mode checkpoints it, flushing the file to
disk, and each commit flushes the WAL (synchronous=FULL): on this project's machines each event cost
3 to 25 ms of waiting on the disk, seconds of a run over 20 articles. While the block runs, every
database Dagster opens stays open once more here, so closing Dagster's connection no longer
checkpoints, and Dagster's connections commit with synchronous=NORMAL, which in WAL mode flushes at
checkpoints only. A database is in WAL mode from its first connection: Dagster switches its new
databases (a new Dagster home's three, one per run) to WAL only after creating their tables and
indexes, each of which a rollback journal flushes on its own (about 200 flushes for a new home).
A crash of the process loses nothing; a power cut may lose the last events of the run log (never
the warehouse, whose files and publications are written atomically), and the database stays
consistent either way.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

from sqlalchemy import event
from sqlalchemy.engine import Engine


@contextlib.contextmanager
def sqlite_flushed_at_checkpoints() -> Iterator[None]:
    held: dict[str, sqlite3.Connection] = {}

    def on_connect(connection, _record) -> None:
        if not isinstance(connection, sqlite3.Connection):
            return
        connection.execute("PRAGMA journal_mode = WAL")  # persistent; what Dagster sets later anyway
        connection.execute("PRAGMA synchronous = NORMAL")
        for _seq, name, path in connection.execute("PRAGMA database_list").fetchall():
            if name == "main" and path:
                if path not in held:
                    held[path] = sqlite3.connect(path, check_same_thread=False)
                # A read joins the holder to the database's WAL, which Dagster may have switched on since.
                held[path].execute("SELECT count(*) FROM sqlite_master").fetchall()

    event.listen(Engine, "connect", on_connect)
    try:
        yield
    finally:
        event.remove(Engine, "connect", on_connect)
        for holder in held.values():
            holder.close()  # the last connection: checkpoints and flushes each database once
