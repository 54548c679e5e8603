"""Typed resources: where the inbox, the warehouse and the expectation suites live."""
from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from pipelines.warehouse import Warehouse

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class LedgerStorage(dg.ConfigurableResource):
    """The inbox read, the warehouse written, and the expectation suites that guard it."""

    inbox_dir: str
    warehouse_dir: str
    expectations_dir: str = str(PROJECT_ROOT / "expectations")

    @property
    def inbox(self) -> Path:
        return Path(self.inbox_dir).resolve()

    @property
    def warehouse(self) -> Warehouse:
        return Warehouse(self.warehouse_dir)

    @property
    def expectations(self) -> Path:
        return Path(self.expectations_dir)

    @classmethod
    def from_environment(cls) -> LedgerStorage:
        """INBOX_DIR (default seeds/), WAREHOUSE_DIR (default warehouse/), EXPECTATIONS_DIR."""
        return cls(
            inbox_dir=str(Path(os.environ.get("INBOX_DIR", PROJECT_ROOT / "seeds")).resolve()),
            warehouse_dir=str(Path(os.environ.get("WAREHOUSE_DIR", PROJECT_ROOT / "warehouse")).resolve()),
            expectations_dir=str(Path(os.environ.get("EXPECTATIONS_DIR", PROJECT_ROOT / "expectations")).resolve()),
        )
