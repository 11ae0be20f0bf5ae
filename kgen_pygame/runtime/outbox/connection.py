"""Opening one SQLite connection to the outbox: configure, migrate, spot a bad file."""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kgen_pygame.runtime.outbox.errors import (
    _SQLITE_CANTOPEN,
    _SQLITE_PERM,
    _is_corruption,
    _primary_code,
    _storage_error,
    _Unusable,
)
from kgen_pygame.runtime.outbox.schema import _ensure_schema

logger = logging.getLogger(__name__)

_OPEN_BUSY_TIMEOUT_S = 5.0
_JOURNAL_SIZE_LIMIT = 8 * 1024 * 1024
_PAGE_SIZE = 1024


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
