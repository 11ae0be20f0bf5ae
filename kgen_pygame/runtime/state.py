"""The player's KGeN state as the game thread sees it.

Only the game thread reads or writes a :class:`PlayerState`; workers send
updates through the inbox. Each ``apply_*`` returns True when something a
player would notice changed, so the facade posts an event only then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from kgen_pygame.models import Rewards, Session, Tournament, WalletBalance


@dataclass(slots=True)
class PlayerState:
    """Latest known session, balance, rewards and tournaments."""

    session: Session | None = None
    sandbox: bool = False
    balance: WalletBalance | None = None
    rewards: Rewards | None = None
    tournaments: tuple[Tournament, ...] = ()
    joined_ids: frozenset[str] = field(default_factory=frozenset)
    session_error: str | None = None
    #: The tournament the game is playing now (from ``track_score(..., tournament_id=)``).
    playing_tournament_id: str | None = None

    @property
    def live_tournaments(self) -> tuple[Tournament, ...]:
        """The active tournaments that have not ended by now."""
        return tuple(t for t in self.tournaments if not t.has_ended())

    @property
    def joined_live_ids(self) -> frozenset[str]:
        """Joined and still live: the one "joined" every count and the Joined tab show."""
        return frozenset(t.uid for t in self.live_tournaments if t.uid in self.joined_ids)

    @property
    def joined_ended_ids(self) -> frozenset[str]:
        """Joined but no longer live (ended, or gone from the active list): shown apart."""
        return self.joined_ids - self.joined_live_ids

    @property
    def linked(self) -> bool:
        """True once the custodial wallet is linked to a KGeN wallet."""
        session = self.session
        return bool(session and (session.linked_phone or session.kgen_wallet_address))

    @property
    def unclaimed_count(self) -> int:
        """How many rewards wait to be claimed."""
        return len(self.rewards.rewards) if self.rewards else 0

    @property
    def unclaimed_total(self) -> Decimal:
        """The claimable amount."""
        return self.rewards.total_claimable if self.rewards else Decimal(0)

    @property
    def balance_total(self) -> Decimal:
        """Earned + bonus + bought: what the HUD badge shows."""
        balance = self.balance
        if balance is None:
            return Decimal(0)
        return balance.earned + balance.bonus + balance.bought

    def apply_rewards(self, rewards: Rewards) -> bool:
        before = (self.unclaimed_count, self.unclaimed_total)
        self.rewards = rewards
        return before != (self.unclaimed_count, self.unclaimed_total)

    def apply_balance(self, balance: WalletBalance) -> bool:
        before = self.balance
        self.balance = balance
        return before is None or _amounts(before) != _amounts(balance)

    def apply_tournaments(self, tournaments: list[Tournament]) -> bool:
        new = tuple(tournaments)
        changed = [t.uid for t in new] != [t.uid for t in self.tournaments]
        self.tournaments = new
        return changed

    def apply_joined(self, joined: list[str]) -> bool:
        new = frozenset(joined)
        changed = new != self.joined_ids
        self.joined_ids = new
        return changed


def _amounts(balance: WalletBalance) -> tuple[Decimal, ...]:
    return (balance.earned, balance.bonus, balance.bought, balance.min_to_withdraw)
