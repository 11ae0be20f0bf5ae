"""Rewards: what the player won and has not claimed yet; claim all of them (or one).

Claiming all is always possible. Claiming one reward needs an API that names rewards
(capability ``selective_claim``, our v1 contract): the current API lists rewards without
an id and claims all at once (C16), so there the panel offers *Claim all* only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kgen_pygame.errors import KGenError
from kgen_pygame.models import ClaimResult, Reward, Rewards, Tournament
from kgen_pygame.panels.base import Panel
from kgen_pygame.panels.formatting import amount, money, plural, signed, total, when
from kgen_pygame.panels.widgets import ActionButton, MessageBar, StatusBlock, Tile, every_digit
from kgen_pygame.ui import Cell, CellValue, Column, Row, Table, TableColumn, Widget

if TYPE_CHECKING:
    from kgen_pygame.panels.overlay import KGenOverlay

#: At most this many tournaments are looked up for their titles per list.
_TITLE_LOOKUPS = 8


def _source(reward: Reward) -> str:
    """Where a reward came from: as the server says, else a tournament when it names one
    (the current API's rewards are tournament prizes, C19)."""
    if reward.source:
        return reward.source.title()
    return "Tournament" if reward.tournament_id else "Reward"


def untitled(rewards: Rewards) -> tuple[Rewards, list[str]]:
    """``rewards`` and the tournaments (sorted uids) of those that came without a title
    (worked out on a worker thread: 5,000 rewards)."""
    wanted = {
        reward.tournament_id for reward in rewards.rewards
        if not reward.title and reward.tournament_id
    }
    return rewards, sorted(wanted)


class RewardsPanel(Panel):
    """Unclaimed rewards (title, source, date, amount) and the total claimable.

    Select a row and press *Claim selected* (where the API can), or *Claim all* (with a
    confirm dialog). After a claim the list and the balance are fetched again.
    """

    name = "rewards"

    def __init__(self, overlay: KGenOverlay) -> None:
        super().__init__(overlay)
        self.rewards: tuple[Reward, ...] = ()
        self._seen_balance: object = None
        #: Titles of the tournaments rewards came from, looked up where the reward has none.
        self._titles: dict[str, str] = {}
        self._asked_titles: set[str] = set()

    def build(self) -> Widget:
        self.claimable = Tile("CLAIMABLE", "...", tone="success")
        self.count = Tile("REWARDS", "...")
        self.balance = Tile("BALANCE", "...")
        self.table = Table(
            [
                TableColumn("REWARD", 3.2, min_width=150, priority=10),
                TableColumn("SOURCE", 1.4, tone="muted", priority=2),
                TableColumn("DATE", 1.6, tone="muted", cut=False, priority=4),
                TableColumn("AMOUNT", 1.4, "right", cut=False, priority=9),
            ],
            selectable=True,
            on_activate=self._activate_row,
            on_select=self._row_selected,
            empty_text="No rewards to claim - win a tournament to earn some!",
        )
        self.status = StatusBlock()
        self.message = MessageBar()
        self.claim_one = ActionButton("Claim selected", self.claim_selected, enabled=False,
                                      working_text="Claiming...",
                                      sizes_for=every_digit("Claim 8,888.88"),
                                      visible=self.kgen.supports("selective_claim"))
        self.claim_all = ActionButton("Claim all", self.ask_claim_all, kind="primary",
                                      enabled=False, working_text="Claiming...")
        self.initial_focus = self.table
        body = Column(
            Row(self.claimable, self.count, self.balance, justify="fill"),
            self.status,
            self.table,
            self.message,
            Row(self.claim_one, self.claim_all, justify="end"),
        )
        return self.frame(
            "Rewards", body, subtitle="Claimed rewards go to your in-game wallet (earned balance)"
        )

    @property
    def row_count(self) -> int:
        return self.table.row_count

    def on_show(self) -> None:
        self.load()

    def update(self, dt: float) -> None:
        super().update(dt)
        balance = self.kgen.state.balance
        if balance is not self._seen_balance:
            self._seen_balance = balance
            self.balance.set_value(
                amount(self.kgen.state.balance_total) if balance is not None else "..."
            )

    # loading --------------------------------------------------------------------

    def load(self, *, quiet: bool = False) -> None:
        """Fetch the unclaimed rewards (``quiet`` keeps the current list on screen)."""
        if not quiet:
            self.table.visible = False
            self.status.loading("Loading your rewards...")
        self.run_prepared(self.actions.rewards(), untitled, self._show_untitled,
                          self._load_failed)

    def show_rewards(self, rewards: Rewards) -> None:
        """Show what the server sent: every reward gets a row, even one whose amount
        cannot be shown (it reads "—"), so the list never looks empty when it is not."""
        self._show_untitled(untitled(rewards))

    def _show_untitled(self, ready: tuple[Rewards, list[str]]) -> None:
        rewards, without_titles = ready
        self.status.hide()
        self.table.visible = True
        self.rewards = rewards.rewards
        self.claimable.set_value(amount(rewards.total_claimable))
        self.count.set_value(str(len(rewards.rewards)))
        self.show_rows(self.table, rewards.rewards, self._row, 4)
        self.table.select(None, notify=False)
        self._row_selected(None)
        self._look_up_titles(without_titles)
        self.claim_all.enabled = bool(rewards.rewards) and not self.claim_all.working
        if self.focused is None or not self.focused.can_focus:
            self.set_focus(self.table if rewards.rewards else None)

    def _row(self, reward: Reward) -> list[CellValue]:
        return [
            self._title(reward),
            _source(reward),
            when(reward.created_at),
            Cell(signed(reward.amount, "in"), "success"),
        ]

    def _title(self, reward: Reward) -> str:
        if reward.title:
            return reward.title
        active = self.kgen.state.schedule.by_uid.get(reward.tournament_id or "")
        if active is not None:
            return active.title
        if reward.tournament_id in self._titles:
            return self._titles[reward.tournament_id]
        if (reward.source or "").upper() == "MILESTONE":
            return "Score milestone"
        return "Tournament reward"

    def _look_up_titles(self, without_titles: list[str]) -> None:
        """Ask for the tournaments of rewards that came without a title (the current API
        sends only the tournament id) and are no longer in the active list."""
        active = self.kgen.state.schedule.by_uid
        wanted = [uid for uid in without_titles
                  if uid not in active and uid not in self._asked_titles]
        for uid in wanted[:_TITLE_LOOKUPS]:
            self._asked_titles.add(uid)
            self.run(self.actions.tournament(uid), self._title_found, lambda _error: None)

    def _title_found(self, tournament: Tournament) -> None:
        if tournament.title:
            self._titles[tournament.uid] = tournament.title
            self.show_rows(self.table, self.rewards, self._row, 4)

    def _load_failed(self, error: KGenError) -> None:
        if self.table.visible and self.rewards:
            self.message.show_error(error, lambda: self.load(quiet=True))
            return
        self.table.visible = False
        self.status.show_error(error, self.load)

    # claiming -------------------------------------------------------------------

    def _row_selected(self, index: int | None) -> None:
        reward = self._reward_at(index)
        if reward is None:
            self.claim_one.set_label("Claim selected")
            self.claim_one.enabled = False
            return
        self.claim_one.set_label(f"Claim {amount(reward.amount)}")
        self.claim_one.enabled = reward.uid is not None and not self.claim_one.working

    def _activate_row(self, index: int) -> None:
        self._row_selected(index)
        if self.claim_one.visible and self.claim_one.enabled:
            self.set_focus(self.claim_one)
        elif self.claim_all.enabled:
            self.set_focus(self.claim_all)

    def _reward_at(self, index: int | None) -> Reward | None:
        if index is None or not 0 <= index < len(self.rewards):
            return None
        return self.rewards[index]

    def claim_selected(self) -> None:
        """Claim the reward of the selected row."""
        reward = self._reward_at(self.table.selected)
        if (reward is None or reward.uid is None or self.claim_one.working
                or not self.claim_one.visible):
            return
        self._claim([reward.uid], self.claim_one)

    def ask_claim_all(self) -> None:
        """Confirm, then claim every reward."""
        if not self.rewards or self.root is None:
            return
        claimed = total(reward.amount for reward in self.rewards)
        what = money(claimed) if claimed is not None else "Every reward"
        self.root.confirm(
            f"Claim {plural(len(self.rewards), 'reward')}?",
            f"{what} goes to your earned balance in your in-game wallet.",
            lambda: self._claim(None, self.claim_all),
            confirm_label="Claim all",
        )

    def _claim(self, ids: list[str] | None, button: ActionButton) -> None:
        self.message.hide()
        button.set_working(True)
        self.run(
            self.actions.claim_rewards(ids),
            lambda result: self._claimed(result, button),
            lambda error: self._claim_failed(error, ids, button),
        )

    def _claimed(self, result: ClaimResult, button: ActionButton) -> None:
        button.set_working(False)
        if result.amount is not None:
            self.toast(f"Claimed {money(result.amount)}")
        else:
            self.toast("Rewards claimed")
        self.load(quiet=True)

    def _claim_failed(
        self, error: KGenError, ids: list[str] | None, button: ActionButton
    ) -> None:
        button.set_working(False)
        self._row_selected(self.table.selected)
        self.claim_all.enabled = bool(self.rewards)
        self.message.show_error(error, lambda: self._claim(ids, button))
        if not error.retryable:
            self.load(quiet=True)  # the list changed under us (e.g. already claimed)

