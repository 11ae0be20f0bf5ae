"""``POST /api/v1/eventing``: validate, store, and feed scores to leaderboards.

Deduplication by ``Idempotency-Key`` (or the body's ``eventId``) happens around this, in the
route, through :mod:`.idempotency`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kgen_pygame import event_contract

from . import rewards, scores, tournaments
from .accounts import Principal
from .context import Ctx
from .errors import validation_error
from .validation import is_number, optional_str, require_object, required_str

# What the plugin puts in every event's metadata (the game's own keys follow the contract).
_WIRE_METADATA = ("playerId", "gameId")
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


def _check_kind(kind: str, entry: Any) -> Any:
    """The wire form ``{"value": ...}`` of one kind, checked by the event contract."""
    where = f"payload.{kind}"
    if not isinstance(entry, dict) or "value" not in entry:
        raise validation_error(f"{where} must be an object with a value")
    value = entry["value"]
    try:
        event_contract.check_kind(kind, "v1")
        if event_contract.EVENT_KINDS[kind] == "text list" and not isinstance(value, list):
            raise validation_error(f"{where}.value must be an array of strings")
        return event_contract.check_value(kind, value)
    except event_contract.InvalidEventError as error:
        raise validation_error(f"{where}.value: {error}") from None


def _check_metadata(metadata: dict[str, Any]) -> None:
    required_str(metadata, "playerId", where="metadata.", max_len=256)
    optional_str(metadata, "gameId", where="metadata.", max_len=256)
    game_keys = {key: value for key, value in metadata.items() if key not in _WIRE_METADATA}
    try:
        event_contract.check_metadata(game_keys)
    except event_contract.InvalidEventError as error:
        raise validation_error(f"metadata: {error}") from None


def parse(body: Any, raw: bytes) -> Event:
    """Validate an eventing body (``raw`` is its JSON text, stored as received).

    The wire checks are the sandbox's (timestamp, the ``{"value"}`` objects, the plugin's
    metadata); kinds, values and the game's metadata follow :mod:`kgen_pygame.event_contract`.
    Raises 400 VALIDATION_ERROR naming the first bad field.
    """
    obj = require_object(body)
    timestamp: Any = obj.get("timestamp")
    if not is_number(timestamp) or timestamp < 0 or timestamp > 10**15:
        raise validation_error("timestamp must be a non-negative number (epoch milliseconds)")
    metadata = require_object(obj.get("metadata"), "metadata")
    _check_metadata(metadata)
    payload = require_object(obj.get("payload"), "payload")
    kinds = tuple(key for key in payload if payload[key] is not None)
    deliverable = sorted(event_contract.DELIVERABLE_KINDS["v1"])
    if not kinds:
        raise validation_error(f"payload must contain one event kind: {', '.join(deliverable)}")
    score: int | None = None
    for kind in kinds:
        value = _check_kind(kind, payload[kind])
        if kind == event_contract.SCORE_KIND:
            score = value
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
