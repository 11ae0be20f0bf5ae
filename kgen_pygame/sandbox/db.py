"""SQLite storage: one connection guarded by a lock, one transaction per request.

Measured here (eventing POSTs, raw http.client clients in other processes): with one client
a shared connection behind a lock and a connection per handler thread are about equal
(2,600-3,000 vs 1,800-3,400 requests/s, noisy); with four concurrent clients the lock wins
(3,500-3,900 vs 2,800-3,200), because writers serialise on SQLite's write lock anyway and
SQLite's busy handler sleeps whole milliseconds when two connections collide. One connection
also makes ``:memory:`` databases work.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS gamers (
    id INTEGER PRIMARY KEY,
    client_id TEXT NOT NULL,
    gamer_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    wallet_address TEXT NOT NULL UNIQUE,
    display_name TEXT,
    profile TEXT NOT NULL DEFAULT '{}',
    is_bot INTEGER NOT NULL DEFAULT 0,
    linked_phone TEXT UNIQUE,
    linked_phone_cc TEXT,
    kgen_wallet_address TEXT,
    best_score NUMERIC,
    earned_cents INTEGER NOT NULL DEFAULT 0,
    bought_cents INTEGER NOT NULL DEFAULT 0,
    bonus_cents INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    modified_at REAL NOT NULL,
    UNIQUE (client_id, gamer_id)
);
CREATE TABLE IF NOT EXISTS sessions (
    token_digest BLOB PRIMARY KEY,
    session_id TEXT NOT NULL,
    gamer_pk INTEGER NOT NULL REFERENCES gamers(id),
    started_at REAL NOT NULL,
    expires_at REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sessions_gamer ON sessions(gamer_pk);
CREATE TABLE IF NOT EXISTS kgen_accounts (
    phone TEXT PRIMARY KEY,
    wallet_address TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS tournaments (
    uid TEXT PRIMARY KEY,
    game_uid TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    theme TEXT,
    entry_type TEXT NOT NULL,
    mode TEXT NOT NULL,
    buy_in_cents INTEGER NOT NULL,
    guaranteed_cents INTEGER NOT NULL,
    max_players INTEGER NOT NULL,
    total_players_rewarded INTEGER NOT NULL,
    schedules_at REAL NOT NULL,
    moves_to_lobby_at REAL NOT NULL,
    starts_at REAL NOT NULL,
    locks_at REAL NOT NULL,
    ends_at REAL NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    finalized_at REAL,
    escrow_wallet TEXT NOT NULL,
    series TEXT,
    bot_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS tournaments_open ON tournaments(ends_at) WHERE finalized_at IS NULL;
CREATE TABLE IF NOT EXISTS participations (
    tournament_uid TEXT NOT NULL REFERENCES tournaments(uid),
    gamer_pk INTEGER NOT NULL REFERENCES gamers(id),
    stake_cents INTEGER NOT NULL,
    joined_at REAL NOT NULL,
    best_score NUMERIC,
    score_at REAL,
    final_rank INTEGER,
    reward_cents INTEGER,
    PRIMARY KEY (tournament_uid, gamer_pk)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS participations_gamer ON participations(gamer_pk);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    gamer_pk INTEGER NOT NULL REFERENCES gamers(id),
    dedup_key TEXT,
    idempotency_key TEXT,
    event_id TEXT,
    kinds TEXT NOT NULL,
    timestamp_ms INTEGER NOT NULL,
    body TEXT NOT NULL,
    received_at REAL NOT NULL,
    repeats INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS events_dedup ON events(gamer_pk, dedup_key);
CREATE TABLE IF NOT EXISTS transactions (
    uid TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    from_wallet TEXT NOT NULL,
    to_wallet TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS transactions_from ON transactions(from_wallet, created_at);
CREATE INDEX IF NOT EXISTS transactions_to ON transactions(to_wallet, created_at);
CREATE TABLE IF NOT EXISTS rewards (
    uid TEXT PRIMARY KEY,
    gamer_pk INTEGER NOT NULL REFERENCES gamers(id),
    tournament_uid TEXT,
    milestone INTEGER,
    source TEXT NOT NULL,
    title TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    status TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS rewards_gamer ON rewards(gamer_pk, status);
CREATE UNIQUE INDEX IF NOT EXISTS rewards_milestone ON rewards(gamer_pk, milestone)
    WHERE milestone IS NOT NULL;
CREATE TABLE IF NOT EXISTS otps (
    id INTEGER PRIMARY KEY,
    gamer_pk INTEGER NOT NULL REFERENCES gamers(id),
    phone TEXT NOT NULL,
    phone_cc TEXT NOT NULL,
    auth_code TEXT NOT NULL,
    code TEXT NOT NULL,
    created_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    attempts_left INTEGER NOT NULL,
    status TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS otps_phone ON otps(phone, id);
"""


class DatabaseClosedError(RuntimeError):
    """The sandbox was stopped; its database is closed."""


class Database:
    """A SQLite connection shared by all handler threads, used one transaction at a time."""

    def __init__(self, path: Path | str | None) -> None:
        target = ":memory:" if path is None else str(path)
        if target != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(
            target,
            isolation_level=None,  # explicit BEGIN/COMMIT below
            check_same_thread=False,  # guarded by self._lock
            cached_statements=256,
        )
        self._lock = threading.RLock()
        self._closed = False
        conn = self._conn
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 5000")
        if target != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.executescript(SCHEMA)
        _add_missing_columns(conn)
        conn.execute(
            "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)",
            (str(SCHEMA_VERSION),),
        )

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and an IMMEDIATE transaction; commit on success, roll back on error."""
        with self._lock:
            if self._closed:
                raise DatabaseClosedError("the sandbox database is closed")
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def get_meta(self, key: str) -> str | None:
        """Read one value of the ``meta`` table."""
        with self.transaction() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def close(self) -> None:
        """Wait for the running transaction, then close the connection. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._conn.close()


def _add_missing_columns(conn: sqlite3.Connection) -> None:
    """Bring databases made by an earlier sandbox up to the current columns."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(events)")}
    if "repeats" not in columns:
        conn.execute("ALTER TABLE events ADD COLUMN repeats INTEGER NOT NULL DEFAULT 0")
