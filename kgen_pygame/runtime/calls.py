"""Handles for background work whose result arrives on the game thread.

A :class:`Call` is created on the game thread, filled in by a worker thread, and
*settled* (callbacks run) only inside ``KGen.update()``, by the
:class:`~kgen_pygame.runtime.notifier.Notifier`. So callbacks always run on the game
thread, between frames, and may touch pygame freely. A call with a deadline that gets
no answer in time is settled with a
:class:`~kgen_pygame.errors.RequestTimeout`; a late answer is then ignored.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from kgen_pygame.errors import KGenError

logger = logging.getLogger(__name__)

T = TypeVar("T")

DoneCallback = Callable[["Call[T]"], None]


class Call(Generic[T]):
    """The future result of one background operation.

    Check :attr:`done`, then :attr:`ok` and either :attr:`result` or :attr:`error`;
    or register a callback with :meth:`on_done`.
    """

    __slots__ = ("_callbacks", "_done", "_error", "_result", "deadline", "label", "timeout_s")

    def __init__(self, label: str, *, timeout_s: float | None = None) -> None:
        self.label = label
        #: Seconds the caller waits at most (None: as long as it takes).
        self.timeout_s = timeout_s
        #: ``time.monotonic()`` after which the call is settled with a timeout.
        self.deadline = None if timeout_s is None else time.monotonic() + timeout_s
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

    def settle(self, result: T | None, error: KGenError | None) -> None:
        """Fill in the outcome and run the callbacks (game thread; the runtime calls this).

        Only the first outcome counts: an answer that arrives after the call timed out
        is dropped.
        """
        if self._done:
            return
        self._result, self._error, self._done = result, error, True
        callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            _safely(callback, self)


def settled(label: str, result: T | None, error: KGenError | None) -> Call[T]:
    """A call that is already done (for refusals known before anything is sent)."""
    call: Call[T] = Call(label)
    call.settle(result, error)
    return call


def _safely(callback: Callable[[Call[T]], None], call: Call[T]) -> None:
    # A game's callback bug must not break the plugin's update(); log it loudly.
    try:
        callback(call)
    except Exception:
        logger.exception("a KGen callback for %s raised", call.label)
