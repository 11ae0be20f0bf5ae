"""Replay refusal: a timestamp window and a bounded cache of the nonces seen in it.

A request is accepted only if its timestamp is within ``window_s`` of the
broker's clock and its nonce was not seen before. A nonce is remembered
until its own timestamp leaves the window; after that the timestamp check
alone refuses it. The cache holds at most ``capacity`` live nonces; when it
is full of them the guard refuses new requests (fails closed) instead of
forgetting one that could then be replayed.

The cache is per process: with several broker instances, a request replayed
to a *different* instance within the window is not caught (see
docs/broker.md).
"""

from __future__ import annotations

import heapq
import threading
import time
from collections.abc import Callable

__all__ = ["NonceCacheFull", "ReplayGuard", "Replayed", "StaleTimestamp"]


class StaleTimestamp(Exception):  # noqa: N818
    """The timestamp is outside the window; ``server_time`` lets the caller fix its clock."""

    def __init__(self, server_time: int, window_s: float) -> None:
        super().__init__(f"timestamp is more than {window_s:g} s away from the broker's clock")
        self.server_time = server_time
        self.window_s = window_s


class Replayed(Exception):  # noqa: N818
    """The nonce was already used within the window."""


class NonceCacheFull(Exception):  # noqa: N818
    """Too many live nonces to remember one more."""


class ReplayGuard:
    """Thread-safe: one guard serves every request thread of the process."""

    def __init__(
        self, window_s: float, capacity: int, clock: Callable[[], float] = time.time
    ) -> None:
        self.window_s = window_s
        self.capacity = capacity
        self._clock = clock
        self._seen: dict[str, float] = {}  # nonce -> when it may be forgotten
        self._expiries: list[tuple[float, str]] = []
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._seen)

    def check_timestamp(self, timestamp: int) -> None:
        """Raise :class:`StaleTimestamp` unless *timestamp* is within the window."""
        now = self._clock()
        if abs(now - timestamp) > self.window_s:
            raise StaleTimestamp(int(now), self.window_s)

    def remember(self, nonce: str, timestamp: int) -> None:
        """Record *nonce*; :class:`Replayed` if already seen, :class:`NonceCacheFull` if full."""
        now = self._clock()
        with self._lock:
            self._forget_expired(now)
            if nonce in self._seen:
                raise Replayed("this nonce was already used")
            if len(self._seen) >= self.capacity:
                raise NonceCacheFull("the nonce cache is full")
            forget_at = timestamp + self.window_s
            self._seen[nonce] = forget_at
            heapq.heappush(self._expiries, (forget_at, nonce))

    def _forget_expired(self, now: float) -> None:
        expiries = self._expiries
        while expiries and expiries[0][0] < now:
            _, nonce = heapq.heappop(expiries)
            self._seen.pop(nonce, None)
