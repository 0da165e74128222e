"""`generate.py serve`: its options, the rules for serving off this computer, and starting the server.

Flask, cheroot and the engine are imported only when the server starts, so that adding these options to the parser
keeps generate.py quick to start.
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import secrets
import ssl
import sys
from pathlib import Path

from ..errors import HandoutsError, UsageError
from ..personal import termination_as_interrupt

MIN_TOKEN_LENGTH = 16
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add serve's options to its sub-parser."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on (default: 8080)")
    parser.add_argument("--token", metavar="TOKEN", help="access token, required off this computer (default: $HANDOUTS_TOKEN)")
    parser.add_argument("--certificate", type=Path, metavar="FILE", help="TLS certificate (PEM, with its chain) for https")
    parser.add_argument("--key", type=Path, metavar="FILE", help="the certificate's private key (PEM)")
    parser.add_argument("--behind-proxy", action="store_true",
                        help="a TLS-terminating proxy forwards https to this server: serve plain HTTP to it and trust its "
                             "X-Forwarded-Proto and X-Forwarded-Host headers")
    parser.add_argument("--workers", type=int, metavar="N", help="processes that print sheets (default: one per CPU, at most 4)")


def is_loopback(host: str) -> bool:
    """Whether a listening address is reachable only from this computer."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


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


def check_tls(args: argparse.Namespace) -> bool:
    """Whether to serve https; raises UsageError for an address off this computer with neither TLS nor a proxy in front."""
    if (args.certificate is None) != (args.key is None):
        given, missing = ("--certificate", "--key") if args.key is None else ("--key", "--certificate")
        raise UsageError(f"{given} needs {missing} too (expected both: the certificate and its private key, as PEM files)")
    tls = args.certificate is not None
    if tls and args.behind_proxy:
        raise UsageError("--behind-proxy and --certificate: with a TLS-terminating proxy in front, it holds the certificate "
                         "(expected one of the two)")
    if not tls and not args.behind_proxy and not is_loopback(args.host):
        raise UsageError(f"--host {args.host} can be reached from other computers, so patients' names and the access token need "
                         "TLS: pass --certificate FILE --key FILE, or --behind-proxy when a TLS-terminating proxy forwards to "
                         "this server, or serve on 127.0.0.1")
    for option, path in (("--certificate", args.certificate), ("--key", args.key)):
        if path is not None and not path.is_file():
            raise UsageError(f"{option} {path}: no such file (expected a PEM file)")
    if tls:
        try:
            ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(args.certificate, args.key)
        except (ssl.SSLError, OSError) as exc:
            raise UsageError(f"--certificate {args.certificate} with --key {args.key} cannot be used: "
                             f"{getattr(exc, 'reason', None) or exc.strerror or exc} (expected a PEM certificate and its "
                             "unencrypted private key)") from None
    return tls


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the front-desk page until interrupted."""
    from ..pdf import check_source_date_epoch

    check_source_date_epoch()
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port number (expected 1 to 65535)")
    if args.workers is not None and not 1 <= args.workers <= 64:
        raise UsageError(f"--workers {args.workers} is not a number of processes (expected 1 to 64)")
    token = server_token(args.host, args.token)
    tls = check_tls(args)
    content = getattr(args, "content", Path("content"))
    if not content.is_dir():
        raise UsageError(f"{content}: content folder does not exist (expected a folder with brands/ and one folder per treatment)")
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    logging.getLogger("handouts.serve").setLevel(logging.INFO)
    with termination_as_interrupt():  # SIGTERM (a service manager stopping it) shuts down like Ctrl-C
        return _serve(args, content, token, tls)


def _serve(args: argparse.Namespace, content: Path, token: str | None, tls: bool) -> int:
    """Start the printing processes and the server; stop both however it ends."""
    from .app import create_app, load
    from .server import READ_TIMEOUT, THREADS, Server

    log = logging.getLogger("handouts.serve")
    service = load(content, args.workers)
    try:
        for problem in service.catalogue.problems:
            log.warning("%s", problem)
        app = create_app(service, token, behind_proxy=args.behind_proxy)
        wsgi_app = app.wsgi_app
        if args.behind_proxy:
            from werkzeug.middleware.proxy_fix import ProxyFix

            app.wsgi_app = ProxyFix(wsgi_app, x_proto=1, x_host=1)  # type: ignore[method-assign]
        elif is_loopback(args.host):
            app.config["HANDOUTS_ALLOWED_HOSTS"] = frozenset(LOOPBACK_NAMES)  # a DNS-rebound page gets nothing
        server = Server((args.host, args.port), app, certificate=args.certificate, key=args.key)
        try:
            server.prepare()
        except OSError as exc:
            raise HandoutsError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
        host = f"[{args.host}]" if ":" in args.host else args.host
        url = f"{'https' if tls else 'http'}://{host}:{server.port}/"
        clinics = len(service.catalogue.brands)
        via = "https" if tls else ("http from a TLS-terminating proxy" if args.behind_proxy else "http, this computer only")
        print(f"Front desk for {clinics} clinic{'s' if clinics != 1 else ''} and {len(service.catalogue.handouts)} handouts at {url} "
              f"({via}; {THREADS} threads, {service.workers} printing process{'es' if service.workers != 1 else ''}, "
              f"read timeout {READ_TIMEOUT:g} s; Ctrl-C to stop)", flush=True)
        if token:
            print(f"Sign in once per browser at {url}?token=YOUR-TOKEN", flush=True)
        try:
            server.serve()
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()
    finally:
        service.close()
    print("Stopped.", flush=True)
    return 0
