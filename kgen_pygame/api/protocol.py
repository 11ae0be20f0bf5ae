"""The interface every API generation adapter implements.

:class:`~kgen_pygame.api.client.KGenClient` validates arguments and then calls one
adapter through this interface; the adapter knows its generation's paths, auth
headers and body shapes, and turns responses into :mod:`kgen_pygame.models` with the
shared tolerant readers. Adapters: ``current`` (``/s2s`` + ``/fe``), ``legacy`` (the
current API with the IndiGG session and loyalty paths) and ``v1`` (``/api/v1``).

Not every generation offers every operation. An adapter lists the optional ones it
has in :attr:`ApiAdapter.capabilities`; calling one it lacks raises
:class:`~kgen_pygame.errors.NotSupportedError` before anything is sent, so the
overlays ask first and only offer what works.

Adapters receive arguments already checked and normalised by
:mod:`kgen_pygame.api.validation` (phone digits, ``"+91"`` country codes, Decimal
amounts, event values checked against :mod:`kgen_pygame.event_contract`), so they
only translate.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Final, Literal, Protocol

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

if TYPE_CHECKING:
    from kgen_pygame.api.transport import Transport

__all__ = [
    "CAPABILITIES",
    "GENERATION_CAPABILITIES",
    "AdapterFactory",
    "ApiAdapter",
    "Capability",
    "ClientCredentials",
    "capabilities_of",
]

Capability = Literal[
    "session_lookup",
    "leave_tournament",
    "resend_otp",
    "linked_account",
    "store_redirect",
    "selective_claim",
    "partial_withdraw",
    "loyalty",
    "rewardable_events",
]

#: What each optional operation is, for docs and error messages.
CAPABILITIES: Final[dict[Capability, str]] = {
    "session_lookup": "look a session up by its token (GET session)",
    "leave_tournament": "leave a joined tournament",
    "resend_otp": "resend the one-time code",
    "linked_account": "read the linked mobile number and KGeN wallet",
    "store_redirect": "open the KGeN Store (a redirect URI for the player's browser)",
    "selective_claim": "claim chosen rewards by id (claiming all is always possible)",
    "partial_withdraw": "withdraw part of the earned balance (all of it is always possible)",
    "loyalty": "reward the player for a rewardable event, and list the rewards earned",
    "rewardable_events": "manage the game's rewardable events (server to server)",
}


#: The optional operations each generation offers (its adapter's ``capabilities``).
#: ``selective_claim`` and ``partial_withdraw`` are our v1 contract's extensions.
GENERATION_CAPABILITIES: Final[dict[str, frozenset[Capability]]] = {
    "v1": frozenset({"session_lookup", "selective_claim", "partial_withdraw"}),
    "current": frozenset(
        {
            "leave_tournament",
            "resend_otp",
            "linked_account",
            "store_redirect",
            "loyalty",
            "rewardable_events",
        }
    ),
    "legacy": frozenset(
        {
            "leave_tournament",
            "resend_otp",
            "linked_account",
            "store_redirect",
            "loyalty",
            "rewardable_events",
        }
    ),
}


def capabilities_of(generation: str) -> frozenset[Capability]:
    """What ``generation`` offers beyond the common operations (empty when unknown)."""
    return GENERATION_CAPABILITIES.get(generation, frozenset())


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
    """One API generation: the operations of :class:`KGenClient`, in wire terms.

    Every method blocks on the network and raises only
    :class:`~kgen_pygame.errors.KGenError` subclasses.
    """

    #: The generation's name: ``"current"``, ``"v1"`` or ``"legacy"``.
    generation: str
    #: The optional operations this generation offers.
    capabilities: frozenset[Capability]
    #: The optional profile fields its session call takes (checked before sending).
    profile_fields: frozenset[str]

    # -- session (client credentials) -------------------------------------------

    def create_session(self, user_id: str, profile: Mapping[str, object]) -> Session:
        """Create (or retrieve) the player's session; a new token each call."""
        ...

    def get_session(self, token: str) -> Session:
        """The session a token belongs to, checking that the token still works.

        v1 has ``GET /session``; the current generation has no such call, so its
        adapter reads what documented calls give (the wallet, the linked number).
        """
        ...

    # -- events (the outbox's deliveries) -----------------------------------------

    def deliver(self, token: str, event: OutboundEvent) -> LoyaltyReward | None:
        """Deliver one outbox event; returns once the server accepted it.

        ``event.kind`` is deliverable on this generation
        (:data:`kgen_pygame.event_contract.DELIVERABLE_KINDS`); ``event.event_id``
        goes out as ``Idempotency-Key`` on every try. A loyalty ``reward`` returns
        the reward the platform granted; other kinds return None.
        """
        ...

    # -- tournaments ----------------------------------------------------------------

    def active_tournaments(self, token: str) -> list[Tournament]: ...

    def joined_tournaments(self, token: str) -> list[str]: ...

    def tournament(self, token: str, uid: str) -> Tournament: ...

    def join_tournament(self, token: str, uid: str, stake: Decimal) -> str: ...

    def leave_tournament(self, token: str, uid: str) -> str:
        """Capability ``leave_tournament``."""
        ...

    def leaderboard(self, token: str, uid: str) -> Leaderboard: ...

    # -- wallet ------------------------------------------------------------------------

    def wallet_balance(self, token: str) -> WalletBalance: ...

    def transactions(self, token: str, wallet_address: str | None) -> TransactionHistory:
        """``wallet_address`` is the player's custodial wallet: v1 puts it in the path
        (and asks the balance for it when None); the current generation needs none."""
        ...

    def withdraw(self, token: str, amount: Decimal | None) -> WithdrawResult:
        """All of the earned balance when ``amount`` is None; a part needs capability
        ``partial_withdraw``."""
        ...

    # -- OTP linking and the player's account -------------------------------------------

    def request_otp(self, token: str, country_code: str, phone: str) -> OtpChallenge: ...

    def resend_otp(self, token: str, country_code: str, phone: str) -> OtpChallenge:
        """Capability ``resend_otp``."""
        ...

    def verify_otp(
        self, token: str, country_code: str, phone: str, auth_code: str, otp: str
    ) -> OtpVerification: ...

    def linked_account(self, token: str) -> LinkedAccount | None:
        """None when no phone is linked. Capability ``linked_account``."""
        ...

    def store_redirect_url(self, token: str) -> str:
        """A URL into the KGeN Store for the player's browser. Capability
        ``store_redirect``."""
        ...

    # -- rewards and statistics -----------------------------------------------------

    def rewards(self, token: str) -> Rewards: ...

    def claim_rewards(self, token: str, reward_ids: Sequence[str] | None) -> ClaimResult:
        """All rewards when ``reward_ids`` is None; chosen ones need capability
        ``selective_claim``."""
        ...

    def historic_statistics(self, token: str) -> list[HistoricStat]: ...

    # -- loyalty (player token) ---------------------------------------------------------

    def earned_rewards(self, token: str) -> list[LoyaltyReward]:
        """Capability ``loyalty``."""
        ...

    # -- rewardable events (client credentials) --------------------------------------

    def list_rewardable_events(self, active: bool | None) -> list[RewardableEvent]:
        """Capability ``rewardable_events``."""
        ...

    def get_rewardable_event(self, event_id: str) -> RewardableEvent: ...

    def put_rewardable_event(self, spec: RewardableEventSpec) -> RewardableEvent: ...

    def delete_rewardable_event(self, event_id: str) -> None: ...


#: Builds an adapter over a transport for the given credentials.
AdapterFactory = Callable[["Transport", ClientCredentials], ApiAdapter]
