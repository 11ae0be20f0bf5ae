"""The sandbox application: storage, clock, faults and routes, independent of the socket layer."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from . import results, seed
from .clock import Clock
from .config import SandboxConfig
from .context import Ctx
from .db import Database, DatabaseClosedError
from .errors import INTERNAL_ERROR_BODY, ApiError
from .faults import FaultInjector
from .routing import Request, Response, Router, error_response, json_response

logger = logging.getLogger(__name__)

SHUTTING_DOWN_BODY = {
    "statusCode": 503,
    "error": "SERVICE_UNAVAILABLE",
    "message": "The sandbox is shutting down",
}


class SandboxApp:
    """Turns a :class:`Request` into a :class:`Response`; never raises to its caller."""

    def __init__(self, config: SandboxConfig) -> None:
        from . import api_routes, sandbox_routes

        self.config = config
        self.clock = Clock()
        self.db = Database(None if config.in_memory else config.db_path)
        self.faults = FaultInjector(config.faults)
        self.router = Router()
        # Sandbox time at which the next tournament ends; until then no maintenance is needed.
        self._next_due = 0.0
        api_routes.register(self)
        sandbox_routes.register(self)

    def bootstrap(self) -> None:
        """Seed a fresh database and bring tournaments up to date."""
        if self.config.seed:
            with self.context() as ctx:
                seeded = seed.seed(ctx)
            if seeded:
                logger.info("Seeded a fresh sandbox database")
        self.maintain(force=True)

    @contextmanager
    def context(self) -> Iterator[Ctx]:
        """A transaction plus the current sandbox time."""
        with self.db.transaction() as conn:
            yield Ctx(conn, self.clock.now(), self.config)

    def maintain(self, *, force: bool = False) -> None:
        """Finalize tournaments that have ended (cheap no-op until one is due)."""
        if not force and self.clock.now() < self._next_due:
            return
        with self.context() as ctx:
            self._next_due = results.maintain(ctx)

    def schedule_changed(self) -> None:
        """Tournaments were created or ended out of band: re-check on the next request."""
        self._next_due = 0.0

    def handle(self, request: Request) -> Response:
        """Route the request; map :class:`ApiError` to its JSON body and anything else to 500."""
        try:
            route, params = self.router.resolve(request.method, request.path)
            request.params = params
            return route(request)
        except ApiError as error:
            return error_response(error)
        except DatabaseClosedError:
            # A request still in flight while the sandbox stops.
            return json_response(503, SHUTTING_DOWN_BODY)
        except Exception:
            # Only method and path: the query string may carry a session token.
            logger.exception("Unhandled error in %s %s", request.method, request.path)
            return json_response(500, INTERNAL_ERROR_BODY)

    def close(self) -> None:
        """Close the database (waits for a running transaction)."""
        self.db.close()
