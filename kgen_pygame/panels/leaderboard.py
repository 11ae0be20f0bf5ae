"""Leaderboard: rank, player and score of one tournament, the player's own row highlighted.

It opens on the tournament being played (``kgen.state.playing_tournament_id``),
else on a joined one; and when the shown tournament ends (it leaves the live
list, or rewards for it arrive) an open board fetches itself again, so its
Prize column agrees with the HUD's "1 to claim" without pressing Refresh.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING

from kgen_pygame.errors import KGenError
from kgen_pygame.models import Leaderboard, LeaderboardEntry, Tournament
from kgen_pygame.panels.base import Panel
from kgen_pygame.panels.formatting import UNKNOWN, amount, plain_number, plural, signed
from kgen_pygame.panels.widgets import ActionButton, MessageBar, StatusBlock, Tile
from kgen_pygame.ui import (
    Button,
    Cell,
    CellValue,
    Column,
    Label,
    Row,
    Table,
    TableColumn,
    Widget,
)

if TYPE_CHECKING:
    from kgen_pygame.panels.overlay import KGenOverlay


#: Taller than other panels: the standings are what the player came for.
LEADERBOARD_HEIGHT = 0.9


@dataclass(frozen=True, slots=True)
class RankedBoard:
    """A leaderboard made ready to show (built on a worker thread): entries in rank
    order, the prize of each winner, and where the player's own row is."""

    board: Leaderboard
    entries: list[LeaderboardEntry]
    prizes: dict[str, Decimal | None]
    own_index: int | None

    @classmethod
    def of(cls, board: Leaderboard, me: str) -> RankedBoard:
        entries = sorted(board.entries, key=attrgetter("rank"))
        own = next((i for i, entry in enumerate(entries) if entry.user_id == me), None)
        prizes = {winner.user_id: winner.reward for winner in board.winners}
        return cls(board, entries, prizes, own)


class LeaderboardPanel(Panel):
    """Standings, prize pool and winners; ``<`` / ``>`` pick another tournament."""

    name = "leaderboard"

    def __init__(self, overlay: KGenOverlay, uid: str | None = None) -> None:
        super().__init__(overlay)
        self.uid = uid
        self.choices: list[Tournament] = []
        self.board: Leaderboard | None = None
        self.own_index: int | None = None
        self._request = 0
        self._watched: tuple[object, object] | None = None
        self._ending_key: tuple[object, ...] | None = None

    def build(self) -> Widget:
        self.prev = Button("Prev", lambda: self.step(-1), min_width=104)
        self.next = Button("Next", lambda: self.step(1), min_width=104)
        self.picked = Label("...", align="center", grow=1)
        self.pool = Tile("PRIZE POOL", "...", tone="success", role="body")
        self.players = Tile("PLAYERS", "...", role="body")
        self.rank = Tile("YOUR RANK", "...", tone="accent", role="body")
        self.score = Tile("YOUR SCORE", "...", role="body")
        self.table = Table(
            [
                TableColumn("RANK", 0.9, cut=False, priority=8),
                TableColumn("PLAYER", 3.2, min_width=150, priority=10),
                TableColumn("SCORE", 1.5, "right", cut=False, priority=9),
                TableColumn("PRIZE", 1.4, "right", cut=False, priority=7),
            ],
            empty_text="No scores yet - be the first!",
        )
        self.status = StatusBlock()
        self.message = MessageBar()
        self.footer = Label("", role="small", tone="muted", grow=1)
        self.refresh = ActionButton("Refresh", lambda: self.load_board(quiet=True),
                                    working_text="Refreshing...")
        self.initial_focus = self.table
        body = Column(
            Row(self.prev, self.picked, self.next),
            Row(self.pool, self.players, self.rank, self.score, justify="fill"),
            self.status,
            self.table,
            self.message,
            Row(self.footer, self.refresh),
        )
        return self.frame(
            "Leaderboard", body, subtitle="Your row is highlighted", height=LEADERBOARD_HEIGHT
        )

    @property
    def row_count(self) -> int:
        return self.table.row_count if self.board is not None else 0

    @property
    def tournament(self) -> Tournament | None:
        """The tournament shown (when its details are known)."""
        for choice in self.choices:
            if choice.uid == self.uid:
                return choice
        return None

    def on_show(self) -> None:
        if self.uid is None:
            self.uid = self.kgen.state.playing_tournament_id
        self._set_choices(self.kgen.state.schedule.by_players)
        if self.uid is None and not self.choices:
            self.status.loading("Loading tournaments...")
            self.table.visible = False
            self.run(self.actions.active_tournaments(), self._got_live, self._fail_board)
            return
        if self.uid is not None and self.tournament is None:
            self.run(self.actions.tournament(self.uid), self._got_one, lambda _error: None)
        self.load_board()

    # choosing -------------------------------------------------------------------

    def _set_choices(self, tournaments: Sequence[Tournament]) -> None:
        """Joined tournaments first, then by players (``tournaments`` come in that order,
        :attr:`TournamentSchedule.by_players`, sorted on a worker thread)."""
        joined = self.kgen.state.joined_ids
        ordered = [t for t in tournaments if t.uid in joined]
        ordered += [t for t in tournaments if t.uid not in joined]
        known = {t.uid for t in ordered} if self.choices else set()
        extra = [t for t in self.choices if t.uid not in known]
        self.choices = extra + ordered
        if self.uid is None and self.choices:
            self.uid = self.choices[0].uid
        self._show_choice()

    def _got_live(self, _tournaments: list[Tournament]) -> None:
        # The list reached the state first, sorted there (Actions.active_tournaments).
        self._set_choices(self.kgen.state.schedule.by_players)
        if self.uid is None:
            self.status.fail("There are no tournaments to show right now.", self.on_open)
            return
        self.load_board()

    def _got_one(self, tournament: Tournament) -> None:
        if all(choice.uid != tournament.uid for choice in self.choices):
            self.choices.insert(0, tournament)
        self._show_choice()

    def _show_choice(self) -> None:
        tournament = self.tournament
        self.picked.set_text(tournament.title if tournament is not None else "Tournament")
        several = len(self.choices) > 1
        self.prev.enabled = several
        self.next.enabled = several

    def step(self, direction: int) -> None:
        """Show the previous (-1) or next (+1) tournament."""
        if len(self.choices) < 2:
            return
        index = next((i for i, t in enumerate(self.choices) if t.uid == self.uid), 0)
        self.uid = self.choices[(index + direction) % len(self.choices)].uid
        self._show_choice()
        self.board = None
        self.load_board()

    # loading --------------------------------------------------------------------

    def load_board(self, *, quiet: bool = False) -> None:
        """Fetch the standings of the chosen tournament."""
        uid = self.uid
        if uid is None:
            return
        self.message.hide()
        if not quiet or self.board is None:
            self.table.visible = False
            self.status.loading("Loading the leaderboard...")
        self.refresh.set_working(True)
        self._request += 1
        request = self._request
        me = self.kgen.gamer_id
        self.run_prepared(
            self.actions.leaderboard(uid),
            lambda board: RankedBoard.of(board, me),
            lambda ranked: self._show(ranked, request),
            lambda error: self._fail_board(error, request),
        )

    def _show(self, ranked: RankedBoard, request: int) -> None:
        if request != self._request:
            return  # the player switched tournaments meanwhile
        self._show_ranked(ranked)

    def show_board(self, board: Leaderboard) -> None:
        """Show the standings the server sent (scores or prizes that cannot be shown read
        "—"; the rows are there all the same)."""
        self._show_ranked(RankedBoard.of(board, self.kgen.gamer_id))

    def _show_ranked(self, ranked: RankedBoard) -> None:
        board, entries, prizes = ranked.board, ranked.entries, ranked.prizes
        self.refresh.set_working(False)
        self.board = board
        self.status.hide()
        self.table.visible = True
        me = self.kgen.gamer_id
        self.own_index = ranked.own_index

        def row(entry: LeaderboardEntry) -> list[CellValue]:
            mine = entry.user_id == me
            prize = prizes.get(entry.user_id)
            return [
                Cell(f"#{plain_number(entry.rank)}", "accent_text" if mine else (
                    "accent" if entry.rank <= 3 else None)),
                Cell(f"{entry.user_id} (you)", "accent_text") if mine else entry.user_id,
                plain_number(entry.score),
                Cell(signed(prize, "in"), "success") if prize is not None and prize != 0
                else Cell(UNKNOWN, "muted"),
            ]

        self.show_rows(self.table, entries, row, 4, highlight=self.own_index)
        self._watched = self._ending_key = None  # this board matches the state as it is now
        if self.focused is None or self.focused in (self.prev, self.next, self.refresh):
            self.set_focus(self.table)
        if self.own_index is not None:
            self.table.ensure_visible(self.own_index, centre=True)
            mine_entry = entries[self.own_index]
            self.rank.set_value(f"#{plain_number(mine_entry.rank)}", tone="accent")
            self.score.set_value(plain_number(mine_entry.score))
        else:
            self.rank.set_value("-", tone="muted")
            self.score.set_value("-")
        tournament = self.tournament
        pool = board.prize_pool if board.prize_pool is not None else (
            tournament.prize_pool if tournament is not None else None
        )
        self.pool.set_value(amount(pool) if pool is not None else "-")
        self.players.set_value(plain_number(len(entries)))
        if board.winners:
            self.footer.set_text(f"Final standings - {plural(len(board.winners), 'prize')} paid")
        elif tournament is not None and tournament.total_players_rewarded:
            self.footer.set_text(f"Top {tournament.total_players_rewarded} share the prize pool")
        else:
            self.footer.set_text("The top places share the prize pool")

    def update(self, dt: float) -> None:
        super().update(dt)
        state = self.kgen.state
        if self.board is None or self.refresh.working:
            return
        watched = (state.rewards, state.tournaments)
        if self._watched is not None and watched[0] is self._watched[0] and (
                watched[1] is self._watched[1]):
            return  # nothing new arrived (identity checks only, every frame)
        self._watched = watched
        key = self._ending()
        if self._ending_key is not None and key != self._ending_key:
            self.load_board(quiet=True)  # the tournament ended, or its rewards came
        self._ending_key = key

    def _ending(self) -> tuple[object, ...]:
        """What changes when the shown tournament ends: live or not, rewards for it."""
        state = self.kgen.state
        live = any(t.uid == self.uid for t in state.live_tournaments)
        rewards = state.rewards.rewards if state.rewards is not None else ()
        mine = tuple(sorted(r.uid or "" for r in rewards if r.tournament_id == self.uid))
        return (self.uid, live, mine)

    def _fail_board(self, error: KGenError, request: int | None = None) -> None:
        if request is not None and request != self._request:
            return
        self.refresh.set_working(False)
        if self.board is not None:
            self.message.show_error(error, lambda: self.load_board(quiet=True))
            return
        self.table.visible = False
        self.status.show_error(error, self.load_board)
