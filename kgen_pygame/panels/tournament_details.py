"""One tournament: description, schedule, prize pool, the player's status; join or leave it.

*Leave* shows only where the API can leave a tournament (capability ``leave_tournament``)
and only while the player is in a live one before its registration lock: after the lock
the result is about to be final (the sandbox refuses then; the docs only name
TOURNAMENT_IS_NOT_LIVE). It asks first, and says plainly that the docs do not promise the
entry fee back (C18).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kgen_pygame.errors import KGenError
from kgen_pygame.models import Tournament
from kgen_pygame.panels.base import Panel
from kgen_pygame.panels.formatting import (
    UNAVAILABLE,
    UNKNOWN,
    amount,
    money,
    positive,
    time_left,
    when,
)
from kgen_pygame.panels.messages import LEAVE_CLOSED, error_code
from kgen_pygame.panels.tournaments import buy_in_text, entry_status, players_text
from kgen_pygame.panels.widgets import ActionButton, InfoRow, MessageBar, StatusBlock, Tile
from kgen_pygame.ui import Column, Frame, Label, Row, Spacer, Widget

if TYPE_CHECKING:
    from kgen_pygame.panels.overlay import KGenOverlay

class TournamentDetailsPanel(Panel):
    """Details of ``uid`` and a Join button (confirm naming the stake)."""

    name = "tournament"

    def __init__(
        self,
        overlay: KGenOverlay,
        uid: str,
        known: Tournament | None = None,
        *,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(overlay)
        self.uid = uid
        self.tournament = known
        self.on_change = on_change
        self._ends_text = ""
        #: What this panel's own join / leave did, until the player state agrees.
        self._joined_here: bool | None = None

    @property
    def joined(self) -> bool:
        """True when the player is in this tournament."""
        in_state = self.uid in self.kgen.state.joined_ids
        if self._joined_here is not None and self._joined_here != in_state:
            return self._joined_here
        self._joined_here = None
        return in_state

    @property
    def can_leave(self) -> bool:
        """The API can leave, the player is in it, and it is live before its lock."""
        tournament = self.tournament
        return (
            tournament is not None
            and self.kgen.supports("leave_tournament")
            and self.joined
            and tournament.has_started()
            and not tournament.has_ended()
            and not tournament.registration_locked()
        )

    def build(self) -> Widget:
        self.description = Label("", wrap=True, tone="muted")
        self.buy_in = Tile("BUY-IN", "...", tone="accent")
        self.pool = Tile("PRIZE POOL", "...", tone="success")
        self.players = Tile("PLAYERS", "...")
        self.ends = Tile("ENDS IN", "...")
        self.starts_row = InfoRow("Starts")
        self.ends_row = InfoRow("Ends")
        self.winners_row = InfoRow("Prizes")
        self.you_row = InfoRow("You")
        self.info = Column(
            self.description,
            Row(self.buy_in, self.pool, self.players, self.ends, justify="fill"),
            self.starts_row,
            self.ends_row,
            self.winners_row,
            self.you_row,
            spacing=12,
        )
        self.status = StatusBlock()
        self.message = MessageBar()
        self.leaderboard = ActionButton("Leaderboard", self.open_leaderboard)
        self.join = ActionButton(
            "Join", self.ask_join, kind="primary", enabled=False, working_text="Joining...",
            sizes_for=("Join for free", "Joined", "Closed"),
        )
        self.leave = ActionButton("Leave", self.ask_leave, kind="danger", visible=False,
                                  working_text="Leaving...")
        self.initial_focus = self.join
        body = Column(
            self.status,
            self.info,
            self.message,
            Spacer(size=4),
            Row(self.leave, self.leaderboard, self.join, justify="end"),
            spacing=16,
        )
        self.frame_widget: Frame = self.frame("Tournament", body, subtitle=" ", height=None)
        if self.tournament is not None:
            self._show(self.tournament)
        return self.frame_widget

    def on_show(self) -> None:
        self.load()

    # loading --------------------------------------------------------------------

    def load(self) -> None:
        """Fetch the tournament and whether the player joined it."""
        if self.tournament is None:
            self.info.visible = False
            self.status.loading("Loading the tournament...")
        self.run(self.actions.tournament(self.uid), self._loaded, self._failed)
        self.run(self.actions.joined_tournaments(), lambda _ids: self._refresh_you(),
                 lambda _error: None)

    def _loaded(self, tournament: Tournament) -> None:
        self.tournament = tournament
        self._show(tournament)

    def _failed(self, error: KGenError) -> None:
        if self.tournament is not None:
            self.message.show_error(error, self.load)
            return
        self.info.visible = False
        self.status.show_error(error, self.load)

    def _show(self, tournament: Tournament) -> None:
        self.status.hide()
        self.info.visible = True
        self.frame_widget.title = tournament.title
        status = (tournament.status or "").upper()
        self.frame_widget.subtitle = {
            "STARTED": "Live now",
            "SCHEDULED": "Coming up",
            "COMPLETED": "Finished",
        }.get(status, status.title() or " ")
        self.description.set_text(tournament.description or "No description.")
        self.buy_in.set_value(buy_in_text(tournament))
        pool = tournament.prize_pool
        self.pool.set_value(amount(pool) if pool is None or pool != 0 else UNKNOWN)
        self.players.set_value(players_text(tournament))
        self.starts_row.set(when(tournament.starts_at))
        self.ends_row.set(when(tournament.ends_at))
        rewarded = tournament.total_players_rewarded
        self.winners_row.set(
            f"Top {rewarded} share the prize pool" if rewarded else "Top places share the pool"
        )
        self._tick()
        self._refresh_you()
        focused = self.focused
        if focused is None or not focused.can_focus or focused is self.leave:
            # Never rest on Leave by default: Join where it can, else the standings.
            self.set_focus(self.join if self.join.enabled else self.leaderboard)
        self.request_layout()

    def _refresh_you(self) -> None:
        tournament = self.tournament
        if tournament is None:
            return
        status = entry_status(tournament, self.joined)
        text, tone = status.sentence, status.tone
        enabled = status.can_join
        if not status.can_join:
            label = status.label
        elif amount(tournament.buy_in) == UNAVAILABLE:
            text, tone, label, enabled = "The buy-in can't be shown right now", "warning", (
                "Join"), False
        elif positive(tournament.buy_in):
            label = f"Join for {money(tournament.buy_in)}"
        else:
            label = "Join for free"
        if label not in self.join.captions():
            self.join.sizes_for = (*self.join.sizes_for, label)
        self.you_row.set(text, tone=tone)
        self.join.set_label(label)
        if not self.join.working:
            self.join.enabled = enabled
        self.leave.visible = self.can_leave or self.leave.working

    def update(self, dt: float) -> None:
        super().update(dt)
        self._tick()

    def _tick(self) -> None:
        """Keep "ends in" current; text renders only when the shown value changes."""
        tournament = self.tournament
        if tournament is None:
            return
        text = time_left(tournament.ends_at)
        if text != self._ends_text:  # at most once a second
            self._ends_text = text
            self.ends.set_value(text, tone="muted" if text == "Ended" else "text")
            self._refresh_you()  # the registration lock or the end may just have passed

    # joining --------------------------------------------------------------------

    def ask_join(self) -> None:
        """Confirm the stake, then join."""
        tournament = self.tournament
        if tournament is None or self.root is None or self.join.working:
            return
        stake = tournament.buy_in
        if positive(stake):
            balance = self.kgen.state.balance_total
            message = (
                f"The entry fee of {money(stake)} is taken from your balance (bonus first, "
                f"then earned). You have {money(balance)}."
            )
            label = f"Pay {amount(stake)} & join"
        else:
            message = "Entry is free. Your best score while it runs counts."
            label = "Join"
        self.root.confirm(f"Join {tournament.title}?", message, self._join, confirm_label=label)

    def _join(self) -> None:
        tournament = self.tournament
        if tournament is None:
            return
        self.message.hide()
        self.join.set_working(True)
        self.run(
            self.actions.join_tournament(self.uid, tournament.buy_in),
            lambda _message: self._joined(tournament),
            self._join_failed,
        )

    def _joined(self, tournament: Tournament) -> None:
        self.join.set_working(False)
        self.toast(f"You joined {tournament.title}")
        self._joined_here = True  # kgen.state catches up with the refresh join triggers
        self._refresh_you()
        self.load()
        if self.on_change is not None:
            self.on_change()

    def _join_failed(self, error: KGenError) -> None:
        self.join.set_working(False)
        self._refresh_you()
        retry = self._join if error.retryable else None
        self.message.show_error(error, retry)

    # leaving ----------------------------------------------------------------------

    def ask_leave(self) -> None:
        """Confirm, then leave."""
        tournament = self.tournament
        if tournament is None or self.root is None or self.leave.working:
            return
        if positive(tournament.buy_in):
            refund = (f" KGeN does not promise your entry fee of {money(tournament.buy_in)} "
                      "back.")
        else:
            refund = ""
        self.root.confirm(
            f"Leave {tournament.title}?",
            f"Your scores in it stop counting.{refund}",
            self._leave,
            confirm_label="Leave",
            cancel_label="Stay",
            danger=True,
        )

    def _leave(self) -> None:
        tournament = self.tournament
        if tournament is None:
            return
        self.message.hide()
        self.leave.set_working(True)
        self.run(
            self.actions.leave_tournament(self.uid),
            lambda _message: self._left(tournament),
            self._leave_failed,
        )

    def _left(self, tournament: Tournament) -> None:
        self.leave.set_working(False)
        self.toast(f"You left {tournament.title}")
        self._joined_here = False  # kgen.state catches up with the refresh leave triggers
        self._refresh_you()
        if self.join.enabled:
            self.set_focus(self.join)
        self.load()
        if self.on_change is not None:
            self.on_change()

    def _leave_failed(self, error: KGenError) -> None:
        self.leave.set_working(False)
        self._refresh_you()
        if error_code(error) == "TOURNAMENT_IS_NOT_LIVE":
            self.message.show(LEAVE_CLOSED, tone="warning")
            return
        self.message.show_error(error, self._leave if error.retryable else None)

    def open_leaderboard(self) -> None:
        """Show this tournament's standings."""
        from kgen_pygame.panels.leaderboard import LeaderboardPanel

        self.push(LeaderboardPanel(self.overlay, self.uid))
