"""Tournaments: what is live now, what the player joined; opens details and leaderboards."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kgen_pygame.errors import KGenError
from kgen_pygame.models import Tournament
from kgen_pygame.panels.base import Panel
from kgen_pygame.panels.formatting import amount, plain_number, plural, time_left
from kgen_pygame.panels.messages import player_message
from kgen_pygame.panels.widgets import ActionButton, MessageBar, StatusBlock
from kgen_pygame.ui import (
    Cell,
    CellValue,
    Column,
    Label,
    Row,
    Spacer,
    Table,
    TableColumn,
    Tabs,
    Widget,
)

if TYPE_CHECKING:
    from kgen_pygame.panels.overlay import KGenOverlay

LIVE, JOINED = 0, 1
#: Rows are re-rendered this often so "ends in" stays roughly right.
_TIME_REFRESH_S = 20.0
#: Ended tournaments the player joined are looked up one by one, at most this many.
_MAX_LOOKUPS = 12


def buy_in_text(tournament: Tournament) -> str:
    """``"Free"`` or ``"10.00"``."""
    return "Free" if tournament.buy_in <= 0 else amount(tournament.buy_in)


def players_text(tournament: Tournament) -> str:
    """``"121"`` or ``"121 / 500"``."""
    count = tournament.participants_count
    if count is None:
        return "-"
    if tournament.max_players:
        return f"{plain_number(count)} / {plain_number(tournament.max_players)}"
    return plain_number(count)


def state_cell(tournament: Tournament, joined: bool) -> Cell:
    """The status column: joined, full, open or ended."""
    if joined:
        return Cell("Joined", "success")
    if (tournament.status or "").upper() in ("ENDED", "COMPLETED", "FINISHED"):
        return Cell("Ended", "muted")
    if tournament.is_full:
        return Cell("Full", "warning")
    return Cell("Open", "accent")


class TournamentsPanel(Panel):
    """Live tournaments (title, buy-in, players, time left) and the ones the player joined."""

    name = "tournaments"

    def __init__(self, overlay: KGenOverlay) -> None:
        super().__init__(overlay)
        self.live: list[Tournament] = []
        self.joined_ids: frozenset[str] = frozenset()
        self.known: dict[str, Tournament] = {}
        self.shown: list[Tournament] = []
        self._since_render = 0.0
        self._lookups_started = False

    def build(self) -> Widget:
        self.tabs = Tabs(["Live", "Joined"], self._tab_changed)
        self.summary = Label("", tone="muted", align="right", grow=1)
        self.table = Table(
            [
                TableColumn("TOURNAMENT", 3.2),
                TableColumn("BUY-IN", 1.2, "right"),
                TableColumn("PLAYERS", 1.3, "right"),
                TableColumn("ENDS IN", 1.3, "right"),
                TableColumn("STATUS", 1.1, "center"),
            ],
            selectable=True,
            on_activate=self._open_row,
            on_select=self._row_selected,
            empty_text="No tournaments here right now",
        )
        self.status = StatusBlock()
        self.message = MessageBar()
        self.leaderboard = ActionButton("Leaderboard", self.open_leaderboard, enabled=False)
        self.details = ActionButton("Details", self.open_details, kind="primary", enabled=False)
        self.initial_focus = self.table
        body = Column(
            Row(self.tabs, Spacer(size=8), self.summary),
            self.status,
            self.table,
            self.message,
            Row(self.leaderboard, self.details, justify="end"),
        )
        return self.frame("Tournaments", body, subtitle="Join with a stake, play, climb the board")

    @property
    def row_count(self) -> int:
        return self.table.row_count

    def on_show(self) -> None:
        self.load()

    # loading --------------------------------------------------------------------

    def load(self) -> None:
        """Fetch live tournaments, then the ids of the joined ones."""
        self.message.hide()
        if not self.shown:
            self.table.visible = False
            self.status.loading("Loading tournaments...")
        self.run(self.actions.active_tournaments(), self._got_live, self._failed)

    def _got_live(self, tournaments: list[Tournament]) -> None:
        self.live = list(tournaments)
        for tournament in tournaments:
            self.known[tournament.uid] = tournament
        self.run(self.actions.joined_tournaments(), self._got_joined, self._failed)

    def _got_joined(self, ids: list[str]) -> None:
        self.joined_ids = frozenset(ids)
        self.status.hide()
        self.table.visible = True
        self._render()
        if self.tabs.selected == JOINED:
            self._look_up_missing()

    def _failed(self, error: KGenError) -> None:
        if self.shown:
            self.message.show(player_message(error), action=self.load)
            return
        self.table.visible = False
        self.status.fail(player_message(error), self.load)

    def _look_up_missing(self) -> None:
        """Details of joined tournaments that are no longer live (ended ones)."""
        if self._lookups_started:
            return
        self._lookups_started = True
        missing = [uid for uid in sorted(self.joined_ids) if uid not in self.known]
        for uid in missing[:_MAX_LOOKUPS]:
            self.run(self.actions.tournament(uid), self._got_one, lambda _error: None)

    def _got_one(self, tournament: Tournament) -> None:
        self.known[tournament.uid] = tournament
        if self.tabs.selected == JOINED:
            self._render()

    # showing --------------------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        self.table.select(None, notify=False)
        self._render()
        if index == JOINED:
            self._look_up_missing()

    def _render(self) -> None:
        self._since_render = 0.0
        if self.tabs.selected == LIVE:
            self.shown = list(self.live)
            empty = "No live tournaments right now - check back soon"
        else:
            live_ids = {t.uid for t in self.live}
            self.shown = [self.known[uid] for uid in sorted(self.joined_ids) if uid in self.known]
            self.shown.sort(key=lambda t: (t.uid not in live_ids, t.title))
            empty = "You haven't joined a tournament yet"
        if empty != self.table.empty_text:
            self.table.empty_text = empty
            self.table.request_layout()  # the empty-list text is rendered at layout
        selected = self.table.selected
        self.table.set_rows([self._row(t) for t in self.shown])
        if selected is not None and selected < len(self.shown):
            self.table.select(selected, notify=False)
        self._row_selected(self.table.selected)
        live_joined = sum(1 for t in self.live if t.uid in self.joined_ids)
        self.summary.set_text(
            f"{plural(len(self.live), 'live tournament')} \u00b7 {live_joined} joined"
        )

    def _row(self, tournament: Tournament) -> list[CellValue]:
        joined = tournament.uid in self.joined_ids
        ends = time_left(tournament.ends_at)
        return [
            tournament.title,
            Cell(buy_in_text(tournament), "success" if tournament.buy_in <= 0 else None),
            players_text(tournament),
            Cell(ends, "muted" if ends == "Ended" else None),
            state_cell(tournament, joined),
        ]

    def update(self, dt: float) -> None:
        super().update(dt)
        self._since_render += dt
        if self._since_render >= _TIME_REFRESH_S and self.shown:
            self._render()

    # navigation -----------------------------------------------------------------

    def selected_tournament(self) -> Tournament | None:
        """The tournament of the selected row."""
        index = self.table.selected
        if index is None or not 0 <= index < len(self.shown):
            return None
        return self.shown[index]

    def _row_selected(self, index: int | None) -> None:
        chosen = index is not None and 0 <= index < len(self.shown)
        self.details.enabled = chosen
        self.leaderboard.enabled = chosen

    def _open_row(self, index: int) -> None:
        self.open_details()

    def open_details(self) -> None:
        """Show the selected tournament's details."""
        from kgen_pygame.panels.tournament_details import TournamentDetailsPanel

        tournament = self.selected_tournament()
        if tournament is not None:
            self.push(TournamentDetailsPanel(self.overlay, tournament.uid, tournament,
                                             on_change=self.load))

    def open_leaderboard(self) -> None:
        """Show the selected tournament's leaderboard."""
        from kgen_pygame.panels.leaderboard import LeaderboardPanel

        tournament = self.selected_tournament()
        if tournament is not None:
            self.push(LeaderboardPanel(self.overlay, tournament.uid))
