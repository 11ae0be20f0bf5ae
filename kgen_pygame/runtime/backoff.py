"""Exponential backoff with full jitter, honouring the server's Retry-After.

Pure: no clock, no sleeping. The caller asks how long to wait before the next
try and schedules it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

__all__ = ["DEFAULT_RETRY_AFTER_CAP_S", "Backoff"]

#: A server's Retry-After longer than this is cut to it, so a wrong header
#: cannot park a game's events for hours.
DEFAULT_RETRY_AFTER_CAP_S = 300.0

_rng = random.Random()


@dataclass(frozen=True, slots=True)
class Backoff:
    """Delays of ``base_s * factor ** (attempt - 1)``, capped at ``max_s``.

    With ``jitter`` (the default) the delay is drawn uniformly from
    ``[0, that ceiling]`` ("full jitter"), so many clients that failed at the
    same moment do not come back at the same moment.
    """

    base_s: float = 0.5
    factor: float = 2.0
    max_s: float = 60.0
    jitter: bool = True

    def __post_init__(self) -> None:
        if not (math.isfinite(self.base_s) and self.base_s > 0):
            raise ValueError("base_s must be a positive number of seconds")
        if not (math.isfinite(self.factor) and self.factor >= 1):
            raise ValueError("factor must be >= 1")
        if not (math.isfinite(self.max_s) and self.max_s >= self.base_s):
            raise ValueError("max_s must be a number of seconds >= base_s")

    def ceiling(self, attempt: int) -> float:
        """The longest delay after failed attempt number ``attempt`` (1 = the first)."""
        if attempt < 1:
            raise ValueError("attempt counts failed tries and starts at 1")
        try:
            grown = self.base_s * self.factor ** (attempt - 1)
        except OverflowError:
            return self.max_s
        return min(self.max_s, grown)

    def delay(
        self,
        attempt: int,
        retry_after: float | None = None,
        retry_after_cap_s: float = DEFAULT_RETRY_AFTER_CAP_S,
        rng: random.Random | None = None,
    ) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1 = the first).

        ``retry_after`` (seconds, from the server) is a floor: the result is
        never shorter than ``min(retry_after, retry_after_cap_s)``. A negative
        or NaN ``retry_after`` is ignored; an infinite one is capped. ``rng``
        supplies the jitter (a seeded ``random.Random`` in tests).
        """
        ceiling = self.ceiling(attempt)
        wait = (rng or _rng).uniform(0.0, ceiling) if self.jitter else ceiling
        if retry_after is not None and retry_after >= 0:  # NaN fails the comparison
            wait = max(wait, min(float(retry_after), max(0.0, retry_after_cap_s)))
        return wait
