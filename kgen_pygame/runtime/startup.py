"""The plugin's set-up, run on one start-up thread so ``KGen(...)`` returns at once.

Starting the worker threads, opening the SQLite outbox and importing the overlay layer
take 30 to 150 ms together on these machines (most of it the disk and the GIL hand-over
of each new thread), several times the constructor's 20 ms budget
(docs/performance.md). :class:`Startup` runs them in order on one daemon thread; each
piece that the game thread may need early says so itself and waits for it, bounded
(:mod:`kgen_pygame.runtime.capture_opener`, :mod:`kgen_pygame.runtime.overlay_loader`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

logger = logging.getLogger(__name__)

Step = tuple[str, Callable[[], None]]


class Startup:
    """Runs named set-up steps in order on a daemon thread; a failing step is logged."""

    def __init__(self, steps: Sequence[Step]) -> None:
        self._steps = list(steps)
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kgen-startup", daemon=True)

    def start(self) -> None:
        """Start the thread (once everything the steps use exists)."""
        self._thread.start()

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for every step; True once they all ran."""
        return self._done.wait(max(0.0, timeout))

    def _run(self) -> None:
        try:
            for name, step in self._steps:
                try:
                    step()
                except Exception:
                    logger.exception("KGeN start-up step %r failed", name)
        finally:
            self._done.set()
