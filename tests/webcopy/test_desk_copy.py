"""The web copy at the front desk: a link beside the preview, the copy served as it is hosted, its address to e-mail."""

from __future__ import annotations

import dataclasses
import html
import sys

import pytest

from conftest import ROOT

flask = pytest.importorskip("flask")
sys.path.append(str(ROOT / "tests/desk"))

from desk_support import NAME, post  # noqa: E402

from handouts.desk.app import create_app  # noqa: E402
from handouts.htmlcopy import brand_site  # noqa: E402


@pytest.fixture
def client(desk_service):
    """A fresh browser-like client of the desk over the fixture tree."""
    return create_app(desk_service).test_client()


def test_the_form_links_to_the_chosen_handouts_web_copy(client) -> None:
    page = client.get("/?brand=teal&handout=demo/aftercare&lang=es").get_data(as_text=True)
    assert '<a id="web-copy-link" href="/copy/teal/es/demo-aftercare.html" target="_blank" rel="noopener">Open the web copy</a>' in page
    assert '<p id="web-copy-address" hidden>' in page  # the fixture's clinics give no web_base_url


def test_the_copy_is_served_as_it_is_built(client, desk_service) -> None:
    built = {f.path.removeprefix("teal/html/"): f.data for f in brand_site(desk_service.catalogue, "teal", pytest.fail)}
    response = client.get("/copy/teal/es/demo-aftercare.html")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.data == built["es/demo-aftercare.html"]
    assert "script-src" not in response.headers["Content-Security-Policy"] and "default-src 'none'" in response.headers["Content-Security-Policy"]
    for name, data in built.items():
        asset = client.get(f"/copy/teal/{name}")
        assert asset.status_code == 200 and asset.data == data, name
    assert client.get("/copy/teal/assets/copy.css").mimetype == "text/css"
    assert client.get("/copy?brand=teal&handout=demo/aftercare&lang=es").headers["Location"] == "/copy/teal/es/demo-aftercare.html"


@pytest.mark.parametrize("path", ["/copy/nobody/en/index.html", "/copy/teal/en/missing.html", "/copy/teal/../plain/html/index.html",
                                  "/copy/teal/assets/../../manifest.json", "/copy?brand=plain&handout=demo/aftercare&lang=es",
                                  "/copy?brand=teal&handout=demo/nothing&lang=en"])
def test_anything_else_is_not_found(client, path: str) -> None:
    assert client.get(path).status_code == 404


def test_the_copy_never_carries_the_patient_just_printed(client) -> None:
    assert post(client).mimetype == "application/pdf"
    for path in ("/copy/plain/en/demo-aftercare.html", "/copy/plain/en/index.html"):
        assert NAME not in client.get(path).get_data(as_text=True)


def test_a_hosted_clinic_shows_the_address_to_e_mail(client, desk_service, monkeypatch) -> None:
    brands = dict(desk_service.catalogue.brands)
    brands["teal"] = dataclasses.replace(brands["teal"], web_base_url="https://teal.example/patients/")
    monkeypatch.setattr(desk_service.catalogue, "brands", brands)
    page = client.get("/?brand=teal&handout=demo/aftercare&lang=en").get_data(as_text=True)
    assert '<p id="web-copy-address">Address to e-mail: <code id="web-copy-url">https://teal.example/patients/en/demo-aftercare.html</code></p>' in page
    assert html.unescape(page).count("https://teal.example/patients/es/demo-aftercare.html") == 1  # in the choices the page script reads
