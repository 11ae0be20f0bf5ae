"""The frame pacer: when a worker may start work so that it ends before the game's next
frame. A hand-wound clock drives it, so every decision is exact (no timed asserts)."""

from __future__ import annotations

from kgen_pygame.runtime.pacing import (
    CAPTURE_QUIET_S,
    FRAME_LOOP_ACTIVE_S,
    CostEstimate,
    FramePacer,
)

FRAME = 1 / 60
REQUEST = 0.002  # a worker's request: 2 ms


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def run_frames(pacer: FramePacer, clock: Clock, frames: int, *, busy: float = 0.003,
               update_and_draw: bool = True, captures: int = 0) -> float:
    """Play ``frames`` frames of a 60 fps loop; return the start of the last one."""
    start = clock.now
    for _ in range(frames):
        start = clock.now
        if update_and_draw:
            pacer.frame_started()
        for _ in range(captures):
            pacer.captured()
            clock.now += 0.00004
        clock.now = start + busy
        if update_and_draw:
            pacer.frame_drawn()
        clock.now = start + FRAME
    clock.now = start + busy
    return start


def test_no_frame_loop_means_no_wait() -> None:
    assert FramePacer(Clock()).pause_before(REQUEST) == 0.0


def test_work_that_ends_before_the_next_frame_starts_at_once() -> None:
    clock = Clock()
    pacer = FramePacer(clock)
    start = run_frames(pacer, clock, 10)
    clock.now = start + 0.004  # drawn at 3 ms; the next frame is 12.7 ms away
    assert pacer.pause_before(REQUEST) == 0.0


def test_work_that_would_run_into_the_next_frame_waits_for_it() -> None:
    clock = Clock()
    pacer = FramePacer(clock)
    start = run_frames(pacer, clock, 10)
    clock.now = start + FRAME - 0.001  # 1 ms before the next frame: 2 ms do not fit
    pause = pacer.pause_before(REQUEST)
    assert pause > 0.0
    assert clock.now + pause >= start + FRAME  # not before the next frame is due
    # A short piece of work still fits in what is left.
    assert pacer.pause_before(0.0003) == 0.0


def test_mid_frame_waits_until_the_frame_is_drawn() -> None:
    clock = Clock()
    pacer = FramePacer(clock)
    start = run_frames(pacer, clock, 10, busy=0.005)
    clock.now = start + FRAME
    pacer.frame_started()  # the game is busy with its frame, not drawn yet
    clock.now += 0.001
    # One sleep until the frame should be drawn (the last one took 5 ms), not polls.
    assert abs(pacer.pause_before(REQUEST) - 0.004) < 1e-9
    pacer.frame_drawn()
    assert pacer.pause_before(REQUEST) == 0.0


def test_a_burst_of_captures_holds_work_back() -> None:
    clock = Clock()
    pacer = FramePacer(clock)
    pacer.captured()
    clock.now += CAPTURE_QUIET_S / 2
    assert pacer.pause_before(0.0) > 0.0
    assert pacer.pause_before(None) > 0.0
    clock.now += CAPTURE_QUIET_S
    assert pacer.pause_before(0.0) == 0.0
    assert pacer.pause_before(None) == 0.0


def test_capture_bursts_show_the_rhythm_of_a_loop_without_update_or_draw() -> None:
    clock = Clock()
    pacer = FramePacer(clock)
    start = run_frames(pacer, clock, 10, update_and_draw=False, captures=10)
    clock.now = start + 0.004
    assert pacer.pause_before(REQUEST) == 0.0
    clock.now = start + FRAME - 0.001  # the next burst of captures is due
    assert pacer.pause_before(REQUEST) > 0.0


def test_work_longer_than_any_gap_goes_right_after_draw() -> None:
    clock = Clock()
    pacer = FramePacer(clock)
    start = run_frames(pacer, clock, 10)
    long_work = FRAME  # never fits: it must not wait forever for a gap
    clock.now = start + 0.0035
    assert pacer.pause_before(long_work) == 0.0
    clock.now = start + 0.012  # long after draw: wait for the next one
    assert pacer.pause_before(long_work) > 0.0


def test_work_of_unknown_length_starts_only_right_after_draw() -> None:
    clock = Clock()
    pacer = FramePacer(clock)
    start = run_frames(pacer, clock, 10)
    clock.now = start + 0.004  # 1 ms after draw
    assert pacer.pause_before(None) == 0.0
    clock.now = start + 0.011  # 8 ms after draw: a request of known length would fit
    assert pacer.pause_before(REQUEST) == 0.0
    assert pacer.pause_before(None) > 0.0


def test_a_paused_loop_stops_the_waiting() -> None:
    clock = Clock()
    pacer = FramePacer(clock)
    start = run_frames(pacer, clock, 10)
    clock.now = start + FRAME_LOOP_ACTIVE_S + 0.01  # a loading screen: no frames
    assert pacer.pause_before(REQUEST) == 0.0


def test_cost_estimate_is_a_high_percentile_that_forgets_a_stall() -> None:
    estimate = CostEstimate()
    for _ in range(31):
        estimate.add(0.001)
    estimate.add(0.200)  # one stall
    assert estimate.estimate == 0.001  # the 90th percentile of 32 ignores one outlier
    for _ in range(4):
        estimate.add(0.003)  # a slower spell shows at once
    assert estimate.estimate == 0.003
