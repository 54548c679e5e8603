"""The warehouse on disk: staged batches, the published lake, and the analysts' catalog.

Layout under the warehouse root (hive-style folders per table and batch):

    batches/batch=K/plan.parquet          what the planner decided batch K will process
    ledger.parquet                        the plans summed up: the latest row per inbox file
    .catalog-facts.json                   the catalog's publication and row counts, for the file they were read from
    .stage-files.json                     the files each stage's code version hashes, for the conflict_text/ they were found in
    staging/<table>/batch=K/data.parquet  written by the assets, audited by the checks
    lake/<table>/batch=K/<pub>.parquet    promoted after every check passed (write-audit-publish); the
                                          incidents, by the batch that founded them
    lake/_publications/<seq>.json         which lake file is current for each table and batch
    conflict.duckdb                       views over the current lake files, nothing else

Publication is atomic: staged files are moved into the lake under new names (invisible until
referenced), a new publication record is written, and a new catalog file replaces the old one
with os.replace. An analyst holding the previous catalog open keeps reading the previous files,
which are kept for one more publication, and never blocks a run (no process ever opens the
live catalog for writing).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from ledger.catalog import view_statements
from ledger.stages import DOCUMENT_TABLES, adopt_stage_files, all_stage_files, text_sources
from ledger.tables import Table

CATALOG_NAME = "conflict.duckdb"
_CATALOG_FACTS = ".catalog-facts.json"  # what the run summary reads of the catalog, for the catalog file it read
_STAGE_FILES = ".stage-files.json"  # ledger.stages.all_stage_files, for the text_sources it was found in
_KEEP_PUBLICATIONS = 2  # the current one and the one before, for readers holding an old catalog
# Temporary files of atomic writes take seconds; one this old was left by a killed process.
_LEFTOVER_AGE_SECONDS = 600
# The project's own queries (the report, the view counts, `make sql`) aggregate over the whole corpus:
# past this much memory DuckDB spills to conflict.duckdb.tmp instead of growing with the corpus. The
# report's places over 100,000 articles peaked at 609 MB without it and 392 MB with it; the same
# aggregate over 30 million mentions (a million articles) at 3,040 MB and 332 MB, in the same time.
DUCKDB_MEMORY_LIMIT = "256MB"


def _remembered(path: Path) -> dict:
    """What the warehouse wrote at `path` to spare a later run some work; {} when there is none or it
    cannot be read, which costs only that work again."""
    with contextlib.suppress(OSError, ValueError):
        return json.loads(path.read_text("utf-8"))
    return {}


def write_parquet_atomically(frame: pl.DataFrame, path: Path, metadata: dict[str, str] | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    frame.write_parquet(tmp, compression="zstd", statistics=True, metadata=metadata)
    os.replace(tmp, path)
    return path


def write_text_atomically(text: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


@dataclass(frozen=True)
class Publication:
    sequence: int
    published_at: str
    # batch -> table name -> lake file, relative to the warehouse root
    batches: dict[str, dict[str, str]]
    # unpartitioned tables (the gazetteer) -> lake file
    tables: dict[str, str]
    # batch -> stage -> version of the code (and gazetteer) that produced the published tables
    versions: dict[str, dict[str, str]] = field(default_factory=dict)
    # unpartitioned table -> version of its data (the gazetteer's content hash)
    table_versions: dict[str, str] = field(default_factory=dict)

    def files(self, table: str) -> list[str]:
        return [paths[table] for _, paths in sorted(self.batches.items()) if table in paths]

    def referenced(self) -> set[str]:
        return {p for paths in self.batches.values() for p in paths.values()} | set(self.tables.values())


EMPTY_PUBLICATION = Publication(0, "", {}, {})


class Warehouse:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root).resolve()
        # candidate catalogs still open -> (the publication they follow, the (table, batch) they promote)
        self._candidates: dict[Path, tuple[int, list[tuple[str, str | None]]]] = {}

    # -- paths ---------------------------------------------------------------------------------
    @property
    def catalog_path(self) -> Path:
        return self.root / CATALOG_NAME

    def plan_path(self, batch: str) -> Path:
        return self.root / "batches" / f"batch={batch}" / "plan.parquet"

    def staged_path(self, table: Table | str, batch: str | None = None) -> Path:
        name = table if isinstance(table, str) else table.name
        folder = self.root / "staging" / name
        return (folder / f"batch={batch}" if batch else folder) / "data.parquet"

    @property
    def _publications_dir(self) -> Path:
        return self.root / "lake" / "_publications"

    # -- staging -------------------------------------------------------------------------------
    def write_staged(self, table: Table, batch: str | None, frame: pl.DataFrame) -> Path:
        """Stages a batch of `table` (exactly its columns), replacing an earlier attempt."""
        return write_parquet_atomically(
            frame.select(table.schema.names()).cast(table.schema), self.staged_path(table, batch)
        )

    def read_batch(self, table: Table, batch: str | None = None, columns: list[str] | None = None) -> pl.DataFrame:
        """The batch's staged table, or its published one when it was promoted already.

        Re-running one stage of a published batch reads its upstream from the lake.
        """
        path = self.staged_path(table, batch)
        if not path.exists():
            publication = self.current_publication()
            published = publication.batches.get(batch, {}) if batch else publication.tables
            if table.name not in published:
                raise FileNotFoundError(f"{table.name} of batch {batch} is neither staged nor published")
            path = self.root / published[table.name]
        return pl.read_parquet(path, columns=columns)

    def staged_tables(self, tables: list[Table], batch: str | None) -> list[Table]:
        return [t for t in tables if self.staged_path(t, batch).exists()]

    # -- locking -------------------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self, name: str = "publish") -> Iterator[None]:
        """An exclusive inter-process lock on this warehouse (released when the process dies)."""
        path = self.root / f".{name}.lock"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # -- publications --------------------------------------------------------------------------
    def current_publication(self) -> Publication:
        records = sorted(self._publications_dir.glob("*.json"))
        if not records:
            return EMPTY_PUBLICATION
        return Publication(**json.loads(records[-1].read_text("utf-8")))

    def published_batches(self) -> set[str]:
        return set(self.current_publication().batches)

    @staticmethod
    def _promoted(
        batch: str | None,
        tables: list[Table | str],
        unpartitioned: list[Table | str],
        parts: list[tuple[Table | str, str]] = (),
    ) -> list[tuple[str, str | None]]:
        """(table, its batch, None when unpartitioned) of every table a publication promotes; `parts` are
        (table, batch) pairs of partitions of other batches than `batch` (the incidents it touched)."""
        name = lambda t: t if isinstance(t, str) else t.name  # noqa: E731
        return (
            [(name(t), batch) for t in tables]
            + [(name(t), None) for t in unpartitioned]
            + [(name(t), part) for t, part in parts]
        )

    @staticmethod
    def _publication_after(
        previous: Publication,
        batch: str | None,
        files: dict[tuple[str, str | None], str],
        versions: dict[str, str] | None,
        unpartitioned_versions: dict[str, str] | None,
    ) -> Publication:
        """The publication that follows `previous` when `files` ((table, batch) -> lake file) are promoted."""
        batches = {b: dict(paths) for b, paths in previous.batches.items()}
        tables = dict(previous.tables)
        for (name, table_batch), path in files.items():
            if table_batch:
                batches.setdefault(table_batch, {})[name] = path
                tables.pop(name, None)  # a table kept whole before is partitioned from now on (the incidents)
            else:
                tables[name] = path
        recorded = {b: dict(v) for b, v in previous.versions.items()}
        table_versions = dict(previous.table_versions)
        if batch:
            recorded[batch] = {**recorded.get(batch, {}), **(versions or {})}
        else:
            table_versions.update(versions or {})
        table_versions.update(unpartitioned_versions or {})
        return Publication(
            previous.sequence + 1, datetime.now(UTC).isoformat(), batches, tables, recorded, table_versions
        )

    def publish(
        self,
        batch: str | None,
        tables: list[Table | str],
        versions: dict[str, str] | None = None,
        unpartitioned: list[Table | str] = (),
        unpartitioned_versions: dict[str, str] | None = None,
        parts: list[tuple[Table | str, str]] = (),
        candidate: Path | None = None,
    ) -> Publication:
        """Promotes the staged files of `batch` (or unpartitioned `tables` when batch is None), and in
        the same publication the staged `unpartitioned` tables (the gazetteer, the incidents), so that
        analysts never see a batch without what was computed with it.

        `parts`, (table, batch) pairs, promote staged partitions of other batches with it: the incidents a
        batch touched, kept in the partition of the batch that founded them.
        Every staged file must exist; the caller runs this only after the checks passed. `candidate`, the
        candidate_catalog of this batch and these tables, still open: its current documents are those of
        this publication, so the new catalog starts as a copy of it instead of computing them again.
        `versions` records what produced the promoted tables: stage -> version for a batch,
        table -> data version for unpartitioned tables (`unpartitioned_versions` for the others).
        """
        with self.lock():
            previous = self.current_publication()
            sequence = previous.sequence + 1
            files = {}
            for name, table_batch in self._promoted(batch, tables, unpartitioned, parts):
                staged = self.staged_path(name, table_batch)
                folder = f"batch={table_batch}" if table_batch else "current"
                target = self.root / "lake" / name / folder / f"pub-{sequence:06d}.parquet"
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, target)
                if table_batch:
                    with contextlib.suppress(OSError):  # kept while a killed write's leftover is in it
                        staged.parent.rmdir()
                files[(name, table_batch)] = str(target.relative_to(self.root))
            publication = self._publication_after(previous, batch, files, versions, unpartitioned_versions)
            record = self._publications_dir / f"{sequence:06d}.json"
            write_text_atomically(json.dumps(publication.__dict__, ensure_ascii=False, indent=1), record)
            made_for = (previous.sequence, self._promoted(batch, tables, unpartitioned))
            self.build_catalog(publication, like=candidate if self._candidates.get(candidate) == made_for else None)
            self._collect_garbage()
            return publication

    @contextlib.contextmanager
    def candidate_catalog(
        self, batch: str, tables: list[Table | str], unpartitioned: list[Table | str] = ()
    ) -> Iterator[Path]:
        """A catalog of what publishing these staged tables would show, over the staged files where they
        lie, to audit what is computed from the whole publication (the incidents) before anything is
        promoted. Nobody else sees it; it is deleted on exit (a killed run's leftover is a .tmp file)."""
        files = {
            (name, table_batch): str(self.staged_path(name, table_batch).relative_to(self.root))
            for name, table_batch in self._promoted(batch, tables, unpartitioned)
        }
        path = self.root / f".candidate-{uuid.uuid4().hex}.tmp"
        previous = self.current_publication()
        try:
            self.build_catalog(self._publication_after(previous, batch, files, None, None), path)
            self._candidates[path] = (previous.sequence, self._promoted(batch, tables, unpartitioned))
            yield path
        finally:
            self._candidates.pop(path, None)
            path.unlink(missing_ok=True)

    def _collect_garbage(self) -> None:
        """Deletes lake files that no kept publication references, and older publication records."""
        records = sorted(self._publications_dir.glob("*.json"))
        kept = [Publication(**json.loads(r.read_text("utf-8"))) for r in records[-_KEEP_PUBLICATIONS:]]
        referenced = set().union(*(p.referenced() for p in kept))
        for path in (self.root / "lake").glob("*/*/pub-*.parquet"):
            if str(path.relative_to(self.root)) not in referenced:
                path.unlink()
        for record in records[:-_KEEP_PUBLICATIONS]:
            record.unlink()

    # -- the analysts' catalog -----------------------------------------------------------------
    def build_catalog(
        self, publication: Publication | None = None, path: Path | None = None, like: Path | None = None
    ) -> Path:
        """Writes the catalog of views for `publication` to a new file and swaps it in atomically (at
        `path`, by default the analysts' catalog). `like`: a catalog of the same current documents (a
        candidate's), whose current_doc_ids table is kept and its views replaced: over 100,000 articles,
        computing and writing that table took 0.2 s of CPU."""
        publication = publication or self.current_publication()
        path = path or self.catalog_path
        tmp = self.root / f".{CATALOG_NAME}.{uuid.uuid4().hex}.tmp"
        if like:
            shutil.copyfile(like, tmp)
        con = duckdb.connect(str(tmp))
        try:
            if like:
                for (view,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall():
                    con.execute(f'DROP VIEW "{view}"')  # our own names
            for statement in view_statements(self.root, publication, current_doc_ids=not like):
                con.execute(statement)
        finally:
            con.close()
        os.chmod(tmp, 0o444)  # analysts' access is read-only: a read-write open fails
        os.replace(tmp, path)
        return path

    def ensure_catalog(self) -> Path:
        """Every run leaves a catalog: before the first publication, its views exist and are empty."""
        if not self.catalog_path.exists():
            self.build_catalog()
        return self.catalog_path

    def catalog_sequence(self) -> int | None:
        """The publication the catalog file shows (None when there is no catalog)."""
        if not self.catalog_path.exists():
            return None
        return self._catalog_fact("sequence", lambda con: con.execute("SELECT sequence FROM publication").fetchone()[0])

    def _catalog_fact(self, name: str, compute):
        """What `compute(connection)` says of the catalog, remembered beside it for the catalog file it was
        computed on (its inode, times and size: every build writes a new file), so that a run with nothing
        new opens no catalog: over 100,000 articles, the summary's counts took 0.35 s of CPU."""
        facts_path = self.root / _CATALOG_FACTS
        stat = self.catalog_path.stat()
        identity = [stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size]
        facts = _remembered(facts_path)
        if facts.get("catalog") != identity:
            facts = {"catalog": identity}
        if name not in facts:
            with self.connect_read_only() as con:
                facts[name] = compute(con)
            write_text_atomically(json.dumps(facts, ensure_ascii=False), facts_path)
        return facts[name]

    def remember_stage_files(self) -> None:
        """The files each stage's code version hashes, read from beside the catalog when they were found for
        the same conflict_text/ files (paths, sizes, times), else found and written there: a run with
        nothing new, which compares every published batch's versions with the current ones, parses no
        module (0.15 s of CPU)."""
        path, sources = self.root / _STAGE_FILES, text_sources()
        remembered = _remembered(path)
        if remembered.get("sources") == sources:
            adopt_stage_files(remembered["stage_files"])
        else:
            write_text_atomically(json.dumps({"sources": sources, "stage_files": all_stage_files()}), path)

    def recover(self) -> list[str]:
        """Repairs what a killed run can leave behind; returns what it did.

        A run killed between the publication record and the catalog swap leaves the catalog one
        publication behind: it is rebuilt. Temporary files of interrupted atomic writes are removed.
        Staged files need nothing: the next run re-stages every unpublished batch.
        """
        done = []
        cutoff = time.time() - _LEFTOVER_AGE_SECONDS
        for leftover in self.root.rglob(".*.tmp"):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
                done.append(f"removed {leftover.relative_to(self.root)}")
        publication = self.current_publication()
        if publication.sequence and self.catalog_sequence() != publication.sequence:
            self.build_catalog(publication)
            done.append(f"rebuilt the catalog for publication {publication.sequence}")
        return done

    def connect_read_only(self, catalog: Path | None = None) -> duckdb.DuckDBPyConnection:
        """The analysts' catalog (or another, e.g. a candidate_catalog), read-only."""
        # Default configuration, the limit set afterwards: DuckDB refuses a second in-process connection
        # to the same file with different settings, and an analyst's notebook may hold one.
        con = duckdb.connect(str(catalog or self.catalog_path), read_only=True)
        con.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
        return con

    def view_counts(self) -> dict[str, int]:
        """Rows in the analysts' main views now (empty before the first publication)."""
        if not self.catalog_path.exists():
            return {}
        views = ["documents", "rejected_documents", "quarantined_documents", *(t.name for t in DOCUMENT_TABLES)]
        return self._catalog_fact(
            "counts",
            lambda con: {
                view: con.execute(f"SELECT count(*) FROM {view}").fetchone()[0] for view in views
            },  # our own names
        )
