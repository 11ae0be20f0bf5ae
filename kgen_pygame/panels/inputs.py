r"""Checks of what the player typed, before anything is sent.

Nothing here rewrites the player's text: a check either reads it as it is
(surrounding spaces aside) or says what is wrong with it. Each ``check_*``
returns ``(value, None)`` when the input is fine, or ``(None, message)`` with a
sentence to show under the field. The ``*_problem`` functions are the part of
a check that can run while the player types (the format, not the limits).

Only the ASCII digits 0-9 count as digits: other scripts' digits (Arabic-Indic
``\u0663``, full-width ``\uff13``) are refused with a message, never converted.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from kgen_pygame.panels.formatting import money, showable

PHONE_MIN_DIGITS = 6
PHONE_MAX_DIGITS = 15
OTP_LENGTH = 6

DIGITS_0_9 = "Use the digits 0 to 9."
_COUNTRY = re.compile(r"^\+?([0-9]{1,4})$")
_SEPARATORS = re.compile(r"[\s\-.()]")
_AMOUNT = re.compile(r"^(?:[0-9]+\.?[0-9]*|\.[0-9]+)$")
_CENTS = Decimal("0.01")


def _foreign_digits(text: str) -> bool:
    return any(char.isdigit() and not ("0" <= char <= "9") for char in text)


def check_country_code(text: str) -> tuple[str | None, str | None]:
    """``"+91"`` or ``"91"`` -> ``"+91"``."""
    text = text.strip()
    if not text:
        return None, "Enter your country code, like +91."
    if _foreign_digits(text):
        return None, f"{DIGITS_0_9} Country codes look like +91."
    match = _COUNTRY.match(text)
    if match is None or match.group(1).startswith("0"):
        return None, "Country codes look like +91: a plus and 1 to 4 digits."
    return "+" + match.group(1), None


def phone_problem(text: str) -> str | None:
    """What is wrong with the characters of a phone number (None: nothing yet)."""
    compact = _SEPARATORS.sub("", text)
    if compact.startswith("+"):
        return "Put the country code in its own box, then the number."
    if _foreign_digits(compact):
        return DIGITS_0_9
    if any(char.isalpha() for char in compact):
        return "Phone numbers have digits only - remove the letters."
    if not all("0" <= char <= "9" for char in compact):
        return "Use digits only in the phone number."
    return None


def check_phone(text: str) -> tuple[str | None, str | None]:
    """The digits of a phone number, 6 to 15 of them.

    Spaces, dashes, dots and brackets may separate the digits (they carry no
    meaning); the value is the digits in the order typed.
    """
    compact = _SEPARATORS.sub("", text)
    if not compact:
        return None, "Enter your phone number."
    problem = phone_problem(text)
    if problem is not None:
        return None, problem
    if len(compact) < PHONE_MIN_DIGITS:
        return None, f"That number is too short: use at least {PHONE_MIN_DIGITS} digits."
    if len(compact) > PHONE_MAX_DIGITS:
        return None, f"That number is too long: use at most {PHONE_MAX_DIGITS} digits."
    return compact, None


def otp_problem(text: str) -> str | None:
    """What is wrong with a code being typed (its length is checked on submit)."""
    code = text.strip()
    if _foreign_digits(code):
        return DIGITS_0_9
    if any(char.isspace() for char in code):
        return "Type the code without spaces."
    if not all("0" <= char <= "9" for char in code):
        return "The code has digits only."
    if len(code) > OTP_LENGTH:
        return f"The code has {OTP_LENGTH} digits."
    return None


def check_otp(text: str) -> tuple[str | None, str | None]:
    """Exactly six digits (spaces around them are ignored)."""
    code = text.strip()
    if not code:
        return None, f"Enter the {OTP_LENGTH}-digit code from the text message."
    problem = otp_problem(code)
    if problem is not None:
        return None, problem
    if len(code) != OTP_LENGTH:
        return None, f"The code has {OTP_LENGTH} digits."
    return code, None


def amount_problem(text: str) -> str | None:
    """What is wrong with the way an amount is written (its limits are checked on submit)."""
    written = text.strip()
    if not written:
        return None
    if written.startswith("-"):
        return "The amount must be more than 0."
    if _foreign_digits(written):
        return DIGITS_0_9
    if "," in written:
        return "Use a dot for decimals and no commas, like 1.5 or 1000."
    if any(char.isspace() for char in written):
        return "Type the amount without spaces."
    if written.count(".") > 1:
        return "Use one dot for decimals, like 25.50."
    if not _AMOUNT.match(written):
        return "Type just the number, like 25 or 25.50."
    _, _, decimals = written.partition(".")
    if len(decimals) > 2:
        return "Use at most 2 decimal places."
    return None


def parse_amount(text: str) -> Decimal | None:
    """``"25"``, ``"25.5"``, ``".5"`` -> Decimal; anything else -> None."""
    written = text.strip()
    if not written or not _AMOUNT.match(written):
        return None
    try:
        value = Decimal(written)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def check_withdraw_amount(
    text: str, *, earned: Decimal, minimum: Decimal
) -> tuple[Decimal | None, str | None]:
    """More than 0, at most 2 decimals, at most ``earned``, at least ``minimum``."""
    if not text.strip():
        return None, "Enter how much to withdraw."
    problem = amount_problem(text)
    if problem is not None:
        return None, problem
    value = parse_amount(text)
    if value is None:
        return None, "Enter an amount like 25 or 25.50."
    if value <= 0:
        return None, "The amount must be more than 0."
    if showable(earned) is None or showable(minimum) is None:
        return None, "Your balance can't be shown right now, so it can't be checked."
    if value > earned:
        return None, f"That is more than your earned balance ({money(earned)})."
    if value < minimum:
        return None, f"The minimum withdrawal is {money(minimum)}."
    return value, None
