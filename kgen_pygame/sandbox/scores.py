"""The score rule shared by every generation: whole numbers, and each player's best counts.

A score update carries the player's score *now*; leaderboards keep each player's best (the
maximum), so sending the same score again changes nothing. What a score value may be is
:mod:`kgen_pygame.event_contract`'s rule, the one the plugin checks before sending.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from kgen_pygame import event_contract

from .context import Ctx
from .errors import validation_error


def whole_score(value: Any, where: str) -> int:
    """A score value as the event contract allows it (a whole number); 400 otherwise."""
    try:
        score = event_contract.check_value(event_contract.SCORE_KIND, value)
    except event_contract.InvalidEventError as error:
        raise validation_error(f"{where}: {error}") from None
    assert isinstance(score, int)
    return score


def raise_best(ctx: Ctx, gamer: sqlite3.Row, value: int) -> int | None:
    """Raise the gamer's best score across tournaments; returns the best before this score."""
    old_best: int | None = gamer["best_score"]
    if old_best is None or value > old_best:
        ctx.conn.execute("UPDATE gamers SET best_score = ? WHERE id = ?", (value, gamer["id"]))
    return old_best


def raise_participation(ctx: Ctx, tournament_uid: str, gamer_pk: int, value: int) -> None:
    """Raise one participation's best score (no-op when the new score is not higher)."""
    ctx.conn.execute(
        "UPDATE participations SET best_score = :value, score_at = :now"
        " WHERE tournament_uid = :uid AND gamer_pk = :gamer"
        " AND (best_score IS NULL OR best_score < :value)",
        {"value": value, "now": ctx.now, "uid": tournament_uid, "gamer": gamer_pk},
    )
