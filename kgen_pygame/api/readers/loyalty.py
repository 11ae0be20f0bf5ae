"""Loyalty: rewards earned by reaching rewardable events, and the events themselves.

The loyalty docs use camelCase (``userID``, ``rewardAmount``, ``createdAt``) where
esports uses snake_case (C7); both are read.
"""

from __future__ import annotations

from kgen_pygame.api.fields import WireObject, blank_to_none, list_items
from kgen_pygame.models import LoyaltyReward, RewardableEvent

__all__ = [
    "read_earned_rewards",
    "read_loyalty_reward",
    "read_rewardable_event",
    "read_rewardable_events",
]


def read_loyalty_reward(
    data: object,
    operation: str,
    where: str = "the response",
    *,
    event_id: str | None = None,
) -> LoyaltyReward:
    """Read one LoyaltyReward (the grant's 201 reply, or an item of the earned list).

    ``event_id`` (the event that was granted) fills ``eventID`` when the reply
    leaves it out.
    """
    obj = WireObject.of(data, operation, where)
    found_event = obj.text("eventID", "event_id", "eventId")
    if not found_event and event_id is None:
        obj.fail("field 'eventID' is missing")
    return LoyaltyReward(
        reward_id=blank_to_none(obj.text("rewardID", "reward_id", "rewardId")),
        event_id=found_event or event_id or "",
        amount=obj.required_money("rewardAmount", "reward_amount", "reward", "amount"),
        status=obj.text("rewardStatus", "reward_status", "status") or "REWARDED",
        created_at=obj.timestamp("createdAt", "created_at"),
        updated_at=obj.timestamp("updatedAt", "updated_at"),
        user_id=blank_to_none(obj.text("userID", "user_id", "userId")),
    )


def read_earned_rewards(data: object, operation: str) -> list[LoyaltyReward]:
    """Read ``{"rewards": [...], "offset": ...}`` (or a bare array of rewards)."""
    items = _wrapped_list(data, operation, "rewards", "rewards")
    return [
        read_loyalty_reward(item, operation, f"item {i} of 'rewards'")
        for i, item in enumerate(items)
    ]


def read_rewardable_event(
    data: object, operation: str, where: str = "the response"
) -> RewardableEvent:
    """Read one RewardableEvent (the upsert's 201 reply, GET one, or a list item)."""
    obj = WireObject.of(data, operation, where)
    active = obj.flag("isActive", "is_active")
    if active is None:
        obj.fail("field 'isActive' is missing")
    return RewardableEvent(
        event_id=obj.required_text("eventID", "event_id", "eventId"),
        event_type=obj.required_text("eventType", "event_type"),
        name=obj.text("eventName", "event_name", "name") or "",
        description=obj.text("eventDescription", "event_description", "description") or "",
        reward_amount=obj.required_money("rewardAmount", "reward_amount"),
        reward_category=obj.text("rewardCategory", "reward_category") or "",
        entity_type=obj.text("entityType", "entity_type") or "",
        is_active=active,
        activity_trace_enabled=bool(
            obj.flag("isActivityTraceEnabled", "is_activity_trace_enabled")
        ),
        activity_trace_activity_id=obj.text(
            "activityTraceActivityID", "activity_trace_activity_id"
        )
        or "",
        entity_id=blank_to_none(obj.text("entityID", "entity_id", "entityId")),
        created_at=obj.timestamp("createdAt", "created_at"),
        updated_at=obj.timestamp("updatedAt", "updated_at"),
    )


def read_rewardable_events(data: object, operation: str) -> list[RewardableEvent]:
    """Read ``{"rewardableEvents": [...], "offset": ...}`` (or a bare array)."""
    items = _wrapped_list(data, operation, "rewardable events", "rewardableEvents")
    return [
        read_rewardable_event(item, operation, f"item {i} of 'rewardableEvents'")
        for i, item in enumerate(items)
    ]


def _wrapped_list(data: object, operation: str, what: str, wrapper: str) -> list[object]:
    """A loyalty list: ``{wrapper: [...], "offset": ...}`` as documented, or a bare array."""
    if isinstance(data, list):
        return list_items(data, operation, what)
    return list_items(data, operation, what, wrapper=wrapper)
