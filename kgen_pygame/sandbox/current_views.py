"""The current generation's answer shapes, made from the same store as ``/api/v1``'s.

Field names and sets follow ``reference/esports-current``; fields marked as the
``response-extras`` extension are added only outside documented-only mode.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from . import ledger, otp, results, rewards, tournaments
from .accounts import Principal
from .clock import iso
from .context import Ctx
from .current_session import namespaced_id
from .errors import ApiError
from .money import from_cents

_TIMESTAMPS = ("schedules_at", "moves_to_lobby_at", "starts_at", "locks_at", "ends_at")
STATISTICS_EXTRAS = ("tournament_uid", "title", "score")


def tournament_json(ctx: Ctx, row: sqlite3.Row) -> dict[str, Any]:
    """A Tournament object (3.4): ``game_uid`` is the game's client id, as in the docs."""
    participants, _ = tournaments.counts(ctx, row["uid"])
    body: dict[str, Any] = {
        "tournament_uid": row["uid"],
        "game_uid": ctx.config.client_id,
        "tournament_status": tournaments.status_of(row, ctx.now),
        "title": row["title"],
        "description": row["description"],
        "buy_in_price": from_cents(row["buy_in_cents"]),
        "tournament_size": row["max_players"],
        "participants_count": participants,
    }
    for name in _TIMESTAMPS:
        body[f"{name}_timestamp"] = iso(row[name])
    body["created_at"] = iso(row["created_at"])
    body["updated_at"] = iso(row["updated_at"])
    return body


def leaderboard_json(ctx: Ctx, uid: str, *, extras: bool) -> dict[str, Any]:
    """``{"leaderboard": [{user_id, score}], "price_pool", "winners": [{user_id, score, reward}]}``.

    Winners carry both ``score`` (the example) and ``reward`` (the prose), C9.
    """
    row = tournaments.require(ctx, uid)
    _, stakes = tournaments.counts(ctx, uid)
    entries: list[dict[str, Any]] = []
    winners: list[dict[str, Any]] = []
    for rank, entry in enumerate(tournaments.ranked_rows(ctx, uid), start=1):
        score = 0 if entry["best_score"] is None else entry["best_score"]
        item: dict[str, Any] = {"user_id": entry["gamer_id"], "score": score}
        if extras:
            item.update(rank=rank, display_name=entry["display_name"])
        entries.append(item)
        if entry["reward_cents"]:
            winner: dict[str, Any] = {
                "user_id": entry["gamer_id"],
                "score": score,
                "reward": from_cents(entry["reward_cents"]),
            }
            if extras:
                winner["rank"] = entry["final_rank"]
            winners.append(winner)
    return {
        "leaderboard": entries,
        "price_pool": from_cents(tournaments.prize_pool_cents(row, stakes)),
        "winners": winners,
    }


def claimable_json(ctx: Ctx, principal: Principal) -> dict[str, Any]:
    """``GET /fe/esports/rewards/claim``: ``total_claimable_rewards`` counts the rewards (C16)."""
    rows = rewards.unclaimed_rows(ctx, principal.gamer_pk)
    return {
        "total_claimable_rewards": len(rows),
        "claimable_rewards_info": [
            {
                "user_id": principal.gamer_id,
                # None for a score-milestone reward granted through /api/v1 eventing.
                "tournament_id": row["tournament_uid"],
                "claim_status": row["status"],
                "reward": from_cents(row["amount_cents"]),
                "wallet_address": principal.gamer["wallet_address"],
                "created_at": iso(row["created_at"]),
                "updated_at": iso(row["updated_at"]),
            }
            for row in rows
        ],
    }


def statistics_json(ctx: Ctx, gamer_pk: int, *, extras: bool) -> list[dict[str, Any]]:
    """``GET /fe/esports/statistics/historic`` (the extras name the tournament)."""
    entries = results.historic_json(ctx, gamer_pk)
    if extras:
        return entries
    return [
        {key: value for key, value in entry.items() if key not in STATISTICS_EXTRAS}
        for entry in entries
    ]


def balance_json(ctx: Ctx, gamer: sqlite3.Row) -> dict[str, Any]:
    """``GET /fe/wallet/balance``: the twelve documented fields."""
    body = ledger.balance_json(ctx, gamer)
    del body["indigg_wallet_address"]  # a v1 extension; /fe has linked-mobile-number
    return body


def transactions_json(ctx: Ctx, wallet: str) -> dict[str, Any]:
    """``GET /fe/wallet/transactions``: sent, received, all of them (newest first), no cursor."""
    sent = [_transaction(ctx, row, "DEBIT") for row in ledger.outgoing(ctx, wallet)]
    received = [_transaction(ctx, row, "CREDIT") for row in ledger.incoming(ctx, wallet)]
    every = sorted(sent + received, key=lambda item: item["created_at"], reverse=True)
    return {
        "fromTransactions": sent,
        "toTransactions": received,
        "transactions": every,
        "last_evaluated_key": "",
    }


def _transaction(ctx: Ctx, row: sqlite3.Row, direction: str) -> dict[str, Any]:
    body = ledger.transaction_json(ctx, row, direction)
    del body["sync_error"]  # v1 only (C10)
    return body


def linked_number_json(ctx: Ctx, gamer: sqlite3.Row) -> dict[str, Any]:
    """``GET /fe/users/account/linked-mobile-number``; 500 RECORD_NOT_FOUND when not linked."""
    number = otp.national_number(gamer)
    if number is None:
        raise ApiError(500, "RECORD_NOT_FOUND", "No phone number is linked to this player")
    return {
        "UserID": gamer["gamer_id"],
        "NameSpacedThirdPartyUserID": namespaced_id(gamer["client_id"], gamer["gamer_id"]),
        "WalletAddress": gamer["wallet_address"],
        "IndiggWalletAddress": gamer["kgen_wallet_address"] or "",
        "LinkedPhone": number,
        "KGenID": otp.kgen_id(ctx, gamer) or "",
    }
