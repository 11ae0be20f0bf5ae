"""``POST /api/v1/eventing``: validate, deduplicate, store, and feed scores to leaderboards."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import rewards, tournaments
from .accounts import Principal
from .context import Ctx
from .errors import validation_error
from .validation import is_number, optional_number, optional_str, require_object, required_str

# Each payload kind and the type of its ``value``.
KIND_INTEGER = ("achievement",)
KIND_NUMBER = ("score",)
KIND_STRING = ("levelup", "progress")
KIND_STRING_LIST = ("matchResult", "matchJoined", "tournamentJoined", "lobbyJoined")
KINDS = KIND_INTEGER + KIND_NUMBER + KIND_STRING + KIND_STRING_LIST

_METADATA_STRINGS = ("tournamentId", "gameId", "matchId", "lobbyId")
_METADATA_NUMBERS = ("level", "areaCode", "difficulty")
# Keeps scores exact when SQLite stores them (it holds integers up to 2**63, floats as doubles).
_MAX_SCORE = 10**15
_MAX_KEY_LEN = 200


@dataclass(frozen=True, slots=True)
class Event:
    """A validated event, ready to store."""

    timestamp_ms: int
    kinds: tuple[str, ...]
    score: int | float | None
    tournament_id: str | None
    event_id: str | None
    body_text: str


def _score_value(value: Any) -> int | float:
    if not is_number(value):
        raise validation_error("payload.score.value must be a number")
    if abs(value) > _MAX_SCORE:
        raise validation_error(f"payload.score.value must be at most {_MAX_SCORE} in magnitude")
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return int(value)


def _check_kind(kind: str, entry: Any) -> None:
    where = f"payload.{kind}"
    if not isinstance(entry, dict) or "value" not in entry:
        raise validation_error(f"{where} must be an object with a value")
    value = entry["value"]
    if kind in KIND_INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            raise validation_error(f"{where}.value must be an integer")
    elif kind in KIND_STRING:
        if not isinstance(value, str) or len(value) > 1024:
            raise validation_error(f"{where}.value must be a string of at most 1024 characters")
    elif kind in KIND_STRING_LIST:
        if not isinstance(value, list) or len(value) > 100:
            raise validation_error(f"{where}.value must be an array of at most 100 strings")
        if not all(isinstance(item, str) and len(item) <= 256 for item in value):
            raise validation_error(f"{where}.value must be an array of strings")


def parse(body: Any, raw: bytes) -> Event:
    """Validate an eventing body (``raw`` is its JSON text, stored as received).

    Raises 400 VALIDATION_ERROR naming the first bad field.
    """
    obj = require_object(body)
    timestamp: Any = obj.get("timestamp")
    if not is_number(timestamp) or timestamp < 0 or timestamp > 10**15:
        raise validation_error("timestamp must be a non-negative number (epoch milliseconds)")
    metadata = require_object(obj.get("metadata"), "metadata")
    required_str(metadata, "playerId", where="metadata.", max_len=256)
    for key in _METADATA_STRINGS:
        optional_str(metadata, key, where="metadata.", max_len=256)
    for key in _METADATA_NUMBERS:
        optional_number(metadata, key, where="metadata.")
    payload = require_object(obj.get("payload"), "payload")
    kinds = tuple(key for key in payload if payload[key] is not None)
    if not kinds:
        raise validation_error(f"payload must contain one event kind: {', '.join(KINDS)}")
    score: int | float | None = None
    for kind in kinds:
        if kind not in KINDS:
            raise validation_error(f"payload.{kind} is not an event kind ({', '.join(KINDS)})")
        _check_kind(kind, payload[kind])
        if kind == "score":
            score = _score_value(payload[kind]["value"])
    event_id = optional_str(obj, "eventId", max_len=_MAX_KEY_LEN)
    return Event(
        timestamp_ms=int(timestamp),
        kinds=kinds,
        score=score,
        tournament_id=metadata.get("tournamentId") or None,
        event_id=event_id,
        body_text=raw.decode("utf-8"),
    )


def check_idempotency_key(key: str | None) -> str | None:
    """The ``Idempotency-Key`` header, if sent, must be a short printable string."""
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > _MAX_KEY_LEN:
        raise validation_error(f"Idempotency-Key must be 1 to {_MAX_KEY_LEN} characters")
    return key


def submit(ctx: Ctx, principal: Principal, event: Event, idempotency_key: str | None) -> bool:
    """Store the event once; returns False when it was a duplicate (already counted)."""
    dedup_key = idempotency_key or event.event_id
    cursor = ctx.conn.execute(
        "INSERT OR IGNORE INTO events(gamer_pk, dedup_key, idempotency_key, event_id, kinds,"
        " timestamp_ms, body, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            principal.gamer_pk,
            dedup_key,
            idempotency_key,
            event.event_id,
            ",".join(event.kinds),
            event.timestamp_ms,
            event.body_text,
            ctx.now,
        ),
    )
    if cursor.rowcount == 0:
        # Counted for /_sandbox/records, so tests can prove retries happened.
        ctx.conn.execute(
            "UPDATE events SET repeats = repeats + 1 WHERE gamer_pk = ? AND dedup_key = ?",
            (principal.gamer_pk, dedup_key),
        )
        return False
    if event.score is not None:
        tournaments.apply_score(ctx, principal.gamer_pk, event.score, event.tournament_id)
        old_best = principal.gamer["best_score"]
        if old_best is None or event.score > old_best:
            ctx.conn.execute(
                "UPDATE gamers SET best_score = ? WHERE id = ?", (event.score, principal.gamer_pk)
            )
            rewards.grant_milestones(ctx, principal.gamer_pk, old_best, event.score)
    return True
