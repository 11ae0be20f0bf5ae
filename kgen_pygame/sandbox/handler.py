"""HTTP/1.1 request handler: keep-alive, one write per response, faults, JSON errors everywhere."""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import time
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from .errors import ApiError
from .generations import faultable
from .routing import Request, Response, error_response

if TYPE_CHECKING:
    from .app import SandboxApp

logger = logging.getLogger(__name__)

_MAX_LINE = 65536
_MAX_HEADERS = 100
_QUERY_RE = re.compile(r"\?\S*")
_HTML_502 = (
    b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    b"<body><h1>502 Bad Gateway</h1><p>The upstream server did not answer in time.</p>"
    b"<hr><p>kgen-sandbox fault injection</p></body></html>"
)
_FAULT_503 = ApiError(
    503, "SERVICE_UNAVAILABLE", "Service temporarily unavailable (injected fault)"
)


#: The response header every sandbox answer carries (not part of any platform API).
SANDBOX_MARKER = "X-KGen-Sandbox"
MARKER_VALUE = "1"


class _BodyError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.error = ApiError(status, code, message)


class _Headers:
    """Request headers by lower-case name (the stdlib's email parser costs ~50 us a request)."""

    __slots__ = ("fields",)

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = fields

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.fields.get(name.lower(), default)

    def items(self) -> Any:
        return self.fields.items()

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self.fields


class _DateCache:
    """``Date`` header text, formatted at most once a second."""

    second = -1
    text = ""

    @classmethod
    def now(cls) -> str:
        second = int(time.time())
        if second != cls.second:
            cls.text = formatdate(second, usegmt=True)
            cls.second = second
        return cls.text


class SandboxRequestHandler(BaseHTTPRequestHandler):
    """Serves one connection; ``server.app`` does the work."""

    protocol_version = "HTTP/1.1"
    # Without this, Nagle + delayed ACK hold each keep-alive response ~40 ms on loopback.
    disable_nagle_algorithm = True
    server_version = "kgen-sandbox/1"
    sys_version = ""

    @property
    def app(self) -> SandboxApp:
        """The application this connection serves."""
        return self.server.app  # type: ignore[attr-defined, no-any-return]

    raw_requestline: bytes

    def setup(self) -> None:
        """Apply the idle keep-alive timeout to the connection."""
        super().setup()
        self.connection.settimeout(self.app.config.idle_timeout_s)

    def parse_request(self) -> bool:
        """Parse the request line and headers (a lean version of the base class's)."""
        self.command = None  # type: ignore[assignment]
        self.request_version = self.default_request_version
        self.close_connection = True
        requestline = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        self.requestline = requestline
        words = requestline.split()
        if len(words) != 3:
            self.send_error(HTTPStatus.BAD_REQUEST)
            return False
        command, path, version = words
        if version not in ("HTTP/1.1", "HTTP/1.0"):
            self.send_error(HTTPStatus.HTTP_VERSION_NOT_SUPPORTED)
            return False
        if path.startswith("//"):
            path = "/" + path.lstrip("/")  # never a scheme-relative URL (as the base class does)
        self.command, self.path, self.request_version = command, path, version
        fields: dict[str, str] = {}
        last = ""
        for _ in range(_MAX_HEADERS + 1):
            line = self.rfile.readline(_MAX_LINE + 1)
            if len(line) > _MAX_LINE:
                self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE)
                return False
            if line in (b"\r\n", b"\n", b""):
                break
            text = line.decode("iso-8859-1")
            if text[0] in " \t" and last:  # obsolete line folding
                fields[last] += " " + text.strip()
                continue
            name, colon, value = text.partition(":")
            if not colon or not name.strip():
                self.send_error(HTTPStatus.BAD_REQUEST)
                return False
            last = name.strip().lower()
            value = value.strip()
            fields[last] = f"{fields[last]}, {value}" if last in fields else value
        else:
            self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE)
            return False
        self.headers = _Headers(fields)  # type: ignore[assignment]
        connection = fields.get("connection", "").lower()
        if connection == "close":
            self.close_connection = True
        elif connection == "keep-alive":
            self.close_connection = False
        else:
            self.close_connection = version != "HTTP/1.1"
        if fields.get("expect", "").lower() == "100-continue" and version == "HTTP/1.1":
            return self.handle_expect_100()
        return True

    # Every method goes through the router, so a wrong one is a JSON 405, not a bare 501.
    def do_GET(self) -> None:
        """Dispatch a GET request."""
        self._dispatch()

    def do_POST(self) -> None:
        """Dispatch a POST request."""
        self._dispatch()

    def do_PUT(self) -> None:
        """Dispatch a PUT request."""
        self._dispatch()

    def do_PATCH(self) -> None:
        """Dispatch a PATCH request."""
        self._dispatch()

    def do_DELETE(self) -> None:
        """Dispatch a DELETE request."""
        self._dispatch()

    def do_HEAD(self) -> None:
        """Dispatch a HEAD request (answered without a body)."""
        self._dispatch()

    def do_OPTIONS(self) -> None:
        """Dispatch an OPTIONS request."""
        self._dispatch()

    # -- request -------------------------------------------------------------------------

    def _read_body(self) -> bytes:
        limit = self.app.config.max_body_bytes
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked(limit)
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            return b""
        try:
            length = int(length_text)
        except ValueError:
            raise _BodyError(400, "BAD_REQUEST", "Invalid Content-Length") from None
        if length < 0:
            raise _BodyError(400, "BAD_REQUEST", "Invalid Content-Length")
        if length > limit:
            raise _BodyError(413, "PAYLOAD_TOO_LARGE", f"Body larger than {limit} bytes")
        body = self.rfile.read(length)
        if len(body) != length:
            raise _BodyError(400, "BAD_REQUEST", "Body shorter than Content-Length")
        return body

    def _read_chunked(self, limit: int) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise _BodyError(400, "BAD_REQUEST", "Malformed chunked body") from None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # discard trailers
                return b"".join(chunks)
            total += size
            if total > limit:
                raise _BodyError(413, "PAYLOAD_TOO_LARGE", f"Body larger than {limit} bytes")
            chunks.append(self.rfile.read(size))
            self.rfile.readline(16)

    def _dispatch(self) -> None:
        split = urlsplit(self.path)
        path = split.path or "/"
        try:
            body = self._read_body()
        except _BodyError as problem:
            self.close_connection = True
            self._send(self.app.error_answer(path, problem.error), path)
            return
        app = self.app
        fault = None
        if app.faults.faults.active and faultable(path):
            fault = app.faults.before_request()
            if fault in ("drop", "stopped"):
                self.close_connection = True
                self._log(path, 0 if fault == "drop" else -1)
                return
            if fault == "error":
                self._send(app.error_answer(path, _FAULT_503), path)
                return
            if fault == "html":
                self._send(Response(502, _HTML_502, "text/html; charset=utf-8"), path)
                return
        request = Request(
            method=self.command,
            path=path,
            # Reversed so that the first value of a repeated parameter wins.
            query=dict(parse_qsl(split.query, keep_blank_values=True)[::-1]),
            headers=self.headers.fields,  # type: ignore[attr-defined]
            body=body,
        )
        response = app.handle(request)
        if fault == "truncate":
            self.close_connection = True
            self._send(response, path, truncate=True)
            return
        self._send(response, path)

    # -- response ------------------------------------------------------------------------

    def _send(self, response: Response, path: str = "", *, truncate: bool = False) -> None:
        """Write status line, headers and body with one ``write``."""
        body = response.body
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
        lines = [
            f"HTTP/1.1 {response.status} {reason}",
            f"Server: {self.server_version}",
            f"Date: {_DateCache.now()}",
        ]
        if response.content_type:
            lines.append(f"Content-Type: {response.content_type}")
        if response.status != HTTPStatus.NO_CONTENT:
            lines.append(f"Content-Length: {len(body)}")
        lines.append("Cache-Control: no-store")
        # Says "a sandbox answered" (play money), in both modes: the plugin shows it.
        lines.append(f"{SANDBOX_MARKER}: {MARKER_VALUE}")
        lines.extend(f"{name}: {value}" for name, value in response.headers.items())
        if self.close_connection:
            lines.append("Connection: close")
        elif self.request_version == "HTTP/1.0":
            lines.append("Connection: keep-alive")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        if self.command == "HEAD":
            body = b""
        elif truncate:
            body = body[: len(body) // 2]
        self.wfile.write(head + body)
        self._log(path, response.status)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Protocol-level errors (bad request line, oversized headers...) as JSON too."""
        self.close_connection = True
        try:
            status = HTTPStatus(code)
            name, phrase = status.name, status.phrase
        except ValueError:
            name, phrase = "ERROR", "Error"
        if getattr(self, "command", None) is None:
            self.command = ""
        if not getattr(self, "request_version", None):
            self.request_version = "HTTP/1.1"
        with contextlib.suppress(OSError):
            self._send(error_response(ApiError(code, name, phrase)))

    # -- logging (method and path only: query strings may hold a session token) ----------

    def _log(self, path: str, status: int) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s %s -> %s", self.command, path, status)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Replaced by :meth:`_log` (the default would log the full request line)."""

    def log_message(self, format: str, *args: Any) -> None:
        """Route the base class's messages to logging, with any query string removed."""
        logger.debug("%s", _QUERY_RE.sub("?<redacted>", format % args))


def shutdown_socket(sock: socket.socket) -> None:
    """Wake a thread blocked reading this connection (used when the server stops)."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
