"""Tournaments, the joined list and leaderboards (v1 and current field names)."""

from __future__ import annotations

from collections.abc import Mapping

from kgen_pygame.api.fields import (
    WireObject,
    blank_to_none,
    describe_value,
    list_items,
    unexpected,
)
from kgen_pygame.models import Leaderboard, LeaderboardEntry, Tournament, Winner

__all__ = [
    "read_joined_tournament_ids",
    "read_leaderboard",
    "read_tournament",
    "read_tournaments",
]


def read_tournament(data: object, operation: str, where: str = "the response") -> Tournament:
    """Read one tournament in any documented shape."""
    obj = WireObject.of(data, operation, where)
    return Tournament(
        uid=obj.required_text("tournament_uid", "uid", "id"),
        title=obj.text("title", "name", "theme") or "",
        description=obj.text("description") or "",
        status=blank_to_none(obj.text("tournament_status", "status")),
        buy_in=obj.required_money("buy_in_price", "buy_in"),
        prize_pool=obj.money("prize_pool", "price_pool"),
        participants_count=obj.integer("participants_count"),
        max_players=obj.integer("max_allowed_players", "tournament_size", "max_players"),
        starts_at=obj.timestamp("starts_at_timestamp", "starts_at"),
        ends_at=obj.timestamp("ends_at_timestamp", "ends_at_date", "ends_at"),
        game_uid=blank_to_none(obj.text("game_uid")),
        schedules_at=obj.timestamp("schedules_at_timestamp", "schedules_at_date"),
        moves_to_lobby_at=obj.timestamp("moves_to_lobby_at_timestamp", "moves_to_lobby_at_date"),
        locks_at=obj.timestamp("locks_at_timestamp", "locks_at_date"),
        created_at=obj.timestamp("created_at"),
        updated_at=obj.timestamp("updated_at"),
        entry_type=blank_to_none(obj.text("entry_type", "booking_type")),
        total_players_rewarded=obj.integer("total_players_rewarded"),
    )


def read_tournaments(data: object, operation: str) -> list[Tournament]:
    """Read a list of tournaments: a bare array or one wrapped in an object (C12)."""
    items = list_items(data, operation, "tournaments")
    return [
        read_tournament(item, operation, f"item {i} of the list") for i, item in enumerate(items)
    ]


def read_joined_tournament_ids(data: object, operation: str) -> list[str]:
    """Read the list of tournament uids the gamer joined (ids or tournament objects)."""
    items = list_items(data, operation, "tournament ids")
    ids: list[str] = []
    for index, item in enumerate(items):
        if isinstance(item, str) and item:
            ids.append(item)
        elif isinstance(item, Mapping):
            ids.append(
                WireObject.of(item, operation, f"item {index}").required_text(
                    "tournament_uid", "uid", "id"
                )
            )
        else:
            unexpected(
                operation, f"item {index} must be a tournament id, got {describe_value(item)}"
            )
    return ids


def read_leaderboard(data: object, operation: str) -> Leaderboard:
    """Read a leaderboard: the bare array form or ``{leaderboard, price_pool, winners}``.

    Winners come as ``{user_id, reward}`` (the prose) or ``{user_id, score}`` (the
    example, C9); rows without a rank are ranked by their position.
    """
    if isinstance(data, list):
        rows: list[WireObject] = [
            WireObject.of(item, operation, f"item {i} of the list")
            for i, item in enumerate(list_items(data, operation, "leaderboard rows"))
        ]
        return Leaderboard(entries=_entries(rows), prize_pool=None, winners=())
    obj = WireObject.of(data, operation)
    rows_or_none = obj.objects("leaderboard", "entries")
    if rows_or_none is None and not obj.has("leaderboard", "entries"):
        obj.fail("field 'leaderboard' is missing")
    winners = tuple(
        Winner(
            user_id=w.required_text("user_id", "userId", "gamer_id"),
            reward=w.money("reward", "amount", "amountWon"),
            rank=w.rank("rank"),
            score=w.score("score"),
        )
        for w in obj.objects("winners") or ()
    )
    return Leaderboard(
        entries=_entries(rows_or_none or []),
        prize_pool=obj.money("price_pool", "prize_pool"),
        winners=winners,
    )


def _entries(rows: list[WireObject]) -> tuple[LeaderboardEntry, ...]:
    return tuple(
        LeaderboardEntry(
            rank=row.rank("rank") or position,
            user_id=row.required_text("user_id", "userId", "gamer_id"),
            score=row.required_score("score"),
        )
        for position, row in enumerate(rows, start=1)
    )
