"""Comet Catcher's achievements: what the player must do, and which KGeN reward it earns.

What each achievement is called and pays lives in ``demo_game/achievements.toml``, the file
``kgen-events apply`` registers on the platform (docs/loyalty.md); this module reads it with
the tool's own reader and adds the one thing the file cannot hold: when a round has reached
it. The table name in the file (the event's ``eventType``) is the key of :data:`GOALS`.

A reached achievement is earned once per player: the play scene calls ``reward_event()``
for it (through KGenLink) and then remembers it in the player's saved data (profile.json),
so a later round does not earn it again. The outbox's idempotency key is what makes the one
call count once on the wire, retries and crashes included.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Final

from demo_game import config
from demo_game.world import World

log = logging.getLogger(__name__)

ACHIEVEMENTS_FILE: Final = Path(__file__).with_name("achievements.toml")
FIRST_1000, COMBO_10, FLAWLESS = "comet-first-1000", "comet-combo-10", "comet-flawless-round"

#: eventType -> has the round reached it?
GOALS: Final[dict[str, Callable[[World], bool]]] = {
    FIRST_1000: lambda world: world.score >= 1000,
    COMBO_10: lambda world: world.best_chain >= 10,
    FLAWLESS: lambda world: (world.over and world.end_reason == "time up" and world.hits == 0
                             and world.lives == config.START_LIVES),
}


@dataclass(frozen=True, slots=True)
class Achievement:
    """One achievement as the file declares it."""

    event_type: str
    name: str
    reward: Decimal


def load_achievements(path: Path = ACHIEVEMENTS_FILE) -> tuple[Achievement, ...]:
    """The file's achievements that have a goal here; () without the plugin or a usable file.

    Raises nothing: a game without its achievements still plays (the log says why).
    """
    try:
        from kgen_pygame.loyalty import EventFileError, load_event_file
    except ImportError as exc:
        log.info("achievements: the KGeN plugin has no kgen_pygame.loyalty (%s)", exc)
        return ()
    try:
        declared = load_event_file(path)
    except EventFileError as exc:
        log.warning("achievements: %s", exc)
        return ()
    found = []
    for event in declared:
        if event.event_type not in GOALS:
            log.warning("achievements: %s declares %r, which the game has no goal for",
                        path.name, event.event_type)
            continue
        if event.spec.is_active:
            found.append(Achievement(event.event_type, event.spec.name, event.spec.reward_amount))
    return tuple(found)


class AchievementTracker:
    """Which achievements a round has reached that the player has not earned yet."""

    def __init__(self, achievements: tuple[Achievement, ...]) -> None:
        self.achievements = achievements
        self._announced: set[str] = set()

    def new_round(self) -> None:
        """Forget what was announced (a round the reward could not be sent in says it again)."""
        self._announced.clear()

    def reached(self, world: World, earned: frozenset[str]) -> list[Achievement]:
        """Achievements reached now and neither earned before nor announced this round."""
        found = [a for a in self.achievements
                 if a.event_type not in earned and a.event_type not in self._announced
                 and GOALS[a.event_type](world)]
        self._announced.update(a.event_type for a in found)
        return found


def register_achievements(base_url: str, client_id: str,
                          client_secret: str) -> tuple[dict[str, str], str | None]:
    """Apply demo_game/achievements.toml to the platform at `base_url` with kgen-events'
    library function (blocks on the network: a worker thread, or before the game starts);
    returns (eventType -> eventID, None), or (what is known, the problem)."""
    from kgen_pygame.api import KGenClient
    from kgen_pygame.errors import KGenError
    from kgen_pygame.loyalty import apply_event_file

    try:
        with KGenClient(base_url, client_id, client_secret) as client:
            result = apply_event_file(client, ACHIEVEMENTS_FILE)
    except KGenError as exc:
        return {}, f"the achievements could not be registered ({exc})"
    if result.error is not None:
        return result.event_ids, f"the achievements were registered in part ({result.error})"
    log.info("achievements registered: %s", ", ".join(sorted(result.event_ids)))
    return result.event_ids, None
