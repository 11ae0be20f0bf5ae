"""Loyalty: rewardable events a game registers, and the rewards players earn by reaching them.

An event is replaced as a whole by ``PUT`` (every field is required both to create and to
update, C20), deleted softly (rewards already earned keep pointing at it), and rewards
``rewardAmount`` to the player's *earned* balance at once, as a ``LOYALTY_REWARD``
transaction of the custodial wallet (C19: ``rewardCategory`` is always ``EARNED``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import ledger
from .accounts import Principal, app_id_for
from .clock import iso
from .context import Ctx
from .errors import ApiError, validation_error
from .identity import new_uid
from .money import from_cents, to_cents
from .validation import as_money, require_object, required_str

CATEGORY_EARNED = "EARNED"
ENTITY_GAME = "GAME"
STATUS_REWARDED = "REWARDED"

_TEXT_LIMITS = {"eventType": 100, "eventName": 200, "eventDescription": 1000}
_BOOLEANS = ("isActive", "isActivityTraceEnabled")


@dataclass(frozen=True, slots=True)
class EventSpec:
    """A validated ``PUT /s2s/loyalty/rewardable-events`` body."""

    event_id: str | None  # None: create
    entity_id: str | None
    event_type: str
    event_name: str
    event_description: str
    reward: Decimal
    is_active: bool
    trace_enabled: bool
    trace_activity_id: str


def _boolean(obj: dict[str, Any], key: str) -> bool:
    value = obj.get(key)
    if not isinstance(value, bool):
        raise validation_error(f"{key} is required and must be true or false")
    return value


def parse_event(body: Any) -> EventSpec:
    """Validate an upsert body (400 BAD_REQUEST naming the first bad field)."""
    obj = require_object(body)
    event_id = obj.get("eventID")
    if event_id is not None and (not isinstance(event_id, str) or not 0 < len(event_id) <= 64):
        raise validation_error("eventID must be the id of an existing event")
    entity_id = obj.get("entityID")
    if entity_id is not None and not isinstance(entity_id, str):
        raise validation_error("entityID must be a string")
    texts = {
        key: required_str(obj, key, min_len=0 if key == "eventDescription" else 1, max_len=limit)
        for key, limit in _TEXT_LIMITS.items()
    }
    if "rewardAmount" not in obj:
        raise validation_error("rewardAmount is required")
    reward = as_money(obj["rewardAmount"], "rewardAmount")
    if reward <= 0:
        raise validation_error("rewardAmount must be greater than 0")
    if required_str(obj, "rewardCategory", max_len=32) != CATEGORY_EARNED:
        raise validation_error('rewardCategory must be "EARNED" (the only category documented)')
    if required_str(obj, "entityType", max_len=32) != ENTITY_GAME:
        raise validation_error('entityType must be "GAME" (the only entity type documented)')
    flags = {key: _boolean(obj, key) for key in _BOOLEANS}
    trace_id = required_str(obj, "activityTraceActivityID", min_len=0, max_len=128)
    return EventSpec(
        event_id=event_id,
        entity_id=entity_id,
        event_type=texts["eventType"],
        event_name=texts["eventName"],
        event_description=texts["eventDescription"],
        reward=reward,
        is_active=flags["isActive"],
        trace_enabled=flags["isActivityTraceEnabled"],
        trace_activity_id=trace_id,
    )


def _not_found(event_id: str) -> ApiError:
    return ApiError(
        404,
        "REWARDABLE_EVENT_NOT_FOUND",
        "No rewardable event with this eventID",
        extras={"eventID": event_id},
    )


def find(ctx: Ctx, client_id: str, event_id: str) -> sqlite3.Row | None:
    """A live (not deleted) event of the client."""
    row: sqlite3.Row | None = ctx.conn.execute(
        "SELECT * FROM rewardable_events WHERE event_id = ? AND client_id = ?"
        " AND deleted_at IS NULL",
        (event_id, client_id),
    ).fetchone()
    return row


def require(ctx: Ctx, client_id: str, event_id: str) -> sqlite3.Row:
    """The event, or 404 REWARDABLE_EVENT_NOT_FOUND."""
    row = find(ctx, client_id, event_id)
    if row is None:
        raise _not_found(event_id)
    return row


def event_json(row: sqlite3.Row) -> dict[str, Any]:
    """A RewardableEvent object (3.2)."""
    return {
        "eventID": row["event_id"],
        "eventType": row["event_type"],
        "eventName": row["event_name"],
        "eventDescription": row["event_description"],
        "rewardAmount": from_cents(row["reward_cents"]),
        "rewardCategory": row["reward_category"],
        "entityType": row["entity_type"],
        "entityID": row["entity_id"],
        "isActive": bool(row["is_active"]),
        "isActivityTraceEnabled": bool(row["trace_enabled"]),
        "activityTraceActivityID": row["trace_activity_id"],
        "createdAt": iso(row["created_at"]),
        "updatedAt": iso(row["updated_at"]),
    }


def upsert(ctx: Ctx, client_id: str, spec: EventSpec) -> dict[str, Any]:
    """Create an event (no ``eventID``) or replace an existing one; returns it."""
    values = (
        spec.event_type,
        spec.event_name,
        spec.event_description,
        to_cents(spec.reward),
        1 if spec.is_active else 0,
        1 if spec.trace_enabled else 0,
        spec.trace_activity_id,
        ctx.now,
    )
    if spec.event_id is None:
        event_id = new_uid()
        ctx.conn.execute(
            "INSERT INTO rewardable_events(event_type, event_name, event_description,"
            " reward_cents, is_active, trace_enabled, trace_activity_id, updated_at, event_id,"
            " client_id, reward_category, entity_type, entity_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                *values,
                event_id,
                client_id,
                CATEGORY_EARNED,
                ENTITY_GAME,
                app_id_for(client_id),
                ctx.now,
            ),
        )
    else:
        event_id = spec.event_id
        existing = require(ctx, client_id, event_id)
        if spec.entity_id is not None and spec.entity_id != existing["entity_id"]:
            raise validation_error("entityID does not match the event's entity")
        ctx.conn.execute(
            "UPDATE rewardable_events SET event_type = ?, event_name = ?, event_description = ?,"
            " reward_cents = ?, is_active = ?, trace_enabled = ?, trace_activity_id = ?,"
            " updated_at = ? WHERE event_id = ?",
            (*values, event_id),
        )
    return event_json(require(ctx, client_id, event_id))


def listing(ctx: Ctx, client_id: str, is_active: bool | None) -> dict[str, Any]:
    """``{"rewardableEvents": [...], "offset": ""}``, newest first, optionally by ``isActive``."""
    sql = "SELECT * FROM rewardable_events WHERE client_id = ? AND deleted_at IS NULL"
    params: list[Any] = [client_id]
    if is_active is not None:
        sql += " AND is_active = ?"
        params.append(1 if is_active else 0)
    rows = ctx.conn.execute(sql + " ORDER BY created_at DESC, rowid DESC", params).fetchall()
    return {"rewardableEvents": [event_json(row) for row in rows], "offset": ""}


def delete(ctx: Ctx, client_id: str, event_id: str) -> None:
    """Delete an event (404 when unknown or already deleted); earned rewards stay."""
    require(ctx, client_id, event_id)
    ctx.conn.execute(
        "UPDATE rewardable_events SET deleted_at = ?, updated_at = ? WHERE event_id = ?",
        (ctx.now, ctx.now, event_id),
    )


def reward_json(row: sqlite3.Row, user_id: str) -> dict[str, Any]:
    """A LoyaltyReward object (3.3)."""
    return {
        "userID": user_id,
        "rewardID": row["reward_id"],
        "eventID": row["event_id"],
        "rewardStatus": row["status"],
        "createdAt": iso(row["created_at"]),
        "updatedAt": iso(row["updated_at"]),
        "rewardAmount": from_cents(row["amount_cents"]),
    }


def grant(
    ctx: Ctx, principal: Principal, event_id: str, *, api: str, once_per_event: bool
) -> dict[str, Any]:
    """Reward the player for reaching an event: credit the earned balance, record the reward.

    404 for an unknown or deleted event, 400 REWARDABLE_EVENT_INACTIVE for an inactive one,
    and with ``once_per_event`` 409 LOYALTY_EVENT_ALREADY_REWARDED for a second grant.
    """
    event = require(ctx, str(principal.gamer["client_id"]), event_id)
    if not event["is_active"]:
        raise ApiError(400, "REWARDABLE_EVENT_INACTIVE", "This rewardable event is not active")
    if once_per_event:
        earlier = ctx.conn.execute(
            "SELECT 1 FROM loyalty_rewards WHERE gamer_pk = ? AND event_id = ?",
            (principal.gamer_pk, event_id),
        ).fetchone()
        if earlier is not None:
            raise ApiError(
                409,
                "LOYALTY_EVENT_ALREADY_REWARDED",
                "The player was already rewarded for this event",
            )
    cents = int(event["reward_cents"])
    transaction = ledger.credit_earned(
        ctx,
        principal.gamer_pk,
        principal.gamer["wallet_address"],
        cents,
        source=ledger.TREASURY_WALLET,
        description=str(event["event_name"]),
        kind=ledger.KIND_LOYALTY,
        name="Loyalty reward",
    )
    reward_id = new_uid()
    ctx.conn.execute(
        "INSERT INTO loyalty_rewards(reward_id, gamer_pk, event_id, amount_cents, status, api,"
        " transaction_uid, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            reward_id,
            principal.gamer_pk,
            event_id,
            cents,
            STATUS_REWARDED,
            api,
            transaction,
            ctx.now,
            ctx.now,
        ),
    )
    row = ctx.conn.execute(
        "SELECT * FROM loyalty_rewards WHERE reward_id = ?", (reward_id,)
    ).fetchone()
    return reward_json(row, principal.gamer_id)


def earned_json(ctx: Ctx, principal: Principal) -> dict[str, Any]:
    """``{"rewards": [...], "offset": ""}``: every loyalty reward of the player, newest first."""
    rows = ctx.conn.execute(
        "SELECT * FROM loyalty_rewards WHERE gamer_pk = ? ORDER BY created_at DESC, rowid DESC",
        (principal.gamer_pk,),
    ).fetchall()
    return {"rewards": [reward_json(row, principal.gamer_id) for row in rows], "offset": ""}
