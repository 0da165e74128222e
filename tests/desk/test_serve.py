"""The front-desk page: the form, the PDFs it returns, its guards, load, and a real browser filling it in."""

from __future__ import annotations

import argparse
import base64
import html
import io
import logging
import re
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pypdf import PdfReader

flask = pytest.importorskip("flask")

from conftest import FIXTURES, assert_in_order  # noqa: E402

from handouts.errors import UsageError  # noqa: E402
from handouts.serve import MAX_COPIES, MAX_FORM_BYTES, add_arguments, cmd_serve, create_app, make_server, server_token  # noqa: E402

TREE = FIXTURES / "tree"
TOKEN = "front-desk-token-0123456789"
NAME = "Zebulon Quattlebaum"
PATIENT = {"brand": "plain", "handout": "demo/aftercare", "lang": "en", "layout": "", "patient": NAME, "date": "2026-11-24",
           "provider": "Dr Lee", "follow_up": "2026-12-08", "make": "patient"}
# The same details as the engine prints them for the plain (Letter, month-day) brand.
PATIENT_TEXT = [NAME, "Tue Nov 24, 2026", "Dr Lee", "Day 0", "Tue Nov 24", "Days 1–2", "Wed Nov 25 – Thu Nov 26",
                "Romeo appointment", "Tue Dec 8, 2026"]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def app() -> flask.Flask:
    """One app for the fixture tree, loaded once like the real server."""
    return create_app(TREE)


@pytest.fixture
def client(app: flask.Flask):
    """A fresh browser-like client (its own cookies)."""
    return app.test_client()


@pytest.fixture(scope="module")
def server(app: flask.Flask) -> Iterator[str]:
    """The app on a free loopback port, served by the same threaded server as `generate.py serve`."""
    httpd = make_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()
    httpd.server_close()


def csrf_of(page: str) -> str:
    """The CSRF token in a form page."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the form has no CSRF token"
    return match[1]


def post(client, **fields: str):
    """Submit the form the way a browser does after loading it."""
    token = csrf_of(client.get("/").get_data(as_text=True))
    return client.post("/", data={**PATIENT, "csrf_token": token, **fields})


def http(url: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request to the real server (no proxy): status, headers, body."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(urllib.request.Request(url, data=body, headers=headers or {}), timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def pdf_text(data: bytes) -> str:
    """All text of an in-memory PDF, whitespace normalised."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


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


# --- the form ---------------------------------------------------------------------------------------------------------

def test_form_is_labelled_grouped_and_branded(client) -> None:
    response = client.get("/?brand=teal&patient=Leaked+Name")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    for control in re.findall(r'<(?:input|select) id="([^"]+)"', page):
        assert f'<label for="{control}">' in page, f"{control} has no label"
    assert [html.unescape(x) for x in re.findall(r"<legend>(.*?)</legend>", page)] == ["Handout", "Patient", "A stack of blank copies"]
    assert "Leaked Name" not in page  # patient details never come from a URL
    assert '<option value="teal"' in page and re.search(r'<option value="teal"[^>]*selected', page)
    assert "/brand/teal.css" in page and 'id="brand-logo" src="/logo/teal"' in page
    css = client.get("/brand/teal.css").get_data(as_text=True)
    assert "--brand: #1F4E5A" in css and "--brand-accent: #E8F1F2" in css


def test_logo_route_serves_only_brand_logos(client) -> None:
    png = client.get("/logo/plain")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert png.data == (TREE / "brands/plain/logo.png").read_bytes()
    svg = client.get("/logo/teal")
    assert svg.mimetype == "image/svg+xml" and "sandbox" in svg.headers["Content-Security-Policy"]
    for path in ("/logo/nowhere", "/logo/plain/../teal", "/logo/..%2Fplain%2Fbrand.yaml", "/logo/brand.yaml"):
        assert client.get(path).status_code == 404, path


def test_preview_is_page_one_as_png_and_cached(client, monkeypatch: pytest.MonkeyPatch) -> None:
    url = "/preview.png?brand=teal&handout=demo/aftercare&lang=es"
    first = client.get(url)
    assert first.status_code == 200 and first.mimetype == "image/png" and first.data.startswith(b"\x89PNG")

    def no_rendering(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the preview was rendered again instead of coming from memory")

    monkeypatch.setattr("handouts.preview.pages_to_png", no_rendering)
    monkeypatch.setattr("handouts.pdf.render_pdf", no_rendering)
    assert client.get(url).data == first.data
    from PIL import Image

    image = Image.open(io.BytesIO(first.data))
    assert 0.6 < image.width / image.height < 0.8  # one portrait page
    assert client.get("/preview.png?brand=plain&handout=demo/aftercare&lang=es").status_code == 404  # plain prints English only


# --- PDFs -------------------------------------------------------------------------------------------------------------

def test_patient_pdf_has_the_details_and_a_neutral_name(client) -> None:
    response = post(client)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == 'inline; filename="demo-aftercare.en.pdf"'
    assert_in_order(pdf_text(response.data), PATIENT_TEXT)
    metadata = PdfReader(io.BytesIO(response.data)).metadata
    assert all(NAME not in str(value) for value in metadata.values())


def test_same_bytes_as_the_command_line(client, run, tmp_path: Path) -> None:
    out = tmp_path / "cli.pdf"
    result = run("handout", "demo/aftercare", "--brand", "plain", "--content", TREE, "--patient", NAME, "--date", "2026-11-24",
                 "--provider", "Dr Lee", "--follow-up", "2026-12-08", "-o", out)
    assert result.code == 0, result.err
    assert post(client).data == out.read_bytes()
    blank = tmp_path / "blank.pdf"
    assert run("handout", "demo/aftercare", "--brand", "teal", "--lang", "es", "--content", TREE, "-o", blank).code == 0
    assert post(client, make="generic", brand="teal", lang="es").data == blank.read_bytes()


def test_blank_copy_and_a_stack_of_copies(client) -> None:
    blank = post(client, make="generic")
    assert blank.status_code == 200 and blank.headers["Cache-Control"] == "no-store"
    text = pdf_text(blank.data)
    assert NAME not in text and "Patient Treatment date Provider" in text
    pages = len(PdfReader(io.BytesIO(blank.data)).pages)
    stack = post(client, make="stack", copies="4")
    assert stack.headers["Content-Disposition"] == 'inline; filename="demo-aftercare.en-4-copies.pdf"'
    reader = PdfReader(io.BytesIO(stack.data))
    assert len(reader.pages) == 4 * pages
    assert reader.metadata["/Title"] == "Every block demo"
    assert pdf_text(stack.data).count("Every block demo") >= 4
    assert len(stack.data) < 2 * len(blank.data)  # the copies share fonts and images
    for copies in (str(MAX_COPIES + 1), "0", "ten"):
        page = post(client, make="stack", copies=copies)
        assert page.status_code == 400
        assert f"is not a number of copies from 1 to {MAX_COPIES}" in field_error(page.get_data(as_text=True), "copies")


@pytest.mark.parametrize("fields, status, name, message", [
    ({"date": "2026-02-30"}, 400, "date", "'2026-02-30' is not a date that exists (expected YYYY-MM-DD, e.g. 2026-11-24)"),
    ({"date": "24/11/2026"}, 400, "date", "'24/11/2026' is not a date that exists"),
    ({"follow_up": "2026-11-01"}, 422, "follow_up", "2026-11-01 is before the treatment date 2026-11-24 (expected a later date)"),
    ({"brand": "nowhere"}, 400, "brand", "'nowhere' is not one of this desk's clinics (choose one of: Plain Clinic, Teal Studio)"),
    ({"lang": "es"}, 400, "lang", "Plain Clinic does not print handouts in Español (choose English)"),
    ({"handout": "demo/overview"}, 400, "handout", "'demo/overview' is not a handout on this list"),
    ({"patient": "王小明"}, 422, "patient", "The patient's name has '王' '小' '明', which the bundled Noto Sans cannot print"),
    ({"patient": "Ana\x07Pérez"}, 400, "patient", "The patient's name contains control characters"),
    ({"patient": "A" * 81}, 400, "patient", "The patient's name is 81 characters long (expected at most 80)"),
    ({"patient": "", "date": "", "provider": "", "follow_up": ""}, 400, "patient", "Type the patient's name"),
    ({"layout": "card"}, 422, "layout", "This handout needs 3 pages in the card layout, which holds 2: choose another layout"),
])
def test_bad_input_is_shown_beside_the_field(client, fields: dict[str, str], status: int, name: str, message: str) -> None:
    response = post(client, **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == status, page
    assert response.mimetype == "text/html" and response.headers["Cache-Control"] == "no-store"
    assert message in field_error(page, name)
    assert "Traceback" not in page and 'id="error-summary" role="alert"' in page
    if fields.get("patient", NAME) == NAME:
        assert f'value="{NAME}"' in page  # what was typed is kept


def test_without_javascript_a_button_updates_the_choices(client) -> None:
    response = post(client, make="refresh", brand="teal", lang="es")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert re.search(r'<option value="teal"[^>]*selected', page) and "/brand/teal.css" in page
    assert "preview.png?brand=teal&amp;handout=demo/aftercare&amp;lang=es" in page
    assert f'value="{NAME}"' in page and 'value="2026-11-24"' in page


def test_an_unexpected_failure_shows_no_trace_and_logs_no_patient(app: flask.Flask, client, monkeypatch: pytest.MonkeyPatch,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError(f"renderer fell over while printing {NAME}")

    monkeypatch.setattr(app.extensions["handouts"], "personal", broken)
    caplog.set_level(logging.DEBUG)
    response = post(client)
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and response.mimetype == "text/plain"
    assert "Something went wrong and nothing was printed" in body
    assert NAME not in body and "Traceback" not in body
    assert "internal error RuntimeError" in caplog.text and NAME not in caplog.text


def test_huge_form_is_refused_with_a_message(client) -> None:
    token = csrf_of(client.get("/").get_data(as_text=True))
    response = client.post("/", data={**PATIENT, "csrf_token": token, "patient": "x" * (MAX_FORM_BYTES + 10)})
    page = response.get_data(as_text=True)
    assert response.status_code == 413 and response.mimetype == "text/html"
    assert f"The form was larger than {MAX_FORM_BYTES // 1024} KB, so nothing was printed" in page
    assert "x" * 100 not in page


# --- guards -----------------------------------------------------------------------------------------------------------

def test_post_needs_this_browsers_csrf_token(app: flask.Flask, client) -> None:
    client.get("/")
    missing = client.post("/", data=PATIENT)
    assert missing.status_code == 400 and missing.mimetype == "text/html"
    assert "This form had expired" in missing.get_data(as_text=True)
    assert client.post("/", data={**PATIENT, "csrf_token": "forged"}).status_code == 400
    other = app.test_client()
    stolen = csrf_of(other.get("/").get_data(as_text=True))
    assert client.post("/", data={**PATIENT, "csrf_token": stolen}).status_code == 400  # tied to the other browser
    assert other.post("/", data={**PATIENT, "csrf_token": stolen}).status_code == 200


@pytest.fixture(scope="module")
def guarded() -> flask.Flask:
    """The app as served on a network address: every request needs the token."""
    return create_app(TREE, token=TOKEN)


def test_token_is_required_for_every_request(guarded: flask.Flask) -> None:
    anonymous = guarded.test_client()
    for path in ("/", "/logo/plain", "/static/desk.css", "/preview.png", "/brand/plain.css"):
        response = anonymous.get(path)
        assert response.status_code == 401, path
    assert anonymous.get("/").headers["WWW-Authenticate"] == 'Bearer realm="handouts"'
    assert anonymous.post("/", data=PATIENT).status_code == 401
    assert anonymous.get("/?token=wrong-token-wrong-token").status_code == 403
    assert anonymous.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert anonymous.get("/").status_code == 401  # a wrong try signs nobody in


def test_token_login_sets_a_cookie_and_bearer_works(guarded: flask.Flask) -> None:
    browser = guarded.test_client()
    login = browser.get(f"/?token={TOKEN}")
    assert login.status_code == 303 and login.headers["Location"] == "/"  # the token leaves the address bar
    assert "HttpOnly" in login.headers["Set-Cookie"] and "SameSite=Lax" in login.headers["Set-Cookie"]
    assert TOKEN not in login.headers["Set-Cookie"]
    assert browser.get("/").status_code == 200
    assert post(browser).mimetype == "application/pdf"
    script = guarded.test_client()
    assert script.get("/", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_network_address_needs_a_token(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("HANDOUTS_TOKEN", raising=False)
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(["--host", "0.0.0.0", "--port", "0"])
    args.content = TREE
    with pytest.raises(UsageError) as refused:
        cmd_serve(args)
    assert refused.value.exit_code == 2
    assert "--host 0.0.0.0 can be reached from other computers, so it needs an access token" in str(refused.value)
    with pytest.raises(UsageError, match="the access token is 5 characters long"):
        server_token("0.0.0.0", "short")
    assert server_token("127.0.0.1", None) is None
    assert server_token("::1", None) is None
    monkeypatch.setenv("HANDOUTS_TOKEN", TOKEN)
    assert server_token("192.168.1.20", None) == TOKEN
    from handouts import cli

    if "serve" in cli.COMMANDS:  # once the subcommand is wired into generate.py
        monkeypatch.delenv("HANDOUTS_TOKEN")
        assert cli.main(["serve", "--host", "0.0.0.0", "--content", str(TREE)]) == 2
        assert "needs an access token" in capsys.readouterr().err


def test_loopback_server_answers_only_loopback_names(server: str) -> None:
    assert http(server)[0] == 200
    assert http(server.replace("127.0.0.1", "localhost"))[0] == 200
    assert http(server, headers={"Host": "attacker.example"})[0] == 400  # a DNS-rebound page gets nothing


def test_patient_details_touch_no_disk_and_no_log(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    scratch = tmp_path / "tmpdir"
    scratch.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", None)  # make tempfile read TMPDIR again
    monkeypatch.chdir(work)
    app = create_app(tree)
    client = app.test_client()

    def listing() -> dict[str, tuple[int, int]]:
        roots = (tree, scratch, work, Path(tempfile.gettempdir()))
        return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for root in roots for p in root.rglob("*")}

    def system_tmp() -> set[Path]:
        return set(Path("/tmp").iterdir()) if Path("/tmp").is_dir() else set()

    before, before_tmp = listing(), system_tmp()
    caplog.set_level(logging.DEBUG)
    assert post(client).mimetype == "application/pdf"
    assert post(client, make="stack", copies="3").mimetype == "application/pdf"
    assert post(client, date="2026-02-30").status_code == 400
    assert listing() == before
    for path in system_tmp() - before_tmp:
        if path.is_file():
            assert NAME.encode() not in path.read_bytes(), path
    assert NAME not in caplog.text and "2026-11-24" not in caplog.text
    assert "printed personal demo/aftercare en standard for plain" in caplog.text


# --- load -------------------------------------------------------------------------------------------------------------

def test_twenty_parallel_requests_all_get_whole_pdfs(server: str) -> None:
    status, headers, page = http(server)
    cookie = {"Cookie": headers["Set-Cookie"].split(";", 1)[0]}
    token = csrf_of(page.decode())
    started = time.monotonic()
    assert http(server, {**PATIENT, "csrf_token": token}, cookie)[0] == 200
    one = time.monotonic() - started

    def request(i: int) -> tuple[bytes, str, float]:
        begun = time.monotonic()
        name = f"{NAME} {chr(65 + i)}"
        status, headers, body = http(server, {**PATIENT, "patient": name, "csrf_token": token}, cookie)
        assert status == 200, body[:300]
        assert headers["Content-Type"] == "application/pdf"
        return body, name, time.monotonic() - begun

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=20) as pool:
        pending = [pool.submit(request, i) for i in range(20)]
        time.sleep(0.2)
        form_started = time.monotonic()
        assert http(server, headers=cookie)[0] == 200
        form_wait = time.monotonic() - form_started
        results = [job.result() for job in pending]
    wall = time.monotonic() - started
    for data, name, _ in results:
        assert len(PdfReader(io.BytesIO(data)).pages) == 3
        assert_in_order(pdf_text(data), [name] + PATIENT_TEXT[1:])
    slowest = max(seconds for _, _, seconds in results)
    print(f"\none PDF request {one * 1000:.0f} ms; 20 in parallel: wall {wall:.2f} s, slowest {slowest:.2f} s; "
          f"form page during the burst {form_wait * 1000:.0f} ms")


# --- a real browser ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    """Debian's headless Chromium through chromedriver."""
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip("needs /usr/bin/chromium and /usr/bin/chromedriver (Debian packages chromium and chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--window-size=1280,1000",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_script_timeout(20)
    yield driver
    driver.quit()


def test_browser_fills_the_form_and_gets_the_pdf(browser, server: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import Select, WebDriverWait

    wait = WebDriverWait(browser, 20)
    browser.get(server)
    assert "Print a patient handout" in browser.title
    Select(browser.find_element(By.ID, "brand")).select_by_visible_text("Teal Studio")
    wait.until(lambda d: d.find_element(By.ID, "brand-name").text == "Teal Studio")
    assert "brand=teal" in browser.find_element(By.ID, "preview").get_attribute("src")
    Select(browser.find_element(By.ID, "lang")).select_by_value("es")
    name = browser.find_element(By.ID, "patient")
    name.send_keys("José Núñez")
    name.send_keys(Keys.TAB)  # keyboard order follows the form
    assert browser.switch_to.active_element.get_attribute("id") == "date"
    browser.switch_to.active_element.send_keys("2026-11-30")
    browser.find_element(By.ID, "provider").send_keys("Dra. Ruiz")
    browser.find_element(By.ID, "follow_up").send_keys("2026-12-14")
    browser.find_element(By.CSS_SELECTOR, "button[value=patient]").click()

    frame = wait.until(ready.visibility_of_element_located((By.ID, "result-frame")))
    wait.until(lambda d: (frame.get_attribute("src") or "").startswith("blob:"))
    assert browser.switch_to.active_element.get_attribute("id") == "result-title"
    # The very bytes the browser received and shows, read back from its blob.
    encoded = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch(document.getElementById("result-frame").src).then(r => r.arrayBuffer()).then(buffer => {
            let text = ""; for (const byte of new Uint8Array(buffer)) text += String.fromCharCode(byte);
            done(btoa(text));
        }).catch(error => done("failed: " + error));""")
    assert not encoded.startswith("failed"), encoded
    assert_in_order(pdf_text(base64.b64decode(encoded)),
                    ["José Núñez", "lun 30 nov 2026", "Dra. Ruiz", "Día 0", "lun 30 nov", "Días 1–2", "mar 1 dic – mié 2 dic",
                     "Su próxima cita", "lun 14 dic 2026"])

    date = browser.find_element(By.ID, "date")
    date.clear()
    date.send_keys("2026-02-30")
    browser.find_element(By.CSS_SELECTOR, "button[value=patient]").click()
    message = wait.until(ready.visibility_of_element_located((By.ID, "date-error")))
    assert "'2026-02-30' is not a date that exists" in message.text
    date = browser.find_element(By.ID, "date")
    assert date.get_attribute("aria-invalid") == "true"
    assert "date-error" in date.get_attribute("aria-describedby").split()
    assert date.get_attribute("value") == "2026-02-30" and browser.find_element(By.ID, "patient").get_attribute("value") == "José Núñez"
    assert browser.switch_to.active_element.get_attribute("id") == "error-summary"
    assert not browser.find_element(By.ID, "result").is_displayed()
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "status of 400" not in e["message"]]
    assert severe == []
