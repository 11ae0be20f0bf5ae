"""Esports rewards (tournament prizes), the claim reply and historic statistics."""

from __future__ import annotations

from decimal import Decimal

from kgen_pygame.api.fields import (
    FieldValueError,
    WireObject,
    blank_to_none,
    describe_value,
    list_items,
    parse_decimal,
    parse_timestamp,
)
from kgen_pygame.models import ClaimResult, HistoricStat, Reward, Rewards

__all__ = ["read_claim_result", "read_historic_stats", "read_rewards"]


def read_rewards(data: object, operation: str, *, total_from_items: bool = False) -> Rewards:
    """Read claimable rewards; the total is summed when the server leaves it out.

    ``total_from_items`` sums the listed amounts even when the reply has
    ``total_claimable_rewards``: on the current generation that field's meaning is
    unclear (an "integer ... total amount", with 1 for a single reward of 50, C16),
    so the list, which is unambiguous, decides what the player is shown.
    """
    obj = WireObject.of(data, operation)
    if not obj.has("claimable_rewards_info", "total_claimable_rewards", "rewards"):
        obj.fail("expected 'total_claimable_rewards' and 'claimable_rewards_info'")
    rewards = tuple(
        _reward(item) for item in obj.objects("claimable_rewards_info", "rewards") or ()
    )
    total = None if total_from_items else obj.money("total_claimable_rewards")
    if total is None:
        total = sum((r.amount for r in rewards), Decimal(0))
    return Rewards(total_claimable=total, rewards=rewards)


def _reward(obj: WireObject) -> Reward:
    return Reward(
        uid=blank_to_none(obj.text("uid", "rewardID", "reward_id", "id")),
        tournament_id=blank_to_none(obj.text("tournament_id", "tournamentId")),
        title=blank_to_none(obj.text("title", "name")),
        amount=obj.required_money("reward", "rewardAmount", "amount"),
        status=obj.text("claim_status", "rewardStatus", "status") or "UNCLAIMED",
        created_at=obj.timestamp("created_at", "createdAt"),
        source=blank_to_none(obj.text("source")),
        user_id=blank_to_none(obj.text("user_id", "userID")),
        wallet_address=blank_to_none(obj.text("wallet_address")),
        updated_at=obj.timestamp("updated_at", "updatedAt"),
    )


def read_claim_result(data: object, operation: str) -> ClaimResult:
    """Read the claim reply: a message, plus count and amount when sent."""
    if isinstance(data, str):
        return ClaimResult(message=data, claimed_count=None, amount=None)
    obj = WireObject.of(data, operation)
    if not obj.has("message", "msg", "claimed", "amount"):
        obj.fail("field 'message' is missing")
    return ClaimResult(
        message=obj.text("message", "msg") or "",
        claimed_count=obj.integer("claimed", "claimed_count"),
        amount=obj.money("amount", "claimed_amount"),
    )


def read_historic_stats(data: object, operation: str) -> list[HistoricStat]:
    """Read the historic participation list (a bare array, or one wrapped in an object)."""
    items = list_items(data, operation, "statistics")
    return [
        _historic_stat(WireObject.of(item, operation, f"item {i} of the list"))
        for i, item in enumerate(items)
    ]


def _historic_stat(obj: WireObject) -> HistoricStat:
    occurred_text = obj.text("occurredAtText") or ""
    try:
        occurred_at = parse_timestamp(occurred_text)
    except FieldValueError:
        occurred_at = None  # free text such as "2 days ago" is fine here
    return HistoricStat(
        type=obj.text("type") or "",
        type_value=_type_value(obj),
        result=obj.required_text("result"),
        occurred_at_text=occurred_text,
        mode=obj.text("mode") or "",
        buy_in_stake=obj.required_money("buyInStake"),
        amount_won=obj.required_money("amountWon"),
        occurred_at=occurred_at,
        title=obj.text("title"),  # a sandbox extension; absent from the platform docs
    )


def _type_value(obj: WireObject) -> int | Decimal | str | None:
    found = obj.raw("typeValue")
    if found is None:
        return None
    value = found[1]
    if isinstance(value, str):
        return value
    try:
        number = parse_decimal(value)
    except FieldValueError:
        obj.fail(f"field 'typeValue' must be a number or text, got {describe_value(value)}")
    whole = number == number.to_integral_value() and number.adjusted() < 30
    return int(number) if whole else number
