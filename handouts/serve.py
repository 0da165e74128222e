"""The front-desk page: pick a handout and a clinic, type the patient's details, get the PDF to print.

Patient details live only in the request and in the PDF sent back: nothing is
written to disk, logged, or put in a URL, and every response that carries them
is marked no-store.

Flask, werkzeug and the engine are imported where they are used, so that
importing this module for add_arguments keeps generate.py quick to start.
"""

from __future__ import annotations

import argparse
import hmac
import io
import ipaddress
import logging
import os
import secrets
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BudgetError, ContentError, HandoutsError, Problem, UsageError
from .fonts import FontError
from .images import ImageError
from .patient import Patient, PatientError, make_patient, parse_date, parse_name

if TYPE_CHECKING:
    import flask
    from werkzeug.serving import BaseWSGIServer

    from .jobs import Job
    from .pdf import Rendered
    from .content import Catalogue

LOG = logging.getLogger("handouts.serve")
CONTENT_FAULTS = (FontError, ImageError)  # a brand kit's font or picture that make_sheet could not load

MAX_COPIES = 50
DEFAULT_COPIES = 10
MAX_FORM_BYTES = 64 * 1024
MIN_TOKEN_LENGTH = 16
RENDER_WAIT_SECONDS = 30.0
PREVIEW_DPI = 60
GENERIC_CACHE_SIZE = 256
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
LANGUAGE_NAMES = {"en": "English", "es": "Español"}
KIND_NAMES = {"pre-treatment": "Before treatment", "aftercare": "Aftercare", "overview": "Overview"}
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
FIELD_LABELS = {"patient": "The patient's name", "provider": "The provider's name"}
# PatientError.field -> the form field it belongs to
PATIENT_FIELDS = {"patient": "patient", "date": "date", "provider": "provider", "follow-up": "follow_up"}
TEXT_FIELDS = ("brand", "handout", "lang", "layout", "patient", "date", "provider", "follow_up", "copies")
CHOICE_FIELDS = ("brand", "handout", "lang", "layout")
ACTIONS = ("patient", "generic", "stack", "refresh")


class BusyError(Exception):
    """Every renderer stayed busy for longer than a person should wait."""


@dataclass
class FormState:
    """What the person typed and chose, and what is wrong with it, field by field."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    general: str | None = None
    status: int = 200


class Desk:
    """The loaded catalogue plus the in-memory caches and the lock around the renderer."""

    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        # reportlab's font registry and pdfium are process-wide and not documented as thread-safe.
        self._render_lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._generic: OrderedDict[Job, bytes] = OrderedDict()
        self._previews: OrderedDict[Job, bytes] = OrderedDict()

    def handout_keys(self) -> list[str]:
        """Every TREATMENT/KIND that has at least one language, in treatment then kind order."""
        from .content import KINDS

        keys = {(h.treatment_slug, KINDS.index(h.kind)): h.key for h in self.catalogue.handouts}
        return [keys[k] for k in sorted(keys)]

    def languages_of(self, key: str) -> list[str]:
        """The languages one handout exists in."""
        treatment, kind = key.split("/", 1)
        return sorted(lang for (k, lang) in self.catalogue.treatments[treatment].handouts if k == kind)

    def job_for(self, values: Mapping[str, str], errors: dict[str, str]) -> Job | None:
        """The job the chosen brand, handout, language and layout describe; problems go into errors."""
        from .jobs import Job, default_layout
        from .registry import layouts

        catalogue = self.catalogue
        brand = catalogue.brands.get(values["brand"])
        if brand is None:
            names = ", ".join(b.name for _, b in sorted(catalogue.brands.items()))
            errors["brand"] = f"'{values['brand'][:40]}' is not one of this desk's clinics (choose one of: {names})"
        key = values["handout"]
        if key not in self.handout_keys():
            errors["handout"] = f"'{key[:60]}' is not a handout on this list (choose one from the list)"
            key = ""
        lang = values["lang"]
        name = LANGUAGE_NAMES.get(lang, lang[:10])
        if key and lang not in self.languages_of(key):
            offered = ", ".join(LANGUAGE_NAMES.get(x, x) for x in self.languages_of(key))
            errors["lang"] = f"This handout has no {name} version (available: {offered})"
        elif brand is not None and lang not in brand.languages:
            offered = ", ".join(LANGUAGE_NAMES.get(x, x) for x in brand.languages)
            errors["lang"] = f"{brand.name} does not print handouts in {name} (choose {offered})"
        layout = values["layout"]
        if layout and layout not in layouts():
            errors["layout"] = f"'{layout[:40]}' is not a layout (choose one of: {', '.join(sorted(layouts()))})"
        if brand is None or not key or "lang" in errors or "layout" in errors:
            return None
        treatment, kind = key.split("/", 1)
        handout = catalogue.treatments[treatment].handouts[(kind, lang)]
        return Job(brand.slug, treatment, kind, lang, layout or default_layout(handout, brand))

    def personal(self, job: Job, patient: Patient) -> Rendered:
        """Render one sheet for one patient; raises PatientError for a name the brand's font cannot print."""
        from . import fonts
        from .pdf import make_sheet, render_pdf

        with self._renderer():
            family = fonts.family(self.catalogue.brands[job.brand].font_files or None)
            for field_name, text in (("patient", patient.name), ("provider", patient.provider)):  # before make_sheet, to say which field
                missing = family.missing(text or "")
                if missing:
                    chars = " ".join(f"'{c}'" for c in missing[:5])
                    raise PatientError(field_name, f"{FIELD_LABELS[field_name]} has {chars}, which {family.label} cannot print "
                                                   f"(type it in letters the clinic's font has, e.g. Latin letters)")
            return render_pdf(make_sheet(self.catalogue, job, patient), job.layout)

    def generic(self, job: Job) -> bytes:
        """The blank (not personalised) PDF of a job, rendered once and kept in memory."""
        from .pdf import make_sheet, render_pdf

        with self._cache_lock:
            if job in self._generic:
                self._generic.move_to_end(job)
                return self._generic[job]
        with self._renderer():
            data = render_pdf(make_sheet(self.catalogue, job), job.layout).data
        return _remember(self._generic, job, data, self._cache_lock)

    def preview(self, job: Job) -> bytes:
        """A PNG of page 1 of the blank PDF, kept in memory."""
        with self._cache_lock:
            if job in self._previews:
                return self._previews[job]
        data = self.generic(job)
        from .preview import pages_to_png

        with self._renderer():
            image = pages_to_png(data, PREVIEW_DPI, all_pages=False)[0]
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        return _remember(self._previews, job, buffer.getvalue(), self._cache_lock)

    def warm_up(self) -> None:
        """Register every brand's fonts and render one sheet, so the first person does not wait for it."""
        from .jobs import plan
        from .pdf import make_sheet

        jobs = plan(self.catalogue)
        first_per_brand = {job.brand: job for job in reversed(jobs)}
        for job in first_per_brand.values():
            try:
                with self._renderer():
                    make_sheet(self.catalogue, job)
            except (ContentError, *CONTENT_FAULTS) as exc:
                LOG.warning("%s cannot print %s/%s: %s", job.brand, job.treatment, job.kind, exc)
        for job in jobs[:1]:
            try:
                self.preview(job)
            except (ContentError, *CONTENT_FAULTS) as exc:
                LOG.warning("%s cannot print %s/%s: %s", job.brand, job.treatment, job.kind, exc)

    def _renderer(self) -> _Held:
        if not self._render_lock.acquire(timeout=RENDER_WAIT_SECONDS):
            raise BusyError()
        return _Held(self._render_lock)


class _Held:
    """Releases an already acquired lock at the end of a with block."""

    def __init__(self, lock: threading.Lock):
        self.lock = lock

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        self.lock.release()


def _remember(cache: OrderedDict[Job, bytes], job: Job, data: bytes, lock: threading.Lock) -> bytes:
    with lock:
        cache[job] = data
        cache.move_to_end(job)
        while len(cache) > GENERIC_CACHE_SIZE:
            cache.popitem(last=False)
    return data


def stack_copies(data: bytes, copies: int) -> bytes:
    """One PDF holding a number of copies of another, sharing its fonts and images."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter()
    for _ in range(copies):
        for page in reader.pages:
            writer.add_page(page)
    if reader.metadata:
        writer.add_metadata(dict(reader.metadata))
    lang = reader.root_object.get("/Lang")
    if lang:
        writer.root_object[NameObject("/Lang")] = TextStringObject(str(lang))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def create_app(content: Path, token: str | None = None) -> flask.Flask:
    """The front-desk web application for one content tree; with a token, every request must carry it."""
    import flask
    from werkzeug.exceptions import HTTPException

    from .content import load_catalogue
    from .plugins import use_shipped_layouts

    use_shipped_layouts()
    catalogue = load_catalogue(content)
    if not catalogue.brands or not catalogue.handouts:
        what = "no usable brand kit" if not catalogue.brands else "no usable handout"
        raise ContentError(catalogue.problems or [_nothing(content, what)])
    desk = Desk(catalogue)
    desk.warm_up()

    app = flask.Flask(__name__, template_folder="web/templates", static_folder="web/static", static_url_path="/static")
    app.config.update(
        SECRET_KEY=secrets.token_bytes(32),  # per process: a restart signs everybody out and expires old forms
        MAX_CONTENT_LENGTH=MAX_FORM_BYTES,
        MAX_FORM_PARTS=50,
        SESSION_COOKIE_NAME="handouts_session",
        # Lax, not Strict: a ?token= link opened from another program must still sign in; POSTs carry the CSRF token.
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        HANDOUTS_ALLOWED_HOSTS=None,
    )
    app.extensions["handouts"] = desk

    @app.before_request
    def guard() -> flask.typing.ResponseReturnValue | None:
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
        return response

    @app.get("/")
    def form() -> flask.Response:
        values = _defaults(desk, flask.request.args)
        return _page(desk, FormState(values))

    @app.post("/")
    def submit() -> flask.Response:
        return _submit(desk)

    @app.get("/logo/<brand>")
    def logo(brand: str) -> flask.Response:
        kit = desk.catalogue.brands.get(brand)
        if kit is None or kit.logo is None or kit.logo.suffix.lower() not in LOGO_TYPES:
            flask.abort(404)
        response = flask.send_file(kit.logo, mimetype=LOGO_TYPES[kit.logo.suffix.lower()], max_age=300)
        response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        return response

    @app.get("/brand/<brand>.css")
    def brand_css(brand: str) -> flask.Response:
        kit = desk.catalogue.brands.get(brand)
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
        job = desk.job_for({name: flask.request.args.get(name, "") for name in CHOICE_FIELDS}, {})
        if job is None:
            flask.abort(404)
        try:
            data = desk.preview(job)
        except (ContentError, *CONTENT_FAULTS):
            flask.abort(404)
        response = flask.Response(data, mimetype="image/png")
        response.headers["Cache-Control"] = "private, max-age=300"
        return response

    @app.errorhandler(413)
    def too_large(_exc: HTTPException) -> flask.Response:
        state = FormState(_defaults(desk, {}), general=f"The form was larger than {MAX_FORM_BYTES // 1024} KB, so nothing was printed. "
                                                        "Names and dates are short: check what was pasted into the fields.", status=413)
        return _page(desk, state)

    @app.errorhandler(BusyError)
    def busy(_exc: BusyError) -> flask.Response:
        return _plain("The handout printer is busy. Wait a moment and press the button again.", 503)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> flask.Response:
        return _plain(f"{exc.code} {exc.name}", exc.code or 500)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> flask.Response:
        # Only the type: an exception's message or traceback may quote a patient's name.
        LOG.error("internal error %s while serving %s", type(exc).__name__, flask.request.endpoint)
        return _plain("Something went wrong and nothing was printed. Try again; if it keeps happening, tell whoever runs this "
                      "computer (the server log says what failed).", 500)

    return app


def _nothing(content: Path, what: str) -> Problem:
    return Problem(str(content), None, f"{what} in the content folder", "at least one brand kit and one handout that build")


def _same(supplied: str, token: str) -> bool:
    return hmac.compare_digest(supplied.encode("utf-8", "replace"), token.encode("utf-8"))


def _denied(status: int) -> flask.Response:
    text = ("This page needs the access token. Open the address you were given (it ends in ?token=…) once in this browser."
            if status == 401 else "That access token is not right. Ask whoever started the server for the address with the token.")
    response = _plain(text, status)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="handouts"'
    return response


def _plain(text: str, status: int) -> flask.Response:
    import flask

    return flask.Response(text + "\n", status=status, mimetype="text/plain")


def _host_name(host: str) -> str:
    host = host.lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _defaults(desk: Desk, given: Mapping[str, str]) -> dict[str, str]:
    """Form values with the choices taken from given (never patient details), else the first valid choice."""
    from .registry import layouts

    values = {name: str(given.get(name, "")) if name in CHOICE_FIELDS else "" for name in TEXT_FIELDS}
    brands = sorted(desk.catalogue.brands)
    if values["brand"] not in desk.catalogue.brands:
        values["brand"] = brands[0]
    keys = desk.handout_keys()
    if values["handout"] not in keys:
        values["handout"] = keys[0]
    offered = [x for x in desk.languages_of(values["handout"]) if x in desk.catalogue.brands[values["brand"]].languages]
    if values["lang"] not in offered:
        values["lang"] = "en" if "en" in offered else (offered[0] if offered else "en")
    if values["layout"] not in layouts():
        values["layout"] = ""
    values["copies"] = values["copies"] or str(DEFAULT_COPIES)
    return values


def _submit(desk: Desk) -> flask.Response:
    import flask

    form = flask.request.form
    values = {name: form.get(name, "") for name in TEXT_FIELDS}  # MAX_CONTENT_LENGTH bounds their size
    state = FormState(values)
    expected = flask.session.get("csrf")
    if not expected or not _same(form.get("csrf_token", ""), expected):
        state.general = ("This form had expired (the server may have been restarted), so nothing was printed. "
                         "Your entries are still here: press the button again.")
        state.status = 400
        return _page(desk, state)
    action = form.get("make", "patient")
    if action not in ACTIONS:
        action = "patient"
    job = desk.job_for(values, state.errors)
    if action == "refresh":
        state.status = 400 if state.errors else 200
        return _page(desk, state)
    copies = 1
    if action == "stack":
        try:
            copies = int(values["copies"].strip())
            if not 1 <= copies <= MAX_COPIES:
                raise ValueError
        except ValueError:
            state.errors["copies"] = f"'{values['copies'][:10]}' is not a number of copies from 1 to {MAX_COPIES}"
    patient = _patient(values, state) if action == "patient" else None
    if state.errors or job is None:
        # 422 for details that are well formed but do not fit together; 400 for everything else.
        state.status = 422 if state.status == 422 and len(state.errors) == 1 else 400
        return _page(desk, state)
    started = time.monotonic()
    try:
        if patient is not None:
            data = desk.personal(job, patient).data
        else:
            data = stack_copies(desk.generic(job), copies) if action == "stack" else desk.generic(job)
    except PatientError as exc:
        state.errors[PATIENT_FIELDS[exc.field]] = exc.message
        state.status = 422
        return _page(desk, state)
    except BudgetError as exc:
        state.errors["layout"] = (f"This handout needs {exc.pages} pages in the {job.layout} layout, which holds {exc.limit}: "
                                  "choose another layout")
        state.status = 422
        return _page(desk, state)
    except (ContentError, *CONTENT_FAULTS) as exc:
        # Problems in content or brand kits, never the patient's details (those are checked above).
        LOG.error("%s cannot print %s/%s.%s: %s", job.brand, job.treatment, job.kind, job.language, exc)
        first = exc.problems[0] if isinstance(exc, ContentError) else exc
        state.general = (f"This handout cannot be printed for this clinic because of a problem in the content: {first}. "
                         "Tell whoever looks after the handouts (generate.py check lists every problem).")
        state.status = 500
        return _page(desk, state)
    what = "personal" if patient is not None else (f"stack of {copies}" if action == "stack" else "blank")
    LOG.info("printed %s %s/%s %s %s for %s in %.2f s", what, job.treatment, job.kind, job.language, job.layout, job.brand,
             time.monotonic() - started)
    name = f"{job.treatment}-{job.kind}.{job.language}" + (f"-{copies}-copies" if action == "stack" else "") + ".pdf"
    response = flask.Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _patient(values: Mapping[str, str], state: FormState) -> Patient | None:
    """Validated patient details, each field's problem put beside that field."""
    wrong = False
    for key, parse in (("patient", parse_name), ("date", parse_date), ("provider", parse_name), ("follow-up", parse_date)):
        try:
            parse(key, values[PATIENT_FIELDS[key]])
        except PatientError as exc:
            label = FIELD_LABELS.get(key)
            message = exc.message
            state.errors[PATIENT_FIELDS[key]] = f"{label} {message}" if label and message[:1].islower() else message
            wrong = True
    if wrong:
        return None
    try:
        patient = make_patient(values["patient"], values["date"], values["provider"], values["follow_up"])
    except PatientError as exc:
        state.errors[PATIENT_FIELDS[exc.field]] = exc.message
        state.status = 422
        return None
    if patient is None:
        state.errors["patient"] = "Type the patient's name (or press “Blank copy” for a sheet with empty lines to fill in by hand)"
    return patient


def _page(desk: Desk, state: FormState) -> flask.Response:
    import flask

    from .registry import layouts

    if "csrf" not in flask.session:
        flask.session["csrf"] = secrets.token_urlsafe(32)
    catalogue = desk.catalogue
    brands = []
    for slug, kit in sorted(catalogue.brands.items()):
        brands.append({"slug": slug, "name": kit.name, "languages": " ".join(kit.languages), **_palette(kit.colors),
                       "logo": flask.url_for("logo", brand=slug) if kit.logo and kit.logo.suffix.lower() in LOGO_TYPES else ""})
    handouts = []
    for key in desk.handout_keys():
        treatment, kind = key.split("/", 1)
        versions = catalogue.treatments[treatment].handouts
        sample = versions.get((kind, "en")) or next(h for (k, _), h in sorted(versions.items()) if k == kind)
        handouts.append({"key": key, "label": f"{sample.treatment} — {KIND_NAMES.get(kind, kind)}",
                         "languages": " ".join(desk.languages_of(key))})
    all_langs = sorted({lang for key in desk.handout_keys() for lang in desk.languages_of(key)})
    brand = next((b for b in brands if b["slug"] == state.values["brand"]), brands[0])
    html = flask.render_template(
        "form.html", state=state, values=state.values, errors=state.errors, brands=brands, brand=brand, handouts=handouts,
        languages=[{"code": c, "name": LANGUAGE_NAMES.get(c, c)} for c in all_langs], layouts=sorted(layouts()),
        csrf_token=flask.session["csrf"], max_copies=MAX_COPIES,
        preview_url=flask.url_for("preview", brand=state.values["brand"], handout=state.values["handout"],
                                  lang=state.values["lang"], layout=state.values["layout"]), field_order=list(TEXT_FIELDS))
    response = flask.Response(html, status=state.status, mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self' blob:; "
        "frame-src 'self' blob:; object-src 'self' blob:; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")
    return response


def _palette(colors: Mapping[str, str]) -> dict[str, str]:
    """The brand's colours for the page, with a text colour on each that stays readable."""
    from .lint import contrast

    primary, accent = colors["primary"], colors["accent"]  # expanded to #RRGGBB when the brand loaded
    on_primary = "#FFFFFF" if contrast("#FFFFFF", primary) >= contrast("#111111", primary) else "#111111"
    ink = primary if contrast(primary, "#FFFFFF") >= 4.5 else "#1B1B1B"
    return {"primary": primary, "accent": accent, "on_primary": on_primary, "ink": ink}


def make_server(app: flask.Flask, host: str, port: int) -> BaseWSGIServer:
    """A threaded server for the app; on a loopback address only loopback host names are answered."""
    from werkzeug.serving import WSGIRequestHandler
    from werkzeug.serving import make_server as werkzeug_server

    class QuietRequestHandler(WSGIRequestHandler):
        """werkzeug's request handler, logging method, path and status but never a query string."""

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            """Log one request without its query string (a ?token= login must not reach the log)."""
            LOG.info("%s %s %s", self.command, self.path.split("?", 1)[0][:200], getattr(code, "value", code))

    if is_loopback(host):
        app.config["HANDOUTS_ALLOWED_HOSTS"] = frozenset(LOOPBACK_NAMES)
    return werkzeug_server(host, port, app, threaded=True, request_handler=QuietRequestHandler)


def is_loopback(host: str) -> bool:
    """Whether a listening address is reachable only from this computer."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add serve's options (--host, --port, --token) to its sub-parser."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on (default: 8080)")
    parser.add_argument("--token", metavar="TOKEN", help="access token, required off this computer (default: $HANDOUTS_TOKEN)")


def server_token(host: str, token: str | None) -> str | None:
    """The access token to enforce, or None; raises UsageError when a network address has none or a weak one."""
    token = token or os.environ.get("HANDOUTS_TOKEN") or None
    if token is None and not is_loopback(host):
        raise UsageError(f"--host {host} can be reached from other computers, so it needs an access token: pass --token or set "
                         f"HANDOUTS_TOKEN (e.g. {secrets.token_urlsafe(24)}), or serve on 127.0.0.1")
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise UsageError(f"the access token is {len(token)} characters long (expected at least {MIN_TOKEN_LENGTH}, "
                         f"e.g. {secrets.token_urlsafe(24)})")
    return token


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the front-desk page until interrupted."""
    from .pdf import check_source_date_epoch

    check_source_date_epoch()
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port number (expected 1 to 65535)")
    token = server_token(args.host, args.token)
    content = getattr(args, "content", Path("content"))
    if not content.is_dir():
        raise UsageError(f"{content}: content folder does not exist (expected a folder with brands/ and one folder per treatment)")
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    LOG.setLevel(logging.INFO)
    app = create_app(content, token)
    desk: Desk = app.extensions["handouts"]
    for problem in desk.catalogue.problems:
        LOG.warning("%s", problem)
    try:
        server = make_server(app, args.host, args.port)
    except OSError as exc:
        raise HandoutsError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{host}:{server.server_port}/"
    print(f"Front desk for {len(desk.catalogue.brands)} clinic{'s' if len(desk.catalogue.brands) != 1 else ''} "
          f"and {len(desk.handout_keys())} handouts at {url} (Ctrl-C to stop)", flush=True)
    if token:
        print(f"Sign in once per browser at {url}?token=YOUR-TOKEN", flush=True)
    try:
        server.serve_forever()  # werkzeug's server ends quietly on Ctrl-C
    finally:
        server.server_close()
    print("Stopped.", flush=True)
    return 0
