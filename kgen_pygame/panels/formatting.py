"""How the overlays write money, dates, durations and wallet addresses for players.

Money is ``Decimal`` end to end; these helpers only turn it into text.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

CURRENCY = "KGeN"
_CENTS = Decimal("0.01")


def amount(value: Decimal | int | None) -> str:
    """``1234.5`` -> ``"1,234.50"`` (``"-"`` when unknown)."""
    if value is None:
        return "-"
    return f"{Decimal(value).quantize(_CENTS, ROUND_HALF_UP):,}"


def editable_amount(value: Decimal) -> str:
    """An amount to pre-fill an input with: ``"58.35"`` (no separators, never rounded up)."""
    return f"{Decimal(value).quantize(_CENTS, ROUND_DOWN):f}"


def money(value: Decimal | int | None) -> str:
    """``30`` -> ``"30.00 KGeN"``."""
    return f"{amount(value)} {CURRENCY}" if value is not None else "-"


def money_short(value: Decimal | int) -> str:
    """Like :func:`money` without a zero fraction: ``"30 KGeN"``, ``"33.35 KGeN"``."""
    text = amount(value)
    if text.endswith(".00"):
        text = text[:-3]
    return f"{text} {CURRENCY}"


def signed(value: Decimal, direction: str) -> str:
    """``+25.00`` for money in, ``-10.00`` for money out."""
    return f"{'+' if direction == 'in' else '-'}{amount(abs(value))}"


def plain_number(value: Decimal | int) -> str:
    """Scores and counts: ``12345`` -> ``"12,345"``; fractions keep up to 2 places."""
    number = Decimal(value)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return amount(number)


def when(moment: datetime | None, *, now: datetime | None = None) -> str:
    """A short local date: ``"21 Nov 14:05"``, with the year only when it is not this year."""
    if moment is None:
        return "-"
    local = moment.astimezone()
    current = (now or datetime.now(UTC)).astimezone()
    if local.year != current.year:
        return local.strftime("%d %b %Y")
    return local.strftime("%d %b %H:%M")


def duration(seconds: float) -> str:
    """``"2d 4h"``, ``"3h 12m"``, ``"5m 20s"``, ``"45s"`` (never negative)."""
    total = max(0, int(seconds))
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


def clock(seconds: float) -> str:
    """A countdown as ``m:ss``: ``299`` -> ``"4:59"``."""
    total = max(0, int(seconds + 0.999))  # show 0:01 until it is really over
    minutes, secs = divmod(total, 60)
    return f"{minutes}:{secs:02d}"


def whole_seconds(seconds: float) -> int:
    """Seconds left, rounded up, for "wait 25 s" texts."""
    return max(0, int(seconds + 0.999))


def time_left(ends_at: datetime | None, *, now: datetime | None = None) -> str:
    """Time until ``ends_at``: ``"2d 4h"`` or ``"Ended"``."""
    if ends_at is None:
        return "-"
    remaining = (ends_at - (now or datetime.now(UTC))).total_seconds()
    return duration(remaining) if remaining > 0 else "Ended"


def short_address(address: str | None) -> str:
    """A wallet address readable at a glance: ``0xb7d8d3...3e406b8f`` -> ``0xb7d8...6b8f``."""
    if not address:
        return "-"
    if "*" in address or len(address) <= 14:
        return address  # already masked by the server, or short enough
    return f"{address[:6]}...{address[-4:]}"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``plural(1, "reward")`` -> ``"1 reward"``; ``plural(2, "reward")`` -> ``"2 rewards"``."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
