"""The game thread's handle: store one event durably, fast, and nothing slow."""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kgen_pygame.errors import UsageError
from kgen_pygame.runtime.outbox import write_lock
from kgen_pygame.runtime.outbox.connection import _Options
from kgen_pygame.runtime.outbox.database import _Database
from kgen_pygame.runtime.outbox.encoding import encode_body
from kgen_pygame.runtime.outbox.errors import _is_corruption, _storage_error
from kgen_pygame.runtime.outbox.ids import _check_event_id, _EventIds
from kgen_pygame.runtime.outbox.write_lock import _WRITE_LOCK

logger = logging.getLogger(__name__)

_MAX_KIND_CHARS = 64
_CAPTURE_BUSY_TIMEOUT_S = 0.1

_INSERT = (
    "INSERT INTO events (event_id, kind, body, created_ms, attempts, next_attempt_ms) "
    "VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (event_id) DO NOTHING"
)


class CaptureHandle:
    """The game thread's side of the outbox: durable ``add`` and nothing slow.

    Opening creates the folder and file if needed and moves a corrupt file
    aside; it takes a few milliseconds, so do it once at start-up.

    After ``os.fork()`` the handle reopens its own connection in the child on
    the next :meth:`add` (the inherited one is parked, never used), so a
    forked child can keep capturing into the same file.

    If a handle of this process moves a corrupt file aside, the next add goes
    to the fresh file. If another process does, or the file is deleted, the
    handle notices within ``recheck_file_every_s`` (an ``os.stat``, kept off
    the per-add path because it releases the GIL).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        synchronous_full: bool = False,
        busy_timeout_s: float = _CAPTURE_BUSY_TIMEOUT_S,
        recheck_file_every_s: float = 1.0,
    ) -> None:
        if busy_timeout_s <= 0 or recheck_file_every_s < 0:
            raise ValueError("busy_timeout_s must be positive, recheck_file_every_s >= 0")
        self._db = _Database(
            Path(path),
            _Options("capture", synchronous_full, busy_timeout_s, verify=False),
            stat_every_ns=int(recheck_file_every_s * 1e9),
        )
        self._db.open()
        self._ids = _EventIds()

    @property
    def path(self) -> Path:
        """The outbox file."""
        return self._db.path

    def add(
        self,
        kind: str,
        value: Any,
        metadata: Mapping[str, Any] | None = None,
        *,
        event_id: str | None = None,
        timestamp_ms: int | None = None,
    ) -> str:
        """Store one event durably and return its id (the future Idempotency-Key).

        The row is committed before this returns. ``value`` and ``metadata``
        must be JSON-serialisable (Decimals are stored as exact strings);
        otherwise ``TypeError``/``ValueError`` is raised and nothing is
        stored. ``event_id`` defaults to a new time-ordered random UUID (version
        7) in 32 hex digits; adding an id
        that is already pending is a no-op (the first capture wins).
        ``timestamp_ms`` defaults to now. Raises :class:`OutboxError` when the
        file cannot be written (disk full, folder read-only, locked by another
        process for longer than the busy timeout).
        """
        if type(kind) is not str or not 0 < len(kind) <= _MAX_KIND_CHARS:
            raise ValueError(f"event kind must be a string of 1-{_MAX_KIND_CHARS} characters")
        pid = os.getpid()
        now_ms = time.time_ns() // 1_000_000
        event_id = self._ids.next(pid, now_ms) if event_id is None else _check_event_id(event_id)
        if timestamp_ms is None:
            timestamp_ms = now_ms
        elif type(timestamp_ms) is not int or timestamp_ms < 0:
            raise ValueError("timestamp_ms must be a non-negative int (epoch milliseconds)")
        body = encode_body(value, metadata)
        params = (event_id, kind, body, timestamp_ms, now_ms)
        db = self._db
        conn = db.conn
        if conn is None or db.stale or db.pid != pid or db.stat_due():
            conn = self._reconnect() if conn is None or db.pid != pid or db.replaced() else conn
        lock = _WRITE_LOCK
        lock.acquire_first()
        try:
            conn.execute(_INSERT, params)
        except sqlite3.Error as error:
            failure: sqlite3.Error | None = error
        else:
            failure = None
        finally:
            write_lock._write_count += 1
            lock.release()
        if failure is not None:
            if not _is_corruption(failure):
                raise _storage_error(failure, db.path) from None
            conn = db.recover()
            lock.acquire_first()
            try:
                conn.execute(_INSERT, params)
            except sqlite3.Error as retry_error:
                raise _storage_error(retry_error, db.path) from None
            finally:
                write_lock._write_count += 1
                lock.release()
        return event_id

    def pending_count(self) -> int:
        """Events waiting for delivery (a COUNT over the table: avoid every frame)."""
        conn = self._db.conn
        if conn is None or self._db.pid != os.getpid():
            conn = self._reconnect()
        try:
            return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
        except sqlite3.Error as error:
            raise _storage_error(error, self._db.path) from None

    def close(self) -> None:
        """Close the connection (idempotent). :meth:`add` after close raises UsageError."""
        self._db.close()

    def __enter__(self) -> CaptureHandle:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<CaptureHandle {self._db.path.name}{' closed' if self._db.closed else ''}>"

    def _reconnect(self) -> sqlite3.Connection:
        if self._db.closed:
            raise UsageError("the event outbox is closed")
        if self._db.pid != os.getpid():
            logger.debug("event outbox used in a forked child: opening a new connection")
        return self._db.reopen()
