"""This process's open outbox databases, and what ``fork()`` does to them.

Fork: a SQLite connection must never be used in a child process. A
:class:`CaptureHandle` notices the new pid and reopens its own connection; a
:class:`DeliveryHandle` refuses with :class:`~kgen_pygame.errors.UsageError`
(the worker thread does not exist in the child). Inherited connections are
parked, never closed, in the child, since closing them could disturb the
parent's locks.

Importing this module registers the fork hooks (once per process).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from typing import TYPE_CHECKING

from kgen_pygame.runtime.outbox.write_lock import _WRITE_LOCK

if TYPE_CHECKING:
    from kgen_pygame.runtime.outbox.database import _Database

# Every open _Database of this process (to park after fork, mark stale after a move).
_LIVE: weakref.WeakSet[_Database] = weakref.WeakSet()
# Rebound in a forked child, so other modules go through the functions below.
_LIVE_LOCK = threading.Lock()
# Connections inherited by a forked child: kept referenced so that garbage
# collection never closes them (closing could touch the parent's locks).
_PARKED_AFTER_FORK: list[sqlite3.Connection] = []


def _register(database: _Database) -> None:
    with _LIVE_LOCK:
        _LIVE.add(database)


def _live_databases() -> list[_Database]:
    with _LIVE_LOCK:
        return list(_LIVE)


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
