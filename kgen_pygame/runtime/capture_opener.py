"""The game thread's outbox handle, opened on a start-up thread so ``KGen(...)`` returns at once.

Opening the SQLite outbox (WAL mode, schema, a recovery check) takes 5 to 80 ms,
most of it waiting on the disk, and would alone break the constructor's 20 ms budget
(docs/performance.md). :class:`CaptureOpener` is opened by the start-up thread
(:mod:`kgen_pygame.runtime.startup`), before the sender that opens the same file. The
recorder asks :meth:`CaptureOpener.get` with a bound: a ``track_score()`` that
comes before the file is open waits for it (at most :data:`OPEN_WAIT_S`), and past
that the event waits in memory and its ``EventId`` says ``durable=False``; nothing
claims durability it does not have.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from kgen_pygame.errors import OutboxError

if TYPE_CHECKING:
    from kgen_pygame.runtime.outbox import CaptureHandle

logger = logging.getLogger(__name__)

#: How long ``track_score()`` waits for the outbox to open before holding the event.
OPEN_WAIT_S = 2.0


class CaptureOpener:
    """A :class:`~kgen_pygame.runtime.outbox.CaptureHandle` being opened in the background."""

    def __init__(self, open_capture: Callable[[], CaptureHandle]) -> None:
        self._open_capture = open_capture
        self._done = threading.Event()
        self._capture: CaptureHandle | None = None
        #: Why the file could not be opened (None while opening or once open).
        self.error: OutboxError | None = None

    @property
    def done(self) -> bool:
        """True once the open finished, either way."""
        return self._done.is_set()

    def get(self, timeout: float = 0.0) -> CaptureHandle | None:
        """The open handle, waiting up to ``timeout`` seconds; None if not (yet) open."""
        if not self._done.is_set() and (timeout <= 0 or not self._done.wait(timeout)):
            return None
        return self._capture

    def open(self) -> None:
        """Open the file (on the start-up thread); waiters wake up either way."""
        try:
            self._capture = self._open_capture()
        except OutboxError as error:
            self.error = error
            logger.error("the event outbox could not be opened (%s); events wait in memory",
                         error)
        except Exception as error:
            self.error = OutboxError(f"the event outbox could not be opened ({error!r})")
            logger.exception("the event outbox could not be opened; events wait in memory")
        finally:
            self._done.set()
