"""Typed resources: where the inbox, the warehouse and the expectation suites live."""
from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import dagster as dg

from conflict_text.gazetteer import Gazetteer, load_gazetteer
from pipelines.warehouse import Warehouse

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class LedgerStorage(dg.ConfigurableResource):
    """The inbox read, the warehouse written, and the expectation suites that guard it."""

    inbox_dir: str
    warehouse_dir: str
    expectations_dir: str = str(PROJECT_ROOT / "expectations")
    # None: the gazetteer shipped in conflict_text/data/gazetteer (reviewed like code).
    gazetteer_dir: str | None = None

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
        """INBOX_DIR (default seeds/), WAREHOUSE_DIR (default warehouse/), EXPECTATIONS_DIR, GAZETTEER_DIR."""
        return cls(
            inbox_dir=str(Path(os.environ.get("INBOX_DIR", PROJECT_ROOT / "seeds")).resolve()),
            warehouse_dir=str(Path(os.environ.get("WAREHOUSE_DIR", PROJECT_ROOT / "warehouse")).resolve()),
            expectations_dir=str(Path(os.environ.get("EXPECTATIONS_DIR", PROJECT_ROOT / "expectations")).resolve()),
            gazetteer_dir=os.environ.get("GAZETTEER_DIR"),
        )


def _files_signature(data_dir: str | None) -> tuple:
    """Names, sizes and mtimes of a gazetteer folder's files: an edit gives a new signature."""
    if data_dir is None:
        return ()  # the packaged gazetteer changes only with the code
    return tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in Path(data_dir).iterdir()))


@cache
def _gazetteer_at(data_dir: str | None, _signature: tuple) -> Gazetteer:
    """One loaded gazetteer (and its matcher) per folder and content, for the life of the process."""
    return load_gazetteer(data_dir)
