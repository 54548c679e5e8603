"""Fixtures for pipeline tests: a real Dagster instance and warehouse in a temporary folder."""

import shutil
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from assets.resources import LedgerStorage
from ledger.settings import PROJECT_ROOT
from pipelines.runner import RunSummary, run_inbox

SEEDS = PROJECT_ROOT / "seeds"


@dataclass
class Ledger:
    inbox: Path
    storage: LedgerStorage
    instance: dg.DagsterInstance

    def run(self) -> RunSummary:
        return run_inbox(self.storage, self.instance)

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with self.storage.warehouse.connect_read_only() as con:
            return con.execute(sql, params or []).fetchall()


@pytest.fixture
def ledger(tmp_path: Path):
    inbox = tmp_path / "inbox"
    shutil.copytree(SEEDS, inbox)
    expectations = tmp_path / "expectations"
    shutil.copytree(PROJECT_ROOT / "expectations", expectations)
    # Files written by a test are fresh; settling is tested on its own.
    storage = LedgerStorage(
        inbox_dir=str(inbox),
        warehouse_dir=str(tmp_path / "warehouse"),
        expectations_dir=str(expectations),
        settle_seconds=0,
    )
    (tmp_path / "dagster_home").mkdir()
    with dg.DagsterInstance.local_temp(str(tmp_path / "dagster_home")) as instance:
        yield Ledger(inbox, storage, instance)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """One pipeline run over the seeds, shared by the read-only tests of a module."""
    tmp_path = tmp_path_factory.mktemp("seeded")
    inbox = tmp_path / "inbox"
    shutil.copytree(SEEDS, inbox)
    storage = LedgerStorage(inbox_dir=str(inbox), warehouse_dir=str(tmp_path / "warehouse"), settle_seconds=0)
    (tmp_path / "dagster_home").mkdir()
    with dg.DagsterInstance.local_temp(str(tmp_path / "dagster_home")) as instance:
        ledger = Ledger(inbox, storage, instance)
        ledger.first_summary = ledger.run()
        yield ledger


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Chromium (Debian's chromium and chromium-driver), one per test module."""
    missing = [p for p in ("/usr/bin/chromium", "/usr/bin/chromedriver") if not Path(p).exists()]
    assert not missing, f"{missing} missing: `make browser` installs Debian's chromium and chromium-driver"
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        # Offline, as analysts may be: no host name resolves, so a page that loads a resource from
        # the network shows it missing, and the browser's log says so. The UI (127.0.0.1) stays reachable.
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
        "--window-size=1600,1000",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()
