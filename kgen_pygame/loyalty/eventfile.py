"""The file a game keeps its rewardable events in (TOML or JSON), read and checked.

::

    # achievements.toml
    [events.first-1000]            # the table name is the event's eventType: stable, yours
    name = "First 1,000 points"
    description = "Score 1,000 points in one round"
    reward_amount = "5"            # KGeN: text or an integer (a TOML float is read exactly)
    is_active = true               # optional, default true

JSON holds the same: ``{"events": {"first-1000": {"name": ..., "reward_amount": "5"}}}``.
Optional keys: ``is_active``, ``activity_trace_enabled``, ``activity_trace_activity_id``.
The platform assigns each event its ``eventID``; ``kgen-events`` matches the file's events
to the server's by ``eventType``. Every problem is reported with the file name and line.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from kgen_pygame.api.validation import check_rewardable_event
from kgen_pygame.errors import ConfigurationError
from kgen_pygame.models import RewardableEventSpec

__all__ = ["DeclaredEvent", "EventFileError", "FileProblem", "load_event_file", "parse_events"]

REQUIRED_KEYS: Final = ("name", "reward_amount")
OPTIONAL_KEYS: Final = (
    "description", "is_active", "activity_trace_enabled", "activity_trace_activity_id",
)
#: eventType: what the platform accepts (1 to 100 characters), without spaces or controls.
_EVENT_TYPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")


@dataclass(frozen=True, slots=True)
class FileProblem:
    """One thing wrong with an event file: where (``line`` None: the whole file) and what."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class EventFileError(ConfigurationError):
    """The event file cannot be used; :attr:`problems` lists every problem found."""

    def __init__(self, problems: list[FileProblem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class DeclaredEvent:
    """One event of the file: its ``eventType`` (the table name) and what to register."""

    event_type: str
    spec: RewardableEventSpec
    line: int | None


def load_event_file(path: str | Path) -> list[DeclaredEvent]:
    """Read and check ``path`` (``.toml`` or ``.json``); :class:`EventFileError` if wrong."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise EventFileError([FileProblem(name, None, f"cannot be read ({error})")]) from None
    return parse_events(text, name)


def parse_events(text: str, name: str) -> list[DeclaredEvent]:
    """Check the file's ``text``; ``name`` (ending ``.json`` or ``.toml``) picks the format."""
    is_json = name.lower().endswith(".json")
    if not is_json and not name.lower().endswith(".toml"):
        raise EventFileError([FileProblem(name, None, "must be a .toml or a .json file")])
    data = _decode(text, name, is_json)
    locate = _Locator(text, is_json)
    if not isinstance(data, dict) or set(data) != {"events"} or not isinstance(
        data["events"], dict
    ):
        raise EventFileError(
            [FileProblem(name, None, 'must hold exactly one table, "events", of named events')]
        )
    problems: list[FileProblem] = []
    declared: list[DeclaredEvent] = []
    if not data["events"]:
        problems.append(FileProblem(name, locate.table(None), "declares no event"))
    for event_type, table in data["events"].items():
        line = locate.table(event_type)
        event, found = _one_event(event_type, table, line, locate)
        problems.extend(FileProblem(name, where, message) for where, message in found)
        if event is not None:
            declared.append(event)
    if problems:
        raise EventFileError(problems)
    return declared


def _decode(text: str, name: str, is_json: bool) -> Any:
    try:
        if is_json:
            return json.loads(text, parse_float=Decimal)
        return tomllib.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise EventFileError([FileProblem(name, error.lineno, f"not JSON: {error.msg}")]) from None
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+)", str(error))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        line = int(match.group(1)) if match else None
        raise EventFileError([FileProblem(name, line, f"not TOML: {message}")]) from None


def _one_event(
    event_type: str, table: Any, line: int | None, locate: _Locator
) -> tuple[DeclaredEvent | None, list[tuple[int | None, str]]]:
    where = f"event {event_type!r}"
    found: list[tuple[int | None, str]] = []
    if not _EVENT_TYPE.match(event_type):
        found.append((line, f"{where}: the name (the eventType) must be 1 to 100 letters, "
                            "digits, '.', '_', ':' or '-', starting with a letter or digit"))
    if not isinstance(table, dict):
        return None, [*found, (line, f"{where} must be a table of keys")]
    for key in sorted(set(table) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS)):
        allowed = ", ".join((*REQUIRED_KEYS, *OPTIONAL_KEYS))
        found.append((locate.key(event_type, key), f"{where}: unknown key {key!r} ({allowed})"))
    missing = [key for key in REQUIRED_KEYS if key not in table]
    found.extend((line, f"{where}: {key} is missing") for key in missing)
    if missing:
        return None, found
    try:
        spec = check_rewardable_event(
            RewardableEventSpec(
                event_type=event_type,
                name=table["name"],
                description=table.get("description", ""),
                reward_amount=table["reward_amount"],
                is_active=table.get("is_active", True),
                activity_trace_enabled=table.get("activity_trace_enabled", False),
                activity_trace_activity_id=table.get("activity_trace_activity_id", ""),
            )
        )
    except ConfigurationError as error:
        key = next((k for k in table if str(error).startswith(k)), None)
        found.append((locate.key(event_type, key) if key else line, f"{where}: {error}"))
    if found:
        return None, sorted(found, key=lambda item: item[0] or 0)
    return DeclaredEvent(event_type, spec, line), []


class _Locator:
    """Finds the line of an event's table and of its keys by scanning the text."""

    def __init__(self, text: str, is_json: bool) -> None:
        self._lines = text.splitlines()
        self._json = is_json

    def _find(self, pattern: re.Pattern[str], start: int = 0) -> int | None:
        for index in range(start, len(self._lines)):
            if pattern.search(self._lines[index]):
                return index + 1
        return None

    def table(self, event_type: str | None) -> int | None:
        """The line of ``[events.<type>]`` (JSON: ``"<type>":``); None: of the events table."""
        if event_type is None:
            word = '"events"' if self._json else r"events"
            return self._find(re.compile(rf"^\s*(\[\s*)?{word}\b"))
        quoted = re.escape(json.dumps(event_type))
        if self._json:
            return self._find(re.compile(rf"{quoted}\s*:"))
        name = rf"(?:{re.escape(event_type)}|{quoted}|'{re.escape(event_type)}')"
        return self._find(
            re.compile(rf"^\s*\[\s*events\s*\.\s*{name}\s*\]|^\s*{name}\s*=\s*\{{")
        ) or self._find(re.compile(rf"(?:^|[\s.{{,]){name}\s*[.=]"))

    def key(self, event_type: str, key: str) -> int | None:
        """The line of ``key`` inside the event's table (else the table's line)."""
        start = self.table(event_type)
        if start is None:
            return None
        word = re.escape(json.dumps(key)) if self._json else rf"\b{re.escape(key)}"
        found = self._find(re.compile(rf"{word}\s*[:=]" if self._json else rf"{word}\s*="),
                           start - 1)
        return found or start
