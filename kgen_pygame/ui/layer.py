"""A view's cached full-screen layer: translucent backdrop plus static chrome.

Built once per layout (never per frame) and blitted every frame with one
per-pixel-alpha blit: the cheapest way found to dim the game and show a
panel at the same time (see benchmarks/ui_frame_cost.py). Splitting it into an
opaque core plus alpha bands was measured and is slower in a real frame loop,
where the blit is bound by memory bandwidth.
"""

from __future__ import annotations

import pygame

from kgen_pygame.ui.drawing import new_surface, touch_band
from kgen_pygame.ui.theme import RGBA


class ViewLayer:
    """The cached backdrop and chrome of one view for one surface size."""

    def __init__(self, size: tuple[int, int]) -> None:
        self.size = size
        self.surface = new_surface(size, alpha=True)
        #: What the chrome drawn on it was drawn for (the backdrop and the view's
        #: ``static_key()``); None until then, and after :meth:`begin` until it is set.
        self.drawn_for: object = None

    def touch(self, part: int, parts: int) -> None:
        """Write band ``part`` of ``parts`` once, so the first paint finds its memory
        mapped (a fresh surface's pages fault on first write: about 1.5 ms in all)."""
        touch_band(self.surface, part, parts)

    def begin(self, fill: RGBA) -> pygame.Surface:
        """Clear to ``fill`` and return the surface to draw the chrome on."""
        self.drawn_for = None
        self.surface.fill(fill)
        return self.surface

    def blit(self, target: pygame.Surface) -> None:
        """Draw the layer onto ``target`` (the whole screen)."""
        target.blit(self.surface, (0, 0))
