"""Statistics: the player's finished tournaments and how they went."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from kgen_pygame.errors import KGenError
from kgen_pygame.models import HistoricStat
from kgen_pygame.panels.base import Panel
from kgen_pygame.panels.formatting import (
    UNAVAILABLE,
    UNKNOWN,
    amount,
    money,
    positive,
    signed,
    total,
    when,
)
from kgen_pygame.panels.widgets import MessageBar, StatusBlock, Tile
from kgen_pygame.ui import Cell, CellValue, Column, Row, Table, TableColumn, Widget

if TYPE_CHECKING:
    from kgen_pygame.panels.overlay import KGenOverlay


def summary(stats: list[HistoricStat]) -> tuple[int, int, Decimal | None]:
    """(played, won, total amount won - None when an amount cannot be shown)."""
    won = [stat for stat in stats if stat.won]
    return len(stats), len(won), total(stat.amount_won for stat in stats)


def when_text(stat: HistoricStat) -> str:
    """The date of a result, parsed when possible, else the server's text."""
    if stat.occurred_at is not None:
        return when(stat.occurred_at)
    return stat.occurred_at_text or "-"


def _stake_text(stat: HistoricStat) -> str:
    text = amount(stat.buy_in_stake)
    return text if text == UNAVAILABLE or positive(stat.buy_in_stake) else "Free"


def rank_text(rank: object) -> str:
    """``#3``; ``-`` when the server has no rank (0 or missing)."""
    if isinstance(rank, int | Decimal) and not isinstance(rank, bool):
        if not positive(rank):
            return UNAVAILABLE if amount(rank) == UNAVAILABLE else UNKNOWN
        return f"#{int(rank)}"
    if isinstance(rank, str) and rank.strip():
        return rank.strip()
    return "-"


class StatsPanel(Panel):
    """Played / won / total won, and one row per finished tournament."""

    name = "stats"

    def __init__(self, overlay: KGenOverlay) -> None:
        super().__init__(overlay)
        self.stats: list[HistoricStat] = []

    def build(self) -> Widget:
        self.played = Tile("PLAYED", "...")
        self.won = Tile("WON", "...", tone="success")
        self.total = Tile("TOTAL WON", "...", tone="accent")
        self.rate = Tile("WIN RATE", "...")
        self.table = Table(
            [
                TableColumn("WHEN", 1.5, tone="muted", cut=False, priority=5),
                TableColumn("TOURNAMENT", 2.2, min_width=150, priority=10),
                TableColumn("RESULT", 1.2, cut=False, priority=8),
                TableColumn("RANK", 0.8, "right", cut=False, priority=4),
                TableColumn("STAKE", 1.2, "right", cut=False, priority=3),
                TableColumn("WON", 1.3, "right", cut=False, priority=9),
            ],
            empty_text="No finished tournaments yet - join one and play!",
        )
        self.status = StatusBlock()
        self.message = MessageBar()
        self.initial_focus = self.table
        body = Column(
            Row(self.played, self.won, self.total, self.rate, justify="fill"),
            self.status,
            self.table,
            self.message,
        )
        return self.frame("Statistics", body, subtitle="Your finished tournaments")

    @property
    def row_count(self) -> int:
        return self.table.row_count

    @property
    def summary_line(self) -> str:
        """``"Played 3 - won 1 - total won 33.35 KGeN"``."""
        played, won, winnings = summary(self.stats)
        shown = money(winnings) if winnings is not None else UNAVAILABLE
        return f"Played {played} - won {won} - total won {shown}"

    def on_show(self) -> None:
        self.load()

    def load(self) -> None:
        """Fetch the historic statistics."""
        self.message.hide()
        self.table.visible = False
        self.status.loading("Loading your results...")
        self.run(self.actions.historic_statistics(), self._loaded, self._failed)

    def _loaded(self, stats: list[HistoricStat]) -> None:
        self.stats = list(stats)
        self.status.hide()
        self.table.visible = True
        played, won, winnings = summary(self.stats)
        self.played.set_value(str(played))
        self.won.set_value(str(won))
        self.total.set_value(amount(winnings) if winnings is not None else UNAVAILABLE)
        self.rate.set_value(f"{round(100 * won / played)}%" if played else UNKNOWN)
        self.show_rows(self.table, self.stats, self._row, 6)

    def _failed(self, error: KGenError) -> None:
        self.table.visible = False
        self.status.show_error(error, self.load)

    def _row(self, stat: HistoricStat) -> list[CellValue]:
        return [
            when_text(stat),
            stat.title or stat.mode or stat.type or "-",
            Cell("Won", "success") if stat.won else Cell(stat.result or "Lost", "muted"),
            rank_text(stat.type_value),
            _stake_text(stat),
            Cell(signed(stat.amount_won, "in"), "success") if positive(stat.amount_won)
            else Cell(amount(stat.amount_won) if amount(stat.amount_won) == UNAVAILABLE
                      else UNKNOWN, "muted"),
        ]
