"""When the game thread is least likely to need the GIL: between its frames.

The game thread and the plugin's threads share the GIL, so a worker's Python work
(building a request, parsing a reply, a SQLite write) can hold the game up: a capture
that commits releases the GIL inside SQLite, and getting it back waits for whatever
Python step the worker is in. The game says where it is in its frame: ``update()``
stamps the start of each frame, ``draw()`` its end (the game then flips and sleeps in
its clock), ``track()`` each capture. From the starts the pacer learns the frame
period, so it can tell a worker whether a piece of work of a given cost fits before
the next frame starts, not merely whether the game is idle now. A game that calls
neither ``update()`` nor ``draw()`` still shows its rhythm through its bursts of
captures, which stand in for frame starts.

Workers call :meth:`FramePacer.wait_for_idle` before a piece of work; the wait is
bounded, so work always makes progress, and with no frame loop running there is no
wait at all.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Final

#: A capture this recent means the game thread is mid-burst.
CAPTURE_QUIET_S: Final = 0.002
#: Without a known frame period, work may start this long after draw().
FRAME_IDLE_WINDOW_S: Final = 0.006
#: No frame stamp for this long means no frame loop is running: no waiting.
FRAME_LOOP_ACTIVE_S: Final = 0.100
#: Work is planned to end this long before the next frame is due.
FRAME_MARGIN_S: Final = 0.0005
#: How much of each new frame interval goes into the period estimate.
_PERIOD_WEIGHT: Final = 0.125
#: A frame later than this fraction of the period is taken as skipped, not late.
_LATE_FRACTION: Final = 0.5
#: Work longer than this fraction of a frame fits in no gap: it goes after draw().
_MAX_COST_FRACTION: Final = 0.5
_POLL_S: Final = 0.001
#: The longest a worker is held back.
MAX_WAIT_S: Final = 0.050


class _Rhythm:
    """The start of the last frame and an estimate of the frame period."""

    __slots__ = ("last", "period")

    def __init__(self) -> None:
        self.last = 0.0
        self.period = 0.0

    def mark(self, now: float) -> None:
        interval = now - self.last
        if interval < FRAME_LOOP_ACTIVE_S:  # a pause (menu, loading) is not a frame
            self.period = (
                interval if self.period == 0.0
                else self.period + (interval - self.period) * _PERIOD_WEIGHT
            )
        self.last = now

    def next_due(self, now: float) -> float | None:
        """When the next frame should start, or None without a running rhythm."""
        if self.period == 0.0 or now - self.last >= FRAME_LOOP_ACTIVE_S:
            return None
        due = self.last + self.period
        # A frame somewhat late is still coming; one much later was skipped.
        while now - due > self.period * _LATE_FRACTION:
            due += self.period
        return due


class FramePacer:
    """Stamps from the game thread; bounded waits for the workers. Lock-free."""

    __slots__ = ("_bursts", "_busy", "_clock", "_frames", "_last_capture", "_last_draw")

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self._clock = clock
        self._frames = _Rhythm()
        self._bursts = _Rhythm()
        self._last_capture = 0.0
        self._last_draw = 0.0
        #: How long the game's last frame took from update() to draw().
        self._busy = 0.0

    # -- game thread -------------------------------------------------------------

    def frame_started(self) -> None:
        """A frame began (called from ``update()``)."""
        self._frames.mark(self._clock())

    def captured(self) -> None:
        """An event was just captured (called from ``track()``)."""
        now = self._clock()
        if now - self._last_capture >= CAPTURE_QUIET_S:
            self._bursts.mark(now)
        self._last_capture = now

    def frame_drawn(self) -> None:
        """The game just drew a frame (called from ``draw()``)."""
        now = self._clock()
        self._last_draw = now
        self._busy = now - self._frames.last

    # -- worker threads ---------------------------------------------------------------

    def wait_for_idle(self, max_wait_s: float = MAX_WAIT_S, cost_s: float | None = None) -> None:
        """Sleep until work taking about ``cost_s`` fits in the game's idle time.

        Work of unknown length (``cost_s=None``) starts only right after ``draw()``.
        Returns at once when no frame loop runs; waits at most ``max_wait_s``.
        """
        waited = 0.0
        while waited < max_wait_s:
            pause = self.pause_before(cost_s)
            if pause <= 0.0:
                return
            pause = min(pause, max_wait_s - waited)
            time.sleep(pause)
            waited += pause

    def yield_point(self) -> None:
        """Between small steps of long work (decoding a big reply): give the game a turn."""
        self.wait_for_idle(MAX_WAIT_S)

    def pause_before(self, cost_s: float | None) -> float:
        """Seconds to wait before work taking about ``cost_s`` may start (0: now).

        ``None``: a length not known, so only right after ``draw()``.
        """
        now = self._clock()
        since_capture = now - self._last_capture
        if since_capture < CAPTURE_QUIET_S:
            return CAPTURE_QUIET_S - since_capture
        since_draw = now - self._last_draw
        drawing = since_draw < FRAME_LOOP_ACTIVE_S
        frames = self._frames
        if drawing and frames.last > self._last_draw:
            # The game started a frame and has not drawn it yet: sleep until it
            # should have (as long as the last frame took), not in short polls,
            # each of which would ask the busy game thread for the GIL.
            return max(_POLL_S, frames.last + self._busy - now)
        rhythm = frames if frames.next_due(now) is not None else self._bursts
        due = rhythm.next_due(now)
        if due is None or cost_s is None or cost_s > rhythm.period * _MAX_COST_FRACTION:
            # No rhythm, work of unknown length, or work that fits in no frame's gap:
            # right after draw() is best.
            if drawing and since_draw >= FRAME_IDLE_WINDOW_S:
                return _POLL_S
            return 0.0
        free = due - FRAME_MARGIN_S - now
        if cost_s <= free:
            return 0.0
        # Too close to the next frame (or it is late): wait for it to start.
        return max(_POLL_S, free + FRAME_MARGIN_S)


class CostEstimate:
    """How long a recurring piece of work takes: the 90th percentile of the last 32
    runs, so the pacer plans with a duration rarely exceeded, and one stall (a
    descheduled sandbox, a GC pause) does not distort it for long."""

    __slots__ = ("_recent", "estimate")
    _KEEP = 32

    def __init__(self) -> None:
        self._recent: deque[float] = deque(maxlen=self._KEEP)
        self.estimate = 0.0

    def add(self, seconds: float) -> None:
        self._recent.append(seconds)
        ordered = sorted(self._recent)
        self.estimate = ordered[(len(ordered) * 9) // 10]
