"""This process's lock around every outbox write, and the count of writes made.

Inside one process, every write takes this lock first, so the game thread
waits for the worker on a lock that wakes it at once, never in SQLite's
sleeping busy handler; the game thread goes ahead of a waiting worker, and the
worker writes in statements of 16 rows, so it never holds the lock for long.
"""

from __future__ import annotations

import threading

_MAX_STEP_BACKS = 3
_STEP_BACK_TIMEOUT_S = 0.005


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
# Other modules read and bump it as ``write_lock._write_count``: a name
# imported from here would be a copy that never changes.
_write_count = 0
_WRITE_LOCK = _WriteLock()


def _count_write() -> None:
    global _write_count
    _write_count += 1
