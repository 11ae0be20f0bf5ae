"""Tournaments: what is live now, what the player joined; opens details and leaderboards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from kgen_pygame.errors import KGenError
from kgen_pygame.models import Tournament
from kgen_pygame.panels.base import Panel, unchanged
from kgen_pygame.panels.formatting import (
    UNAVAILABLE,
    amount,
    plain_number,
    positive,
    time_left,
    when,
)
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
    Tone,
    Widget,
)

if TYPE_CHECKING:
    from kgen_pygame.panels.overlay import KGenOverlay

LIVE, JOINED, FINISHED = 0, 1, 2
#: Rows are re-rendered at least this often so "ends in" stays roughly right.
_TIME_REFRESH_S = 20.0
#: Ended tournaments the player joined are looked up one by one, at most this many.
_MAX_LOOKUPS = 12
#: Active lists remembered while the panel is open (to show joined ones that ended).
_KEPT_LISTS = 4


@dataclass(frozen=True, slots=True)
class EntryStatus:
    """Where the player stands with one tournament: the list's STATUS cell, the
    details' sentence and Join button come from this one place."""

    label: str
    tone: Tone
    sentence: str
    can_join: bool = False


def entry_status(tournament: Tournament, joined: bool, now: datetime | None = None) -> EntryStatus:
    """Ended, joined, coming up, closed (past its registration lock), full or open."""
    if tournament.has_ended(now):
        return EntryStatus("Ended", "muted", "This tournament has ended")
    if joined:
        return EntryStatus("Joined", "success", "Joined - your best score counts")
    if not tournament.has_started(now):
        return EntryStatus("Soon", "muted", f"Opens {when(tournament.starts_at)}")
    if tournament.registration_locked(now):
        return EntryStatus("Closed", "muted", "Registration has closed")
    if tournament.is_full:
        return EntryStatus("Full", "warning", "Full")
    return EntryStatus("Open", "accent", "Not joined yet", can_join=True)


def seconds_to_next_change(tournaments: list[Tournament], now: datetime) -> float | None:
    """Seconds until the next start, registration lock or end among ``tournaments``."""
    ahead = [
        (moment - now).total_seconds()
        for tournament in tournaments
        for moment in (tournament.starts_at, tournament.locks_at, tournament.ends_at)
        if moment is not None and moment.tzinfo is not None and moment > now
    ]
    return min(ahead, default=None)


def joined_summary(live: int, joined: int) -> str:
    """``"4 live · 1 joined"``: the menu tile and the Tournaments header say the same."""
    return f"{live} live \u00b7 {joined} joined"


def buy_in_text(tournament: Tournament) -> str:
    """``"Free"`` or ``"10.00"`` (``"—"`` when the buy-in cannot be shown)."""
    text = amount(tournament.buy_in)
    return text if text == UNAVAILABLE or positive(tournament.buy_in) else "Free"


def players_text(tournament: Tournament) -> str:
    """``"121"`` or ``"121 / 500"``."""
    count = tournament.participants_count
    if count is None:
        return "-"
    if tournament.max_players:
        return f"{plain_number(count)} / {plain_number(tournament.max_players)}"
    return plain_number(count)


class TournamentsPanel(Panel):
    """Live tournaments (title, buy-in, players, time left), the live ones the player
    joined, and the joined ones that have finished (shown apart, not counted as joined)."""

    name = "tournaments"

    def __init__(self, overlay: KGenOverlay) -> None:
        super().__init__(overlay)
        #: Tournaments looked up one by one (the joined ones that left the active list).
        self.looked_up: dict[str, Tournament] = {}
        # The active lists seen while the panel is open, newest first: an ended tournament
        # the player joined is still shown after it leaves the list (no copying of 5,000).
        self._lists: list[dict[str, Tournament]] = []
        self.shown: list[Tournament] = []
        self._loaded = False
        self._since_render = 0.0
        self._render_every = _TIME_REFRESH_S
        self._lookups_started = False
        self._seen: tuple[tuple[Tournament, ...], frozenset[str]] | None = None

    def build(self) -> Widget:
        self.tabs = Tabs(["Live", "Joined", "Finished"], self._tab_changed)
        self.summary = Label("", tone="muted", align="right", grow=1)
        self.table = Table(
            [
                TableColumn("TOURNAMENT", 3.2, min_width=170, priority=10),
                TableColumn("BUY-IN", 1.2, "right", cut=False, priority=6),
                TableColumn("PLAYERS", 1.3, "right", cut=False, priority=3),
                TableColumn("ENDS IN", 1.3, "right", cut=False, priority=4),
                TableColumn("STATUS", 1.1, "center", cut=False, priority=8),
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
        """Fetch live tournaments, then the ids of the joined ones (both land in the state)."""
        self.message.hide()
        if not self._loaded:
            self.table.visible = False
            self.status.loading("Loading tournaments...")
        self.run(self.actions.active_tournaments(), self._got_live, self._failed)

    def _got_live(self, _tournaments: list[Tournament]) -> None:
        # The list itself reached the state first (``Actions.active_tournaments``).
        self.run(self.actions.joined_tournaments(), self._got_joined, self._failed)

    def _got_joined(self, _ids: list[str]) -> None:
        self._loaded = True
        self.status.hide()
        self.table.visible = True
        self._render()
        if self.tabs.selected == FINISHED:
            self._look_up_missing()

    def _failed(self, error: KGenError) -> None:
        if self._loaded:
            self.message.show_error(error, self.load)
            return
        self.table.visible = False
        self.status.show_error(error, self.load)

    def _look_up_missing(self) -> None:
        """Details of joined tournaments that are no longer live (ended ones)."""
        if self._lookups_started:
            return
        self._lookups_started = True
        missing = [uid for uid in sorted(self.kgen.state.joined_ids) if self.known(uid) is None]
        for uid in missing[:_MAX_LOOKUPS]:
            self.run(self.actions.tournament(uid), self._got_one, lambda _error: None)

    def _got_one(self, tournament: Tournament) -> None:
        self.looked_up[tournament.uid] = tournament
        if self.tabs.selected == FINISHED:
            self._render()

    # showing --------------------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        self.table.select(None, notify=False)
        self._render()
        if index == FINISHED:
            self._look_up_missing()

    def _render(self) -> None:
        state = self.kgen.state
        self._seen = (state.tournaments, state.joined_ids)
        self._since_render = 0.0
        live = list(state.live_tournaments)
        by_uid = state.schedule.by_uid
        if not self._lists or self._lists[0] is not by_uid:
            self._lists = [by_uid, *self._lists[:_KEPT_LISTS - 1]]
        joined_live = state.joined_live_ids
        tab = self.tabs.selected
        if tab == LIVE:
            self.shown = live
            empty = "No live tournaments right now - check back soon"
        elif tab == JOINED:
            self.shown = [t for t in live if t.uid in joined_live]
            empty = "You are in no live tournament - join one from Live"
        else:
            ended = sorted(state.joined_ended_ids)
            self.shown = [t for t in map(self.known, ended) if t is not None]
            self.shown.sort(key=lambda t: t.title)
            empty = "No finished tournaments yet"
        if empty != self.table.empty_text:
            self.table.empty_text = empty
            self.table.request_layout()  # the empty-list text is rendered at layout
        selected = self.table.selected
        now = datetime.now(UTC)
        self.show_rows(self.table, self.shown, lambda t: self._row(t, now), 5)
        if selected is not None and selected < len(self.shown):
            self.table.select(selected, notify=False)
        self._row_selected(self.table.selected)
        self.summary.set_text(joined_summary(len(live), len(joined_live)))
        upcoming = (
            state.schedule.seconds_to_next_change(now.timestamp()) if tab == LIVE
            else seconds_to_next_change(self.shown, now)
        )
        self._render_every = _TIME_REFRESH_S if upcoming is None else min(
            _TIME_REFRESH_S, upcoming + 0.05
        )

    def _row(self, tournament: Tournament, now: datetime) -> list[CellValue]:
        status = entry_status(tournament, tournament.uid in self.kgen.state.joined_ids, now)
        ends = time_left(tournament.ends_at, now=now)
        buy_in = buy_in_text(tournament)
        return [
            tournament.title,
            Cell(buy_in, "success" if buy_in == "Free" else None),
            players_text(tournament),
            Cell(ends, "muted" if ends == "Ended" else None),
            Cell(status.label, status.tone),
        ]

    def update(self, dt: float) -> None:
        super().update(dt)
        if not self._loaded:
            return
        state = self.kgen.state
        self._since_render += dt
        seen = self._seen
        changed = seen is None or seen[0] is not state.tournaments or seen[1] is not (
            state.joined_ids)
        if changed and seen is not None and unchanged(state.tournaments, seen[0]) and (
                state.joined_ids == seen[1]):
            # The same tournaments in new objects (the answer a panel call just showed
            # reaching the state): nothing to render again.
            self._seen, changed = (state.tournaments, state.joined_ids), False
        if changed or (self._since_render >= self._render_every and self.shown):
            self._render()

    def known(self, uid: str) -> Tournament | None:
        """The tournament ``uid`` as last seen: looked up, or in an active list."""
        found = self.looked_up.get(uid)
        for tournaments in self._lists:
            if found is not None:
                break
            found = tournaments.get(uid)
        return found

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
