"""Player actions as non-blocking calls: what the overlays (and games) use.

Every method queues work on the call worker and returns a
:class:`~kgen_pygame.runtime.calls.Call` at once; the result is settled on the game
thread inside ``KGen.update()``. Actions that change the player's state (claim, join,
leave, link, withdraw) also refresh what the HUD shows and post the matching pygame
event. Built from the worker and the notifier only: nothing here knows the facade.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from kgen_pygame.errors import ConfigurationError, KGenError, NotSupportedError
from kgen_pygame.models import (
    ClaimResult,
    HistoricStat,
    Leaderboard,
    LinkedAccount,
    LoyaltyReward,
    OtpChallenge,
    OtpVerification,
    Rewards,
    Tournament,
    TransactionHistory,
    WalletBalance,
    WithdrawResult,
)
from kgen_pygame.runtime.calls import Call, settled
from kgen_pygame.runtime.notifier import Linked, Refreshed, SandboxSms, Withdrawn
from kgen_pygame.runtime.state import masked_number
from kgen_pygame.schedule import TournamentSchedule

if TYPE_CHECKING:
    from kgen_pygame.api import KGenClient
    from kgen_pygame.api.protocol import Capability
    from kgen_pygame.runtime.notifier import Notifier
    from kgen_pygame.runtime.worker import CallWorker

T = TypeVar("T")

#: Reads the code the sandbox "texted" (worker thread): ``(country_code, phone) -> code``.
SmsReader = Callable[[str, str], "str | None"]


class Actions:
    """Non-blocking API calls for one game session."""

    def __init__(
        self,
        worker: CallWorker,
        notifier: Notifier,
        *,
        supports: Callable[[Capability], bool],
        read_sandbox_sms: SmsReader | None = None,
    ) -> None:
        self._worker = worker
        self._notifier = notifier
        self._supports = supports
        self._read_sandbox_sms = read_sandbox_sms

    def supports(self, capability: Capability) -> bool:
        """True when the configured API generation offers ``capability`` (see
        :data:`kgen_pygame.api.protocol.CAPABILITIES`); False until that is known."""
        return self._supports(capability)

    def _run(
        self,
        label: str,
        operation: Callable[[KGenClient, str], T],
        after: Callable[[T], None] | None = None,
        *,
        ambiguous_401: bool = False,
    ) -> Call[T]:
        call = self._worker.run(label, operation, ambiguous_401=ambiguous_401)
        if after is not None:
            def _after(done: Call[T]) -> None:
                if done.ok and done.result is not None:
                    after(done.result)

            call.on_done(_after)
        return call

    def _refreshing(self, name: str) -> Callable[[object], None]:
        notifier = self._notifier
        return lambda value: notifier.send(Refreshed(name, value))

    # -- reading -----------------------------------------------------------------------

    def rewards(self) -> Call[Rewards]:
        """Unclaimed rewards (also refreshes the HUD count)."""
        return self._run("rewards", lambda c, t: c.rewards(t), self._refreshing("rewards"))

    def wallet_balance(self) -> Call[WalletBalance]:
        """Balances and the minimum to withdraw."""
        return self._run(
            "wallet balance", lambda c, t: c.wallet_balance(t), self._refreshing("balance")
        )

    def transactions(self) -> Call[TransactionHistory]:
        """In-game wallet history, in and out."""
        session = self._notifier.state.session
        known = session.wallet_address if session else ""

        def operation(client: KGenClient, token: str) -> TransactionHistory:
            address = known or client.wallet_balance(token).wallet_address
            return client.transactions(token, address)

        return self._run("wallet history", operation)

    def active_tournaments(self) -> Call[list[Tournament]]:
        """Tournaments open now (also refreshes what the HUD and menu count)."""
        notifier = self._notifier

        def operation(client: KGenClient, token: str) -> list[Tournament]:
            tournaments = client.active_tournaments(token)
            # Indexed here, on the worker thread, so the game thread never walks the list.
            notifier.send(Refreshed("tournaments", TournamentSchedule(tournaments)))
            return tournaments

        return self._run("tournaments", operation)

    def joined_tournaments(self) -> Call[list[str]]:
        """Ids of the tournaments the player joined."""
        return self._run(
            "joined tournaments", lambda c, t: c.joined_tournaments(t), self._refreshing("joined")
        )

    def tournament(self, uid: str) -> Call[Tournament]:
        """Details of one tournament."""
        return self._run("tournament", lambda c, t: c.tournament(t, uid))

    def leaderboard(self, uid: str) -> Call[Leaderboard]:
        """Standings, prize pool and winners of one tournament."""
        return self._run("leaderboard", lambda c, t: c.leaderboard(t, uid))

    def historic_statistics(self) -> Call[list[HistoricStat]]:
        """The player's past tournament results."""
        return self._run("statistics", lambda c, t: c.historic_statistics(t))

    def linked_account(self) -> Call[LinkedAccount | None]:
        """The linked phone (masked) and KGeN wallet; None when not linked."""
        if not self.supports("linked_account"):
            return self._unsupported("linked account", "linked_account")
        return self._run(
            "linked account", lambda c, t: c.linked_account(t), self._refreshing("linked")
        )

    def earned_rewards(self) -> Call[list[LoyaltyReward]]:
        """Loyalty rewards the player earned (current generation)."""
        if not self.supports("loyalty"):
            return self._unsupported("rewards earned", "loyalty")
        return self._run(
            "rewards earned", lambda c, t: c.earned_rewards(t), self._refreshing("earned")
        )

    def store_url(self) -> Call[str]:
        """A one-off URL into the KGeN Store, for the player's browser."""
        if not self.supports("store_redirect"):
            return self._unsupported("KGeN Store", "store_redirect")
        return self._run("KGeN Store", lambda c, t: c.store_redirect_url(t))

    # -- changing ----------------------------------------------------------------------

    def join_tournament(self, uid: str, stake: Decimal | None = None) -> Call[str]:
        """Join ``uid`` paying ``stake`` (default: its buy-in as last fetched)."""
        if stake is None:
            known = {t.uid: t for t in self._notifier.state.tournaments}
            stake = known[uid].buy_in if uid in known else None

        def operation(client: KGenClient, token: str) -> str:
            amount = stake if stake is not None else client.tournament(token, uid).buy_in
            return client.join_tournament(token, uid, amount)

        return self._run("join tournament", operation, self._after_tournament_change)

    def leave_tournament(self, uid: str) -> Call[str]:
        """Leave a joined tournament (where the API offers it)."""
        if not self.supports("leave_tournament"):
            return self._unsupported("leave tournament", "leave_tournament")
        return self._run(
            "leave tournament",
            lambda c, t: c.leave_tournament(t, uid),
            self._after_tournament_change,
        )

    def claim_rewards(self, reward_ids: Sequence[str] | None = None) -> Call[ClaimResult]:
        """Claim the given rewards (where the API can), or all of them."""
        if reward_ids is not None and not self.supports("selective_claim"):
            return self._unsupported("claim chosen rewards", "selective_claim")
        ids = list(reward_ids) if reward_ids is not None else None
        return self._run(
            "claim rewards",
            lambda c, t: c.claim_rewards(t, ids),
            lambda _: self._worker.refresh("rewards", "balance"),
        )

    def request_otp(
        self, country_code: str, phone: str, *, resend: bool = False
    ) -> Call[OtpChallenge]:
        """Send a one-time code to the phone (the sandbox shows it as an SMS event)."""
        sms = self._read_sandbox_sms
        notifier = self._notifier
        use_resend = resend and self.supports("resend_otp")

        def operation(client: KGenClient, token: str) -> OtpChallenge:
            if use_resend:
                challenge = client.resend_otp(token, country_code, phone)
            else:
                challenge = client.request_otp(token, country_code, phone)
            if sms is not None:
                code = sms(country_code, phone)
                if code is not None:
                    notifier.send(SandboxSms(masked_number(country_code, phone), code))
            return challenge

        return self._run(
            "resend code" if resend else "request code", operation, ambiguous_401=True
        )

    def verify_otp(
        self, country_code: str, phone: str, auth_code: str, otp: str
    ) -> Call[OtpVerification]:
        """Verify the code and link the wallet."""
        notifier = self._notifier
        return self._run(
            "verify code",
            lambda c, t: c.verify_otp(t, country_code, phone, auth_code, otp),
            lambda result: notifier.send(Linked(result, country_code, phone)),
            ambiguous_401=True,
        )

    def withdraw(self, amount: Decimal | None = None) -> Call[WithdrawResult]:
        """Move earned balance to the linked KGeN wallet (all of it by default)."""
        if amount is not None:
            if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
                return settled(
                    "withdraw",
                    None,
                    ConfigurationError("the amount to withdraw must be a positive Decimal"),
                )
            if not self.supports("partial_withdraw"):
                return self._unsupported("withdraw part of the balance", "partial_withdraw")
        notifier = self._notifier
        worker = self._worker

        def after(result: WithdrawResult) -> None:
            notifier.send(Withdrawn(result))
            worker.refresh("balance")

        return self._run("withdraw", lambda c, t: c.withdraw(t, amount), after)

    def refresh(self) -> None:
        """Refresh balance, rewards and tournaments in the background."""
        self._worker.refresh()

    def prepare(self, label: str, work: Callable[[], T]) -> Call[T]:
        """Run ``work()`` on a worker thread (no request is made); its result settles on
        the game thread like any call's. Panels sort, total and index a big answer this
        way, so the game's frame only shows what was built."""
        return self._worker.run(label, lambda _client, _token: work(), needs_session=False)

    # -- internals ---------------------------------------------------------------------

    def _after_tournament_change(self, _: object) -> None:
        self._worker.refresh("joined", "balance", "tournaments")

    def _unsupported(self, label: str, capability: Capability) -> Call[T]:
        error: KGenError = NotSupportedError(
            f"this KGeN API generation cannot {label} (capability {capability!r})"
        )
        return settled(label, None, error)
