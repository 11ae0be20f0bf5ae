"""The current generation's session and esports routes: ``/s2s/session``, ``/fe/esports/...``."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from . import (
    accounts,
    current_session,
    current_views,
    deliveries,
    eventing,
    idempotency,
    rewards,
    scores,
    tournaments,
)
from .current_base import Binder, CurrentRoutesBase
from .errors import validation_error
from .extensions import LEAVE_REFUND, RESPONSE_EXTRAS
from .money import from_cents
from .operations import BARE_500, operation
from .routing import Request, Response, json_response
from .validation import require_object, required_str

if TYPE_CHECKING:
    from .app import SandboxApp

_T = "/fe/esports/tournaments"
SESSION = operation("POST", "/s2s/session", fallback=BARE_500, user=False)
ACTIVE = operation(
    "GET",
    f"{_T}/active",
    (404, "TOURNAMENT_NOT_FOUND"),
    (404, "TOURNAMENT_PARTICIPATION_NOT_FOUND"),
)
PARTICIPATED = operation("GET", f"{_T}/participated")
DETAILS = operation("GET", f"{_T}/{{tournamentUID}}", (404, "TOURNAMENT_NOT_FOUND"))
LEADERBOARD = operation("GET", f"{_T}/{{tournamentUID}}/leaderboard", (404, "TOURNAMENT_NOT_FOUND"))
JOIN = operation(
    "POST",
    f"{_T}/{{tournamentUID}}/join",
    (400, "TOURNAMENT_INVALID_JOINING_STAKE"),
    (400, "TOURNAMENT_IS_NOT_LIVE"),
    (404, "TOURNAMENT_NOT_FOUND"),
    (409, "EXISTING_PARTICIPATION_FOUND"),
    (409, "TOURNAMENT_IS_FULL"),
)
LEAVE = operation(
    "POST",
    f"{_T}/{{tournamentUID}}/leave",
    (400, "TOURNAMENT_IS_NOT_LIVE"),
    (404, "TOURNAMENT_NOT_FOUND"),
    (404, "TOURNAMENT_PARTICIPATION_NOT_FOUND"),
)
SCORE = operation(
    "POST",
    f"{_T}/{{tournamentUID}}/score",
    (404, "TOURNAMENT_NOT_FOUND"),
    (404, "TOURNAMENT_PARTICIPATION_NOT_FOUND"),
)
REWARDS = operation("GET", "/fe/esports/rewards/claim", (401, "UN_AUTHORIZED"))
CLAIM = operation("POST", "/fe/esports/rewards/claim", (401, "UN_AUTHORIZED"))
STATISTICS = operation("GET", "/fe/esports/statistics/historic", (401, "UN_AUTHORIZED"))

OPERATIONS = (
    SESSION,
    ACTIVE,
    PARTICIPATED,
    DETAILS,
    LEADERBOARD,
    JOIN,
    LEAVE,
    SCORE,
    REWARDS,
    CLAIM,
    STATISTICS,
)

JOINED_MESSAGE = "user successfully joined the tournament"
LEFT_MESSAGE = "user left the tournament successfully"
SCORED_MESSAGE = "leaderboard score update successful"
CLAIMED_MESSAGE = "Rewards claimed successfully"


def parse_score_body(body: Any, path_uid: str) -> int:
    """``{"metadata": {"tournamentUID"}, "payload": {"score": {"value": Integer}}}``.

    The id sits in the path and the body (C17); they must agree, or the post is refused.
    """
    obj = require_object(body)
    metadata = require_object(obj.get("metadata"), "metadata")
    uid = required_str(metadata, "tournamentUID", where="metadata.", max_len=128)
    if uid != path_uid:
        raise validation_error("metadata.tournamentUID must equal the tournament in the path")
    payload = require_object(obj.get("payload"), "payload")
    others = sorted(key for key in payload if key != "score")
    if others:
        raise validation_error(
            f"payload.{others[0]} is not an event of this API (only payload.score is)"
        )
    score = require_object(payload.get("score"), "payload.score")
    if "value" not in score:
        raise validation_error("payload.score.value is required")
    return scores.whole_score(score["value"], "payload.score.value")


def _joining_stake(body: Any) -> int:
    """``joiningStake`` is declared "Type: int" (C18)."""
    obj = require_object(body)
    if "joiningStake" not in obj:
        raise validation_error("joiningStake is required")
    stake = obj["joiningStake"]
    if isinstance(stake, bool) or not isinstance(stake, int):
        raise validation_error("joiningStake must be an integer")
    return stake


class CurrentRoutes(CurrentRoutesBase):
    """Route functions of the session and esports operations."""

    # -- session -------------------------------------------------------------------------

    def session(self, request: Request) -> Response:
        """POST /s2s/session (also with the cURL's trailing slash): create or retrieve."""
        self.check_s2s(request)
        user_id, profile = current_session.parse_request(request.json())
        with self.app.context() as ctx:
            opened = accounts.open_session(ctx, self.config.client_id, user_id, profile)
            return json_response(200, current_session.session_json(ctx, opened))

    # -- tournaments ---------------------------------------------------------------------

    def active(self, request: Request) -> Response:
        """GET /fe/esports/tournaments/active: live tournaments, a bare array ([] when none)."""
        with self.as_user(request) as (ctx, _principal):
            rows = tournaments.live_rows(ctx)
            return json_response(200, [current_views.tournament_json(ctx, row) for row in rows])

    def participated(self, request: Request) -> Response:
        """GET /fe/esports/tournaments/participated: uids of every tournament joined."""
        with self.as_user(request) as (ctx, principal):
            return json_response(200, tournaments.joined_uids(ctx, principal.gamer_pk))

    def details(self, request: Request) -> Response:
        """GET /fe/esports/tournaments/{tournamentUID}."""
        with self.as_user(request) as (ctx, _principal):
            row = tournaments.require(ctx, request.params["tournamentUID"])
            return json_response(200, current_views.tournament_json(ctx, row))

    def leaderboard(self, request: Request) -> Response:
        """GET /fe/esports/tournaments/{tournamentUID}/leaderboard."""
        extras = self.enabled(RESPONSE_EXTRAS)
        with self.as_user(request) as (ctx, _principal):
            body = current_views.leaderboard_json(
                ctx, request.params["tournamentUID"], extras=extras
            )
            return json_response(200, body)

    def join(self, request: Request) -> Response:
        """POST /fe/esports/tournaments/{tournamentUID}/join with ``{"joiningStake": int}``."""
        with self.as_user(request) as (ctx, principal):
            uid = request.params["tournamentUID"]
            tournaments.require(ctx, uid)  # 404 before a body problem, as for v1
            stake = _joining_stake(request.json())
            tournaments.join(ctx, principal, uid, Decimal(stake))
        return json_response(200, {"message": JOINED_MESSAGE})

    def leave(self, request: Request) -> Response:
        """POST /fe/esports/tournaments/{tournamentUID}/leave (refund: an extension)."""
        refund = self.enabled(LEAVE_REFUND)
        with self.as_user(request) as (ctx, principal):
            tournaments.leave(ctx, principal, request.params["tournamentUID"], refund=refund)
        return json_response(200, {"message": LEFT_MESSAGE})

    def score(self, request: Request) -> Response:
        """POST /fe/esports/tournaments/{tournamentUID}/score: the player's score now (max kept).

        Stored as an event (``api`` "current"), so ``/_sandbox/events`` shows it.
        """
        with self.as_user(request) as (ctx, principal):
            uid = request.params["tournamentUID"]
            body = request.json()
            value = parse_score_body(body, uid)

            def work() -> Response:
                tournaments.post_score(ctx, principal, uid, value)
                eventing.store_score_post(
                    ctx,
                    principal.gamer_pk,
                    request.header(idempotency.HEADER),
                    request.body.decode("utf-8"),
                )
                return json_response(200, {"message": SCORED_MESSAGE})

            return self.once(ctx, principal, request, body, work)

    # -- rewards and statistics ----------------------------------------------------------

    def rewards(self, request: Request) -> Response:
        """GET /fe/esports/rewards/claim: the unclaimed rewards (nothing changes)."""
        with self.as_user(request) as (ctx, principal):
            return json_response(200, current_views.claimable_json(ctx, principal))

    def claim(self, request: Request) -> Response:
        """POST /fe/esports/rewards/claim: claim every unclaimed reward (none: still 200)."""
        self.optional_object(request, refused=("reward_ids",))
        with self.as_user(request) as (ctx, principal):
            rows = rewards.unclaimed_rows(ctx, principal.gamer_pk)
            total = rewards.claim_rows(ctx, principal, rows)
        body: dict[str, Any] = {"message": CLAIMED_MESSAGE}
        if self.enabled(RESPONSE_EXTRAS):
            body.update(claimed=len(rows), amount=from_cents(total))
        return json_response(200, body)

    def statistics(self, request: Request) -> Response:
        """GET /fe/esports/statistics/historic."""
        extras = self.enabled(RESPONSE_EXTRAS)
        with self.as_user(request) as (ctx, principal):
            return json_response(
                200, current_views.statistics_json(ctx, principal.gamer_pk, extras=extras)
            )


def register(app: SandboxApp) -> None:
    """Add the session and esports routes to the app's router."""
    routes = CurrentRoutes(app)
    bind = Binder(app)
    bind(SESSION, routes.session)
    bind(ACTIVE, routes.active)
    bind(PARTICIPATED, routes.participated)
    bind(DETAILS, routes.details)
    bind(LEADERBOARD, routes.leaderboard)
    bind(JOIN, routes.join)
    bind(LEAVE, routes.leave)
    bind(SCORE, routes.score, counted_as=deliveries.SCORE)
    bind(REWARDS, routes.rewards)
    bind(CLAIM, routes.claim)
    bind(STATISTICS, routes.statistics)
