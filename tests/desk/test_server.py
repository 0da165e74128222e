"""The front desk's HTTP server: start-up rules, TLS, slow and silent clients, keep-alive, many requests at once."""

from __future__ import annotations

import argparse
import http.client as httpclient
import io
import socket
import ssl
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from pypdf import PdfReader

pytest.importorskip("cheroot")

from conftest import FIXTURES, assert_in_order  # noqa: E402
from desk_support import NAME, PATIENT, PATIENT_TEXT, TOKEN, csrf_of, http, pdf_text  # noqa: E402

from handouts import cli  # noqa: E402
from handouts.desk.app import create_app  # noqa: E402
from handouts.desk.command import LOOPBACK_NAMES, add_arguments, check_tls, server_token  # noqa: E402
from handouts.desk.server import READ_TIMEOUT, Server  # noqa: E402
from handouts.errors import UsageError  # noqa: E402

pytestmark = pytest.mark.timeout(120)
TREE = FIXTURES / "tree"
TLS = FIXTURES / "tls"
SHORT_TIMEOUT = 3.0  # the plain server's read timeout, shorter than the real one so that waiting it out is quick


def serve(app, **options) -> Iterator[Server]:
    """The app on a free loopback port, served as `generate.py serve` serves it, until the test module ends."""
    server = Server(("127.0.0.1", 0), app, **options)
    server.prepare()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    yield server
    server.stop()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def plain(desk_service) -> Iterator[str]:
    """The desk on plain HTTP on this computer."""
    app = create_app(desk_service)
    app.config["HANDOUTS_ALLOWED_HOSTS"] = frozenset(LOOPBACK_NAMES)
    for server in serve(app, read_timeout=SHORT_TIMEOUT):
        yield f"http://127.0.0.1:{server.port}/"


@pytest.fixture(scope="module")
def tls(desk_service) -> Iterator[str]:
    """The desk over TLS with a token, as on a clinic's network (but on loopback)."""
    for server in serve(create_app(desk_service, token=TOKEN), certificate=TLS / "certificate.pem", key=TLS / "key.pem"):
        yield f"https://localhost:{server.port}/"


def trusting() -> ssl.SSLContext:
    """A client context that trusts the test certificate."""
    return ssl.create_default_context(cafile=str(TLS / "certificate.pem"))


def options(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(list(argv))
    args.content = TREE
    return args


# --- start-up rules ---------------------------------------------------------------------------------------------------

def test_off_this_computer_the_desk_needs_a_token_and_tls(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("HANDOUTS_TOKEN", raising=False)
    assert cli.main(["serve", "--host", "0.0.0.0", "--content", str(TREE)]) == 2
    assert "--host 0.0.0.0 can be reached from other computers, so it needs an access token" in capsys.readouterr().err
    assert cli.main(["serve", "--host", "0.0.0.0", "--token", TOKEN, "--content", str(TREE)]) == 2
    assert ("error: --host 0.0.0.0 can be reached from other computers, so patients' names and the access token need TLS: "
            "pass --certificate FILE --key FILE, or --behind-proxy when a TLS-terminating proxy forwards to this server, "
            "or serve on 127.0.0.1") in capsys.readouterr().err
    with pytest.raises(UsageError, match="the access token is 5 characters long"):
        server_token("0.0.0.0", "short")
    assert server_token("127.0.0.1", None) is None and server_token("::1", None) is None
    monkeypatch.setenv("HANDOUTS_TOKEN", TOKEN)
    assert server_token("192.168.1.20", None) == TOKEN
    assert check_tls(options("--host", "0.0.0.0", "--certificate", str(TLS / "certificate.pem"), "--key", str(TLS / "key.pem")))
    assert not check_tls(options("--host", "0.0.0.0", "--behind-proxy"))
    assert not check_tls(options("--host", "127.0.0.1"))


@pytest.mark.parametrize("argv, message", [
    (["--certificate", "c.pem"], "--certificate needs --key too (expected both: the certificate and its private key, as PEM files)"),
    (["--key", "k.pem"], "--key needs --certificate too"),
    (["--certificate", str(TLS / "certificate.pem"), "--key", str(TLS / "key.pem"), "--behind-proxy"],
     "--behind-proxy and --certificate: with a TLS-terminating proxy in front, it holds the certificate"),
    (["--certificate", "nowhere.pem", "--key", str(TLS / "key.pem")], "--certificate nowhere.pem: no such file (expected a PEM file)"),
    (["--certificate", str(TLS / "key.pem"), "--key", str(TLS / "key.pem")], "cannot be used:"),
])
def test_tls_options_are_checked_before_anything_starts(argv: list[str], message: str) -> None:
    with pytest.raises(UsageError) as refused:
        check_tls(options(*argv))
    assert message in str(refused.value) and refused.value.exit_code == 2


# --- plain HTTP on this computer --------------------------------------------------------------------------------------

def test_loopback_server_answers_only_loopback_names(plain: str) -> None:
    assert http(plain)[0] == 200
    assert http(plain.replace("127.0.0.1", "localhost"))[0] == 200
    assert http(plain, headers={"Host": "attacker.example"})[0] == 400  # a DNS-rebound page gets nothing


def test_half_open_connections_do_not_keep_a_request_waiting(plain: str) -> None:
    port = int(plain.rsplit(":", 1)[1].strip("/"))
    idle = []
    try:
        for number in range(200):
            client = socket.create_connection(("127.0.0.1", port), timeout=SHORT_TIMEOUT)
            if number % 2:
                client.sendall(b"GET / HTTP/1.1\r\nHost: 127.0")  # half a header line, then nothing
            idle.append(client)
        status, _, body = http(plain + "static/desk.css", timeout=SHORT_TIMEOUT)  # answered within the read timeout
        assert status == 200 and b"--brand" in body
        # The half-open ones are closed by the server once the read timeout has passed (bounded wait).
        idle[0].settimeout(5 * SHORT_TIMEOUT)
        idle[1].settimeout(5 * SHORT_TIMEOUT)
        assert idle[0].recv(100) == b"" and idle[1].recv(100) == b""
    finally:
        for client in idle:
            client.close()


def test_kept_alive_connections_carry_several_requests(plain: str) -> None:
    connection = httpclient.HTTPConnection("127.0.0.1", int(plain.rsplit(":", 1)[1].strip("/")), timeout=30)
    try:
        for path in ("/static/desk.css", "/static/desk.js", "/brand/plain.css"):
            connection.request("GET", path)
            response = connection.getresponse()
            assert response.status == 200 and response.read()
    finally:
        connection.close()


def test_twenty_requests_at_once_all_get_whole_pdfs(plain: str) -> None:
    status, headers, page = http(plain)
    cookie = {"Cookie": headers["Set-Cookie"].split(";", 1)[0]}
    token = csrf_of(page.decode())

    def request(i: int) -> tuple[bytes, str]:
        name = f"{NAME} {chr(65 + i)}"
        status, headers, body = http(plain, {**PATIENT, "patient": name, "csrf_token": token}, cookie)
        assert status == 200, body[:300]
        assert headers["Content-Type"] == "application/pdf"
        return body, name

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(request, range(20)))
    for data, name in results:
        assert len(PdfReader(io.BytesIO(data)).pages) == 3
        text = pdf_text(data)
        assert_in_order(text, [name] + PATIENT_TEXT[1:])
        assert [other for _, other in results if other in text] == [name]  # never another patient's name on a sheet


# --- TLS with a token -------------------------------------------------------------------------------------------------

def test_tls_serves_with_a_secure_cookie_and_silent_clients_do_not_stall_it(tls: str) -> None:
    port = int(tls.rsplit(":", 1)[1].strip("/"))
    silent = [socket.create_connection(("127.0.0.1", port), timeout=READ_TIMEOUT) for _ in range(50)]  # no TLS hello
    try:
        status, _, body = http(f"{tls}static/desk.css", headers={"Authorization": f"Bearer {TOKEN}"}, context=trusting(),
                               timeout=READ_TIMEOUT)
        assert status == 200 and b"--brand" in body
    finally:
        for client in silent:
            client.close()
    login = httpclient.HTTPSConnection("localhost", port, context=trusting(), timeout=30)
    try:
        login.request("GET", f"/?token={TOKEN}")
        response = login.getresponse()
        assert response.status == 303
        cookie = response.getheader("Set-Cookie")
        assert "; Secure" in cookie and "HttpOnly" in cookie
    finally:
        login.close()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as plain_client:  # plain HTTP to the TLS port: nothing
        plain_client.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        assert plain_client.recv(100) == b""


def test_the_token_is_checked_before_the_body_is_read(tls: str) -> None:
    port = int(tls.rsplit(":", 1)[1].strip("/"))
    raw = socket.create_connection(("127.0.0.1", port), timeout=3 * READ_TIMEOUT)
    with trusting().wrap_socket(raw, server_hostname="localhost") as client:
        # A form of 60 KB is announced and never sent: the answer must not wait for it.
        client.sendall(b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                       b"Content-Length: 60000\r\n\r\npatient=")
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = client.recv(4096)
            assert chunk, answer
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 401 "), answer[:100]
        assert b"Connection: close" in answer
