"""Tournaments: the catalogue, joining with a stake, scores and leaderboards."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import ledger, scores
from .accounts import BOT_CLIENT_ID, Principal, app_id_for
from .clock import iso, iso_date
from .context import Ctx
from .errors import ApiError, tournament_not_found
from .identity import derived_address, new_uid
from .jsonutil import decimal_text
from .money import from_cents, to_cents

STATUS_SCHEDULED = "SCHEDULED"
STATUS_STARTED = "STARTED"
STATUS_COMPLETED = "COMPLETED"

_LEADERBOARD_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class TournamentSpec:
    """What it takes to create a tournament."""

    title: str
    description: str
    buy_in: Decimal
    guaranteed_prize: Decimal
    starts_at: float
    ends_at: float
    max_players: int
    total_players_rewarded: int
    theme: str | None = None
    entry_type: str = "Solo"
    mode: str = "Quick"
    series: str | None = None
    bot_count: int = 0


def create(ctx: Ctx, spec: TournamentSpec) -> str:
    """Insert a tournament (and enrol ``spec.bot_count`` bots with scores); returns its uid."""
    uid = new_uid()
    duration = spec.ends_at - spec.starts_at
    locks_at = spec.ends_at - min(60.0, duration / 10)
    ctx.conn.execute(
        "INSERT INTO tournaments(uid, game_uid, title, description, theme, entry_type, mode,"
        " buy_in_cents, guaranteed_cents, max_players, total_players_rewarded, schedules_at,"
        " moves_to_lobby_at, starts_at, locks_at, ends_at, created_at, updated_at,"
        " escrow_wallet, series, bot_count)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            uid,
            app_id_for(ctx.config.client_id),
            spec.title,
            spec.description,
            spec.theme,
            spec.entry_type,
            spec.mode,
            to_cents(spec.buy_in),
            to_cents(spec.guaranteed_prize),
            spec.max_players,
            spec.total_players_rewarded,
            spec.starts_at - 600,
            spec.starts_at - 60,
            spec.starts_at,
            locks_at,
            spec.ends_at,
            min(ctx.now, spec.starts_at - 600),
            ctx.now,
            derived_address(f"kgen-sandbox-escrow:{uid}"),
            spec.series,
            spec.bot_count,
        ),
    )
    if spec.bot_count:
        enrol_bots(ctx, uid, spec, spec.bot_count)
    return uid


def enrol_bots(ctx: Ctx, uid: str, spec: TournamentSpec, count: int) -> None:
    """Enrol ``count`` bot gamers with plausible scores reached during the tournament so far."""
    bots = [
        int(row[0])
        for row in ctx.conn.execute(
            "SELECT id FROM gamers WHERE client_id = ? ORDER BY id", (BOT_CLIENT_ID,)
        )
    ]
    rng = random.Random(uid)
    chosen = rng.sample(bots, min(count, len(bots), spec.max_players))
    # Bots of a tournament that has started have already played; of a future one, not yet.
    scored = spec.starts_at <= ctx.now
    played_until = min(ctx.now, spec.ends_at)
    rows = []
    for gamer_pk in chosen:
        if scored:
            joined_at = spec.starts_at + rng.random() * (played_until - spec.starts_at) / 2
            score: int | None = int(rng.lognormvariate(7.0, 0.8)) // 10 * 10 + 10
            score_at: float | None = joined_at + rng.random() * (played_until - joined_at)
        else:
            joined_at, score, score_at = ctx.now, None, None
        rows.append((uid, gamer_pk, to_cents(spec.buy_in), joined_at, score, score_at))
    ctx.conn.executemany(
        "INSERT INTO participations(tournament_uid, gamer_pk, stake_cents, joined_at, best_score,"
        " score_at) VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )


def load(ctx: Ctx, uid: str) -> sqlite3.Row | None:
    """The tournament row, or None."""
    row: sqlite3.Row | None = ctx.conn.execute(
        "SELECT * FROM tournaments WHERE uid = ?", (uid,)
    ).fetchone()
    return row


def require(ctx: Ctx, uid: str) -> sqlite3.Row:
    """The tournament row, or 404 TOURNAMENT_NOT_FOUND."""
    row = load(ctx, uid)
    if row is None:
        raise tournament_not_found()
    return row


def status_of(row: sqlite3.Row, now: float) -> str:
    """SCHEDULED before the start, STARTED while live, COMPLETED once ended."""
    if row["finalized_at"] is not None or now >= row["ends_at"]:
        return STATUS_COMPLETED
    if now < row["starts_at"]:
        return STATUS_SCHEDULED
    return STATUS_STARTED


def is_live(row: sqlite3.Row, now: float) -> bool:
    """Scores count while the tournament is live."""
    return status_of(row, now) == STATUS_STARTED


def counts(ctx: Ctx, uid: str) -> tuple[int, int]:
    """Participants and the sum of their stakes, in cents."""
    row = ctx.conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(stake_cents), 0) FROM participations"
        " WHERE tournament_uid = ?",
        (uid,),
    ).fetchone()
    return int(row[0]), int(row[1])


def prize_pool_cents(row: sqlite3.Row, stakes_cents: int) -> int:
    """Guaranteed prize plus every stake paid in."""
    return int(row["guaranteed_cents"]) + stakes_cents


def to_json(ctx: Ctx, row: sqlite3.Row) -> dict[str, Any]:
    """The Tournament object of the API."""
    participants, stakes = counts(ctx, row["uid"])
    buy_in = from_cents(row["buy_in_cents"])
    body: dict[str, Any] = {
        "tournament_uid": row["uid"],
        "game_uid": row["game_uid"],
        "title": row["title"],
        "description": row["description"],
        "theme": row["theme"],
        "tournament_status": status_of(row, ctx.now),
        "entry_type": row["entry_type"],
        "booking_type": "FREE" if row["buy_in_cents"] == 0 else "PAID",
        "lock_type": "Duration",
        "mode": row["mode"],
        "buy_in_price": buy_in,
        "prize_pool": from_cents(prize_pool_cents(row, stakes)),
        "max_allowed_players": row["max_players"],
        "tournament_size": row["max_players"],
        "participants_count": participants,
        "total_players_rewarded": row["total_players_rewarded"],
        "min_registration_start_limit": 1,
    }
    for name in ("schedules_at", "moves_to_lobby_at", "starts_at", "locks_at", "ends_at"):
        body[f"{name}_timestamp"] = iso(row[name])
        body[f"{name}_date"] = iso_date(row[name])
    body["created_at"] = iso(row["created_at"])
    body["updated_at"] = iso(row["updated_at"])
    return body


def live_rows(ctx: Ctx) -> list[sqlite3.Row]:
    """Tournaments running now, ending soonest first."""
    return ctx.conn.execute(
        "SELECT * FROM tournaments WHERE finalized_at IS NULL AND starts_at <= ? AND ends_at > ?"
        " ORDER BY ends_at, uid",
        (ctx.now, ctx.now),
    ).fetchall()


def joined_uids(ctx: Ctx, gamer_pk: int) -> list[str]:
    """Every tournament the gamer joined, most recent join first."""
    return [
        str(row[0])
        for row in ctx.conn.execute(
            "SELECT tournament_uid FROM participations WHERE gamer_pk = ? ORDER BY joined_at DESC",
            (gamer_pk,),
        )
    ]


def join(ctx: Ctx, principal: Principal, uid: str, stake: Decimal) -> None:
    """Enrol the gamer, debiting the stake from the custodial wallet."""
    row = require(ctx, uid)
    buy_in = from_cents(row["buy_in_cents"])
    if stake != buy_in:
        raise ApiError(
            400,
            "TOURNAMENT_INVALID_JOINING_STAKE",
            f"Joining stake must equal the buy-in price ({decimal_text(buy_in)})",
            extras={"buy_in_price": buy_in},
        )
    refusal = _not_live(row, ctx.now, 422)
    if refusal is not None:
        raise refusal
    if ctx.now >= row["locks_at"]:
        raise ApiError(422, "TOURNAMENT_IS_NOT_LIVE", "Tournament registration is locked")
    existing = ctx.conn.execute(
        "SELECT 1 FROM participations WHERE tournament_uid = ? AND gamer_pk = ?",
        (uid, principal.gamer_pk),
    ).fetchone()
    if existing is not None:
        raise ApiError(409, "EXISTING_PARTICIPATION_FOUND", "Already joined this tournament")
    participants, _ = counts(ctx, uid)
    if participants >= row["max_players"]:
        raise ApiError(409, "TOURNAMENT_IS_FULL", "Tournament is full")
    stake_cents = to_cents(stake)
    split = ledger.StakeSplit(0, 0, 0)
    if stake_cents > 0:
        split = ledger.debit_stake(
            ctx,
            principal.gamer,
            stake_cents,
            to_wallet=row["escrow_wallet"],
            description=f"Joining stake for {row['title']}",
        )
    ctx.conn.execute(
        "INSERT INTO participations(tournament_uid, gamer_pk, stake_cents, stake_bonus_cents,"
        " stake_earned_cents, stake_bought_cents, joined_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            uid,
            principal.gamer_pk,
            stake_cents,
            split.bonus_cents,
            split.earned_cents,
            split.bought_cents,
            ctx.now,
        ),
    )
    ctx.conn.execute("UPDATE tournaments SET updated_at = ? WHERE uid = ?", (ctx.now, uid))


def _participation(ctx: Ctx, uid: str, gamer_pk: int) -> sqlite3.Row:
    """The gamer's participation, or 404 TOURNAMENT_PARTICIPATION_NOT_FOUND."""
    row: sqlite3.Row | None = ctx.conn.execute(
        "SELECT * FROM participations WHERE tournament_uid = ? AND gamer_pk = ?", (uid, gamer_pk)
    ).fetchone()
    if row is None:
        raise ApiError(
            404, "TOURNAMENT_PARTICIPATION_NOT_FOUND", "The player has not joined this tournament"
        )
    return row


def _not_live(row: sqlite3.Row, now: float, status: int) -> ApiError | None:
    """Why the tournament takes no entries, leavers or scores now (None while it does)."""
    state = status_of(row, now)
    if state == STATUS_SCHEDULED:
        return ApiError(status, "TOURNAMENT_IS_NOT_LIVE", "Tournament has not started yet")
    if state == STATUS_COMPLETED:
        return ApiError(status, "TOURNAMENT_IS_NOT_LIVE", "Tournament has ended")
    return None


def leave(ctx: Ctx, principal: Principal, uid: str, *, refund: bool) -> None:
    """Take the gamer out of a live tournament (score included), refunding the stake if asked.

    Leaving closes with registration (``locks_at``), so a player cannot walk away from a
    result that is about to be final.
    """
    row = require(ctx, uid)
    participation = _participation(ctx, uid, principal.gamer_pk)
    refusal = _not_live(row, ctx.now, 400)
    if refusal is None and ctx.now >= row["locks_at"]:
        refusal = ApiError(400, "TOURNAMENT_IS_NOT_LIVE", "Tournament registration is locked")
    if refusal is not None:
        raise refusal
    ctx.conn.execute(
        "DELETE FROM participations WHERE tournament_uid = ? AND gamer_pk = ?",
        (uid, principal.gamer_pk),
    )
    ctx.conn.execute("UPDATE tournaments SET updated_at = ? WHERE uid = ?", (ctx.now, uid))
    if refund and participation["stake_cents"] > 0:
        split = ledger.StakeSplit(
            participation["stake_bonus_cents"],
            participation["stake_earned_cents"],
            participation["stake_bought_cents"],
        )
        # Stakes taken before the split was recorded go back to the bonus balance.
        unattributed = participation["stake_cents"] - split.total_cents
        if unattributed > 0:
            split = ledger.StakeSplit(
                split.bonus_cents + unattributed, split.earned_cents, split.bought_cents
            )
        ledger.refund_stake(
            ctx,
            principal.gamer,
            split,
            from_wallet=row["escrow_wallet"],
            description=f"Joining stake refunded on leaving {row['title']}",
        )


def post_score(ctx: Ctx, principal: Principal, uid: str, value: int) -> None:
    """A score for one joined, live tournament (the current generation's score update)."""
    row = require(ctx, uid)
    _participation(ctx, uid, principal.gamer_pk)
    refusal = _not_live(row, ctx.now, 400)
    if refusal is not None:
        raise refusal
    scores.raise_participation(ctx, uid, principal.gamer_pk, value)
    scores.raise_best(ctx, principal.gamer, value)


def apply_score(ctx: Ctx, gamer_pk: int, score: int, tournament_uid: str | None) -> None:
    """Raise the gamer's best score in one tournament, or in every live one they joined.

    A score for a tournament the gamer did not join (or that is not live) is only recorded
    as an event; an unknown tournament id is 404 TOURNAMENT_NOT_FOUND.
    """
    if tournament_uid is not None:
        row = require(ctx, tournament_uid)
        if is_live(row, ctx.now):
            scores.raise_participation(ctx, tournament_uid, gamer_pk, score)
        return
    ctx.conn.execute(
        "UPDATE participations SET best_score = :score, score_at = :now"
        " WHERE gamer_pk = :gamer AND (best_score IS NULL OR best_score < :score)"
        " AND tournament_uid IN (SELECT uid FROM tournaments"
        " WHERE finalized_at IS NULL AND starts_at <= :now AND ends_at > :now)",
        {"score": score, "now": ctx.now, "gamer": gamer_pk},
    )


def ranked_rows(ctx: Ctx, uid: str, limit: int | None = None) -> list[sqlite3.Row]:
    """Participants in leaderboard order (a page: ``limit``, else the configured one)."""
    if limit is None:
        limit = ctx.config.list_rows or _LEADERBOARD_LIMIT
    return ctx.conn.execute(
        "SELECT p.gamer_pk, g.gamer_id, g.display_name, g.is_bot, p.best_score, p.stake_cents,"
        " p.final_rank, p.reward_cents"
        " FROM participations p JOIN gamers g ON g.id = p.gamer_pk"
        " WHERE p.tournament_uid = ?"
        # Best score first; ties go to whoever reached the score first.
        " ORDER BY p.best_score IS NULL, p.best_score DESC, p.score_at, p.joined_at, g.gamer_id"
        " LIMIT ?",
        (uid, limit),
    ).fetchall()


def leaderboard_json(ctx: Ctx, uid: str) -> dict[str, Any]:
    """The body of ``GET /api/v1/leaderboards/_byTournament/{id}``."""
    row = require(ctx, uid)
    _, stakes = counts(ctx, uid)
    entries = []
    winners = []
    for rank, entry in enumerate(ranked_rows(ctx, uid), start=1):
        score = 0 if entry["best_score"] is None else entry["best_score"]
        entries.append(
            {
                "user_id": entry["gamer_id"],
                "score": score,
                "rank": rank,
                "display_name": entry["display_name"],
            }
        )
        if entry["reward_cents"]:
            winners.append(
                {
                    "user_id": entry["gamer_id"],
                    "score": score,
                    "reward": from_cents(entry["reward_cents"]),
                    "rank": entry["final_rank"],
                }
            )
    return {
        "leaderboard": entries,
        "price_pool": from_cents(prize_pool_cents(row, stakes)),
        "winners": winners,
        "tournament_uid": uid,
        "tournament_status": status_of(row, ctx.now),
        "total_players_rewarded": row["total_players_rewarded"],
    }
