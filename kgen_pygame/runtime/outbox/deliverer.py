"""One deliverer per outbox file: an OS file lock, released by the OS when its process dies.

Several processes of one game may capture into the same file; only the one holding
this lock sends. So no event is ever handed to two senders at once, and nothing has to
be leased or released after a crash: when the holder dies, the next process to try
becomes the deliverer and finds every pending row as it was.
"""

from __future__ import annotations

import contextlib
import logging
import os
import weakref
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
try:
    import msvcrt
except ImportError:
    msvcrt = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

_HELD: weakref.WeakSet[DelivererLock] = weakref.WeakSet()


def _drop_inherited_locks() -> None:
    # A forked child must not keep its parent's lock alive after the parent ends.
    for lock in list(_HELD):
        lock.forget_after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_drop_inherited_locks)


class DelivererLock:
    """``<outbox>.deliverer.lock``, held exclusively by the delivering process."""

    def __init__(self, outbox_path: Path) -> None:
        self.path = outbox_path.with_name(outbox_path.name + ".deliverer.lock")
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """True while this process is the deliverer."""
        return self._fd is not None

    def try_acquire(self) -> bool:
        """Become the deliverer if no other process is; never waits."""
        if self._fd is not None:
            return True
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            logger.warning("cannot open %s (%s); delivering anyway", self.path.name, error)
            return True
        if not _lock(fd):
            os.close(fd)
            return False
        self._fd = fd
        _HELD.add(self)
        return True

    def release(self) -> None:
        """Stop being the deliverer (closing the file releases the lock)."""
        fd, self._fd = self._fd, None
        _HELD.discard(self)
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)

    def forget_after_fork(self) -> None:
        """In a forked child: close the inherited copy without unlocking the parent's."""
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)


def _lock(fd: int) -> bool:
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True
    if msvcrt is not None:  # pragma: no cover - Windows
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    return True  # pragma: no cover - no locking primitive: one process is the rule
