"""The player's KGeN state as the game thread sees it.

Only the game thread reads or writes a :class:`PlayerState`; worker threads send
updates through the :class:`~kgen_pygame.runtime.notifier.Notifier`. Each ``apply_*``
that feeds a pygame event returns True when something a player would notice changed,
so an event is posted only then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from kgen_pygame.errors import AuthenticationError, KGenError
from kgen_pygame.models import (
    LinkedAccount,
    LoyaltyReward,
    OtpVerification,
    Rewards,
    Session,
    Tournament,
    WalletBalance,
)
from kgen_pygame.redact import mask_phone
from kgen_pygame.schedule import TournamentSchedule


@dataclass(slots=True)
class PlayerState:
    """Latest known session, balance, rewards and tournaments."""

    session: Session | None = None
    #: True when the plugin talks to a sandbox (play money, an on-screen SMS).
    sandbox: bool = False
    balance: WalletBalance | None = None
    rewards: Rewards | None = None
    #: The active tournaments, indexed by when each starts, locks and ends.
    schedule: TournamentSchedule = field(default_factory=TournamentSchedule)
    joined_ids: frozenset[str] = field(default_factory=frozenset)
    #: Plain text of the last bootstrap failure (safe to show), or None.
    session_error: str | None = None
    #: True when the platform refused the game's client credentials or session
    #: provider: a configuration problem that retrying cannot fix.
    setup_problem: bool = False
    #: The tournament the game last tracked a score for.
    playing_tournament_id: str | None = None
    #: The linked phone and KGeN wallet, where the API reports them.
    linked_account: LinkedAccount | None = None
    #: Loyalty rewards earned, newest first, as last fetched (current generation).
    earned: tuple[LoyaltyReward, ...] = ()
    #: The last one-time code the sandbox "sent": (masked phone, code).
    sandbox_sms: tuple[str, str] | None = None
    #: True while delivery of tracked events is failing.
    delivery_failing: bool = False

    # -- derived ----------------------------------------------------------------

    @property
    def linked(self) -> bool:
        """True once the custodial wallet is linked to a KGeN wallet."""
        if self.linked_account is not None:
            return True
        session = self.session
        return bool(session and session.linked)

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

    @property
    def tournaments(self) -> tuple[Tournament, ...]:
        """The active tournaments as the server listed them."""
        return self.schedule.tournaments

    @property
    def live_tournaments(self) -> tuple[Tournament, ...]:
        """The active tournaments that have not ended by now (``Tournament.has_ended``)."""
        return self.schedule.live()

    @property
    def joined_live_ids(self) -> frozenset[str]:
        """Tournaments the player joined that are live now: what "joined" counts, on the
        menu tile, the Tournaments header and the Joined tab alike."""
        return self.joined_ids & self.schedule.live_ids()

    @property
    def joined_ended_ids(self) -> frozenset[str]:
        """Joined but no longer live (ended, or gone from the active list): shown apart."""
        return self.joined_ids - self.joined_live_ids

    @property
    def joined_live_count(self) -> int:
        """How many live tournaments the player joined."""
        return len(self.joined_live_ids)

    # -- updates from the notifier ------------------------------------------------------

    def apply_session(self, session: Session, sandbox: bool) -> None:
        self.session = session
        self.sandbox = sandbox
        self.session_error = None
        self.setup_problem = False

    def apply_session_failure(self, error: KGenError, retrying: bool) -> None:
        self.session_error = str(error)
        self.setup_problem = not retrying or isinstance(error, AuthenticationError)

    def apply_rewards(self, rewards: Rewards) -> bool:
        before = (self.unclaimed_count, self.unclaimed_total)
        self.rewards = rewards
        return before != (self.unclaimed_count, self.unclaimed_total)

    def apply_balance(self, balance: WalletBalance) -> bool:
        before = self.balance
        self.balance = balance
        return before is None or _amounts(before) != _amounts(balance)

    def apply_tournaments(
        self, tournaments: TournamentSchedule | Sequence[Tournament]
    ) -> bool:
        """The active list arrived: a :class:`TournamentSchedule` built off the game thread
        (the worker does), or a plain list, indexed here."""
        schedule = (
            tournaments if isinstance(tournaments, TournamentSchedule)
            else TournamentSchedule(tournaments)
        )
        changed = not schedule.same_tournaments(self.schedule)
        self.schedule = schedule
        return changed

    def apply_joined(self, joined: list[str]) -> bool:
        new = frozenset(joined)
        changed = new != self.joined_ids
        self.joined_ids = new
        return changed

    def apply_linked(
        self, verification: OtpVerification, country_code: str, phone: str
    ) -> LinkedAccount:
        """The OTP was verified: the wallet is linked. Returns what is now known."""
        masked = verification.linked_phone or masked_number(country_code, phone)
        previous = self.linked_account
        account = LinkedAccount(
            phone=masked,
            kgen_wallet_address=verification.kgen_wallet_address
            or (previous.kgen_wallet_address if previous else None),
            kgen_id=previous.kgen_id if previous else None,
            wallet_address=previous.wallet_address if previous else None,
        )
        self.linked_account = account
        if self.session is not None:
            self.session = replace(
                self.session,
                linked_phone=masked,
                kgen_wallet_address=account.kgen_wallet_address,
            )
        return account

    def apply_linked_account(self, account: LinkedAccount | None) -> None:
        self.linked_account = account

    def apply_earned(self, earned: list[LoyaltyReward]) -> None:
        self.earned = tuple(earned)

    def apply_loyalty_reward(self, reward: LoyaltyReward) -> None:
        if all(r.reward_id != reward.reward_id for r in self.earned) or reward.reward_id is None:
            self.earned = (reward, *self.earned)


def masked_number(country_code: str, phone: str) -> str:
    """``"+91 ******7890"``: the country code and the masked number (one masking rule:
    :func:`kgen_pygame.redact.mask_phone`)."""
    code = country_code if country_code.startswith("+") else f"+{country_code}"
    return f"{code} {mask_phone(phone)}"


def _amounts(balance: WalletBalance) -> tuple[Decimal, ...]:
    return (balance.earned, balance.bonus, balance.bought, balance.min_to_withdraw)
