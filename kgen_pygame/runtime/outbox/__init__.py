"""The durable outbox: the single source of truth for tracked events.

What it guarantees, and why each is a product requirement (``docs/architecture.md``):

1. **Durable on return.** ``CaptureHandle.add`` commits before ``track_score()``
   returns: SQLite in WAL mode, one INSERT, one commit, tens of microseconds.
2. **Across SIGKILL and crashes.** A committed row is in the WAL, in the OS page
   cache, before ``add`` returns; a killed game loses nothing it was told was stored.
   A power cut can lose the last moments unless ``synchronous_full=True`` (``KGen(
   power_loss_safe=True)``), which fsyncs every commit.
3. **Several processes of one game** (a player starts it twice) share the file:
   SQLite keeps writes whole, and a :class:`DelivererLock` makes one process at a time
   the sender, so no event is in two senders' hands at once. The OS drops the lock
   when its process dies; the next process to try takes over with every row intact.
4. **fork()**: a forked child may capture (its handle opens its own connection); it
   never delivers and never holds its parent's lock.
5. **A damaged file** never stops the game: it is moved aside, a fresh one is made, and
   the pending events that still read are salvaged into it.
6. **Bounded** in size and age; whatever the bounds drop is counted by reason, and
   events the server refused for good are kept as dead letters with the reason, for
   the developer to inspect and requeue (``kgen.delivery_report()``, ``kgen-outbox``).

Events leave the file only after the server accepted them (2xx). Modules: ``records``
(what it hands out, defaults), ``sqlite_file`` (opening, schema, bad files, the write
lock), ``capture`` (game thread), ``delivery`` (worker thread), ``deliverer`` (the lock).
"""

from __future__ import annotations

from kgen_pygame.errors import OutboxError
from kgen_pygame.runtime.outbox.capture import MAX_BODY_CHARS, CaptureHandle, encode_body
from kgen_pygame.runtime.outbox.deliverer import DelivererLock
from kgen_pygame.runtime.outbox.delivery import DeliveryHandle
from kgen_pygame.runtime.outbox.records import (
    DEFAULT_MAX_AGE_S,
    DEFAULT_MAX_DEAD_LETTERS,
    DEFAULT_MAX_EVENTS,
    DROPPED_DEAD_LETTER_OVERFLOW,
    DROPPED_MAX_AGE,
    DROPPED_MAX_EVENTS,
    OUTBOX_FILENAME,
    DeadLetter,
    OutboxReport,
    PendingEvent,
)
from kgen_pygame.runtime.outbox.sqlite_file import SCHEMA_VERSION

__all__ = [
    "DEFAULT_MAX_AGE_S",
    "DEFAULT_MAX_DEAD_LETTERS",
    "DEFAULT_MAX_EVENTS",
    "DROPPED_DEAD_LETTER_OVERFLOW",
    "DROPPED_MAX_AGE",
    "DROPPED_MAX_EVENTS",
    "MAX_BODY_CHARS",
    "OUTBOX_FILENAME",
    "SCHEMA_VERSION",
    "CaptureHandle",
    "DeadLetter",
    "DelivererLock",
    "DeliveryHandle",
    "OutboxError",
    "OutboxReport",
    "PendingEvent",
    "encode_body",
]
