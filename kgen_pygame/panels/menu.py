"""The KGeN menu (hub): balance at a glance and a card for every panel.

Cards for what only some API generations offer appear only there: *Rewards earned*
(``loyalty``) and the *KGeN Store* (``store_redirect``, and only once the wallet is
linked: the store is for players with a KGeN wallet, C22). The store card asks for a
one-off link (``actions.store_url()``) and opens it in the player's browser, off the
game thread (:class:`~kgen_pygame.panels.browser.BrowserOpener`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kgen_pygame.errors import KGenError
from kgen_pygame.panels.base import Panel, unchanged
from kgen_pygame.panels.earned import earned_summary
from kgen_pygame.panels.formatting import amount, money
from kgen_pygame.panels.messages import player_message
from kgen_pygame.panels.tournaments import joined_summary
from kgen_pygame.panels.wallets import linked_phone
from kgen_pygame.panels.widgets import MenuCard, MessageBar, Tile
from kgen_pygame.ui import Column, Grid, Row, Spacer, Widget

if TYPE_CHECKING:
    from kgen_pygame.panels.overlay import KGenOverlay


STORE_HINT = "Spend your KGeN"


class MenuPanel(Panel):
    """Balance summary and buttons to rewards, withdraw, wallet linking, tournaments,
    leaderboard, history and statistics. Arrows / d-pad / Tab move, Enter / A opens,
    Esc / B closes."""

    name = "menu"

    def __init__(self, overlay: KGenOverlay) -> None:
        super().__init__(overlay)
        self._seen: tuple[object, ...] | None = None

    def build(self) -> Widget:
        self.balance = Tile("BALANCE", "-", tone="accent")
        self.earned = Tile("EARNED", "-")
        self.bonus = Tile("BONUS", "-")
        self.claimable = Tile("TO CLAIM", "-", tone="success")
        self.notice = MessageBar()
        self.rewards = MenuCard("Rewards", "", lambda: self._go("rewards"))
        self.withdraw = MenuCard("Withdraw", "", lambda: self._go("withdraw"))
        self.link = MenuCard("KGeN wallet", "", lambda: self._go("link"))
        self.history = MenuCard("History", "Wallet transactions", lambda: self._go("history"))
        self.tournaments = MenuCard("Tournaments", "", lambda: self._go("tournaments"))
        self.leaderboard = MenuCard(
            "Leaderboard", "See the standings", lambda: self._go("leaderboard")
        )
        self.stats = MenuCard("Statistics", "Your past results", lambda: self._go("stats"))
        self.earned_rewards = MenuCard("Rewards earned", "", lambda: self._go("earned"))
        self.earned_rewards.visible = self.kgen.supports("loyalty")
        self.store = MenuCard("KGeN Store", STORE_HINT, self.open_store)
        self.store.visible = False  # until the wallet is linked (see _refresh)
        self.resume = MenuCard("Back to game", "Esc / B", self.close)
        self.cards = [
            self.rewards, self.withdraw, self.link, self.history,
            self.tournaments, self.leaderboard, self.stats, self.earned_rewards,
            self.store, self.resume,
        ]
        self.opening_store = False
        self.initial_focus = self.rewards
        self._refresh()
        body = Column(
            Row(self.balance, self.earned, self.bonus, self.claimable, justify="fill"),
            self.notice,
            Spacer(grow=1),
            Grid(*self.cards, columns=4),
            spacing=16,
        )
        return self.frame(
            "KGeN", body, subtitle="Rewards, tournaments and your wallet", height=None
        )

    def on_show(self) -> None:
        self.actions.refresh()

    def open_store(self) -> None:
        """Ask for a KGeN Store link; it opens in the player's browser (not on this thread)."""
        if self.opening_store:
            return
        self.opening_store = True
        self.store.set_hint("Opening...")
        self.run(self.actions.store_url(), self._store_link, self._store_failed)

    def _store_link(self, url: str) -> None:
        self.opening_store = False
        self.store.set_hint(STORE_HINT)
        self.overlay.browser.open(url)
        self.toast("The KGeN Store opens in your browser", "info")

    def _store_failed(self, error: KGenError) -> None:
        self.opening_store = False
        self.store.set_hint(STORE_HINT)
        self.toast(player_message(error), "danger")

    def _go(self, name: str) -> None:
        from kgen_pygame.panels.overlay import PANELS

        self.push(PANELS[name](self.overlay, None))

    def update(self, dt: float) -> None:
        super().update(dt)
        self._refresh()

    def _refresh(self) -> None:
        state = self.kgen.state
        hud = self.overlay.hud
        seen = (
            state.session, state.balance, state.rewards, state.tournaments, state.joined_ids,
            state.sandbox, state.linked_account, state.earned,
            state.session_error, hud.problem if hud is not None else None,
        )
        if unchanged(seen, self._seen):
            return
        self._seen = seen
        balance = state.balance
        if balance is None:
            for tile in (self.balance, self.earned, self.bonus):
                tile.set_value("...")
        else:
            self.balance.set_value(amount(state.balance_total))
            self.earned.set_value(amount(balance.earned))
            self.bonus.set_value(amount(balance.bonus))
        count = state.unclaimed_count
        self.claimable.set_value(
            amount(state.unclaimed_total) if state.rewards is not None else "...",
            tone="success" if count else "muted",
        )
        self.rewards.set_hint(
            f"{count} to claim" if count else "Nothing new",
            tone="success" if count else None,
        )
        self.withdraw.set_hint(
            f"{money(balance.earned)} earned" if balance is not None else "Earned balance"
        )
        session = state.session
        phone = linked_phone(state)
        self.link.set_hint(f"Linked {phone}" if phone else "Link your phone")
        self.earned_rewards.set_hint(earned_summary(state.earned))
        self.store.visible = state.linked and self.kgen.supports("store_redirect")
        live = len(state.live_tournaments)
        joined = len(state.joined_live_ids)
        self.tournaments.set_hint(joined_summary(live, joined) if live else "Join and play")
        if session is None and state.session_error:
            self.notice.show(
                "KGeN is offline right now. Your scores are saved and sync later.",
                tone="warning",
            )
        elif session is None:
            self.notice.show("Connecting to KGeN...", tone="accent")
        elif hud is not None and hud.problem == "sync":
            self.notice.show(
                "Scores are waiting to sync. They are saved and will be sent soon.",
                tone="warning",
            )
        else:
            self.notice.hide()
