"""The HUD badge: balance and rewards to claim, always in a corner of the game.

While the plugin talks to a sandbox the badge carries a "SANDBOX" tag, so a
build that forgot its KGeN address never passes play money off as real.

It is drawn every frame, so it costs one cheap blit: the pill is re-rendered
only when what it shows changes (checked with an identity comparison of the
state objects each frame), and it is kept as an opaque surface with an RLE
colour key for its rounded corners, which blits about ten times faster than a
per-pixel-alpha surface (0.6 us instead of 6 us at 1280x720 on pygame 2.6;
see benchmarks/frame_cost.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from kgen_pygame.panels.base import SANDBOX_TAG, unchanged
from kgen_pygame.panels.formatting import amount
from kgen_pygame.ui import Badge, HudAnchor, Style, Tone, UIRoot
from kgen_pygame.ui.drawing import new_surface

if TYPE_CHECKING:
    from kgen_pygame.runtime.plugin import OverlayHost

_SEP = "  \u00b7  "
_KEY = (255, 0, 255)  # the colour key: never part of the pill


class HudPill(Badge):
    """A :class:`~kgen_pygame.ui.Badge` baked into an opaque, colour-keyed surface."""

    def __init__(self, text: str, *, tone: Tone, on_click: Callable[[], None]) -> None:
        super().__init__(text, tone=tone, on_click=on_click, translucent=False)

    def layout(self, rect: pygame.Rect, style: Style) -> None:
        super().layout(rect, style)
        pill = self._surface
        if pill is None:
            return
        keyed = new_surface(pill.get_size(), alpha=False)
        keyed.fill(_KEY)
        keyed.blit(pill, (0, 0))
        keyed.set_colorkey(_KEY, pygame.RLEACCEL)
        self._surface = keyed


class HudBadge:
    """Keeps a :class:`~kgen_pygame.ui.Badge` in step with ``kgen.state``."""

    def __init__(
        self, kgen: OverlayHost, ui: UIRoot, anchor: HudAnchor, on_click: Callable[[], None]
    ) -> None:
        self._kgen = kgen
        self.badge = HudPill("KGeN" + _SEP + "connecting...", tone="muted", on_click=on_click)
        ui.set_hud(self.badge, anchor)
        self._seen: tuple[object, ...] | None = None
        #: "offline" after SESSION_FAILED, "setup" when the platform refused the game's
        #: credentials (retrying cannot help), "sync" while score delivery has trouble.
        self.problem: str | None = None
        self._dead_seen = 0
        kgen.on("session_ready", self._on_ready)
        kgen.on("session_failed", self._on_failed)
        kgen.on("delivery_problem", self._on_delivery)

    @property
    def text(self) -> str:
        """What the badge says now."""
        return self.badge.text

    def _on_ready(self, _event: pygame.event.Event) -> None:
        if self.problem in ("offline", "setup"):
            self.problem = None

    def _on_failed(self, _event: pygame.event.Event) -> None:
        # A refused setup (credentials, session provider) is not an outage.
        self.problem = "setup" if self._kgen.state.setup_problem else "offline"

    def _on_delivery(self, event: pygame.event.Event) -> None:
        dead = int(getattr(event, "dead_lettered", 0) or 0)
        if getattr(event, "recovered", False):
            if self.problem == "sync":
                self.problem = None
        elif dead > self._dead_seen:
            self._dead_seen = dead  # one event refused for good: not an outage
        elif self.problem is None:
            self.problem = "sync"

    def update(self) -> None:
        """Re-render the badge only if the state it shows changed (cheap when not)."""
        state = self._kgen.state
        seen = (state.session, state.balance, state.rewards, self.problem, state.sandbox)
        if unchanged(seen, self._seen):
            return
        self._seen = seen
        text, tone = self._describe()
        self.badge.set_text(text, tone=tone)
        self.badge.set_tag(SANDBOX_TAG if state.sandbox else None)

    def _describe(self) -> tuple[str, Tone]:
        state = self._kgen.state
        if state.session is None:
            if self.problem == "setup":
                return "KGeN" + _SEP + "unavailable", "danger"
            if self.problem == "offline":
                return "KGeN" + _SEP + "offline", "warning"
            return "KGeN" + _SEP + "connecting...", "muted"
        tone: Tone = "accent"
        if state.balance is None:
            text = "KGeN" + _SEP + "..."
        else:
            text = f"KGeN  {amount(state.balance_total)}"
        count = state.unclaimed_count
        if count:
            text += _SEP + f"{count} to claim"
            tone = "success"
        if self.problem == "setup":
            # The game's credentials were refused: not an outage, and it will not pass.
            return text + _SEP + "unavailable", "danger"
        if self.problem is not None:
            text += _SEP + "offline"
            tone = "warning"
        return text, tone
