"""A tiny loopback TCP server that answers every connection with exact bytes.

Used for failures the sandbox cannot produce on demand: a body shorter than
its Content-Length, garbage instead of HTTP, a 3xx, a server that accepts and
never answers. It records every request it read, so tests can check what the
client really sent on the wire.
"""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class RecordedRequest:
    """One request as it arrived: request line, headers (lower-case names), body."""

    request_line: str
    headers: dict[str, str]
    body: bytes

    @property
    def method(self) -> str:
        return self.request_line.split(" ", 1)[0]

    @property
    def target(self) -> str:
        return self.request_line.split(" ")[1]


@dataclass
class RawServer:
    """Answer each connection with ``reply``; ``reply=None`` means never answer.

    ``reply`` may also be a function of the request (to answer by route).
    """

    reply: bytes | Callable[[RecordedRequest], bytes] | None
    tls: ssl.SSLContext | None = None
    requests: list[RecordedRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(0.05)
        self.port: int = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._handle(conn)

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        try:
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
            recorded = read_request(conn)
        except OSError:
            conn.close()
            return
        if recorded is not None:
            self.requests.append(recorded)
        if self.reply is None or (recorded is None and callable(self.reply)):
            self._held.append(conn)  # keep it open, say nothing
            return
        reply = self.reply(recorded) if callable(self.reply) else self.reply
        try:
            conn.sendall(reply)
            conn.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        finally:
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        self._listener.close()
        self._thread.join(timeout=5)
        for conn in self._held:
            conn.close()


def read_request(conn: socket.socket) -> RecordedRequest | None:
    """Read one request (head and Content-Length body); None if it is not HTTP."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
        if not data[:1].isalpha():
            return None  # not HTTP (e.g. a TLS ClientHello): answer at once
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return RecordedRequest(lines[0], headers, body)


def http_response(
    status: str,
    body: bytes = b"",
    *,
    content_type: str = "application/json",
    content_length: int | None = None,
    extra_headers: dict[str, str] | None = None,
) -> bytes:
    """Build the bytes of an HTTP/1.1 response; ``content_length`` may lie on purpose."""
    length = len(body) if content_length is None else content_length
    lines = [f"HTTP/1.1 {status}", f"Content-Type: {content_type}", f"Content-Length: {length}"]
    lines.append("Connection: close")
    for name, value in (extra_headers or {}).items():
        lines.append(f"{name}: {value}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def free_port() -> int:
    """A loopback port with nothing listening on it (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def self_signed_tls(folder: Path) -> tuple[ssl.SSLContext, Path]:
    """A server TLS context for 127.0.0.1 with a fresh self-signed certificate (and its path)."""
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context, cert
