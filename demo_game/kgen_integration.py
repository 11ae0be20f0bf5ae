"""Every KGeN call Comet Catcher makes - the lines a game developer copies into their own game.

The whole integration is:

    kgen = KGen(game_id="comet-catcher", gamer_id=None)   # after pygame.init()
    for event in pygame.event.get():
        if kgen.handle_event(event):                       # first: an open overlay may eat it
            continue
        ...the game's own event handling...
    kgen.update(dt)                                        # once per frame
    ...draw the game...
    kgen.draw(screen)                                      # last, on top of the game
    kgen.track_score(score, tournament_id=...)             # whenever the score matters
    kgen.close()                                           # on exit

The rest of this file adapts that to the demo: scores and match events for each round,
tournament options for the choice screen (join pays the buy-in), opening the KGeN panels, and
the plugin's pygame events (what the player reads is worded in kgen_text.py). A guard turns
any plugin error into a log line, so KGeN can never crash the game. When the plugin is not
installed (or --no-kgen switches it off) every method is a no-op and the game plays in
practice mode.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pygame

from demo_game.config import GAME_ID
from demo_game.kgen_text import (
    PRACTICE_TITLE,
    Notice,
    TournamentOption,
    describe_tournament,
    join_error_text,
    notice_from,
)

log = logging.getLogger(__name__)

try:
    from kgen_pygame import KGen  # the plugin's single entry point
    from kgen_pygame import events as kgen_events  # pygame event types the plugin posts

    PLUGIN_PROBLEM: str | None = None
except Exception as exc:  # not installed, or a build without the facade: play without KGeN
    PLUGIN_PROBLEM = f"kgen_pygame.KGen is not available ({type(exc).__name__}: {exc})"

JoinCallback = Callable[[bool, str], None]


class KGenLink:
    """The demo's connection to KGeN; a harmless no-op when KGeN is unavailable."""

    def __init__(self, *, enabled: bool = True) -> None:
        self._kgen: KGen | None = None
        self.events_tracked = 0
        self.panels_visited: list[str] = []
        self.problem: str | None = None
        self._notice_types: dict[int, str] = {}
        if not enabled:
            self.problem = "switched off (--no-kgen)"
        elif PLUGIN_PROBLEM is not None:
            self.problem = PLUGIN_PROBLEM
        else:
            try:
                # Starts the embedded sandbox when KGEN_BASE_URL is not set; never blocks on
                # the network (the session is bootstrapped on the plugin's worker thread).
                self._kgen = KGen(game_id=GAME_ID, gamer_id=None)
                self._notice_types = _notice_types()
            except Exception as exc:
                self.problem = f"KGen() failed ({type(exc).__name__}: {exc})"
        if self.problem:
            log.warning("KGeN: %s - the game runs without KGeN (practice only)", self.problem)
        else:
            log.info("KGeN: plugin started")

    @property
    def plugin(self) -> KGen | None:
        """The KGen object itself (for tests and tools; the game goes through this class)."""
        return self._kgen

    @property
    def available(self) -> bool:
        """True when the plugin is running (the session may still be connecting)."""
        return self._kgen is not None

    @contextlib.contextmanager
    def _guard(self, what: str) -> Iterator[None]:
        """Plugin errors become one log line: KGeN must never take the game down."""
        try:
            yield
        except Exception as exc:
            log.warning("KGeN: %s failed: %s: %s", what, type(exc).__name__, exc)

    # -- the game loop: three calls ------------------------------------------------------------

    def handle_event(self, event: pygame.event.Event) -> bool:
        """Offer `event` to the plugin first; True means an open overlay consumed it."""
        if self._kgen is None:
            return False
        with self._guard("handle_event"):
            return bool(self._kgen.handle_event(event))
        return False

    def update(self, dt: float) -> None:
        """Run plugin callbacks and overlay animations (call once per frame)."""
        if self._kgen is not None:
            with self._guard("update"):
                self._kgen.update(dt)

    def draw(self, screen: pygame.Surface) -> None:
        """Draw the plugin's HUD badge and overlays on top of the finished game frame."""
        if self._kgen is not None:
            with self._guard("draw"):
                self._kgen.draw(screen)

    def close(self) -> None:
        """Flush what can be flushed in two seconds and stop the plugin (and its sandbox)."""
        if self._kgen is not None:
            with self._guard("close"):
                self._kgen.close(timeout=2.0)
            self._kgen = None

    # -- state the game looks at ---------------------------------------------------------------

    @property
    def ready(self) -> bool:
        """A KGeN session exists (tournaments and overlays have data)."""
        if self._kgen is None:
            return False
        with self._guard("ready"):
            return bool(self._kgen.ready)
        return False

    @property
    def overlay_open(self) -> bool:
        if self._kgen is None:
            return False
        with self._guard("overlay_open"):
            return bool(self._kgen.overlay_open)
        return False

    @property
    def should_pause(self) -> bool:
        """The plugin asks the game to freeze gameplay (an overlay is open)."""
        if self._kgen is None:
            return False
        with self._guard("should_pause"):
            return bool(self._kgen.should_pause)
        return False

    @property
    def status_text(self) -> str:
        if self._kgen is None:
            return "KGeN offline"
        return "KGeN online" if self.ready else "KGeN connecting..."

    # -- scores and game events ----------------------------------------------------------------

    def submit_score(self, score: int, tournament_id: str | None,
                     match_id: str | None = None) -> bool:
        """Record a score. Durable on return: the plugin's outbox delivers it, even later."""
        if self._kgen is None:
            return False
        with self._guard("track_score"):
            self._kgen.track_score(int(score), tournament_id=tournament_id, matchId=match_id)
            self.events_tracked += 1
            return True
        return False

    def _track(self, kind: str, value: Any, **metadata: Any) -> bool:
        if self._kgen is None:
            return False
        with self._guard(f"track {kind}"):
            # Metadata keys are the wire names: tournamentId, matchId, level, ...
            self._kgen.track(kind, value, **metadata)
            self.events_tracked += 1
            return True
        return False

    def round_started(self, match_id: str, tournament_id: str | None) -> bool:
        """matchJoined: a round began."""
        return self._track("matchJoined", [match_id], matchId=match_id,
                           tournamentId=tournament_id)

    def round_finished(self, match_id: str, outcome: str, tournament_id: str | None) -> bool:
        """matchResult: how the round ended ("survived", "destroyed" or "abandoned")."""
        return self._track("matchResult", [outcome], matchId=match_id,
                           tournamentId=tournament_id)

    def level_reached(self, tier: int, match_id: str, tournament_id: str | None) -> bool:
        """levelup: the comets sped up (levels count from 1)."""
        return self._track("levelup", f"speed-{tier + 1}", matchId=match_id,
                           tournamentId=tournament_id, level=tier + 1)

    # -- tournaments ---------------------------------------------------------------------------

    def tournament_options(self) -> list[TournamentOption]:
        """Practice first, then every active tournament the plugin has cached."""
        options = [TournamentOption(None, PRACTICE_TITLE, "No tournament - just for fun")]
        if self._kgen is None:
            return options
        with self._guard("active_tournaments"):
            joined = set(self._kgen.joined_tournament_ids)
            for t in self._kgen.active_tournaments:
                buy_in = t.buy_in if isinstance(t.buy_in, Decimal) else Decimal(0)
                options.append(TournamentOption(
                    str(t.uid), str(t.title) or "Tournament", describe_tournament(t),
                    t.uid in joined,
                    buy_in))
        return options

    def join(self, uid: str, on_done: JoinCallback) -> None:
        """Join a tournament (pays its buy-in); `on_done(ok, message)` runs on the game thread."""
        if self._kgen is None:
            on_done(False, "KGeN is offline")
            return
        if uid in self._kgen.joined_tournament_ids:
            on_done(True, "Already joined")
            return

        def finished(result: object) -> None:
            if not isinstance(result, BaseException):
                on_done(True, "Joined!")
                return
            code = getattr(result, "code", None)
            if code == "EXISTING_PARTICIPATION_FOUND":
                on_done(True, "Already joined")
            else:
                on_done(False, join_error_text(result))

        with self._guard("join_tournament"):
            self._kgen.join_tournament(uid, on_done=finished)
            return
        on_done(False, "Could not join")

    # -- menus ---------------------------------------------------------------------------------

    def open_panel(self, panel: str | None = None) -> bool:
        """Open the KGeN overlay (its main menu, or one panel: "rewards", "leaderboard", ...)."""
        if self._kgen is None:
            return False
        with self._guard("open_menu"):
            self._kgen.open_menu(panel)
            self.panels_visited.append(panel or "menu")
            return True
        return False

    # -- the plugin's pygame events ------------------------------------------------------------

    def notice_for(self, event: pygame.event.Event) -> Notice | None:
        """Translate a plugin event into something to show the player (None for the rest)."""
        name = self._notice_types.get(event.type)
        return None if name is None else notice_from(name, event.dict)


# (SESSION_READY gets no notice: the plugin's badge already shows the connection.)
NOTICE_EVENTS = ("SANDBOX_SMS", "SESSION_FAILED", "REWARDS_CHANGED", "WALLET_LINKED",
                 "WITHDRAW_DONE", "DELIVERY_PROBLEM")


def _notice_types() -> dict[int, str]:
    """Map the plugin's pygame event type numbers to their names (those it defines)."""
    found = {name: getattr(kgen_events, name, None) for name in NOTICE_EVENTS}
    return {value: name for name, value in found.items() if isinstance(value, int)}
