"""The broker as a plain WSGI application (standard library only).

Routes: ``GET /healthz`` and ``POST /v1/session`` (see :mod:`~kgen_pygame.broker.wire`).
Every request, whatever its outcome, produces one access-log record; every
refusal is a JSON body ``{"error": CODE, "message": ...}``. The app never
lets an exception escape to the server: an unexpected one is a 500 whose
log line names its type.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from kgen_pygame.broker import wire
from kgen_pygame.broker.config import BrokerConfig
from kgen_pygame.broker.logs import ACCESS_LOGGER
from kgen_pygame.broker.platform import SessionMinter
from kgen_pygame.broker.ratelimit import RateLimiter
from kgen_pygame.broker.replay import ReplayGuard
from kgen_pygame.broker.session_route import SessionRoute
from kgen_pygame.broker.verifier import Verifier, load_verifier
from kgen_pygame.broker.wsgi import HttpError, StartResponse, json_reply, read_json_object
from kgen_pygame.redact import register_secret

__all__ = ["BrokerApp"]

logger = logging.getLogger(__name__)
access_logger = logging.getLogger(ACCESS_LOGGER)


class BrokerApp:
    """``BrokerApp(config)`` is the WSGI callable; serve it with waitress (see server.py)."""

    def __init__(
        self,
        config: BrokerConfig,
        *,
        minter: SessionMinter | None = None,
        verifier: Verifier | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        register_secret(config.client_secret)
        register_secret(config.broker_key.decode("utf-8", "replace"))
        self.config = config
        if verifier is None and config.verifier is not None:
            verifier = load_verifier(config.verifier)
        self.minter = minter or SessionMinter(config)
        self.limiter = RateLimiter(
            config.rate_per_minute, config.rate_burst, config.rate_max_clients
        )
        self.replay = ReplayGuard(config.replay_window_s, config.nonce_cache_size, wall_clock)
        self._session = SessionRoute(config, self.minter, self.replay, verifier)
        self._started = time.monotonic()

    def close(self) -> None:
        """Release the platform connections."""
        self.minter.close()

    def __call__(
        self, environ: Mapping[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        started = time.perf_counter()
        method = str(environ.get("REQUEST_METHOD", "GET"))
        path = str(environ.get("PATH_INFO", "") or "/")
        log: dict[str, object] = {}
        try:
            status, body, headers = self._route(method, path, environ, log)
        except HttpError as refusal:
            status, body, headers = refusal.status, refusal.body(), refusal.headers()
            log["error"] = refusal.code
        except Exception as error:  # the server must never see one
            logger.exception(
                "unexpected %s while serving %s %s", type(error).__name__, method, path
            )
            status, body, headers = 500, {"error": wire.INTERNAL, "message": "internal error"}, []
            log["error"] = wire.INTERNAL
        reply = json_reply(start_response, status, body, headers)
        self._log_access(environ, method, path, status, started, log)
        return reply

    def _route(
        self, method: str, path: str, environ: Mapping[str, Any], log: dict[str, object]
    ) -> tuple[int, object, list[tuple[str, str]]]:
        if path == wire.HEALTH_PATH:
            _allow(method, "GET", "HEAD")
            return 200, self._health(), []
        if path == wire.SESSION_PATH:
            _allow(method, "POST")
            wait = self.limiter.take(str(environ.get("REMOTE_ADDR", "")))
            if wait > 0:
                raise HttpError(
                    429,
                    wire.RATE_LIMITED,
                    "too many session requests; slow down",
                    retry_after=wait,
                )
            data = read_json_object(environ, self.config.max_body_bytes)
            return 200, self._session.handle(data, log), []
        raise HttpError(404, wire.NOT_FOUND, "no such route")

    def _health(self) -> dict[str, object]:
        return {
            "status": "ok",
            "api": self.config.api,
            "identity": "verifier" if self.config.uses_verifier else "device_key",
            "platform_calls_in_flight": self.minter.in_use,
            "platform_slots": self.config.slots,
            "uptime_s": round(time.monotonic() - self._started, 1),
        }

    def _log_access(
        self,
        environ: Mapping[str, Any],
        method: str,
        path: str,
        status: int,
        started: float,
        log: dict[str, object],
    ) -> None:
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        fields: dict[str, object] = {
            "method": method,
            # PATH_INFO never has the query string; a caller's ?token= stays out of logs.
            "path": path if path in (wire.HEALTH_PATH, wire.SESSION_PATH) else "(other)",
            "status": status,
            "duration_ms": duration_ms,
            "client": str(environ.get("REMOTE_ADDR", "")),
            **log,
        }
        level = logging.WARNING if status >= 500 else logging.INFO
        access_logger.log(
            level, "%s %s %d", method, fields["path"], status, extra={"fields": fields}
        )


def _allow(method: str, *allowed: str) -> None:
    if method not in allowed:
        raise HttpError(405, wire.METHOD_NOT_ALLOWED, f"use {' or '.join(allowed)}")
