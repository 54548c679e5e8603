"""Where things live, from the environment: read without importing Dagster (the idle fast path)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETTLE_SECONDS = 5.0


@dataclass(frozen=True)
class Settings:
    inbox_dir: str
    warehouse_dir: str
    expectations_dir: str
    gazetteer_dir: str | None  # None: the gazetteer shipped in conflict_text/data/gazetteer
    settle_seconds: float  # files modified more recently wait for the next run (still being written)

    @classmethod
    def from_environment(cls) -> Settings:
        """INBOX_DIR (default seeds/), WAREHOUSE_DIR (default warehouse/), EXPECTATIONS_DIR, GAZETTEER_DIR,
        INBOX_SETTLE_SECONDS (default 5)."""
        return cls(
            inbox_dir=str(Path(os.environ.get("INBOX_DIR", PROJECT_ROOT / "seeds")).resolve()),
            warehouse_dir=str(Path(os.environ.get("WAREHOUSE_DIR", PROJECT_ROOT / "warehouse")).resolve()),
            expectations_dir=str(Path(os.environ.get("EXPECTATIONS_DIR", PROJECT_ROOT / "expectations")).resolve()),
            gazetteer_dir=os.environ.get("GAZETTEER_DIR") or None,
            settle_seconds=float(os.environ.get("INBOX_SETTLE_SECONDS", DEFAULT_SETTLE_SECONDS)),
        )
