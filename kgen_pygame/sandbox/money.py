"""Money is stored as integer cents in SQLite and handled as Decimal everywhere else."""

from __future__ import annotations

from decimal import Decimal

_CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> int:
    """Decimal amount with at most two decimal places -> integer cents."""
    cents = amount.quantize(_CENT) * 100
    if cents != amount * 100:
        raise ValueError("amount has more than two decimal places")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    """Integer cents -> Decimal amount (trailing zeros dropped: 5000 -> 50)."""
    return (Decimal(cents) / 100).normalize() if cents else Decimal(0)


def split_prize(pool_cents: int, winners: int) -> list[int]:
    """Split a prize pool among ``winners`` places with linearly falling weights.

    Place 1 of 3 gets 3/6, place 2 gets 2/6, place 3 gets 1/6; rounding leftovers go to
    first place so the shares always add up to the pool exactly.
    """
    if winners <= 0 or pool_cents <= 0:
        return []
    weights = list(range(winners, 0, -1))
    total = sum(weights)
    shares = [pool_cents * weight // total for weight in weights]
    shares[0] += pool_cents - sum(shares)
    return shares
