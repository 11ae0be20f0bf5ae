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

Inside one process, every write takes a module lock first, so the game thread
waits for the worker on a lock that wakes it at once, never in SQLite's
sleeping busy handler; the game thread goes ahead of a waiting worker, and the
worker writes in statements of 16 rows, so it never holds the lock for long.

Fork: a SQLite connection must never be used in a child process. A
:class:`CaptureHandle` notices the new pid and reopens its own connection; a
:class:`DeliveryHandle` refuses with :class:`~kgen_pygame.errors.UsageError`
(the worker thread does not exist in the child). Inherited connections are
parked, never closed, in the child, since closing them could disturb the
parent's locks.

A file that is not a database, is corrupt or unreadable is moved aside to
``<name>.corrupt-<timestamp>`` (with its ``-wal``/``-shm``), a warning is
logged, the events that can still be read are copied into a fresh file, and
the game goes on.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any, Final, TypeVar

from kgen_pygame.errors import KGenError, UsageError
from kgen_pygame.redact import redact_text

try:  # POSIX only; used to serialise moving a corrupt file aside between processes.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

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

logger = logging.getLogger(__name__)

T = TypeVar("T")

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

MAX_BODY_CHARS: Final = 64 * 1024
_MAX_KIND_CHARS = 64
_MAX_EVENT_ID_CHARS = 128
_MAX_ERROR_CHARS = 1000
_CAPTURE_BUSY_TIMEOUT_S = 0.1
_DELIVERY_BUSY_TIMEOUT_S = 10.0
_OPEN_BUSY_TIMEOUT_S = 5.0
_JOURNAL_SIZE_LIMIT = 8 * 1024 * 1024
_PAGE_SIZE = 1024
_AUTO_CHECKPOINT_EVERY_S = 5.0
_CHECKPOINT_CATCH_UP_PASSES = 4
_WAL_FORCE_RESTART_BYTES = 64 * 1024 * 1024

# SQLite primary result codes we act on.
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_CORRUPT = 11
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26


class OutboxError(KGenError):
    """The outbox file cannot be used right now.

    Raised for what no retry inside the outbox can fix: a directory that
    cannot be written, a full disk, or a file another process kept locked past
    the busy timeout. Bad arguments raise ``TypeError``/``ValueError`` instead.
    """


# -- schema -------------------------------------------------------------------


def _migrate_to_1(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE IF NOT EXISTS events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT UNIQUE NOT NULL,
            kind TEXT NOT NULL,
            body TEXT NOT NULL,
            created_ms INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_ms INTEGER NOT NULL,
            last_error TEXT
        )"""
    )
    conn.execute("CREATE INDEX IF NOT EXISTS events_next_attempt ON events (next_attempt_ms)")
    conn.execute(
        """CREATE TABLE IF NOT EXISTS dead_letters (
            event_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            body TEXT NOT NULL,
            created_ms INTEGER NOT NULL,
            failed_ms INTEGER NOT NULL,
            status INTEGER,
            reason TEXT NOT NULL
        )"""
    )
    conn.execute(
        "CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)"
    )


def _migrate_to_2(conn: sqlite3.Connection) -> None:
    # Claims get their own column: leasing a row no longer rewrites its
    # next_attempt_ms (and index entry), and a backoff is not lost when a dead
    # process's claims are released.
    conn.execute("ALTER TABLE events ADD COLUMN claimed_until_ms INTEGER")
    conn.execute(
        "CREATE INDEX IF NOT EXISTS events_claimed ON events (claimed_until_ms) "
        "WHERE claimed_until_ms IS NOT NULL"
    )


#: ``_MIGRATIONS[n]`` takes a file from schema version ``n`` to ``n + 1``,
#: inside one transaction together with the ``user_version`` bump. Add a
#: function here to change the schema; never edit a released one.
_MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_migrate_to_1, _migrate_to_2)
SCHEMA_VERSION: Final = len(_MIGRATIONS)


# -- rows handed to the worker ------------------------------------------------


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


# -- encoding -----------------------------------------------------------------


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

    Decimals become their exact string form; NaN/infinity, non-string metadata
    keys and anything JSON cannot carry raise ``TypeError``/``ValueError``
    naming the offending part, so bad input fails on the developer's machine
    and nothing half-written is stored.
    """
    if metadata is None:
        metadata = {}
    elif not isinstance(metadata, Mapping):
        raise TypeError(f"event metadata must be a mapping, not {type(metadata).__name__}")
    else:
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


def _decode_body(body: str) -> tuple[Any, dict[str, Any]]:
    data = json.loads(body)
    if not isinstance(data, dict) or not isinstance(data.get("metadata", {}), dict):
        raise ValueError("event body is not an object with value and metadata")
    return data.get("value"), dict(data.get("metadata") or {})


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


def _clean_text(text: str | None) -> str | None:
    """Errors and reasons go into the file: scrub credentials and bound the size."""
    if text is None:
        return None
    return redact_text(str(text))[:_MAX_ERROR_CHARS]


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class _EventIds:
    """Time-ordered random ids: UUID version 7 (RFC 9562) as 32 hex digits.

    48 bits of Unix milliseconds, then 74 random bits. Random enough to be a
    unique Idempotency-Key, and ordered by time, so consecutive events sit
    side by side in the ``event_id`` index: each add, and each delete of a
    delivered batch, touches a few index pages instead of one random page per
    event (half the worker's delete time, so a shorter write lock for the game
    thread to wait behind).

    The random bytes come from ``os.urandom`` in pools of 256 ids: that read
    releases the GIL, and a busy worker thread that grabs it makes the game
    thread wait. The pool is refilled after a fork, so a child never repeats
    its parent's ids.
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


# -- process-wide coordination --------------------------------------------------


class _WriteLock:
    """This process's lock around every outbox write, with the game thread first.

    SQLite allows one writer at a time. Taking this lock before writing makes
    a waiting thread wake the moment the holder commits, instead of polling in
    SQLite's busy handler (which sleeps 1 ms and more). The capture side takes
    it with :meth:`acquire_first`; the worker with ``with``, and a worker that
    sees a capture waiting steps back until the capture has it, so a run of
    short worker statements cannot keep re-taking the lock ahead of the game
    thread. It is also held across ``fork()`` so no write is half-done in the
    child.
    """

    __slots__ = ("_count_lock", "_lock", "_no_priority_waiters", "_priority_waiters")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._count_lock = threading.Lock()
        self._priority_waiters = 0
        self._no_priority_waiters = threading.Event()
        self._no_priority_waiters.set()

    def acquire_first(self) -> None:
        """Take the lock ahead of any waiting worker (the capture side)."""
        if self._lock.acquire(blocking=False):
            return
        with self._count_lock:
            self._priority_waiters += 1
            self._no_priority_waiters.clear()
        try:
            self._lock.acquire()
        finally:
            with self._count_lock:
                self._priority_waiters -= 1
                if not self._priority_waiters:
                    self._no_priority_waiters.set()

    def acquire(self) -> None:
        """Take the lock after any waiting capture (the worker side)."""
        for _ in range(_MAX_STEP_BACKS):
            self._no_priority_waiters.wait(_STEP_BACK_TIMEOUT_S)
            self._lock.acquire()
            if not self._priority_waiters:
                return
            self._lock.release()  # a capture started waiting: it goes first
        self._lock.acquire()  # never starve the worker

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> None:
        self.acquire()

    def __exit__(self, *exc_info: object) -> None:
        self._lock.release()
        if self._priority_waiters:
            # Let the waiting capture finish its write before this (worker)
            # thread runs more Python: the game thread then waits for neither
            # the lock nor the GIL.
            self._no_priority_waiters.wait(_STEP_BACK_TIMEOUT_S)
            if self._lock.acquire(timeout=_STEP_BACK_TIMEOUT_S):
                self._lock.release()

    def reset_in_child(self) -> None:
        """After fork, in the child: only the forking thread exists; start clean.

        The forking thread holds ``_lock`` (taken before the fork); the helper
        locks may have been held by threads that do not exist in the child.
        """
        self._count_lock = threading.Lock()
        self._no_priority_waiters = threading.Event()
        self._no_priority_waiters.set()
        self._priority_waiters = 0
        self._lock.release()


# Bumped after every write of this process (read by DeliveryHandle checkpoint).
_write_count = 0
_MAX_STEP_BACKS = 3
_STEP_BACK_TIMEOUT_S = 0.005
_WRITE_LOCK = _WriteLock()
# Every open _Database of this process (to park after fork, mark stale after a move).
_LIVE: weakref.WeakSet[_Database] = weakref.WeakSet()
_LIVE_LOCK = threading.Lock()
# Connections inherited by a forked child: kept referenced so that garbage
# collection never closes them (closing could touch the parent's locks).
_PARKED_AFTER_FORK: list[sqlite3.Connection] = []


def _count_write() -> None:
    global _write_count
    _write_count += 1


def _before_fork() -> None:
    _WRITE_LOCK.acquire_first()


def _after_fork_in_parent() -> None:
    _WRITE_LOCK.release()


def _after_fork_in_child() -> None:
    global _LIVE_LOCK
    _LIVE_LOCK = threading.Lock()  # another thread may have held it at the fork
    _WRITE_LOCK.reset_in_child()
    for database in list(_LIVE):
        database.park_after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(
        before=_before_fork,
        after_in_parent=_after_fork_in_parent,
        after_in_child=_after_fork_in_child,
    )


# -- errors -----------------------------------------------------------------------


def _primary_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _is_busy(error: sqlite3.Error) -> bool:
    code = _primary_code(error)
    if code is not None:
        return code in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return "locked" in str(error) or "busy" in str(error)


def _is_corruption(error: sqlite3.Error) -> bool:
    code = _primary_code(error)
    if code is not None:
        return code in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(error)
    return "not a database" in text or "malformed" in text


def _storage_error(error: sqlite3.Error, path: Path) -> OutboxError:
    code = _primary_code(error)
    if _is_busy(error):
        what = "is locked by another process"
    elif code in (_SQLITE_READONLY, _SQLITE_PERM, _SQLITE_CANTOPEN):
        what = "cannot be written (check the permissions of its folder)"
    else:
        what = f"failed ({type(error).__name__}: {error})"
    return OutboxError(f"the event outbox {path.name} {what}")


class _Unusable(Exception):  # noqa: N818 - internal signal, not an error for callers
    """The file at the path is not an outbox we can use; move it aside."""

    def __init__(self, label: str, detail: str) -> None:
        super().__init__(detail)
        self.label = label


# -- opening a file -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Options:
    role: str
    synchronous_full: bool
    busy_timeout_s: float
    verify: bool


def _connect(path: Path, options: _Options) -> sqlite3.Connection:
    """Open, configure and migrate; raise :class:`_Unusable` for a bad file."""
    try:
        conn = sqlite3.connect(
            str(path),
            timeout=_OPEN_BUSY_TIMEOUT_S,
            isolation_level=None,  # autocommit: one INSERT is one durable transaction
            check_same_thread=False,  # roles are per thread; close() may come from anywhere
            cached_statements=64,
        )
    except sqlite3.Error as error:
        raise _storage_error(error, path) from None
    try:
        _configure(conn, path, options)
    except _Unusable:
        conn.close()
        raise
    except sqlite3.Error as error:
        conn.close()
        if _is_corruption(error):
            raise _Unusable("corrupt", str(error)) from None
        if (
            _primary_code(error) in (_SQLITE_CANTOPEN, _SQLITE_PERM)
            and path.exists()
            and not os.access(path, os.R_OK | os.W_OK)
        ):
            raise _Unusable("unreadable", str(error)) from None
        raise _storage_error(error, path) from None
    except BaseException:
        conn.close()
        raise
    return conn


def _configure(conn: sqlite3.Connection, path: Path, options: _Options) -> None:
    # Only takes effect on a new file. Rows are small and every add is its own
    # commit, which appends each touched page to the WAL: 1 KiB pages write a
    # third of what the 4 KiB default does, and make add() faster too.
    conn.execute(f"PRAGMA page_size={_PAGE_SIZE}")
    mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        logger.warning(
            "the event outbox %s could not use WAL mode (got %s); it stays durable but slower",
            path.name,
            mode,
        )
    conn.execute(f"PRAGMA synchronous={'FULL' if options.synchronous_full else 'NORMAL'}")
    # Checkpoints are run explicitly by the worker (DeliveryHandle.checkpoint),
    # never as a side effect of a commit, so no fsync lands inside a write.
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute(f"PRAGMA journal_size_limit={_JOURNAL_SIZE_LIMIT}")
    _ensure_schema(conn)
    # Touch the parts every later statement needs, so a damaged file shows now.
    conn.execute("SELECT max(seq) FROM events").fetchone()
    conn.execute("SELECT count(*) FROM counters").fetchone()
    if options.verify:
        result = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
        if result != "ok":
            raise _Unusable("corrupt", f"quick_check: {result}")
    # Opening may wait for other processes (migration); later calls use the role's timeout.
    conn.execute(f"PRAGMA busy_timeout={int(options.busy_timeout_s * 1000)}")


def _ensure_schema(conn: sqlite3.Connection) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise _Unusable(
            f"newer-schema-v{version}",
            f"written by a newer kgen_pygame (schema {version}, this one knows {SCHEMA_VERSION})",
        )
    with _WRITE_LOCK:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the lock.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for step in range(version, SCHEMA_VERSION):
                _MIGRATIONS[step](conn)
            if version < SCHEMA_VERSION:
                conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


@contextlib.contextmanager
def _recovery_lock(path: Path) -> Iterator[None]:
    """Serialise moving a bad file aside between processes (POSIX ``flock``)."""
    if fcntl is None:  # pragma: no cover - Windows: renaming an open file fails anyway
        yield
        return
    fd = os.open(str(path) + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the flock


def _open_with_recovery(path: Path, options: _Options) -> sqlite3.Connection:
    """Open the outbox; a bad file is moved aside (salvaging what reads) and replaced."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutboxError(
            f"the folder of the event outbox cannot be created ({type(error).__name__})"
        ) from None
    try:
        return _connect(path, options)
    except _Unusable as problem:
        first_problem = problem
    with _recovery_lock(path):
        try:
            # Another process may have replaced the file while we waited.
            return _connect(path, options)
        except _Unusable as problem:
            first_problem = problem
        aside = _move_aside(path, first_problem)
        conn = _connect(path, options)
    if aside is not None:
        _salvage(aside, conn)
    return conn


def _move_aside(path: Path, problem: _Unusable) -> Path | None:
    stamp = time.strftime("%Y%m%dT%H%M%S") + f"{time.time_ns() // 1_000_000 % 1000:03d}"
    aside = path.with_name(f"{path.name}.{problem.label}-{stamp}")
    try:
        os.replace(path, aside)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise OutboxError(
            f"the event outbox {path.name} is unusable and cannot be moved aside "
            f"({type(error).__name__})"
        ) from None
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(OSError):
            os.replace(str(path) + suffix, str(aside) + suffix)
    # Handles of this process still point at the old file: reopen before writing.
    moved = os.path.abspath(path)
    with _LIVE_LOCK:
        databases = list(_LIVE)
    for database in databases:
        if os.path.abspath(database.path) == moved:
            database.stale = True
    logger.warning(
        "the event outbox %s was unusable (%s: %s); moved it aside to %s and started a fresh one",
        path.name,
        problem.label,
        problem,
        aside.name,
    )
    return aside


def _salvage(aside: Path, conn: sqlite3.Connection) -> None:
    """Copy the pending events that can still be read from a file moved aside."""
    rows: list[tuple[Any, ...]] = []
    try:
        old = sqlite3.connect(str(aside), timeout=1.0)
    except sqlite3.Error:
        return
    try:
        cursor = old.execute(
            "SELECT event_id, kind, body, created_ms, attempts, next_attempt_ms, last_error "
            "FROM events ORDER BY seq"
        )
        while len(rows) < DEFAULT_MAX_EVENTS:
            row = cursor.fetchone()
            if row is None:
                break
            rows.append(tuple(row))
    except sqlite3.Error:
        pass  # keep what was read before the damage
    finally:
        with contextlib.suppress(sqlite3.Error):
            old.close()
    if not rows:
        return
    with _WRITE_LOCK:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(
                "INSERT INTO events (event_id, kind, body, created_ms, attempts, "
                "next_attempt_ms, last_error) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (event_id) DO NOTHING",
                rows,
            )
            conn.execute("COMMIT")
        except sqlite3.Error as error:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            logger.warning("could not salvage events from %s (%s)", aside.name, error)
            return
    logger.warning("salvaged %d pending events from %s", len(rows), aside.name)


class _Database:
    """One connection to the outbox file, reopened when the file or the process changes."""

    def __init__(self, path: Path, options: _Options, *, stat_every_ns: int = 0) -> None:
        self.path = path
        self._stat_every_ns = stat_every_ns
        self.options = options
        self.conn: sqlite3.Connection | None = None
        self.pid = os.getpid()
        self.identity: tuple[int, int] | None = None
        self.closed = False
        #: Set when this process moved the file aside: reopen before the next write.
        self.stale = False
        self._next_stat_ns = 0
        with _LIVE_LOCK:
            _LIVE.add(self)

    def open(self) -> sqlite3.Connection:
        conn = _open_with_recovery(self.path, self.options)
        self.conn = conn
        self.pid = os.getpid()
        self.identity = _file_identity(self.path)
        self.stale = False
        self._next_stat_ns = time.monotonic_ns() + self._stat_every_ns
        return conn

    def replaced(self) -> bool:
        """True when the path now names another file (moved aside, deleted)."""
        self._next_stat_ns = time.monotonic_ns() + self._stat_every_ns
        return self.stale or _file_identity(self.path) != self.identity

    def stat_due(self) -> bool:
        """True when it is time to look whether another process replaced the file.

        ``os.stat`` releases the GIL, which costs the game thread a wait when a
        worker is busy, so the capture side does not call it on every add.
        """
        return time.monotonic_ns() >= self._next_stat_ns

    def reopen(self) -> sqlite3.Connection:
        self.close_connection()
        return self.open()

    def recover(self) -> sqlite3.Connection:
        """After a corruption error: move the file aside if it is still bad, reopen."""
        self.close_connection()
        with _recovery_lock(self.path):
            probe: sqlite3.Connection | None = None
            try:
                probe = _connect(self.path, _Options(self.options.role, False, 1.0, True))
            except _Unusable as problem:
                aside = _move_aside(self.path, problem)
            else:
                aside = None
            finally:
                if probe is not None:
                    probe.close()
        conn = self.open()
        if aside is not None:
            _salvage(aside, conn)
        return conn

    def park_after_fork(self) -> None:
        if self.conn is not None:
            _PARKED_AFTER_FORK.append(self.conn)
            self.conn = None

    def close_connection(self) -> None:
        conn, self.conn = self.conn, None
        if conn is None:
            return
        if self.pid != os.getpid():
            _PARKED_AFTER_FORK.append(conn)
            return
        with contextlib.suppress(sqlite3.Error):
            conn.close()

    def close(self) -> None:
        self.closed = True
        self.close_connection()


# -- the game thread's handle ---------------------------------------------------------

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
        global _write_count
        lock = _WRITE_LOCK
        lock.acquire_first()
        try:
            conn.execute(_INSERT, params)
        except sqlite3.Error as error:
            failure: sqlite3.Error | None = error
        else:
            failure = None
        finally:
            _write_count += 1
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
                _write_count += 1
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


# -- the worker thread's handle ---------------------------------------------------------

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
        writes_before = _write_count
        for _ in range(_CHECKPOINT_CATCH_UP_PASSES):
            # Quick passes copy what arrived during the one before, until one
            # finds nothing new written meanwhile.
            writes_before = _write_count
            frames, done = self._run(run)
            if done >= frames and _write_count == writes_before:
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
                if writes_before is not None and _write_count != writes_before:
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
        if fcntl is None:  # pragma: no cover - Windows: claims run out after the lease
            return
        try:
            fd = os.open(str(self._db.path) + ".delivery.lock", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            alone = True
        except OSError:
            alone = False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
        except OSError:
            os.close(fd)
            return
        self._presence_fd = fd
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
