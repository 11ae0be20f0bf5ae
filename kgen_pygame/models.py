"""Typed results of KGeN API calls: small frozen dataclasses, money as Decimal.

These classes know nothing about HTTP or about any one API generation; the
readers in :mod:`kgen_pygame.api.readers` build them from the wire. Timestamps
are timezone-aware ``datetime`` objects (UTC when the server gave no zone) or
None when the server sent nothing. Fields that carry credentials are left out of
``repr()``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Literal

__all__ = [
    "ClaimResult",
    "HistoricStat",
    "Leaderboard",
    "LeaderboardEntry",
    "LinkedAccount",
    "LoyaltyReward",
    "OtpChallenge",
    "OtpVerification",
    "OutboundEvent",
    "Reward",
    "RewardableEvent",
    "RewardableEventSpec",
    "Rewards",
    "Score",
    "Session",
    "Tournament",
    "Transaction",
    "TransactionHistory",
    "WalletBalance",
    "Winner",
    "WithdrawResult",
]

#: A score as the server sent it: an int when whole, else an exact Decimal.
Score = int | Decimal


@dataclass(frozen=True, slots=True)
class Session:
    """A gamer's session: the token for user calls and the custodial wallet.

    ``session_id`` and ``wallet_address`` are empty strings when the server did
    not send them. ``get_session`` fills ``joined_tournaments``, ``score`` and
    ``wallet_balance``; ``create_session`` leaves them empty.
    """

    token: str = field(repr=False)
    session_id: str
    gamer_id: str
    wallet_address: str
    started_at: datetime | None
    expires_at: datetime | None
    linked_phone: str | None
    kgen_wallet_address: str | None
    app_id: str | None = None
    account_id: str | None = None
    joined_tournaments: tuple[str, ...] = ()
    score: Score | None = None
    wallet_balance: Decimal | None = None
    #: Returned by the current generation; no documented endpoint accepts it (C1).
    refresh_token: str | None = field(default=None, repr=False)
    #: The player's KGeN id once linked (``indigg_id``), current generation.
    kgen_id: str | None = None
    is_new_user: bool | None = None

    @property
    def linked(self) -> bool:
        """True once the custodial wallet is linked to a KGeN wallet (phone verified)."""
        return bool(self.linked_phone or self.kgen_wallet_address)


@dataclass(frozen=True, slots=True)
class Tournament:
    """One tournament: what it costs to join, when it runs, how full it is."""

    uid: str
    title: str
    description: str
    status: str | None
    buy_in: Decimal
    prize_pool: Decimal | None
    participants_count: int | None
    max_players: int | None
    starts_at: datetime | None
    ends_at: datetime | None
    game_uid: str | None = None
    schedules_at: datetime | None = None
    moves_to_lobby_at: datetime | None = None
    locks_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    entry_type: str | None = None
    total_players_rewarded: int | None = None

    @property
    def is_full(self) -> bool:
        """True when the player limit is known and reached."""
        return (
            self.max_players is not None
            and self.participants_count is not None
            and self.participants_count >= self.max_players
        )

    # The one definition of where a tournament is in its life, used by the player
    # state's counts and by every panel. ``now`` defaults to the current time.

    def live_until(self) -> float:
        """The POSIX time it stops being live: ``-inf`` when the server says it is over,
        ``inf`` when it has no end time (what :meth:`has_ended` compares "now" with)."""
        if (self.status or "").upper() in _ENDED_STATUSES:
            return -math.inf
        if self.ends_at is None:
            return math.inf
        return _utc(self.ends_at).timestamp()

    def change_times(self) -> tuple[float, ...]:
        """The POSIX times it starts, locks its registration and ends (those known):
        when what :meth:`has_started`, :meth:`registration_locked` and :meth:`has_ended`
        say can change."""
        moments = (self.starts_at, self.locks_at, self.ends_at)
        return tuple(_utc(moment).timestamp() for moment in moments if moment is not None)

    def has_ended(self, now: datetime | None = None) -> bool:
        """Over: the server says so, or its end time has passed."""
        current = _utc(now if now is not None else datetime.now(UTC))
        return current.timestamp() >= self.live_until()

    def has_started(self, now: datetime | None = None) -> bool:
        """Under way (or over): not scheduled for later."""
        status = (self.status or "").upper()
        if status in _SCHEDULED_STATUSES:
            return False
        return self.starts_at is None or _passed(self.starts_at, now)

    def registration_locked(self, now: datetime | None = None) -> bool:
        """Its registration lock (``locks_at``) has passed: nobody can join any more."""
        return _passed(self.locks_at, now)

    def accepts_entries(self, now: datetime | None = None) -> bool:
        """Started, not ended, not locked and not full: a player may join now."""
        return (
            self.has_started(now)
            and not self.has_ended(now)
            and not self.registration_locked(now)
            and not self.is_full
        )


_ENDED_STATUSES: frozenset[str] = frozenset({"COMPLETED", "ENDED", "FINISHED"})
_SCHEDULED_STATUSES: frozenset[str] = frozenset({"SCHEDULED", "UPCOMING"})


def _utc(moment: datetime) -> datetime:
    """``moment`` with a zone (a zone-less time counts as UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _passed(moment: datetime | None, now: datetime | None) -> bool:
    """``moment`` is known and not in the future (a zone-less time counts as UTC)."""
    if moment is None:
        return False
    return _utc(now if now is not None else datetime.now(UTC)) >= _utc(moment)


@dataclass(frozen=True, slots=True)
class LeaderboardEntry:
    """One row of a leaderboard (rank 1 is the best)."""

    rank: int
    user_id: str
    score: Score


@dataclass(frozen=True, slots=True)
class Winner:
    """A winner of a tournament; the docs send either ``reward`` or ``score``."""

    user_id: str
    reward: Decimal | None
    rank: int | None
    score: Score | None = None


@dataclass(frozen=True, slots=True)
class Leaderboard:
    """Standings of one tournament, best first, with its prize pool and winners."""

    entries: tuple[LeaderboardEntry, ...]
    prize_pool: Decimal | None
    winners: tuple[Winner, ...]

    def entry_for(self, user_id: str) -> LeaderboardEntry | None:
        """The row of *user_id*, or None if the user has no score yet."""
        for entry in self.entries:
            if entry.user_id == user_id:
                return entry
        return None


@dataclass(frozen=True, slots=True)
class Reward:
    """One reward waiting to be claimed (or already claimed)."""

    uid: str | None
    tournament_id: str | None
    title: str | None
    amount: Decimal
    status: str
    created_at: datetime | None
    source: str | None = None
    user_id: str | None = None
    wallet_address: str | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Rewards:
    """The player's claimable rewards and their total."""

    total_claimable: Decimal
    rewards: tuple[Reward, ...]


@dataclass(frozen=True, slots=True)
class ClaimResult:
    """What a claim did; count and amount are None when the server did not say."""

    message: str
    claimed_count: int | None
    amount: Decimal | None


@dataclass(frozen=True, slots=True)
class WalletBalance:
    """Balances of the custodial wallet; ``min_to_withdraw`` is 0 when not sent."""

    wallet_address: str
    earned: Decimal
    bought: Decimal
    bonus: Decimal
    lazy: Decimal
    on_chain: Decimal
    min_to_withdraw: Decimal
    lazy_delta: Decimal = Decimal(0)
    is_lazy_balance_updated: bool | None = None
    transaction_error: bool | None = None
    created_at: datetime | None = None
    modified_at: datetime | None = None

    @property
    def can_withdraw(self) -> bool:
        """True when the earned balance is positive and reaches the minimum."""
        return self.earned > 0 and self.earned >= self.min_to_withdraw


@dataclass(frozen=True, slots=True)
class Transaction:
    """One wallet transaction; ``direction`` is "out" for money leaving the wallet."""

    uid: str
    direction: Literal["in", "out"]
    from_wallet: str | None
    to_wallet: str | None
    amount: Decimal
    status: str
    error: str | None
    created_at: datetime | None
    description: str | None
    kind: str | None
    name: str | None = None
    entry_type: str | None = None


@dataclass(frozen=True, slots=True)
class TransactionHistory:
    """A wallet's transactions, split by direction."""

    incoming: tuple[Transaction, ...]
    outgoing: tuple[Transaction, ...]

    @property
    def all(self) -> tuple[Transaction, ...]:
        """Every transaction, newest first (undated ones last)."""
        dated: list[tuple[datetime, Transaction]] = []
        undated: list[Transaction] = []
        for item in (*self.incoming, *self.outgoing):
            if item.created_at is None:
                undated.append(item)
            else:
                dated.append((item.created_at, item))
        dated.sort(key=lambda pair: pair[0], reverse=True)
        return (*(item for _, item in dated), *undated)


@dataclass(frozen=True, slots=True)
class OtpChallenge:
    """An OTP was sent; keep ``auth_code`` for the verify call."""

    auth_code: str = field(repr=False)
    is_new_user: bool
    expires_in: float | None
    resend_after: float | None
    attempts_left: int | None = None


@dataclass(frozen=True, slots=True)
class OtpVerification:
    """The phone was verified and the KGeN wallet linked."""

    message: str
    linked_phone: str | None = None
    kgen_wallet_address: str | None = None


@dataclass(frozen=True, slots=True)
class WithdrawResult:
    """A withdrawal to the linked KGeN wallet.

    The v1 docs return the destination and amount; the later generation only a
    message, in which case those two are None.
    """

    destination_wallet: str | None
    amount: Decimal | None
    status: str
    message: str


@dataclass(frozen=True, slots=True)
class HistoricStat:
    """One past tournament of the player.

    ``occurred_at_text`` is the server's text as sent; ``occurred_at`` is that text
    parsed when it is a timestamp, else None.
    """

    type: str
    type_value: int | Decimal | str | None
    result: str
    occurred_at_text: str
    mode: str
    buy_in_stake: Decimal
    amount_won: Decimal
    occurred_at: datetime | None = None
    title: str | None = None

    @property
    def won(self) -> bool:
        """True when the result reads as a win."""
        return self.result.strip().lower() in {"won", "win", "winner"}


@dataclass(frozen=True, slots=True)
class LinkedAccount:
    """The phone and KGeN wallet linked to the player (``linked-mobile-number``).

    ``phone`` is masked (``"******7890"``): the API sends it in clear, and it is
    personal data that must not reach a log line or a screenshot in full.
    """

    phone: str
    kgen_wallet_address: str | None
    kgen_id: str | None
    wallet_address: str | None
    #: The player's id in the game (``UserID``), when the reply has it.
    user_id: str | None = None


@dataclass(frozen=True, slots=True)
class LoyaltyReward:
    """A loyalty reward the player earned by reaching a rewardable event."""

    reward_id: str | None
    event_id: str
    amount: Decimal
    status: str
    created_at: datetime | None
    updated_at: datetime | None = None
    user_id: str | None = None


@dataclass(frozen=True, slots=True)
class RewardableEvent:
    """A rewardable event as the platform keeps it (managed server to server)."""

    event_id: str
    event_type: str
    name: str
    description: str
    reward_amount: Decimal
    reward_category: str
    entity_type: str
    is_active: bool
    activity_trace_enabled: bool = False
    activity_trace_activity_id: str = ""
    entity_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RewardableEventSpec:
    """What a game developer declares for a rewardable event (the body of the upsert).

    ``event_id`` is None to create; set it (and ``entity_id``, which the platform
    assigned) to replace an existing event.
    """

    event_type: str
    name: str
    description: str
    reward_amount: Decimal
    reward_category: str = "EARNED"
    entity_type: str = "GAME"
    is_active: bool = True
    activity_trace_enabled: bool = False
    activity_trace_activity_id: str = ""
    event_id: str | None = None
    entity_id: str | None = None


@dataclass(frozen=True, slots=True)
class OutboundEvent:
    """One event from the outbox, ready for an adapter to deliver.

    ``kind`` and ``value`` follow :mod:`kgen_pygame.event_contract`; ``metadata``
    holds the game's metadata plus ``playerId`` and ``gameId``; ``event_id`` is
    sent as ``Idempotency-Key`` on every try.
    """

    kind: str
    value: int | str | list[str]
    metadata: dict[str, str | int]
    event_id: str
    timestamp_ms: int
