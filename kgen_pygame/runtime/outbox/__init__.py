"""The durable outbox: the single source of truth for game events.

Every tracked event is written to a SQLite file before ``track_score()``
returns, and leaves it only after the server acknowledged it (or, refused for
good, moves to a dead-letter table with the reason). The file is opened through
two handles with separate connections, one per role:

:class:`CaptureHandle`
    Game thread only. :meth:`CaptureHandle.add` INSERTs one row and commits
    before returning, in well under a millisecond: one prepared statement
    (sqlite3's statement cache), no per-call PRAGMAs, and automatic
    checkpoints switched off on this connection, so a checkpoint's ``fsync``
    never lands on the game thread.
:class:`DeliveryHandle`
    Worker thread only. Hands out due events (:meth:`~DeliveryHandle.due`),
    deletes delivered ones, schedules retries, dead-letters refused ones,
    checkpoints the WAL and enforces the size and age bounds.

Durability: the file runs in WAL mode with ``synchronous=NORMAL``. A committed
transaction survives the process being killed (SIGKILL, a crash, the game
closed from the task manager): the commit is in the WAL file, in the OS page
cache, before :meth:`CaptureHandle.add` returns. A power cut or OS crash can
lose the last moments of commits that were not yet checkpointed; pass
``synchronous_full=True`` to fsync on every commit instead (slower: a disk
flush per event).

The WAL is copied into the main file only by the worker
(:meth:`DeliveryHandle.checkpoint`, also every 5 s from ``due()``), which also
makes the WAL file start over, so it stays a few megabytes even while captures
never stop (one commit writes about 5 KiB of WAL).

Several processes of the same game may share one file. SQLite's locking keeps
writes whole, and :meth:`DeliveryHandle.due` *claims* the rows it returns
(``claimed_until_ms``, a lease) in the same statement as it selects them, so
two processes never get the same row while the lease runs. Each delivery
handle holds a shared ``flock`` on ``<file>.delivery.lock``; one that opens and
finds no other holder knows every claim in the file belongs to a process that
died mid-delivery, and releases them at once. (Without ``flock``, on Windows,
such claims run out after the lease.) A repeat delivery is harmless anyway:
the server counts each idempotency key once. Claims never touch
``next_attempt_ms``, so a retry's backoff survives a restart.

Inside one process, every write takes a lock first, with the game thread
ahead of the worker (see :mod:`.write_lock`). After ``fork()`` a capture
handle reopens its own connection and a delivery handle refuses to run (see
:mod:`.process`). A corrupt or unreadable file is moved aside, what can still
be read is salvaged into a fresh file, and the game goes on (see
:mod:`.recovery`).

Modules, one job each:

``constants``    public defaults: file name, bounds, lease, drop counter names
``errors``       :class:`OutboxError` and the classification of SQLite errors
``records``      :class:`PendingEvent` and :class:`DeadLetter`
``encoding``     event bodies to and from JSON; scrubbed error texts
``ids``          time-ordered event ids and the check on given ids
``schema``       tables, migrations, :data:`SCHEMA_VERSION`
``write_lock``   the in-process write lock (game thread first) and write count
``process``      this process's open databases and the ``fork()`` hooks
``file_locks``   ``flock`` files shared between processes
``connection``   opening and configuring one SQLite connection
``recovery``     moving a bad file aside and salvaging its events
``database``     one handle's connection, reopened when file or process change
``capture``      :class:`CaptureHandle`
``delivery``     :class:`DeliveryHandle`
"""

from __future__ import annotations

from kgen_pygame.runtime.outbox.capture import CaptureHandle
from kgen_pygame.runtime.outbox.constants import (
    DEFAULT_LEASE_MS,
    DEFAULT_MAX_AGE_S,
    DEFAULT_MAX_DEAD_LETTERS,
    DEFAULT_MAX_EVENTS,
    DROPPED_DEAD_LETTER_OVERFLOW,
    DROPPED_MAX_AGE,
    DROPPED_MAX_EVENTS,
    OUTBOX_FILENAME,
)
from kgen_pygame.runtime.outbox.delivery import DeliveryHandle
from kgen_pygame.runtime.outbox.encoding import encode_body
from kgen_pygame.runtime.outbox.errors import OutboxError
from kgen_pygame.runtime.outbox.records import DeadLetter, PendingEvent
from kgen_pygame.runtime.outbox.schema import SCHEMA_VERSION

# Not public: re-exported for the tests that drive the lock directly.
from kgen_pygame.runtime.outbox.write_lock import _WriteLock as _WriteLock

__all__ = [
    "DEFAULT_LEASE_MS",
    "DEFAULT_MAX_AGE_S",
    "DEFAULT_MAX_DEAD_LETTERS",
    "DEFAULT_MAX_EVENTS",
    "DROPPED_DEAD_LETTER_OVERFLOW",
    "DROPPED_MAX_AGE",
    "DROPPED_MAX_EVENTS",
    "OUTBOX_FILENAME",
    "SCHEMA_VERSION",
    "CaptureHandle",
    "DeadLetter",
    "DeliveryHandle",
    "OutboxError",
    "PendingEvent",
    "encode_body",
]
