"""Where a slow frame's time goes, phase by phase, while the server misbehaves.

A 60 fps game loop (the same stand-in game as worst_frame.py) runs with KGen
against a sandbox process whose replies take 2 s (or that never answers),
tracking a score twice a second. Each frame is split into phases (events,
update, track_score, the game's own drawing, KGen.draw, flip); frames over
``--slow-ms`` are listed with their phases. The first frames are reported
apart: they pay one-time costs (first HUD text render, first prepared SQL
statement).

    python benchmarks/frame_profile.py [--fault slow|blackhole] [--frames 1800]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from _harness import GameScene, machine_line, sandbox_process, write_section
from worst_frame import make_kgen, set_faults

PHASES = ("events", "update", "track_score", "game draw", "KGen.draw", "flip")
WARM_FRAMES = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fault", choices=("slow", "blackhole"), default="slow")
    parser.add_argument("--frames", type=int, default=1800)
    parser.add_argument("--slow-ms", type=float, default=1.4)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    import pygame

    pygame.init()
    screen = pygame.display.set_mode((1280, 720))
    scene = GameScene(screen)
    clock = time.perf_counter
    first: list[list[float]] = []
    slow: list[tuple[int, float, list[float]]] = []
    totals: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, sandbox_process(Path(tmp) / "s.sqlite3") as url:
        kgen = make_kgen(url, Path(tmp) / "game")
        set_faults(url, **({"latency_ms": 2000} if args.fault == "slow" else {"blackhole": True}))
        next_frame = clock()
        for frame in range(args.frames):
            t0 = clock()
            for event in pygame.event.get():
                kgen.handle_event(event)
            t1 = clock()
            kgen.update(1 / 60)
            t2 = clock()
            if frame % 30 == 0:
                kgen.track_score(frame)
            t3 = clock()
            scene.step()
            t4 = clock()
            kgen.draw(screen)
            t5 = clock()
            pygame.display.flip()
            t6 = clock()
            phases = [(b - a) * 1000 for a, b in zip((t0, t1, t2, t3, t4, t5),
                                                      (t1, t2, t3, t4, t5, t6), strict=True)]
            total = (t6 - t0) * 1000
            if frame < WARM_FRAMES:
                first.append(phases)
            else:
                totals.append(total)
                if total > args.slow_ms:
                    slow.append((frame, total, phases))
            next_frame += 1 / 60
            delay = next_frame - clock()
            if delay > 0:
                time.sleep(delay)
            else:
                next_frame = clock()
        set_faults(url, latency_ms=0, blackhole=False)
        kgen.close(timeout=0.5)
    pygame.quit()

    lines = [
        f"### Frame profile, server {args.fault}",
        "",
        f"Command: `python benchmarks/frame_profile.py --fault {args.fault} --frames "
        f"{args.frames}`  ",
        f"Machine: {machine_line()}",
        "",
        f"First frame (one-time costs): {sum(first[0]):.2f} ms "
        f"({', '.join(f'{n} {v:.2f}' for n, v in zip(PHASES, first[0], strict=True))}).",
        "",
        f"After {WARM_FRAMES} warm-up frames: {len(totals)} frames, worst {max(totals):.2f} ms, "
        f"{len(slow)} over {args.slow_ms:g} ms.",
        "",
        "| frame | ms | " + " | ".join(PHASES) + " |",
        "|---|---|" + "---|" * len(PHASES),
    ]
    for frame, total, phases in slow[:15]:
        lines.append(f"| {frame} | {total:.2f} | " + " | ".join(f"{v:.2f}" for v in phases) + " |")
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section(f"frame_profile_{args.fault}", text)


if __name__ == "__main__":
    main()
