"""What the player reads about KGeN: tournament rows, join errors, notices for plugin events.

Pure formatting (no KGeN calls - those live in kgen_integration.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

PRACTICE_TITLE = "Practice"

JOIN_ERRORS = {  # API error codes -> what the player reads
    "INSUFFICIENT_BALANCE": "Not enough balance for the buy-in",
    "TOURNAMENT_IS_FULL": "This tournament is full",
    "TOURNAMENT_IS_NOT_LIVE": "This tournament is not live any more",
    "TOURNAMENT_NOT_FOUND": "This tournament no longer exists",
    "TOURNAMENT_INVALID_JOINING_STAKE": "The buy-in changed - refresh and try again",
}


@dataclass(frozen=True, slots=True)
class TournamentOption:
    """One row of the tournament choice screen. uid None means practice (no tournament)."""

    uid: str | None
    title: str
    detail: str
    joined: bool = False
    buy_in: Decimal = Decimal(0)

    @property
    def buy_in_text(self) -> str:
        return f"{self.buy_in.normalize():f}"


@dataclass(frozen=True, slots=True)
class Notice:
    """A plugin event translated for the player (kind: sms, reward, session, problem)."""

    kind: str
    text: str
    phone: str = ""
    code: str = ""


def join_error_text(error: object) -> str:
    """A join failure in the player's words: known API codes, else the server's own text.

    (str(error) is for developers - it names the operation and status - so it is not shown.)
    """
    code = getattr(error, "code", None)
    if isinstance(code, str) and code in JOIN_ERRORS:
        return JOIN_ERRORS[code]
    if getattr(error, "retryable", False):
        return "KGeN is not reachable - try again"
    server_message = getattr(error, "server_message", None)
    if isinstance(server_message, str) and server_message:
        return server_message
    return f"Could not join ({code})" if isinstance(code, str) and code else "Could not join"


def notice_from(name: str, attrs: Mapping[str, Any]) -> Notice | None:
    """The notice for plugin event `name` (e.g. "SANDBOX_SMS") with its attributes.

    Only for what the plugin does not show itself: its panels toast every action the player
    takes in them (claim, link, withdraw, join), so those events get no second notice here.
    """
    get = attrs.get
    if name == "SANDBOX_SMS":
        code = str(get("code", ""))
        return Notice("sms", f"SMS from KGeN: your code is {code}",
                      phone=str(get("phone", "")), code=code)
    if name == "SESSION_FAILED":
        return Notice("problem", "KGeN offline - scores are kept and sent later")
    if name == "REWARDS_CHANGED":
        count = get("count", 0)
        if not isinstance(count, int) or count <= 0:
            return None
        plural = "" if count == 1 else "s"
        return Notice("reward", f"{count} KGeN reward{plural} to claim!")
    if name == "DELIVERY_PROBLEM":
        if get("recovered"):
            return Notice("session", "Scores delivered - KGeN is back")
        return Notice("problem", "Scores queued - KGeN will retry")
    return None


def describe_tournament(tournament: Any) -> str:
    """'Buy-in 10 | 12 players | ends in 1h 05m' from a plugin Tournament."""
    parts = []
    buy_in = getattr(tournament, "buy_in", None)
    if isinstance(buy_in, Decimal):
        parts.append("Free entry" if buy_in == 0 else f"Buy-in {buy_in.normalize():f}")
    players = getattr(tournament, "participants_count", None)
    if isinstance(players, int):
        parts.append(f"{players} player" + ("" if players == 1 else "s"))
    ends_at = getattr(tournament, "ends_at", None)
    if isinstance(ends_at, datetime):
        parts.append(time_left(ends_at))
    return " | ".join(parts)


def time_left(ends_at: datetime, now: datetime | None = None) -> str:
    """'ends in 2d 3h' / 'ends in 1h 05m' / 'ends in 7m' / 'ending now'."""
    if ends_at.tzinfo is None:
        ends_at = ends_at.replace(tzinfo=UTC)
    seconds = int((ends_at - (now or datetime.now(UTC))).total_seconds())
    if seconds <= 0:
        return "ending now"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"ends in {days}d {hours}h"
    if hours:
        return f"ends in {hours}h {minutes:02d}m"
    return f"ends in {minutes}m"
