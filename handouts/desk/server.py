"""The HTTP server: cheroot's bounded pool of worker threads, behind a gate that reads each request's head first.

cheroot (pure Python, on Windows, macOS and Linux, with TLS from Python's ssl module) hands every new connection to a
worker thread at once, and does the TLS handshake on its one accepting thread. A client that connects and then sends
nothing, or half a header line, would hold a worker (or the accepting thread) until the read timeout. Here every
connection first waits at the gate, one thread with a selector that does the handshake and reads the request head
without blocking; only a connection whose head has arrived whole goes to a worker, where the access token is checked
before any of the body is read. A head that has not arrived within the read timeout is dropped, and so is the oldest
waiting connection when too many wait.
"""

from __future__ import annotations

import logging
import queue
import selectors
import socket
import ssl
import threading
import time
from collections import OrderedDict
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, cast

from cheroot import wsgi
from cheroot.makefile import StreamReader
from cheroot.server import HTTPConnection
from cheroot.ssl.builtin import BuiltinSSLAdapter

from ..compiled import dataclass

if TYPE_CHECKING:  # _pyio, the pure-Python io that cheroot's reader builds on, has io's interface and no stubs of its own
    import io as _pyio
else:
    import _pyio

LOG = logging.getLogger("handouts.serve")

READ_TIMEOUT = 10.0  # seconds for a request head to arrive whole, and for each read after it
THREADS = 8  # worker threads answering requests (the PDFs themselves are printed by the rendering service's processes)
QUEUED = 32  # whole requests waiting for a worker thread
WAITING = 256  # connections whose request head is still arriving (stays under the 512 sockets select() takes on Windows)
MAX_HEAD = 16 * 1024


class _Prefixed(_pyio.RawIOBase):
    """A socket's bytes, after some already read from it."""

    def __init__(self, sock: socket.socket, prefix: bytes):
        self._io = socket.SocketIO(sock, "rb")
        self.prefix = memoryview(prefix)

    def readable(self) -> bool:
        """Yes."""
        return True

    def readinto(self, buffer: Any) -> int | None:
        """The rest of the prefix first, then the socket."""
        if self.prefix:
            count = min(len(buffer), len(self.prefix))
            buffer[:count] = self.prefix[:count]
            self.prefix = self.prefix[count:]
            return count
        return self._io.readinto(buffer)

    def close(self) -> None:
        """Close the socket reader."""
        self._io.close()
        super().close()


class _HeadReader(StreamReader):
    """cheroot's buffered socket reader, starting with the request head the gate has read."""

    def __init__(self, sock: socket.socket, head: bytes, bufsize: int):  # noqa: D107 - StreamReader's own __init__ is skipped
        _pyio.BufferedReader.__init__(self, _Prefixed(sock, head), bufsize)
        self.bytes_read = 0

    def unread(self) -> bytes:
        """Bytes received but not yet read (a pipelined next request), taken out of this reader."""
        # peek reads nothing more from the socket when data is buffered (cheroot's stubs leave has_data and read untyped)
        buffered = self.peek(1) if self.has_data() else b""  # type: ignore[no-untyped-call]
        if buffered:
            self.read(len(buffered))  # type: ignore[no-untyped-call]
        raw = self.raw
        rest = bytes(raw.prefix) if isinstance(raw, _Prefixed) else b""
        if isinstance(raw, _Prefixed):
            raw.prefix = memoryview(b"")
        return bytes(buffered) + rest


@dataclass
class _Waiting:
    """A connection whose request head is still arriving."""

    conn: HTTPConnection
    deadline: float
    head: bytearray = field(default_factory=bytearray)
    shaken: bool = True  # the TLS handshake is done (or there is none)


class Gate(threading.Thread):
    """One thread that reads request heads without blocking and passes whole ones on."""

    def __init__(self, server: Server, read_timeout: float, waiting: int):
        super().__init__(name="handouts-gate", daemon=True)
        self.server = server
        self.read_timeout = read_timeout
        self.limit = waiting
        self._selector = selectors.DefaultSelector()
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_read.setblocking(False)
        self._selector.register(self._wake_read, selectors.EVENT_READ, None)
        self._incoming: queue.SimpleQueue[HTTPConnection] = queue.SimpleQueue()
        self._waiting: OrderedDict[int, _Waiting] = OrderedDict()
        self._stopping = threading.Event()

    def add(self, conn: HTTPConnection) -> None:
        """Take a new (or kept-alive, newly readable) connection; called from cheroot's threads."""
        self._incoming.put(conn)
        self._wake()

    def stop(self) -> None:
        """Stop the gate and close every connection still waiting at it."""
        self._stopping.set()
        self._wake()
        self.join(timeout=5)
        for waiting in list(self._waiting.values()):
            self._drop(waiting)
        self._selector.close()
        self._wake_read.close()
        self._wake_write.close()

    def _wake(self) -> None:
        try:
            self._wake_write.send(b"\0")
        except OSError:
            pass

    def run(self) -> None:
        """Wait for heads until stopped."""
        while not self._stopping.is_set():
            for key, _mask in self._selector.select(timeout=0.25):
                if key.data is None:
                    self._admit_new()
                else:
                    self._advance(key.data)
            now = time.monotonic()
            while self._waiting:
                oldest = next(iter(self._waiting.values()))
                if oldest.deadline > now:
                    break
                self._drop(oldest)

    def _admit_new(self) -> None:
        try:
            while self._wake_read.recv(4096):
                pass
        except (BlockingIOError, OSError):
            pass
        while True:
            try:
                conn = self._incoming.get_nowait()
            except queue.Empty:
                return
            self._admit(conn)

    def _admit(self, conn: HTTPConnection) -> None:
        sock = conn.socket
        head = conn.rfile.unread() if isinstance(conn.rfile, _HeadReader) else b""
        try:
            sock.setblocking(False)
            fd = sock.fileno()
        except OSError:
            conn.close()
            return
        shaken = not isinstance(sock, ssl.SSLSocket) or sock.version() is not None
        waiting = _Waiting(conn, time.monotonic() + self.read_timeout, bytearray(head), shaken)
        while len(self._waiting) >= self.limit:
            self._drop(next(iter(self._waiting.values())))  # the oldest: a flood of slow clients cannot lock others out
        self._waiting[fd] = waiting
        self._selector.register(sock, selectors.EVENT_READ, waiting)
        if shaken and _whole(waiting.head):
            self._pass_on(waiting)

    def _advance(self, waiting: _Waiting) -> None:
        sock = waiting.conn.socket
        try:
            if not waiting.shaken:
                sock.do_handshake()
                waiting.shaken = True
                waiting.conn.ssl_env.update(self.server.ssl_adapter.get_environ(sock))
                self._selector.modify(sock, selectors.EVENT_READ, waiting)
            while len(waiting.head) <= MAX_HEAD:
                chunk = sock.recv(16384)
                if not chunk:
                    self._drop(waiting)
                    return
                waiting.head += chunk
                if _whole(waiting.head):
                    break
        except ssl.SSLWantReadError:
            pass
        except ssl.SSLWantWriteError:
            self._selector.modify(sock, selectors.EVENT_WRITE, waiting)
            return
        except BlockingIOError:
            pass
        except (OSError, ValueError):  # a reset, a failed handshake, plain HTTP on the TLS port
            self._drop(waiting)
            return
        if waiting.shaken and (_whole(waiting.head) or len(waiting.head) > MAX_HEAD):
            self._pass_on(waiting)  # cheroot answers a head that is too large with 431

    def _forget(self, waiting: _Waiting) -> None:
        sock = waiting.conn.socket
        for fd, item in list(self._waiting.items()):
            if item is waiting:
                del self._waiting[fd]
        try:
            self._selector.unregister(sock)
        except (KeyError, ValueError, OSError):
            pass

    def _drop(self, waiting: _Waiting) -> None:
        self._forget(waiting)
        try:
            waiting.conn.close()
        except OSError:
            pass

    def _pass_on(self, waiting: _Waiting) -> None:
        self._forget(waiting)
        conn = waiting.conn
        try:
            conn.socket.setblocking(True)
            conn.socket.settimeout(self.server.timeout)
        except OSError:
            conn.close()
            return
        conn.rfile = _HeadReader(conn.socket, bytes(waiting.head), conn.rbufsize)
        conn.last_used = time.time()
        self.server.to_worker(conn)


def _whole(head: bytearray) -> bool:
    """Whether a request head has ended (an empty line), allowing for bare newlines and blank lines before it."""
    stripped = head.lstrip(b"\r\n")
    return b"\r\n\r\n" in stripped or b"\n\n" in stripped


class _Gateway(wsgi.Gateway_10):
    """cheroot's WSGI gateway; a response that says Connection: close closes without reading the unread body."""

    def start_response(self, status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[..., Any]:
        """Start the response; note a Connection: close from the application."""
        write = super().start_response(status, headers, exc_info)
        if any(name.lower() == "connection" and value.lower() == "close" for name, value in headers):
            self.req.close_connection = True
        return cast(Callable[..., Any], write)


class LazyHandshake(BuiltinSSLAdapter):
    """Python's ssl with the handshake left to the gate, so a silent client cannot stall the accepting thread."""

    def wrap(self, sock: socket.socket) -> tuple[ssl.SSLSocket, dict[str, Any]]:
        """Wrap without shaking hands yet; the environ entries are filled in after the handshake."""
        return self.context.wrap_socket(sock, do_handshake_on_connect=False, server_side=True), {}


class Server(wsgi.Server):
    """cheroot's WSGI server with a fixed number of threads, a bounded queue and the gate in front."""

    def __init__(self, bind: tuple[str, int], app: Callable[..., Any], threads: int = THREADS, read_timeout: float = READ_TIMEOUT,
                 waiting: int = WAITING, certificate: Path | None = None, key: Path | None = None):
        super().__init__(bind, app, numthreads=threads, max=threads, request_queue_size=128, timeout=read_timeout,  # type: ignore[arg-type]
                         accepted_queue_size=QUEUED, accepted_queue_timeout=0, shutdown_timeout=5)
        self.gateway = _Gateway
        self.max_request_header_size = MAX_HEAD
        self.max_request_body_size = 256 * 1024
        self.keep_alive_conn_limit = 32
        self.server_name = "handouts"
        if certificate is not None and key is not None:
            self.ssl_adapter = LazyHandshake(str(certificate), str(key))
        self.gate = Gate(self, read_timeout, waiting)

    def prepare(self) -> None:
        """Bind and start the worker threads, then the gate."""
        super().prepare()
        self.gate.start()

    def stop(self) -> None:
        """Stop accepting, then the gate and the workers."""
        self.gate.stop()
        super().stop()

    def process_conn(self, conn: HTTPConnection) -> None:
        """A new or readable kept-alive connection goes to the gate, not straight to a worker."""
        self.gate.add(conn)

    def to_worker(self, conn: HTTPConnection) -> None:
        """A connection whose request head has arrived: to a worker thread, or a 503 when every one is busy."""
        super().process_conn(conn)

    def error_log(self, msg: str = "", level: int = 20, traceback: bool = False) -> None:
        """cheroot's messages go to the log, without tracebacks (a frame could hold a request's text)."""
        LOG.log(max(level, logging.DEBUG), "server: %s", str(msg).splitlines()[0][:200] if msg else "")

    @property
    def port(self) -> int:
        """The port it listens on (useful after binding port 0)."""
        return int(self.bind_addr[1])
