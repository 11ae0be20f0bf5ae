"""The sandbox application: storage, clock, faults and routes, independent of the socket layer."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from . import extensions, results, seed
from .clock import Clock
from .config import SandboxConfig
from .context import Ctx
from .db import Database, DatabaseClosedError
from .deliveries import DeliveryLog
from .errors import ApiError
from .faults import FaultInjector
from .generations import speaks_current_errors
from .routing import Request, Response, Router, error_response

logger = logging.getLogger(__name__)

SHUTTING_DOWN = ApiError(503, "SERVICE_UNAVAILABLE", "The sandbox is shutting down")
INTERNAL_ERROR = ApiError(500, "INTERNAL_ERROR", "Internal server error")


class SandboxApp:
    """Turns a :class:`Request` into a :class:`Response`; never raises to its caller."""

    def __init__(self, config: SandboxConfig) -> None:
        from . import (
            account_routes,
            api_routes,
            current_routes,
            legacy_routes,
            loyalty_routes,
            sandbox_routes,
        )

        self.config = config
        self.clock = Clock()
        self.db = Database(None if config.in_memory else config.db_path)
        self.faults = FaultInjector(config.faults)
        self.deliveries = DeliveryLog()
        self.router = Router()
        # Sandbox time at which the next tournament ends; until then no maintenance is needed.
        self._next_due = 0.0
        api_routes.register(self)
        current_routes.register(self)
        account_routes.register(self)
        loyalty_routes.register(self)
        legacy_routes.register(self)
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
    def context(self, *, with_deliveries: bool = False) -> Iterator[Ctx]:
        """A transaction plus the current sandbox time.

        ``with_deliveries`` writes every delivery still waiting first (for their readers).
        """
        with self.db.transaction() as conn:
            written = self.deliveries.flush(conn, force=with_deliveries)
            try:
                yield Ctx(conn, self.clock.now(), self.config)
            except BaseException:
                self.deliveries.restore(written)
                raise

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
        """Route the request; map :class:`ApiError` to its error answer and anything else to 500.

        In documented-only mode the current generation's errors carry only their code, as a
        JSON string, the way its docs show them.
        """
        try:
            route, params = self.router.resolve(request.method, request.path)
            request.params = params
            return route(request)
        except ApiError as error:
            return self.error_answer(request.path, error)
        except DatabaseClosedError:
            # A request still in flight while the sandbox stops.
            return self.error_answer(request.path, SHUTTING_DOWN)
        except Exception:
            # Only method and path: the query string may carry a session token.
            logger.exception("Unhandled error in %s %s", request.method, request.path)
            return self.error_answer(request.path, INTERNAL_ERROR)

    def error_answer(self, path: str, error: ApiError) -> Response:
        """The error's answer in the dialect of the generation ``path`` belongs to."""
        bare = speaks_current_errors(path) and not extensions.enabled(
            self.config, extensions.ERROR_OBJECT
        )
        return error_response(error, bare_code=bare)

    def close(self) -> None:
        """Write what is pending and close the database (waits for a running transaction)."""
        try:
            with self.context(with_deliveries=True):
                pass
        except DatabaseClosedError:
            pass
        self.db.close()
