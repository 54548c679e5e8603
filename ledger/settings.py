"""Where things live, from the environment: read without importing Dagster (the idle fast path)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETTLE_SECONDS = 5.0
# A batch in which more than this share of the documents fail row-level expectations is blocked
# as a whole: that many bad rows point at a broken stage, not at bad documents.
DEFAULT_QUARANTINE_MAX_SHARE = 0.2


def default_text_workers() -> int:
    """Every core this process may run on: the text stages fork one worker per core."""
    return len(os.sched_getaffinity(0))


@dataclass(frozen=True)
class Settings:
    inbox_dir: str
    warehouse_dir: str
    expectations_dir: str
    gazetteer_dir: str | None  # None: the gazetteer shipped in conflict_text/data/gazetteer
    settle_seconds: float  # a file modified more recently is looked at again once it has settled
    quarantine_max_share: float  # see DEFAULT_QUARANTINE_MAX_SHARE
    text_workers: int  # processes the text stages run a batch's documents on (1: in this process)

    @classmethod
    def from_environment(cls) -> Settings:
        """INBOX_DIR (default seeds/), WAREHOUSE_DIR (default warehouse/), EXPECTATIONS_DIR, GAZETTEER_DIR,
        INBOX_SETTLE_SECONDS (default 5), QUARANTINE_MAX_SHARE (default 0.2), TEXT_WORKERS (default: every core)."""
        return cls(
            inbox_dir=str(Path(os.environ.get("INBOX_DIR", PROJECT_ROOT / "seeds")).resolve()),
            warehouse_dir=str(Path(os.environ.get("WAREHOUSE_DIR", PROJECT_ROOT / "warehouse")).resolve()),
            expectations_dir=str(Path(os.environ.get("EXPECTATIONS_DIR", PROJECT_ROOT / "expectations")).resolve()),
            gazetteer_dir=os.environ.get("GAZETTEER_DIR") or None,
            settle_seconds=float(os.environ.get("INBOX_SETTLE_SECONDS", DEFAULT_SETTLE_SECONDS)),
            quarantine_max_share=float(os.environ.get("QUARANTINE_MAX_SHARE", DEFAULT_QUARANTINE_MAX_SHARE)),
            text_workers=int(os.environ.get("TEXT_WORKERS") or default_text_workers()),
        )

    @property
    def dagster_home(self) -> Path:
        """DAGSTER_HOME, by default inside the warehouse: its runs, partitions and links are that warehouse's."""
        return Path(os.environ.get("DAGSTER_HOME") or Path(self.warehouse_dir) / "dagster_home").resolve()
