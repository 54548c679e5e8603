"""The report as an analyst opens it, in headless Chromium: the map with its governorates and
incidents, Arabic titles and labels, and the Data Docs opening from the report's link.

Needs Debian's chromium and chromium-driver (.ci/run installs them). Screenshots go to build/ui/.
"""

import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from ledger.data_docs import latest_runs
from ledger.settings import PROJECT_ROOT

SCREENSHOTS = PROJECT_ROOT / "build" / "ui"


def _open_report(browser, seeded) -> None:
    browser.get((seeded.storage.warehouse.root / "report" / "index.html").as_uri())
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#map svg"))


def _drawn(element) -> bool:
    return element.rect["width"] > 0 and element.rect["height"] > 0


@pytest.fixture(autouse=True)
def screenshots_folder():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # every test saves one, whichever runs first


def test_the_map_shows_the_governorates_and_each_incident(seeded, browser):
    _open_report(browser, seeded)
    chart = browser.find_element(By.CSS_SELECTOR, "#map svg")
    governorates = {
        g.get_attribute("id").split(":")[1]
        for g in chart.find_elements(By.CSS_SELECTOR, "[id^='governorate:']")
        if _drawn(g)
    }
    assert len(governorates) == 14 and {"Damascus", "Rif Dimashq", "Idlib"} <= governorates
    assert all(_drawn(b) for b in chart.find_elements(By.CSS_SELECTOR, "[id^='border:']"))
    # One marker per place and grade (and whether it is placed only in its governorate).
    markers = seeded.query(
        "SELECT count(DISTINCT (latitude, longitude, grade, geo_precision >= 3)) FROM incidents"
        " WHERE outcome = 'killed' AND latitude IS NOT NULL"
    )[0][0]
    incidents = chart.find_elements(By.CSS_SELECTOR, "[id^='incident:']")
    assert len(incidents) == markers >= 2 and all(_drawn(i) for i in incidents)
    names = " ".join(n.text for n in chart.find_elements(By.CSS_SELECTOR, "[id^='name:place:']"))
    assert "الغوطة الشرقية (1945)" in names and "مسرابا (250)" in names
    browser.execute_script("arguments[0].scrollIntoView()", browser.find_element(By.ID, "map"))
    time.sleep(0.5)
    assert browser.save_screenshot(str(SCREENSHOTS / "report_map.png"))


def test_the_report_reads_right_to_left_with_arabic_charts(seeded, browser):
    _open_report(browser, seeded)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
    heading = browser.find_element(By.CSS_SELECTOR, "#munitions h2")
    assert heading.text.startswith("الذخائر المحصاة حسب النوع") and "Munitions counted, by type" in heading.text
    chart = browser.find_element(By.CSS_SELECTOR, "#munitions svg")
    texts = [t for t in chart.find_elements(By.TAG_NAME, "text") if _drawn(t)]
    assert {"الذخائر المحصاة حسب النوع", "غارة جوية", "برميل متفجر"} <= {t.text for t in texts}
    # The browser lays the Arabic out: it is drawn right to left.
    arabic = next(t for t in texts if t.text == "غارة جوية")
    assert browser.execute_script("return getComputedStyle(arguments[0]).direction", arabic) == "ltr"  # the SVG's own
    assert browser.execute_script("return arguments[0].getComputedTextLength()", arabic) > 20
    victims = {t.text for t in browser.find_elements(By.CSS_SELECTOR, "#victims svg text")}
    assert {"مدنيون", "civilians"} <= victims or {"المجموع", "total"} <= victims
    browser.execute_script("arguments[0].scrollIntoView()", browser.find_element(By.ID, "munitions"))
    time.sleep(0.5)
    assert browser.save_screenshot(str(SCREENSHOTS / "report_munitions.png"))


def test_the_data_docs_open_from_the_report(seeded, browser):
    _open_report(browser, seeded)
    pages = {
        a.get_attribute("data-table"): a.get_attribute("href")
        for a in browser.find_elements(By.CSS_SELECTOR, "#data_docs a.data-docs-page")
    }
    # Every suite the run ran: one per staged table, and the incidents' three.
    assert {"casualty_figures", "munitions_figures", "entity_mentions", "documents", "incidents"} <= set(pages)
    section = browser.find_element(By.ID, "data_docs").text
    assert "نجح" in section and "فشل" not in section  # the seeds pass every suite
    browser.find_element(By.CSS_SELECTOR, "a.data-docs-page[data-table='casualty_figures']").click()
    WebDriverWait(browser, 30).until(lambda d: d.current_url == pages["casualty_figures"])
    body = browser.find_element(By.TAG_NAME, "body").text
    # GX's page: the suite's every expectation with its result, column by column.
    assert "Succeeded" in body and "Evaluated Expectations" in body and "victim_group" in body
    assert browser.save_screenshot(str(SCREENSHOTS / "data_docs_casualty_figures.png"))
    browser.back()
    browser.find_element(By.ID, "data-docs").click()
    WebDriverWait(browser, 30).until(lambda d: d.current_url.endswith("/data_docs/index.html"))
    assert browser.title == "Data Docs created by Great Expectations"


# Every resource the page loaded or asked for (scripts, style sheets, images), by URL.
RESOURCES = """return [...document.querySelectorAll('script[src], link[href], img[src]')].map(e => e.src || e.href)
    .concat(performance.getEntriesByType('resource').map(e => e.name))"""


def _loaded_offline(browser) -> None:
    """The page loaded nothing from the network, and every resource it asked for was there."""
    assert [url for url in browser.execute_script(RESOURCES) if not url.startswith(("file:", "data:"))] == []
    assert [entry["message"] for entry in browser.get_log("browser") if "Failed to load" in entry["message"]] == []


def test_the_data_docs_open_offline(seeded, browser):
    site = seeded.storage.warehouse.root / "data_docs"
    browser.get_log("browser")  # what the tests before left
    browser.get((site / "index.html").as_uri())
    _loaded_offline(browser)
    # bootstrap-table, a vendored script, draws the index's rows from the page's data: one per suite run.
    rows = WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "table tbody tr[data-index]"))
    runs = len(list((seeded.storage.warehouse.root / "validation_results").glob("*/*/*/*.json")))
    assert len(rows) == min(runs, 10) and runs >= 5  # the first of the table's pages of 10
    assert all("staged_tables-" in row.text for row in rows)  # the batch of each run
    # The status icons are Font Awesome's, from its vendored font.
    fonts = "return [...document.fonts].filter(f => f.status == 'loaded').map(f => f.family + ' ' + f.weight)"
    assert "Font Awesome 6 Free 900" in browser.execute_script(fonts)

    page = next(run.page for run in latest_runs(seeded.storage.warehouse.root) if run.table == "casualty_figures")
    browser.get(page.as_uri())
    _loaded_offline(browser)
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".bootstrap-table"))
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Evaluated Expectations" in body and "values must never be null" in body and "victim_group" in body
    assert browser.save_screenshot(str(SCREENSHOTS / "data_docs_offline_casualty_figures.png"))
