"""How the plugin's background work is scheduled: a few daemon threads and a timer.

One of the three seams kept clean for a later browser target (where there are no
threads): the facade, the panels and the adapters only ever *submit* work, never
create threads or wait. The game thread's calls here are a non-blocking put.

Several threads run calls side by side, so one stuck request (a server that trickles
bytes until the transport's deadline) never holds the calls queued behind it. The
threads are daemons: a game that exits is never held up by a request in flight (the
outbox keeps every event for the next launch).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

Work = Callable[[], None]

#: Threads running calls at once (a stuck call occupies one until its deadline).
DEFAULT_THREADS = 3


@dataclass(order=True, slots=True)
class _Timer:
    due: float
    order: int
    work: Work = field(compare=False)


class Scheduler:
    """Runs submitted work on a small pool of daemon threads, now or after a delay."""

    def __init__(self, name: str = "kgen-call", threads: int = DEFAULT_THREADS) -> None:
        if threads < 1:
            raise ValueError("threads must be at least 1")
        self._name = name
        self._size = threads
        self._jobs: queue.SimpleQueue[Work | None] = queue.SimpleQueue()
        self._timers: list[_Timer] = []
        self._order = itertools.count()
        self._timer_wake = threading.Condition(threading.Lock())
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()

    @property
    def stopping(self) -> bool:
        """True once :meth:`stop` was called."""
        return self._stopping.is_set()

    def start(self) -> None:
        """Start the threads (once)."""
        if self._threads:
            return
        for index in range(self._size):
            thread = threading.Thread(
                target=self._work, name=f"{self._name}-{index + 1}", daemon=True
            )
            thread.start()
            self._threads.append(thread)
        timer = threading.Thread(target=self._run_timers, name=f"{self._name}-timer", daemon=True)
        timer.start()
        self._threads.append(timer)

    def submit(self, work: Work) -> None:
        """Run ``work`` on a pool thread as soon as one is free (never blocks)."""
        if not self._stopping.is_set():
            self._jobs.put(work)

    def call_later(self, delay_s: float, work: Work) -> None:
        """Submit ``work`` after ``delay_s`` seconds."""
        if self._stopping.is_set():
            return
        timer = _Timer(time.monotonic() + max(0.0, delay_s), next(self._order), work)
        with self._timer_wake:
            heapq.heappush(self._timers, timer)
            self._timer_wake.notify()

    def stop(self) -> None:
        """Finish the work in hand and stop; queued work is dropped."""
        self._stopping.set()
        for _ in range(self._size):
            self._jobs.put(None)
        with self._timer_wake:
            self._timer_wake.notify()

    def join(self, timeout_s: float) -> None:
        """Wait up to ``timeout_s`` in all for the threads to end."""
        deadline = time.monotonic() + max(0.0, timeout_s)
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    # -- threads ------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            work = self._jobs.get()
            if work is None or self._stopping.is_set():
                return
            try:
                work()
            except Exception:
                logger.exception("background KGeN work failed")

    def _run_timers(self) -> None:
        while not self._stopping.is_set():
            with self._timer_wake:
                if not self._timers:
                    self._timer_wake.wait()
                    continue
                wait_s = self._timers[0].due - time.monotonic()
                if wait_s > 0:
                    self._timer_wake.wait(wait_s)
                    continue
                timer = heapq.heappop(self._timers)
            self.submit(timer.work)
