"""Checks of what the player typed, before anything is sent.

Each ``check_*`` returns ``(value, None)`` when the input is fine, or
``(None, message)`` with a sentence to show under the field.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from kgen_pygame.panels.formatting import money

PHONE_MIN_DIGITS = 6
PHONE_MAX_DIGITS = 15
OTP_LENGTH = 6

_COUNTRY = re.compile(r"^\+?([0-9]{1,4})$")
_SEPARATORS = re.compile(r"[\s\-.()]")
_AMOUNT = re.compile(r"^[0-9]*\.?[0-9]*$")
_CENTS = Decimal("0.01")


def check_country_code(text: str) -> tuple[str | None, str | None]:
    """``"+91"`` or ``"91"`` -> ``"+91"``."""
    text = text.strip()
    if not text:
        return None, "Enter your country code, like +91."
    match = _COUNTRY.match(text)
    if match is None or match.group(1).startswith("0"):
        return None, "Country codes look like +91: a plus and 1 to 4 digits."
    return "+" + match.group(1), None


def check_phone(text: str) -> tuple[str | None, str | None]:
    """Digits only (spaces, dashes, dots and brackets are dropped), 6 to 15 of them."""
    compact = _SEPARATORS.sub("", text)
    if not compact:
        return None, "Enter your phone number."
    if compact.startswith("+"):
        return None, "Put the country code in its own box, then the number."
    if any(char.isalpha() for char in compact):
        return None, "Phone numbers have digits only - remove the letters."
    if not compact.isascii() or not compact.isdigit():
        return None, "Use digits only in the phone number."
    if len(compact) < PHONE_MIN_DIGITS:
        return None, f"That number is too short: use at least {PHONE_MIN_DIGITS} digits."
    if len(compact) > PHONE_MAX_DIGITS:
        return None, f"That number is too long: use at most {PHONE_MAX_DIGITS} digits."
    return compact, None


def check_otp(text: str) -> tuple[str | None, str | None]:
    """Exactly six digits."""
    code = text.strip()
    if not code:
        return None, f"Enter the {OTP_LENGTH}-digit code from the text message."
    if not code.isascii() or not code.isdigit() or len(code) != OTP_LENGTH:
        return None, f"The code has {OTP_LENGTH} digits."
    return code, None


def parse_amount(text: str) -> Decimal | None:
    """``"25"``, ``"25.5"``, ``".5"`` -> Decimal; anything else -> None."""
    text = text.strip()
    if not text or text == "." or not _AMOUNT.match(text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def check_withdraw_amount(
    text: str, *, earned: Decimal, minimum: Decimal
) -> tuple[Decimal | None, str | None]:
    """More than 0, at most 2 decimals, at most ``earned``, at least ``minimum``."""
    if not text.strip():
        return None, "Enter how much to withdraw."
    value = parse_amount(text)
    if value is None:
        return None, "Enter an amount like 25 or 25.50."
    if value != value.quantize(_CENTS):
        return None, "Use at most 2 decimal places."
    if value <= 0:
        return None, "The amount must be more than 0."
    if value > earned:
        return None, f"That is more than your earned balance ({money(earned)})."
    if value < minimum:
        return None, f"The minimum withdrawal is {money(minimum)}."
    return value, None
