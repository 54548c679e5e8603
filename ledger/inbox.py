"""Planning a batch: which inbox files are new, changed or deleted since the ledger last saw them.

The ledger is the union of the batch plans. A file is hashed only when its size or modification
time differs from what the ledger recorded, so a run with nothing new reads no file contents.
Symbolic links are never followed (a link is recorded and rejected by the batch instead).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from ledger.warehouse import Warehouse, write_parquet_atomically

PLAN_SCHEMA = pl.Schema(
    {
        "source_name": pl.String(),
        "sha256": pl.String(),
        "size_bytes": pl.Int64(),
        "mtime_ns": pl.Int64(),
        "change": pl.String(),  # new | changed | deleted
        "is_symlink": pl.Boolean(),
        "seen_at": pl.Datetime("us", "UTC"),
    }
)


@dataclass(frozen=True)
class InboxFile:
    source_name: str
    size_bytes: int
    mtime_ns: int
    is_symlink: bool


# A batch holds at most this many files, so a large delivery (a first run over a million files)
# streams through the pipeline batch by batch in bounded memory.
MAX_BATCH_FILES = 5000


@dataclass(frozen=True)
class InboxPlan:
    batches: list[str]
    new: int
    changed: int
    deleted: int
    unchanged: int
    settling: int = 0  # still changing after the settle wait: picked up by a later run
    settle_seconds: float = 0.0

    @property
    def empty(self) -> bool:
        return not (self.new or self.changed or self.deleted)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def scan_inbox(inbox: Path) -> Iterator[InboxFile]:
    """Regular files below the inbox (hidden files and folders skipped), links reported, never followed.

    Files in name order, each folder's own files before its subfolders' (os.walk's order). os.scandir
    and plain strings: with pathlib's parsing and a second lstat per file, listing 100,000 files took
    1.8 s instead of 0.5 s.
    """
    yield from _scan_folder(str(inbox), "")


def _scan_folder(folder: str, prefix: str) -> Iterator[InboxFile]:
    try:
        with os.scandir(folder) as listing:
            entries = sorted((e for e in listing if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError:
        return  # as os.walk: a folder that cannot be listed is passed over
    subfolders = []
    for entry in entries:
        if entry.is_dir():  # a link to a folder counts as a folder, as in os.walk, and is never entered
            subfolders.append(entry)
            continue
        stat = entry.stat(follow_symlinks=False)
        yield InboxFile(prefix + entry.name, stat.st_size, stat.st_mtime_ns, entry.is_symlink())
    for entry in subfolders:
        if not entry.is_symlink():
            yield from _scan_folder(entry.path, f"{prefix}{entry.name}/")


def known_sources(warehouse: Warehouse) -> pl.DataFrame:
    """The ledger's latest row per source_name, over every planned batch."""
    plans = sorted((warehouse.root / "batches").glob("batch=*/plan.parquet"))
    if not plans:
        return pl.DataFrame(schema=PLAN_SCHEMA)
    frames = [pl.read_parquet(p).with_columns(batch=pl.lit(p.parent.name.removeprefix("batch="))) for p in plans]
    return pl.concat(frames).sort("batch").unique("source_name", keep="last", maintain_order=True)


def new_batch_keys(warehouse: Warehouse, now: datetime, count: int) -> list[str]:
    """Sortable, readable batch keys: the UTC time of planning and a sequence, unique in the warehouse."""
    base = now.astimezone(UTC).strftime("%Y-%m-%dT%H%M%S")
    while any(p.name.startswith(f"batch={base}") for p in (warehouse.root / "batches").glob("batch=*")):
        base += "a"  # planned twice within a second: still sorts after the earlier keys
    return [base if count == 1 else f"{base}.{i:04d}" for i in range(1, count + 1)]


def plan_batch(
    inbox: Path,
    warehouse: Warehouse,
    now: datetime | None = None,
    max_files: int = MAX_BATCH_FILES,
    settle_seconds: float = 0.0,
) -> InboxPlan:
    """Compares the inbox with the ledger and writes the plans of new batches when anything changed.

    A file modified less than `settle_seconds` ago may still be being written. The run waits until
    every such file is that old (at most `settle_seconds`) and looks again: a file whose size and
    time have not moved is taken in this run, one still changing waits for the next run.
    """
    now = now or datetime.now(UTC)
    settled_before_ns = int((now.timestamp() - settle_seconds) * 1e9)
    ledger = known_sources(warehouse)
    # name -> (change, size_bytes, mtime_ns, sha256): tuples from the columns, not a dict per row
    known = dict(
        zip(
            ledger["source_name"].to_list(),
            zip(*(ledger[c].to_list() for c in ("change", "size_bytes", "mtime_ns", "sha256"))),
        )
    )
    candidates, unchanged, seen = [], 0, set()
    for f in scan_inbox(inbox):
        seen.add(f.source_name)
        before = known.get(f.source_name)
        if before is not None and before[0] != "deleted" and before[1:3] == (f.size_bytes, f.mtime_ns):
            unchanged += 1
        else:
            candidates.append(f)
    fresh = [f for f in candidates if f.mtime_ns > settled_before_ns]
    still_changing = _still_changing(inbox, fresh, settle_seconds) if fresh else set()
    rows = []
    for f in candidates:
        if f.source_name in still_changing:
            continue
        before = known.get(f.source_name)
        alive = before is not None and before[0] != "deleted"
        sha = None if f.is_symlink else sha256_of(inbox / f.source_name)
        if alive and sha == before[3]:
            unchanged += 1  # touched, not changed
            continue
        change = "changed" if alive else "new"
        rows.append(
            {
                "source_name": f.source_name,
                "sha256": sha,
                "size_bytes": f.size_bytes,
                "mtime_ns": f.mtime_ns,
                "change": change,
                "is_symlink": f.is_symlink,
                "seen_at": now,
            }
        )
    for name, before in known.items():
        if name not in seen and before[0] != "deleted":
            rows.append(
                {
                    "source_name": name,
                    "sha256": None,
                    "size_bytes": None,
                    "mtime_ns": None,
                    "change": "deleted",
                    "is_symlink": False,
                    "seen_at": now,
                }
            )
    counts = {c: sum(r["change"] == c for r in rows) for c in ("new", "changed", "deleted")}
    chunks = [rows[i : i + max_files] for i in range(0, len(rows), max_files)]
    keys = new_batch_keys(warehouse, now, len(chunks)) if chunks else []
    for key, chunk in zip(keys, chunks):
        write_parquet_atomically(pl.DataFrame(chunk, schema=PLAN_SCHEMA, orient="row"), warehouse.plan_path(key))
    return InboxPlan(keys, unchanged=unchanged, settling=len(still_changing), settle_seconds=settle_seconds, **counts)


def _still_changing(inbox: Path, fresh: list[InboxFile], settle_seconds: float) -> set[str]:
    """Waits until the youngest fresh file is `settle_seconds` old, then names those whose size or
    modification time moved meanwhile (or that vanished)."""
    youngest = max(f.mtime_ns for f in fresh) / 1e9
    time.sleep(min(settle_seconds, max(0.0, youngest + settle_seconds - time.time())))
    changing = set()
    for f in fresh:
        try:
            stat = os.lstat(inbox / f.source_name)
        except OSError:
            changing.add(f.source_name)  # gone while we waited: the next run sees what became of it
            continue
        if (stat.st_size, stat.st_mtime_ns) != (f.size_bytes, f.mtime_ns):
            changing.add(f.source_name)
    return changing


def read_plan(warehouse: Warehouse, batch: str) -> pl.DataFrame:
    return pl.read_parquet(warehouse.plan_path(batch))


def pending_batches(warehouse: Warehouse) -> list[str]:
    """Planned batches not yet published, oldest first (a failed batch is retried by the next run)."""
    planned = sorted(
        p.parent.name.removeprefix("batch=") for p in (warehouse.root / "batches").glob("batch=*/plan.parquet")
    )
    published = warehouse.published_batches()
    return [b for b in planned if b not in published]
