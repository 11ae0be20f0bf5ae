"""The legacy IndiGG paths of seed 000: the current API with two paths and header names swapped.

L1 ``POST /api/proxy/auth/user/session`` (``clientID`` / ``clientSecret``) opens a session like
``/s2s/session`` and answers seed 000's fields; L2 ``POST
/api/event-reward-user-claims/events/{eventID}`` grants a loyalty reward like ``/fe/loyalty``
but needs the client headers *and* the player's token. Seed 000 is cut off before L2's body
and answers, so L2 answers as its current counterpart does (C28).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import accounts, current_session, deliveries
from .current_base import Binder, CurrentRoutesBase
from .loyalty_routes import LoyaltyRoutes
from .operations import BARE_500, UN_AUTHORIZED, operation
from .routing import Request, Response, json_response

if TYPE_CHECKING:
    from .app import SandboxApp

SESSION = operation("POST", "/api/proxy/auth/user/session", fallback=BARE_500, user=False)
GRANT = operation("POST", "/api/event-reward-user-claims/events/{eventID}", UN_AUTHORIZED)

OPERATIONS = (SESSION, GRANT)


class LegacyRoutes(CurrentRoutesBase):
    """Route functions of the two legacy paths."""

    def __init__(self, app: SandboxApp) -> None:
        super().__init__(app)
        self.loyalty = LoyaltyRoutes(app)

    def session(self, request: Request) -> Response:
        """L1: create or retrieve, a new token pair; 200."""
        self.check_legacy_client(request)
        user_id, profile = current_session.parse_request(request.json())
        with self.app.context() as ctx:
            opened = accounts.open_session(ctx, self.config.client_id, user_id, profile)
            return json_response(200, current_session.legacy_session_json(ctx, opened))

    def grant(self, request: Request) -> Response:
        """L2: client headers first, then the same grant as the current path."""
        self.check_legacy_client(request)
        return self.loyalty.grant_as(request, api="legacy")


def register(app: SandboxApp) -> None:
    """Add the legacy routes to the app's router."""
    routes = LegacyRoutes(app)
    bind = Binder(app)
    bind(SESSION, routes.session)
    bind(GRANT, routes.grant, counted_as=deliveries.LEGACY_LOYALTY_GRANT)
