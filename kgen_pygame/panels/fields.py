"""The input fields players type into, each configured in one place.

The panels build their fields here (adding what to do on Enter), and the
property tests build exactly the same fields, so what the tests prove about
typing, pasting and IME input holds for the panels. None of them filters
characters: whatever the player types is shown as typed, and the check under
the field says what is wrong with it.
"""

from __future__ import annotations

from collections.abc import Callable

from kgen_pygame.panels import inputs
from kgen_pygame.ui import TextField

Submit = Callable[[str], None]

COUNTRY_MAX = 8
PHONE_MAX = 24
#: Room for a pasted "123 456", so the check can explain it instead of cutting it.
OTP_MAX = 2 * inputs.OTP_LENGTH
AMOUNT_MAX = 20


def country_field(text: str, *, on_submit: Submit | None = None) -> TextField:
    """The country code (``+91``)."""
    return TextField(
        text,
        label="Country code",
        max_length=COUNTRY_MAX,
        min_width=120,
        validator=lambda value: inputs.check_country_code(value)[1],
        on_submit=on_submit,
    )


def phone_field(
    *, on_submit: Submit | None = None, on_change: Callable[[str], None] | None = None
) -> TextField:
    """The phone number, without its country code."""
    return TextField(
        label="Phone number",
        placeholder="e.g. 98765 43210",
        max_length=PHONE_MAX,
        grow=1,
        validator=lambda value: inputs.check_phone(value)[1],
        as_you_type=inputs.phone_problem,
        on_submit=on_submit,
        on_change=on_change,
    )


def otp_field(*, on_submit: Submit | None = None) -> TextField:
    """The 6-digit code from the text message."""
    return TextField(
        label=f"{inputs.OTP_LENGTH}-digit code",
        placeholder="Code from the text message",
        max_length=OTP_MAX,
        validator=lambda value: inputs.check_otp(value)[1],
        as_you_type=inputs.otp_problem,
        on_submit=on_submit,
    )


def amount_field(*, on_submit: Submit | None = None) -> TextField:
    """An amount of KGeN (the limits are checked when the player asks)."""
    return TextField(
        label="Amount to withdraw (KGeN)",
        max_length=AMOUNT_MAX,
        as_you_type=inputs.amount_problem,
        on_submit=on_submit,
        grow=1,
    )
