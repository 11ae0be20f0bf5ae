"""Command line: ``python -m demo_game [options]``."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from demo_game import scripts
from demo_game.app import App, GameSetupError, RunOptions, default_profile_path


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m demo_game",
        description="Comet Catcher - the kgen-pygame demo game.",
    )
    parser.add_argument("--autoplay", action="store_true", help="let the bot play")
    parser.add_argument("--frames", type=_positive, metavar="N", help="stop after N frames")
    parser.add_argument("--screenshot", type=Path, metavar="PATH",
                        help="save the final frame as PNG")
    parser.add_argument("--seed", type=_positive, metavar="S", help="random seed (rounds repeat)")
    parser.add_argument("--fps", type=_positive, default=60, metavar="F",
                        help="frame rate cap (default 60; 0 = uncapped)")
    parser.add_argument("--windowed", type=_window_size, default=(1280, 720), metavar="WxH",
                        help="window size (default 1280x720; the window is resizable)")
    parser.add_argument("--script", metavar="NAME",
                        help=f"scripted input ({', '.join(sorted(scripts.SCRIPTS))}); "
                             "full-flow plays the whole KGeN flow by itself")
    parser.add_argument("--flow-shots", type=Path, metavar="DIR",
                        help="save a script's key moments as DIR/demo_flow_<step>.png")
    parser.add_argument("--no-kgen", action="store_true", help="run without the KGeN plugin")
    parser.add_argument("--mute", action="store_true", help="no sound")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if args.script and args.script not in scripts.SCRIPTS:
        known = ", ".join(sorted(scripts.SCRIPTS))
        print(f"error: unknown script {args.script!r} (known: {known})", file=sys.stderr)
        return 2
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
    )
    if not options.scripted:
        options.profile_path = default_profile_path()
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
