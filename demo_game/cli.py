"""Command line: ``python -m demo_game [options]``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from demo_game import saved_data, scripts
from demo_game.app import App, GameSetupError, RunOptions
from demo_game.controls import controls_help
from demo_game.kgen_integration import api_generations, plugin_data_dir

API_VARIABLE = "KGEN_API"


def _window_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected WIDTHxHEIGHT, e.g. 1280x720, not {text!r}") from None
    if not (160 <= width <= 7680 and 90 <= height <= 4320):
        raise argparse.ArgumentTypeError(f"window size out of range: {text}")
    return width, height


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, not {value}")
    return value


def _api_name(text: str) -> str:
    known = api_generations()
    if text not in known:
        raise argparse.ArgumentTypeError(
            f"unknown API generation {text!r} (known: {', '.join(known)})")
    return text


def data_locations() -> str:
    """Where the demo keeps its data (for `--help`)."""
    kgen_dir = plugin_data_dir()
    kgen_line = (str(kgen_dir) if kgen_dir is not None
                 else "the KGeN plugin's data folder (not available: see the game's warning)")
    return "\n".join([
        "saved data (kept between runs):",
        f"  best score       {saved_data.profile_path()}",
        f"  KGeN player      {kgen_line}",
        "                   (player id, score outbox, and sandbox.sqlite3: the embedded",
        "                   sandbox's store of balances, tournaments, rewards, linked phone)",
        f"  --fresh runs     {saved_data.fresh_dir()}",
        "                   (a new player each run; each fresh run empties this folder first",
        "                   and leaves the others alone)",
        f"{saved_data.DATA_DIR_VARIABLE} moves the game's folder, KGEN_DATA_DIR the KGeN one.",
    ])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m demo_game",
        description="Comet Catcher - the kgen-pygame demo game.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"controls:\n{controls_help()}\n\n{data_locations()}",
    )
    parser.add_argument("--autoplay", action="store_true", help="let the bot play")
    parser.add_argument("--frames", type=_positive, metavar="N",
                        help="stop after N frames (also: may run without a display)")
    parser.add_argument("--screenshot", type=Path, metavar="PATH",
                        help="save the final frame as PNG (also: may run without a display)")
    parser.add_argument("--seed", type=_positive, metavar="S", help="random seed (rounds repeat)")
    parser.add_argument("--fps", type=_positive, default=60, metavar="F",
                        help="frame rate cap (default 60; 0 = uncapped)")
    parser.add_argument("--windowed", type=_window_size, default=(1280, 720), metavar="WxH",
                        help="window size (default 1280x720; the window is resizable)")
    parser.add_argument("--script", metavar="NAME",
                        help=f"scripted input ({', '.join(sorted(scripts.SCRIPTS))}); "
                             "full-flow plays the whole KGeN flow by itself, at a pace you "
                             "can watch, always as a fresh player")
    parser.add_argument("--fast", action="store_true",
                        help="a script skips its pauses for reading (for CI)")
    parser.add_argument("--flow-shots", type=Path, metavar="DIR",
                        help="save a script's key moments as DIR/demo_flow_<step>.png")
    parser.add_argument("--fresh", action="store_true",
                        help="play as a new player with a new sandbox store, in the --fresh "
                             "folder below; your saved player is not touched")
    parser.add_argument("--api", type=_api_name, metavar="NAME",
                        help=f"KGeN API generation ({', '.join(api_generations())}; default: "
                             f"${API_VARIABLE}, else the plugin's default)")
    parser.add_argument("--no-kgen", action="store_true", help="run without the KGeN plugin")
    parser.add_argument("--mute", action="store_true", help="no sound")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    return parser


def display_required(args: argparse.Namespace, environ: Mapping[str, str]) -> bool:
    """A run must show a window unless it was asked to run headless: a frame limit, a final
    screenshot, or an SDL video driver the user chose."""
    return not (args.frames is not None or args.screenshot is not None
                or environ.get("SDL_VIDEODRIVER"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if args.script and args.script not in scripts.SCRIPTS:
        known = ", ".join(sorted(scripts.SCRIPTS))
        parser.error(f"unknown script {args.script!r} (known: {known})")
    api = args.api
    if api is None and os.environ.get(API_VARIABLE):
        try:
            api = _api_name(os.environ[API_VARIABLE].strip())
        except argparse.ArgumentTypeError as exc:
            parser.error(f"{API_VARIABLE}: {exc}")
    options = RunOptions(
        autoplay=args.autoplay,
        frames=args.frames,
        screenshot=args.screenshot,
        seed=args.seed,
        fps=args.fps,
        window_size=args.windowed,
        script=args.script,
        kgen=not args.no_kgen,
        sound=not args.mute,
        flow_shots=args.flow_shots,
        fast=args.fast,
        api=api,
        require_display=display_required(args, os.environ),
    )
    fresh = args.fresh or args.script in scripts.FRESH_PLAYER_SCRIPTS
    try:
        if fresh and options.kgen:
            run = saved_data.prepare_fresh_run()
            options.kgen_data_dir, options.gamer_id = run.data_dir, run.gamer_id
            print(run.describe(), file=sys.stderr, flush=True)
    except saved_data.FreshRunError as exc:
        print(f"error: --fresh: {exc}", file=sys.stderr)
        return 1
    if not (options.scripted or fresh):
        options.profile_path = saved_data.profile_path()
    app = App(options)
    try:
        summary = app.run()
    except GameSetupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(summary.format(), flush=True)
    if app.script_failure is not None:
        print(f"error: script {args.script} failed: {app.script_failure}", file=sys.stderr)
    return summary.exit_code
