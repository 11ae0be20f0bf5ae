"""Player actions as non-blocking calls: what the overlays (and games) use.

Every method queues work on the call worker and returns a
:class:`~kgen_pygame.runtime.calls.Call` at once; the result is settled on
the game thread inside ``KGen.update()``. Actions that change the player's
state (claim, join, link, withdraw) also refresh what the HUD shows and
post the matching pygame event.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from kgen_pygame.errors import InvalidRequestError
from kgen_pygame.models import (
    ClaimResult,
    HistoricStat,
    Leaderboard,
    OtpChallenge,
    OtpVerification,
    Rewards,
    Tournament,
    TransactionHistory,
    WalletBalance,
    WithdrawResult,
)
from kgen_pygame.runtime.calls import Call
from kgen_pygame.runtime.worker import Job

if TYPE_CHECKING:
    from kgen_pygame.api import KGenClient
    from kgen_pygame.kgen import KGen

T = TypeVar("T")


class Actions:
    """Non-blocking API calls bound to one :class:`~kgen_pygame.KGen`."""

    def __init__(self, kgen: KGen) -> None:
        self._kgen = kgen

    def _submit(
        self,
        label: str,
        operation: Callable[[KGenClient, str], T],
        after: Callable[[T], None] | None = None,
    ) -> Call[T]:
        call: Call[T] = Call(label)
        if after is not None:
            def _after(done: Call[T]) -> None:
                if done.ok and done.result is not None:
                    after(done.result)

            call.on_done(_after)
        self._kgen._submit(Job(operation, call))
        return call

    # -- reading -----------------------------------------------------------

    def rewards(self) -> Call[Rewards]:
        """Unclaimed rewards (also refreshes the HUD count)."""
        return self._submit(
            "rewards", lambda c, t: c.rewards(t), lambda r: self._kgen._on_refreshed("rewards", r)
        )

    def wallet_balance(self) -> Call[WalletBalance]:
        """Balances and the minimum to withdraw."""
        return self._submit(
            "wallet balance",
            lambda c, t: c.wallet_balance(t),
            lambda b: self._kgen._on_refreshed("balance", b),
        )

    def transactions(self) -> Call[TransactionHistory]:
        """Wallet history, in and out."""

        def operation(client: KGenClient, token: str) -> TransactionHistory:
            session = self._kgen._runtime_session()
            address = session.wallet_address if session else ""
            if not address:
                address = client.wallet_balance(token).wallet_address
            return client.transactions(token, address)

        return self._submit("transactions", operation)

    def active_tournaments(self) -> Call[list[Tournament]]:
        """Tournaments open now."""
        return self._submit(
            "active tournaments",
            lambda c, t: c.active_tournaments(t),
            lambda ts: self._kgen._on_refreshed("tournaments", ts),
        )

    def joined_tournaments(self) -> Call[list[str]]:
        """Ids of the tournaments the player joined."""
        return self._submit(
            "joined tournaments",
            lambda c, t: c.joined_tournaments(t),
            lambda ids: self._kgen._on_refreshed("joined", ids),
        )

    def tournament(self, uid: str) -> Call[Tournament]:
        """Details of one tournament."""
        return self._submit("tournament", lambda c, t: c.tournament(t, uid))

    def leaderboard(self, uid: str) -> Call[Leaderboard]:
        """Standings, prize pool and winners of one tournament."""
        return self._submit("leaderboard", lambda c, t: c.leaderboard(t, uid))

    def historic_statistics(self) -> Call[list[HistoricStat]]:
        """The player's past tournament results."""
        return self._submit("statistics", lambda c, t: c.historic_statistics(t))

    # -- changing ----------------------------------------------------------

    def join_tournament(self, uid: str, stake: Decimal | None = None) -> Call[str]:
        """Join ``uid`` paying ``stake`` (default: its buy-in as last fetched)."""
        if stake is None:
            known = {t.uid: t for t in self._kgen.active_tournaments}
            stake = known[uid].buy_in if uid in known else None

        def operation(client: KGenClient, token: str) -> str:
            amount = stake if stake is not None else client.tournament(token, uid).buy_in
            return client.join_tournament(token, uid, amount)

        return self._submit("join tournament", operation, lambda _: self._kgen._refresh(
            "joined", "balance", "tournaments"
        ))

    def claim_rewards(self, reward_ids: Sequence[str] | None = None) -> Call[ClaimResult]:
        """Claim the given rewards, or all of them."""
        ids = list(reward_ids) if reward_ids is not None else None
        return self._submit(
            "claim rewards",
            lambda c, t: c.claim_rewards(t, ids),
            lambda _: self._kgen._refresh("rewards", "balance"),
        )

    def request_otp(self, country_code: str, phone: str) -> Call[OtpChallenge]:
        """Send a one-time code to the phone (the sandbox shows it as an SMS event)."""

        def operation(client: KGenClient, token: str) -> OtpChallenge:
            challenge = client.request_otp(token, country_code, phone)
            self._kgen._fetch_sandbox_sms(country_code, phone)
            return challenge

        return self._submit("request code", operation)

    def verify_otp(
        self, country_code: str, phone: str, auth_code: str, otp: str
    ) -> Call[OtpVerification]:
        """Verify the code and link the wallet."""
        return self._submit(
            "verify code",
            lambda c, t: c.verify_otp(t, country_code, phone, auth_code, otp),
            lambda result: self._kgen._on_linked(result, country_code, phone),
        )

    def withdraw(self, amount: Decimal | None = None) -> Call[WithdrawResult]:
        """Move earned balance to the linked KGeN wallet (all of it by default)."""
        if amount is not None and amount <= 0:
            call: Call[WithdrawResult] = Call("withdraw")
            call._settle(
                None,
                InvalidRequestError(
                    "the amount to withdraw must be more than zero",
                    status=400,
                    code="VALIDATION_ERROR",
                    operation="withdraw",
                ),
            )
            return call
        return self._submit(
            "withdraw", lambda c, t: c.withdraw(t, amount), self._kgen._on_withdrawn
        )

    def refresh(self) -> None:
        """Refresh balance, rewards and tournaments in the background."""
        self._kgen._refresh()

