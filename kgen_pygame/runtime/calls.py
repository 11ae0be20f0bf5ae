"""Handles for background work whose result arrives on the game thread.

A :class:`Call` is created on the game thread, filled in by a worker thread,
and *settled* (callbacks run) only inside ``KGen.update()``. So callbacks
always run on the game thread, between frames, and may touch pygame freely.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

from kgen_pygame.errors import KGenError

logger = logging.getLogger(__name__)

T = TypeVar("T")

DoneCallback = Callable[["Call[T]"], None]


class Call(Generic[T]):
    """The future result of one background operation.

    Check :attr:`done`, then :attr:`ok` and either :attr:`result` or
    :attr:`error`; or register a callback with :meth:`on_done`.
    """

    __slots__ = ("_callbacks", "_done", "_error", "_result", "label")

    def __init__(self, label: str) -> None:
        self.label = label
        self._done = False
        self._result: T | None = None
        self._error: KGenError | None = None
        self._callbacks: list[DoneCallback[T]] = []

    def __repr__(self) -> str:
        state = "pending" if not self._done else ("ok" if self._error is None else "failed")
        return f"<Call {self.label} {state}>"

    @property
    def done(self) -> bool:
        """True once settled on the game thread."""
        return self._done

    @property
    def ok(self) -> bool:
        """True when done without an error."""
        return self._done and self._error is None

    @property
    def result(self) -> T | None:
        """The value, once :attr:`ok`."""
        return self._result

    @property
    def error(self) -> KGenError | None:
        """The error, once done and failed."""
        return self._error

    def on_done(self, callback: DoneCallback[T]) -> Call[T]:
        """Run ``callback(call)`` on the game thread once settled (at once if already)."""
        if self._done:
            _safely(callback, self)
        else:
            self._callbacks.append(callback)
        return self

    def _settle(self, result: T | None, error: KGenError | None) -> None:
        self._result, self._error, self._done = result, error, True
        callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            _safely(callback, self)


def _safely(callback: Callable[[Call[T]], None], call: Call[T]) -> None:
    # A game's callback bug must not break the plugin's update(); log it loudly.
    try:
        callback(call)
    except Exception:
        logger.exception("a KGen callback for %s raised", call.label)


class Inbox:
    """Results handed from worker threads to the game thread.

    ``deque.append``/``popleft`` are atomic, so neither side ever waits on a
    lock the other holds.
    """

    __slots__ = ("_items",)

    def __init__(self) -> None:
        self._items: deque[Callable[[], None]] = deque()

    def put(self, deliver: Callable[[], None]) -> None:
        """Queue ``deliver`` to run on the game thread (called from any thread)."""
        self._items.append(deliver)

    def settle(self, call: Call[T], result: T | None, error: KGenError | None) -> None:
        """Queue the settling of ``call``."""
        self._items.append(lambda: call._settle(result, error))

    def drain(self, limit: int = 256) -> int:
        """Run queued deliveries on the game thread; returns how many ran."""
        ran = 0
        items = self._items
        while items and ran < limit:
            deliver = items.popleft()
            try:
                deliver()
            except Exception:
                logger.exception("delivering a KGen result failed")
            ran += 1
        return ran

    def __len__(self) -> int:
        return len(self._items)
