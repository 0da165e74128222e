"""The web copies at the front desk: staff open a handout's web copy to check it, and e-mail its public address.

Each brand's copy is rendered in memory the first time it is asked for (the content does not change while the desk
runs) and served as it would be hosted, under /copy/<brand>/; it never carries a patient's details.
"""

from __future__ import annotations

import logging
import threading
from pathlib import PurePosixPath

import flask

from ..htmlcopy import FOLDER, brand_site
from . import forms
from .service import Service

LOG = logging.getLogger("handouts.serve")
TYPES = {".html": "text/html", ".css": "text/css", ".ttf": "font/ttf", ".svg": "image/svg+xml", ".png": "image/png",
         ".txt": "text/plain"}
# A copy is static: no scripts, no forms, nothing from elsewhere; a picture's own SVG gets nothing at all.
CSP = ("default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; "
       "frame-ancestors 'self'")
PICTURE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


class Copies:
    """Each brand's web copy, as path (inside its html folder) → bytes, rendered once."""

    def __init__(self, service: Service):
        self.service = service
        self.sites: dict[str, dict[str, bytes]] = {}
        self.lock = threading.Lock()

    def site(self, slug: str) -> dict[str, bytes]:
        """The files of one brand's copy (rendered on first use); a handout that cannot be rendered is logged and left out."""
        with self.lock:
            if slug not in self.sites:
                prefix = f"{slug}/{FOLDER}/"
                files = brand_site(self.service.catalogue, slug, lambda exc: LOG.error("%s: no web copy of %s:%s: %s", slug, exc.path,
                                                                                      exc.line, exc.message))
                self.sites[slug] = {file.path.removeprefix(prefix): file.data for file in files}
            return self.sites[slug]


def chosen_copy(service: Service, values: dict[str, str]) -> tuple[str, str | None] | None:
    """(the desk's address of the chosen handout's web copy, its public address or None), or None for no such copy."""
    brand = service.catalogue.brands.get(values.get("brand", ""))
    key, lang = values.get("handout", ""), values.get("lang", "")
    if brand is None or key not in forms.handout_keys(service) or lang not in forms.languages_of(service, key) or lang not in brand.languages:
        return None
    treatment, kind = key.split("/", 1)
    local = flask.url_for("web_copy", brand=brand.slug, name=f"{lang}/{treatment}-{kind}.html")
    return local, brand.web_address(treatment, kind, lang)


def add_routes(app: flask.Flask, service: Service) -> None:
    """Serve the web copies under /copy/<brand>/, and /copy?brand=…&handout=…&lang=… for the form's choice."""
    copies = Copies(service)

    @app.get("/copy")
    def web_copy_for() -> flask.typing.ResponseReturnValue:
        chosen = chosen_copy(service, {name: flask.request.args.get(name, "") for name in forms.CHOICE_FIELDS})
        if chosen is None:
            flask.abort(404)
        return flask.redirect(chosen[0], 303)

    @app.get("/copy/<brand>/<path:name>")
    def web_copy(brand: str, name: str) -> flask.Response:
        if brand not in service.catalogue.brands:
            flask.abort(404)
        data = copies.site(brand).get(name)
        kind = TYPES.get(PurePosixPath(name).suffix)
        if data is None or kind is None:
            flask.abort(404)
        response = flask.Response(data, mimetype=kind)
        response.headers["Content-Security-Policy"] = PICTURE_CSP if kind == "image/svg+xml" else CSP
        if kind != "text/html":
            response.headers["Cache-Control"] = "private, max-age=300"
        return response
