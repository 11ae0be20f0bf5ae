"""Ending tournaments: final ranks, prize split, rewards, successors and historic statistics.

Tournaments whose end time has passed are finalized lazily, on the next request that could
see them (:func:`maintain`). A series tournament (the rolling "Sprint", the daily free roll...)
gets a successor when it ends, and Sprints are added while fewer than
``min_live_tournaments`` are live, so there is always something to join.
"""

from __future__ import annotations

import math
import sqlite3
from decimal import Decimal
from typing import Any

from . import tournaments
from .clock import iso
from .context import Ctx
from .errors import ApiError
from .identity import new_uid
from .money import from_cents, split_prize

SPRINT_SERIES = "sprint"
SPRINT_PRIZE = Decimal("25")


def finalize(ctx: Ctx, row: sqlite3.Row) -> int:
    """Rank, split the prize pool, grant rewards to real gamers; returns rewards granted."""
    uid = row["uid"]
    ranked = tournaments.ranked_rows(ctx, uid, limit=1_000_000)
    stakes = sum(int(entry["stake_cents"]) for entry in ranked)
    scored = sum(1 for entry in ranked if entry["best_score"] is not None)
    shares = split_prize(
        tournaments.prize_pool_cents(row, stakes), min(row["total_players_rewarded"], scored)
    )
    updates = []
    granted = 0
    for rank, entry in enumerate(ranked, start=1):
        # Scored entries sort first, so the first len(shares) ranks all have scores.
        reward = shares[rank - 1] if rank <= len(shares) else 0
        updates.append((rank, reward, uid, entry["gamer_pk"]))
        if reward and not entry["is_bot"]:
            ctx.conn.execute(
                "INSERT INTO rewards(uid, gamer_pk, tournament_uid, source, title, amount_cents,"
                " status, created_at, updated_at) VALUES (?, ?, ?, 'TOURNAMENT', ?, ?,"
                " 'UNCLAIMED', ?, ?)",
                (
                    new_uid(),
                    entry["gamer_pk"],
                    uid,
                    f"{row['title']} - rank #{rank}",
                    reward,
                    ctx.now,
                    ctx.now,
                ),
            )
            granted += 1
    ctx.conn.executemany(
        "UPDATE participations SET final_rank = ?, reward_cents = ?"
        " WHERE tournament_uid = ? AND gamer_pk = ?",
        updates,
    )
    ctx.conn.execute(
        "UPDATE tournaments SET finalized_at = ?, updated_at = ? WHERE uid = ?",
        (ctx.now, ctx.now, uid),
    )
    if row["series"]:
        _create_successor(ctx, row)
    return granted


def _sprint_title(ctx: Ctx) -> str:
    count = ctx.conn.execute(
        "SELECT COUNT(*) FROM tournaments WHERE series = ?", (SPRINT_SERIES,)
    ).fetchone()[0]
    return f"Sprint #{int(count) + 1}"


def create_sprint(ctx: Ctx) -> str:
    """A short free tournament starting now."""
    return tournaments.create(
        ctx,
        tournaments.TournamentSpec(
            title=_sprint_title(ctx),
            description="A quick free sprint: post your best score before the clock runs out.",
            buy_in=Decimal(0),
            guaranteed_prize=SPRINT_PRIZE,
            starts_at=ctx.now,
            ends_at=ctx.now + ctx.config.sprint_duration_s,
            max_players=100,
            total_players_rewarded=3,
            theme="sprint",
            series=SPRINT_SERIES,
        ),
    )


def _create_successor(ctx: Ctx, row: sqlite3.Row) -> str:
    if row["series"] == SPRINT_SERIES:
        return create_sprint(ctx)
    duration = row["ends_at"] - row["starts_at"]
    # Continue the schedule seamlessly unless the sandbox slept through a whole round.
    starts_at = row["ends_at"] if ctx.now - row["ends_at"] < duration else ctx.now
    return tournaments.create(
        ctx,
        tournaments.TournamentSpec(
            title=row["title"],
            description=row["description"],
            buy_in=from_cents(row["buy_in_cents"]),
            guaranteed_prize=from_cents(row["guaranteed_cents"]),
            starts_at=starts_at,
            ends_at=starts_at + duration,
            max_players=row["max_players"],
            total_players_rewarded=row["total_players_rewarded"],
            theme=row["theme"],
            entry_type=row["entry_type"],
            mode=row["mode"],
            series=row["series"],
            bot_count=row["bot_count"],
        ),
    )


def ensure_live(ctx: Ctx) -> None:
    """Add Sprints until at least ``min_live_tournaments`` tournaments are live."""
    missing = ctx.config.min_live_tournaments - len(tournaments.live_rows(ctx))
    for _ in range(max(missing, 0)):
        create_sprint(ctx)


def maintain(ctx: Ctx) -> float:
    """Finalize every tournament past its end; returns when the next one is due."""
    due = ctx.conn.execute(
        "SELECT * FROM tournaments WHERE finalized_at IS NULL AND ends_at <= ? ORDER BY ends_at",
        (ctx.now,),
    ).fetchall()
    for row in due:
        finalize(ctx, row)
    ensure_live(ctx)
    next_end = ctx.conn.execute(
        "SELECT MIN(ends_at) FROM tournaments WHERE finalized_at IS NULL"
    ).fetchone()[0]
    return math.inf if next_end is None else float(next_end)


def end_now(ctx: Ctx, uid: str) -> dict[str, Any]:
    """End a tournament immediately (``POST /_sandbox/tournaments/{id}/_end``)."""
    row = tournaments.require(ctx, uid)
    if row["finalized_at"] is not None:
        raise ApiError(409, "TOURNAMENT_ALREADY_ENDED", "Tournament has already ended")
    ctx.conn.execute(
        "UPDATE tournaments SET starts_at = MIN(starts_at, :now),"
        " locks_at = MIN(locks_at, :now), ends_at = MIN(ends_at, :now) WHERE uid = :uid",
        {"now": ctx.now, "uid": uid},
    )
    granted = finalize(ctx, tournaments.require(ctx, uid))
    ensure_live(ctx)
    return {
        "tournament": tournaments.to_json(ctx, tournaments.require(ctx, uid)),
        "leaderboard": tournaments.leaderboard_json(ctx, uid),
        "rewards_granted": granted,
    }


def historic_json(ctx: Ctx, gamer_pk: int) -> list[dict[str, Any]]:
    """The body of ``GET /api/v1/statistics/_historic``: one entry per ended tournament joined."""
    rows = ctx.conn.execute(
        "SELECT t.uid, t.title, t.mode, t.ends_at, p.stake_cents, p.final_rank, p.reward_cents,"
        " p.best_score FROM participations p JOIN tournaments t ON t.uid = p.tournament_uid"
        " WHERE p.gamer_pk = ? AND t.finalized_at IS NOT NULL ORDER BY t.ends_at DESC",
        (gamer_pk,),
    ).fetchall()
    stats = []
    for row in rows:
        reward = int(row["reward_cents"] or 0)
        scored = row["best_score"] is not None
        stats.append(
            {
                "type": "Tournament",
                "typeValue": int(row["final_rank"]) if scored and row["final_rank"] else 0,
                "result": "Won" if reward > 0 else "You Lost",
                "occurredAtText": iso(row["ends_at"]),
                "mode": row["mode"],
                "buyInStake": from_cents(row["stake_cents"]),
                "amountWon": from_cents(reward),
                "tournament_uid": row["uid"],
                "title": row["title"],
                "score": row["best_score"] if scored else 0,
            }
        )
    return stats
