"""The Dagster UI in a real browser: the lineage shows every stage, the checks, the nightly sensor,
the catalog's freshness policy and the figures' whole evidence.

The UI is started as `make ui` starts it (webserver and daemon). Needs Debian's chromium and
chromium-driver (.ci/run installs them). Screenshots go to build/ui/.
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
def console(tmp_path_factory) -> Path:
    """What `make ui` prints: the webserver's and the daemon's logs."""
    return tmp_path_factory.mktemp("ui") / "console.log"


@pytest.fixture(scope="module")
def webserver(seeded, console):
    """`make ui` (python -m pipelines ui): the webserver and the daemon on the seeded warehouse."""
    port = _free_port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(Path(seeded.instance.root_directory)),
        "INBOX_DIR": str(seeded.inbox),
        "WAREHOUSE_DIR": str(seeded.storage.warehouse.root),
    }
    with console.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "pipelines", "ui", "--port", str(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/server_info", timeout=2)
            break
        except OSError:
            assert server.poll() is None, console.read_text()[-3000:]
            time.sleep(0.5)
    yield url
    server.terminate()  # SIGTERM: `make ui` stops the webserver and the daemon with it
    assert server.wait(timeout=60) == 0


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
    # The check's metadata says which expectations ran and how each fared.
    assert "expectations_evaluated" in text and "expectations_passed" in text
    _show_markdown(browser, "expectations")
    dialog = _dialog(browser)
    # The dialog opens before its markdown renders: on a loaded machine it was read empty.
    WebDriverWait(browser, 30).until(lambda d: "passed: " in dialog.text)
    ran = [line for line in dialog.text.splitlines() if line.startswith("passed: ")]
    assert any("expect_column_values_to_not_be_null" in line for line in ran) and len(ran) > 3
    dialog.find_element(By.XPATH, ".//button[normalize-space()='Close']").click()


def _show_markdown(driver, key: str) -> None:
    """Opens the markdown of a metadata entry (the UI shows it behind a link)."""
    # The innermost element with the text is the link itself.
    show = driver.find_element(
        By.XPATH, f"(//tr[td[normalize-space()='{key}']]//*[normalize-space()='[Show Markdown]'])[last()]"
    )
    driver.execute_script("arguments[0].scrollIntoView()", show)
    show.click()


def _dialog(driver):
    return WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.XPATH, "//*[@role='dialog']"))[-1]


def test_nightly_sensor_is_shown(webserver, browser):
    text = _page_shows(browser, f"{webserver}/automation", ["nightly_ledger"])
    assert "sensor" in text.split("nightly_ledger", 1)[1]
    assert browser.save_screenshot(str(SCREENSHOTS / "nightly_sensor.png"))


def test_publication_shows_its_freshness_policy(webserver, browser):
    # The daemon evaluates it (failing 26 hours after the last publication): passing, just published.
    text = _page_shows(browser, f"{webserver}/assets/publication", ["Freshness policy", "Passing"], timeout=150)
    assert "26 hours" in text


def test_gazetteer_files_show_their_version(webserver, browser):
    text = _page_shows(browser, f"{webserver}/assets/gazetteer_files", ["gazetteer_version"])
    assert "Never" not in text.split("Latest materialization", 1)[1][:100]


def test_console_has_no_warning_a_user_cannot_act_on(webserver, console):
    time.sleep(5)  # the daemon's first sensor tick and the code servers' start are logged by now
    text = console.read_text()
    assert "nightly_ledger" in text  # the daemon runs the nightly sensor
    for needless in ("dg dev", "will not be used", "PreviewWarning", "BetaWarning", "SupersessionWarning"):
        assert needless not in text, needless


def test_casualty_preview_shows_whole_evidence(seeded, webserver, browser):
    _page_shows(browser, f"{webserver}/assets/casualty_figures", ["[Show Markdown]"])
    _show_markdown(browser, "preview")
    dialog = _dialog(browser)
    [(evidence, surface)] = seeded.query("SELECT evidence, surface FROM casualty_figures ORDER BY value DESC LIMIT 1")
    shown = " ".join(dialog.text.split())
    assert " ".join(evidence.split()) in shown  # the whole sentence, not cut before the number
    marked = dialog.find_elements(By.TAG_NAME, "strong")
    assert surface in [m.text for m in marked]
    assert browser.save_screenshot(str(SCREENSHOTS / "casualty_preview.png"))
