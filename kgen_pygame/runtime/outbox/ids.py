"""Event ids: new time-ordered random ids, and the check on ids given by the caller."""

from __future__ import annotations

import os

_MAX_EVENT_ID_CHARS = 128


def _check_event_id(event_id: object) -> str:
    # Sent as the Idempotency-Key header: visible ASCII only, no spaces.
    if (
        not isinstance(event_id, str)
        or not 0 < len(event_id) <= _MAX_EVENT_ID_CHARS
        or not all("!" <= ch <= "~" for ch in event_id)
    ):
        raise ValueError(
            f"event_id must be 1-{_MAX_EVENT_ID_CHARS} visible ASCII characters without spaces"
        )
    return event_id


class _EventIds:
    """Time-ordered random ids: UUID version 7 (RFC 9562) as 32 hex digits.

    48 bits of Unix milliseconds, then 74 random bits. Random enough to be a
    unique Idempotency-Key, and ordered by time, so consecutive events sit
    side by side in the ``event_id`` index: each add, and each delete of a
    delivered batch, touches a few index pages instead of one random page per
    event (half the worker's delete time, so a shorter write lock for the game
    thread to wait behind).

    The random bytes come from ``os.urandom`` in pools of 256 ids: that read
    releases the GIL, and a busy worker thread that grabs it makes the game
    thread wait. The pool is refilled after a fork, so a child never repeats
    its parent's ids.
    """

    __slots__ = ("_pid", "_pool", "_pos")
    _BATCH = 256

    def __init__(self) -> None:
        self._pid = -1
        self._pool = b""
        self._pos = 0

    def next(self, pid: int, now_ms: int) -> str:
        pos = self._pos
        if pos >= len(self._pool) or pid != self._pid:
            self._pool = os.urandom(10 * self._BATCH)
            self._pid = pid
            pos = 0
        raw = bytearray(now_ms.to_bytes(6, "big"))
        raw += self._pool[pos : pos + 10]
        self._pos = pos + 10
        raw[6] = 0x70 | (raw[6] & 0x0F)  # version 7
        raw[8] = 0x80 | (raw[8] & 0x3F)  # RFC 9562 variant
        return raw.hex()
