"""Loyalty routes: rewardable events (``/s2s/loyalty``, the game's server) and the player's
rewards (``/fe/loyalty``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import deliveries, loyalty
from .current_base import Binder, CurrentRoutesBase
from .errors import validation_error
from .extensions import LOYALTY_ONCE
from .operations import BAD_REQUEST, UN_AUTHORIZED, operation
from .routing import Request, Response, empty_response, json_response

if TYPE_CHECKING:
    from .app import SandboxApp

_EVENTS = "/s2s/loyalty/rewardable-events"
_CLAIMS = "/fe/loyalty/event-reward-user-claims"
EVENT_PUT = operation("PUT", _EVENTS, BAD_REQUEST, UN_AUTHORIZED, user=False)
EVENT_LIST = operation("GET", _EVENTS, UN_AUTHORIZED, user=False)
EVENT_GET = operation("GET", f"{_EVENTS}/{{eventID}}", UN_AUTHORIZED, user=False)
EVENT_DELETE = operation("DELETE", f"{_EVENTS}/{{eventID}}", BAD_REQUEST, UN_AUTHORIZED, user=False)
GRANT = operation("POST", f"{_CLAIMS}/events/{{eventID}}", UN_AUTHORIZED)
EARNED = operation("GET", f"{_CLAIMS}/user", UN_AUTHORIZED)

OPERATIONS = (EVENT_PUT, EVENT_LIST, EVENT_GET, EVENT_DELETE, GRANT, EARNED)


def parse_is_active(value: str | None) -> bool | None:
    """``?isActive=true|false`` (absent: every event)."""
    if value is None:
        return None
    if value in ("true", "false"):
        return value == "true"
    raise validation_error("isActive must be true or false")


class LoyaltyRoutes(CurrentRoutesBase):
    """Route functions of the loyalty operations."""

    # -- rewardable events (client credentials) ------------------------------------------

    def put_event(self, request: Request) -> Response:
        """PUT /s2s/loyalty/rewardable-events: create (no eventID) or replace; 201 both ways."""
        self.check_s2s(request)
        spec = loyalty.parse_event(request.json())
        with self.app.context() as ctx:
            return json_response(201, loyalty.upsert(ctx, self.config.client_id, spec))

    def list_events(self, request: Request) -> Response:
        """GET /s2s/loyalty/rewardable-events[?isActive=true|false]."""
        self.check_s2s(request)
        is_active = parse_is_active(request.query.get("isActive"))
        with self.app.context() as ctx:
            return json_response(200, loyalty.listing(ctx, self.config.client_id, is_active))

    def get_event(self, request: Request) -> Response:
        """GET /s2s/loyalty/rewardable-events/{eventID}."""
        self.check_s2s(request)
        with self.app.context() as ctx:
            row = loyalty.require(ctx, self.config.client_id, request.params["eventID"])
            return json_response(200, loyalty.event_json(row))

    def delete_event(self, request: Request) -> Response:
        """DELETE /s2s/loyalty/rewardable-events/{eventID}: 204, no body."""
        self.check_s2s(request)
        with self.app.context() as ctx:
            loyalty.delete(ctx, self.config.client_id, request.params["eventID"])
        return empty_response(204)

    # -- rewards (player token) ----------------------------------------------------------

    def grant(self, request: Request) -> Response:
        """POST /fe/loyalty/event-reward-user-claims/events/{eventID}: 201 and a reward."""
        return self.grant_as(request, api="current")

    def grant_as(self, request: Request, *, api: str) -> Response:
        """Grant the event's reward to the player behind the token (also legacy L2)."""
        once = self.enabled(LOYALTY_ONCE)
        with self.as_user(request) as (ctx, principal):
            event_id = request.params["eventID"]
            body = self.optional_object(request)

            def work() -> Response:
                reward = loyalty.grant(ctx, principal, event_id, api=api, once_per_event=once)
                return json_response(201, reward)

            return self.once(ctx, principal, request, body, work)

    def earned(self, request: Request) -> Response:
        """GET /fe/loyalty/event-reward-user-claims/user: ``{"rewards", "offset"}``."""
        with self.as_user(request) as (ctx, principal):
            return json_response(200, loyalty.earned_json(ctx, principal))


def register(app: SandboxApp) -> None:
    """Add the loyalty routes to the app's router."""
    routes = LoyaltyRoutes(app)
    bind = Binder(app)
    bind(EVENT_PUT, routes.put_event)
    bind(EVENT_LIST, routes.list_events)
    bind(EVENT_GET, routes.get_event)
    bind(EVENT_DELETE, routes.delete_event)
    bind(GRANT, routes.grant, counted_as=deliveries.LOYALTY_GRANT)
    bind(EARNED, routes.earned)
