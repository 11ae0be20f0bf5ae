"""The worker thread's handle: claim due events, settle them, keep the file small."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from kgen_pygame.errors import UsageError
from kgen_pygame.runtime.outbox import write_lock
from kgen_pygame.runtime.outbox.connection import _PAGE_SIZE, _Options
from kgen_pygame.runtime.outbox.constants import (
    DEFAULT_LEASE_MS,
    DEFAULT_MAX_AGE_S,
    DEFAULT_MAX_DEAD_LETTERS,
    DEFAULT_MAX_EVENTS,
    DROPPED_DEAD_LETTER_OVERFLOW,
    DROPPED_MAX_AGE,
    DROPPED_MAX_EVENTS,
)
from kgen_pygame.runtime.outbox.database import _Database
from kgen_pygame.runtime.outbox.encoding import _clean_text, _decode_body
from kgen_pygame.runtime.outbox.errors import (
    OutboxError,
    _is_busy,
    _is_corruption,
    _storage_error,
)
from kgen_pygame.runtime.outbox.file_locks import _hold_presence_lock
from kgen_pygame.runtime.outbox.records import DeadLetter, PendingEvent
from kgen_pygame.runtime.outbox.write_lock import _WRITE_LOCK, _count_write

logger = logging.getLogger(__name__)

T = TypeVar("T")

_DELIVERY_BUSY_TIMEOUT_S = 10.0
_AUTO_CHECKPOINT_EVERY_S = 5.0
_CHECKPOINT_CATCH_UP_PASSES = 4
_WAL_FORCE_RESTART_BYTES = 64 * 1024 * 1024

# All walk the next_attempt_ms index (which ends in the rowid, seq): O(limit),
# however large the backlog and however many rows are backing off; claimed
# rows (a batch or two in flight) are skipped on the way.
_SELECT_DUE = (
    "SELECT seq, event_id, kind, body, created_ms, attempts, last_error FROM events "
    "WHERE seq IN (SELECT seq FROM events WHERE next_attempt_ms <= :now "
    "AND (claimed_until_ms IS NULL OR claimed_until_ms <= :now) "
    "ORDER BY next_attempt_ms, seq LIMIT :limit)"
)
_LEASE = (
    "UPDATE events SET claimed_until_ms = :until "
    "WHERE seq IN (SELECT seq FROM events WHERE next_attempt_ms <= :now "
    "AND (claimed_until_ms IS NULL OR claimed_until_ms <= :now) "
    "ORDER BY next_attempt_ms, seq LIMIT :limit)"
)
_CLAIM = (
    "UPDATE events SET claimed_until_ms = :until "
    "WHERE seq IN (SELECT seq FROM events WHERE next_attempt_ms <= :now "
    "AND (claimed_until_ms IS NULL OR claimed_until_ms <= :now) "
    "ORDER BY next_attempt_ms, seq LIMIT :limit) "
    "RETURNING seq, event_id, kind, body, created_ms, attempts, last_error"
)
_NEXT_UNCLAIMED = (
    "SELECT next_attempt_ms FROM events "
    "WHERE claimed_until_ms IS NULL OR claimed_until_ms <= :now "
    "ORDER BY next_attempt_ms LIMIT 1"
)
_NEXT_CLAIM_END = "SELECT min(claimed_until_ms) FROM events WHERE claimed_until_ms > :now"
_HAS_RETURNING = sqlite3.sqlite_version_info >= (3, 35, 0)
# Rows per claim or delete statement: bounds how long the game thread can wait
# behind the worker's write lock (see benchmarks/track_score_cost.py).
_ROWS_PER_WRITE = 16
_ROWS_PER_DROP = 500
# DeliveryHandle._run modes.
_READ, _STATEMENT, _TRANSACTION = 0, 1, 2


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _by_seq(event: PendingEvent) -> int:
    return event.seq


def _claim(
    lease_until: int, now_ms: int, size: int, conn: sqlite3.Connection
) -> list[tuple[Any, ...]]:
    params = {"until": lease_until, "now": now_ms, "limit": size}
    return conn.execute(_CLAIM, params).fetchall()


def _execute_count(sql: str, params: list[str], conn: sqlite3.Connection) -> int:
    return int(conn.execute(sql, params).rowcount)


_COUNTER_ADD = (
    "INSERT INTO counters (name, value) VALUES (?, ?) "
    "ON CONFLICT (name) DO UPDATE SET value = value + excluded.value"
)


class DeliveryHandle:
    """The worker thread's side of the outbox: claim, deliver, retry, dead-letter.

    The connection opens lazily on first use, on the thread that uses it, and
    runs ``PRAGMA quick_check`` then (the worker can afford it; the game
    thread cannot). Use one DeliveryHandle per worker thread. It cannot be
    used in a forked child (:class:`~kgen_pygame.errors.UsageError`): open a
    new one there.

    ``max_events``, ``max_age_s`` and ``max_dead_letters`` are the bounds
    :meth:`enforce_bounds` keeps; ``lease_ms`` is how long :meth:`due` hides
    the rows it hands out from other claimers (see :data:`DEFAULT_LEASE_MS`).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        max_events: int = DEFAULT_MAX_EVENTS,
        max_age_s: float = DEFAULT_MAX_AGE_S,
        max_dead_letters: int = DEFAULT_MAX_DEAD_LETTERS,
        lease_ms: int = DEFAULT_LEASE_MS,
        synchronous_full: bool = False,
        busy_timeout_s: float = _DELIVERY_BUSY_TIMEOUT_S,
    ) -> None:
        if max_events < 1 or max_dead_letters < 0:
            raise ValueError("max_events must be >= 1 and max_dead_letters >= 0")
        if max_age_s <= 0 or lease_ms <= 0 or busy_timeout_s < 0:
            raise ValueError("max_age_s and lease_ms must be positive, busy_timeout_s >= 0")
        self.max_events = int(max_events)
        self.max_age_ms = int(max_age_s * 1000)
        self.max_dead_letters = int(max_dead_letters)
        self.lease_ms = int(lease_ms)
        self._busy_timeout_s = busy_timeout_s
        # SQLite's own busy wait is off (timeout 0): waiting for another process
        # happens in _run, outside the module write lock, so the game thread
        # never waits behind a worker that waits for someone else.
        self._db = _Database(Path(path), _Options("delivery", synchronous_full, 0.0, verify=True))
        self._last_checkpoint = time.monotonic()
        self._presence_fd: int | None = None

    @property
    def path(self) -> Path:
        """The outbox file."""
        return self._db.path

    # -- delivery ---------------------------------------------------------

    def due(self, now_ms: int, limit: int, *, lease_ms: int | None = None) -> list[PendingEvent]:
        """Claim and return up to ``limit`` due events, the longest-due first.

        An event is due when its ``next_attempt_ms <= now_ms``. The batch is
        the ``limit`` events due the longest (by ``next_attempt_ms``, then
        ``seq``), returned in capture (``seq``) order; for events not tried
        yet both orders are capture order. The returned rows are claimed
        (``claimed_until_ms = now_ms + lease``) in the same statement as they
        are selected, so no other handle gets them until the lease ends; settle
        each with :meth:`mark_delivered`, :meth:`schedule_retry` or
        :meth:`dead_letter`. A row whose body cannot be decoded (never written
        by this module) is dead-lettered instead of returned.
        """
        if limit <= 0:
            return []
        if self._db.conn is not None and self._db.replaced():
            self._db.reopen()
        lease_until = now_ms + (self.lease_ms if lease_ms is None else lease_ms)

        events: list[PendingEvent] = []
        if _HAS_RETURNING:
            # Claim a few rows per statement, each its own transaction, and
            # decode them before claiming more: the game thread never waits
            # long behind the write lock or the GIL (64 rows at once held each
            # for ~0.2 ms).
            while len(events) < limit:
                size = min(_ROWS_PER_WRITE, limit - len(events))
                rows = self._run(partial(_claim, lease_until, now_ms, size), mode=_STATEMENT)
                events += self._decode_rows(rows)
                if len(rows) < size:
                    break
            events.sort(key=_by_seq)
        else:  # SQLite < 3.35: select and lease in one transaction
            params = {"until": lease_until, "now": now_ms, "limit": limit}

            def claim(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
                rows = conn.execute(_SELECT_DUE, params).fetchall()
                if rows:
                    conn.execute(_LEASE, params)
                return rows

            events = self._decode_rows(self._run(claim, mode=_TRANSACTION))
        self._maybe_checkpoint()
        return events

    def _decode_rows(self, rows: list[tuple[Any, ...]]) -> list[PendingEvent]:
        events: list[PendingEvent] = []
        for seq, event_id, kind, body, created_ms, attempts, last_error in rows:
            try:
                value, metadata = _decode_body(body)
            except ValueError as error:
                self.dead_letter(event_id, None, f"stored body unreadable: {error}")
                continue
            events.append(
                PendingEvent(seq, event_id, kind, value, metadata, created_ms, attempts, last_error)
            )
        return events

    def mark_delivered(self, event_ids: Iterable[str]) -> int:
        """Delete delivered events; return how many were still pending.

        The ids go in ``DELETE`` statements of a few ids each, each its own
        transaction, so the game thread never waits long behind this. (Should
        the process die in between, the rest are sent again under the same
        idempotency keys, which the server counts once.)
        """
        ids = list(dict.fromkeys(event_ids))
        deleted = 0
        for start in range(0, len(ids), _ROWS_PER_WRITE):
            chunk = ids[start : start + _ROWS_PER_WRITE]
            marks = ",".join("?" * len(chunk))
            sql = f"DELETE FROM events WHERE event_id IN ({marks})"  # noqa: S608 - only ?s
            deleted += self._run(partial(_execute_count, sql, chunk), mode=_STATEMENT)
        return deleted

    def schedule_retry(
        self, event_id: str, attempts: int, next_attempt_ms: int, error: str | None
    ) -> bool:
        """Record a failed try: set ``attempts``, ``next_attempt_ms`` and ``last_error``.

        This also ends the claim: the event is due again at ``next_attempt_ms``
        (use it to hand back the unsent events of a batch, too). The error text
        is scrubbed of credentials and shortened before it is stored. Returns
        False when the event is no longer pending.
        """
        params = (int(attempts), int(next_attempt_ms), _clean_text(error), event_id)

        def update(conn: sqlite3.Connection) -> bool:
            cursor = conn.execute(
                "UPDATE events SET attempts = ?, next_attempt_ms = ?, last_error = ?, "
                "claimed_until_ms = NULL WHERE event_id = ?",
                params,
            )
            return cursor.rowcount > 0

        return self._run(update, mode=_STATEMENT)

    def dead_letter(self, event_id: str, status: int | None, reason: str) -> bool:
        """Move an event to ``dead_letters`` with the HTTP status and reason, atomically.

        Returns False when the event is no longer pending.
        """
        params = (_now_ms(), status, _clean_text(reason) or "", event_id)

        def move(conn: sqlite3.Connection) -> bool:
            cursor = conn.execute(
                "INSERT INTO dead_letters (event_id, kind, body, created_ms, failed_ms, "
                "status, reason) SELECT event_id, kind, body, created_ms, ?, ?, ? "
                "FROM events WHERE event_id = ?",
                params,
            )
            if cursor.rowcount == 0:
                return False
            conn.execute("DELETE FROM events WHERE event_id = ?", (event_id,))
            return True

        return self._run(move, mode=_TRANSACTION)

    # -- housekeeping -----------------------------------------------------

    def checkpoint(self) -> tuple[int, int]:
        """Copy committed WAL pages into the main file (``PRAGMA wal_checkpoint(PASSIVE)``).

        Never blocks writers; call it from the worker every few seconds (the
        delivery calls also do it every 5 s). The WAL file starts over only
        after a checkpoint that caught up with every commit, so while captures
        keep arriving this runs a few quick passes, each copying what arrived
        during the one before. Returns ``(wal_frames, checkpointed_frames)`` of
        the last pass; ``(-1, -1)`` when not in WAL mode.
        """
        self._last_checkpoint = time.monotonic()

        def run(conn: sqlite3.Connection) -> tuple[int, int]:
            _busy, frames, done = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            return int(frames), int(done)

        frames, done = self._run(run)
        writes_before = write_lock._write_count
        for _ in range(_CHECKPOINT_CATCH_UP_PASSES):
            # Quick passes copy what arrived during the one before, until one
            # finds nothing new written meanwhile.
            writes_before = write_lock._write_count
            frames, done = self._run(run)
            if done >= frames and write_lock._write_count == writes_before:
                break
        restarted = 0 < frames <= done and self._restart_wal(writes_before)
        if not restarted and frames * _PAGE_SIZE > _WAL_FORCE_RESTART_BYTES:
            # Captures never paused long enough: restart anyway, once the WAL
            # is this big, at the price of one fsync the game thread may wait for.
            self._restart_wal(None)
        return frames, done

    def _restart_wal(self, writes_before: int | None) -> bool:
        """Start the WAL file over after a checkpoint that caught up.

        SQLite restarts the WAL only when a write begins while everything is
        checkpointed; with captures arriving all the time that moment may never
        come, and the file grows. ``wal_checkpoint(RESTART)`` does it at once.
        It runs under the write lock, and only if nothing in this process
        wrote since the checkpoint, so it has nothing left to copy and no
        fsync makes the game thread wait (``writes_before=None`` forces it).
        If another process is busy it returns at once (busy timeout 0) and the
        next checkpoint tries again.
        """

        def restart(conn: sqlite3.Connection) -> bool:
            with _WRITE_LOCK:
                if writes_before is not None and write_lock._write_count != writes_before:
                    return False
                busy = conn.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()[0]
                return not busy

        try:
            return self._run(restart)
        except OutboxError:
            return False

    def enforce_bounds(self, now_ms: int) -> dict[str, int]:
        """Drop the oldest events beyond ``max_events`` or older than ``max_age_s``.

        Also trims ``dead_letters`` to ``max_dead_letters``. Every drop is
        added to the ``counters`` table under its reason, in the same
        transaction, and logged as a warning; returns the drops of this call
        by counter name. Large drops go 500 rows per transaction.
        """
        cutoff = now_ms - self.max_age_ms

        def measure(conn: sqlite3.Connection) -> tuple[bool, int, int]:
            too_old = conn.execute(
                "SELECT 1 FROM events WHERE created_ms < ? LIMIT 1", (cutoff,)
            ).fetchone()
            count = conn.execute("SELECT count(*) FROM events").fetchone()[0]
            dead = conn.execute("SELECT count(*) FROM dead_letters").fetchone()[0]
            return too_old is not None, int(count), int(dead)

        too_old, count, dead = self._run(measure)
        if not too_old and count <= self.max_events and dead <= self.max_dead_letters:
            return {}

        dropped: dict[str, int] = {}
        if too_old:
            self._drop_in_chunks(
                dropped,
                DROPPED_MAX_AGE,
                "DELETE FROM events WHERE seq IN (SELECT seq FROM events "
                "WHERE created_ms < ? ORDER BY seq LIMIT ?)",
                (cutoff,),
                None,
            )
        if count > self.max_events:
            excess = self.pending_count() - self.max_events
            self._drop_in_chunks(
                dropped,
                DROPPED_MAX_EVENTS,
                "DELETE FROM events WHERE seq IN (SELECT seq FROM events ORDER BY seq LIMIT ?)",
                (),
                excess,
            )
        if dead > self.max_dead_letters:
            self._drop_in_chunks(
                dropped,
                DROPPED_DEAD_LETTER_OVERFLOW,
                "DELETE FROM dead_letters WHERE rowid IN "
                "(SELECT rowid FROM dead_letters ORDER BY rowid LIMIT ?)",
                (),
                dead - self.max_dead_letters,
            )
        for name, number in dropped.items():
            logger.warning(
                "event outbox over its bounds: dropped %d event(s) (%s; max_events=%d, "
                "max_age_s=%d, max_dead_letters=%d)",
                number,
                name,
                self.max_events,
                self.max_age_ms // 1000,
                self.max_dead_letters,
            )
        return dropped

    # -- inspection -------------------------------------------------------

    def next_due_ms(self) -> int | None:
        """When the next event comes due (epoch ms), or None when none is pending.

        An event claimed by another handle counts from the end of its lease.
        """
        params = {"now": _now_ms()}

        def read(conn: sqlite3.Connection) -> int | None:
            unclaimed = conn.execute(_NEXT_UNCLAIMED, params).fetchone()
            claim_end = conn.execute(_NEXT_CLAIM_END, params).fetchone()[0]
            times = [int(t) for t in (unclaimed and unclaimed[0], claim_end) if t is not None]
            return min(times) if times else None

        return self._run(read)

    def pending_count(self) -> int:
        """Events waiting for delivery, leased ones included."""
        return self._run(
            lambda conn: int(conn.execute("SELECT count(*) FROM events").fetchone()[0]),
        )

    def dead_letter_count(self) -> int:
        """Events in the dead-letter table."""
        return self._run(
            lambda conn: int(conn.execute("SELECT count(*) FROM dead_letters").fetchone()[0]),
        )

    def dead_letters(self, limit: int = 100) -> list[DeadLetter]:
        """The most recent dead letters, newest first."""

        def read(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
            return conn.execute(
                "SELECT event_id, kind, body, created_ms, failed_ms, status, reason "
                "FROM dead_letters ORDER BY rowid DESC LIMIT ?",
                (max(0, int(limit)),),
            ).fetchall()

        letters: list[DeadLetter] = []
        for event_id, kind, body, created_ms, failed_ms, status, reason in self._run(read):
            try:
                value, metadata = _decode_body(body)
            except ValueError:
                value, metadata = body, {}
            letters.append(
                DeadLetter(event_id, kind, value, metadata, created_ms, failed_ms, status, reason)
            )
        return letters

    def counters(self) -> dict[str, int]:
        """Drop counters by reason (see the ``DROPPED_*`` names)."""
        rows = self._run(
            lambda conn: conn.execute("SELECT name, value FROM counters").fetchall(),
        )
        return {str(name): int(value) for name, value in rows}

    def close(self) -> None:
        """Close the connection (idempotent); later calls raise UsageError."""
        self._db.close()
        fd, self._presence_fd = self._presence_fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)  # never LOCK_UN: a forked child may share the lock

    def __enter__(self) -> DeliveryHandle:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<DeliveryHandle {self._db.path.name}{' closed' if self._db.closed else ''}>"

    # -- internals --------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        db = self._db
        if db.closed:
            raise UsageError("the event outbox delivery handle is closed")
        if db.pid != os.getpid():
            raise UsageError(
                "a DeliveryHandle cannot be used in a forked child process; open a new one"
            )
        conn = db.conn
        if conn is None:
            conn = db.open()
            if self._presence_fd is None:
                self._announce_presence(conn)
        return conn

    def _announce_presence(self, conn: sqlite3.Connection) -> None:
        """Hold a shared flock for this handle's life; if no one else holds one,
        release every claim in the file (their owners died mid-delivery)."""
        held = _hold_presence_lock(self._db.path)
        if held is None:
            return
        self._presence_fd, alone = held
        if not alone:
            return
        try:
            with _WRITE_LOCK:
                released = conn.execute(
                    "UPDATE events SET claimed_until_ms = NULL WHERE claimed_until_ms IS NOT NULL"
                ).rowcount
        except sqlite3.Error as error:  # they run out after the lease anyway
            logger.debug("could not release stale claims (%s)", error)
            return
        if released > 0:
            logger.info(
                "%d event(s) claimed by a process that ended mid-delivery are due again",
                released,
            )

    def _run(self, work: Callable[[sqlite3.Connection], T], *, mode: int = 0) -> T:
        """Run ``work`` as a read, a single write statement or a write transaction.

        Writes hold the module write lock; waiting for another process happens
        outside it. A corruption error moves the file aside and retries once
        on the fresh file.
        """
        deadline: float | None = None
        pause = 0.002
        recovered = False
        while True:
            conn = self._connection()
            try:
                if mode == _TRANSACTION:
                    return self._transaction(conn, work)
                if mode == _STATEMENT:
                    with _WRITE_LOCK:
                        _count_write()
                        return work(conn)
                return work(conn)
            except sqlite3.Error as error:
                if _is_corruption(error) and not recovered:
                    recovered = True
                    self._db.recover()
                    continue
                if not _is_busy(error):
                    raise _storage_error(error, self._db.path) from None
            now = time.monotonic()
            if deadline is None:
                deadline = now + self._busy_timeout_s
            if now >= deadline:
                raise OutboxError(
                    f"the event outbox {self._db.path.name} stayed locked by another "
                    f"process for {self._busy_timeout_s:g}s"
                )
            time.sleep(pause)
            pause = min(pause * 2, 0.05)

    @staticmethod
    def _transaction(conn: sqlite3.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
        with _WRITE_LOCK:
            _count_write()
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(conn)
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise
            return result

    def _drop_in_chunks(
        self,
        dropped: dict[str, int],
        counter: str,
        sql: str,
        params: tuple[int, ...],
        total: int | None,
    ) -> None:
        """Run a ``... LIMIT ?`` delete chunk by chunk, counting under ``counter``."""
        remaining = total

        def chunk(conn: sqlite3.Connection, size: int) -> int:
            removed = int(conn.execute(sql, (*params, size)).rowcount)
            if removed > 0:
                conn.execute(_COUNTER_ADD, (counter, removed))
            return removed

        while remaining is None or remaining > 0:
            size = _ROWS_PER_DROP if remaining is None else min(_ROWS_PER_DROP, remaining)
            removed = self._run(partial(chunk, size=size), mode=_TRANSACTION)
            if removed > 0:
                dropped[counter] = dropped.get(counter, 0) + removed
            if removed < size:
                return
            if remaining is not None:
                remaining -= removed

    def _maybe_checkpoint(self) -> None:
        if time.monotonic() - self._last_checkpoint >= _AUTO_CHECKPOINT_EVERY_S:
            with contextlib.suppress(OutboxError):
                self.checkpoint()
