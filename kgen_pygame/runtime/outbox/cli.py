"""``kgen-outbox``: look into a game's event outbox, and send refused events again.

::

    kgen-outbox --game-id my-game status        # pending, dead letters, what the bounds dropped
    kgen-outbox --game-id my-game dead          # the dead letters, with the server's reasons
    kgen-outbox --game-id my-game requeue --all # after fixing the cause: send them again
    kgen-outbox --data-dir ./data requeue 01a2...  # chosen ones

The data folder is the plugin's: ``--data-dir``, else ``KGEN_DATA_DIR``, else the
platform's data folder for ``--game-id``. The game may be running: a requeued event is
sent by whichever process delivers (see ``docs/architecture.md``). Exit codes: 0 done,
1 no outbox there, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from kgen_pygame.errors import KGenError
from kgen_pygame.runtime.outbox.delivery import DeliveryHandle
from kgen_pygame.runtime.outbox.records import OUTBOX_FILENAME, DeadLetter, OutboxReport

EXIT_OK, EXIT_NO_OUTBOX, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kgen-outbox",
        description="Inspect a game's KGeN event outbox and requeue refused events.",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--data-dir", type=Path, help="the plugin's data folder for the game")
    where.add_argument("--game-id", help="the game_id the game passes to KGen(...)")
    parser.add_argument("--json", action="store_true", help="print JSON (for scripts)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("status", help="pending events, dead letters, dropped counts")
    dead = commands.add_parser("dead", help="list dead letters with their reasons")
    dead.add_argument("--limit", type=int, default=50, help="newest N (default 50)")
    requeue = commands.add_parser("requeue", help="send dead letters again")
    requeue.add_argument("event_ids", nargs="*", help="the events to requeue")
    requeue.add_argument("--all", action="store_true", help="requeue every dead letter")
    return parser


def outbox_path(data_dir: Path | None, game_id: str | None) -> Path:
    """The outbox file the options name (the same rule as ``KGenConfig``)."""
    if data_dir is None:
        env = os.environ.get("KGEN_DATA_DIR")
        if env:
            data_dir = Path(env).expanduser()
        else:
            import platformdirs

            base = Path(platformdirs.user_data_dir("kgen-pygame", appauthor=False))
            data_dir = base / (game_id or "pygame-game")
    return data_dir / OUTBOX_FILENAME


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "requeue" and bool(args.all) == bool(args.event_ids):
        parser.error("requeue takes event ids, or --all (not both)")
    if args.command == "dead" and args.limit < 1:
        parser.error("--limit must be at least 1")
    path = outbox_path(args.data_dir, args.game_id)
    if not path.exists():
        print(f"no event outbox at {path}", file=sys.stderr)
        return EXIT_NO_OUTBOX
    try:
        with DeliveryHandle(path) as outbox:
            if args.command == "requeue":
                count = outbox.requeue_dead_letters(None if args.all else args.event_ids)
                _print(args.json, {"requeued": count}, f"requeued {count} event(s) from {path}")
                return EXIT_OK
            limit = args.limit if args.command == "dead" else 0
            report = outbox.report(dead_letter_limit=limit)
    except KGenError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_NO_OUTBOX
    if args.command == "status":
        _print(args.json, _status_json(report), _status_text(path, report))
    else:
        _print(args.json, [_letter_json(letter) for letter in report.dead_letters],
               _letters_text(report))
    return EXIT_OK


def _print(as_json: bool, data: object, text: str) -> None:
    print(json.dumps(data, indent=2) if as_json else text)


def _status_json(report: OutboxReport) -> dict[str, object]:
    return {
        "pending": report.pending,
        "oldest_pending_ms": report.oldest_pending_ms,
        "dead_letters": report.dead_letter_count,
        "dropped": report.dropped,
    }


def _status_text(path: Path, report: OutboxReport) -> str:
    lines = [f"outbox {path}", f"  pending events: {report.pending}"]
    if report.oldest_pending_ms is not None:
        age_s = max(0.0, time.time() - report.oldest_pending_ms / 1000)
        lines.append(f"  oldest pending: {age_s:,.0f} s ago")
    lines.append(f"  dead letters:   {report.dead_letter_count}")
    for reason, count in sorted(report.dropped.items()):
        lines.append(f"  dropped ({reason}): {count}")
    return "\n".join(lines)


def _letter_json(letter: DeadLetter) -> dict[str, object]:
    return {
        "event_id": letter.event_id,
        "kind": letter.kind,
        "status": letter.status,
        "reason": letter.reason,
        "created_ms": letter.created_ms,
        "failed_ms": letter.failed_ms,
    }


def _letters_text(report: OutboxReport) -> str:
    if not report.dead_letters:
        return "no dead letters"
    lines = [f"{'event id':32}  {'kind':12}  status  reason"]
    for letter in report.dead_letters:
        status = "-" if letter.status is None else str(letter.status)
        lines.append(f"{letter.event_id:32}  {letter.kind:12}  {status:>6}  {letter.reason}")
    shown = len(report.dead_letters)
    if shown < report.dead_letter_count:
        lines.append(f"({shown} newest of {report.dead_letter_count}; --limit for more)")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
