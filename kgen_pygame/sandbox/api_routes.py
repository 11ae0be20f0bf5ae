"""The ``/api/v1`` routes: authenticate, validate, call the domain module, shape the answer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from . import (
    accounts,
    deliveries,
    eventing,
    extensions,
    idempotency,
    ledger,
    otp,
    results,
    rewards,
    tournaments,
)
from .accounts import Principal
from .context import Ctx
from .errors import ApiError, validation_error
from .routing import Request, Response, json_response
from .validation import as_money, require_object, string_list

if TYPE_CHECKING:
    from .app import SandboxApp

JOINED_MESSAGE = "user successfully joined the tournament"
EVENTING_SCOPE = "POST /api/v1/eventing"


def _query_token(request: Request) -> str | None:
    return request.query.get("token")


class ApiRoutes:
    """Route functions of the v1 API, bound to one :class:`SandboxApp`."""

    def __init__(self, app: SandboxApp) -> None:
        self.app = app
        self.config = app.config

    def _client_credentials(self, request: Request) -> tuple[str | None, str | None]:
        secret = request.header("x-clientSecret")
        if secret is None:
            secret = request.query.get("apiKey")
        return request.header("x-clientID"), secret

    @contextmanager
    def _as_user(self, request: Request) -> Iterator[tuple[Ctx, Principal]]:
        """Session-token call: optional client credentials must be right if present."""
        client_id, secret = self._client_credentials(request)
        accounts.check_client(self.config, client_id, secret, required=False)
        self.app.maintain()
        with self.app.context() as ctx:
            yield ctx, accounts.authenticate(ctx, request.query.get("token"))

    # -- session -------------------------------------------------------------------------

    def start_session(self, request: Request) -> Response:
        """POST /api/v1/session (client credentials): create or retrieve, new token each call."""
        client_id, secret = self._client_credentials(request)
        accounts.check_client(self.config, client_id, secret, required=True)
        gamer_id, profile = accounts.parse_session_request(request.json())
        with self.app.context() as ctx:
            body, created = accounts.start_session(ctx, self.config.client_id, gamer_id, profile)
        return json_response(201 if created else 200, body)

    def get_session(self, request: Request) -> Response:
        """GET /api/v1/session."""
        with self._as_user(request) as (ctx, principal):
            joined = tournaments.joined_uids(ctx, principal.gamer_pk)
            token = request.query.get("token", "")
            return json_response(200, accounts.session_json(ctx, principal, token, joined))

    # -- eventing ------------------------------------------------------------------------

    def submit_event(self, request: Request) -> Response:
        """POST /api/v1/eventing: bare ``true`` on success, also for a repeated key.

        The ``Idempotency-Key`` header (or the body's ``eventId``) deduplicates, unless
        documented-only mode switched the extension off.
        """
        use_keys = extensions.enabled(self.config, extensions.IDEMPOTENCY)
        with self._as_user(request) as (ctx, principal):
            header_key = idempotency.header_key(request) if use_keys else None
            body = request.json()
            event = eventing.parse(body, request.body)
            key = (header_key or event.event_id) if use_keys else None
            stored_key = header_key if use_keys else request.header(idempotency.HEADER)

            def work() -> Response:
                eventing.submit(ctx, principal, event, stored_key)
                return json_response(200, True)

            return idempotency.once(ctx, principal.gamer_pk, EVENTING_SCOPE, key, body, work)

    # -- tournaments ---------------------------------------------------------------------

    def active_tournaments(self, request: Request) -> Response:
        """GET /api/v1/tournaments/_active: live tournaments."""
        with self._as_user(request) as (ctx, _principal):
            rows = tournaments.live_rows(ctx)
            return json_response(200, [tournaments.to_json(ctx, row) for row in rows])

    def joined_tournaments(self, request: Request) -> Response:
        """GET /api/v1/tournaments/_session: uids of every tournament the gamer joined."""
        with self._as_user(request) as (ctx, principal):
            return json_response(200, tournaments.joined_uids(ctx, principal.gamer_pk))

    def tournament(self, request: Request) -> Response:
        """GET /api/v1/tournaments/{tournamentId}."""
        with self._as_user(request) as (ctx, _principal):
            row = tournaments.require(ctx, request.params["tournamentId"])
            return json_response(200, tournaments.to_json(ctx, row))

    def join_tournament(self, request: Request) -> Response:
        """POST /api/v1/tournaments/{tournamentId}/_join with ``{"joiningStake": n}``."""
        with self._as_user(request) as (ctx, principal):
            body = require_object(request.json())
            if "joiningStake" not in body:
                raise validation_error("joiningStake is required")
            stake = as_money(body["joiningStake"], "joiningStake")
            tournaments.join(ctx, principal, request.params["tournamentId"], stake)
        return json_response(201, {"message": JOINED_MESSAGE})

    def leaderboard(self, request: Request) -> Response:
        """GET /api/v1/leaderboards/_byTournament/{tournamentId}."""
        with self._as_user(request) as (ctx, _principal):
            return json_response(
                200, tournaments.leaderboard_json(ctx, request.params["tournamentId"])
            )

    # -- wallet --------------------------------------------------------------------------

    def balance(self, request: Request) -> Response:
        """GET /api/v1/wallet/lazyChain/balance."""
        with self._as_user(request) as (ctx, principal):
            return json_response(200, ledger.balance_json(ctx, principal.gamer))

    def transactions(self, request: Request) -> Response:
        """GET /api/v1/wallet/lazyChain/transactions/{wallet_address}: own wallet only."""
        with self._as_user(request) as (ctx, principal):
            own = str(principal.gamer["wallet_address"])
            if request.params["wallet_address"].lower() != own.lower():
                raise ApiError(403, "FORBIDDEN", "This wallet does not belong to the session")
            return json_response(200, ledger.history_json(ctx, own))

    def withdraw(self, request: Request) -> Response:
        """POST /api/v1/wallet/_withdraw, no body (all earned) or ``{"amount": x}``."""
        with self._as_user(request) as (ctx, principal):
            amount = _withdraw_amount(request.optional_json())
            return json_response(200, ledger.withdraw(ctx, principal.gamer, amount))

    # -- OTP -----------------------------------------------------------------------------

    def request_otp(self, request: Request) -> Response:
        """POST /api/v1/verification/otp/_request."""
        with self._as_user(request) as (ctx, principal):
            return json_response(200, otp.request(ctx, principal, request.json()))

    def verify_otp(self, request: Request) -> Response:
        """POST /api/v1/verification/otp/_verify (a wrong attempt is committed, then answered)."""
        with self._as_user(request) as (ctx, principal):
            outcome = otp.verify(ctx, principal, request.json())
        if isinstance(outcome, ApiError):
            raise outcome
        return json_response(200, outcome)

    # -- rewards and statistics ----------------------------------------------------------

    def rewards(self, request: Request) -> Response:
        """GET /api/v1/rewards: unclaimed rewards and their total amount."""
        with self._as_user(request) as (ctx, principal):
            return json_response(200, rewards.claimable_json(ctx, principal))

    def claim(self, request: Request) -> Response:
        """POST /api/v1/rewards/_claim: all (no body / ``{}``) or ``{"reward_ids": [...]}``."""
        with self._as_user(request) as (ctx, principal):
            reward_ids = _claim_ids(request.optional_json())
            return json_response(200, rewards.claim(ctx, principal, reward_ids))

    def historic(self, request: Request) -> Response:
        """GET /api/v1/statistics/_historic."""
        with self._as_user(request) as (ctx, principal):
            return json_response(200, results.historic_json(ctx, principal.gamer_pk))


def _withdraw_amount(body: Any) -> Decimal | None:
    if body is None:
        return None
    amount = require_object(body).get("amount")
    if amount is None:
        return None
    value = as_money(amount, "amount")
    if value <= 0:
        raise validation_error("amount must be greater than 0")
    return value


def _claim_ids(body: Any) -> list[str] | None:
    if body is None:
        return None
    ids = require_object(body).get("reward_ids")
    if ids is None:
        return None
    values = string_list(ids, "reward_ids", max_items=100, max_len=64)
    if not values:
        raise validation_error("reward_ids must not be empty (omit it to claim everything)")
    return values


def register(app: SandboxApp) -> None:
    """Add the v1 routes to the app's router."""
    routes = ApiRoutes(app)
    add = app.router.add
    add("POST", "/api/v1/session", routes.start_session)
    add("GET", "/api/v1/session", routes.get_session)
    add(
        "POST",
        "/api/v1/eventing",
        deliveries.counted(app, deliveries.EVENTING, _query_token, routes.submit_event),
    )
    add("GET", "/api/v1/tournaments/_active", routes.active_tournaments)
    add("GET", "/api/v1/tournaments/_session", routes.joined_tournaments)
    add("GET", "/api/v1/tournaments/{tournamentId}", routes.tournament)
    add("POST", "/api/v1/tournaments/{tournamentId}/_join", routes.join_tournament)
    add("GET", "/api/v1/leaderboards/_byTournament/{tournamentId}", routes.leaderboard)
    add("GET", "/api/v1/wallet/lazyChain/balance", routes.balance)
    add("GET", "/api/v1/wallet/lazyChain/transactions/{wallet_address}", routes.transactions)
    add("POST", "/api/v1/wallet/_withdraw", routes.withdraw)
    add("POST", "/api/v1/verification/otp/_request", routes.request_otp)
    add("POST", "/api/v1/verification/otp/_verify", routes.verify_otp)
    add("GET", "/api/v1/rewards", routes.rewards)
    add("POST", "/api/v1/rewards/_claim", routes.claim)
    add("GET", "/api/v1/statistics/_historic", routes.historic)
