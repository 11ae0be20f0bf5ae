"""Wall-clock time with an adjustable offset, so tests and demos can jump forward in time."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime


class Clock:
    """``time.time()`` plus an offset that only ever moves forward."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        """Current sandbox time in epoch seconds."""
        return time.time() + self._offset

    @property
    def offset_s(self) -> float:
        """How far the sandbox clock runs ahead of the real one."""
        return self._offset

    def advance(self, seconds: float) -> float:
        """Move the clock forward by ``seconds`` (>= 0); returns the new offset."""
        if seconds < 0:
            raise ValueError("the sandbox clock only moves forward")
        with self._lock:
            self._offset += seconds
            return self._offset


def iso(ts: float) -> str:
    """Epoch seconds -> ISO-8601 UTC with milliseconds, e.g. ``2024-01-29T17:53:26.934Z``."""
    moment = datetime.fromtimestamp(ts, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def go_time(ts: float) -> str:
    """Epoch seconds -> Go's ``time.Time.String()`` layout, as the current session answers it.

    ``2024-09-06 05:10:53.871198 +0000 UTC``: fractional seconds without trailing zeros (none
    at all when whole), then the zone offset and name.
    """
    moment = datetime.fromtimestamp(ts, UTC)
    fraction = f"{moment.microsecond:06d}".rstrip("0")
    text = moment.strftime("%Y-%m-%d %H:%M:%S")
    return f"{text}.{fraction} +0000 UTC" if fraction else f"{text} +0000 UTC"


def iso_date(ts: float) -> str:
    """Epoch seconds -> ISO-8601 calendar date in UTC, e.g. ``2024-01-29``."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d")


def epoch_ms(ts: float) -> int:
    """Epoch seconds -> integer epoch milliseconds."""
    return int(ts * 1000)
