"""What every current-generation and legacy route needs: credentials, a transaction, bodies.

Header families (C4): ``x-client-id`` / ``x-client-secret`` on ``/s2s``, the player's
``user-jwt-token`` on ``/fe``, ``clientID`` / ``clientSecret`` on the legacy paths.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from . import accounts, deliveries, extensions, idempotency
from .accounts import Principal
from .context import Ctx
from .errors import validation_error
from .extensions import Extension
from .operations import Operation, guarded
from .routing import Request, Response, RouteFunction
from .validation import require_object

if TYPE_CHECKING:
    from .app import SandboxApp

USER_TOKEN_HEADER = "user-jwt-token"  # noqa: S105 - a header name


def user_token(request: Request) -> str | None:
    """The player's token, sent in the ``user-jwt-token`` header (never in the query)."""
    return request.header(USER_TOKEN_HEADER)


class CurrentRoutesBase:
    """Shared helpers of the route classes of the current generation."""

    def __init__(self, app: SandboxApp) -> None:
        self.app = app
        self.config = app.config

    def enabled(self, extension: Extension) -> bool:
        """Whether a sandbox extension is in force."""
        return extensions.enabled(self.config, extension)

    def check_s2s(self, request: Request) -> None:
        """``x-client-id`` and ``x-client-secret`` must name the sandbox's client."""
        accounts.check_client(
            self.config,
            request.header("x-client-id"),
            request.header("x-client-secret"),
            required=True,
        )

    def check_legacy_client(self, request: Request) -> None:
        """``clientID`` and ``clientSecret`` (seed 000's header names) must be right."""
        accounts.check_client(
            self.config, request.header("clientID"), request.header("clientSecret"), required=True
        )

    @contextmanager
    def as_user(self, request: Request) -> Iterator[tuple[Ctx, Principal]]:
        """A transaction and the player behind ``user-jwt-token`` (401 UN_AUTHORIZED if none)."""
        self.app.maintain()
        with self.app.context() as ctx:
            yield ctx, accounts.authenticate(ctx, user_token(request))

    def once(
        self,
        ctx: Ctx,
        principal: Principal,
        request: Request,
        body: Any,
        work: Callable[[], Response],
    ) -> Response:
        """Run ``work`` once per ``Idempotency-Key`` of this player and path (an extension:
        without it, or without the header, every request does the work)."""
        key = idempotency.header_key(request) if self.enabled(extensions.IDEMPOTENCY) else None
        scope = f"{request.method} {request.path}"
        return idempotency.once(ctx, principal.gamer_pk, scope, key, body, work)

    def optional_object(self, request: Request, *, refused: tuple[str, ...] = ()) -> dict[str, Any]:
        """A body the docs do not define: none, or a JSON object without ``refused`` keys.

        Keys that would change the meaning of the call if honoured (a selective claim, a
        partial withdrawal: v1 extensions) are refused rather than silently ignored.
        """
        body = request.optional_json()
        if body is None:
            return {}
        obj = require_object(body)
        for key in refused:
            if key in obj:
                raise validation_error(f"{key} is not supported by this operation")
        return obj


class Binder:
    """Adds current-generation routes to the app's router, shaped and (optionally) counted."""

    def __init__(self, app: SandboxApp) -> None:
        self.app = app

    def __call__(
        self,
        op: Operation,
        route: RouteFunction,
        *,
        counted_as: tuple[str, str] | None = None,
    ) -> None:
        """Register ``route`` for ``op`` (and count its deliveries under ``counted_as``)."""
        specific = extensions.enabled(self.app.config, extensions.ERROR_CODES)
        shaped = guarded(op, route, documented_only=not specific)
        if counted_as is not None:
            shaped = deliveries.counted(self.app, counted_as, user_token, shaped)
        self.app.router.add(op.method, op.path, shaped)
