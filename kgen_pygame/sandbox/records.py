"""Read-only views for tests and demos: received events and a per-gamer summary."""

from __future__ import annotations

from typing import Any

from . import deliveries, jsonutil
from .accounts import find_gamer
from .clock import iso
from .context import Ctx
from .money import from_cents


def events_json(ctx: Ctx, gamer_id: str | None, limit: int) -> list[dict[str, Any]]:
    """Stored (deduplicated) score and game events of both generations, oldest first; the
    newest ``limit`` of them. ``api`` says which generation posted each."""
    sql = (
        "SELECT e.id, e.api, g.gamer_id, e.idempotency_key, e.event_id, e.kinds,"
        " e.timestamp_ms, e.body, e.received_at FROM events e JOIN gamers g ON g.id = e.gamer_pk"
    )
    params: tuple[Any, ...]
    if gamer_id is None:
        sql += " ORDER BY e.id DESC LIMIT ?"
        params = (limit,)
    else:
        sql += " WHERE g.client_id = ? AND g.gamer_id = ? ORDER BY e.id DESC LIMIT ?"
        params = (ctx.config.client_id, gamer_id, limit)
    rows = ctx.conn.execute(sql, params).fetchall()
    events = []
    for row in reversed(rows):
        body = jsonutil.loads(row["body"].encode("utf-8"))
        events.append(
            {
                "id": row["id"],
                "api": row["api"],
                "gamer_id": row["gamer_id"],
                "idempotency_key": row["idempotency_key"],
                "event_id": row["event_id"],
                "kinds": row["kinds"].split(","),
                "timestamp": row["timestamp_ms"],
                "metadata": body.get("metadata"),
                "payload": body.get("payload"),
                "received_at": iso(row["received_at"]),
            }
        )
    return events


def _count(ctx: Ctx, sql: str, *params: Any) -> int:
    return int(ctx.conn.execute(sql, params).fetchone()[0])


def records_json(ctx: Ctx, gamer_id: str) -> dict[str, Any]:
    """What the sandbox has recorded for one gamer of the configured client."""
    gamer = find_gamer(ctx, ctx.config.client_id, gamer_id)
    if gamer is None:
        return {"gamer_id": gamer_id, "exists": False}
    pk = gamer["id"]
    wallet = gamer["wallet_address"]
    return {
        "gamer_id": gamer_id,
        "exists": True,
        "wallet_address": wallet,
        "sessions": _count(ctx, "SELECT COUNT(*) FROM sessions WHERE gamer_pk = ?", pk),
        "events": _count(ctx, "SELECT COUNT(*) FROM events WHERE gamer_pk = ?", pk),
        "score_posts": _count(
            ctx, "SELECT COUNT(*) FROM events WHERE gamer_pk = ? AND api = 'current'", pk
        ),
        **deliveries.counts(ctx, pk),
        "score_events": _count(
            ctx,
            "SELECT COUNT(*) FROM events"
            " WHERE gamer_pk = ? AND ',' || kinds || ',' LIKE '%,score,%'",
            pk,
        ),
        "best_score": gamer["best_score"],
        "participations": _count(ctx, "SELECT COUNT(*) FROM participations WHERE gamer_pk = ?", pk),
        "rewards_unclaimed": _count(
            ctx, "SELECT COUNT(*) FROM rewards WHERE gamer_pk = ? AND status = 'UNCLAIMED'", pk
        ),
        "claims": _count(
            ctx, "SELECT COUNT(*) FROM rewards WHERE gamer_pk = ? AND status = 'CLAIMED'", pk
        ),
        "otp_requests": _count(ctx, "SELECT COUNT(*) FROM otps WHERE gamer_pk = ?", pk),
        "links": _count(
            ctx, "SELECT COUNT(*) FROM otps WHERE gamer_pk = ? AND status = 'USED'", pk
        ),
        "linked": gamer["kgen_wallet_address"] is not None,
        "withdrawals": _count(
            ctx,
            "SELECT COUNT(*) FROM transactions WHERE from_wallet = ? AND kind = 'WITHDRAW'",
            wallet,
        ),
        "loyalty_rewards": _count(
            ctx, "SELECT COUNT(*) FROM loyalty_rewards WHERE gamer_pk = ?", pk
        ),
        "px_drops": _count(ctx, "SELECT COUNT(*) FROM px_events WHERE gamer_pk = ?", pk),
        "earned_balance": from_cents(gamer["earned_cents"]),
        "bonus_balance": from_cents(gamer["bonus_cents"]),
    }


def gamer_pk_of(ctx: Ctx, gamer_id: str) -> int | None:
    """The database id of a gamer of the configured client."""
    gamer = find_gamer(ctx, ctx.config.client_id, gamer_id)
    return None if gamer is None else int(gamer["id"])
