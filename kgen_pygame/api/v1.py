"""The ``/api/v1`` esports API generation.

Writers are strict: each request carries exactly what the contract
(``docs/openapi.yaml``) shows. User calls put the session token in the
``?token=`` query (as every v1 doc shows) and add ``x-clientID`` /
``x-clientSecret`` only when the client has both; ``POST /session`` needs
them. Events carry the event id as ``Idempotency-Key`` on every try.
Responses are read by the tolerant readers in :mod:`kgen_pygame.api.readers`.

v1 carries every eventing kind but the loyalty ``reward``; it has no leave, OTP
resend, linked-number, k-store, loyalty or rewardable-event calls: those raise
:class:`~kgen_pygame.errors.NotSupportedError` before anything is sent (the
client checks :attr:`V1Adapter.capabilities` first).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Final, NoReturn

from kgen_pygame import event_contract
from kgen_pygame.api import readers, validation
from kgen_pygame.api.paths import segment
from kgen_pygame.api.protocol import (
    CAPABILITIES,
    GENERATION_CAPABILITIES,
    Capability,
    ClientCredentials,
)
from kgen_pygame.api.transport import NO_BODY, Transport
from kgen_pygame.errors import ConfigurationError, NotSupportedError
from kgen_pygame.models import (
    ClaimResult,
    HistoricStat,
    Leaderboard,
    LinkedAccount,
    LoyaltyReward,
    OtpChallenge,
    OtpVerification,
    OutboundEvent,
    RewardableEvent,
    RewardableEventSpec,
    Rewards,
    Session,
    Tournament,
    TransactionHistory,
    WalletBalance,
    WithdrawResult,
)

__all__ = ["PREFIX", "V1Adapter"]

PREFIX: Final = "/api/v1"


def _lacks(capability: Capability) -> NoReturn:
    raise NotSupportedError(
        f"the 'v1' API cannot {CAPABILITIES[capability]} ({capability})"
    )


class V1Adapter:
    """Speaks ``/api/v1`` over a :class:`~kgen_pygame.api.transport.Transport`."""

    generation = "v1"
    capabilities: frozenset[Capability] = GENERATION_CAPABILITIES["v1"]
    profile_fields: frozenset[str] = validation.SESSION_PROFILE_FIELDS

    def __init__(self, transport: Transport, credentials: ClientCredentials) -> None:
        self._transport = transport
        self._credentials = credentials

    def _client_headers(self) -> dict[str, str]:
        creds = self._credentials
        if creds.client_id and creds.client_secret:
            return {"x-clientID": creds.client_id, "x-clientSecret": creds.client_secret}
        return {}

    def _call(
        self,
        method: str,
        template: str,
        path: str,
        token: str,
        *,
        body: object = NO_BODY,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[object, str]:
        """Send a user call; return the decoded body and the operation label."""
        operation = f"{method} {PREFIX}{template}"
        all_headers = self._client_headers()
        if headers:
            all_headers.update(headers)
        data = self._transport.request(
            method,
            PREFIX + path,
            operation=operation,
            query={"token": token},
            headers=all_headers,
            body=body,
        )
        return data, operation

    # -- session --------------------------------------------------------------

    def create_session(self, gamer_id: str, profile: Mapping[str, object]) -> Session:
        headers = self._client_headers()
        if not headers:
            raise ConfigurationError(
                "create_session needs client_id and client_secret; a game that must not ship "
                "its secret should get the token from its own backend (session provider)"
            )
        operation = f"POST {PREFIX}/session"
        data = self._transport.request(
            "POST",
            f"{PREFIX}/session",
            operation=operation,
            headers=headers,
            body={"gamer_id": gamer_id, **profile},
        )
        return readers.read_session(data, operation, gamer_id=gamer_id)

    def get_session(self, token: str) -> Session:
        data, operation = self._call("GET", "/session", "/session", token)
        return readers.read_session(data, operation)

    # -- eventing -------------------------------------------------------------

    def deliver(self, token: str, event: OutboundEvent) -> LoyaltyReward | None:
        if event.kind not in event_contract.DELIVERABLE_KINDS["v1"]:
            raise NotSupportedError(f"the 'v1' API has no {event.kind!r} event")
        body = {
            "timestamp": event.timestamp_ms,
            "metadata": dict(event.metadata),
            "payload": {event.kind: {"value": event.value}},
        }
        data, operation = self._call(
            "POST",
            "/eventing",
            "/eventing",
            token,
            body=body,
            headers={"Idempotency-Key": event.event_id},
        )
        readers.read_event_ack(data, operation)
        return None

    # -- tournaments ----------------------------------------------------------

    def active_tournaments(self, token: str) -> list[Tournament]:
        data, operation = self._call("GET", "/tournaments/_active", "/tournaments/_active", token)
        return readers.read_tournaments(data, operation)

    def joined_tournaments(self, token: str) -> list[str]:
        data, operation = self._call("GET", "/tournaments/_session", "/tournaments/_session", token)
        return readers.read_joined_tournament_ids(data, operation)

    def tournament(self, token: str, uid: str) -> Tournament:
        data, operation = self._call(
            "GET", "/tournaments/{tournamentId}", f"/tournaments/{segment(uid)}", token
        )
        return readers.read_tournament(data, operation)

    def join_tournament(self, token: str, uid: str, stake: Decimal) -> str:
        data, operation = self._call(
            "POST",
            "/tournaments/{tournamentId}/_join",
            f"/tournaments/{segment(uid)}/_join",
            token,
            body={"joiningStake": stake},
        )
        return readers.read_message(data, operation)

    def leaderboard(self, token: str, uid: str) -> Leaderboard:
        data, operation = self._call(
            "GET",
            "/leaderboards/_byTournament/{tournamentId}",
            f"/leaderboards/_byTournament/{segment(uid)}",
            token,
        )
        return readers.read_leaderboard(data, operation)

    # -- wallet ---------------------------------------------------------------

    def wallet_balance(self, token: str) -> WalletBalance:
        data, operation = self._call(
            "GET", "/wallet/lazyChain/balance", "/wallet/lazyChain/balance", token
        )
        return readers.read_wallet_balance(data, operation)

    def transactions(self, token: str, wallet_address: str | None) -> TransactionHistory:
        if wallet_address is None:
            wallet_address = self.wallet_balance(token).wallet_address
        data, operation = self._call(
            "GET",
            "/wallet/lazyChain/transactions/{wallet_address}",
            f"/wallet/lazyChain/transactions/{segment(wallet_address)}",
            token,
        )
        return readers.read_transactions(data, operation)

    def withdraw(self, token: str, amount: Decimal | None) -> WithdrawResult:
        body: object = NO_BODY if amount is None else {"amount": amount}
        data, operation = self._call(
            "POST", "/wallet/_withdraw", "/wallet/_withdraw", token, body=body
        )
        return readers.read_withdraw_result(data, operation)

    # -- OTP ------------------------------------------------------------------

    def request_otp(self, token: str, country_code: str, phone: str) -> OtpChallenge:
        data, operation = self._call(
            "POST",
            "/verification/otp/_request",
            "/verification/otp/_request",
            token,
            body={"phone_number": phone, "countryCode": country_code},
        )
        return readers.read_otp_challenge(data, operation)

    def verify_otp(
        self, token: str, country_code: str, phone: str, auth_code: str, otp: str
    ) -> OtpVerification:
        data, operation = self._call(
            "POST",
            "/verification/otp/_verify",
            "/verification/otp/_verify",
            token,
            body={
                "phone_number": phone,
                "countryCode": country_code,
                "authCode": auth_code,
                "otp": otp,
            },
        )
        return readers.read_otp_verification(data, operation)

    # -- rewards and statistics -----------------------------------------------

    def rewards(self, token: str) -> Rewards:
        data, operation = self._call("GET", "/rewards", "/rewards", token)
        return readers.read_rewards(data, operation)

    def claim_rewards(self, token: str, reward_ids: Sequence[str] | None) -> ClaimResult:
        body: dict[str, object] = {} if reward_ids is None else {"reward_ids": list(reward_ids)}
        data, operation = self._call("POST", "/rewards/_claim", "/rewards/_claim", token, body=body)
        return readers.read_claim_result(data, operation)

    def historic_statistics(self, token: str) -> list[HistoricStat]:
        data, operation = self._call("GET", "/statistics/_historic", "/statistics/_historic", token)
        return readers.read_historic_stats(data, operation)

    # -- what v1 lacks ----------------------------------------------------------

    def leave_tournament(self, token: str, uid: str) -> str:
        _lacks("leave_tournament")

    def resend_otp(self, token: str, country_code: str, phone: str) -> OtpChallenge:
        _lacks("resend_otp")

    def linked_account(self, token: str) -> LinkedAccount | None:
        _lacks("linked_account")

    def store_redirect_url(self, token: str) -> str:
        _lacks("store_redirect")

    def earned_rewards(self, token: str) -> list[LoyaltyReward]:
        _lacks("loyalty")

    def list_rewardable_events(self, active: bool | None) -> list[RewardableEvent]:
        _lacks("rewardable_events")

    def get_rewardable_event(self, event_id: str) -> RewardableEvent:
        _lacks("rewardable_events")

    def put_rewardable_event(self, spec: RewardableEventSpec) -> RewardableEvent:
        _lacks("rewardable_events")

    def delete_rewardable_event(self, event_id: str) -> None:
        _lacks("rewardable_events")
