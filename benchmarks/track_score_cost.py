"""What ``KGen.track_score()`` costs the game thread, durable on return.

A real KGen runs against the sandbox in its own process, so the event sender
is delivering over HTTP on its worker thread while the game thread captures.
Two loads:

  paced   a 60 fps game loop that tracks ``--per-frame`` scores each frame
          and sleeps to the next frame, as a game does in ``Clock.tick``;
  burst   ``--burst`` calls back to back: the worst case, every capture
          colliding with the sender's writes and its Python work.

The baseline in the same run times a Python call that does nothing, so the
figures show what the plugin adds. Budget: p99 <= 0.25 ms.

    python benchmarks/track_score_cost.py [--seconds 10] [--per-frame 10] [--burst 20000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _harness import (
    SANDBOX_CLIENT,
    machine_line,
    percentile,
    sandbox_process,
    write_section,
)

BUDGET_P99_MS = 0.25


def noop(score: int, tournament_id: str | None = None) -> str:
    """The baseline: a call that does nothing."""
    return ""


def timed_paced(call: Callable[[int], object], seconds: float, per_frame: int) -> list[float]:
    samples: list[float] = []
    clock = time.perf_counter
    next_frame = clock()
    for frame in range(int(seconds * 60)):
        for i in range(per_frame):
            start = clock()
            call(frame * per_frame + i)
            samples.append((clock() - start) * 1000.0)
        next_frame += 1 / 60
        delay = next_frame - clock()
        if delay > 0:
            time.sleep(delay)
    return samples


def timed_burst(call: Callable[[int], object], count: int) -> list[float]:
    samples: list[float] = []
    clock = time.perf_counter
    for value in range(count):
        start = clock()
        call(value)
        samples.append((clock() - start) * 1000.0)
    return samples


def row(name: str, samples: list[float], base: list[float]) -> str:
    p50, p99 = percentile(samples, 50), percentile(samples, 99)
    base_p99 = percentile(base, 99)
    verdict = "ok" if p99 <= BUDGET_P99_MS else "over"
    return (
        f"| {name} | {len(samples)} | {p50 * 1000:.1f} | {p99 * 1000:.1f} | "
        f"{max(samples) * 1000:.0f} | {p99 / base_p99:,.0f}x | {verdict} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--per-frame", type=int, default=10)
    parser.add_argument("--burst", type=int, default=20_000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    import pygame

    from kgen_pygame import KGen

    pygame.init()
    with tempfile.TemporaryDirectory() as tmp, sandbox_process(Path(tmp) / "s.sqlite3") as url:
        kgen = KGen(base_url=url, client_id=SANDBOX_CLIENT[0], client_secret=SANDBOX_CLIENT[1],
                    data_dir=Path(tmp) / "game", game_id="bench", gamer_id="track-cost",
                    overlays=False)
        while not kgen.ready:
            kgen.update(1 / 60)
            time.sleep(0.01)
        base_paced = timed_paced(noop, args.seconds, args.per_frame)
        paced = timed_paced(kgen.track_score, args.seconds, args.per_frame)
        base_burst = timed_burst(noop, args.burst)
        burst = timed_burst(kgen.track_score, args.burst)
        # The same burst with the pacer's hold-back switched off, to show what it
        # buys (see docs/architecture.md, "Sharing the GIL").
        import kgen_pygame.runtime.pacing as pacing_module

        quiet = pacing_module.CAPTURE_QUIET_S
        pacing_module.CAPTURE_QUIET_S = 0.0  # type: ignore[misc]
        burst_eager = timed_burst(kgen.track_score, args.burst)
        pacing_module.CAPTURE_QUIET_S = quiet  # type: ignore[misc]
        captured = len(paced) + len(burst) + len(burst_eager)
        delivered_during = captured - kgen.pending_events
        kgen.close(timeout=30)
    pygame.quit()

    lines = [
        "### `track_score()` on the game thread",
        "",
        f"Command: `python benchmarks/track_score_cost.py --seconds {args.seconds:g} "
        f"--per-frame {args.per_frame} --burst {args.burst}`  ",
        f"Machine: {machine_line()}",
        "",
        "Each call commits the event to the SQLite outbox (WAL) before it returns, while the "
        f"sender delivers to the sandbox over HTTP ({delivered_during:,} events delivered "
        "during the run). Times in microseconds.",
        "",
        "| load | calls | p50 µs | p99 µs | max µs | p99 vs no-op call | p99 budget 250 µs |",
        "|---|---|---|---|---|---|---|",
        row(f"paced: {args.per_frame} per frame at 60 fps", paced, base_paced),
        row("burst: back to back (worst case)", burst, base_burst),
        row("burst, sender not holding back (for comparison)", burst_eager, base_burst),
        f"| baseline: a no-op Python call | {len(base_paced)} | "
        f"{percentile(base_paced, 50) * 1000:.2f} | {percentile(base_paced, 99) * 1000:.2f} | "
        f"{max(base_paced) * 1000:.0f} | 1x | - |",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section("track_score_cost", text)


if __name__ == "__main__":
    main()
