"""The outbox's tables, their migrations, and bringing a file up to date."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from typing import Final

from kgen_pygame.runtime.outbox.errors import _Unusable
from kgen_pygame.runtime.outbox.write_lock import _WRITE_LOCK


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
