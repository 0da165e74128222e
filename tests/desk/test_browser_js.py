"""The front desk in a real Chromium with JavaScript on: every button pressed, every PDF read back from the page.

One browser and one server for the whole module. Set HANDOUTS_SCREENSHOTS=DIR to keep the screenshots it takes.
"""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

import pytest

pytest.importorskip("cheroot")
pytest.importorskip("selenium.webdriver")

from conftest import assert_in_order  # noqa: E402
from desk_support import NAME, chromium, pages, pdf_text, press, screenshot, server, value  # noqa: E402,F401 (server: a fixture)

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

pytestmark = pytest.mark.timeout(180)
@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    """One browser for the module."""
    driver = chromium(tmp_path_factory.mktemp("chromium-js"))
    yield driver
    driver.quit()


def shown_pdf(driver) -> bytes:
    """The very bytes the page shows in its result frame, read back from the blob."""
    encoded = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch(document.getElementById("result-frame").src).then(r => r.arrayBuffer()).then(buffer => {
            let text = ""; for (const byte of new Uint8Array(buffer)) text += String.fromCharCode(byte);
            done(btoa(text));
        }).catch(error => done("failed: " + error));""")
    assert not encoded.startswith("failed"), encoded
    return base64.b64decode(encoded)


def wait_for_pdf(driver, title: str) -> bytes:
    """Wait until the result shows a new PDF under the given heading, and return its bytes."""
    wait = WebDriverWait(driver, 30)
    wait.until(lambda d: d.find_element(By.ID, "result").is_displayed() and d.find_element(By.ID, "result-title").text == title)
    wait.until(lambda d: (d.find_element(By.ID, "result-frame").get_attribute("src") or "").startswith("blob:"))
    return shown_pdf(driver)


def fresh_result(driver) -> None:
    """Close the result, so the next wait sees the next PDF."""
    driver.find_element(By.ID, "close-result").click()
    WebDriverWait(driver, 10).until(lambda d: not d.find_element(By.ID, "result").is_displayed())


def test_every_button_with_javascript_on(browser, server: str, tmp_path: Path) -> None:
    wait = WebDriverWait(browser, 30)
    browser.get(server)
    assert "Print a patient handout" in browser.title
    assert "js" in browser.find_element(By.TAG_NAME, "html").get_attribute("class").split()
    assert value(browser, "date") == dt.date.today().isoformat()
    assert [o.get_attribute("value") for o in Select(browser.find_element(By.ID, "layout")).options] == [
        "large-print", "standard", "trifold", "two-column"]  # no card: this handout has no card section
    screenshot(browser, "desk-form", tmp_path)

    # The patient button with no name: the message beside the field, announced, and in the summary.
    press(browser, "patient")
    message = wait.until(lambda d: d.find_element(By.ID, "patient-error"))
    assert "Type the patient's name" in message.text
    assert browser.switch_to.active_element.get_attribute("id") == "error-summary"
    assert browser.find_element(By.ID, "error-summary").get_attribute("role") == "alert"
    screenshot(browser, "desk-error", tmp_path)

    # A patient sheet, typed and pressed; the old message goes.
    name = browser.find_element(By.ID, "patient")
    name.send_keys(NAME)
    browser.find_element(By.ID, "date").send_keys("11242026")  # the date picker takes the digits in the locale's order
    browser.find_element(By.ID, "provider").send_keys("Dr Lee")
    Select(browser.find_element(By.ID, "follow_up_weeks")).select_by_value("2")
    press(browser, "patient")
    personal = wait_for_pdf(browser, "The patient's handout is ready")
    assert pages(personal) == 3
    assert_in_order(pdf_text(personal), [NAME, "Tue Nov 24, 2026", "Dr Lee", "Days 1–2", "Wed Nov 25 – Thu Nov 26", "Tue Dec 8, 2026"])
    assert browser.find_elements(By.ID, "error-summary") == [] and browser.find_elements(By.CSS_SELECTOR, ".error") == []
    assert browser.find_element(By.ID, "patient").get_attribute("aria-invalid") is None
    assert browser.switch_to.active_element.get_attribute("id") == "result-title"
    screenshot(browser, "desk-ready", tmp_path)

    # Print and open in a new tab work on the sheet shown.
    browser.find_element(By.ID, "print-button").click()
    before = set(browser.window_handles)
    browser.find_element(By.ID, "open-link").click()
    wait.until(lambda d: len(d.window_handles) == len(before) + 1)
    main = browser.current_window_handle
    for handle in set(browser.window_handles) - before:
        browser.switch_to.window(handle)
        browser.close()
    browser.switch_to.window(main)

    # Make stack right after, with the name still typed in: N copies of the blank sheet, no name.
    assert value(browser, "patient") == NAME
    copies = browser.find_element(By.ID, "copies")
    copies.clear()
    copies.send_keys("3")
    fresh_result(browser)
    press(browser, "stack")
    stack = wait_for_pdf(browser, "Your stack of blank copies is ready")
    fresh_result(browser)
    press(browser, "generic")
    blank = wait_for_pdf(browser, "Your blank copy is ready")
    assert pages(stack) == 3 * pages(blank)
    for data in (stack, blank):
        assert NAME not in pdf_text(data) and "Dr Lee" not in pdf_text(data)

    # Enter does what the focused field implies: in the copies box a stack, in the name box the patient's sheet.
    fresh_result(browser)
    copies = browser.find_element(By.ID, "copies")
    copies.clear()
    copies.send_keys("2", Keys.ENTER)
    assert pages(wait_for_pdf(browser, "Your stack of blank copies is ready")) == 2 * pages(blank)
    fresh_result(browser)
    browser.find_element(By.ID, "patient").send_keys(Keys.ENTER)
    assert NAME in pdf_text(wait_for_pdf(browser, "The patient's handout is ready"))

    # Next patient (beside the sheet) forgets the details and the sheet; so does the one in the form.
    browser.find_element(By.ID, "result-next").click()
    wait.until(lambda d: not d.find_element(By.ID, "result").is_displayed())
    assert [value(browser, n) for n in ("patient", "provider", "follow_up", "follow_up_weeks")] == ["", "", "", ""]
    assert value(browser, "date") == dt.date.today().isoformat() and value(browser, "copies") == "2"
    assert browser.find_element(By.ID, "result-frame").get_attribute("src") in (None, "")
    assert browser.switch_to.active_element.get_attribute("id") == "patient"
    browser.find_element(By.ID, "patient").send_keys("Someone Else")
    press(browser, "next")
    wait.until(lambda d: value(d, "patient") == "")

    # Left alone, the page forgets a typed name (the wait is shortened here from minutes to a moment).
    browser.execute_script("document.getElementById('handout-form').dataset.idleMinutes = '0.01'")
    browser.find_element(By.ID, "patient").send_keys("Idle Person")
    wait.until(lambda d: value(d, "patient") == "")
    assert "cleared after" in browser.find_element(By.ID, "cleared-note").get_attribute("textContent")

    # The choices follow at once: brand colours and name, languages, layouts, preview.
    Select(browser.find_element(By.ID, "brand")).select_by_visible_text("Teal Studio")
    wait.until(lambda d: d.find_element(By.ID, "brand-name").text == "Teal Studio")
    Select(browser.find_element(By.ID, "lang")).select_by_value("es")
    Select(browser.find_element(By.ID, "layout")).select_by_value("two-column")
    wait.until(lambda d: "layout=two-column" in d.find_element(By.ID, "preview").get_attribute("src"))
    assert "brand=teal" in browser.find_element(By.ID, "preview").get_attribute("src")
    Select(browser.find_element(By.ID, "brand")).select_by_visible_text("Plain Clinic")
    assert browser.find_element(By.CSS_SELECTOR, "#lang option[value=es]").get_attribute("disabled") == "true"
    assert value(browser, "lang") == "en" and value(browser, "layout") == "two-column"
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "status of 400" not in e["message"]]
    assert severe == []
