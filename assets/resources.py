"""Typed resources: where the inbox, the warehouse and the expectation suites live."""

from __future__ import annotations

from dataclasses import asdict
from functools import cache
from pathlib import Path

import dagster as dg

from conflict_text.gazetteer import Gazetteer, load_gazetteer
from ledger.settings import (
    DEFAULT_QUARANTINE_MAX_SHARE,
    DEFAULT_SETTLE_SECONDS,
    PROJECT_ROOT,
    Settings,
    default_text_workers,
)
from ledger.warehouse import Warehouse


class LedgerStorage(dg.ConfigurableResource):
    """The inbox read, the warehouse written, and the expectation suites that guard it."""

    inbox_dir: str
    warehouse_dir: str
    expectations_dir: str = str(PROJECT_ROOT / "expectations")
    # None: the gazetteer shipped in conflict_text/data/gazetteer (reviewed like code).
    gazetteer_dir: str | None = None
    settle_seconds: float = DEFAULT_SETTLE_SECONDS
    quarantine_max_share: float = DEFAULT_QUARANTINE_MAX_SHARE
    # Processes the text stages run a batch's documents on; 1 runs them in the step's own process.
    text_workers: int = default_text_workers()

    @property
    def inbox(self) -> Path:
        return Path(self.inbox_dir).resolve()

    @property
    def warehouse(self) -> Warehouse:
        return Warehouse(self.warehouse_dir)

    @property
    def expectations(self) -> Path:
        return Path(self.expectations_dir)

    @property
    def gazetteer(self) -> Gazetteer:
        return _gazetteer_at(self.gazetteer_dir, _files_signature(self.gazetteer_dir))

    @classmethod
    def from_environment(cls) -> LedgerStorage:
        return cls(**asdict(Settings.from_environment()))


def _files_signature(data_dir: str | None) -> tuple:
    """Names, sizes and mtimes of a gazetteer folder's files: an edit gives a new signature."""
    if data_dir is None:
        return ()  # the packaged gazetteer changes only with the code
    return tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in Path(data_dir).iterdir()))


@cache
def _gazetteer_at(data_dir: str | None, _signature: tuple) -> Gazetteer:
    """One loaded gazetteer (and its matcher) per folder and content, for the life of the process."""
    return load_gazetteer(data_dir)
