"""The game thread's handle: store one event durably, fast, and nothing slow."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from kgen_pygame.errors import OutboxError, UsageError
from kgen_pygame.runtime.outbox import sqlite_file
from kgen_pygame.runtime.outbox.sqlite_file import Options

logger = logging.getLogger(__name__)

#: The longest stored event body (JSON characters).
MAX_BODY_CHARS: Final = 64 * 1024
_MAX_KIND_CHARS = 64
_MAX_EVENT_ID_CHARS = 128
_CAPTURE_BUSY_TIMEOUT_S = 0.1

_INSERT = (
    "INSERT INTO events (event_id, kind, body, created_ms, attempts, next_attempt_ms) "
    "VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (event_id) DO NOTHING"
)


def _json_default(obj: object) -> object:
    if isinstance(obj, Decimal):
        if not obj.is_finite():
            raise ValueError(f"Decimal {obj} is not a finite number")
        return str(obj)
    raise TypeError(f"values of type {type(obj).__name__} cannot be stored")


_encoder = json.JSONEncoder(
    default=_json_default, allow_nan=False, separators=(",", ":"), ensure_ascii=False
)


def encode_body(value: Any, metadata: Mapping[str, Any] | None) -> str:
    """Serialise ``value`` and ``metadata`` to the JSON stored in ``events.body``.

    Decimals become their exact string form; NaN/infinity, non-string metadata keys
    and anything JSON cannot carry raise ``TypeError``/``ValueError`` naming the
    offending part, so nothing half-written is stored.
    """
    if metadata is None:
        metadata = {}
    elif not isinstance(metadata, Mapping):
        raise TypeError(f"event metadata must be a mapping, not {type(metadata).__name__}")
    for key in metadata:
        if not isinstance(key, str):
            raise TypeError(f"event metadata keys must be strings, got {key!r}")
    try:
        body = _encoder.encode({"value": value, "metadata": dict(metadata)})
    except (TypeError, ValueError) as error:
        raise _describe_encoding_error(value, metadata, error) from None
    if len(body) > MAX_BODY_CHARS:
        raise ValueError(
            f"an event is limited to {MAX_BODY_CHARS} characters of JSON (got {len(body)})"
        )
    return body


def _describe_encoding_error(
    value: Any, metadata: Mapping[str, Any], error: Exception
) -> Exception:
    """Name the value or metadata key that could not be encoded (slow path only)."""
    parts: list[tuple[str, Any]] = [("the event value", value)]
    parts.extend((f"event metadata {key!r}", item) for key, item in metadata.items())
    for label, item in parts:
        try:
            _encoder.encode(item)
        except (TypeError, ValueError) as inner:
            reason = str(inner)
            if "Out of range float" in reason:
                reason = "NaN and infinity cannot be stored"
            elif "Circular reference" in reason:
                reason = "it refers to itself"
            return type(inner)(
                f"{label} cannot be stored as JSON: {reason} "
                "(use str, int, float, bool, None, Decimal, lists and dicts)"
            )
    return type(error)(f"the event cannot be stored as JSON: {error}")


class CaptureHandle:
    """The game thread's side of the outbox: durable :meth:`add` and nothing slow.

    Opening creates the folder and the file if needed and moves a bad file aside; it
    takes a few milliseconds, so do it once. After ``os.fork()`` the handle opens its
    own connection in the child on the next :meth:`add` (SQLite connections must not
    cross a fork), so a forked child can keep capturing into the same file. Whether
    another process replaced the file (moved a bad one aside) is checked every
    ``recheck_file_every_s``: ``os.stat`` releases the GIL, which costs the game
    thread a wait when a worker is busy, so not on every add.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        synchronous_full: bool = False,
        recheck_file_every_s: float = 1.0,
    ) -> None:
        if recheck_file_every_s < 0:
            raise ValueError("recheck_file_every_s must be >= 0")
        self._path = Path(path)
        self._recheck_ns = int(recheck_file_every_s * 1e9)
        self._options = Options(synchronous_full, _CAPTURE_BUSY_TIMEOUT_S, verify=False)
        self._conn: sqlite3.Connection | None = None
        self._pid = -1
        self._identity: tuple[int, int] | None = None
        self._moves = 0
        self._next_check_ns = 0
        self._closed = False
        self._ids = _EventIds()
        self._open()

    @property
    def path(self) -> Path:
        """The outbox file."""
        return self._path

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

        The row is committed before this returns. ``event_id`` defaults to a new
        time-ordered random id (UUID version 7, 32 hex digits); adding an id that is
        already pending is a no-op. ``timestamp_ms`` defaults to now. Raises
        ``ValueError`` for bad arguments (nothing is stored) and :class:`OutboxError`
        when the file cannot be written (disk full, read-only, locked by another
        process past the busy timeout).
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
        params = (event_id, kind, encode_body(value, metadata), timestamp_ms, now_ms)
        conn = self._connection(pid)
        try:
            with sqlite_file.STATEMENT_LOCK:
                conn.execute(_INSERT, params)
        except sqlite3.Error as error:
            if not sqlite_file.is_corruption(error):
                raise sqlite_file.storage_error(error, self._path) from None
            self._close_connection()
            self._conn = sqlite_file.recover(self._path, self._options)
            self._remember_file(pid)
            try:
                with sqlite_file.STATEMENT_LOCK:
                    self._conn.execute(_INSERT, params)
            except sqlite3.Error as retry_error:
                raise sqlite_file.storage_error(retry_error, self._path) from None
        return event_id

    @property
    def synchronous(self) -> str:
        """SQLite's ``synchronous`` setting of this connection, read back: ``"FULL"``
        (every commit waits for the disk) or ``"NORMAL"`` (commits survive a crash)."""
        conn = self._connection(os.getpid())
        with sqlite_file.STATEMENT_LOCK:
            level = int(conn.execute("PRAGMA synchronous").fetchone()[0])
        return {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(level, str(level))

    def pending_count(self) -> int:
        """Events waiting for delivery (a COUNT over the table: not for every frame)."""
        conn = self._connection(os.getpid())
        try:
            with sqlite_file.STATEMENT_LOCK:
                return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
        except sqlite3.Error as error:
            raise sqlite_file.storage_error(error, self._path) from None

    def close(self) -> None:
        """Close the connection (idempotent). :meth:`add` after close raises UsageError."""
        self._closed = True
        self._close_connection()

    def __enter__(self) -> CaptureHandle:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<CaptureHandle {self._path.name}{' closed' if self._closed else ''}>"

    # -- internals -------------------------------------------------------------------

    def _connection(self, pid: int) -> sqlite3.Connection:
        conn = self._conn
        same_file = self._moves == sqlite_file.moves_of(self._path)
        if conn is not None and pid == self._pid and same_file:
            if time.monotonic_ns() < self._next_check_ns:
                return conn
            if sqlite_file.file_identity(self._path) == self._identity:
                self._next_check_ns = time.monotonic_ns() + self._recheck_ns
                return conn
            logger.info("the event outbox %s was replaced; reopening it", self._path.name)
        if self._closed:
            raise UsageError("the event outbox is closed")
        self._close_connection()
        return self._open()

    def _open(self) -> sqlite3.Connection:
        self._conn = sqlite_file.open_with_recovery(self._path, self._options)
        self._remember_file(os.getpid())
        return self._conn

    def _remember_file(self, pid: int) -> None:
        self._pid = pid
        self._moves = sqlite_file.moves_of(self._path)
        self._identity = sqlite_file.file_identity(self._path)
        self._next_check_ns = time.monotonic_ns() + self._recheck_ns

    def _close_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        if self._pid != os.getpid():
            # Inherited across fork(): the parent still uses it. Never close it here.
            _INHERITED.append(conn)
            return
        try:
            sqlite_file.close(conn)
        except sqlite3.Error:
            logger.debug("closing the outbox connection failed", exc_info=True)


#: Connections inherited across fork(), kept referenced so they are never finalised
#: (closing one in the child would disturb the parent's locks).
_INHERITED: list[sqlite3.Connection] = []


def _check_event_id(event_id: object) -> str:
    # Sent as the Idempotency-Key header: visible ASCII only, no spaces.
    if (
        not isinstance(event_id, str)
        or not 0 < len(event_id) <= _MAX_EVENT_ID_CHARS
        or not all("!" <= ch <= "~" for ch in event_id)
    ):
        raise ValueError(
            f"event_id must be 1-{_MAX_EVENT_ID_CHARS} visible ASCII characters without spaces"
        )
    return event_id


class _EventIds:
    """Time-ordered random ids: UUID version 7 (RFC 9562) as 32 hex digits.

    48 bits of Unix milliseconds, then 74 random bits: unique enough for an
    Idempotency-Key, and ordered by time, so consecutive events sit side by side in
    the ``event_id`` index. The random bytes come from ``os.urandom`` in pools of 256
    ids (that read releases the GIL); the pool is refilled after a fork, so a child
    never repeats its parent's ids.
    """

    __slots__ = ("_pid", "_pool", "_pos")
    _BATCH = 256

    def __init__(self) -> None:
        self._pid = -1
        self._pool = b""
        self._pos = 0

    def next(self, pid: int, now_ms: int) -> str:
        pos = self._pos
        if pos >= len(self._pool) or pid != self._pid:
            self._pool = os.urandom(10 * self._BATCH)
            self._pid = pid
            pos = 0
        raw = bytearray(now_ms.to_bytes(6, "big"))
        raw += self._pool[pos : pos + 10]
        self._pos = pos + 10
        raw[6] = 0x70 | (raw[6] & 0x0F)  # version 7
        raw[8] = 0x80 | (raw[8] & 0x3F)  # RFC 9562 variant
        return raw.hex()


__all__ = ["MAX_BODY_CHARS", "CaptureHandle", "OutboxError", "encode_body"]
