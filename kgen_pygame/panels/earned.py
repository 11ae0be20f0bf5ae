"""Rewards earned: the loyalty rewards the player got for reaching the game's rewardable events.

What was earned, when, for which event and how much (``actions.earned_rewards()``, kept in
``state.earned``). Loyalty rewards are paid at once (C19: no claim step), into the earned
balance of the in-game wallet, so this list only reads. A reward that arrives while the
panel is open (``LOYALTY_REWARDED``) shows up in it at once.

Only the current generation has loyalty (capability ``loyalty``); elsewhere the panel says so.
The API names an event by its id only: the names are the game's own, kept on its server.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING

from kgen_pygame.errors import KGenError
from kgen_pygame.models import LoyaltyReward
from kgen_pygame.panels.base import Panel, unchanged
from kgen_pygame.panels.formatting import UNAVAILABLE, amount, plural, signed, total, when
from kgen_pygame.panels.messages import NO_LOYALTY
from kgen_pygame.panels.widgets import MessageBar, StatusBlock, Tile
from kgen_pygame.ui import Cell, CellValue, Column, Row, Table, TableColumn, Widget

if TYPE_CHECKING:
    from kgen_pygame.panels.overlay import KGenOverlay

#: Characters of an event id shown in the list.
_ID_SHOWN = 12


def earned_summary(rewards: tuple[LoyaltyReward, ...]) -> str:
    """``"3 earned"`` / ``"Nothing yet"``: the menu card and the panel say the same."""
    return f"{plural(len(rewards), 'reward')} earned" if rewards else "Nothing yet"


def event_label(event_id: str) -> str:
    """``"Event 48c148ef"``: the API names an event by its id only (a UUID-like string);
    its first characters tell one event from another at a glance."""
    head = event_id.split("-", 1)[0] if event_id else ""
    return f"Event {head[:_ID_SHOWN] or '-'}"


def status_text(status: str) -> Cell:
    """``REWARDED`` reads "Paid" (the only status the docs show, C19); others as sent."""
    word = status.strip().upper()
    if word == "REWARDED":
        return Cell("Paid", "success")
    return Cell(word.title() or "-", "muted")


def newest_first(rewards: tuple[LoyaltyReward, ...]) -> tuple[LoyaltyReward, ...]:
    """Dated rewards newest first, then the undated ones in the order sent."""
    dated = [r for r in rewards if r.created_at is not None]
    dated.sort(key=attrgetter("created_at"), reverse=True)  # C-level keys: 5,000 in a frame
    if len(dated) == len(rewards):
        return tuple(dated)
    return (*dated, *(r for r in rewards if r.created_at is None))


@dataclass(frozen=True, slots=True)
class EarnedList:
    """Rewards earned made ready to show (on a worker thread): as sent, newest first,
    and their total (None when an amount cannot be shown)."""

    sent: tuple[LoyaltyReward, ...]
    newest_first: tuple[LoyaltyReward, ...]
    total: Decimal | None

    @classmethod
    def of(cls, rewards: Sequence[LoyaltyReward]) -> EarnedList:
        sent = tuple(rewards)
        ordered = newest_first(sent)
        return cls(sent, ordered, total(reward.amount for reward in ordered))


class EarnedPanel(Panel):
    """Total earned, how many, the balance, and one row per reward (newest first)."""

    name = "earned"

    def __init__(self, overlay: KGenOverlay) -> None:
        super().__init__(overlay)
        self.rewards: tuple[LoyaltyReward, ...] = ()
        self._shown: tuple[LoyaltyReward, ...] | None = None
        self._seen_balance: object = None
        self._loaded = False
        self._version = 0  # of the list being sorted (an older one is not shown)

    def build(self) -> Widget:
        self.earned_total = Tile("EARNED", "...", tone="success")
        self.count = Tile("REWARDS", "...")
        self.balance = Tile("BALANCE", "...")
        self.table = Table(
            [
                TableColumn("EVENT", 3.0, min_width=150, priority=10),
                TableColumn("DATE", 1.6, tone="muted", cut=False, priority=6),
                TableColumn("STATUS", 1.0, cut=False, priority=4),
                TableColumn("AMOUNT", 1.4, "right", cut=False, priority=9),
            ],
            empty_text="Nothing earned yet - reach the game's goals to earn KGeN!",
        )
        self.status = StatusBlock()
        self.message = MessageBar()
        self.initial_focus = self.table
        body = Column(
            Row(self.earned_total, self.count, self.balance, justify="fill"),
            self.status,
            self.table,
            self.message,
        )
        return self.frame(
            "Rewards earned", body,
            subtitle="Paid straight into your in-game wallet (earned balance)",
        )

    @property
    def row_count(self) -> int:
        return self.table.row_count

    def on_show(self) -> None:
        self.load()

    def load(self) -> None:
        """Fetch the rewards earned (where the API has them)."""
        self.message.hide()
        if not self.kgen.supports("loyalty"):
            self.table.visible = False
            self.status.fail(NO_LOYALTY, None)
            self.status.message.set_text(NO_LOYALTY, tone="muted")  # a fact, not a failure
            return
        if not self._loaded:
            self.table.visible = False
            self.status.loading("Loading your rewards...")
        self._version += 1
        version = self._version
        self.run_prepared(self.actions.earned_rewards(), EarnedList.of,
                          lambda earned: self._arrived(earned, version), self._failed)

    def _arrived(self, earned: EarnedList, version: int) -> None:
        if version != self._version:
            return  # a newer list is being sorted
        self._loaded = True
        self.status.hide()
        self.table.visible = True
        kept = self.kgen.state.earned
        # The state keeps the same rewards: remember its tuple, so update() sees nothing new.
        self._shown = kept if unchanged(earned.sent, kept) else earned.sent
        self._show(earned)

    def _failed(self, error: KGenError) -> None:
        if self._loaded:
            self.message.show_error(error, self.load)
            return
        self.table.visible = False
        self.status.show_error(error, self.load)

    def update(self, dt: float) -> None:
        super().update(dt)
        state = self.kgen.state
        earned = state.earned
        if self._loaded and earned is not self._shown:
            if self._shown is None or not unchanged(earned, self._shown):
                # A reward arrived (LOYALTY_REWARDED) or a refresh: compared and sorted
                # off the frame (a periodic refresh mostly sends the same rewards again).
                self._version += 1
                version, shown = self._version, self._shown

                def prepare() -> EarnedList | None:
                    return None if earned == shown else EarnedList.of(earned)

                def show(ready: EarnedList | None) -> None:
                    if ready is not None and version == self._version:
                        self._show(ready)

                self.run(self.actions.prepare("rewards earned", prepare), show)
            self._shown = earned
        balance = state.balance
        if balance is not self._seen_balance:
            self._seen_balance = balance
            self.balance.set_value(amount(state.balance_total) if balance is not None else "...")

    def _show(self, earned: EarnedList) -> None:
        self.rewards = rewards = earned.newest_first
        self.earned_total.set_value(
            amount(earned.total) if earned.total is not None else UNAVAILABLE)
        self.count.set_value(str(len(rewards)))
        self.show_rows(self.table, rewards, self._row, 4)

    def _row(self, reward: LoyaltyReward) -> list[CellValue]:
        return [
            event_label(reward.event_id),
            when(reward.created_at),
            status_text(reward.status),
            Cell(signed(reward.amount, "in"), "success"),
        ]
