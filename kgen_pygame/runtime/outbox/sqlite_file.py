"""The outbox file: opening and configuring a connection, its schema, and bad files.

A file that is not a database, is corrupt, unreadable or from a newer version is
moved aside to ``<name>.<problem>-<timestamp>`` (with its ``-wal``/``-shm``), a
warning is logged, the pending events that can still be read are copied into a fresh
file, and the game goes on.

Every statement this process runs on an outbox file holds :data:`STATEMENT_LOCK`: the
game thread then waits for the worker's short statement on a plain lock that wakes it
at once, instead of in SQLite's busy handler, which sleeps in whole milliseconds; and
``fork()`` takes the lock first, so no statement is half-done (and no SQLite mutex
held) in a child that goes on to use the file.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from kgen_pygame.errors import OutboxError
from kgen_pygame.runtime.outbox.records import DEFAULT_MAX_EVENTS

try:  # POSIX only; serialises moving a bad file aside between processes.
    import fcntl
except ImportError:  # pragma: no cover - Windows: renaming an open file fails anyway
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

#: Held around every statement this process runs on an outbox file, and across fork().
STATEMENT_LOCK = threading.Lock()
#: Held while this process opens or closes a connection, and across fork(): opening
#: and closing take SQLite's process-wide mutexes too, and a child forked while one of
#: them is held would hang at its first open. Taken before STATEMENT_LOCK, never after.
OPEN_LOCK = threading.RLock()


def _hold_for_fork() -> None:
    OPEN_LOCK.acquire()
    STATEMENT_LOCK.acquire()


def _release_after_fork() -> None:
    STATEMENT_LOCK.release()
    OPEN_LOCK.release()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(
        before=_hold_for_fork,
        after_in_parent=_release_after_fork,
        after_in_child=_release_after_fork,
    )

_OPEN_BUSY_TIMEOUT_S = 5.0
_JOURNAL_SIZE_LIMIT = 8 * 1024 * 1024
# Rows are small and every add is its own commit: 1 KiB pages write a third of what
# the 4 KiB default appends to the WAL per commit.
_PAGE_SIZE = 1024

# SQLite primary result codes we act on.
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_CORRUPT = 11
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26


@dataclass(frozen=True, slots=True)
class Options:
    """How a handle opens the file."""

    synchronous_full: bool = False
    #: How long a write waits for another process's lock before failing.
    busy_timeout_s: float = 0.1
    #: Run ``PRAGMA quick_check`` on open (the worker can afford it; the game cannot).
    verify: bool = False


class Unusable(Exception):  # noqa: N818 - a signal inside this package, not a caller's error
    """The file at the path is not an outbox we can use; move it aside."""

    def __init__(self, label: str, detail: str) -> None:
        super().__init__(detail)
        self.label = label


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
    # A lease column of an earlier design; no longer read or written.
    conn.execute("ALTER TABLE events ADD COLUMN claimed_until_ms INTEGER")


#: ``MIGRATIONS[n]`` takes a file from schema version ``n`` to ``n + 1``, inside one
#: transaction with the ``user_version`` bump. Add a function to change the schema;
#: never edit a released one.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_migrate_to_1, _migrate_to_2)
SCHEMA_VERSION: Final = len(MIGRATIONS)


def primary_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_busy(error: sqlite3.Error) -> bool:
    code = primary_code(error)
    if code is not None:
        return code in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return "locked" in str(error) or "busy" in str(error)


def is_corruption(error: sqlite3.Error) -> bool:
    code = primary_code(error)
    if code is not None:
        return code in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(error)
    return "not a database" in text or "malformed" in text


def storage_error(error: sqlite3.Error, path: Path) -> OutboxError:
    """The :class:`OutboxError` a caller sees for a SQLite failure (no SQL, no data)."""
    code = primary_code(error)
    if is_busy(error):
        what = "is locked by another process"
    elif code in (_SQLITE_READONLY, _SQLITE_PERM, _SQLITE_CANTOPEN):
        what = "cannot be written (check the permissions of its folder)"
    elif "disk" in str(error).lower() or "full" in str(error).lower():
        what = "cannot be written: the disk is full"
    else:
        what = f"failed ({type(error).__name__}: {error})"
    return OutboxError(f"the event outbox {path.name} {what}")


def connect(path: Path, options: Options) -> sqlite3.Connection:
    """Open, configure and migrate one connection; raise :class:`Unusable` for a bad file."""
    with OPEN_LOCK:
        return _connect(path, options)


def close(conn: sqlite3.Connection) -> None:
    """Close ``conn`` (guarded like an open, see :data:`OPEN_LOCK`)."""
    with OPEN_LOCK:
        conn.close()


def _connect(path: Path, options: Options) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(
            str(path),
            timeout=_OPEN_BUSY_TIMEOUT_S,
            isolation_level=None,  # autocommit: one INSERT is one durable transaction
            check_same_thread=False,  # one thread uses it; close() may come from anywhere
            cached_statements=64,
        )
    except sqlite3.Error as error:
        raise storage_error(error, path) from None
    try:
        _configure(conn, path, options)
        # Opening may wait for other processes (migration); later calls use the role's.
        conn.execute(f"PRAGMA busy_timeout={int(options.busy_timeout_s * 1000)}")
    except Unusable:
        conn.close()
        raise
    except sqlite3.Error as error:
        conn.close()
        if is_corruption(error):
            raise Unusable("corrupt", str(error)) from None
        if (
            primary_code(error) in (_SQLITE_CANTOPEN, _SQLITE_PERM)
            and path.exists()
            and not os.access(path, os.R_OK | os.W_OK)
        ):
            raise Unusable("unreadable", str(error)) from None
        raise storage_error(error, path) from None
    except BaseException:
        conn.close()
        raise
    return conn


def _configure(conn: sqlite3.Connection, path: Path, options: Options) -> None:
    conn.execute(f"PRAGMA page_size={_PAGE_SIZE}")  # only takes effect on a new file
    mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        logger.warning(
            "the event outbox %s could not use WAL mode (got %s); it stays durable but slower",
            path.name,
            mode,
        )
    conn.execute(f"PRAGMA synchronous={'FULL' if options.synchronous_full else 'NORMAL'}")
    # Checkpoints run on the worker (DeliveryHandle.checkpoint), never as a side
    # effect of a commit, so no checkpoint's fsync lands on the game thread.
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute(f"PRAGMA journal_size_limit={_JOURNAL_SIZE_LIMIT}")
    _ensure_schema(conn)
    # Touch what every later statement needs, so a damaged file shows now.
    conn.execute("SELECT max(seq) FROM events").fetchone()
    conn.execute("SELECT count(*) FROM counters").fetchone()
    if options.verify:
        result = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
        if result != "ok":
            raise Unusable("corrupt", f"quick_check: {result}")


def _ensure_schema(conn: sqlite3.Connection) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise Unusable(
            f"newer-schema-v{version}",
            f"written by a newer kgen_pygame (schema {version}, this one knows {SCHEMA_VERSION})",
        )
    with STATEMENT_LOCK:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the lock.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for step in range(version, SCHEMA_VERSION):
                MIGRATIONS[step](conn)
            if version < SCHEMA_VERSION:
                conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise


def open_with_recovery(path: Path, options: Options) -> sqlite3.Connection:
    """Open the outbox; a bad file is moved aside (salvaging what reads) and replaced."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutboxError(
            f"the folder of the event outbox cannot be created ({type(error).__name__})"
        ) from None
    try:
        return connect(path, options)
    except Unusable as problem:
        first_problem = problem
    with _recovery_lock(path):
        try:
            # Another process may have replaced the file while we waited.
            return connect(path, options)
        except Unusable as problem:
            first_problem = problem
        aside = _move_aside(path, first_problem)
        conn = connect(path, options)
    if aside is not None:
        salvage(aside, conn)
    return conn


def recover(path: Path, options: Options) -> sqlite3.Connection:
    """After a corruption error on an open file: move it aside if it is still bad, reopen."""
    with _recovery_lock(path):
        aside: Path | None = None
        try:
            probe = connect(path, Options(busy_timeout_s=1.0, verify=True))
        except Unusable as problem:
            aside = _move_aside(path, problem)
        else:
            close(probe)
    conn = open_with_recovery(path, options)
    if aside is not None:
        salvage(aside, conn)
    return conn


@contextlib.contextmanager
def _recovery_lock(path: Path) -> Iterator[None]:
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    fd = os.open(str(path) + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the flock


#: How many times this process moved each outbox file aside (by absolute path): a
#: capture handle compares it on every add (a dict lookup, no system call) and
#: reopens, so no event goes into a file that was set aside.
_MOVES: dict[str, int] = {}


def moves_of(path: Path) -> int:
    """How many times this process moved the file at ``path`` aside."""
    return _MOVES.get(os.path.abspath(path), 0)


def _move_aside(path: Path, problem: Unusable) -> Path | None:
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
    key = os.path.abspath(path)
    _MOVES[key] = _MOVES.get(key, 0) + 1
    logger.warning(
        "the event outbox %s was unusable (%s: %s); moved it aside to %s and started a fresh one",
        path.name,
        problem.label,
        problem,
        aside.name,
    )
    return aside


def salvage(aside: Path, conn: sqlite3.Connection) -> int:
    """Copy the pending events that can still be read from a file moved aside."""
    rows: list[tuple[Any, ...]] = []
    try:
        with OPEN_LOCK:
            old = sqlite3.connect(str(aside), timeout=1.0)
    except sqlite3.Error:
        return 0
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
            close(old)
    if not rows:
        return 0
    with STATEMENT_LOCK:
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
            return 0
    logger.warning("salvaged %d pending event(s) from %s", len(rows), aside.name)
    return len(rows)


def file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at ``path``, or None when there is none."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)
