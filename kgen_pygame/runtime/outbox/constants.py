"""The outbox's public defaults: file name, bounds, lease and drop counter names."""

from __future__ import annotations

from typing import Final

OUTBOX_FILENAME: Final = "outbox.sqlite3"
DEFAULT_MAX_EVENTS: Final = 100_000
DEFAULT_MAX_AGE_S: Final = 30 * 86_400.0
DEFAULT_MAX_DEAD_LETTERS: Final = 10_000
#: How long a claimed row stays invisible to other claimers. It must outlast
#: the delivery of one batch; when it does not, a row may be sent twice, which
#: the event's idempotency key makes harmless.
DEFAULT_LEASE_MS: Final = 120_000

#: Counter names (the ``counters`` table) for events dropped by the bounds.
DROPPED_MAX_EVENTS: Final = "dropped_max_events"
DROPPED_MAX_AGE: Final = "dropped_max_age"
DROPPED_DEAD_LETTER_OVERFLOW: Final = "dropped_dead_letter_overflow"
