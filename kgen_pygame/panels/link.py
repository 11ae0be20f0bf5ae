"""Link wallet: verify the player's phone with a one-time code (OTP).

Three stages in one panel: the phone form, the code entry (expiry and resend
countdowns, attempts left) and the linked state (masked number). Everything
the player types is checked before a request goes out, and shown as typed.

"Resend code" uses the API's own resend call where it has one (capability
``resend_otp``), else asks again. The linked number and KGeN wallet come from the
linked-account endpoint where there is one (``linked_account``), else from the
session and the verify answer.

With a sandbox, the code it "texted" stays readable in a "Sandbox SMS" note
while the code field is open, so a typo never loses it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from kgen_pygame.errors import KGenError
from kgen_pygame.models import OtpChallenge, OtpVerification
from kgen_pygame.panels import fields, inputs
from kgen_pygame.panels.base import Panel
from kgen_pygame.panels.formatting import clock, plural, short_address, whole_seconds
from kgen_pygame.panels.messages import error_code, player_message
from kgen_pygame.panels.wallets import EXPLAINED, KGEN, linked_kgen_wallet, linked_phone
from kgen_pygame.panels.widgets import ActionButton, InfoRow, MessageBar, every_digit
from kgen_pygame.runtime.state import masked_number
from kgen_pygame.ui import Column, Label, Row, Spacer, Widget

if TYPE_CHECKING:
    from kgen_pygame.panels.overlay import KGenOverlay

Stage = Literal["phone", "code", "linked"]

DEFAULT_COUNTRY_CODE = "+91"
_DEFAULT_EXPIRY_S = 300.0
_DEFAULT_RESEND_S = 30.0
_DEFAULT_ATTEMPTS = 3
#: Codes after which the current OTP cannot be used any more: a new one is needed.
_DEAD_CODE = frozenset({"OTP_TOO_MANY_ATTEMPTS", "OTP_EXPIRED", "OTP_ALREADY_USED"})


class LinkPanel(Panel):
    """Phone number -> code -> linked. ``on_linked`` (e.g. from Withdraw) runs after success,
    and then the panel closes itself instead of showing the linked state."""

    name = "link"

    def __init__(
        self,
        overlay: KGenOverlay,
        *,
        on_linked: Callable[[], None] | None = None,
        subtitle: str | None = None,
    ) -> None:
        super().__init__(overlay)
        self.on_linked = on_linked
        self.subtitle = subtitle
        self.stage: Stage = "phone"
        self.challenge: OtpChallenge | None = None
        self.country_code = DEFAULT_COUNTRY_CODE
        self.phone_number = ""
        self.expires_left = 0.0
        self.resend_left = 0.0
        self.send_wait = 0.0
        self.attempts_left: int | None = None
        self.code_dead = False
        self._shown_seconds: tuple[int, ...] = ()
        #: Sandbox texts that arrived before the current code was asked for.
        self._sms_before = 0
        self._sms_shown = 0
        #: What the linked view shows: (phone, KGeN wallet); what it was filled from.
        self._verified_as: tuple[str | None, str | None] = (None, None)
        self._linked_seen: tuple[object, ...] = ()
        self._account_asked = False

    # building -------------------------------------------------------------------

    def build(self) -> Widget:
        self.intro = Label(
            f"Linking your phone creates your {KGEN}: withdrawals go there. "
            "We will text you a 6-digit code.",
            wrap=True,
            tone="muted",
        )
        self.country = fields.country_field(DEFAULT_COUNTRY_CODE)
        self.phone = fields.phone_field(
            on_submit=lambda _text: self.send_code(), on_change=self._phone_edited
        )
        self.phone_form = Column(Row(self.country, self.phone, align="start"))

        self.sent_to = Label("", tone="muted", wrap=True)
        self.code = fields.otp_field(on_submit=lambda _text: self.verify())
        self.expiry = Label("", role="small", tone="muted")
        self.attempts = Label("", role="small", tone="muted", align="right", grow=1)
        self.sms_note = MessageBar()
        self.code_form = Column(
            self.sent_to,
            self.sms_note,
            self.code,
            Row(self.expiry, self.attempts),
            visible=False,
        )

        self.linked_title = Label(f"Your {KGEN} is linked", role="title", tone="success")
        self.linked_phone = InfoRow("Phone")
        self.linked_wallet = InfoRow(f"Your {KGEN}")
        self.linked_note = Label(EXPLAINED, tone="muted", wrap=True)
        self.linked_view = Column(
            self.linked_title, self.linked_phone, self.linked_wallet, self.linked_note,
            visible=False,
        )

        self.message = MessageBar()
        self.cancel = ActionButton("Cancel", self.close)
        self.send = ActionButton("Send code", self.send_code, kind="primary",
                                 working_text="Sending...",
                                 sizes_for=every_digit("Send code (88s)"))
        self.change = ActionButton("Change number", self.change_number)
        self.resend = ActionButton("Resend code", self.resend_code, working_text="Sending...",
                                   sizes_for=every_digit("Resend in 88s"))
        self.confirm = ActionButton("Verify", self.verify, kind="primary",
                                    working_text="Checking...")
        self.done = ActionButton("Done", self.close, kind="primary")
        self.initial_focus = self.phone
        body = Column(
            self.intro,
            self.phone_form,
            self.code_form,
            self.linked_view,
            self.message,
            Spacer(grow=1),
            Row(self.cancel, self.change, self.resend, self.send, self.confirm, self.done,
                justify="end"),
            spacing=18,
        )
        if self.kgen.state.linked:
            self._show_linked()
        else:
            self._set_stage("phone")
        return self.frame(
            "Link your KGeN wallet", body, subtitle=self.subtitle, width=780, max_width=780,
            height=None,
        )

    def _set_stage(self, stage: Stage) -> None:
        self.stage = stage
        self.phone_form.visible = stage == "phone"
        self.intro.visible = stage == "phone"
        self.code_form.visible = stage == "code"
        self.linked_view.visible = stage == "linked"
        self.cancel.visible = stage == "phone"
        self.send.visible = stage == "phone"
        self.change.visible = stage == "code"
        self.resend.visible = stage == "code"
        self.confirm.visible = stage == "code"
        self.done.visible = stage == "linked"
        self.message.hide()
        self._shown_seconds = ()
        self._tick_labels()

    # actions --------------------------------------------------------------------

    def send_code(self) -> None:
        """Check the phone form and ask for a code."""
        if self.send.working or self.send_wait > 0:
            return
        country, country_error = inputs.check_country_code(self.country.text)
        phone, phone_error = inputs.check_phone(self.phone.text)
        self.country.error = country_error
        self.phone.error = phone_error
        if country is None:
            self.set_focus(self.country)
            return
        if phone is None:
            self.set_focus(self.phone)
            return
        self.message.hide()
        self.send.set_working(True)
        self.country_code, self.phone_number = country, phone
        self._sms_before = self.overlay.sms_serial
        self.run(
            self.actions.request_otp(country, phone),
            lambda challenge: self._code_sent(challenge, first=True),
            lambda error: self._request_failed(error, self.send, self.send_code),
        )

    def resend_code(self) -> None:
        """Ask for a new code for the same number (after the resend countdown)."""
        if self.resend.working or self.resend_left > 0:
            return
        self.message.hide()
        self.resend.set_working(True)
        self._sms_before = self.overlay.sms_serial
        self.run(
            self.actions.request_otp(self.country_code, self.phone_number, resend=True),
            lambda challenge: self._code_sent(challenge, first=False),
            lambda error: self._request_failed(error, self.resend, self.resend_code),
        )

    def _phone_edited(self, _text: str) -> None:
        if self.send_wait > 0:  # the wait was for the number that was there before
            self.send_wait = 0.0
            self.message.hide()
            self._tick_labels()

    def change_number(self) -> None:
        """Back to the phone form."""
        self._set_stage("phone")
        self.set_focus(self.phone)

    def verify(self) -> None:
        """Check the code and verify it."""
        if self.confirm.working or self.challenge is None:
            return
        code, problem = inputs.check_otp(self.code.text)
        if code is None:
            self.code.error = problem
            return
        self.message.hide()
        self.confirm.set_working(True)
        self.run(
            self.actions.verify_otp(
                self.country_code, self.phone_number, self.challenge.auth_code, code
            ),
            self._verified,
            self._verify_failed,
        )

    # results --------------------------------------------------------------------

    def _code_sent(self, challenge: OtpChallenge, *, first: bool) -> None:
        self.send.set_working(False)
        self.resend.set_working(False)
        self.challenge = challenge
        self.expires_left = challenge.expires_in or _DEFAULT_EXPIRY_S
        self.resend_left = (
            challenge.resend_after if challenge.resend_after is not None else _DEFAULT_RESEND_S
        )
        self.attempts_left = (
            challenge.attempts_left if challenge.attempts_left is not None else _DEFAULT_ATTEMPTS
        )
        self.code_dead = False
        self.code.set_text("", notify=False)
        self.code.error = None
        self.sent_to.set_text(
            f"We sent a 6-digit code to {self.country_code} {self.phone_number}. "
            "Enter it below."
        )
        self._set_stage("code")
        self.set_focus(self.code)
        if not first:
            self.toast("A new code is on its way", "info")

    def _request_failed(
        self, error: KGenError, button: ActionButton, retry: Callable[[], None]
    ) -> None:
        button.set_working(False)
        code = error_code(error)
        text = player_message(error)
        if code == "OTP_RESEND_TOO_SOON":
            wait = getattr(error, "retry_after", None)
            seconds = float(wait) if wait is not None else _DEFAULT_RESEND_S
            if self.stage == "phone":
                self.send_wait = seconds
            else:
                self.resend_left = seconds
            self.message.show(text, tone="warning")
            self._shown_seconds = ()
            self._tick_labels()
        elif code in ("INVALID_PHONE_NUMBER", "PHONE_ALREADY_LINKED") and self.stage == "phone":
            self.phone.error = text
            self.set_focus(self.phone)
        elif code == "INVALID_COUNTRY_CODE" and self.stage == "phone":
            self.country.error = text
            self.set_focus(self.country)
        else:
            self.message.show_error(error, retry)

    def _verified(self, result: OtpVerification) -> None:
        self.confirm.set_working(False)
        self.toast("Wallet linked")
        if self.on_linked is not None:
            callback, self.on_linked = self.on_linked, None
            self.close()
            callback()
            return
        self._show_linked(result)

    def _verify_failed(self, error: KGenError) -> None:
        self.confirm.set_working(False)
        code = error_code(error)
        text = player_message(error)
        if code == "OTP_INVALID":
            left = getattr(error, "attempts_left", None)
            if isinstance(left, int):
                self.attempts_left = left
                self.code_dead = left <= 0
            self.code.error = text
            self.code.set_text("", notify=False)
            self.set_focus(self.code)
        elif code in _DEAD_CODE or code == "AUTH_CODE_MISMATCH" or code == "OTP_NOT_REQUESTED":
            self.code.error = text
            self.code_dead = code != "AUTH_CODE_MISMATCH"
            if code == "OTP_TOO_MANY_ATTEMPTS":
                self.attempts_left = 0
                wait = getattr(error, "retry_after", None)
                if wait is not None:
                    self.resend_left = max(self.resend_left, float(wait))
        else:
            self.message.show_error(error, self.verify)
        self._shown_seconds = ()
        self._tick_labels()

    def _show_linked(self, result: OtpVerification | None = None) -> None:
        if result is not None:
            typed = masked_number(self.country_code, self.phone_number)
            self._verified_as = (result.linked_phone or typed, result.kgen_wallet_address)
        self._fill_linked()
        self._set_stage("linked")
        self.set_focus(self.done)
        if not self._account_asked and self.kgen.supports("linked_account"):
            self._account_asked = True  # the number and wallet as the platform keeps them
            # The refresh updates the player state, which update() shows.
            self.run(self.actions.linked_account(), lambda _account: None, lambda _error: None)

    def _fill_linked(self) -> None:
        """The linked number and wallet as best known: the player state (the linked-account
        endpoint, else the session), else what this panel just verified."""
        state = self.kgen.state
        self._linked_seen = (state.linked_account, state.session)
        verified_phone, verified_wallet = self._verified_as
        self.linked_phone.set(linked_phone(state) or verified_phone or "-")
        self.linked_wallet.set(short_address(linked_kgen_wallet(state) or verified_wallet))

    def _show_sms(self) -> None:
        """The sandbox's text for the code asked for last, kept in view under the prompt."""
        sms = self.overlay.sandbox_sms
        self._sms_shown = self.overlay.sms_serial
        if sms is None or sms.serial <= self._sms_before or not self.kgen.state.sandbox:
            return
        self.sms_note.show(
            f"Sandbox SMS to {sms.phone}: your KGeN code is {sms.code}",
            tone="accent",
        )

    # countdowns -----------------------------------------------------------------

    def update(self, dt: float) -> None:
        super().update(dt)
        if self.overlay.sms_serial != self._sms_shown:
            self._show_sms()
        if self.stage == "linked":
            state = self.kgen.state
            if self._linked_seen != (state.linked_account, state.session):
                self._fill_linked()
        if self.expires_left > 0:
            self.expires_left = max(0.0, self.expires_left - dt)
        if self.resend_left > 0:
            self.resend_left = max(0.0, self.resend_left - dt)
        if self.send_wait > 0:
            self.send_wait = max(0.0, self.send_wait - dt)
        self._tick_labels()

    def _tick_labels(self) -> None:
        """Update the countdown texts, at most once a second (text renders only then)."""
        shown = (
            whole_seconds(self.expires_left),
            whole_seconds(self.resend_left),
            whole_seconds(self.send_wait),
        )
        if shown == self._shown_seconds:
            return
        self._shown_seconds = shown
        expires, resend, wait = shown
        if self.stage == "phone":
            if not self.send.working:
                self.send.set_label(f"Send code ({wait}s)" if wait else "Send code")
                self.send.enabled = not wait
            return
        if self.stage != "code":
            return
        if self.code_dead:
            self.expiry.set_text("This code can't be used any more. Ask for a new one.",
                                 tone="warning")
        elif expires:
            self.expiry.set_text(f"Code expires in {clock(self.expires_left)}", tone="muted")
        else:
            self.expiry.set_text("The code has expired. Ask for a new one.", tone="warning")
        if self.attempts_left is not None:
            self.attempts.set_text(
                f"{plural(self.attempts_left, 'attempt')} left",
                tone="warning" if self.attempts_left <= 1 else "muted",
            )
        if not self.resend.working:
            self.resend.set_label(f"Resend in {resend}s" if resend else "Resend code")
            self.resend.enabled = not resend
        usable = not self.code_dead and expires > 0
        if not self.confirm.working:
            self.confirm.enabled = usable
