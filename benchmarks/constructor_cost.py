"""What ``KGen(...)`` costs the game thread, in fresh interpreters, and the first HUD frame.

Each run starts a new Python (with bytecode caches, as a pip-installed wheel has; the
first run only warms them and is dropped) that times:

* the floor: ``import pygame; pygame.init(); pygame.display.set_mode(...)``,
* ``from kgen_pygame import KGen`` on top (for information; budgeted in import_time),
* ``KGen(game_id=...)`` with the default embedded sandbox and a fresh data dir
  (budget <= 20 ms on the game thread),
* the frames until the HUD badge is drawn (``update()`` + ``draw()``; the overlay layer
  is imported on a start-up thread meanwhile): the first frame with the HUD (budget
  <= 2 ms) and the slowest frame before it.

Then, in this process, what the dirty-rect support adds to a frame: keeping and putting
back the pixels under the HUD badge (every frame) and under a full-screen panel (while
one is open), at 1280x720.

    python benchmarks/constructor_cost.py [--runs 21]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from _harness import ROOT, machine_line, median, percentile, write_section

PROBE = r"""
import json, sys, tempfile, time
t0 = time.perf_counter()
import pygame
pygame.init()
screen = pygame.display.set_mode((1280, 720))
t1 = time.perf_counter()
from kgen_pygame import KGen
t2 = time.perf_counter()
kgen = KGen(game_id="constructor-bench", data_dir=tempfile.mkdtemp())
t3 = time.perf_counter()
before, first, frames = 0.0, None, 0
deadline = t3 + 10
while first is None and time.perf_counter() < deadline:
    screen.fill((12, 14, 30))
    start = time.perf_counter()
    kgen.update()
    drawn = kgen.draw(screen)
    took = time.perf_counter() - start
    frames += 1
    if drawn:
        first = took
    else:
        before = max(before, took)
    time.sleep(1 / 240)
print(json.dumps({"floor": t1 - t0, "import": t2 - t1, "ctor": t3 - t2,
                  "first_hud": first, "before_max": before, "frames": frames}))
kgen.close(timeout=1)
"""


def fresh_runs(runs: int) -> dict[str, list[float]]:
    cache = tempfile.mkdtemp(prefix="kgen-pyc-")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYGAME_HIDE_SUPPORT_PROMPT": "1",
           "PYTHONPYCACHEPREFIX": cache}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("KGEN_BASE_URL", None)
    samples: dict[str, list[float]] = {}
    for index in range(runs + 1):
        out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                             env=env, check=True, cwd=tempfile.gettempdir()).stdout
        result = json.loads(out.strip().splitlines()[-1])
        if index == 0:
            continue  # compiles the bytecode caches and warms the OS file cache
        for key, value in result.items():
            scale = 1 if key == "frames" else 1000
            samples.setdefault(key, []).append(float(value if value is not None else "nan")
                                               * scale)
    return samples


def restore_costs(repeats: int = 400) -> tuple[float, float]:
    """Median microseconds to keep and put back the HUD's and a full screen's pixels."""
    import pygame

    from kgen_pygame.ui.underlay import Underlay

    pygame.display.init()
    screen = pygame.display.set_mode((1280, 720))
    results = []
    for rect in (pygame.Rect(1010, 16, 254, 34), screen.get_rect()):
        underlay = Underlay()
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            underlay.save(screen, [rect])
            underlay.restore()
            times.append((time.perf_counter() - start) * 1e6)
            underlay.take_restored()
        results.append(median(times))
    pygame.display.quit()
    return results[0], results[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    s = fresh_runs(args.runs)
    floor, imp, ctor = median(s["floor"]), median(s["import"]), median(s["ctor"])
    first, before = median(s["first_hud"]), median(s["before_max"])
    hud_us, full_us = restore_costs()
    lines = [
        "### Constructor and first frame",
        "",
        f"Command: `python benchmarks/constructor_cost.py --runs {args.runs}`  ",
        f"Machine: {machine_line()}",
        "",
        f"Median over {args.runs} fresh interpreters (bytecode cached, as after `pip install`;",
        "the embedded sandbox, a fresh data dir). The outbox opens and the overlay layer",
        "is imported on the start-up thread, so they cost the game thread nothing here.",
        "",
        "| on the game thread | ms (median) | p90 | budget |",
        "|---|---|---|---|",
        f"| `import pygame; pygame.init(); set_mode()` (floor) | {floor:.1f} | "
        f"{percentile(s['floor'], 90):.1f} | - |",
        f"| `from kgen_pygame import KGen` on top | {imp:.1f} | "
        f"{percentile(s['import'], 90):.1f} | (import_time section) |",
        f"| `KGen(game_id=...)` | {ctor:.1f} | {percentile(s['ctor'], 90):.1f} | <= 20 ms |",
        f"| first frame with the HUD drawn (`update()` + `draw()`) | {first:.2f} | "
        f"{percentile(s['first_hud'], 90):.2f} | <= 2 ms |",
        f"| slowest frame before it (overlay still loading) | {before:.2f} | "
        f"{percentile(s['before_max'], 90):.2f} | - |",
        f"| frames until the HUD shows | {median(s['frames']):.0f} | "
        f"{percentile(s['frames'], 90):.0f} | - |",
        "",
        "Dirty-rect support (kept and put back each frame, 1280x720, in-process median):",
        "",
        "| pixels kept and restored | us a frame |",
        "|---|---|",
        f"| under the HUD badge (always) | {hud_us:.1f} |",
        f"| under an open panel (the whole screen) | {full_us:.1f} |",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section("constructor_cost", text)


if __name__ == "__main__":
    main()
