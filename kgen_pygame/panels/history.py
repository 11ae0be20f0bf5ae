"""Wallet history: money in and out of the player's in-game wallet.

A row opens (Enter / A / a click) into :class:`TransactionPanel`, which shows
every field of the transaction in full: nothing stays cut off with an ellipsis.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from kgen_pygame.errors import KGenError
from kgen_pygame.models import Transaction, TransactionHistory
from kgen_pygame.panels.base import Panel
from kgen_pygame.panels.formatting import (
    CURRENCY,
    UNAVAILABLE,
    UNKNOWN,
    signed,
    total,
    when,
    when_full,
)
from kgen_pygame.panels.wallets import (
    EXPLAINED,
    in_game_wallet,
    own_wallets,
    same_wallet,
    wallet_name,
)
from kgen_pygame.panels.widgets import (
    ActionButton,
    DetailRow,
    MessageBar,
    StatusBlock,
    Tile,
)
from kgen_pygame.ui import (
    Cell,
    CellValue,
    Column,
    Label,
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
    """``"Reward"``, ``"Entry"``, ``"Withdraw"``, ``"Bonus"`` (or the server's word)."""
    kind = (transaction.kind or "").upper()
    return _KINDS.get(kind, kind.title() or "Transfer")


def describe(transaction: Transaction) -> str:
    """What it was about: ``"Daily Free Roll - rank #1"``."""
    return transaction.description or transaction.name or UNKNOWN


def status_cell(transaction: Transaction) -> Cell:
    """The status in its tone: completed muted, pending amber, failed red."""
    status = (transaction.status or "").upper()
    return Cell(status.title() or UNKNOWN, _STATUS_TONES.get(status, "muted"))


def signed_money(transaction: Transaction) -> str:
    """``"+25.00 KGeN"``, ``"-10.00 KGeN"`` (``"—"`` when it cannot be shown)."""
    text = signed(transaction.amount, transaction.direction)
    return text if text in (UNKNOWN, UNAVAILABLE) else f"{text} {CURRENCY}"


@dataclass(frozen=True, slots=True)
class SortedHistory:
    """A wallet history made ready to show (on a worker thread): every transaction
    newest first, the incoming and outgoing ones in that order, and their totals."""

    every: tuple[Transaction, ...]
    incoming: tuple[Transaction, ...]
    outgoing: tuple[Transaction, ...]
    received: Decimal | None
    sent: Decimal | None

    @classmethod
    def of(cls, history: TransactionHistory) -> SortedHistory:
        every = history.all
        return cls(
            every,
            tuple(t for t in every if t.direction == "in"),
            tuple(t for t in every if t.direction == "out"),
            total(t.amount for t in history.incoming),
            total(t.amount for t in history.outgoing),
        )


class HistoryPanel(Panel):
    """Transactions with date, description, status and signed amount; All / In / Out tabs."""

    name = "history"

    def __init__(self, overlay: KGenOverlay) -> None:
        super().__init__(overlay)
        self.history: SortedHistory | None = None
        self.shown: tuple[Transaction, ...] = ()

    def build(self) -> Widget:
        self.tabs = Tabs(["All", "In", "Out"], lambda _index: self._render())
        self.total_in = Tile("MONEY IN", "...", tone="success", role="body", min_width=120)
        self.total_out = Tile("MONEY OUT", "...", role="body", min_width=120)
        self.table = Table(
            [
                TableColumn("DATE", 2.0, tone="muted", cut=False, priority=6),
                TableColumn("TYPE", 1.6, cut=False, priority=4),
                TableColumn("DETAILS", 3.6, tone="muted", min_width=150, priority=9),
                TableColumn("STATUS", 1.7, cut=False, priority=7),
                TableColumn("AMOUNT", 1.3, "right", cut=False, priority=10),
            ],
            selectable=True,
            on_activate=self.open_entry,
            empty_text="No transactions yet",
        )
        self.hint = Label("Select a row to read it in full", role="small", tone="muted")
        self.status = StatusBlock()
        self.message = MessageBar()
        self.initial_focus = self.tabs
        body = Column(
            Row(self.tabs, self.total_in, self.total_out),
            self.status,
            self.table,
            self.hint,
            self.message,
        )
        session = self.kgen.state.session
        subtitle = in_game_wallet(session.wallet_address) if session is not None else None
        return self.frame("Wallet history", body, subtitle=subtitle)

    @property
    def row_count(self) -> int:
        return self.table.row_count

    def on_show(self) -> None:
        self.load()

    def load(self) -> None:
        """Fetch the transactions."""
        self.message.hide()
        self.table.visible = False
        self.hint.visible = False
        self.status.loading("Loading your transactions...")
        self.run_prepared(self.actions.transactions(), SortedHistory.of, self._show_sorted,
                          self._failed)

    def show_history(self, history: TransactionHistory) -> None:
        """Show the transactions the server sent (one row each, whatever their amounts)."""
        self._show_sorted(SortedHistory.of(history))

    def _show_sorted(self, sorted_history: SortedHistory) -> None:
        self.history = sorted_history
        self.status.hide()
        self.table.visible = True
        self.hint.visible = bool(sorted_history.every)
        received, sent = sorted_history.received, sorted_history.sent
        self.total_in.set_value(signed(received, "in") if received is not None else UNAVAILABLE)
        self.total_out.set_value(signed(sent, "out") if sent is not None else UNAVAILABLE)
        self._render()

    def _failed(self, error: KGenError) -> None:
        self.table.visible = False
        self.hint.visible = False
        self.status.show_error(error, self.load)

    def _render(self) -> None:
        history = self.history
        if history is None:
            return
        tab = self.tabs.selected
        shown = history.incoming if tab == IN else (
            history.outgoing if tab == OUT else history.every)
        self.shown = shown
        self.show_rows(self.table, shown, self._row, 5)
        self.table.select(None, notify=False)
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

    def open_entry(self, index: int) -> None:
        """Show every field of the transaction in row ``index``."""
        if 0 <= index < len(self.shown):
            self.push(TransactionPanel(self.overlay, self.shown[index]))


class TransactionPanel(Panel):
    """One transaction, every field in full (long descriptions and addresses wrap)."""

    name = "transaction"

    def __init__(self, overlay: KGenOverlay, transaction: Transaction) -> None:
        super().__init__(overlay)
        self.transaction = transaction

    def fields(self) -> list[tuple[str, str]]:
        """(caption, value) of every field the server sent, in reading order."""
        t = self.transaction
        state = self.kgen.state
        pairs = [
            ("Amount", signed_money(t)),
            ("Status", status_cell(t).text),
            ("Details", describe(t)),
        ]
        if t.name and t.name != t.description:
            pairs.append(("Name", t.name))
        pairs.append(("Date", when_full(t.created_at)))
        pairs.append(("From", wallet_name(t.from_wallet, state)))
        pairs.append(("To", wallet_name(t.to_wallet, state)))
        if t.error:
            pairs.append(("Problem", t.error))
        if t.entry_type:
            pairs.append(("Entry", t.entry_type))
        pairs.append(("Reference", t.uid or UNKNOWN))
        return pairs

    def build(self) -> Widget:
        t = self.transaction
        rows: list[Widget] = []
        for caption, value in self.fields():
            tone: Tone = "text"
            if caption == "Amount":
                tone = "success" if t.direction == "in" else "text"
            elif caption == "Status":
                tone = status_cell(t).tone or "muted"
            elif caption == "Problem":
                tone = "danger"
            rows.append(DetailRow(caption, value, tone=tone))
        ours = own_wallets(self.kgen.state)
        if all(any(same_wallet(end, mine) for mine in ours) for end in (t.from_wallet,
                                                                       t.to_wallet)):
            rows.append(Label(EXPLAINED, role="small", tone="muted", wrap=True))
        self.back = ActionButton("Back", self.close, kind="primary")
        self.initial_focus = self.back
        body = Column(*rows, Row(self.back, justify="end"), spacing=10)
        return self.frame(kind_text(t), body, subtitle=when(t.created_at), height=None)
