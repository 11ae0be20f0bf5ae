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
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA_VERSION = 2

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
    created_at REAL NOT NULL,
    kgen_id TEXT
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
    stake_bonus_cents INTEGER NOT NULL DEFAULT 0,
    stake_earned_cents INTEGER NOT NULL DEFAULT 0,
    stake_bought_cents INTEGER NOT NULL DEFAULT 0,
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
    api TEXT NOT NULL DEFAULT 'v1',
    idempotency_key TEXT,
    event_id TEXT,
    kinds TEXT NOT NULL,
    timestamp_ms INTEGER NOT NULL,
    body TEXT NOT NULL,
    received_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS events_gamer ON events(gamer_pk);
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
    status TEXT NOT NULL,
    limited INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS otps_phone ON otps(phone, id);
CREATE TABLE IF NOT EXISTS rewardable_events (
    event_id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    event_name TEXT NOT NULL,
    event_description TEXT NOT NULL,
    reward_cents INTEGER NOT NULL,
    reward_category TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    is_active INTEGER NOT NULL,
    trace_enabled INTEGER NOT NULL,
    trace_activity_id TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    deleted_at REAL
);
CREATE INDEX IF NOT EXISTS rewardable_events_client ON rewardable_events(client_id, created_at);
CREATE TABLE IF NOT EXISTS loyalty_rewards (
    reward_id TEXT PRIMARY KEY,
    gamer_pk INTEGER NOT NULL REFERENCES gamers(id),
    event_id TEXT NOT NULL REFERENCES rewardable_events(event_id),
    amount_cents INTEGER NOT NULL,
    status TEXT NOT NULL,
    api TEXT NOT NULL,
    transaction_uid TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS loyalty_rewards_gamer ON loyalty_rewards(gamer_pk, event_id);
CREATE TABLE IF NOT EXISTS idempotency_keys (
    gamer_pk INTEGER NOT NULL,
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT,
    status INTEGER NOT NULL,
    body BLOB NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (gamer_pk, scope, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY,
    gamer_pk INTEGER,
    api TEXT NOT NULL,
    operation TEXT NOT NULL,
    idempotency_key TEXT,
    replayed INTEGER NOT NULL,
    status INTEGER NOT NULL,
    received_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS deliveries_gamer ON deliveries(gamer_pk, operation);
CREATE TABLE IF NOT EXISTS px_events (
    id INTEGER PRIMARY KEY,
    gamer_pk INTEGER NOT NULL REFERENCES gamers(id),
    event_name TEXT NOT NULL,
    attributes TEXT NOT NULL,
    idempotency_key TEXT,
    received_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS px_events_gamer ON px_events(gamer_pk);
CREATE TABLE IF NOT EXISTS kstore_tickets (
    ticket_digest BLOB PRIMARY KEY,
    gamer_pk INTEGER NOT NULL REFERENCES gamers(id),
    created_at REAL NOT NULL,
    expires_at REAL NOT NULL
) WITHOUT ROWID;
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
        conn.execute("BEGIN IMMEDIATE")
        try:
            _migrate(conn)
            conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

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


# Columns added since schema version 1, as (table, column, declaration).
_ADDED_COLUMNS = (
    ("events", "api", "TEXT NOT NULL DEFAULT 'v1'"),
    ("participations", "stake_bonus_cents", "INTEGER NOT NULL DEFAULT 0"),
    ("participations", "stake_earned_cents", "INTEGER NOT NULL DEFAULT 0"),
    ("participations", "stake_bought_cents", "INTEGER NOT NULL DEFAULT 0"),
    ("kgen_accounts", "kgen_id", "TEXT"),
    ("otps", "limited", "INTEGER NOT NULL DEFAULT 1"),
)


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring a database made by an earlier sandbox up to the current schema."""
    for table, column, declaration in _ADDED_COLUMNS:
        columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if column not in columns:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
    unnamed = conn.execute("SELECT phone FROM kgen_accounts WHERE kgen_id IS NULL").fetchall()
    for (phone,) in unnamed:
        conn.execute(
            "UPDATE kgen_accounts SET kgen_id = ? WHERE phone = ?", (str(uuid.uuid4()), phone)
        )
    event_columns = {row[1] for row in conn.execute("PRAGMA table_info(events)")}
    if "dedup_key" in event_columns:
        # Version 1 deduplicated events by this column; its keys now live in idempotency_keys.
        conn.execute(
            "INSERT OR IGNORE INTO idempotency_keys(gamer_pk, scope, key, fingerprint, status,"
            " body, created_at) SELECT gamer_pk, 'POST /api/v1/eventing', dedup_key, NULL, 200,"
            " X'74727565', received_at FROM events WHERE dedup_key IS NOT NULL"
        )
        conn.execute("UPDATE events SET dedup_key = NULL WHERE dedup_key IS NOT NULL")
