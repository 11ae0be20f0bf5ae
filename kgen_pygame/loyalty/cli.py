"""``kgen-events``: keep a game's rewardable events in step with a file in its repository.

::

    kgen-events check achievements.toml                 # the file alone, no request
    kgen-events list                                     # the server's events
    kgen-events show EVENT_ID
    kgen-events apply achievements.toml --dry-run        # the plan: create/update/...
    kgen-events apply achievements.toml [--prune] [--yes]
    kgen-events delete EVENT_ID [--yes]

The target and credentials come from ``KGEN_BASE_URL``, ``KGEN_API``, ``KGEN_CLIENT_ID``
and ``KGEN_CLIENT_SECRET`` (or the keyring: :mod:`kgen_pygame.loyalty.target`);
``--sandbox FILE`` starts a sandbox on that SQLite store instead, explicitly. The target
is printed (on stderr) before anything is sent. ``--json`` prints one JSON document on
stdout. Exit codes: see :class:`Exit` (and ``docs/loyalty.md``).
"""

from __future__ import annotations

import argparse
import enum
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kgen_pygame.errors import AuthenticationError, KGenError, NotFoundError
from kgen_pygame.loyalty.eventfile import EventFileError, load_event_file
from kgen_pygame.loyalty.sync import Action, ApplyResult, PlanItem, apply_plan, plan_changes
from kgen_pygame.loyalty.target import Target, TargetError, resolve_target
from kgen_pygame.models import RewardableEvent

if TYPE_CHECKING:
    from kgen_pygame.api.client import KGenClient

__all__ = ["Exit", "main"]


class Exit(enum.IntEnum):
    """The exit codes a script can rely on."""

    OK = 0
    REQUEST_FAILED = 1  # a request failed (network, server error, refused); nothing changed
    USAGE = 2  # wrong arguments, a bad file or target: nothing was sent
    CREDENTIALS = 3  # credentials missing (nothing sent) or rejected by the server (401/403)
    PARTIAL = 4  # apply stopped partway: some changes made, the rest not; rerun to finish
    NOT_FOUND = 5  # show / delete: no event with that id
    NOT_CONFIRMED = 6  # a deletion was not confirmed (no --yes, and no "y" on stdin)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kgen-events",
        description="Keep a game's KGeN rewardable events in step with a TOML or JSON file.",
        epilog="Credentials: KGEN_CLIENT_ID and KGEN_CLIENT_SECRET (or the keyring service "
        "kgen-events). Exit codes: 0 ok, 1 request failed, 2 usage or bad file, "
        "3 credentials missing or rejected, 4 partial apply, 5 unknown id, 6 not confirmed.",
    )
    parser.add_argument("--json", action="store_true", help="print JSON on stdout (for CI)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--base-url", help="the platform or sandbox URL (else KGEN_BASE_URL)")
    where.add_argument("--sandbox", type=Path, metavar="FILE",
                       help="start a sandbox on this SQLite store and work on it")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check a file without sending anything")
    check.add_argument("file", type=Path)
    listing = commands.add_parser("list", help="the server's rewardable events")
    state = listing.add_mutually_exclusive_group()
    state.add_argument("--active", action="store_true", help="only active events")
    state.add_argument("--inactive", action="store_true", help="only inactive events")
    commands.add_parser("show", help="one event").add_argument("event_id")
    apply = commands.add_parser("apply", help="create and update the file's events")
    apply.add_argument("file", type=Path)
    apply.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    apply.add_argument("--prune", action="store_true",
                       help="also delete the server's events the file does not have")
    apply.add_argument("--yes", action="store_true", help="do not ask before deleting")
    delete = commands.add_parser("delete", help="delete one event")
    delete.add_argument("event_id")
    delete.add_argument("--yes", action="store_true", help="do not ask first")
    return parser


def main(argv: Sequence[str] | None = None, *, stdin: TextIO | None = None) -> int:
    """Run ``kgen-events``; returns the exit code."""
    args = build_parser().parse_args(argv)
    out = _Output(args.json)
    declared = None
    if args.command in ("check", "apply"):
        try:
            declared = load_event_file(args.file)
        except EventFileError as error:
            out.fail(Exit.USAGE, f"{args.file} is not usable ({len(error.problems)} problem(s)):",
                     problems=[str(problem) for problem in error.problems])
            return Exit.USAGE
        if args.command == "check":
            out.result({"file": str(args.file), "events": [e.event_type for e in declared]},
                       f"{args.file}: {len(declared)} event(s), no problem")
            return Exit.OK
    try:
        with _client(args) as (client, target):
            out.note(target.describe())
            command = _COMMANDS[args.command]
            return command(client, args, out, declared, stdin or sys.stdin)
    except TargetError as error:
        code = Exit.CREDENTIALS if error.credentials else Exit.USAGE
        out.fail(code, f"error: {error}")
        return code
    except KGenError as error:
        code = _code(error)
        out.fail(code, f"error: {error}")
        return code


def _code(error: KGenError) -> Exit:
    if isinstance(error, AuthenticationError) or getattr(error, "status", None) == 403:
        return Exit.CREDENTIALS
    if isinstance(error, NotFoundError):
        return Exit.NOT_FOUND
    return Exit.REQUEST_FAILED


@contextmanager
def _client(args: argparse.Namespace) -> Iterator[tuple[KGenClient, Target]]:
    from kgen_pygame.api.client import KGenClient

    if args.sandbox is None:
        target = resolve_target(base_url=args.base_url)
        with KGenClient(target.base_url, target.client_id, target.client_secret,
                        api=target.api) as client:
            yield client, target
        return
    from kgen_pygame.sandbox import (
        DEFAULT_CLIENT_ID,
        DEFAULT_CLIENT_SECRET,
        SandboxConfig,
        SandboxServer,
    )

    folder = args.sandbox.expanduser().resolve().parent
    if not folder.is_dir():  # a typo must not make folders and an empty store elsewhere
        raise TargetError(f"--sandbox {args.sandbox}: the folder {folder} does not exist",
                          credentials=False)
    server = SandboxServer(SandboxConfig(port=0, db_path=args.sandbox))
    server.start()
    try:
        target = Target(server.url, "current", DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET,
                        f"sandbox on {args.sandbox}")
        with KGenClient(server.url, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET) as client:
            yield client, target
    finally:
        server.stop(5)


Command = Callable[[Any, argparse.Namespace, "_Output", Any, TextIO], int]


def _list(client: KGenClient, args: argparse.Namespace, out: _Output, _d: Any, _i: Any) -> int:
    active = True if args.active else False if args.inactive else None
    events = client.list_rewardable_events(active)
    rows = [(e.event_id, e.event_type, str(e.reward_amount), "yes" if e.is_active else "no",
             e.name) for e in events]
    out.result([_event_json(event) for event in events],
               _table(("event id", "event type", "reward", "active", "name"), rows)
               if rows else "no rewardable events")
    return Exit.OK


def _show(client: KGenClient, args: argparse.Namespace, out: _Output, _d: Any, _i: Any) -> int:
    event = client.get_rewardable_event(args.event_id)
    data = _event_json(event)
    out.result(data, "\n".join(f"{key:24} {value}" for key, value in data.items()))
    return Exit.OK


def _delete(client: KGenClient, args: argparse.Namespace, out: _Output, _d: Any,
            stdin: TextIO) -> int:
    event = client.get_rewardable_event(args.event_id)
    question = f"delete {event.event_id} ({event.event_type}: {event.name})?"
    if not args.yes and not _confirm(question, stdin):
        out.fail(Exit.NOT_CONFIRMED, "not deleted (not confirmed; --yes to skip the question)")
        return Exit.NOT_CONFIRMED
    client.delete_rewardable_event(event.event_id)
    out.result({"deleted": event.event_id}, f"deleted {event.event_id} ({event.event_type})")
    return Exit.OK


def _apply(client: KGenClient, args: argparse.Namespace, out: _Output, declared: Any,
           stdin: TextIO) -> int:
    plan = plan_changes(declared, client.list_rewardable_events(None))
    report: dict[str, Any] = {"file": str(args.file), "plan": [_item_json(i) for i in plan]}
    extra = [item for item in plan if item.action is Action.ONLY_ON_SERVER]
    if args.dry_run:
        out.result(report, _plan_text(plan, prune=args.prune))
        return Exit.OK
    out.note(_plan_text(plan, prune=args.prune))
    prune = args.prune and bool(extra)
    if prune and not args.yes:
        names = ", ".join(f"{i.event_id} ({i.event_type})" for i in extra)
        if not _confirm(f"delete {len(extra)} event(s) the file does not have: {names}?", stdin):
            out.fail(Exit.NOT_CONFIRMED, "nothing changed (the deletions were not confirmed; "
                                         "--yes to skip the question)")
            return Exit.NOT_CONFIRMED
    result = apply_plan(client, plan, prune=prune)
    report.update(_result_json(result))
    code = Exit.OK if result.complete else Exit.PARTIAL if result.done else _code(
        result.error or KGenError("?"))
    report["exit"] = int(code)
    if result.complete:
        out.result(report, _result_text(result))
    else:
        out.fail(code, _result_text(result), report=report)
    return code


_COMMANDS: dict[str, Command] = {"list": _list, "show": _show, "delete": _delete,
                                 "apply": _apply}


def _confirm(question: str, stdin: TextIO) -> bool:
    print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
    answer = stdin.readline()
    return answer.strip().lower() in ("y", "yes")


# -- output -----------------------------------------------------------------------------


class _Output:
    """Text for people (results on stdout, notes and errors on stderr), or JSON for CI."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def note(self, text: str) -> None:
        print(text, file=sys.stderr)

    def result(self, data: object, text: str) -> None:
        print(json.dumps(data, indent=2) if self.as_json else text)

    def fail(self, code: Exit, text: str, *, problems: list[str] | None = None,
             report: dict[str, Any] | None = None) -> None:
        if self.as_json:
            data: dict[str, Any] = dict(report or {})
            data.setdefault("exit", int(code))
            data.setdefault("error", text.splitlines()[0] if text else "")
            if problems is not None:
                data["problems"] = problems
            print(json.dumps(data, indent=2))
            return
        lines = [text, *(f"  {problem}" for problem in problems or ())]
        print("\n".join(lines), file=sys.stderr)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(headers[i]), *(len(row[i]) for row in rows)) for i in range(len(headers))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
              for row in rows]
    return "\n".join(lines)


def _plan_text(plan: Sequence[PlanItem], *, prune: bool) -> str:
    rows = []
    for item in plan:
        action = item.action.value
        if item.action is Action.ONLY_ON_SERVER:
            action += " (delete)" if prune else " (kept; --prune deletes)"
        detail = ", ".join(item.changed)
        rows.append((action, item.event_type, item.event_id or "-", item.name, detail))
    counts = {a: sum(1 for i in plan if i.action is a) for a in Action}
    summary = ", ".join(f"{n} {a.value}" for a, n in counts.items())
    return _table(("action", "event type", "event id", "name", "changes"), rows) + (
        f"\nplan: {summary}")


def _result_text(result: ApplyResult) -> str:
    lines = [f"done: {_what(i)}" for i in result.done]
    if result.error is not None and result.failed is not None:
        lines.append(f"FAILED: {_what(result.failed)}: {result.error}")
        lines += [f"not done: {_what(i)}" for i in result.not_done[1:]]
        lines.append(f"{len(result.done)} change(s) made, {len(result.not_done)} not made: "
                     "run the same apply again to finish")
    else:
        lines.append(f"{len(result.done)} change(s) made; the file and the server agree")
    lines += [f"event {key} = {value}" for key, value in sorted(result.event_ids.items())]
    return "\n".join(lines)


def _what(item: PlanItem) -> str:
    verb = "delete" if item.action is Action.ONLY_ON_SERVER else item.action.value
    return f"{verb} {item.event_type}" + (f" ({item.event_id})" if item.event_id else "")


def _item_json(item: PlanItem) -> dict[str, object]:
    return {"action": item.action.value, "event_type": item.event_type,
            "event_id": item.event_id, "name": item.name, "changes": list(item.changed)}


def _result_json(result: ApplyResult) -> dict[str, object]:
    return {
        "done": [_item_json(i) for i in result.done],
        "not_done": [_item_json(i) for i in result.not_done],
        "error": None if result.error is None else str(result.error),
        "event_ids": result.event_ids,
    }


def _event_json(event: RewardableEvent) -> dict[str, object]:
    return {
        "event_id": event.event_id,
        "event_type": event.event_type,
        "name": event.name,
        "description": event.description,
        "reward_amount": str(event.reward_amount),
        "reward_category": event.reward_category,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "is_active": event.is_active,
        "activity_trace_enabled": event.activity_trace_enabled,
        "activity_trace_activity_id": event.activity_trace_activity_id,
        "created_at": None if event.created_at is None else event.created_at.isoformat(),
        "updated_at": None if event.updated_at is None else event.updated_at.isoformat(),
    }


if __name__ == "__main__":
    raise SystemExit(main())
