"""The current generation's wallet, OTP, user and analytics routes (``/fe/wallet``, ``/fe/users``,
``/fe/analytics``), shared by the esports and loyalty docs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import current_views, deliveries, idempotency, kstore, ledger, otp, px_tracker
from .current_base import Binder, CurrentRoutesBase
from .errors import ApiError
from .extensions import KSTORE_NEEDS_LINK, OTP_LIMITS, RESPONSE_EXTRAS
from .operations import UN_AUTHORIZED, operation
from .routing import Request, Response, json_response

if TYPE_CHECKING:
    from .app import SandboxApp

BALANCE = operation("GET", "/fe/wallet/balance", UN_AUTHORIZED)
TRANSACTIONS = operation("GET", "/fe/wallet/transactions", UN_AUTHORIZED)
WITHDRAW = operation("POST", "/fe/wallet/withdraw", UN_AUTHORIZED)
# The only failure the OTP docs give is 401 (C15): documented-only mode answers it for all.
OTP_REGISTER = operation("POST", "/fe/users/auth/otp/register", fallback=UN_AUTHORIZED)
OTP_RESEND = operation("POST", "/fe/users/auth/otp/resend", fallback=UN_AUTHORIZED)
OTP_VERIFY = operation("POST", "/fe/users/auth/otp/verify", fallback=UN_AUTHORIZED)
LINKED_NUMBER = operation(
    "GET", "/fe/users/account/linked-mobile-number", (500, "RECORD_NOT_FOUND")
)
KSTORE = operation("POST", "/fe/users/k-store/generate-redirect-uri")
PX_DROP = operation("POST", "/fe/analytics/px-tracker/events/{eventID}/drop", (400, "BAD_REQUEST"))

OPERATIONS = (
    BALANCE,
    TRANSACTIONS,
    WITHDRAW,
    OTP_REGISTER,
    OTP_RESEND,
    OTP_VERIFY,
    LINKED_NUMBER,
    KSTORE,
    PX_DROP,
)

WITHDRAWN_MESSAGE = "wallet withdrawal successful"
VERIFIED_MESSAGE = "Phone number verified successfully"
DROPPED_MESSAGE = "event dropped successfully"
OTP_EXTRAS = ("expires_in", "resend_after", "attempts_left")


class AccountRoutes(CurrentRoutesBase):
    """Route functions of the wallet, OTP, user and px-tracker operations."""

    # -- wallet --------------------------------------------------------------------------

    def balance(self, request: Request) -> Response:
        """GET /fe/wallet/balance."""
        with self.as_user(request) as (ctx, principal):
            return json_response(200, current_views.balance_json(ctx, principal.gamer))

    def transactions(self, request: Request) -> Response:
        """GET /fe/wallet/transactions: the player's own custodial wallet."""
        with self.as_user(request) as (ctx, principal):
            wallet = str(principal.gamer["wallet_address"])
            return json_response(200, current_views.transactions_json(ctx, wallet))

    def withdraw(self, request: Request) -> Response:
        """POST /fe/wallet/withdraw, no body: all earned balance to the linked KGeN wallet."""
        self.optional_object(request, refused=("amount",))
        with self.as_user(request) as (ctx, principal):
            ledger.withdraw(ctx, principal.gamer, None)
        return json_response(200, {"msg": WITHDRAWN_MESSAGE})

    # -- OTP -----------------------------------------------------------------------------

    def _challenge(self, body: dict[str, Any]) -> Response:
        if not self.enabled(RESPONSE_EXTRAS):
            body = {key: value for key, value in body.items() if key not in OTP_EXTRAS}
        return json_response(200, body)

    def otp_register(self, request: Request) -> Response:
        """POST /fe/users/auth/otp/register: ``{"authCode": "1234", "isNewUser": bool}``."""
        limits = self.enabled(OTP_LIMITS)
        with self.as_user(request) as (ctx, principal):
            body = otp.request(ctx, principal, request.json(), limits=limits)
        return self._challenge(body)

    def otp_resend(self, request: Request) -> Response:
        """POST /fe/users/auth/otp/resend: a new OTP and authCode, the old ones superseded."""
        limits = self.enabled(OTP_LIMITS)
        with self.as_user(request) as (ctx, principal):
            body = otp.resend(ctx, principal, request.json(), limits=limits)
        return self._challenge(body)

    def otp_verify(self, request: Request) -> Response:
        """POST /fe/users/auth/otp/verify (authCode and otp as strings or numbers)."""
        with self.as_user(request) as (ctx, principal):
            outcome = otp.verify(ctx, principal, request.json())
        if isinstance(outcome, ApiError):
            raise outcome
        return json_response(200, {"message": VERIFIED_MESSAGE})

    # -- users ---------------------------------------------------------------------------

    def linked_number(self, request: Request) -> Response:
        """GET /fe/users/account/linked-mobile-number (500 RECORD_NOT_FOUND when unlinked)."""
        with self.as_user(request) as (ctx, principal):
            return json_response(200, current_views.linked_number_json(ctx, principal.gamer))

    def kstore(self, request: Request) -> Response:
        """POST /fe/users/k-store/generate-redirect-uri: ``{"url": ...}``."""
        with self.as_user(request) as (ctx, principal):
            if self.enabled(KSTORE_NEEDS_LINK) and not principal.gamer["kgen_wallet_address"]:
                raise ApiError(
                    400, "PHONE_NOT_LINKED", "Link a phone number before opening the K-Store"
                )
            url = kstore.redirect_uri(ctx, principal.gamer_pk, request.header("host"))
        return json_response(200, {"url": url})

    # -- analytics -----------------------------------------------------------------------

    def px_drop(self, request: Request) -> Response:
        """POST /fe/analytics/px-tracker/events/{eventID}/drop with flat attributes."""
        with self.as_user(request) as (ctx, principal):
            name = px_tracker.check_event_name(request.params["eventID"])
            body = request.optional_json()
            attributes = px_tracker.parse_attributes(body)

            def work() -> Response:
                px_tracker.record(
                    ctx, principal, name, attributes, request.header(idempotency.HEADER)
                )
                return json_response(200, {"msg": DROPPED_MESSAGE})

            return self.once(ctx, principal, request, body, work)


def register(app: SandboxApp) -> None:
    """Add the wallet, OTP, user and analytics routes to the app's router."""
    routes = AccountRoutes(app)
    bind = Binder(app)
    bind(BALANCE, routes.balance)
    bind(TRANSACTIONS, routes.transactions)
    bind(WITHDRAW, routes.withdraw)
    bind(OTP_REGISTER, routes.otp_register)
    bind(OTP_RESEND, routes.otp_resend)
    bind(OTP_VERIFY, routes.otp_verify)
    bind(LINKED_NUMBER, routes.linked_number)
    bind(KSTORE, routes.kstore)
    bind(PX_DROP, routes.px_drop, counted_as=deliveries.PX_DROP)
