"""The interface every API generation adapter implements.

:class:`~kgen_pygame.api.client.KGenClient` validates arguments and then calls
one adapter through this interface; the adapter knows its generation's paths,
auth headers and body shapes, and turns responses into
:mod:`kgen_pygame.models` with the shared readers. ``v1`` (``/api/v1``) is
:class:`~kgen_pygame.api.v1.V1Adapter`; the later ``/s2s`` + ``/fe`` generation
plugs in as another class with these same methods.

Adapters receive arguments already checked and normalised by
:mod:`kgen_pygame.api.validation` (phone digits, ``"+91"`` country codes,
Decimal amounts, typed event values), so they only translate.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from kgen_pygame.models import (
    ClaimResult,
    HistoricStat,
    Leaderboard,
    OtpChallenge,
    OtpVerification,
    Rewards,
    Session,
    Tournament,
    TransactionHistory,
    WalletBalance,
    WithdrawResult,
)

if TYPE_CHECKING:
    from kgen_pygame.api.transport import Transport

__all__ = ["AdapterFactory", "ApiAdapter", "ClientCredentials", "EventValue"]

#: An event value in wire form, as returned by ``validation.check_event_value``.
EventValue = int | Decimal | str | list[str]


@dataclass(frozen=True, slots=True)
class ClientCredentials:
    """The game's client id and (optional) secret; the secret never shows in repr()."""

    client_id: str | None
    client_secret: str | None = field(default=None, repr=False)

    @property
    def complete(self) -> bool:
        """True when both id and secret are known (client calls are possible)."""
        return bool(self.client_id and self.client_secret)


class ApiAdapter(Protocol):
    """One API generation: the operations of :class:`KGenClient`, in wire terms."""

    #: Short name of the generation, e.g. ``"v1"``.
    generation: str

    def create_session(self, gamer_id: str, profile: Mapping[str, object]) -> Session: ...

    def get_session(self, token: str) -> Session: ...

    def send_event(
        self,
        token: str,
        kind: str,
        value: EventValue,
        *,
        metadata: Mapping[str, str | int],
        idempotency_key: str,
        timestamp_ms: int,
    ) -> None: ...

    def active_tournaments(self, token: str) -> list[Tournament]: ...

    def joined_tournaments(self, token: str) -> list[str]: ...

    def tournament(self, token: str, uid: str) -> Tournament: ...

    def join_tournament(self, token: str, uid: str, stake: Decimal) -> str: ...

    def leaderboard(self, token: str, uid: str) -> Leaderboard: ...

    def wallet_balance(self, token: str) -> WalletBalance: ...

    def transactions(self, token: str, wallet_address: str) -> TransactionHistory: ...

    def request_otp(self, token: str, country_code: str, phone: str) -> OtpChallenge: ...

    def verify_otp(
        self, token: str, country_code: str, phone: str, auth_code: str, otp: str
    ) -> OtpVerification: ...

    def rewards(self, token: str) -> Rewards: ...

    def claim_rewards(self, token: str, reward_ids: Sequence[str] | None) -> ClaimResult: ...

    def withdraw(self, token: str, amount: Decimal | None) -> WithdrawResult: ...

    def historic_statistics(self, token: str) -> list[HistoricStat]: ...


#: Builds an adapter over a transport for the given credentials.
AdapterFactory = Callable[["Transport", ClientCredentials], ApiAdapter]
