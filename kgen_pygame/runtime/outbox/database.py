"""One handle's connection to the outbox file, reopened when the file or the process changes."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from pathlib import Path

from kgen_pygame.runtime.outbox.connection import _connect, _Options
from kgen_pygame.runtime.outbox.errors import _Unusable
from kgen_pygame.runtime.outbox.file_locks import _recovery_lock
from kgen_pygame.runtime.outbox.process import _PARKED_AFTER_FORK, _register
from kgen_pygame.runtime.outbox.recovery import _move_aside, _open_with_recovery, _salvage


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


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
        _register(self)

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
