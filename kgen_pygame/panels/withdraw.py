"""Withdraw: move earned KGeN from the in-game wallet to the player's KGeN wallet.

Shows the balances and the minimum, takes an amount (default: everything
earned), checks it before asking, confirms, and shows where the money went
and how far it got: done, or only requested while the server says pending.
Without a linked wallet it first walks the player through linking and then
comes back here.

An amount can be chosen only where the API takes one (capability
``partial_withdraw``, our v1 contract). The current API withdraws the whole earned
balance (C11): there the form shows that amount instead of a field, and the result
names only what the server said.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from kgen_pygame.errors import KGenError
from kgen_pygame.models import WalletBalance, WithdrawResult
from kgen_pygame.panels import fields, inputs
from kgen_pygame.panels.base import Panel
from kgen_pygame.panels.formatting import (
    amount,
    editable_amount,
    money,
    positive,
    showable,
    total,
)
from kgen_pygame.panels.link import LinkPanel
from kgen_pygame.panels.messages import error_code, player_message
from kgen_pygame.panels.wallets import (
    EXPLAINED,
    KGEN,
    kgen_wallet,
    linked_kgen_wallet,
    linked_phone,
)
from kgen_pygame.panels.widgets import ActionButton, InfoRow, MessageBar, StatusBlock, Tile
from kgen_pygame.ui import Column, Label, Row, Spacer, ToastTone, Tone, Widget

if TYPE_CHECKING:
    from kgen_pygame.panels.overlay import KGenOverlay

Stage = Literal["loading", "unlinked", "form", "result"]
#: Shown with a done withdrawal: the wallet history tracks the transfer itself.
SETTLING = "History lists the transfer as pending until it settles in your KGeN wallet."

_DONE = frozenset({"SUCCESS", "SUCCEEDED", "SUCCESSFUL", "COMPLETED", "COMPLETE", "DONE",
                   "CONFIRMED"})
_FAILED = frozenset({"FAILED", "FAILURE", "REJECTED", "ERROR", "CANCELLED", "CANCELED"})
#: Errors about the amount: shown under the amount field where there is one.
_AMOUNT_CODES = frozenset({"BELOW_MIN_WITHDRAW", "AMOUNT_EXCEEDS_BALANCE", "VALIDATION_ERROR"})
#: The result's amount where the API withdraws everything and does not say how much.
WHOLE_BALANCE = "All your earned KGeN"


@dataclass(frozen=True, slots=True)
class WithdrawOutcome:
    """What to tell the player about a withdrawal, from the server's status only."""

    headline: str
    status: str
    tone: Tone
    toast_tone: ToastTone


def withdraw_outcome(status: str | None, sent: Decimal | None) -> WithdrawOutcome:
    """Done only when the server says done; failed when it says so; else requested."""
    word = (status or "").strip().upper()
    what = money(sent) if sent is not None else ""
    if word in _DONE:
        headline = f"Withdrew {what}" if what else "Withdrawal done"
        return WithdrawOutcome(headline, "Done", "success", "success")
    if word in _FAILED:
        return WithdrawOutcome("Withdrawal failed", word.title(), "danger", "danger")
    headline = f"Withdrawal of {what} requested" if what else "Withdrawal requested"
    shown = word.title() if word else "Requested - not confirmed yet"
    return WithdrawOutcome(headline, shown, "warning", "info")


def can_withdraw(wallet: WalletBalance) -> bool:
    """Something earned and at least the minimum (False when either cannot be shown)."""
    minimum = showable(wallet.min_to_withdraw)
    return positive(wallet.earned) and minimum is not None and wallet.earned >= minimum


class WithdrawPanel(Panel):
    """Balances (earned, bonus, total, minimum), amount, confirm, result."""

    name = "withdraw"

    def __init__(self, overlay: KGenOverlay) -> None:
        super().__init__(overlay)
        self.stage: Stage = "loading"
        self.wallet: WalletBalance | None = None
        self.result: WithdrawResult | None = None
        #: True where the API takes an amount; else the whole earned balance goes.
        self.partial = self.kgen.supports("partial_withdraw")
        self._destination_seen: tuple[object, ...] = ()

    def build(self) -> Widget:
        self.earned = Tile("EARNED", "...", tone="accent")
        self.bonus = Tile("BONUS", "...")
        self.total = Tile("TOTAL", "...")
        self.minimum = Tile("MINIMUM", "...", tone="muted")
        self.tiles = Row(self.earned, self.bonus, self.total, self.minimum, justify="fill")

        self.unlinked = Column(
            Label(f"Link your {KGEN} first", role="title"),
            Label(
                f"Withdrawals go to your {KGEN}, which linking your phone creates. It takes "
                "a minute: we text you a code, you type it in, and you come straight back here.",
                wrap=True,
                tone="muted",
            ),
            visible=False,
        )

        self.amount = fields.amount_field(on_submit=lambda _text: self.ask())
        self.destination = InfoRow("Goes to")
        self.max = ActionButton("Max", self.fill_max, min_width=96)
        self.whole = InfoRow("Amount: your whole earned balance")
        self.amount.visible = self.max.visible = self.partial
        self.whole.visible = not self.partial
        self.form = Column(
            Row(self.amount, self.max, align="center", visible=self.partial),
            self.whole,
            self.destination,
            Label(EXPLAINED, role="small", tone="muted", wrap=True),
            visible=False,
        )

        self.result_title = Label("", role="title", tone="success")
        self.result_amount = InfoRow("Amount")
        self.result_wallet = InfoRow("Sent to")
        self.result_status = InfoRow("Status")
        self.result_left = InfoRow("Earned balance now")
        self.result_note = Label(SETTLING, role="small", tone="muted", wrap=True)
        self.result_view = Column(
            self.result_title, self.result_amount, self.result_wallet, self.result_status,
            self.result_left, self.result_note, visible=False,
        )

        self.status = StatusBlock()
        self.message = MessageBar()
        self.close_button = ActionButton("Close", self.close)
        self.link = ActionButton("Link wallet", self.start_linking, kind="primary")
        self.withdraw = ActionButton("Withdraw", self.ask, kind="primary",
                                     working_text="Withdrawing...")
        self.done = ActionButton("Done", self.close, kind="primary")
        body = Column(
            self.tiles,
            self.status,
            self.unlinked,
            self.form,
            self.result_view,
            self.message,
            Spacer(size=4),
            Row(self.close_button, self.link, self.withdraw, self.done, justify="end"),
            spacing=18,
        )
        self._set_stage("loading")
        return self.frame("Withdraw", body, subtitle=f"From your in-game wallet to your {KGEN}",
                          width=860, max_width=860, height=None)

    def on_show(self) -> None:
        self.load()

    def _set_stage(self, stage: Stage) -> None:
        self.stage = stage
        self.unlinked.visible = stage == "unlinked"
        self.form.visible = stage == "form"
        self.result_view.visible = stage == "result"
        self.link.visible = stage == "unlinked"
        self.withdraw.visible = stage == "form"
        self.done.visible = stage == "result"
        self.close_button.visible = stage != "result"
        if stage != "loading":
            self.status.hide()
        form_focus = self.amount if self.partial else self.withdraw
        focus = {"unlinked": self.link, "form": form_focus, "result": self.done}.get(stage)
        if focus is not None:
            self.set_focus(focus)

    # loading --------------------------------------------------------------------

    def load(self) -> None:
        """Fetch the balance, then show the form (or the linking step)."""
        self.message.hide()
        self._set_stage("loading")
        self.status.loading("Loading your balance...")
        self.run(self.actions.wallet_balance(), self.show_balance, self._load_failed)
        if self.kgen.supports("linked_account"):
            # Where the money goes, as the platform keeps it (update() shows it).
            self.run(self.actions.linked_account(), lambda _account: None, lambda _error: None)

    def show_balance(self, wallet: WalletBalance) -> None:
        """Show the balance the server sent, then the form (or the linking step first)."""
        self.wallet = wallet
        self._show_balances(wallet)
        if not self.kgen.state.linked:
            self._set_stage("unlinked")
            return
        self._show_destination()
        self.amount.set_text(editable_amount(wallet.earned) if positive(wallet.earned) else "",
                             notify=False)
        self.amount.error = None
        self.whole.set(money(wallet.earned))
        self._set_stage("form")
        allowed = can_withdraw(wallet)
        if showable(wallet.earned) is None or showable(wallet.min_to_withdraw) is None:
            self.message.show(
                "Your balance can't be shown right now, so nothing can be withdrawn. "
                "Please try again later.",
                tone="warning",
                action=self.load,
            )
        elif not allowed:
            self.message.show(
                f"You can withdraw once you have earned at least {money(wallet.min_to_withdraw)}"
                f" - you have {money(wallet.earned)}. Win tournaments to earn more.",
                tone="warning",
            )
        self.withdraw.enabled = allowed
        self.max.enabled = positive(wallet.earned)

    def _show_destination(self) -> None:
        state = self.kgen.state
        self._destination_seen = (state.linked_account, state.session)
        phone = linked_phone(state)
        where = kgen_wallet(linked_kgen_wallet(state))
        self.destination.set(f"{where} ({phone})" if phone else where)

    def update(self, dt: float) -> None:
        super().update(dt)
        state = self.kgen.state
        if self.stage == "form" and self._destination_seen != (state.linked_account,
                                                                state.session):
            self._show_destination()

    def _show_balances(self, wallet: WalletBalance) -> None:
        self.earned.set_value(amount(wallet.earned))
        self.bonus.set_value(amount(wallet.bonus))
        self.total.set_value(amount(total((wallet.earned, wallet.bonus, wallet.bought))))
        self.minimum.set_value(amount(wallet.min_to_withdraw))

    def _load_failed(self, error: KGenError) -> None:
        self.status.show_error(error, self.load)

    # linking --------------------------------------------------------------------

    def start_linking(self) -> None:
        """Step 1: link the wallet; the link panel comes back here when done."""
        self.push(
            LinkPanel(
                self.overlay,
                on_linked=self.load,
                subtitle="Step 1 of 2: verify your phone - then you can withdraw",
            )
        )

    # withdrawing ----------------------------------------------------------------

    def fill_max(self) -> None:
        """Put the whole earned balance in the amount field."""
        if self.wallet is not None:
            self.amount.set_text(editable_amount(self.wallet.earned))
            self.amount.error = None

    def ask(self) -> None:
        """Check the amount (or that the whole balance may go), then confirm."""
        wallet = self.wallet
        if wallet is None or self.withdraw.working or self.root is None:
            return
        if self.partial:
            value, problem = inputs.check_withdraw_amount(
                self.amount.text, earned=wallet.earned, minimum=wallet.min_to_withdraw
            )
            if value is None:
                self.amount.error = problem
                self.set_focus(self.amount)
                return
            self.amount.error = None
            what = money(value)
        elif can_withdraw(wallet):
            value = None
            what = f"All of your earned balance, {money(wallet.earned)},"
        else:
            return  # the button is disabled and the reason shown (show_balance)
        phone = linked_phone(self.kgen.state)
        target = f"your {KGEN} (linked to {phone})" if phone else f"your {KGEN}"
        self.root.confirm(
            f"Withdraw {money(value if value is not None else wallet.earned)}?",
            f"{what} goes from your in-game wallet to {target}. This can't be undone.",
            lambda: self._withdraw(value),
            confirm_label="Withdraw",
        )

    def _withdraw(self, value: Decimal | None) -> None:
        """Withdraw ``value`` (None: the whole earned balance, where the API takes no amount)."""
        self.message.hide()
        self.withdraw.set_working(True)
        self.max.enabled = False
        self.run(
            self.actions.withdraw(value),
            self._withdrawn,
            lambda error: self._withdraw_failed(error, value),
        )

    def _withdrawn(self, result: WithdrawResult) -> None:
        self.withdraw.set_working(False)
        self.result = result
        outcome = withdraw_outcome(result.status, result.amount)
        self.toast(outcome.headline, outcome.toast_tone)
        self.result_title.set_text(outcome.headline, tone=outcome.tone)
        self.result_amount.set(money(result.amount) if result.amount is not None
                               else WHOLE_BALANCE)
        # The current API does not say where it went: to the linked KGeN wallet (C11).
        destination = result.destination_wallet or linked_kgen_wallet(self.kgen.state)
        self.result_wallet.set(kgen_wallet(destination))
        self.result_status.set(outcome.status, tone=outcome.tone)
        self.result_note.visible = outcome.tone == "success"
        self.result_left.set("...")
        self._set_stage("result")
        self.run(self.actions.wallet_balance(), self._refreshed, lambda _error: None)

    def _refreshed(self, wallet: WalletBalance) -> None:
        self.wallet = wallet
        self._show_balances(wallet)
        self.result_left.set(money(wallet.earned))

    def _withdraw_failed(self, error: KGenError, value: Decimal | None) -> None:
        self.withdraw.set_working(False)
        self.max.enabled = True
        code = error_code(error)
        text = player_message(error)
        if code == "WALLET_NOT_LINKED":
            self._set_stage("unlinked")
        elif code in _AMOUNT_CODES and self.partial:
            self.amount.error = text
            self.set_focus(self.amount)
        elif code in _AMOUNT_CODES:
            self.message.show(text, tone="warning", action=self.load)
        else:
            self.message.show_error(error, lambda: self._withdraw(value))
