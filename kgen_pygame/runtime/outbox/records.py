"""Rows handed to the worker: pending events and dead letters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class PendingEvent:
    """An event waiting for delivery, as :meth:`DeliveryHandle.due` returns it.

    ``created_ms`` is the event's timestamp (epoch ms, sent as ``timestamp``);
    ``attempts`` counts the failed deliveries so far. Decimals given at capture
    come back as their exact string form.
    """

    seq: int
    event_id: str
    kind: str
    value: Any
    metadata: dict[str, Any]
    created_ms: int
    attempts: int
    last_error: str | None


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """An event the server refused for good, kept with the reason."""

    event_id: str
    kind: str
    value: Any
    metadata: dict[str, Any]
    created_ms: int
    failed_ms: int
    status: int | None
    reason: str
