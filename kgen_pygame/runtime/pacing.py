"""When the game thread is least likely to need the GIL: right after it drew a frame.

The game thread and the plugin's threads share the GIL, so a worker's Python work
(building a request, parsing a reply, a SQLite write) can hold the game up. Two signals
say when the game is busy: a burst of captures (``track()`` stamps each), and a running
frame loop (``draw()`` stamps each frame; right after it the game flips and sleeps in
its clock). Workers call :meth:`FramePacer.wait_for_idle` before a burst of work; the
wait is bounded, so work always makes progress, and with no frame loop running there is
no wait at all.
"""

from __future__ import annotations

import time
from typing import Final

#: A capture this recent means the game thread is mid-burst.
CAPTURE_QUIET_S: Final = 0.002
#: Work may start this long after draw(): the game's idle part of a frame.
FRAME_IDLE_WINDOW_S: Final = 0.006
#: No draw() for this long means no frame loop is running: no waiting.
FRAME_LOOP_ACTIVE_S: Final = 0.100
_POLL_S: Final = 0.001
#: The longest a worker is held back.
MAX_WAIT_S: Final = 0.050


class FramePacer:
    """Stamps from the game thread; bounded waits for the workers. Lock-free."""

    __slots__ = ("_last_capture", "_last_draw")

    def __init__(self) -> None:
        self._last_capture = 0.0
        self._last_draw = 0.0

    # -- game thread -------------------------------------------------------------

    def captured(self) -> None:
        """An event was just captured (called from ``track()``)."""
        self._last_capture = time.perf_counter()

    def frame_drawn(self) -> None:
        """The game just drew a frame (called from ``draw()``)."""
        self._last_draw = time.perf_counter()

    # -- worker threads ---------------------------------------------------------------

    def wait_for_idle(self, max_wait_s: float = MAX_WAIT_S) -> None:
        """Sleep until the game is in the idle part of a frame, at most ``max_wait_s``."""
        waited = 0.0
        while waited < max_wait_s:
            now = time.perf_counter()
            since_capture = now - self._last_capture
            since_draw = now - self._last_draw
            if since_capture < CAPTURE_QUIET_S:
                pause = CAPTURE_QUIET_S - since_capture
            elif FRAME_IDLE_WINDOW_S <= since_draw < FRAME_LOOP_ACTIVE_S:
                pause = _POLL_S  # mid-frame: wait for the next draw()
            else:
                return
            time.sleep(pause)
            waited += pause

    def yield_point(self) -> None:
        """Between small steps of long work (decoding a big reply): give the game a turn."""
        self.wait_for_idle(MAX_WAIT_S)
