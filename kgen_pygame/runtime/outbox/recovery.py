"""Opening the outbox file whatever state it is in: bad files are moved aside and salvaged.

A file that is not a database, is corrupt or unreadable is moved aside to
``<name>.corrupt-<timestamp>`` (with its ``-wal``/``-shm``), a warning is
logged, the events that can still be read are copied into a fresh file, and
the game goes on.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from kgen_pygame.runtime.outbox.connection import _connect, _Options
from kgen_pygame.runtime.outbox.constants import DEFAULT_MAX_EVENTS
from kgen_pygame.runtime.outbox.errors import OutboxError, _Unusable
from kgen_pygame.runtime.outbox.file_locks import _recovery_lock
from kgen_pygame.runtime.outbox.process import _live_databases
from kgen_pygame.runtime.outbox.write_lock import _WRITE_LOCK

logger = logging.getLogger(__name__)


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
    for database in _live_databases():
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
