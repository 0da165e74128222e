"""What the front-desk tests share: the patient they type, and reading the form and the PDFs it answers with."""

from __future__ import annotations

import html
import io
import os
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

NAME = "Zebulon Quattlebaum"
PATIENT = {"brand": "plain", "handout": "demo/aftercare", "lang": "en", "layout": "", "patient": NAME, "date": "2026-11-24",
           "provider": "Dr Lee", "follow_up": "2026-12-08", "follow_up_weeks": "", "make": "patient"}
# The same details as the engine prints them for the plain (Letter, month-day) brand.
PATIENT_TEXT = [NAME, "Tue Nov 24, 2026", "Dr Lee", "Day 0", "Tue Nov 24", "Days 1–2", "Wed Nov 25 – Thu Nov 26",
                "Romeo appointment", "Tue Dec 8, 2026"]
TOKEN = "front-desk-token-0123456789"


def csrf_of(page: str) -> str:
    """The CSRF token in a form page."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the form has no CSRF token"
    return match[1]


def post(client, **fields: str):
    """Submit the form the way a browser does after loading it."""
    token = csrf_of(client.get("/").get_data(as_text=True))
    return client.post("/", data={**PATIENT, "csrf_token": token, **fields})


def pdf_text(data: bytes) -> str:
    """All text of an in-memory PDF, whitespace normalised."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def pages(data: bytes) -> int:
    """The number of pages of an in-memory PDF."""
    return len(PdfReader(io.BytesIO(data)).pages)


def field_error(page: str, name: str) -> str:
    """The message shown beside one field, checking the field points at it for screen readers."""
    control = re.search(rf'<(?:input|select) id="{name}"[^>]*>', page)
    assert control, f"no control {name}"
    assert 'aria-invalid="true"' in control[0], control[0]
    described = re.search(r'aria-describedby="([^"]+)"', control[0])
    assert described and f"{name}-error" in described[1].split(), control[0]
    message = re.search(rf'<p class="error" id="{name}-error">.*?</span>(.*?)</p>', page, re.S)
    assert message, f"no message beside {name}"
    return html.unescape(message[1]).strip()


def layout_options(page: str) -> list[str]:
    """The values the layout menu offers."""
    menu = re.search(r'<select id="layout".*?</select>', page, re.S)
    assert menu, "no layout menu"
    return re.findall(r'<option value="([^"]*)"', menu[0])


def http(url: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None, context=None,
         timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
    """One request to a real server (no proxy): status, headers, body."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    handlers = [urllib.request.ProxyHandler({})] + ([urllib.request.HTTPSHandler(context=context)] if context else [])
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(urllib.request.Request(url, data=body, headers=headers or {}), timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


# --- a real browser -----------------------------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic", "--window-size=1280,1000")


def chromium(profile: Path, prefs: dict | None = None):
    """Debian's headless Chromium through chromedriver."""
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip("needs /usr/bin/chromium and /usr/bin/chromedriver (Debian packages chromium and chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS + (f"--user-data-dir={profile}",):
        options.add_argument(flag)
    if prefs:
        options.add_experimental_option("prefs", prefs)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_script_timeout(20)
    driver.set_page_load_timeout(60)
    return driver


def desk_server(service) -> Iterator[str]:
    """The desk on a free loopback port, as `generate.py serve` runs it."""
    from handouts.desk.app import create_app
    from handouts.desk.server import Server

    server = Server(("127.0.0.1", 0), create_app(service))
    server.prepare()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}/"
    server.stop()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(desk_service) -> Iterator[str]:
    """One desk server for a test module (import this fixture into the module)."""
    yield from desk_server(desk_service)


def screenshot(driver, name: str, tmp: Path) -> Path:
    """Save a screenshot of the whole page where HANDOUTS_SCREENSHOTS says (else in the test's folder)."""
    folder = Path(os.environ.get("HANDOUTS_SCREENSHOTS", tmp))
    folder.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, max(1000, min(height, 3000)))
    path = folder / f"{name}.png"
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 1000)
    return path


def press(driver, value: str) -> None:
    """Press one of the form's buttons, by the action it sends."""
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, f"button[name=make][value={value}]").click()


def value(driver, name: str) -> str:
    """The value of a form control."""
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, name).get_attribute("value")
