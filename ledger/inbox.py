"""Planning a batch: which inbox files are new, changed or deleted since the ledger last saw them.

The ledger is the union of the batch plans, summed up in an index (ledger.parquet: the latest row per
file) that each run writing plans rewrites, so a run reads one file however many plans there
are. Every file is statted at each run (a file rewritten in place changes only its own size or time);
a file is hashed only when its size or modification time differs from what the ledger recorded, so
a run with nothing new reads no file contents.
Symbolic links are never followed (a link is recorded and rejected by the batch instead).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
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


class _Listing:
    """The regular files below the inbox (hidden files and folders skipped), links reported, never followed,
    as four columns: names in name order, each folder's own files before its subfolders' (os.walk's
    order). Filled folder by folder, with os.scandir and one lstat per file, no object per file. Every
    file is statted: a file rewritten in place changes neither its name nor its folder's time, only its
    own size or time. With pathlib's parsing and a second lstat per file, listing
    100,000 files took 1.8 s; with an object per file, 0.46 s; as columns, 0.25 s (of which the lstats
    themselves take most)."""

    def __init__(self):
        self.names: list[str] = []
        self.sizes: list[int] = []
        self.mtimes: list[int] = []
        self.links: list[bool] = []

    def scan(self, folder: str, prefix: str) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = {e.name: e for e in listing if not e.name.startswith(".")}
        except OSError:
            return  # as os.walk: a folder that cannot be listed is passed over
        subfolders = []
        for name in sorted(entries):
            entry = entries[name]
            if entry.is_dir():  # a link to a folder counts as a folder, as in os.walk, and is never entered
                subfolders.append(entry)
                continue
            stat = entry.stat(follow_symlinks=False)
            self.names.append(prefix + name)
            self.sizes.append(stat.st_size)
            self.mtimes.append(stat.st_mtime_ns)
            self.links.append(entry.is_symlink())
        for entry in subfolders:
            if not entry.is_symlink():
                self.scan(entry.path, f"{prefix}{entry.name}/")


# The ledger's latest row per file, kept beside the plans it sums up (their batch keys in its metadata),
# so that a run reads one file, not every plan ever written: a nightly run adds a plan a day.
LEDGER_INDEX = "ledger.parquet"
_INDEX_PLANS_KEY = "plans"


def _planned(warehouse: Warehouse) -> list[str]:
    return sorted(
        p.parent.name.removeprefix("batch=") for p in (warehouse.root / "batches").glob("batch=*/plan.parquet")
    )


def _latest(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """The latest row per source_name (by batch key), in source_name order."""
    return pl.concat(frames).sort("batch").unique("source_name", keep="last").sort("source_name")


def known_sources(warehouse: Warehouse) -> pl.DataFrame:
    """The ledger's latest row per source_name, over every planned batch, in source_name order."""
    return _known(warehouse)[0]


def _known(warehouse: Warehouse) -> tuple[pl.DataFrame, bool]:
    """known_sources, from the index and the plans it does not sum up yet (written before the index
    existed, or by a run killed before it wrote its index); and whether the index sums up every plan."""
    planned = _planned(warehouse)
    index = warehouse.root / LEDGER_INDEX
    frames, summed = [], set()
    if index.exists():
        summed = set(json.loads(pl.read_parquet_metadata(index)[_INDEX_PLANS_KEY]))
        if summed <= set(planned):  # else a plan it sums up was removed: the plans alone say what is known
            frames.append(pl.read_parquet(index))
        else:
            summed = set()
    frames += [_plan_with_key(warehouse, b) for b in planned if b not in summed]
    if not frames:
        return pl.DataFrame(schema={**PLAN_SCHEMA, "batch": pl.String()}), True
    if len(frames) == 1 and summed:
        return frames[0], True
    return _latest(frames), False


def _plan_with_key(warehouse: Warehouse, batch: str) -> pl.DataFrame:
    return read_plan(warehouse, batch).with_columns(batch=pl.lit(batch))


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
    ledger, indexed = _known(warehouse)
    alive = ledger.filter(pl.col("change") != "deleted").select("source_name", "size_bytes", "mtime_ns", "sha256")
    listing = _Listing()
    listing.scan(str(inbox), "")
    scanned = pl.DataFrame(
        {"source_name": listing.names, "size": listing.sizes, "mtime": listing.mtimes, "is_symlink": listing.links},
        schema={"source_name": pl.String(), "size": pl.Int64(), "mtime": pl.Int64(), "is_symlink": pl.Boolean()},
    )
    # Compared as columns: a dict of 100,000 known files and a lookup per file took 0.14 s of the scan.
    compared = scanned.join(alive, on="source_name", how="left", maintain_order="left")
    moved = (pl.col("size_bytes") != pl.col("size")) | (pl.col("mtime_ns") != pl.col("mtime"))
    candidates = compared.filter(moved.fill_null(True))  # null: not known, or deleted
    unchanged = scanned.height - candidates.height
    fresh = [
        InboxFile(name, size, mtime, link)
        for name, size, mtime, link in candidates.select("source_name", "size", "mtime", "is_symlink").iter_rows()
        if mtime > settled_before_ns
    ]
    still_changing = _still_changing(inbox, fresh, settle_seconds) if fresh else set()
    rows = []
    for name, size, mtime, link, known_size, known_sha in candidates.select(
        "source_name", "size", "mtime", "is_symlink", "size_bytes", "sha256"
    ).iter_rows():
        if name in still_changing:
            continue
        was_alive = known_size is not None
        sha = None if link else sha256_of(inbox / name)
        if was_alive and sha == known_sha:
            unchanged += 1  # touched, not changed
            continue
        rows.append(
            {
                "source_name": name,
                "sha256": sha,
                "size_bytes": size,
                "mtime_ns": mtime,
                "change": "changed" if was_alive else "new",
                "is_symlink": link,
                "seen_at": now,
            }
        )
    for name in alive.join(scanned, on="source_name", how="anti", maintain_order="left")["source_name"]:
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
    plans = []
    for key, chunk in zip(keys, chunks):
        plan = pl.DataFrame(chunk, schema=PLAN_SCHEMA, orient="row")
        write_parquet_atomically(plan, warehouse.plan_path(key))
        plans.append(plan.with_columns(batch=pl.lit(key)))
    if plans or not indexed:  # after the plans: a run killed in between leaves plans the next run reads itself
        write_parquet_atomically(
            _latest([ledger, *plans]),
            warehouse.root / LEDGER_INDEX,
            metadata={_INDEX_PLANS_KEY: json.dumps(_planned(warehouse))},
        )
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
