"""An overall deadline per request, enforced by shutting its sockets down.

Per-read socket timeouts cannot bound a request: a server that sends one byte
a second, in the headers or in the body, resets the read timeout with every
byte. So each request runs inside a :class:`RequestDeadline`. While it is
active on a thread, every socket a request of that thread connects or reuses
is *watched* (see :mod:`kgen_pygame.api.http_adapter`); when the deadline
passes, one process-wide watchdog thread shuts those sockets down
(``shutdown(SHUT_RDWR)``), which wakes the blocked ``recv``/``send`` at once
with an end of file or an error. The transport then sees
:attr:`RequestDeadline.expired` and reports a timeout, whatever error the
interrupted read turned into.

A watched socket is a duplicate of the connection's file descriptor
(``os.dup``), owned and closed by the deadline: shutting it down affects the
one TCP connection both descriptors share, and it can never hit an unrelated
file that reused the connection's descriptor number after the connection
closed. DNS resolution and the TCP connect itself are not interruptible this
way; the transport bounds the connect with the connect timeout (capped at the
deadline), and name resolution with the system resolver's own timeouts.

This module knows nothing of HTTP; it only needs sockets.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import logging
import os
import socket
import threading
import time
from typing import Final, Protocol

__all__ = ["DEFAULT_DEADLINE_S", "RequestDeadline", "active_deadline"]

logger = logging.getLogger(__name__)

#: The default overall deadline of a request: the player must hear within 10 s.
DEFAULT_DEADLINE_S: Final = 8.0


class _HasFileno(Protocol):
    def fileno(self) -> int: ...


_current: Final = threading.local()


def active_deadline() -> RequestDeadline | None:
    """The deadline of the request running on this thread, if any."""
    deadline: RequestDeadline | None = getattr(_current, "deadline", None)
    return deadline


class RequestDeadline:
    """The deadline of one request: ``with RequestDeadline(8.0): ...``.

    Entering makes it the thread's active deadline and arms the watchdog;
    leaving disarms it and closes the watched duplicates. Not reentrant.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expires_at = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._watched: dict[int, socket.socket] = {}
        self._expired = False
        self._finished = False

    @property
    def expired(self) -> bool:
        """True once the deadline has passed (whether or not the watchdog fired yet)."""
        return self._expired or time.monotonic() >= self.expires_at

    @property
    def fired(self) -> bool:
        """True when the watchdog shut this request's connections down."""
        return self._expired

    def remaining(self) -> float:
        """Seconds left, never negative."""
        return max(0.0, self.expires_at - time.monotonic())

    def watch(self, sock: _HasFileno) -> None:
        """Shut *sock*'s connection down if the deadline passes before the request ends."""
        try:
            fd = sock.fileno()
        except (OSError, ValueError):
            return
        if fd < 0:
            return
        with self._lock:
            if self._finished or fd in self._watched:
                return
            try:
                duplicate = socket.socket(fileno=os.dup(fd))
            except OSError as error:  # out of descriptors: read timeouts still apply
                logger.debug("cannot watch a connection for its deadline: %s", error)
                return
            self._watched[fd] = duplicate
            if self._expired:
                _shut(duplicate)

    def __enter__(self) -> RequestDeadline:
        self.expires_at = time.monotonic() + self.seconds
        _current.deadline = self
        _watchdog().arm(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        _current.deadline = None
        with self._lock:
            self._finished = True
            watched = list(self._watched.values())
            self._watched.clear()
        for duplicate in watched:
            duplicate.close()

    @property
    def finished(self) -> bool:
        """True once the request left its ``with`` block."""
        return self._finished

    def expire(self) -> None:
        """Expire now: wake every blocked read or write (the watchdog calls it on time)."""
        with self._lock:
            if self._finished:
                return
            self._expired = True
            watched = list(self._watched.values())
            for duplicate in watched:
                _shut(duplicate)
        if watched:
            logger.debug("request deadline of %g s passed: connection shut down", self.seconds)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed, or never connected
        sock.shutdown(socket.SHUT_RDWR)


_COMPACT_ABOVE: Final = 512


class _Watchdog:
    """One daemon thread that expires deadlines in order."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._heap: list[tuple[float, int, RequestDeadline]] = []
        self._order = itertools.count()
        self._thread = threading.Thread(target=self._run, name="kgen-request-deadline", daemon=True)
        self._thread.start()

    def arm(self, deadline: RequestDeadline) -> None:
        with self._condition:
            if len(self._heap) > _COMPACT_ABOVE:
                # Finished requests wait in the heap until their time; drop them in bulk.
                self._heap = [item for item in self._heap if not item[2].finished]
                heapq.heapify(self._heap)
            entry = (deadline.expires_at, next(self._order), deadline)
            heapq.heappush(self._heap, entry)
            if self._heap[0] is entry:
                self._condition.notify()

    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._heap:
                    self._condition.wait()
                when, _, deadline = self._heap[0]
                delay = when - time.monotonic()
                if delay > 0:
                    self._condition.wait(delay)
                    continue
                heapq.heappop(self._heap)
            deadline.expire()


_watchdog_lock: Final = threading.Lock()
_watchdog_instance: list[_Watchdog] = []


def _watchdog() -> _Watchdog:
    if not _watchdog_instance:
        with _watchdog_lock:
            if not _watchdog_instance:
                _watchdog_instance.append(_Watchdog())
    return _watchdog_instance[0]
