"""Shared helpers for the benchmarks: a sandbox subprocess, a game-like frame,
statistics, and writing results into docs/performance.md.

Each benchmark owns one section of docs/performance.md, delimited by
``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->``, and rewrites only that.
"""

from __future__ import annotations

import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

ROOT = Path(__file__).resolve().parents[1]
PERFORMANCE_MD = ROOT / "docs" / "performance.md"
SANDBOX_CLIENT = ("kgen-sandbox-client", "kgen-sandbox-secret")


def machine_line() -> str:
    import pygame

    flavour = "pygame-ce" if getattr(pygame, "IS_CE", False) else "pygame"
    return (
        f"{platform.python_implementation()} {platform.python_version()}, {flavour} "
        f"{pygame.version.ver}, SDL {'.'.join(map(str, pygame.get_sdl_version()))}, "
        f"{os.cpu_count()} cores, {platform.machine()}, {load_line()} at the end of the run"
    )


def write_section(name: str, body: str) -> None:
    """Replace the ``name`` section of docs/performance.md (append if new)."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.strip()}\n{end}"
    text = PERFORMANCE_MD.read_text(encoding="utf-8") if PERFORMANCE_MD.exists() else ""
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else (
        text.rstrip() + "\n\n" + block + "\n"
    )
    PERFORMANCE_MD.write_text(text, encoding="utf-8")


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


@contextmanager
def sandbox_process(db: Path, *flags: str) -> Iterator[str]:
    """The sandbox CLI in its own process (as the real server would be: not in our GIL)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kgen_pygame.sandbox", "--port", "0", "--db", str(db), *flags],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    assert proc.stdout is not None
    url = ""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not url:
        line = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+", line)
        if match:
            url = match.group(0)
        elif not line:
            break
    if not url:
        proc.kill()
        raise RuntimeError("the sandbox did not start")
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


class GameScene:
    """A stand-in game frame: background, 150 moving sprites, a few shapes, text.

    Roughly what a small arcade game draws each frame at 1280x720.
    """

    def __init__(self, surface: object, seed: int = 7) -> None:
        import pygame

        self.pygame = pygame
        self.surface = surface
        rng = random.Random(seed)
        self.sprite = pygame.Surface((24, 24), pygame.SRCALPHA)
        pygame.draw.circle(self.sprite, (250, 200, 80, 255), (12, 12), 11)
        self.sprites = [
            [rng.uniform(0, 1256), rng.uniform(0, 696), rng.uniform(-3, 3), rng.uniform(-3, 3)]
            for _ in range(150)
        ]
        self.font = pygame.font.Font(None, 28)
        self.score_text = self.font.render("SCORE 000000", True, (255, 255, 255))

    def step(self) -> None:
        pygame = self.pygame
        surface = self.surface
        surface.fill((12, 14, 30))  # type: ignore[attr-defined]
        for sprite in self.sprites:
            sprite[0] = (sprite[0] + sprite[2]) % 1256
            sprite[1] = (sprite[1] + sprite[3]) % 696
            surface.blit(self.sprite, (sprite[0], sprite[1]))  # type: ignore[attr-defined]
        pygame.draw.rect(surface, (60, 90, 200), (20, 660, 300, 40), border_radius=8)
        surface.blit(self.score_text, (30, 668))  # type: ignore[attr-defined]


def ready_kgen(url: str, data_dir: Path, api: str, gamer_id: str, **options: object) -> object:
    """A KGen on the sandbox at ``url`` speaking ``api``, pumped until its session is up."""
    from kgen_pygame import KGen

    kgen = KGen(base_url=url, client_id=SANDBOX_CLIENT[0], client_secret=SANDBOX_CLIENT[1],
                data_dir=data_dir, game_id="bench", gamer_id=gamer_id, api=api,
                overlays=False, **options)  # type: ignore[arg-type]
    pump(kgen, lambda: bool(kgen.ready))
    return kgen


def pump(kgen: object, done: object, limit_s: float = 60.0) -> None:
    """Call ``kgen.update()`` as a frame loop would until ``done()`` is true."""
    deadline = time.monotonic() + limit_s
    while not done():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise RuntimeError("the KGen did not get there in time")
        kgen.update(1 / 60)  # type: ignore[attr-defined]
        time.sleep(0.005)


def score_tournament(kgen: object, api: str) -> str | None:
    """The tournament scores go to: on the current API, the sandbox's free daily one,
    joined (a score names its tournament there, one POST each); None on v1."""
    if api != "current":
        return None
    pump(kgen, lambda: bool(kgen.active_tournaments))  # type: ignore[attr-defined]
    free = next(t for t in kgen.active_tournaments if t.buy_in == 0)  # type: ignore[attr-defined]
    joined = kgen.join_tournament(free.uid)  # type: ignore[attr-defined]
    pump(kgen, lambda: joined.done)
    if not joined.ok:
        raise RuntimeError(f"joining the free tournament failed: {joined.error}")
    return str(free.uid)


def load_line() -> str:
    """The 1/5/15-minute load averages, for the machine line (a loaded box skews timing)."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "load average unknown"
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f}"
