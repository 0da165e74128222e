"""The front-desk web application: Flask routes, the access token, and the form's answers.

Patient details live only in the request, in the worker that prints the sheet, and in the PDF sent back: nothing is
written to disk, logged, or put in a URL or an error, and every response that carries them is marked no-store.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
import secrets
import time
from collections.abc import Mapping
from pathlib import Path

import flask
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import HTTPException

from .. import program
from ..errors import BudgetError, ContentError, Problem
from ..patient import PatientError
from . import forms, webcopy
from .forms import FormState
from .service import BusyError, RenderFault, Service

LOG = logging.getLogger("handouts.serve")

MAX_FORM_BYTES = 64 * 1024
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
IDLE_MINUTES = 3  # the page clears the patient's details after this long without use
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self' blob:; "
       "frame-src 'self' blob:; object-src 'self' blob:; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with the cookie marked Secure whenever the page came over TLS."""

    def get_cookie_secure(self, app: flask.Flask) -> bool:
        """Secure over TLS (or behind a TLS-terminating proxy), so the browser never sends it over plain HTTP."""
        return bool(app.config["HANDOUTS_BEHIND_PROXY"] or (flask.has_request_context() and flask.request.is_secure))


def load(content: Path, workers: int | None = None) -> Service:
    """Load a content tree and start its rendering service; raises ContentError when nothing in it can be printed."""
    from ..content import load_catalogue
    from ..jobs import plan

    catalogue = load_catalogue(content)
    if not catalogue.brands or not catalogue.handouts:
        what = "no usable brand kit" if not catalogue.brands else "no usable handout"
        raise ContentError(catalogue.problems or [Problem(str(content), None, f"{what} in the content folder",
                                                          "at least one brand kit and one handout that build")])
    service = Service(content, catalogue, workers)
    try:
        service.start()
        service.warm_up(plan(catalogue)[:1])
    except BaseException:
        service.close()
        raise
    return service


def create_app(service: Service, token: str | None = None, behind_proxy: bool = False) -> flask.Flask:
    """The front-desk web application over a started service; with a token, every request must carry it."""
    app = flask.Flask(__name__, root_path=str(Path(__file__).resolve().parent.parent), template_folder="web/templates",
                      static_folder="web/static", static_url_path="/static")
    app.config.update(
        SECRET_KEY=secrets.token_bytes(32),  # per process: a restart signs everybody out and expires old forms
        MAX_CONTENT_LENGTH=MAX_FORM_BYTES,
        MAX_FORM_PARTS=50,
        SESSION_COOKIE_NAME="handouts_session",
        # Lax, not Strict: a ?token= link opened from another program must still sign in; POSTs carry the CSRF token.
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        HANDOUTS_ALLOWED_HOSTS=None,
        HANDOUTS_BEHIND_PROXY=behind_proxy,
    )
    app.session_interface = _SessionInterface()
    app.extensions["handouts"] = service

    @app.before_request
    def guard() -> flask.typing.ResponseReturnValue | None:
        # Runs once the request's head has arrived and before its body is read.
        allowed = app.config["HANDOUTS_ALLOWED_HOSTS"]
        if allowed is not None and _host_name(flask.request.host) not in allowed:
            return _plain("This address is not served here; open the address the server printed at start.", 400)
        if token is None:
            return None
        supplied = flask.request.args.get("token")
        if supplied is not None:
            if not _same(supplied, token):
                return _denied(403)
            flask.session["signed_in"] = True
            # Take the token out of the address bar and the browser history.
            return flask.redirect(flask.request.path, 303)
        if flask.session.get("signed_in"):
            return None
        header = flask.request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            return None if _same(header[7:].strip(), token) else _denied(403)
        return _denied(401)

    @app.after_request
    def headers(response: flask.Response) -> flask.Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        if response.mimetype in ("text/html", "application/pdf", "text/plain"):
            response.headers["Cache-Control"] = "no-store"
        # Method, path and status only: never a query string (a ?token= sign-in) or anything from the form.
        LOG.info("%s %s %s", flask.request.method, flask.request.path[:200], response.status_code)
        return response

    @app.get("/")
    def form() -> flask.Response:
        return _page(service, FormState(forms.defaults(service, flask.request.args, dt.date.today())))

    @app.post("/")
    def submit() -> flask.Response:
        return _submit(service)

    @app.get("/logo/<brand>")
    def logo(brand: str) -> flask.Response:
        kit = service.catalogue.brands.get(brand)
        if kit is None or kit.logo is None or kit.logo.suffix.lower() not in LOGO_TYPES:
            flask.abort(404)
        response = flask.send_file(kit.logo, mimetype=LOGO_TYPES[kit.logo.suffix.lower()], max_age=300)
        response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        return response

    @app.get("/brand/<brand>.css")
    def brand_css(brand: str) -> flask.Response:
        kit = service.catalogue.brands.get(brand)
        if kit is None:
            flask.abort(404)
        palette = _palette(kit.colors)
        css = (f":root {{ --brand: {palette['primary']}; --brand-accent: {palette['accent']}; "
               f"--on-brand: {palette['on_primary']}; --brand-ink: {palette['ink']}; }}\n")
        return flask.Response(css, mimetype="text/css", headers={"Cache-Control": "private, max-age=300"})

    @app.get("/favicon.ico")
    def favicon() -> flask.Response:
        return flask.Response(status=204)

    @app.get("/preview.png")
    def preview() -> flask.Response:
        job = forms.job_for(service, {name: flask.request.args.get(name, "") for name in forms.CHOICE_FIELDS}, {})
        if job is None:
            flask.abort(404)
        try:
            data = service.preview(job)
        except (ContentError, RenderFault):
            flask.abort(404)
        response = flask.Response(data, mimetype="image/png")
        response.headers["Cache-Control"] = "private, max-age=300"
        return response

    webcopy.add_routes(app, service)

    @app.errorhandler(413)
    def too_large(_exc: HTTPException) -> flask.Response:
        state = FormState(forms.defaults(service, {}, dt.date.today()),
                          general=f"The form was larger than {MAX_FORM_BYTES // 1024} KB, so nothing was printed. "
                                  "Names and dates are short: check what was pasted into the fields.", status=413)
        return _page(service, state)

    @app.errorhandler(BusyError)
    def busy(_exc: BusyError) -> flask.Response:
        return _plain("The handout printer is busy. Wait a moment and press the button again.", 503)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> flask.Response:
        return _plain(f"{exc.code} {exc.name}", exc.code or 500)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> flask.Response:
        # Only the type: an exception's message or traceback may quote a patient's name.
        kind = exc.kind if isinstance(exc, RenderFault) else type(exc).__name__
        LOG.error("internal error %s while serving %s", kind, flask.request.endpoint)
        return _plain("Something went wrong and nothing was printed. Try again; if it keeps happening, tell whoever runs this "
                      "computer (the server log says what failed).", 500)

    return app


def _same(supplied: str, token: str) -> bool:
    return hmac.compare_digest(supplied.encode("utf-8", "replace"), token.encode("utf-8"))


def _denied(status: int) -> flask.Response:
    text = ("This page needs the access token. Open the address you were given (it ends in ?token=…) once in this browser."
            if status == 401 else "That access token is not right. Ask whoever started the server for the address with the token.")
    response = _plain(text, status)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="handouts"'
    # Do not read an unwanted body: close instead, so a client that is not signed in holds no worker.
    response.headers["Connection"] = "close"
    return response


def _plain(text: str, status: int) -> flask.Response:
    return flask.Response(text + "\n", status=status, mimetype="text/plain")


def _host_name(host: str) -> str:
    host = host.lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _submit(service: Service) -> flask.Response:
    form = flask.request.form
    values = {name: form.get(name, "") for name in forms.TEXT_FIELDS}  # MAX_CONTENT_LENGTH bounds their size
    state = FormState(values)
    expected = flask.session.get("csrf")
    if not expected or not _same(form.get("csrf_token", ""), expected):
        state.general = ("This form had expired (the server may have been restarted), so nothing was printed. "
                         "Your entries are still here: press the button again.")
        state.status = 400
        return _page(service, state)
    action = form.get("make", "patient")
    if action not in forms.ACTIONS:
        action = "patient"
    if action == "next":
        return _page(service, FormState(forms.next_patient(values, dt.date.today())))
    job = forms.job_for(service, values, state.errors)
    if action == "refresh":
        state.status = 400 if state.errors else 200
        return _page(service, state)
    copies = forms.copies_of(values, state.errors) if action == "stack" else 1
    # The stack and blank copies never use patient details, even when they are still typed in the form.
    patient = forms.patient_of(service, job, values, state) if action == "patient" else None
    if state.errors or job is None:
        # 422 for details that are well formed but do not fit together; 400 for everything else.
        state.status = 422 if state.status == 422 and len(state.errors) == 1 else 400
        return _page(service, state)
    started = time.monotonic()
    try:
        if patient is not None:
            data = service.sheet(job, patient)
        else:
            data = service.stack(job, copies) if action == "stack" else service.blank(job)
    except PatientError as exc:
        state.errors[forms.ERROR_FIELDS[exc.field]] = exc.message
        state.status = 422
        return _page(service, state)
    except BudgetError as exc:
        state.errors["layout"] = (f"This handout needs {exc.pages} pages in the {job.layout} layout, which holds {exc.limit}: "
                                  "choose another layout")
        state.status = 422
        return _page(service, state)
    except ContentError as exc:
        # A problem in the content or brand kit, as the blank sheet shows it: never the patient's details.
        LOG.error("%s cannot print %s/%s.%s: %s", job.brand, job.treatment, job.kind, job.language, exc.problems[0])
        state.general = (f"This handout cannot be printed for this clinic because of a problem in the content: {exc.problems[0]}. "
                         f"Tell whoever looks after the handouts ({program.name()} check lists every problem).")
        state.status = 500
        state.values = forms.next_patient(values, dt.date.today())  # nothing about the patient in an error page
        return _page(service, state)
    what = "personal" if patient is not None else (f"stack of {copies}" if action == "stack" else "blank")
    LOG.info("printed %s %s/%s %s %s for %s in %.2f s", what, job.treatment, job.kind, job.language, job.layout, job.brand,
             time.monotonic() - started)
    name = f"{job.treatment}-{job.kind}.{job.language}" + (f"-{copies}-copies" if action == "stack" else "") + ".pdf"
    response = flask.Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _page(service: Service, state: FormState) -> flask.Response:
    if "csrf" not in flask.session:
        flask.session["csrf"] = secrets.token_urlsafe(32)
    catalogue = service.catalogue
    brands = []
    for slug, kit in sorted(catalogue.brands.items()):
        brands.append({"slug": slug, "name": kit.name, "languages": " ".join(kit.languages), **_palette(kit.colors),
                       "logo": flask.url_for("logo", brand=slug) if kit.logo and kit.logo.suffix.lower() in LOGO_TYPES else ""})
    handouts, fits = [], {}
    for key in forms.handout_keys(service):
        treatment, kind = key.split("/", 1)
        versions = catalogue.treatments[treatment].handouts
        sample = versions.get((kind, "en")) or next(h for (k, _), h in sorted(versions.items()) if k == kind)
        from ..patient import takes_patient

        handouts.append({"key": key, "label": f"{sample.treatment} — {forms.KIND_NAMES.get(kind, kind)}",
                         "languages": " ".join(forms.languages_of(service, key)), "personal": takes_patient(sample)})
        for slug in catalogue.brands:
            for lang in forms.languages_of(service, key):
                fits[f"{slug}|{key}|{lang}"] = forms.layout_menu(service, slug, key, lang)
    values = state.values
    menu = fits.get(f"{values['brand']}|{values['handout']}|{values['lang']}", {"usual": "", "first": "", "fits": []})
    if not values["layout"] and menu["first"]:
        values = {**values, "layout": menu["first"]}
    all_langs = sorted({lang for key in forms.handout_keys(service) for lang in forms.languages_of(service, key)})
    brand = next((b for b in brands if b["slug"] == values["brand"]), brands[0])
    addresses = {f"{slug}|{key}|{lang}": chosen for slug in catalogue.brands for key in forms.handout_keys(service)
                 for lang in forms.languages_of(service, key)
                 if (chosen := webcopy.chosen_copy(service, {"brand": slug, "handout": key, "lang": lang}))}
    html = flask.render_template(
        "form.html", state=state, values=values, errors=state.errors, brands=brands, brand=brand, handouts=handouts,
        languages=[{"code": c, "name": forms.language_name(c), "dir": forms.language_direction(c)} for c in all_langs], layouts=menu["fits"],
        usual=menu["usual"], fits_json=json.dumps(fits, sort_keys=True), csrf_token=flask.session["csrf"],
        max_copies=forms.MAX_COPIES, weeks=forms.FOLLOW_UP_WEEKS, idle_minutes=IDLE_MINUTES, labels=forms.LABELS,
        preview_url=flask.url_for("preview", brand=values["brand"], handout=values["handout"], lang=values["lang"],
                                  layout=values["layout"]), field_order=list(forms.TEXT_FIELDS),
        web_copy=addresses.get(f"{values['brand']}|{values['handout']}|{values['lang']}"), copies_json=json.dumps(addresses, sort_keys=True))
    response = flask.Response(html, status=state.status, mimetype="text/html")
    response.headers["Content-Security-Policy"] = CSP
    return response


def _palette(colors: Mapping[str, str]) -> dict[str, str]:
    """The brand's colours for the page, with a text colour on each that stays readable."""
    from ..lint import contrast

    primary, accent = colors["primary"], colors["accent"]  # expanded to #RRGGBB when the brand loaded
    on_primary = "#FFFFFF" if contrast("#FFFFFF", primary) >= contrast("#111111", primary) else "#111111"
    ink = primary if contrast(primary, "#FFFFFF") >= 4.5 else "#1B1B1B"
    return {"primary": primary, "accent": accent, "on_primary": on_primary, "ink": ink}
