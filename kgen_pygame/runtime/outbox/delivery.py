"""The worker thread's handle: hand out due events, settle them, keep the file small."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from kgen_pygame.errors import OutboxError, UsageError
from kgen_pygame.redact import redact_text
from kgen_pygame.runtime.outbox import sqlite_file
from kgen_pygame.runtime.outbox.records import (
    DEFAULT_MAX_AGE_S,
    DEFAULT_MAX_DEAD_LETTERS,
    DEFAULT_MAX_EVENTS,
    DROPPED_DEAD_LETTER_OVERFLOW,
    DROPPED_MAX_AGE,
    DROPPED_MAX_EVENTS,
    DeadLetter,
    OutboxReport,
    PendingEvent,
)
from kgen_pygame.runtime.outbox.sqlite_file import Options

logger = logging.getLogger(__name__)

T = TypeVar("T")

_WAIT_FOR_OTHER_PROCESS_S = 10.0
_MAX_ERROR_CHARS = 1000
# Rows per delete statement: bounds how long the game thread can wait behind the
# worker's write (see benchmarks/track_score_cost.py).
_ROWS_PER_WRITE = 32
_ROWS_PER_DROP = 500

_SELECT_DUE = (
    "SELECT seq, event_id, kind, body, created_ms, attempts, last_error FROM events "
    "WHERE next_attempt_ms <= ? ORDER BY next_attempt_ms, seq LIMIT ?"
)
_REQUEUE = (
    "INSERT INTO events (event_id, kind, body, created_ms, attempts, next_attempt_ms) "
    "SELECT event_id, kind, body, created_ms, 0, ? FROM dead_letters WHERE "
)
_COUNTER_ADD = (
    "INSERT INTO counters (name, value) VALUES (?, ?) "
    "ON CONFLICT (name) DO UPDATE SET value = value + excluded.value"
)


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _decode_body(body: str) -> tuple[Any, dict[str, Any]]:
    data = json.loads(body)
    if not isinstance(data, dict) or not isinstance(data.get("metadata", {}), dict):
        raise ValueError("event body is not an object with value and metadata")
    return data.get("value"), dict(data.get("metadata") or {})


def _clean_text(text: str | None) -> str | None:
    # Errors and reasons go into the file: scrub credentials and bound the size.
    if text is None:
        return None
    return redact_text(str(text))[:_MAX_ERROR_CHARS]


class DeliveryHandle:
    """The worker thread's side of the outbox: due events, retries, dead letters, bounds.

    The connection opens on first use, on the thread that uses it, with a
    ``PRAGMA quick_check`` (the worker can afford it; the game thread cannot). Use one
    per worker thread, in the process that holds the file's
    :class:`~kgen_pygame.runtime.outbox.deliverer.DelivererLock`.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        max_events: int = DEFAULT_MAX_EVENTS,
        max_age_s: float = DEFAULT_MAX_AGE_S,
        max_dead_letters: int = DEFAULT_MAX_DEAD_LETTERS,
        synchronous_full: bool = False,
    ) -> None:
        if max_events < 1 or max_dead_letters < 0:
            raise ValueError("max_events must be >= 1 and max_dead_letters >= 0")
        if max_age_s <= 0:
            raise ValueError("max_age_s must be positive")
        self._path = Path(path)
        self.max_events = int(max_events)
        self.max_age_ms = int(max_age_s * 1000)
        self.max_dead_letters = int(max_dead_letters)
        # SQLite's own busy wait is off: waiting for another process happens in _run,
        # outside STATEMENT_LOCK, so the game thread never waits behind that wait.
        self._options = Options(synchronous_full, 0.0, verify=True)
        self._conn: sqlite3.Connection | None = None
        self._pid = os.getpid()
        self._closed = False

    @property
    def path(self) -> Path:
        """The outbox file."""
        return self._path

    # -- delivery ------------------------------------------------------------------

    def due(self, now_ms: int, limit: int) -> list[PendingEvent]:
        """Up to ``limit`` events whose time has come, the longest-due first.

        An event is due when its ``next_attempt_ms <= now_ms``; for events not tried
        yet this is capture order. A row whose body cannot be decoded (never written
        by this package) is dead-lettered instead of returned.
        """
        if limit <= 0:
            return []
        rows = self._run(lambda conn: conn.execute(_SELECT_DUE, (now_ms, limit)).fetchall())
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
        """Delete delivered events (a few per statement); return how many were pending."""
        ids = list(dict.fromkeys(event_ids))
        deleted = 0
        for start in range(0, len(ids), _ROWS_PER_WRITE):
            chunk = ids[start : start + _ROWS_PER_WRITE]
            sql = f"DELETE FROM events WHERE event_id IN ({_marks(chunk)})"  # noqa: S608
            deleted += self._run(partial(_rowcount, sql, chunk))
        return deleted

    def schedule_retry(
        self, event_id: str, attempts: int, next_attempt_ms: int, error: str | None
    ) -> bool:
        """Record a failed try: the event is due again at ``next_attempt_ms``.

        The error text is scrubbed of credentials before it is stored. Returns False
        when the event is no longer pending.
        """
        params = (int(attempts), int(next_attempt_ms), _clean_text(error), event_id)
        changed = self._run(
            lambda conn: conn.execute(
                "UPDATE events SET attempts = ?, next_attempt_ms = ?, last_error = ? "
                "WHERE event_id = ?",
                params,
            ).rowcount
        )
        return bool(changed)

    def defer(self, event_ids: Iterable[str], until_ms: int) -> None:
        """Hold events back until ``until_ms`` without counting a failed try."""
        ids = list(event_ids)
        for start in range(0, len(ids), _ROWS_PER_WRITE):
            chunk = ids[start : start + _ROWS_PER_WRITE]
            sql = f"UPDATE events SET next_attempt_ms = ? WHERE event_id IN ({_marks(chunk)})"  # noqa: S608
            self._run(partial(_rowcount, sql, [until_ms, *chunk]))

    def dead_letter(self, event_id: str, status: int | None, reason: str) -> str | None:
        """Move an event to the dead-letter table with the server's status and the reason.

        Returns the event's kind, or None when it was no longer pending.
        """
        reason_text = _clean_text(reason) or "refused"

        def move(conn: sqlite3.Connection) -> str | None:
            row = conn.execute(
                "SELECT kind, body, created_ms FROM events WHERE event_id = ?", (event_id,)
            ).fetchone()
            if row is None:
                return None
            conn.execute(
                "INSERT INTO dead_letters (event_id, kind, body, created_ms, failed_ms, "
                "status, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (event_id, row[0], row[1], row[2], _now_ms(), status, reason_text),
            )
            conn.execute("DELETE FROM events WHERE event_id = ?", (event_id,))
            return str(row[0])

        return self._run(move, transaction=True)

    def requeue_dead_letters(self, event_ids: Iterable[str] | None = None) -> int:
        """Put dead letters back in the queue (all of them, or the given ids); returns how many.

        Use it after fixing what made the server refuse them (a rewardable event that
        was missing, a tournament id the game got wrong). They keep their ids, so a
        server that honours the Idempotency-Key still counts each once.
        """
        ids = None if event_ids is None else list(dict.fromkeys(event_ids))
        if ids == []:
            return 0
        # "WHERE 1" also keeps SQLite from reading ON CONFLICT as a join's ON.
        where = "1" if ids is None else f"event_id IN ({_marks(ids)})"
        params: list[object] = [] if ids is None else list(ids)
        insert = _REQUEUE + where + " ON CONFLICT (event_id) DO NOTHING"
        delete = f"DELETE FROM dead_letters WHERE {where}"  # noqa: S608

        def move(conn: sqlite3.Connection) -> int:
            moved = int(conn.execute(insert, [_now_ms(), *params]).rowcount)
            conn.execute(delete, params)
            return moved

        return self._run(move, transaction=True)

    # -- reading -----------------------------------------------------------------------

    def next_due_ms(self) -> int | None:
        """When the next event comes due (epoch ms), or None when none is pending."""
        row = self._run(
            lambda conn: conn.execute(
                "SELECT next_attempt_ms FROM events ORDER BY next_attempt_ms LIMIT 1"
            ).fetchone()
        )
        return None if row is None else int(row[0])

    def pending_count(self) -> int:
        """Events waiting for delivery."""
        return self._run(
            lambda conn: int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
        )

    def report(self, dead_letter_limit: int = 100) -> OutboxReport:
        """Pending count, dead letters with reasons (newest first), drop counters."""

        def read(conn: sqlite3.Connection) -> OutboxReport:
            pending, oldest = conn.execute(
                "SELECT count(*), min(created_ms) FROM events"
            ).fetchone()
            dead_count = conn.execute("SELECT count(*) FROM dead_letters").fetchone()[0]
            rows = conn.execute(
                "SELECT event_id, kind, body, created_ms, failed_ms, status, reason "
                "FROM dead_letters ORDER BY rowid DESC LIMIT ?",
                (max(0, int(dead_letter_limit)),),
            ).fetchall()
            counters = conn.execute("SELECT name, value FROM counters").fetchall()
            return OutboxReport(
                pending=int(pending),
                dead_letters=tuple(_dead_letter(row) for row in rows),
                dead_letter_count=int(dead_count),
                dropped={str(name): int(value) for name, value in counters},
                oldest_pending_ms=None if oldest is None else int(oldest),
            )

        return self._run(read)

    # -- housekeeping --------------------------------------------------------------------

    def enforce_bounds(self, now_ms: int) -> dict[str, int]:
        """Drop what the bounds allow no more: the oldest events beyond ``max_events``,
        events older than ``max_age``, the oldest dead letters beyond their limit.

        Each drop is counted by reason (never silent); returns what was dropped now.
        """
        dropped: dict[str, int] = {}
        self._drop(
            dropped,
            DROPPED_MAX_AGE,
            "DELETE FROM events WHERE seq IN "
            "(SELECT seq FROM events WHERE created_ms < ? ORDER BY seq LIMIT ?)",
            (now_ms - self.max_age_ms,),
            None,
        )
        excess = self.pending_count() - self.max_events
        if excess > 0:
            self._drop(
                dropped,
                DROPPED_MAX_EVENTS,
                "DELETE FROM events WHERE seq IN (SELECT seq FROM events ORDER BY seq LIMIT ?)",
                (),
                excess,
            )
        dead = self._run(
            lambda conn: int(conn.execute("SELECT count(*) FROM dead_letters").fetchone()[0])
        )
        if dead > self.max_dead_letters:
            self._drop(
                dropped,
                DROPPED_DEAD_LETTER_OVERFLOW,
                "DELETE FROM dead_letters WHERE rowid IN "
                "(SELECT rowid FROM dead_letters ORDER BY rowid LIMIT ?)",
                (),
                dead - self.max_dead_letters,
            )
        for reason, count in dropped.items():
            logger.warning("dropped %d event(s) from the outbox: %s", count, reason)
        return dropped

    def checkpoint(self) -> tuple[int, int]:
        """Copy the WAL into the file, so the WAL starts over and stays small.

        ``PASSIVE`` never waits for the game thread's writes: a checkpoint that could
        not finish is simply completed by a later one. Returns the WAL's frames and
        how many of them are now in the file.
        """
        row = self._run(lambda conn: conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone())
        return int(row[1]), int(row[2])

    def close(self) -> None:
        """Close the connection (idempotent); later calls raise UsageError."""
        self._closed = True
        conn, self._conn = self._conn, None
        if conn is not None and self._pid == os.getpid():
            try:
                sqlite_file.close(conn)
            except sqlite3.Error:
                logger.debug("closing the delivery connection failed", exc_info=True)

    def __enter__(self) -> DeliveryHandle:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<DeliveryHandle {self._path.name}{' closed' if self._closed else ''}>"

    # -- internals --------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            raise UsageError("the event outbox delivery handle is closed")
        if self._pid != os.getpid():
            raise UsageError("a DeliveryHandle cannot be used in a forked child; open a new one")
        if self._conn is None:
            self._conn = sqlite_file.open_with_recovery(self._path, self._options)
        return self._conn

    def _run(self, work: Callable[[sqlite3.Connection], T], *, transaction: bool = False) -> T:
        """Run ``work`` as a read, a write statement or a write transaction.

        Every statement holds ``STATEMENT_LOCK``; waiting for another process's lock
        happens outside it. A corruption error moves the file aside and retries once.
        """
        deadline: float | None = None
        pause = 0.002
        recovered = False
        while True:
            conn = self._connection()
            try:
                with sqlite_file.STATEMENT_LOCK:
                    if not transaction:
                        return work(conn)
                    conn.execute("BEGIN IMMEDIATE")
                    try:
                        result = work(conn)
                        conn.execute("COMMIT")
                    except BaseException:
                        if conn.in_transaction:
                            conn.execute("ROLLBACK")
                        raise
                    return result
            except sqlite3.Error as error:
                if sqlite_file.is_corruption(error) and not recovered:
                    recovered = True
                    self._conn = None
                    with_closed(conn)
                    self._conn = sqlite_file.recover(self._path, self._options)
                    continue
                if not sqlite_file.is_busy(error):
                    raise sqlite_file.storage_error(error, self._path) from None
            now = time.monotonic()
            if deadline is None:
                deadline = now + _WAIT_FOR_OTHER_PROCESS_S
            if now >= deadline:
                raise OutboxError(
                    f"the event outbox {self._path.name} stayed locked by another process "
                    f"for {_WAIT_FOR_OTHER_PROCESS_S:g} s"
                )
            time.sleep(pause)
            pause = min(pause * 2, 0.05)

    def _drop(
        self,
        dropped: dict[str, int],
        counter: str,
        sql: str,
        params: tuple[int, ...],
        total: int | None,
    ) -> None:
        """Run a ``... LIMIT ?`` delete chunk by chunk, counting under ``counter``."""
        remaining = total
        while remaining is None or remaining > 0:
            size = _ROWS_PER_DROP if remaining is None else min(_ROWS_PER_DROP, remaining)

            def chunk(conn: sqlite3.Connection, size: int = size) -> int:
                removed = int(conn.execute(sql, (*params, size)).rowcount)
                if removed > 0:
                    conn.execute(_COUNTER_ADD, (counter, removed))
                return removed

            removed = self._run(chunk, transaction=True)
            if removed > 0:
                dropped[counter] = dropped.get(counter, 0) + removed
            if removed < size:
                return
            if remaining is not None:
                remaining -= removed


def _marks(values: list[str]) -> str:
    """``?,?,?``: one placeholder per value (the values are always bound, never inlined)."""
    return ",".join("?" * len(values))


def _rowcount(sql: str, params: Sequence[object], conn: sqlite3.Connection) -> int:
    return int(conn.execute(sql, params).rowcount)


def with_closed(conn: sqlite3.Connection) -> None:
    """Close a connection that failed, ignoring a second failure."""
    try:
        sqlite_file.close(conn)
    except sqlite3.Error:
        logger.debug("closing a failed outbox connection failed", exc_info=True)


def _dead_letter(row: tuple[Any, ...]) -> DeadLetter:
    event_id, kind, body, created_ms, failed_ms, status, reason = row
    try:
        value, metadata = _decode_body(body)
    except ValueError:
        value, metadata = body, {}
    return DeadLetter(event_id, kind, value, metadata, created_ms, failed_ms, status, reason)
