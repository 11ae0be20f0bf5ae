"""Validation of what a game tracks, at capture time on the game thread.

A wrong kind or value type raises at once, with a message naming the
mistake, so it never reaches the outbox and never becomes a dead letter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

#: The payload kinds of the eventing contract and the value each carries.
EVENT_KINDS: dict[str, str] = {
    "score": "int",
    "achievement": "int",
    "levelup": "str",
    "progress": "str",
    "matchResult": "list[str]",
    "matchJoined": "list[str]",
    "tournamentJoined": "list[str]",
    "lobbyJoined": "list[str]",
}

#: Metadata keys a game may pass (``playerId`` and ``gameId`` are filled in).
METADATA_KEYS: dict[str, type] = {
    "tournamentId": str,
    "matchId": str,
    "lobbyId": str,
    "level": int,
    "areaCode": int,
    "difficulty": int,
}

_MAX_TEXT = 256
_MAX_ITEMS = 64


def normalize_value(kind: str, value: Any) -> int | str | list[str]:
    """Check ``value`` against ``kind`` and return it in wire form."""
    expected = EVENT_KINDS.get(kind)
    if expected is None:
        raise ValueError(
            f"unknown event kind {kind!r}; expected one of {', '.join(EVENT_KINDS)}"
        )
    if expected == "int":
        return _as_int(kind, value)
    if expected == "str":
        if not isinstance(value, str) or not value.strip():
            raise TypeError(f"a {kind} event needs a non-empty string value")
        if len(value) > _MAX_TEXT:
            raise ValueError(f"a {kind} value is limited to {_MAX_TEXT} characters")
        return value
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, Sequence) or not all(
        isinstance(item, str) and item for item in items
    ):
        raise TypeError(f"a {kind} event needs a string or a list of non-empty strings")
    if not 0 < len(items) <= _MAX_ITEMS:
        raise ValueError(f"a {kind} event needs 1 to {_MAX_ITEMS} items")
    return list(items)


def normalize_metadata(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """Keep the contract's metadata keys, type-checked; reject anything else."""
    unknown = sorted(set(metadata) - set(METADATA_KEYS))
    if unknown:
        raise TypeError(
            f"unknown event metadata {', '.join(unknown)}; allowed: {', '.join(METADATA_KEYS)}"
        )
    clean: dict[str, Any] = {}
    for key, value in metadata.items():
        if value is None:
            continue
        if METADATA_KEYS[key] is int:
            clean[key] = _as_int(key, value)
        elif isinstance(value, str) and value:
            clean[key] = value
        else:
            raise TypeError(f"event metadata {key} must be a non-empty string")
    return clean


def _as_int(name: str, value: Any) -> int:
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an integer, not a bool")
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        try:
            whole = int(value)
        except (ValueError, OverflowError, ArithmeticError):
            whole = None
        if whole is not None and value == whole:
            return whole
    raise TypeError(f"{name} must be an integer (got {type(value).__name__})")
