"""Big lists for benchmarks and tests: thousands of rows in every list one player sees.

:func:`fill_big_lists` writes straight into a sandbox database file (the sandbox may be
running: it reads SQLite on every request), through the same tables and helpers the routes
use. A listing answers at most ``SandboxConfig.list_rows`` rows (``--list-rows``), so start
the sandbox with at least ``rows`` there to see them all.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from . import accounts, ledger, tournaments
from .config import DEFAULT_CLIENT_ID, SandboxConfig
from .context import Ctx
from .identity import new_uid
from .loyalty import STATUS_REWARDED, EventSpec, upsert

_HOUR = 3600.0


@dataclass(frozen=True, slots=True)
class BigLists:
    """What :func:`fill_big_lists` made: the big leaderboard's tournament and the row count."""

    leaderboard_uid: str
    rows: int


def fill_big_lists(
    db_path: Path | str,
    gamer_id: str,
    rows: int = 5000,
    *,
    client_id: str = DEFAULT_CLIENT_ID,
) -> BigLists:
    """Give player ``gamer_id`` (created when missing) ``rows`` rows in each list.

    A live tournament with ``rows`` players (the player among them, mid-table), ``rows - 1``
    more live tournaments, ``rows`` unclaimed rewards, ``rows`` wallet transactions and
    ``rows`` loyalty rewards earned.
    """
    if rows < 2:
        raise ValueError("rows must be at least 2")
    conn = sqlite3.connect(str(db_path), timeout=30, isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("BEGIN IMMEDIATE")
        ctx = Ctx(conn, time.time(), SandboxConfig(db_path=db_path, client_id=client_id))
        result = _fill(ctx, client_id, gamer_id, rows)
        conn.execute("COMMIT")
        return result
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()


def _fill(ctx: Ctx, client_id: str, gamer_id: str, rows: int) -> BigLists:
    now = ctx.now
    gamer = accounts.find_gamer(ctx, client_id, gamer_id)
    player_pk = (
        int(gamer["id"]) if gamer is not None
        else accounts.create_gamer(ctx, client_id, gamer_id, {})
    )
    wallet = str(accounts.gamer_by_pk(ctx, player_pk)["wallet_address"])
    bots = [
        accounts.create_gamer(
            ctx, accounts.BOT_CLIENT_ID, f"big-{n:05d}", {"playertag": f"Big{n:05d}"},
            is_bot=True,
        )
        for n in range(rows - 1)
    ]
    spec = tournaments.TournamentSpec(
        title="Big Board Cup", description=f"{rows:,} players.", buy_in=Decimal(0),
        guaranteed_prize=Decimal(500), starts_at=now - _HOUR, ends_at=now + 24 * _HOUR,
        max_players=rows * 2, total_players_rewarded=10,
    )
    board = tournaments.create(ctx, spec)
    middle = rows // 2
    players = [*bots[:middle], player_pk, *bots[middle:]]
    ctx.conn.executemany(
        "INSERT INTO participations(tournament_uid, gamer_pk, stake_cents, joined_at,"
        " best_score, score_at) VALUES (?, ?, 0, ?, ?, ?)",
        [(board, pk, now - _HOUR, (rows - i) * 10, now - _HOUR + i) for i, pk in
         enumerate(players)],
    )
    for n in range(rows - 1):
        tournaments.create(ctx, tournaments.TournamentSpec(
            title=f"Cup {n + 1:05d}", description="One of many.", buy_in=Decimal(n % 5),
            guaranteed_prize=Decimal(10), starts_at=now - _HOUR, ends_at=now + (2 + n) * _HOUR,
            max_players=100, total_players_rewarded=3,
        ))
    ctx.conn.executemany(
        "INSERT INTO rewards(uid, gamer_pk, tournament_uid, source, title, amount_cents, status,"
        " created_at, updated_at) VALUES (?, ?, ?, 'TOURNAMENT', ?, ?, 'UNCLAIMED', ?, ?)",
        [(new_uid(), player_pk, board, f"Big reward {n + 1:05d}", 100 + n, now - n, now - n)
         for n in range(rows)],
    )
    for n in range(rows):
        ledger.record(
            ctx.conn, now - n, kind=ledger.KIND_REWARD, from_wallet=ledger.TREASURY_WALLET,
            to_wallet=wallet, amount_cents=100 + n, name="Tournament reward",
            description=f"Big payout {n + 1:05d}",
        )
    event_id = str(upsert(ctx, client_id, EventSpec(
        event_id=None, entity_id=None, event_type="Achievement", event_name="Big streak",
        event_description="Many times over", reward=Decimal(1), is_active=True,
        trace_enabled=False, trace_activity_id="",
    ))["eventID"])
    ctx.conn.executemany(
        "INSERT INTO loyalty_rewards(reward_id, gamer_pk, event_id, amount_cents, status, api,"
        " transaction_uid, created_at, updated_at) VALUES (?, ?, ?, 100, ?, 'current', ?, ?, ?)",
        [(new_uid(), player_pk, event_id, STATUS_REWARDED, new_uid(), now - n, now - n)
         for n in range(rows)],
    )
    return BigLists(board, rows)
