"""Colour values and the arithmetic the theme derives state colours with."""

from __future__ import annotations

RGB = tuple[int, int, int]
RGBA = tuple[int, int, int, int]
Colour = RGB | RGBA


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """Linear blend from ``a`` (t=0) to ``b`` (t=1)."""
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def lighten(colour: RGB, amount: float) -> RGB:
    """``colour`` moved ``amount`` (0..1) towards white."""
    return mix(colour, (255, 255, 255), amount)


def darken(colour: RGB, amount: float) -> RGB:
    """``colour`` moved ``amount`` (0..1) towards black."""
    return mix(colour, (0, 0, 0), amount)
