"""The front-desk page through Flask's test client: the form, the PDFs it returns, its messages, its guards."""

from __future__ import annotations

import datetime as dt
import html
import io
import logging
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader

flask = pytest.importorskip("flask")

from conftest import FIXTURES, assert_in_order  # noqa: E402
from desk_support import NAME, PATIENT, PATIENT_TEXT, TOKEN, csrf_of, field_error, layout_options, pages, pdf_text, post  # noqa: E402

from handouts.build import Job  # noqa: E402
from handouts.desk.app import MAX_FORM_BYTES, create_app, load  # noqa: E402
from handouts.desk.forms import MAX_COPIES  # noqa: E402
from handouts.errors import ContentError  # noqa: E402
from handouts.patient import Patient  # noqa: E402

pytestmark = pytest.mark.timeout(120)
TREE = FIXTURES / "tree"


@pytest.fixture(scope="module")
def app(desk_service) -> flask.Flask:
    """The app over the shared service, like the real server."""
    return create_app(desk_service)


@pytest.fixture
def client(app: flask.Flask):
    """A fresh browser-like client (its own cookies)."""
    return app.test_client()


# --- the form ---------------------------------------------------------------------------------------------------------

def test_form_is_labelled_grouped_branded_and_dated_today(client) -> None:
    response = client.get("/?brand=teal&patient=Leaked+Name")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    for control in re.findall(r'<(?:input|select) id="([^"]+)"', page):
        assert f'<label for="{control}">' in page, f"{control} has no label"
    assert [html.unescape(x) for x in re.findall(r"<legend>(.*?)</legend>", page)] == ["Handout", "Patient", "A stack of blank copies"]
    assert "Leaked Name" not in page  # patient details never come from a URL
    assert re.search(r'<option value="teal"[^>]*selected', page)
    assert "/brand/teal.css" in page and 'id="brand-logo" src="/logo/teal"' in page
    assert f'id="date" name="date" type="date" value="{dt.date.today().isoformat()}"' in page
    assert 'id="follow_up" name="follow_up" type="date" value=""' in page
    assert re.findall(r'<option value="(\d+)"', page) == ["1", "2", "4", "6", "8", "12"]
    assert "The page forgets these details after 3 minutes without use." in page
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


def test_preview_is_page_one_as_png_and_kept(client, desk_service, monkeypatch: pytest.MonkeyPatch) -> None:
    url = "/preview.png?brand=teal&handout=demo/aftercare&lang=es&layout=two-column"
    first = client.get(url)
    assert first.status_code == 200 and first.mimetype == "image/png" and first.data.startswith(b"\x89PNG")

    def no_rendering(*_args: object) -> None:
        raise AssertionError("the preview was printed again instead of coming from memory")

    monkeypatch.setattr(desk_service, "_run", no_rendering)
    assert client.get(url).data == first.data
    from PIL import Image

    image = Image.open(io.BytesIO(first.data))
    assert 0.6 < image.width / image.height < 0.8  # one portrait page
    assert client.get("/preview.png?brand=plain&handout=demo/aftercare&lang=es").status_code == 404  # plain prints English only


def test_only_layouts_that_fit_are_offered(client, desk_service) -> None:
    # The demo handout has no card section, and in every other layout it fits, blank and with the longest names.
    fitting = ["large-print", "standard", "trifold", "two-column"]
    assert list(desk_service.layouts_for("plain", "demo/aftercare", "en")) == fitting
    page = client.get("/").get_data(as_text=True)
    assert layout_options(page) == fitting
    assert re.search(r'<option value="standard" selected>Standard \(usual\)</option>', page)
    fits = html.unescape(re.search(r'data-fits="([^"]+)"', page)[1])
    assert '"plain|demo/aftercare|en": {"first": "standard", "fits": ["large-print", "standard", "trifold", "two-column"]' in fits
    refused = post(client, layout="card")
    assert refused.status_code == 400
    assert field_error(refused.get_data(as_text=True), "layout") == ("This handout does not fit the card layout "
                                                                      "(choose one of: large-print, standard, trifold, two-column)")


# --- PDFs -------------------------------------------------------------------------------------------------------------

def test_patient_pdf_has_the_details_and_a_neutral_name(client) -> None:
    response = post(client)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == 'inline; filename="demo-aftercare.en.pdf"'
    assert_in_order(pdf_text(response.data), PATIENT_TEXT)
    metadata = PdfReader(io.BytesIO(response.data)).metadata
    assert all(NAME not in str(value) for value in metadata.values())


def test_a_name_in_chinese_letters_prints_with_the_script_fonts(client) -> None:
    # The clinic's font has no Chinese: the sheet prints the name with the bundled script font behind it, as `handout` does.
    response = post(client, patient="王小明")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "王小明" in pdf_text(response.data)


def test_every_language_is_named_in_its_own_script_from_its_catalogue() -> None:
    from handouts.desk.forms import language_direction, language_name
    from handouts.i18n import catalogue_tags, strings

    assert [language_name(tag) for tag in catalogue_tags()] == [strings(tag).name for tag in catalogue_tags()]
    assert (language_name("ar"), language_name("zh-Hans"), language_name("vi")) == ("العربية", "简体中文", "Tiếng Việt")
    assert language_name("pt-BR") == "Português (pt-BR)"  # a regional tag with its language's catalogue
    assert language_name("xx-unknown-tag") == "xx-unknown"  # no catalogue: as typed, cut short
    assert [tag for tag in catalogue_tags() if language_direction(tag) == "rtl"] == ["ar"]


def test_the_language_menu_names_each_language_in_its_own_script_and_direction(client) -> None:
    page = client.get("/?brand=teal").get_data(as_text=True)
    assert re.findall(r'<option value="(\w+)" lang="\1" dir="ltr"[^>]*>([^<]+)</option>', page) == [("en", "English"), ("es", "Español")]


def test_follow_up_in_weeks_is_counted_from_the_treatment_date(client) -> None:
    response = post(client, follow_up="", follow_up_weeks="2")
    assert response.mimetype == "application/pdf"
    assert_in_order(pdf_text(response.data), PATIENT_TEXT)  # 2026-11-24 + 2 weeks = Tue Dec 8, 2026
    both = post(client, follow_up_weeks="4")
    assert both.status_code == 400
    assert field_error(both.get_data(as_text=True), "follow_up") == ("Follow-up date: give a date or a number of weeks, not both "
                                                                      "(clear one of them)")


def test_same_bytes_as_the_command_line(client, run, tmp_path: Path) -> None:
    details = tmp_path / "patient.yaml"
    details.write_text(f"name: {NAME}\ndate: 2026-11-24\nprovider: Dr Lee\nfollow_up: 2026-12-08\n", encoding="utf-8")
    out = tmp_path / "cli.pdf"
    result = run("handout", "demo/aftercare", "--brand", "plain", "--content", TREE, "--patient-from", details, "-o", out)
    assert result.code == 0, result.err
    assert post(client).data == out.read_bytes()
    blank = tmp_path / "blank.pdf"
    assert run("handout", "demo/aftercare", "--brand", "teal", "--lang", "es", "--content", TREE, "-o", blank).code == 0
    assert post(client, make="generic", brand="teal", lang="es").data == blank.read_bytes()


def test_blank_copy_and_a_stack_never_carry_the_typed_name(client) -> None:
    blank = post(client, make="generic")  # the name is still in the form
    assert blank.status_code == 200 and blank.headers["Cache-Control"] == "no-store"
    text = pdf_text(blank.data)
    assert NAME not in text and "Patient Treatment date Provider" in text
    stack = post(client, make="stack", copies="4")
    assert stack.headers["Content-Disposition"] == 'inline; filename="demo-aftercare.en-4-copies.pdf"'
    assert pages(stack.data) == 4 * pages(blank.data)
    assert NAME not in pdf_text(stack.data) and "Dr Lee" not in pdf_text(stack.data)
    assert PdfReader(io.BytesIO(stack.data)).metadata["/Title"] == "Every block demo"
    assert len(stack.data) < 2 * len(blank.data)  # the copies share fonts and images
    for copies in (str(MAX_COPIES + 1), "0", "ten"):
        page = post(client, make="stack", copies=copies)
        assert page.status_code == 400
        assert f"is not a number of copies from 1 to {MAX_COPIES}" in field_error(page.get_data(as_text=True), "copies")


def test_next_patient_clears_the_details_and_keeps_the_choices(client) -> None:
    page = post(client, make="next", brand="teal", lang="es", layout="two-column").get_data(as_text=True)
    assert NAME not in page and "Dr Lee" not in page and "2026-12-08" not in page
    assert f'id="date" name="date" type="date" value="{dt.date.today().isoformat()}"' in page
    assert re.search(r'<option value="teal"[^>]*selected', page) and re.search(r'<option value="two-column" selected', page)
    assert 'id="error-summary"' not in page


@pytest.mark.parametrize("fields, status, name, message", [
    ({"date": "2026-02-30"}, 400, "date", "Treatment date: '2026-02-30' is not a date that exists (expected YYYY-MM-DD, e.g. 2026-11-24)"),
    ({"date": "11/30/2026"}, 400, "date", "Treatment date: '11/30/2026' is not a date that exists"),
    ({"follow_up": "2026-11-01"}, 422, "follow_up", "Follow-up date: 2026-11-01 is before the treatment date 2026-11-24 (expected a later date)"),
    ({"follow_up": "", "follow_up_weeks": "3"}, 400, "follow_up", "Follow-up in: '3' is not one of the choices (1, 2, 4, 6, 8, 12 weeks)"),
    ({"brand": "nowhere"}, 400, "brand", "'nowhere' is not one of this desk's clinics (choose one of: Plain Clinic, Teal Studio)"),
    ({"lang": "es"}, 400, "lang", "Plain Clinic does not print handouts in Español (choose English)"),
    ({"handout": "demo/overview"}, 400, "handout", "'demo/overview' is not a handout on this list"),
    ({"layout": "poster"}, 400, "layout", "'poster' is not a layout (choose one of: large-print, standard, trifold, two-column)"),
    ({"patient": "አበበ ቢቂላ"}, 422, "patient", "The patient's name has 'አ' 'በ' 'ቢ' 'ቂ' 'ላ', which neither the bundled Noto Sans nor the "
                                             "bundled script fonts can print (type it in letters they have, e.g. Latin letters)"),
    ({"patient": "Ana\x07Pérez"}, 400, "patient", "Patient's name contains control characters"),
    ({"patient": "A" * 81}, 400, "patient", "Patient's name is 81 characters long (expected at most 80)"),
    ({"patient": "", "date": "", "provider": "", "follow_up": ""}, 400, "patient", "Type the patient's name"),
])
def test_bad_input_is_shown_beside_its_field_and_named_in_the_summary(client, fields: dict[str, str], status: int, name: str,
                                                                      message: str) -> None:
    response = post(client, **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == status, page
    assert response.mimetype == "text/html" and response.headers["Cache-Control"] == "no-store"
    assert message in field_error(page, name)
    summary = re.search(r'id="error-summary" role="alert".*?</div>', page, re.S)
    assert summary and f'<a href="#{name}">' in summary[0] and message in html.unescape(summary[0])
    assert "Traceback" not in page
    if fields.get("patient", NAME) == NAME:
        assert f'value="{NAME}"' in page  # what was typed is kept


def test_without_javascript_a_button_updates_the_choices(client) -> None:
    response = post(client, make="refresh", brand="teal", lang="es", layout="")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert re.search(r'<option value="teal"[^>]*selected', page) and "/brand/teal.css" in page
    assert "preview.png?brand=teal&amp;handout=demo/aftercare&amp;lang=es&amp;layout=standard" in page
    assert f'value="{NAME}"' in page and 'value="2026-11-24"' in page


def test_an_unexpected_failure_shows_no_trace_and_logs_no_patient(app: flask.Flask, client, monkeypatch: pytest.MonkeyPatch,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError(f"renderer fell over while printing {NAME}")

    monkeypatch.setattr(app.extensions["handouts"], "sheet", broken)
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


# --- content that puts the patient where they cannot go, an overview, a card ------------------------------------------

# Where content may put the patient's name only by mistake: a link, a QR code's link, a day count.
MISPLACED = {"link": ("[booking link](https://example.org/book)", "[booking link]({patient.name})"),
             "qr": ('url: "{brand.booking_url}"', 'url: "{patient.name}"'),
             "days": ('{days: "7", label', '{days: "{patient.name}", label')}
MISPLACED_PROBLEMS = {"link": "12: link '________________' is not allowed (a link starting with https:, mailto:, tel:)",
                      "qr": "35: link '________________' is not allowed (an https: link, e.g. the brand's booking_url)",
                      "days": "26: '________________' is not a day or a range of days (settings that give whole numbers, e.g. \"1-2\")"}


@pytest.fixture(scope="module")
def tricky(tmp_path_factory: pytest.TempPathFactory):
    """A tree with a pre-treatment sheet that puts the patient's name in a link, a QR code and a day count, an overview,
    and an aftercare sheet with a card section; its service and app."""
    root = tmp_path_factory.mktemp("tricky") / "content"
    shutil.copytree(TREE, root)
    source = (root / "demo/aftercare.en.yaml").read_text(encoding="utf-8")
    for place, (before, after) in MISPLACED.items():
        (root / place).mkdir()
        shutil.copy(root / "demo/settings.yaml", root / place / "settings.yaml")
        shutil.copytree(root / "demo/images", root / place / "images")
        leak = source.replace("kind: aftercare", "kind: pre-treatment").replace("id: demo-aftercare", f"id: {place}-pre")
        (root / place / "pre-treatment.en.yaml").write_text(leak.replace(before, after), encoding="utf-8")
    overview = source.replace("kind: aftercare", "kind: overview").replace("id: demo-aftercare", "id: demo-overview")
    (root / "demo/overview.en.yaml").write_text(overview, encoding="utf-8")
    card = "card:\n  - paragraph: Keep the skin clean and covered.\n  - contact: {title: Whiskey contact}\n"
    (root / "demo/aftercare.en.yaml").write_text(source + card, encoding="utf-8")
    service = load(root, workers=1)
    yield root, service, create_app(service)
    service.close()


@pytest.mark.parametrize("place", sorted(MISPLACED))
def test_content_that_misplaces_the_name_never_shows_or_logs_it(tricky, place: str, monkeypatch: pytest.MonkeyPatch,
                                                                caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]) -> None:
    _root, service, app = tricky
    handout = f"{place}/pre-treatment"
    assert service.layouts_for("plain", handout, "en") == ()  # it does not print even blank: never offered
    client = app.test_client()
    caplog.set_level(logging.DEBUG)
    offered = post(client, handout=handout)
    assert offered.status_code == 400
    assert field_error(offered.get_data(as_text=True), "layout") == ("This handout cannot be printed for this clinic: "
                                                                      "tell whoever looks after the handouts")
    # Had it been offered, the sheet would be refused with the blank sheet's wording of the problem.
    monkeypatch.setattr(service, "layouts_for", lambda *_args: ("standard",))
    response = post(client, handout=handout)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 500 and "Traceback" not in page
    assert f"{place}/pre-treatment.en.yaml:{MISPLACED_PROBLEMS[place]}" in page
    monkeypatch.setattr("sys.argv", ["/usr/local/bin/handouts", "serve"])  # the desk started as the installed command
    assert "(handouts check lists every problem)" in html.unescape(post(client, handout=handout).get_data(as_text=True))
    with pytest.raises(ContentError) as refused:  # the same through the service itself
        service.sheet(Job("plain", place, "pre-treatment", "en", "standard"), Patient(NAME, dt.date(2026, 11, 24), "Dr Lee"))
    assert [f"{p.line}: {p.message} ({p.expected})" for p in refused.value.problems] == [MISPLACED_PROBLEMS[place]]
    captured = capfd.readouterr()
    for where in (page, caplog.text, captured.out, captured.err, str(refused.value)):
        assert "Zebulon" not in where and "Quattlebaum" not in where


@pytest.mark.parametrize("place", sorted(MISPLACED))
def test_the_handout_command_never_quotes_a_misplaced_name(tricky, place: str, run, tmp_path: Path) -> None:
    root, _service, _app = tricky
    result = run("handout", f"{place}/pre-treatment", "--brand", "plain", "--content", root, "--patient", NAME, "-o", tmp_path / "x.pdf")
    assert result.code == 1
    assert f"{place}/pre-treatment.en.yaml:{MISPLACED_PROBLEMS[place]}" in result.err
    assert "Zebulon" not in result.err + result.out and not (tmp_path / "x.pdf").exists()


def test_an_overview_has_no_place_for_a_name(tricky) -> None:
    _root, _service, app = tricky
    client = app.test_client()
    refused = post(client, handout="demo/overview")
    assert refused.status_code == 400
    assert field_error(refused.get_data(as_text=True), "patient") == ("This handout is the same for every patient and has no place "
                                                                       "for a name: press “Blank copy” or “Make stack”")
    blank = post(client, handout="demo/overview", make="generic")
    assert blank.mimetype == "application/pdf" and NAME not in pdf_text(blank.data)


def test_the_card_layout_is_offered_only_with_a_card_section(tricky) -> None:
    _root, service, _app = tricky
    assert "card" in service.layouts_for("plain", "demo/aftercare", "en")
    assert "card" not in service.layouts_for("teal", "demo/aftercare", "es")  # the Spanish one has no card section
    assert "card" not in service.layouts_for("plain", "demo/overview", "en")


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
def guarded(desk_service) -> flask.Flask:
    """The app as served on a network address: every request needs the token."""
    return create_app(desk_service, token=TOKEN)


def test_token_is_required_for_every_request(guarded: flask.Flask) -> None:
    anonymous = guarded.test_client()
    for path in ("/", "/logo/plain", "/static/desk.css", "/preview.png", "/brand/plain.css"):
        response = anonymous.get(path)
        assert response.status_code == 401, path
    assert anonymous.get("/").headers["WWW-Authenticate"] == 'Bearer realm="handouts"'
    refused = anonymous.post("/", data=PATIENT)
    assert refused.status_code == 401 and refused.headers["Connection"] == "close"
    assert anonymous.get("/?token=wrong-token-wrong-token").status_code == 403
    assert anonymous.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert anonymous.get("/").status_code == 401  # a wrong try signs nobody in


def test_token_login_sets_a_cookie_and_bearer_works(guarded: flask.Flask) -> None:
    browser = guarded.test_client()
    login = browser.get(f"/?token={TOKEN}")
    assert login.status_code == 303 and login.headers["Location"] == "/"  # the token leaves the address bar
    cookie = login.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie  # plain HTTP on this computer
    assert TOKEN not in cookie
    assert browser.get("/").status_code == 200
    assert post(browser).mimetype == "application/pdf"
    script = guarded.test_client()
    assert script.get("/", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    tls = guarded.test_client()
    assert "; Secure" in tls.get(f"https://localhost/?token={TOKEN}").headers["Set-Cookie"]  # over TLS the cookie is Secure


def test_patient_details_touch_no_disk_and_no_log(desk_service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    scratch = tmp_path / "tmpdir"
    scratch.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", None)  # make tempfile read TMPDIR again
    monkeypatch.chdir(work)
    client = create_app(desk_service).test_client()

    def listing() -> dict[str, tuple[int, int]]:
        roots = (TREE, scratch, work, Path(tempfile.gettempdir()))
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
