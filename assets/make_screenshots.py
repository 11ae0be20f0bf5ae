"""Take the demo's screenshots: assets/screenshots/demo_<screen>_<size>.png.

Runs the game headless (SDL dummy drivers), drives it with real posted events (scripts or the
autoplay bot) and saves the window at the chosen frames. Usage:

    python assets/make_screenshots.py [--no-kgen] [--out DIR]

By default the game runs with the KGeN plugin against its embedded sandbox (data in a temporary
folder), so the pictures show the plugin's badge and the sandbox's tournaments; --no-kgen
shows the game alone.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pygame

from demo_game.app import App, RunOptions
from demo_game.scripts import Timeline, tap

SIZES = {"1280x720": (1280, 720), "800x600": (800, 600)}
Check = Callable[[App], bool]


def _run(size: tuple[int, int], *, kgen: bool, autoplay: bool = False,
         timeline: Timeline | None = None, until: Check, limit: int = 6000,
         seed: int = 4) -> App:
    """Start a game, step it until `until(app)` holds, and return it (still running)."""
    app = App(RunOptions(autoplay=autoplay, seed=seed, window_size=size, kgen=kgen,
                         sound=False, frames=limit))
    app.start()
    app.script = timeline
    if kgen:  # let the plugin connect and fetch tournaments (real time, not frames)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and len(app.ctx.kgen.tournament_options()) < 2:
            app.step()
            time.sleep(0.01)
    while app.step():
        if until(app):
            break
    return app


def _finish(app: App, path: Path) -> None:
    app.save_screenshot(path)
    app.shutdown()
    print(f"{path}: {path.stat().st_size} bytes")


def _in_scene(name: str, after_frames: int) -> Check:
    state = {"first": -1}

    def check(app: App) -> bool:
        if app.scene_name != name:
            return False
        if state["first"] < 0:
            state["first"] = app.frame
        return app.frame - state["first"] >= after_frames

    return check


def _busy_play(app: App) -> bool:
    """Mid-game with plenty going on: several comets, particles, a combo running."""
    from demo_game.scenes import PlayScene

    scene = app.scene
    if not isinstance(scene, PlayScene) or scene.age < 12:
        return False
    world = scene.world
    return (len(world.comets) >= 4 and len(world.particles) > 60 and world.chain >= 2
            and bool(world.popups.items))


def _earned_delivered(app: App) -> bool:
    """The bot's round earned an achievement and the plugin delivered its grant."""
    link = app.ctx.kgen
    return bool(link.achievements_rewarded) and link.pending_events == 0


def _earned_panel(app: App) -> None:
    """Open Rewards earned (as the KGeN menu's card does) and wait for its rows."""
    app.ctx.kgen.open_panel("earned")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        app.step()
        view = app.ctx.kgen.overlay_view
        if getattr(view, "row_count", 0) >= len(app.ctx.kgen.achievements_rewarded):
            break
        time.sleep(0.01)
    for _ in range(40):  # let the panel's slide-in finish
        app.step()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-kgen", dest="kgen", action="store_false",
                        help="run without the KGeN plugin")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "screenshots")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    if args.kgen:
        os.environ["KGEN_DATA_DIR"] = tempfile.mkdtemp(prefix="comet-catcher-shots-")
        os.environ.pop("KGEN_BASE_URL", None)
    for label, size in SIZES.items():
        app = _run(size, kgen=args.kgen, until=_in_scene("title", 100))
        _finish(app, out / f"demo_title_{label}.png")

        steps = Timeline([*tap(10, pygame.K_RETURN, "\r")])
        app = _run(size, kgen=args.kgen, timeline=steps,
                   until=_in_scene("tournament_choice", 60))
        _finish(app, out / f"demo_choice_{label}.png")

        app = _run(size, kgen=args.kgen, autoplay=True, until=_busy_play)
        _finish(app, out / f"demo_play_{label}.png")

        # The bot plays a while, then hands over and the "player" presses P.
        app = _run(size, kgen=args.kgen, autoplay=True, until=_in_scene("play", 700))
        app.bot = None
        app.script = Timeline([*tap(app.frame + 1, pygame.K_p, "p")])
        for _ in range(30):
            app.step()
        _finish(app, out / f"demo_pause_{label}.png")

        app = _run(size, kgen=args.kgen, autoplay=True, until=_in_scene("game_over", 85),
                   limit=9000)
        _finish(app, out / f"demo_game_over_{label}.png")

        if args.kgen:  # an achievement of the bot's round, paid, in the Rewards earned panel
            # A new player: what the panel lists is this one round's.
            os.environ["KGEN_DATA_DIR"] = tempfile.mkdtemp(prefix="comet-catcher-earned-")
            app = _run(size, kgen=True, autoplay=True, until=_earned_delivered, limit=20000)
            _earned_panel(app)
            _finish(app, out / f"demo_earned_{label}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
