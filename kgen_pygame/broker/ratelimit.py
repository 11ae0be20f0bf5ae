"""A token bucket per client address.

Each address may make ``burst`` requests at once and then ``per_minute``
a minute. Buckets live in memory, at most ``max_clients`` of them; the
least recently seen address is dropped first (it then starts again with a
full bucket, so under a flood of addresses the limit softens rather than
eating memory). Per process, like the nonce cache.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

__all__ = ["RateLimiter"]


class RateLimiter:
    """Thread-safe token buckets keyed by client address; ``per_minute=0`` turns it off."""

    def __init__(
        self,
        per_minute: float,
        burst: int,
        max_clients: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._rate_per_s = per_minute / 60.0
        self._burst = float(burst)
        self._max_clients = max_clients
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # tokens, at
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self._rate_per_s > 0

    def take(self, client: str) -> float:
        """Spend one token of *client*: 0.0 if allowed, else seconds until the next token."""
        if not self.enabled:
            return 0.0
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.pop(client, (self._burst, now))
            tokens = min(self._burst, tokens + (now - last) * self._rate_per_s)
            if tokens >= 1.0:
                tokens -= 1.0
                wait = 0.0
            else:
                wait = (1.0 - tokens) / self._rate_per_s
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self._max_clients:
                self._buckets.popitem(last=False)
            return wait
