"""First-run data: a pool of bot players and a realistic tournament schedule.

Times are relative to the first start; a reused database keeps its tournaments, and series
tournaments roll over as they end (see :mod:`.results`).
"""

from __future__ import annotations

import random
from decimal import Decimal

from . import accounts, results, tournaments
from .context import Ctx
from .tournaments import TournamentSpec

BOT_POOL_SIZE = 160
SEEDED_META_KEY = "seeded_at"

_HOUR = 3600.0
_DAY = 24 * _HOUR

_ADJECTIVES = (
    "Nova",
    "Pixel",
    "Turbo",
    "Shadow",
    "Lucky",
    "Crimson",
    "Silent",
    "Neon",
    "Iron",
    "Frost",
    "Blaze",
    "Cosmic",
    "Rapid",
    "Golden",
    "Mystic",
    "Atomic",
    "Wild",
    "Sonic",
    "Lunar",
    "Storm",
)
_NOUNS = (
    "Blade",
    "Fox",
    "Rider",
    "Wolf",
    "Falcon",
    "Viper",
    "Knight",
    "Ghost",
    "Tiger",
    "Comet",
    "Raven",
    "Titan",
    "Ninja",
    "Dragon",
    "Panda",
    "Hawk",
    "Golem",
    "Sprite",
    "Lynx",
    "Orca",
)


def ensure_bot_pool(ctx: Ctx, size: int = BOT_POOL_SIZE) -> None:
    """Create bot players (they fill leaderboards; they never get a wallet bonus or rewards)."""
    existing = ctx.conn.execute(
        "SELECT COUNT(*) FROM gamers WHERE client_id = ?", (accounts.BOT_CLIENT_ID,)
    ).fetchone()[0]
    rng = random.Random(f"bots-{existing}")
    for number in range(int(existing), size):
        name = f"{rng.choice(_ADJECTIVES)}{rng.choice(_NOUNS)}{number:03d}"
        accounts.create_gamer(
            ctx, accounts.BOT_CLIENT_ID, f"bot-{number:03d}", {"playertag": name}, is_bot=True
        )


def _schedule(now: float) -> list[TournamentSpec]:
    return [
        TournamentSpec(
            title="Daily Free Roll",
            description="Free entry, 100 KGeN guaranteed. Top 5 scores share the pool.",
            buy_in=Decimal(0),
            guaranteed_prize=Decimal(100),
            starts_at=now - 2 * _HOUR,
            ends_at=now + 22 * _HOUR,
            max_players=10_000,
            total_players_rewarded=5,
            theme="daily",
            series="daily-free-roll",
            bot_count=30,
        ),
        TournamentSpec(
            title="Bronze Cup",
            description="10 KGeN to enter; every stake goes into the pool. Top 10 are paid.",
            buy_in=Decimal(10),
            guaranteed_prize=Decimal(0),
            starts_at=now - _DAY,
            ends_at=now + 2 * _DAY,
            max_players=500,
            total_players_rewarded=10,
            theme="bronze",
            series="bronze-cup",
            bot_count=120,
        ),
        TournamentSpec(
            title="High Roller",
            description="50 KGeN stake, 250 KGeN guaranteed on top. Top 3 take it all.",
            buy_in=Decimal(50),
            guaranteed_prize=Decimal(250),
            starts_at=now - 6 * _HOUR,
            ends_at=now + 3 * _DAY,
            max_players=50,
            total_players_rewarded=3,
            theme="gold",
            series="high-roller",
            bot_count=8,
        ),
        TournamentSpec(
            title="Night Owl Cup",
            description="Opens later today. 10 KGeN stake, top 3 paid.",
            buy_in=Decimal(10),
            guaranteed_prize=Decimal(50),
            starts_at=now + 2 * _HOUR,
            ends_at=now + 8 * _HOUR,
            max_players=200,
            total_players_rewarded=3,
            theme="night",
        ),
        TournamentSpec(
            title="Last Week Classic",
            description="Last week's classic: 10 KGeN stake, top 5 paid.",
            buy_in=Decimal(10),
            guaranteed_prize=Decimal(100),
            starts_at=now - 10 * _DAY,
            ends_at=now - 3 * _DAY,
            max_players=500,
            total_players_rewarded=5,
            theme="classic",
            bot_count=40,
        ),
        TournamentSpec(
            title="Yesterday's Blitz",
            description="A free blitz that ran yesterday.",
            buy_in=Decimal(0),
            guaranteed_prize=Decimal(30),
            starts_at=now - 30 * _HOUR,
            ends_at=now - 26 * _HOUR,
            max_players=100,
            total_players_rewarded=3,
            theme="blitz",
            bot_count=25,
        ),
    ]


def seed(ctx: Ctx) -> bool:
    """Seed a fresh database once; returns False when it was seeded before."""
    done = ctx.conn.execute("SELECT 1 FROM meta WHERE key = ?", (SEEDED_META_KEY,)).fetchone()
    if done is not None:
        return False
    ensure_bot_pool(ctx)
    for spec in _schedule(ctx.now):
        tournaments.create(ctx, spec)
    results.create_sprint(ctx)
    ctx.conn.execute("INSERT INTO meta(key, value) VALUES (?, ?)", (SEEDED_META_KEY, repr(ctx.now)))
    return True
