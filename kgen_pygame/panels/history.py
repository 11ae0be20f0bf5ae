"""Wallet history: money in and out of the player's custodial wallet."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from kgen_pygame.errors import KGenError
from kgen_pygame.models import Transaction, TransactionHistory
from kgen_pygame.panels.base import Panel
from kgen_pygame.panels.formatting import amount, short_address, signed, when
from kgen_pygame.panels.messages import player_message
from kgen_pygame.panels.widgets import MessageBar, StatusBlock, Tile
from kgen_pygame.ui import (
    Cell,
    CellValue,
    Column,
    Row,
    Table,
    TableColumn,
    Tabs,
    Tone,
    Widget,
)

if TYPE_CHECKING:
    from kgen_pygame.panels.overlay import KGenOverlay

ALL, IN, OUT = 0, 1, 2

_STATUS_TONES: dict[str, Tone] = {
    "COMPLETED": "muted",
    "SUCCESS": "muted",
    "PENDING": "warning",
    "FAILED": "danger",
}
_KINDS = {
    "REWARD": "Reward",
    "JOIN": "Entry",
    "WITHDRAW": "Withdraw",
    "BONUS": "Bonus",
}


def kind_text(transaction: Transaction) -> str:
    """``"Reward"``, ``"Entry"``, ``"Withdrawal"``, ``"Bonus"`` (or the server's word)."""
    kind = (transaction.kind or "").upper()
    return _KINDS.get(kind, kind.title() or "Transfer")


def describe(transaction: Transaction) -> str:
    """What it was about: ``"Daily Free Roll - rank #1"``."""
    return transaction.description or transaction.name or "-"


def status_cell(transaction: Transaction) -> Cell:
    """The status in its tone: completed green, pending amber, failed red."""
    status = (transaction.status or "").upper()
    return Cell(status.title() or "-", _STATUS_TONES.get(status, "muted"))


class HistoryPanel(Panel):
    """Transactions with date, description, status and signed amount; All / In / Out tabs."""

    name = "history"

    def __init__(self, overlay: KGenOverlay) -> None:
        super().__init__(overlay)
        self.history: TransactionHistory | None = None
        self.shown: tuple[Transaction, ...] = ()

    def build(self) -> Widget:
        self.tabs = Tabs(["All", "In", "Out"], lambda _index: self._render())
        self.total_in = Tile("MONEY IN", "...", tone="success", role="body")
        self.total_out = Tile("MONEY OUT", "...", role="body")
        self.table = Table(
            [
                # Sized so date, type, status and amount never get cut at 800x600.
                TableColumn("DATE", 2.0, tone="muted"),
                TableColumn("TYPE", 1.6),
                TableColumn("DETAILS", 3.6, tone="muted"),
                TableColumn("STATUS", 1.7),
                TableColumn("AMOUNT", 1.3, "right"),
            ],
            empty_text="No transactions yet",
        )
        self.status = StatusBlock()
        self.message = MessageBar()
        self.initial_focus = self.tabs
        body = Column(
            Row(self.tabs, self.total_in, self.total_out),
            self.status,
            self.table,
            self.message,
        )
        session = self.kgen.state.session
        address = short_address(session.wallet_address) if session is not None else None
        return self.frame(
            "Wallet history", body, subtitle=f"Wallet {address}" if address else None
        )

    @property
    def row_count(self) -> int:
        return self.table.row_count

    def on_show(self) -> None:
        self.load()

    def load(self) -> None:
        """Fetch the transactions."""
        self.message.hide()
        self.table.visible = False
        self.status.loading("Loading your transactions...")
        self.run(self.actions.transactions(), self._loaded, self._failed)

    def _loaded(self, history: TransactionHistory) -> None:
        self.history = history
        self.status.hide()
        self.table.visible = True
        received = sum((t.amount for t in history.incoming), Decimal(0))
        sent = sum((t.amount for t in history.outgoing), Decimal(0))
        self.total_in.set_value(f"+{amount(received)}")
        self.total_out.set_value(f"-{amount(sent)}")
        self._render()

    def _failed(self, error: KGenError) -> None:
        self.table.visible = False
        self.status.fail(player_message(error), self.load)

    def _render(self) -> None:
        history = self.history
        if history is None:
            return
        tab = self.tabs.selected
        if tab == IN:
            shown = tuple(t for t in history.all if t.direction == "in")
        elif tab == OUT:
            shown = tuple(t for t in history.all if t.direction == "out")
        else:
            shown = history.all
        self.shown = shown
        self.table.set_rows([self._row(t) for t in shown])
        self.table.scroll_to(0)

    def _row(self, transaction: Transaction) -> list[CellValue]:
        tone: Tone = "success" if transaction.direction == "in" else "text"
        return [
            when(transaction.created_at),
            kind_text(transaction),
            describe(transaction),
            status_cell(transaction),
            Cell(signed(transaction.amount, transaction.direction), tone),
        ]
