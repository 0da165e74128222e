"""The front desk in a real Chromium with JavaScript off: every button pressed, every PDF read back from the download.

One browser and one server for the whole module; the browser saves PDFs instead of showing them, so they can be read.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

pytest.importorskip("cheroot")
pytest.importorskip("selenium.webdriver")

from conftest import assert_in_order  # noqa: E402
from desk_support import NAME, chromium, pages, pdf_text, press, screenshot, server, value  # noqa: E402,F401 (server: a fixture)

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the browser saves the PDFs."""
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, downloads: Path):
    """One browser for the module, with JavaScript off and PDFs saved to a folder."""
    driver = chromium(tmp_path_factory.mktemp("chromium-nojs"), {
        "profile.managed_default_content_settings.javascript": 2, "download.default_directory": str(downloads),
        "download.prompt_for_download": False, "plugins.always_open_pdf_externally": True})
    yield driver
    driver.quit()


def downloaded(folder: Path, name: str) -> bytes:
    """The PDF the browser saved under a name (waits for it, within a bound), taken out of the folder."""
    path = folder / name
    deadline = time.monotonic() + 30
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert path.exists(), f"no {name} among {sorted(p.name for p in folder.iterdir())}"
    data = path.read_bytes()
    path.unlink()
    return data


def test_every_button_with_javascript_off(browser, server: str, downloads: Path, tmp_path: Path) -> None:
    wait = WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,))  # a submit replaces the page under a look
    browser.get(server)
    assert "js" not in (browser.find_element(By.TAG_NAME, "html").get_attribute("class") or "").split()
    assert browser.find_element(By.CSS_SELECTOR, "button[value=refresh]").is_displayed()

    # The patient button with no name: a page with the message beside the field.
    press(browser, "patient")
    message = wait.until(lambda d: d.find_element(By.ID, "patient-error"))
    assert "Type the patient's name" in message.text and browser.title.startswith("Check the form")
    screenshot(browser, "desk-error-nojs", tmp_path)

    browser.find_element(By.ID, "patient").send_keys(NAME)
    date = browser.find_element(By.ID, "date")
    assert value(browser, "date") == dt.date.today().isoformat()
    date.send_keys("11242026")
    browser.find_element(By.ID, "provider").send_keys("Dr Lee")
    Select(browser.find_element(By.ID, "follow_up_weeks")).select_by_value("2")
    press(browser, "patient")
    personal = downloaded(downloads, "demo-aftercare.en.pdf")
    assert pages(personal) == 3
    assert_in_order(pdf_text(personal), [NAME, "Tue Nov 24, 2026", "Dr Lee", "Tue Dec 8, 2026"])

    # Make stack right after, with the name still typed in: N copies of the blank sheet, no name.
    assert value(browser, "patient") == NAME
    copies = browser.find_element(By.ID, "copies")
    copies.clear()
    copies.send_keys("3")
    press(browser, "stack")
    stack = downloaded(downloads, "demo-aftercare.en-3-copies.pdf")
    press(browser, "generic")
    blank = downloaded(downloads, "demo-aftercare.en.pdf")
    assert pages(stack) == 3 * pages(blank)
    for data in (stack, blank):
        assert NAME not in pdf_text(data) and "Dr Lee" not in pdf_text(data)

    # Enter in a patient field makes the patient's sheet (the form's first button).
    browser.find_element(By.ID, "provider").send_keys(Keys.ENTER)
    assert NAME in pdf_text(downloaded(downloads, "demo-aftercare.en.pdf"))

    # Next patient: a fresh form with the same choices and today's date.
    Select(browser.find_element(By.ID, "layout")).select_by_value("two-column")
    press(browser, "next")
    wait.until(lambda d: value(d, "patient") == "")
    assert [value(browser, n) for n in ("provider", "follow_up", "follow_up_weeks")] == ["", "", ""]
    assert value(browser, "date") == dt.date.today().isoformat() and value(browser, "layout") == "two-column"

    # Without the script, a button brings the colours, languages, layouts and preview up to date with the choices.
    Select(browser.find_element(By.ID, "brand")).select_by_visible_text("Teal Studio")
    Select(browser.find_element(By.ID, "lang")).select_by_value("es")
    press(browser, "refresh")
    wait.until(lambda d: d.find_element(By.ID, "brand-name").text == "Teal Studio")
    assert "lang=es" in browser.find_element(By.ID, "preview").get_attribute("src")
    press(browser, "generic")
    assert "Día 0" in pdf_text(downloaded(downloads, "demo-aftercare.es.pdf"))
    screenshot(browser, "desk-form-nojs", tmp_path)
