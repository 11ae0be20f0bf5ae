"""A misbehaving HTTP server on loopback, built on raw sockets so every byte is exact.

``HostileServer(behaviour)`` accepts connections, reads one request from each
(unless the behaviour says not to) and hands the socket to the behaviour, each
connection on its own thread, so a behaviour that stalls never holds up the
next connection. Behaviours are small callables made by the functions below:
HTML pages, truncated JSON, a 50 MB body streamed without building it, a
gzip bomb, slowloris in the headers or the body, silence, resets, redirects,
401 for ever, an error that echoes the request's query string, and so on.

The server records every request it read and counts connections, so a test
(at the transport, client or facade level) can tell what really went over the
wire. Behaviours must stop when ``server.stopping`` is set.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import ssl
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tests.api.rawserver import RecordedRequest, read_request

__all__ = [
    "Behaviour",
    "HostileServer",
    "RecordedRequest",
    "echo_query",
    "gzip_bomb",
    "huge_body",
    "json_reply",
    "never_answer",
    "never_read",
    "proxy_to",
    "raw_reply",
    "read_request",
    "redirect",
    "reset_on_accept",
    "response_head",
    "scripted",
    "trickle",
]

#: The session token the hostile tests send; it must never appear in a message or log.
TOKEN = "tok_HOSTILE_session_9f8e7d6c"
#: The client secret the hostile tests use.
CLIENT_SECRET = "sec_HOSTILE_client_5a4b3c2d"
CLIENT_ID = "hostile-client"


@dataclass
class Behaviour:
    """What the server does with each connection.

    ``act(conn, request, server)`` writes whatever it likes; *request* is None
    when ``reads_request`` is False (the request was never read).
    """

    act: Callable[[socket.socket, RecordedRequest | None, HostileServer], None]
    reads_request: bool = True
    name: str = "behaviour"


@dataclass
class HostileServer:
    """Serve every connection with *behaviour* until :meth:`stop`."""

    behaviour: Behaviour
    tls: ssl.SSLContext | None = None
    requests: list[RecordedRequest] = field(default_factory=list)
    connections: int = 0

    def __post_init__(self) -> None:
        self.stopping = threading.Event()
        self._listener = _listen(0)
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept_loop, daemon=True)
        self._acceptor.start()

    def refuse(self) -> None:
        """Stop listening: connections are refused (RST to the SYN) until :meth:`reopen`."""
        self._listener.close()
        self._acceptor.join(timeout=5)

    def reopen(self) -> None:
        """Listen again on the same port after :meth:`refuse`."""
        self._listener = _listen(self.port)
        self._acceptor = threading.Thread(target=self._accept_loop, daemon=True)
        self._acceptor.start()

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def _accept_loop(self) -> None:
        listener = self._listener
        while not self.stopping.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._open.append(conn)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(10)
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
            request = None
            if self.behaviour.reads_request:
                request = read_request(conn)
                if request is None:
                    return
                self.requests.append(request)
            self.behaviour.act(conn, request, self)
        except OSError:
            pass  # the client went away: expected for most behaviours
        finally:
            with self._lock:
                if conn in self._open:
                    self._open.remove(conn)
            conn.close()

    def wait(self, seconds: float) -> bool:
        """Sleep up to *seconds*; False when the server is stopping (the behaviour should end)."""
        return not self.stopping.wait(seconds)

    def stop(self) -> None:
        self.stopping.set()
        self._listener.close()
        with self._lock:
            for conn in self._open:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
        self._acceptor.join(timeout=5)
        for thread in self._threads:
            thread.join(timeout=5)


def _listen(port: int) -> socket.socket:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(32)
    listener.settimeout(0.05)
    return listener


def response_head(
    status: str,
    *,
    content_type: str | None = "application/json",
    content_length: int | None = None,
    headers: dict[str, str] | None = None,
    keep_alive: bool = False,
) -> bytes:
    """The status line and headers of a response (``Connection: close`` unless *keep_alive*)."""
    lines = [f"HTTP/1.1 {status}"]
    if content_type is not None:
        lines.append(f"Content-Type: {content_type}")
    if content_length is not None:
        lines.append(f"Content-Length: {content_length}")
    if not keep_alive:
        lines.append("Connection: close")
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


# -- behaviours ---------------------------------------------------------------------------


def raw_reply(data: bytes, name: str = "raw reply") -> Behaviour:
    """Send exactly *data*, then close."""

    def act(conn: socket.socket, _request: RecordedRequest | None, _server: HostileServer) -> None:
        conn.sendall(data)
        conn.shutdown(socket.SHUT_WR)

    return Behaviour(act, name=name)


def json_reply(
    status: str,
    body: object | bytes,
    *,
    headers: dict[str, str] | None = None,
    content_type: str = "application/json",
    content_length: int | None = None,
) -> Behaviour:
    """A complete response with *body* (JSON-encoded unless bytes); the length may lie."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    length = len(data) if content_length is None else content_length
    head = response_head(status, content_type=content_type, content_length=length, headers=headers)
    return raw_reply(head + data, name=f"{status} reply")


def redirect(status: str, location: str) -> Behaviour:
    """A redirect to *location* (which may carry a token)."""
    head = response_head(status, content_length=0, headers={"Location": location})
    return raw_reply(head, name=f"redirect {status}")


def _json_rows(total_bytes: int) -> Iterator[bytes]:
    """About *total_bytes* of a JSON array of leaderboard rows, made as it is sent."""
    row = b'{"rank":1,"user_id":"player-000001","score":123456,"name":"Someone"},'
    block = row * (65536 // len(row))
    yield b"["
    sent = 1
    while sent + len(block) < total_bytes - len(row):
        yield block
        sent += len(block)
    yield row[:-1] + b"]"


def huge_body(
    total_bytes: int = 50 * 1024 * 1024,
    *,
    announce: bool = True,
    chunked: bool = False,
    status: str = "200 OK",
) -> Behaviour:
    """A JSON array of *total_bytes*, streamed block by block (never built in memory).

    ``announce`` sends a true ``Content-Length``; ``chunked`` uses chunked
    transfer encoding instead; neither reads to the end of the connection.
    """

    def act(conn: socket.socket, _request: RecordedRequest | None, server: HostileServer) -> None:
        headers = {"Transfer-Encoding": "chunked"} if chunked else None
        conn.sendall(
            response_head(status, content_length=total_bytes if announce else None, headers=headers)
        )
        for block in _json_rows(total_bytes):
            if server.stopping.is_set():
                return
            if chunked:
                conn.sendall(f"{len(block):x}\r\n".encode() + block + b"\r\n")
            else:
                conn.sendall(block)
        if chunked:
            conn.sendall(b"0\r\n\r\n")
        conn.shutdown(socket.SHUT_WR)

    return Behaviour(act, name="huge body")


def gzip_bomb(total_bytes: int = 50 * 1024 * 1024) -> Behaviour:
    """A small gzip body that inflates to *total_bytes* of JSON whitespace."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    megabyte = b" " * (1024 * 1024)
    parts = [compressor.compress(b"[")]
    for _ in range(total_bytes // len(megabyte)):
        parts.append(compressor.compress(megabyte))
    parts.append(compressor.compress(b"]") + compressor.flush())
    data = b"".join(parts)
    head = response_head("200 OK", content_length=len(data), headers={"Content-Encoding": "gzip"})
    return raw_reply(head + data, name="gzip bomb")


def trickle(data: bytes, *, interval: float, start_after: int = 0) -> Behaviour:
    """Send *data* one byte every *interval* seconds (slowloris), after its first bytes.

    ``start_after`` bytes go at once: 0 trickles the status line and headers
    too; the length of the head trickles only the body.
    """

    def act(conn: socket.socket, _request: RecordedRequest | None, server: HostileServer) -> None:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn.sendall(data[:start_after])
        for index in range(start_after, len(data)):
            if not server.wait(interval):
                return
            conn.sendall(data[index : index + 1])
        conn.shutdown(socket.SHUT_WR)

    return Behaviour(act, name="slowloris")


def never_answer() -> Behaviour:
    """Read the request, then say nothing until the server stops."""

    def act(_conn: socket.socket, _request: RecordedRequest | None, server: HostileServer) -> None:
        server.stopping.wait()

    return Behaviour(act, name="never answer")


def never_read() -> Behaviour:
    """Accept the connection and neither read nor write until the server stops."""

    def act(_conn: socket.socket, _request: RecordedRequest | None, server: HostileServer) -> None:
        server.stopping.wait()

    return Behaviour(act, reads_request=False, name="accept, never read")


def reset_on_accept() -> Behaviour:
    """Reset the connection (RST, via SO_LINGER 0) as soon as it is accepted."""

    def act(conn: socket.socket, _request: RecordedRequest | None, _server: HostileServer) -> None:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    return Behaviour(act, reads_request=False, name="reset on accept")


def echo_query(status: str = "400 Bad Request") -> Behaviour:
    """An error whose message, code and an extra field echo the request target (query included)."""

    def act(conn: socket.socket, request: RecordedRequest | None, _server: HostileServer) -> None:
        target = request.target if request is not None else ""
        headers = request.headers if request is not None else {}
        body = json.dumps(
            {
                "statusCode": int(status.split()[0]),
                "error": "BAD_REQUEST",
                "message": f"cannot handle {target} (headers: {headers})",
                "path": target,
            }
        ).encode()
        conn.sendall(response_head(status, content_length=len(body)) + body)
        conn.shutdown(socket.SHUT_WR)

    return Behaviour(act, name="echo query")


#: Hop-by-hop headers a proxy does not pass on (the reply is re-framed with a length).
_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection"}
)


def _forward(base_url: str, request: RecordedRequest) -> bytes:
    """Send *request* to the server at *base_url*; its answer, re-framed with a length."""
    target = urlsplit(base_url)
    upstream = http.client.HTTPConnection(target.hostname or "127.0.0.1", target.port, timeout=10)
    try:
        headers = {k: v for k, v in request.headers.items() if k not in _HOP_BY_HOP}
        upstream.request(request.method, request.target, body=request.body or None,
                         headers=headers)
        reply = upstream.getresponse()
        body = reply.read()
        relayed = {k: v for k, v in reply.getheaders() if k.lower() not in _HOP_BY_HOP}
    finally:
        upstream.close()
    content_type = relayed.pop("Content-Type", None)
    head = response_head(f"{reply.status} {reply.reason}", content_type=content_type,
                         content_length=len(body), headers=relayed)
    return head + body


def proxy_to(base_url: str) -> Behaviour:
    """Healthy: forward each request to the server at *base_url* (a real sandbox) and
    relay its answer, so a test can switch a hostile server to healthy."""

    def act(conn: socket.socket, request: RecordedRequest | None, _server: HostileServer) -> None:
        assert request is not None
        conn.sendall(_forward(base_url, request))
        conn.shutdown(socket.SHUT_WR)

    return Behaviour(act, name="proxy to a healthy sandbox")


def scripted(
    base_url: str,
    matches: Callable[[RecordedRequest], bool],
    answers: list[bytes],
    *,
    forward: bool = False,
) -> Behaviour:
    """Answer the requests that *match* with *answers*, one each, then proxy them too;
    every other request is proxied to *base_url* all along.

    With ``forward`` each scripted request still reaches the upstream server first (it
    is processed there) and only its answer is replaced: an answer lost on the way.
    """
    waiting = list(answers)
    lock = threading.Lock()

    def act(conn: socket.socket, request: RecordedRequest | None, _server: HostileServer) -> None:
        assert request is not None
        answer = None
        if matches(request):
            with lock:
                answer = waiting.pop(0) if waiting else None
        if answer is None:
            conn.sendall(_forward(base_url, request))
        else:
            if forward:
                _forward(base_url, request)
            conn.sendall(answer)
        conn.shutdown(socket.SHUT_WR)

    return Behaviour(act, name="scripted answers, then a healthy proxy")
