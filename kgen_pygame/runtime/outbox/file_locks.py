"""Locks between processes: ``flock`` on small files beside the outbox (POSIX only).

``<file>.lock`` serialises moving a bad file aside. ``<file>.delivery.lock`` is
held shared by every open delivery handle, so one that finds no other holder
knows every claim in the file belongs to a process that died mid-delivery.
Without ``flock`` (Windows) neither is taken: renaming an open file fails
there anyway, and claims run out after their lease.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

try:  # POSIX only; used to serialise moving a corrupt file aside between processes.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


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


def _hold_presence_lock(path: Path) -> tuple[int, bool] | None:
    """Take a shared flock on ``<path>.delivery.lock`` and keep it open.

    Returns ``(fd, alone)``: close ``fd`` to let go (never ``LOCK_UN``: a
    forked child may share the lock); ``alone`` is True when no other handle
    held the lock. None when the lock cannot be taken (or on Windows).
    """
    if fcntl is None:  # pragma: no cover - Windows: claims run out after the lease
        return None
    try:
        fd = os.open(str(path) + ".delivery.lock", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        alone = True
    except OSError:
        alone = False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
    except OSError:
        os.close(fd)
        return None
    return fd, alone
