"""Player-facing texts: error messages, input checks and formatting (no network needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from kgen_pygame.errors import (
    AuthenticationError,
    InvalidRequestError,
    NetworkError,
    ProtocolError,
    RateLimitError,
    RequestTimeout,
    ServerError,
    UsageError,
)
from kgen_pygame.panels import formatting, inputs
from kgen_pygame.panels.messages import player_message

SECRET_TEXT = "POST /api/v1/x?token=abc123 failed: 400 at http://127.0.0.1:1/api/v1"


def _api(cls: type, status: int, code: str, **extra: object) -> object:
    details = extra.pop("details", None)
    return cls(SECRET_TEXT, status=status, operation="POST /api/v1/x", code=code,
               details=details, **extra)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (_api(InvalidRequestError, 400, "OTP_INVALID", details={"attempts_left": 2}),
         "That code is not right - 2 attempts left."),
        (_api(InvalidRequestError, 400, "OTP_INVALID", details={"attempts_left": 1}),
         "That code is not right - 1 attempt left."),
        (_api(InvalidRequestError, 400, "OTP_EXPIRED"),
         "That code has expired. Ask for a new one."),
        (_api(InvalidRequestError, 400, "OTP_ALREADY_USED"),
         "That code was already used. Ask for a new one."),
        (_api(RateLimitError, 429, "OTP_TOO_MANY_ATTEMPTS"),
         "Too many wrong codes. Ask for a new code."),
        (_api(RateLimitError, 429, "OTP_RESEND_TOO_SOON", retry_after=24.2),
         "Please wait 25 s before asking for another code."),
        (_api(InvalidRequestError, 400, "AUTH_CODE_MISMATCH"),
         "That code is from an older request. Use the newest code we sent."),
        (_api(InvalidRequestError, 422, "WALLET_NOT_LINKED"),
         "Link your KGeN wallet before withdrawing."),
        (_api(InvalidRequestError, 422, "BELOW_MIN_WITHDRAW",
              details={"minWalletBalToWithdraw": Decimal("20"), "earned_balance": Decimal(5)}),
         "You can withdraw once you have earned at least 20.00 KGeN."),
        (_api(InvalidRequestError, 422, "AMOUNT_EXCEEDS_BALANCE",
              details={"earned_balance": Decimal("58.35")}),
         "That is more than your earned balance (58.35 KGeN)."),
        (_api(InvalidRequestError, 422, "INSUFFICIENT_BALANCE",
              details={"balance": Decimal(5), "required": Decimal(10)}),
         "You need 10.00 KGeN to join; your balance is 5.00 KGeN."),
        (_api(InvalidRequestError, 409, "EXISTING_PARTICIPATION_FOUND"),
         "You have already joined this tournament."),
        (_api(InvalidRequestError, 422, "NO_CLAIMABLE_REWARDS"),
         "There is nothing to claim right now."),
        (_api(InvalidRequestError, 409, "PHONE_ALREADY_LINKED"),
         "That phone number is already linked to another player."),
        (_api(ServerError, 503, "SERVICE_UNAVAILABLE"),
         "KGeN is having trouble right now. Please try again in a moment."),
        (_api(ServerError, 500, "SOMETHING_NEW"),
         "KGeN is having trouble right now. Please try again in a moment."),
        (_api(AuthenticationError, 401, "TOKEN_EXPIRED"),
         "Your KGeN session has expired. Please try again."),
        (_api(RateLimitError, 429, "SLOW_DOWN", retry_after=3.0),
         "Too many requests. Please wait 3 s and try again."),
        (_api(InvalidRequestError, 418, "TEAPOT"), "Something went wrong. Please try again."),
        (NetworkError(SECRET_TEXT),
         "Can't reach KGeN right now. Check your connection and try again."),
        (RequestTimeout(SECRET_TEXT), "KGeN is taking too long to answer. Please try again."),
        (ProtocolError(SECRET_TEXT), "KGeN sent an answer we couldn't read. Please try again."),
        (UsageError(SECRET_TEXT), "KGeN is not available right now."),
        (None, "Something went wrong. Please try again."),
    ],
)
def test_player_messages(error: BaseException | None, expected: str) -> None:
    text = player_message(error)
    assert text == expected
    for leak in ("token", "http", "/api", "abc123", "POST"):
        assert leak not in text


def test_phone_checks() -> None:
    assert inputs.check_phone("98765 43210") == ("9876543210", None)
    assert inputs.check_phone("(987) 654-3210") == ("9876543210", None)
    assert "letters" in (inputs.check_phone("98765abc")[1] or "")
    assert "too short" in (inputs.check_phone("12345")[1] or "")
    assert "too long" in (inputs.check_phone("1" * 16)[1] or "")
    assert "own box" in (inputs.check_phone("+919876543210")[1] or "")
    assert inputs.check_phone("98765#4321")[1] == "Use digits only in the phone number."
    assert inputs.check_country_code("91") == ("+91", None)
    assert inputs.check_country_code("+1") == ("+1", None)
    assert inputs.check_country_code("+12345")[0] is None
    assert inputs.check_country_code("+0")[0] is None
    assert inputs.check_otp("123456") == ("123456", None)
    assert inputs.check_otp("12345")[0] is None
    assert inputs.check_otp("123 456")[1] == "Type the code without spaces."
    assert inputs.check_otp("\u0661\u0662\u0663\u0664\u0665\u0666")[1] == inputs.DIGITS_0_9
    assert inputs.check_phone("\uff19\uff18\uff17\uff16\uff15\uff14")[1] == inputs.DIGITS_0_9


def test_amount_checks() -> None:
    def check(text: str) -> tuple[Decimal | None, str | None]:
        return inputs.check_withdraw_amount(text, earned=Decimal("58.35"), minimum=Decimal(20))

    assert check("58.35") == (Decimal("58.35"), None)
    assert check("20") == (Decimal("20"), None)
    assert check(".5")[1] == "The minimum withdrawal is 20.00 KGeN."
    assert check("58.36")[1] == "That is more than your earned balance (58.35 KGeN)."
    assert check("1e3")[1] == "Type just the number, like 25 or 25.50."
    assert check("NaN")[1] == "Type just the number, like 25 or 25.50."
    assert check("1,5")[1] == "Use a dot for decimals and no commas, like 1.5 or 1000."
    assert check("-5")[1] == "The amount must be more than 0."
    assert check("2.3.4")[1] == "Use one dot for decimals, like 25.50."
    assert check("\u0663\u0660")[1] == inputs.DIGITS_0_9  # Arabic-Indic 30: refused, not read
    assert check("\uff13\uff10")[1] == inputs.DIGITS_0_9  # full-width 30
    assert check("25 KGeN")[1] == "Type the amount without spaces."
    assert check("12.345")[1] == "Use at most 2 decimal places."
    balance_unknown = inputs.check_withdraw_amount(
        "25", earned=Decimal("NaN"), minimum=Decimal(20))
    assert balance_unknown[0] is None and "can't be shown" in (balance_unknown[1] or "")


def test_formatting() -> None:
    assert formatting.money(Decimal("1234.5")) == "1,234.50 KGeN"
    assert formatting.money(30) == "30.00 KGeN" and formatting.amount(None) == "-"
    assert formatting.editable_amount(Decimal("58.359")) == "58.35"
    assert formatting.signed(Decimal("25"), "in") == "+25.00"
    assert formatting.signed(Decimal("10"), "out") == "-10.00"
    assert formatting.signed(Decimal(0), "out") == "0.00"  # never "-0.00"
    assert formatting.signed(Decimal("-0.001"), "out") == "0.00"
    assert formatting.amount(Decimal("-0.004")) == "0.00"
    assert formatting.amount(Decimal("1e26")) == formatting.UNAVAILABLE
    assert formatting.money(Decimal("NaN")) == formatting.UNAVAILABLE
    assert formatting.plain_number(12345) == "12,345"
    assert formatting.duration(2 * 86400 + 4 * 3600 + 5) == "2d 4h"
    assert formatting.duration(3 * 3600 + 12 * 60) == "3h 12m"
    assert formatting.duration(320) == "5m 20s"
    assert formatting.duration(-5) == "0s"
    assert formatting.clock(299.2) == "5:00" and formatting.clock(59) == "0:59"
    now = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    assert formatting.time_left(now + timedelta(hours=2), now=now) == "2h 00m"
    assert formatting.time_left(now - timedelta(seconds=1), now=now) == "Ended"
    assert formatting.short_address("0xb7d8d3da72286a2bed281540132df1aa3e406b8f") == "0xb7d8...6b8f"
    assert formatting.short_address("0x7d*****f0a2") == "0x7d*****f0a2"
