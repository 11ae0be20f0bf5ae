"""Rewards: score milestones, the claimable list, and claiming into the earned balance."""

from __future__ import annotations

import sqlite3
from typing import Any

from . import ledger
from .accounts import Principal
from .clock import iso
from .context import Ctx
from .errors import ApiError
from .identity import new_uid
from .money import from_cents, to_cents

STATUS_UNCLAIMED = "UNCLAIMED"
STATUS_CLAIMED = "CLAIMED"

_COLUMNS = (
    "uid, gamer_pk, tournament_uid, source, title, amount_cents, status, created_at, updated_at"
)


def grant_milestones(ctx: Ctx, gamer_pk: int, old_best: float | None, new_best: float) -> None:
    """Grant each milestone the new best score reaches for the first time."""
    for milestone in ctx.config.score_milestones:
        reached_before = old_best is not None and old_best >= milestone.score
        if new_best >= milestone.score and not reached_before:
            ctx.conn.execute(
                "INSERT OR IGNORE INTO rewards(uid, gamer_pk, milestone, source, title,"
                " amount_cents, status, created_at, updated_at)"
                " VALUES (?, ?, ?, 'MILESTONE', ?, ?, 'UNCLAIMED', ?, ?)",
                (
                    new_uid(),
                    gamer_pk,
                    milestone.score,
                    f"Score milestone: {milestone.score} points",
                    to_cents(milestone.reward),
                    ctx.now,
                    ctx.now,
                ),
            )


def _reward_json(row: sqlite3.Row, principal: Principal) -> dict[str, Any]:
    return {
        "uid": row["uid"],
        "user_id": principal.gamer_id,
        "tournament_id": row["tournament_uid"],
        "title": row["title"],
        "claim_status": row["status"],
        "reward": from_cents(row["amount_cents"]),
        "wallet_address": principal.gamer["wallet_address"],
        "source": row["source"],
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
    }


def unclaimed_rows(ctx: Ctx, gamer_pk: int) -> list[sqlite3.Row]:
    """The gamer's unclaimed rewards, oldest first."""
    return ctx.conn.execute(
        f"SELECT {_COLUMNS} FROM rewards WHERE gamer_pk = ? AND status = ?"  # noqa: S608
        " ORDER BY created_at, rowid",
        (gamer_pk, STATUS_UNCLAIMED),
    ).fetchall()


def claimable_json(ctx: Ctx, principal: Principal) -> dict[str, Any]:
    """The body of ``GET /api/v1/rewards``."""
    rows = unclaimed_rows(ctx, principal.gamer_pk)
    total = sum(int(row["amount_cents"]) for row in rows)
    return {
        "total_claimable_rewards": from_cents(total),
        "claimable_rewards_info": [_reward_json(row, principal) for row in rows],
    }


def claim(ctx: Ctx, principal: Principal, reward_ids: list[str] | None) -> dict[str, Any]:
    """Claim all unclaimed rewards (``reward_ids`` None) or the listed ones."""
    if reward_ids is None:
        rows = unclaimed_rows(ctx, principal.gamer_pk)
        if not rows:
            raise ApiError(422, "NO_CLAIMABLE_REWARDS", "There are no rewards to claim")
    else:
        rows = []
        for reward_id in dict.fromkeys(reward_ids):
            row = ctx.conn.execute(
                f"SELECT {_COLUMNS} FROM rewards WHERE uid = ? AND gamer_pk = ?",  # noqa: S608
                (reward_id, principal.gamer_pk),
            ).fetchone()
            if row is None:
                raise ApiError(
                    404, "REWARD_NOT_FOUND", "Reward not found", extras={"reward_id": reward_id}
                )
            if row["status"] != STATUS_UNCLAIMED:
                raise ApiError(
                    409,
                    "REWARD_ALREADY_CLAIMED",
                    "Reward has already been claimed",
                    extras={"reward_id": reward_id},
                )
            rows.append(row)
    total = claim_rows(ctx, principal, rows)
    return {
        "message": "Rewards claimed successfully",
        "claimed": len(rows),
        "amount": from_cents(total),
        "reward_ids": [row["uid"] for row in rows],
    }


def claim_rows(ctx: Ctx, principal: Principal, rows: list[sqlite3.Row]) -> int:
    """Mark rewards claimed and credit each to the earned balance; returns the cents credited."""
    total = 0
    for row in rows:
        ctx.conn.execute(
            "UPDATE rewards SET status = ?, updated_at = ? WHERE uid = ?",
            (STATUS_CLAIMED, ctx.now, row["uid"]),
        )
        source_wallet = ledger.TREASURY_WALLET
        if row["tournament_uid"] is not None:
            escrow = ctx.conn.execute(
                "SELECT escrow_wallet FROM tournaments WHERE uid = ?", (row["tournament_uid"],)
            ).fetchone()
            if escrow is not None:
                source_wallet = escrow[0]
        ledger.credit_earned(
            ctx,
            principal.gamer_pk,
            principal.gamer["wallet_address"],
            int(row["amount_cents"]),
            source=source_wallet,
            description=row["title"],
        )
        total += int(row["amount_cents"])
    return total
