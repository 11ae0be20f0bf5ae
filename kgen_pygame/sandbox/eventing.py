"""``POST /api/v1/eventing``: validate, store, and feed scores to leaderboards.

Deduplication by ``Idempotency-Key`` (or the body's ``eventId``) happens around this, in the
route, through :mod:`.idempotency`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import rewards, scores, tournaments
from .accounts import Principal
from .context import Ctx
from .errors import validation_error
from .validation import is_number, optional_number, optional_str, require_object, required_str

# Each payload kind and the type of its ``value`` (scores: see :mod:`.scores`).
KIND_INTEGER = ("achievement",)
KIND_SCORE = ("score",)
KIND_STRING = ("levelup", "progress")
KIND_STRING_LIST = ("matchResult", "matchJoined", "tournamentJoined", "lobbyJoined")
KINDS = KIND_INTEGER + KIND_SCORE + KIND_STRING + KIND_STRING_LIST

_METADATA_STRINGS = ("tournamentId", "gameId", "matchId", "lobbyId")
_METADATA_NUMBERS = ("level", "areaCode", "difficulty")
_MAX_KEY_LEN = 200


@dataclass(frozen=True, slots=True)
class Event:
    """A validated event, ready to store."""

    timestamp_ms: int
    kinds: tuple[str, ...]
    score: int | None
    tournament_id: str | None
    event_id: str | None
    body_text: str


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
    score: int | None = None
    for kind in kinds:
        if kind not in KINDS:
            raise validation_error(f"payload.{kind} is not an event kind ({', '.join(KINDS)})")
        _check_kind(kind, payload[kind])
        if kind == "score":
            score = scores.whole_score(payload[kind]["value"], "payload.score.value")
    event_id = optional_str(obj, "eventId", max_len=_MAX_KEY_LEN)
    return Event(
        timestamp_ms=int(timestamp),
        kinds=kinds,
        score=score,
        tournament_id=metadata.get("tournamentId") or None,
        event_id=event_id,
        body_text=raw.decode("utf-8"),
    )


def submit(ctx: Ctx, principal: Principal, event: Event, idempotency_key: str | None) -> None:
    """Store the event and apply its score (deduplication is the caller's, see the module)."""
    ctx.conn.execute(
        "INSERT INTO events(gamer_pk, api, idempotency_key, event_id, kinds, timestamp_ms, body,"
        " received_at) VALUES (?, 'v1', ?, ?, ?, ?, ?, ?)",
        (
            principal.gamer_pk,
            idempotency_key,
            event.event_id,
            ",".join(event.kinds),
            event.timestamp_ms,
            event.body_text,
            ctx.now,
        ),
    )
    if event.score is not None:
        tournaments.apply_score(ctx, principal.gamer_pk, event.score, event.tournament_id)
        old_best = scores.raise_best(ctx, principal.gamer, event.score)
        if old_best is None or event.score > old_best:
            rewards.grant_milestones(ctx, principal.gamer_pk, old_best, event.score)


def store_score_post(ctx: Ctx, gamer_pk: int, idempotency_key: str | None, body_text: str) -> None:
    """Store a current-generation score post as an event (``api`` "current"), so
    ``/_sandbox/events`` shows both generations' scores; its timestamp is the time received."""
    ctx.conn.execute(
        "INSERT INTO events(gamer_pk, api, idempotency_key, event_id, kinds, timestamp_ms, body,"
        " received_at) VALUES (?, 'current', ?, NULL, 'score', ?, ?, ?)",
        (gamer_pk, idempotency_key, int(ctx.now * 1000), body_text, ctx.now),
    )
