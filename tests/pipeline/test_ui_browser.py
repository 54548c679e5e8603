"""The Dagster UI in a real browser: the lineage shows every stage, the checks and the schedule.

Needs Debian's chromium and chromium-driver (.ci/run installs them). Screenshots go to build/ui/.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from ledger.settings import PROJECT_ROOT

SCREENSHOTS = PROJECT_ROOT / "build" / "ui"
GROUPS = ["raw", "cleaned", "entities", "figures", "publication", "gazetteer"]
# The lineage with every group expanded, as the UI writes it in its own URL.
LINEAGE = "/asset-groups?expanded=" + ",".join(f"global@global:{group}" for group in GROUPS)
STAGES = [
    "source_files",
    "raw_documents",
    "documents",
    "entity_mentions",
    "casualty_figures",
    "munitions_figures",
    "publication",
    "report",
    "gazetteer_entities",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def webserver(seeded):
    port = _free_port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(Path(seeded.instance.root_directory)),
        "INBOX_DIR": str(seeded.inbox),
        "WAREHOUSE_DIR": str(seeded.storage.warehouse.root),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dagster_webserver",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workspace",
            str(PROJECT_ROOT / "workspace.yaml"),
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/server_info", timeout=2)
            break
        except OSError:
            assert server.poll() is None, server.stderr.read().decode()[-3000:]
            time.sleep(0.5)
    yield url
    server.terminate()
    server.wait(timeout=30)


def _page_shows(driver, url: str, texts: list[str], timeout: float = 90) -> str:
    driver.get(url)
    time.sleep(2)
    for skip in driver.find_elements(By.XPATH, "//button[normalize-space()='Skip']"):  # first-visit newsletter dialog
        skip.click()
    WebDriverWait(driver, timeout).until(lambda d: all(t in d.find_element(By.TAG_NAME, "body").text for t in texts))
    time.sleep(1)  # let the graph finish laying out before the screenshot
    return driver.find_element(By.TAG_NAME, "body").text


def test_asset_graph_shows_every_stage(webserver, browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    _page_shows(browser, webserver + LINEAGE, STAGES)
    assert browser.save_screenshot(str(SCREENSHOTS / "asset_graph.png"))


def test_asset_checks_are_shown_with_their_result(webserver, browser):
    text = _page_shows(browser, f"{webserver}/assets/casualty_figures?view=checks", ["casualty_figures_expectations"])
    assert "Passed" in text or "Succeeded" in text
    assert browser.save_screenshot(str(SCREENSHOTS / "casualty_figures_checks.png"))


def test_nightly_schedule_is_shown(webserver, browser):
    _page_shows(browser, f"{webserver}/automation", ["nightly_ledger"])
    assert browser.save_screenshot(str(SCREENSHOTS / "schedule.png"))
