"""How the overlays write money, dates, durations and wallet addresses for players.

Money is ``Decimal`` end to end; these helpers only turn it into text, and they
never raise: a value that cannot be shown truthfully (not a number, infinite,
beyond :data:`MAX_SHOWN`, a date outside the calendar) is written as
:data:`UNAVAILABLE` - never as nothing, never as another number. ``None``
(nothing known yet) is written as :data:`UNKNOWN`.

Every amount in the overlays goes through :func:`amount` (the figure) or
:func:`money` (the figure with the currency), so "Claimed 25.00 KGeN" and the
"25.00" in a table always agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal, localcontext
from typing import cast

CURRENCY = "KGeN"
#: A value was sent but cannot be shown (absurd, not a number, out of range).
UNAVAILABLE = "\u2014"
#: Nothing is known (yet), or the value does not apply.
UNKNOWN = "-"
#: Amounts and scores at or beyond this size are shown as unavailable.
MAX_SHOWN = Decimal(10) ** 15

_CENTS = Decimal("0.01")
#: Enough precision for every amount below MAX_SHOWN to the cent, whatever the
#: caller's decimal context says.
_CONTEXT = Context(prec=40)
# The same precision, with no traps: inf + -inf gives NaN (caught after the sum), not an error.
_SUM_CONTEXT = Context(prec=40, traps=[])
_SUMMED = frozenset((int, Decimal))
_MAX_WAIT_S = 10**9


def showable(value: object) -> Decimal | None:
    """``value`` as a Decimal when it is a finite number below :data:`MAX_SHOWN`, else None."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    number = Decimal(value)
    if not number.is_finite() or number.copy_abs() >= MAX_SHOWN:
        return None
    return number


def positive(value: object) -> bool:
    """``value > 0`` for amounts that may be absurd (False for NaN, infinity, None)."""
    number = showable(value)
    return number is not None and number > 0


def total(values: Iterable[object]) -> Decimal | None:
    """The sum of amounts, or None when any of them cannot be shown."""
    items = list(values)
    # One C-level pass each (a 5,000-row list is summed inside a frame), same result as
    # adding the showable values one by one at _CONTEXT's precision.
    if not set(map(type, items)) <= _SUMMED:
        return None  # None, text, bool...: not an amount
    numbers = cast("list[int | Decimal]", items)
    with localcontext(_SUM_CONTEXT):
        result = Decimal(sum(numbers, Decimal(0)))
    if not result.is_finite():
        return None  # a NaN or an infinity among them (or an overflow)
    if numbers and (max(numbers) >= MAX_SHOWN or min(numbers) <= -MAX_SHOWN):
        return None
    return showable(result)


def _cents(number: Decimal, rounding: str) -> Decimal:
    rounded = number.quantize(_CENTS, rounding, _CONTEXT)
    return rounded.copy_abs() if rounded.is_zero() else rounded  # never "-0.00"


def _number_or_text(value: object) -> Decimal | str:
    """``value`` as a showable Decimal, or the text that stands for it (``-`` / ``—``)."""
    if value is None:
        return UNKNOWN
    number = showable(value)
    return UNAVAILABLE if number is None else number


def amount(value: object) -> str:
    """``1234.5`` -> ``"1,234.50"`` (``"-"`` when None, ``"—"`` when it cannot be shown)."""
    number = _number_or_text(value)
    return number if isinstance(number, str) else f"{_cents(number, ROUND_HALF_UP):,}"


def money(value: object) -> str:
    """``30`` -> ``"30.00 KGeN"`` (no currency on ``"-"`` or ``"—"``)."""
    text = amount(value)
    return text if text in (UNKNOWN, UNAVAILABLE) else f"{text} {CURRENCY}"


def signed(value: object, direction: str) -> str:
    """``+25.00`` for money in, ``-10.00`` for money out, ``0.00`` for nothing at all."""
    number = showable(value)
    if number is None:
        return amount(value)
    text = amount(number.copy_abs())
    if text == "0.00":
        return text
    return f"{'+' if direction == 'in' else '-'}{text}"


def editable_amount(value: object) -> str:
    """An amount to pre-fill an input with: ``"58.35"`` (no separators, never rounded up).

    Empty when the amount cannot be shown, so the player types one instead.
    """
    number = showable(value)
    if number is None:
        return ""
    return f"{_cents(number, ROUND_DOWN):f}"


def plain_number(value: object) -> str:
    """Scores and counts: ``12345`` -> ``"12,345"``; fractions keep up to 2 places."""
    number = _number_or_text(value)
    if isinstance(number, str):
        return number
    if number == number.to_integral_value(context=_CONTEXT):
        return f"{int(number):,}"
    return amount(number)


def when(moment: datetime | None, *, now: datetime | None = None) -> str:
    """A short local date: ``"21 Nov 14:05"``, with the year only when it is not this year."""
    if moment is None:
        return UNKNOWN
    try:
        local = moment.astimezone()
        current = (now or datetime.now(UTC)).astimezone()
    except (OverflowError, OSError, ValueError):  # beyond what the platform's clock knows
        return UNAVAILABLE
    if local.year != current.year:
        return local.strftime("%d %b %Y")
    return local.strftime("%d %b %H:%M")


def when_full(moment: datetime | None) -> str:
    """The whole local date and time, for detail views: ``"21 Nov 2025, 14:05:09"``."""
    if moment is None:
        return UNKNOWN
    try:
        return moment.astimezone().strftime("%d %b %Y, %H:%M:%S")
    except (OverflowError, OSError, ValueError):
        return UNAVAILABLE


def duration(seconds: float) -> str:
    """``"2d 4h"``, ``"3h 12m"``, ``"5m 20s"``, ``"45s"`` (never negative)."""
    if not math.isfinite(seconds):
        return UNAVAILABLE
    total_s = max(0, int(seconds))
    days, rest = divmod(total_s, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


def whole_seconds(seconds: float) -> int:
    """Seconds left, rounded up, for "wait 25 s" texts (0 for nonsense, capped when huge)."""
    if math.isnan(seconds) or seconds <= 0:
        return 0
    return int(min(float(_MAX_WAIT_S), seconds) + 0.999)


def clock(seconds: float) -> str:
    """A countdown as ``m:ss``: ``299`` -> ``"4:59"`` (shows 0:01 until it is really over)."""
    if not math.isfinite(seconds):
        return UNAVAILABLE
    minutes, secs = divmod(whole_seconds(seconds), 60)
    return f"{minutes}:{secs:02d}"


def time_left(ends_at: datetime | None, *, now: datetime | None = None) -> str:
    """Time until ``ends_at``: ``"2d 4h"`` or ``"Ended"``."""
    if ends_at is None:
        return UNKNOWN
    try:
        remaining = (ends_at - (now or datetime.now(UTC))).total_seconds()
    except (OverflowError, TypeError):  # out of range, or a date without a time zone
        return UNAVAILABLE
    return duration(remaining) if remaining > 0 else "Ended"


def short_address(address: str | None) -> str:
    """A wallet address readable at a glance: ``0xb7d8d3...3e406b8f`` -> ``0xb7d8...6b8f``."""
    if not address:
        return UNKNOWN
    if "*" in address or len(address) <= 14:
        return address  # already masked by the server, or short enough
    return f"{address[:6]}...{address[-4:]}"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``plural(1, "reward")`` -> ``"1 reward"``; ``plural(2, "reward")`` -> ``"2 rewards"``."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
