"""The one definition of what a game may track: kinds, value types, metadata, limits.

The facade checks every ``track()`` / ``track_score()`` / ``reward_event()`` against
these rules on the game thread, before anything is stored; the client checks again
before sending, and the sandbox checks what it receives. All three use this module,
so they can never disagree. A refused event raises :class:`InvalidEventError` (a
``ValueError``) naming the mistake.

What each API generation can carry differs (see :data:`DELIVERABLE_KINDS`):

- ``v1`` (``/api/v1/eventing``) carries every eventing kind.
- ``current`` and ``legacy`` carry scores (``POST /fe/esports/tournaments/{uid}/score``),
  analytics-style kinds as px-tracker drops (C23 in the endpoint catalogue), and
  loyalty rewards; ``tournamentJoined`` has no event counterpart there (joining is an
  action with a stake: :meth:`kgen_pygame.KGen.join_tournament`), so it is refused at
  ``track()`` with that advice, never dropped later.

Scores are whole numbers everywhere: the current generation documents ``Integer``
(C17), and a score update carries the player's score *now*; a leaderboard keeps each
player's best.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Final, Literal

from kgen_pygame.errors import InvalidEventError

__all__ = [
    "DELIVERABLE_KINDS",
    "EVENT_KINDS",
    "GENERATIONS",
    "MAX_ITEMS",
    "MAX_SCORE",
    "MAX_TEXT",
    "METADATA_KEYS",
    "REWARD_KIND",
    "SCORE_KIND",
    "EventValue",
    "Generation",
    "InvalidEventError",
    "check_event_id",
    "check_kind",
    "check_metadata",
    "check_value",
]

Generation = Literal["current", "v1", "legacy"]
#: The API generations, the default first.
GENERATIONS: Final[tuple[Generation, ...]] = ("current", "v1", "legacy")

#: An event value in wire form.
EventValue = int | str | list[str]

ValueKind = Literal["integer", "text", "text list"]

SCORE_KIND: Final = "score"
#: A loyalty reward earned by reaching a rewardable event (current and legacy only).
REWARD_KIND: Final = "reward"

#: Every kind a game can track and the value it carries.
EVENT_KINDS: Final[dict[str, ValueKind]] = {
    "score": "integer",
    "achievement": "integer",
    "levelup": "text",
    "progress": "text",
    "matchResult": "text list",
    "matchJoined": "text list",
    "tournamentJoined": "text list",
    "lobbyJoined": "text list",
    REWARD_KIND: "text",
}

_ANALYTICS_KINDS = ("achievement", "levelup", "progress", "matchResult", "matchJoined",
                    "lobbyJoined")

#: Which kinds each generation can deliver.
DELIVERABLE_KINDS: Final[dict[Generation, frozenset[str]]] = {
    "v1": frozenset(EVENT_KINDS) - {REWARD_KIND},
    "current": frozenset((SCORE_KIND, REWARD_KIND, *_ANALYTICS_KINDS)),
    "legacy": frozenset((SCORE_KIND, REWARD_KIND, *_ANALYTICS_KINDS)),
}

_REFUSAL_ADVICE: Final[dict[tuple[str, str], str]] = {
    ("tournamentJoined", "current"): "join with kgen.join_tournament(uid) instead",
    ("tournamentJoined", "legacy"): "join with kgen.join_tournament(uid) instead",
    (REWARD_KIND, "v1"): "loyalty rewards exist only on the current API (api='current')",
}

#: Metadata a game may pass, and each one's type. ``playerId`` and ``gameId`` are
#: filled in by the plugin.
METADATA_KEYS: Final[dict[str, type]] = {
    "tournamentId": str,
    "matchId": str,
    "lobbyId": str,
    "level": int,
    "areaCode": int,
    "difficulty": int,
}
#: Metadata the plugin itself adds; a game must not pass them.
PLUGIN_METADATA_KEYS: Final = ("playerId", "gameId")

#: Longest text value or metadata string, in characters.
MAX_TEXT: Final = 256
#: Most items in a list value.
MAX_ITEMS: Final = 64
#: Largest score magnitude: stays exact through every server's number handling.
MAX_SCORE: Final = 10**15
_EVENT_ID = re.compile(r"^[\x21-\x7e]{1,255}$")


def check_kind(kind: object, generation: Generation | None = None) -> str:
    """Return ``kind`` if it is a kind of the contract (deliverable on ``generation``)."""
    if not isinstance(kind, str) or kind not in EVENT_KINDS:
        raise InvalidEventError(
            f"unknown event kind {kind!r}; expected one of {', '.join(EVENT_KINDS)}"
        )
    if generation is not None and kind not in DELIVERABLE_KINDS[generation]:
        advice = _REFUSAL_ADVICE.get((kind, generation))
        suffix = f": {advice}" if advice else ""
        raise InvalidEventError(
            f"the {generation!r} API has no {kind!r} event{suffix}"
        )
    return kind


def check_value(kind: str, value: object) -> EventValue:
    """Check ``value`` for ``kind`` and return it in wire form; never rewrites it.

    A list kind accepts one string as a one-item list (that is the same value).
    """
    expected = EVENT_KINDS.get(kind)
    if expected is None:
        check_kind(kind)
    if expected == "integer":
        return _integer(f"a {kind} value", value, MAX_SCORE if kind == SCORE_KIND else None)
    if expected == "text":
        return _text(f"a {kind} value", value)
    items = [value] if isinstance(value, str) else value
    if isinstance(items, bytes | bytearray | Mapping) or not isinstance(items, Sequence):
        raise InvalidEventError(
            f"a {kind} event needs a string or a list of strings, not {type(value).__name__}"
        )
    if not 0 < len(items) <= MAX_ITEMS:
        raise InvalidEventError(f"a {kind} event needs 1 to {MAX_ITEMS} items (got {len(items)})")
    return [_text(f"each {kind} item", item) for item in items]


def check_metadata(metadata: Mapping[str, object]) -> dict[str, str | int]:
    """Check a game's metadata: known keys only, each of its type; ``None`` means absent."""
    unknown = sorted(str(key) for key in metadata if key not in METADATA_KEYS)
    if unknown:
        plugin_owned = [key for key in unknown if key in PLUGIN_METADATA_KEYS]
        if plugin_owned:
            raise InvalidEventError(
                f"event metadata {', '.join(plugin_owned)} is filled in by the plugin"
            )
        raise InvalidEventError(
            f"unknown event metadata {', '.join(unknown)}; allowed: {', '.join(METADATA_KEYS)}"
        )
    clean: dict[str, str | int] = {}
    for key, value in metadata.items():
        if value is None:
            continue
        if METADATA_KEYS[key] is int:
            clean[key] = _integer(f"metadata {key}", value, None)
        else:
            clean[key] = _text(f"metadata {key}", value)
    return clean


def check_event_id(event_id: object) -> str:
    """An event id (sent as ``Idempotency-Key``): 1 to 255 printable ASCII characters."""
    if not isinstance(event_id, str) or not _EVENT_ID.match(event_id):
        raise InvalidEventError(
            "an event id must be 1 to 255 printable ASCII characters without spaces"
        )
    return event_id


def _integer(what: str, value: object, limit: int | None) -> int:
    if isinstance(value, bool):
        raise InvalidEventError(f"{what} must be a whole number, not a bool")
    if isinstance(value, int):
        number = value
    elif isinstance(value, Decimal | float):
        whole = _whole(value)
        if whole is None:
            raise InvalidEventError(f"{what} must be a whole number (got {value!r})")
        number = whole
    else:
        raise InvalidEventError(f"{what} must be a whole number, not {type(value).__name__}")
    if limit is not None and abs(number) > limit:
        raise InvalidEventError(f"{what} must be at most {limit:,} in magnitude")
    return number


def _whole(value: Decimal | float) -> int | None:
    """``value`` as an int when it is exactly a whole number (2.0 is 2; 2.5 is not)."""
    try:
        whole = int(value)
    except (ValueError, OverflowError, ArithmeticError):
        return None
    return whole if value == whole else None


def _text(what: str, value: object) -> str:
    if not isinstance(value, str):
        raise InvalidEventError(f"{what} must be a string, not {type(value).__name__}")
    if not value.strip():
        raise InvalidEventError(f"{what} must not be empty")
    if len(value) > MAX_TEXT:
        raise InvalidEventError(f"{what} is limited to {MAX_TEXT} characters (got {len(value)})")
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        raise InvalidEventError(f"{what} must not contain control characters")
    return value
