"""Fault injection for ``/api/*`` requests: latency, errors, drops, HTML, truncation, blackhole."""

from __future__ import annotations

import random
import threading
import time
from typing import Literal

from .config import Faults

FaultKind = Literal["error", "drop", "html", "truncate"]


class FaultInjector:
    """Thread-safe holder of the current :class:`Faults` and the per-request decisions."""

    def __init__(self, faults: Faults) -> None:
        self._faults = faults
        self._changed = threading.Condition()
        self._stopping = False
        self._random = random.Random()

    @property
    def faults(self) -> Faults:
        """The faults in force."""
        return self._faults

    def set(self, faults: Faults) -> Faults:
        """Replace the faults; requests held by a blackhole re-check at once."""
        with self._changed:
            self._faults = faults
            self._changed.notify_all()
        return faults

    def release_all(self) -> None:
        """Server shutdown: let every held request go (they end without an answer)."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()

    def before_request(self) -> FaultKind | Literal["stopped"] | None:
        """Apply latency and blackhole, then pick the fault (if any) for this request."""
        faults = self._faults
        if faults.latency_ms:
            time.sleep(faults.latency_ms / 1000)
        if faults.blackhole:
            with self._changed:
                while self._faults.blackhole and not self._stopping:
                    self._changed.wait()
                if self._stopping:
                    return "stopped"
            faults = self._faults
        if faults.total_rate <= 0.0:
            return None
        draw = self._random.random()
        for kind, rate in (
            ("error", faults.error_rate),
            ("drop", faults.drop_rate),
            ("html", faults.html_rate),
            ("truncate", faults.truncate_rate),
        ):
            if draw < rate:
                return kind  # type: ignore[return-value]
            draw -= rate
        return None
