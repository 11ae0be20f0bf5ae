"""``SandboxServer``: the sandbox on a loopback socket, served from a background thread."""

from __future__ import annotations

import logging
import socket
import threading
from http.server import ThreadingHTTPServer
from types import TracebackType
from typing import Any

from .app import SandboxApp
from .config import Faults, SandboxConfig
from .handler import SandboxRequestHandler, shutdown_socket

logger = logging.getLogger(__name__)


class _HTTPServer(ThreadingHTTPServer):
    """A thread per connection; remembers open connections so ``stop()`` can close them."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: SandboxApp) -> None:
        self.app = app
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, SandboxRequestHandler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Track the connection, then serve it on its own thread."""
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        """Forget and close a finished connection."""
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Wake and end every open keep-alive connection."""
        with self._open_lock:
            connections = list(self._open)
        for connection in connections:
            shutdown_socket(connection)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A connection broke (client went away mid-answer): not worth a traceback on stderr."""
        logger.debug("Connection error while serving a request", exc_info=True)


class SandboxServer:
    """The KGeN sandbox: a real HTTP server on loopback backed by SQLite.

    >>> with SandboxServer(SandboxConfig()) as sandbox:   # doctest: +SKIP
    ...     requests.get(sandbox.url + "/_sandbox/health")
    """

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self._lock = threading.Lock()
        self._app: SandboxApp | None = None
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._url: str | None = None
        self._faults = self.config.faults

    def __repr__(self) -> str:
        state = self._url or "stopped"
        return f"SandboxServer({state})"

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321``; only while running."""
        if self._url is None:
            raise RuntimeError("the sandbox is not running; call start() first")
        return self._url

    @property
    def running(self) -> bool:
        """True between ``start()`` and ``stop()``."""
        return self._url is not None

    def start(self) -> str:
        """Open the database, bind the socket and serve on a background thread; returns the URL."""
        with self._lock:
            if self._url is not None:
                return self._url
            app = SandboxApp(self.config)
            try:
                app.faults.set(self._faults)
                app.bootstrap()
                httpd = _HTTPServer((self.config.host, self.config.port), app)
            except BaseException:
                app.close()
                raise
            thread = threading.Thread(
                target=httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="kgen-sandbox-server",
                daemon=True,
            )
            thread.start()
            host, port = str(httpd.server_address[0]), int(httpd.server_address[1])
            host_text = f"[{host}]" if ":" in host else host
            self._app, self._httpd, self._thread = app, httpd, thread
            self._url = f"http://{host_text}:{port}"
            logger.info("KGeN sandbox listening on %s", self._url)
            return self._url

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving, close every connection and the database. Safe to call twice."""
        with self._lock:
            app, httpd, thread = self._app, self._httpd, self._thread
            self._app = self._httpd = self._thread = None
            self._url = None
        if app is None or httpd is None or thread is None:
            return
        self._faults = app.faults.faults
        app.faults.release_all()
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        thread.join(timeout)
        app.close()
        logger.info("KGeN sandbox stopped")

    def set_faults(self, faults: Faults | None = None, **changes: Any) -> Faults:
        """Replace the faults (``faults``) and/or change some settings; returns what is in force.

        ``set_faults()`` with no arguments clears every fault.
        """
        base = faults if faults is not None else (self.faults if changes else Faults())
        updated = base.replace(**changes) if changes else base
        self._faults = updated
        app = self._app
        if app is not None:
            app.faults.set(updated)
        return updated

    @property
    def faults(self) -> Faults:
        """The faults in force (including changes made through ``POST /_sandbox/faults``)."""
        app = self._app
        return app.faults.faults if app is not None else self._faults

    def advance_clock(self, seconds: float) -> None:
        """Move the sandbox clock forward (tokens, OTPs and tournaments expire sooner)."""
        app = self._app
        if app is None:
            raise RuntimeError("the sandbox is not running; call start() first")
        app.clock.advance(seconds)

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
