"""The facade a game developer sees: :class:`KGen`.

Three calls a frame (``handle_event``, ``update``, ``draw``), the tracking hooks, and
``close`` at exit. Everything slow happens on the plugin's threads; results come back
inside ``update()``. This module only delegates (see :mod:`kgen_pygame.runtime.plugin`
for the wiring).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Unpack

import pygame

from kgen_pygame.config import KGenConfig, KGenOptions
from kgen_pygame.errors import UsageError
from kgen_pygame.runtime.plugin import Overlay, Plugin

if TYPE_CHECKING:
    from kgen_pygame.actions import Actions
    from kgen_pygame.api.protocol import Capability
    from kgen_pygame.models import Session, Tournament
    from kgen_pygame.runtime.calls import Call
    from kgen_pygame.runtime.core import Endpoint
    from kgen_pygame.runtime.outbox import OutboxReport
    from kgen_pygame.runtime.recorder import EventId
    from kgen_pygame.runtime.state import PlayerState

logger = logging.getLogger(__name__)

EventCallback = Callable[[pygame.event.Event], None]


class KGen:
    """Connects one pygame game to KGeN. Create it after ``pygame.init()``; returns at once
    (the set-up runs on a start-up thread) and never waits on the network.

    Every option (see :class:`~kgen_pygame.config.KGenOptions` and
    ``docs/integration.md``) can also come from a ``KGEN_*`` environment variable. With
    no ``base_url`` the embedded sandbox starts on a free loopback port, so a fresh
    install just works (never in a frozen build unless ``sandbox=True``).
    """

    def __init__(self, **options: Unpack[KGenOptions]) -> None:
        if not pygame.get_init():
            raise UsageError("create KGen after pygame.init()")
        self.config = KGenConfig.resolve(**options)
        self._plugin = Plugin(self.config)

    # -- per frame --------------------------------------------------------------------

    def handle_event(self, event: pygame.event.Event) -> bool:
        """Offer ``event`` to the plugin; True means an open overlay consumed it.

        ``QUIT`` is never consumed.
        """
        plugin = self._plugin
        # A key press may be the hotkey: wait for the overlay's start-up import then.
        overlay = plugin.wait_overlay() if event.type == pygame.KEYDOWN else plugin.overlay
        if overlay is None or not plugin.active or event.type == pygame.QUIT:
            return False
        try:
            return overlay.handle_event(event)
        except Exception:
            logger.exception("the KGeN overlay failed to handle an event")
            return False

    def update(self, dt: float | None = None) -> None:
        """Deliver background results (callbacks, events) and animate the overlays.

        ``dt`` is the frame time in **seconds** (``clock.tick(60) / 1000``); leave it out
        and the plugin measures it. A value over 2 is taken for milliseconds, with a
        warning (``clock.tick()`` returns milliseconds).
        """
        plugin = self._plugin
        if not plugin.active:
            return
        seconds = plugin.frame(dt)
        overlay = plugin.overlay
        if overlay is not None:
            try:
                overlay.update(seconds)
            except Exception:
                logger.exception("the KGeN overlay failed to update")

    def draw(self, surface: pygame.Surface) -> list[pygame.Rect]:
        """Draw the HUD badge and any open overlay on top of the game.

        Returns the rectangles it changed, including, on the frame an overlay closes,
        the area the game must repaint: a dirty-rect game passes them to
        ``pygame.display.update``; a game that flips the whole screen ignores them.
        """
        plugin = self._plugin
        if not plugin.active:
            return []
        plugin.pacer.frame_drawn()
        overlay = plugin.overlay_to_draw()
        if overlay is None:
            return []
        try:
            return list(overlay.draw(surface) or ())
        except Exception:
            logger.exception("the KGeN overlay failed to draw")
            return []

    # -- tracking ------------------------------------------------------------------------

    def track_score(self, value: int, tournament_id: str | None = None, **metadata: Any) -> EventId:
        """Record the player's score (a whole number); durable on return.

        The score goes to ``tournament_id`` when given, else to every live tournament
        the player joined. Returns the event id; its ``durable`` attribute is False
        while it waits in memory because the outbox file cannot be written.
        """
        if tournament_id is not None:
            metadata["tournamentId"] = tournament_id
            self._plugin.notifier.state.playing_tournament_id = tournament_id
        return self._track("track_score", "score", value, metadata)

    def track(self, kind: str, value: Any, **metadata: Any) -> EventId:
        """Record any event kind of :mod:`kgen_pygame.event_contract`; durable on return.

        Raises :class:`~kgen_pygame.errors.InvalidEventError` (a ``ValueError``) naming
        the mistake, before anything is stored.
        """
        return self._track("track", kind, value, metadata)

    def reward_event(self, event_id: str, **metadata: Any) -> EventId:
        """The player reached the rewardable event ``event_id``: earn its loyalty reward.

        Goes through the same durable outbox as scores, with the same idempotency key on
        every try; ``LOYALTY_REWARDED`` says when it paid out, ``EVENT_REFUSED`` if the
        platform refused it (unknown or inactive event). Current generation only.
        """
        return self._track("reward_event", "reward", event_id, metadata)

    def _track(self, method: str, kind: str, value: Any, metadata: dict[str, Any]) -> EventId:
        if self._plugin.closed:
            raise UsageError(f"KGen.{method}() called after close()")
        return self._plugin.track(kind, value, metadata)  # type: ignore[return-value]

    # -- overlays ---------------------------------------------------------------------------

    def open_menu(self, panel: str | None = None, *, tournament_id: str | None = None) -> None:
        """Open the KGeN menu, or one panel of it by name (``"rewards"``, ``"withdraw"``,
        ``"link"``, ``"tournaments"``, ``"leaderboard"``, ``"history"``, ``"stats"``,
        ``"earned"``); ``ValueError`` lists the names for an unknown one.

        ``tournament_id`` picks the tournament for ``"leaderboard"`` and
        ``"tournaments"`` (its details).
        """
        overlay = self._plugin.wait_overlay()
        if overlay is None:
            raise UsageError("this KGen was made with overlays=False (or its overlay failed)")
        overlay.open(panel, tournament_id=tournament_id)

    def close_menu(self) -> None:
        """Close any open KGeN overlay."""
        if self._plugin.overlay is not None:
            self._plugin.overlay.close()

    @property
    def overlay_open(self) -> bool:
        """True while a KGeN overlay covers the game."""
        overlay = self._plugin.overlay
        return overlay is not None and overlay.is_open

    @property
    def should_pause(self) -> bool:
        """True while the game should pause its simulation and ignore polled input
        (``pygame.key.get_pressed()``, mouse and joystick state): an overlay is open."""
        overlay = self._plugin.overlay
        return overlay is not None and overlay.wants_pause

    def pressed_keys(self) -> Sequence[bool]:
        """``pygame.key.get_pressed()``, or all False while :attr:`should_pause`: a game
        that polls keys reads this instead and stops moving under an open overlay."""
        keys = pygame.key.get_pressed()
        return type(keys)([False] * len(keys)) if self.should_pause else keys

    @property
    def overlay(self) -> Overlay | None:
        """The overlay object (for tests and tools), or None with ``overlays=False``."""
        return self._plugin.wait_overlay()

    # -- state ------------------------------------------------------------------------------

    @property
    def actions(self) -> Actions:
        """Non-blocking API calls (each returns a :class:`~kgen_pygame.Call`)."""
        return self._plugin.actions

    @property
    def state(self) -> PlayerState:
        """The player's KGeN state as last known (game thread only)."""
        return self._plugin.notifier.state

    @property
    def ready(self) -> bool:
        """True once a session exists."""
        return self.state.session is not None

    @property
    def session(self) -> Session | None:
        """The current session (its token is not for display)."""
        return self.state.session

    @property
    def gamer_id(self) -> str:
        """The player's id: the platform's once a session exists (through a broker, the one
        it derived), before that the id this install made for itself."""
        session = self.state.session
        if session is not None and session.gamer_id:
            return session.gamer_id
        return self._plugin.gamer_id

    @property
    def sandbox(self) -> bool:
        """True when talking to a sandbox (play money): show it, never hide it."""
        return self.state.sandbox

    @property
    def endpoint(self) -> Endpoint | None:
        """Where the plugin talks to, once resolved (its repr shows no credentials)."""
        return self._plugin.runtime.endpoint

    @property
    def active_tournaments(self) -> list[Tournament]:
        """Live tournaments as last fetched (refreshed in the background)."""
        return list(self.state.tournaments)

    @property
    def joined_tournament_ids(self) -> set[str]:
        """Tournaments the player joined, as last fetched."""
        return set(self.state.joined_ids)

    def supports(self, capability: Capability) -> bool:
        """True when the configured API generation offers ``capability``."""
        return self._plugin.actions.supports(capability)

    def join_tournament(self, uid: str, on_done: Callable[[Any], None] | None = None) -> Call[str]:
        """Join a tournament; ``on_done`` gets the server's message or the error."""
        call = self.actions.join_tournament(uid)
        if on_done is not None:
            call.on_done(lambda c: on_done(c.result if c.ok else c.error))
        return call

    @property
    def pending_events(self) -> int:
        """Events captured but not yet acknowledged (a COUNT: for a status screen)."""
        return self._plugin.recorder.pending_count()

    @property
    def durability(self) -> str:
        """How tracked events are committed, read back from SQLite: ``"crash-safe"``
        (they survive the game being killed) or ``"power-loss-safe"`` (also a power
        cut: ``power_loss_safe=True``, one disk flush per event); a "not stored: ..."
        text while the outbox file could not be opened."""
        return self._plugin.recorder.durability

    def delivery_report(self, dead_letter_limit: int = 100) -> Call[OutboxReport]:
        """What the outbox holds: pending events, dead letters with their reasons, and
        what the bounds dropped. Read in the background."""
        return self._plugin.report(dead_letter_limit)

    def requeue_dead_letters(self, event_ids: list[str] | None = None) -> Call[int]:
        """Send refused events again (all, or the given ids) after fixing the cause."""
        return self._plugin.requeue(event_ids)

    def on(self, name: str, callback: EventCallback) -> None:
        """Call ``callback(event)`` on the game thread for a named plugin event.

        Names: :data:`kgen_pygame.events.BY_NAME`; the same events are also posted to
        pygame's queue.
        """
        self._plugin.notifier.on(name, callback)

    # -- shutdown -------------------------------------------------------------------------

    def close(self, timeout: float = 2.0) -> None:
        """Try to deliver pending events within ``timeout`` seconds, then stop.

        Never hangs: whatever is left stays in the outbox for the next launch.
        """
        self._plugin.close(timeout)

    def __enter__(self) -> KGen:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


__all__ = ["KGen"]
