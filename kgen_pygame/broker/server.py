"""Serving the broker with waitress, in the foreground (the CLI) or on a thread (tests, demos).

waitress is a production WSGI server in pure Python: no compiler, no C
extension, and the same behaviour on Windows, macOS and Linux (gunicorn and
uWSGI need a POSIX ``fork``). It keeps slow clients off the worker threads
(its I/O loop buffers whole requests first) and handles ``X-Forwarded-For``
from a trusted proxy itself.

One loop serves both modes: waitress's I/O loop is run a poll at a time
until :meth:`BrokerServer.stop` is called, then the same thread closes the
sockets and stops the worker threads.
"""

from __future__ import annotations

import logging
import threading
from types import TracebackType
from typing import Any

from kgen_pygame.broker.app import BrokerApp
from kgen_pygame.broker.config import BrokerConfig

__all__ = ["BrokerServer"]

logger = logging.getLogger(__name__)

_POLL_S = 0.05


class BrokerServer:
    """The broker app under waitress on ``config.host:config.port`` (port 0: any free one).

    >>> with BrokerServer(config) as broker:   # doctest: +SKIP
    ...     requests.get(broker.url + "/healthz")
    """

    def __init__(self, config: BrokerConfig, app: BrokerApp | None = None) -> None:
        self.config = config
        self.app = app or BrokerApp(config)
        self._map: dict[Any, Any] = {}
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._stopped = threading.Event()
        self._url: str | None = None

    @property
    def url(self) -> str:
        """``http://host:port`` once bound."""
        if self._url is None:
            raise RuntimeError("the broker is not listening; call bind() or start() first")
        return self._url

    def bind(self) -> str:
        """Open the listening socket (no requests are served yet); returns the URL."""
        if self._url is not None:
            return self._url
        import waitress

        config = self.config
        options: dict[str, Any] = {
            "host": config.host,
            "port": config.port,
            "threads": config.threads,
            "ident": "kgen-broker",
            # The app refuses over max_body_bytes with a JSON 413; waitress cuts far larger
            # bodies (a plain-text 413) before they are even buffered.
            "max_request_body_size": 2 * config.max_body_bytes,
            "channel_timeout": 30,
            "expose_tracebacks": False,
            "clear_untrusted_proxy_headers": True,
        }
        if config.trusted_proxy is not None:
            options.update(
                trusted_proxy=config.trusted_proxy,
                trusted_proxy_count=config.trusted_proxy_count,
                trusted_proxy_headers={"x-forwarded-for", "x-forwarded-proto"},
            )
        self._server = waitress.create_server(self.app, map=self._map, **options)
        listen = getattr(self._server, "effective_listen", None) or [
            (self._server.effective_host, self._server.effective_port)
        ]
        host, port = listen[0]
        host_text = f"[{host}]" if ":" in str(host) else str(host)
        self._url = f"http://{host_text}:{port}"
        return self._url

    def serve(self) -> None:
        """Serve on the calling thread until :meth:`stop` (from another thread or a signal)."""
        from waitress import wasyncore

        self.bind()
        logger.info("kgen-broker listening on %s (api %s)", self._url, self.config.api)
        try:
            while not self._stopping.is_set():
                wasyncore.loop(timeout=_POLL_S, map=self._map, count=1)
        finally:
            wasyncore.close_all(self._map, ignore_all=True)
            self._server.task_dispatcher.shutdown()
            self.app.close()
            self._stopped.set()
            logger.info("kgen-broker stopped")

    def start(self) -> str:
        """Serve on a daemon thread; returns the URL."""
        url = self.bind()
        if self._thread is None:
            self._thread = threading.Thread(target=self.serve, name="kgen-broker", daemon=True)
            self._thread.start()
        return url

    def stop(self, timeout: float = 10.0) -> None:
        """Stop accepting, let running requests finish (up to waitress's 5 s), close."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def __enter__(self) -> BrokerServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
