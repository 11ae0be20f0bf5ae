"""What the outbox hands out: pending events, dead letters, and its report; its defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

OUTBOX_FILENAME: Final = "outbox.sqlite3"
DEFAULT_MAX_EVENTS: Final = 100_000
DEFAULT_MAX_AGE_S: Final = 30 * 86_400.0
DEFAULT_MAX_DEAD_LETTERS: Final = 10_000

#: Counter names (the ``counters`` table) for events dropped by the bounds.
DROPPED_MAX_EVENTS: Final = "dropped_max_events"
DROPPED_MAX_AGE: Final = "dropped_max_age"
DROPPED_DEAD_LETTER_OVERFLOW: Final = "dropped_dead_letter_overflow"


@dataclass(frozen=True, slots=True)
class PendingEvent:
    """An event waiting for delivery, as :meth:`DeliveryHandle.due` returns it.

    ``created_ms`` is the event's timestamp (epoch ms); ``attempts`` counts the
    failed deliveries so far.
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


@dataclass(frozen=True, slots=True)
class OutboxReport:
    """What the outbox holds: for a developer's status screen or a support ticket."""

    #: Events waiting for delivery (retries included).
    pending: int
    #: Events the server refused for good, newest first (at most the limit asked for).
    dead_letters: tuple[DeadLetter, ...]
    #: How many dead letters there are in all.
    dead_letter_count: int
    #: Events dropped by the size and age bounds, by reason (``DROPPED_*``).
    dropped: dict[str, int] = field(default_factory=dict)
    #: The capture time (epoch ms) of the oldest pending event, or None.
    oldest_pending_ms: int | None = None
