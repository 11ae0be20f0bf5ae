"""The last picture of a panel, shown for the frames in which it is laid out again.

When an answer arrives, the panel's callback changes its widgets (a 5,000-row table
replaces "Loading..."), which asks for a new layout. Laying the view out and painting
it in the frame that also ran the callback costs more than a frame's share (see
``benchmarks/big_lists.py``), so the work is spread over three frames:

1. the callback runs; the view shows the picture it had last frame;
2. the view is laid out (and its chrome redrawn if it moved); the same picture again;
3. the view is painted as it now is.

The picture is the part of the panel painted opaque every frame
(:meth:`~kgen_pygame.ui.widget.Widget.opaque_rect`), copied after each full draw; the
translucent backdrop and the chrome around it come from the view's layer as usual, so
the game keeps moving behind the panel. The player sees the new content two frames
(about 33 ms at 60 fps) later than it arrived. A view that keeps asking for layout is
laid out and painted together every third frame: it never waits longer.
"""

from __future__ import annotations

import pygame

from kgen_pygame.ui.drawing import new_surface


class HeldFrame:
    """A copy of one view's opaque area, and where the view is in a spread re-layout."""

    __slots__ = ("_area", "_copy", "stage")

    def __init__(self) -> None:
        self._area: pygame.Rect | None = None
        self._copy: pygame.Surface | None = None
        #: 0: drawn as it is; 1: held while its callback ran; 2: held while laid out.
        self.stage = 0

    def keep(self, surface: pygame.Surface, area: pygame.Rect | None) -> None:
        """Copy ``area`` of ``surface`` (just drawn) as the picture to hold next time."""
        area = area.clip(surface.get_rect()) if area is not None else None
        if area is None or not area.width or not area.height:
            self._area = None
            return
        if self._copy is None or self._copy.get_size() != area.size:
            self._copy = new_surface(area.size, alpha=False)
        self._copy.blit(surface, (0, 0), area)
        self._area = area

    def can_hold(self, area: pygame.Rect | None) -> bool:
        """True when a picture of ``area`` (where the view now is) is kept."""
        return self._copy is not None and self._area is not None and self._area == area

    def show(self, surface: pygame.Surface) -> None:
        """Blit the held picture where it was taken."""
        if self._copy is not None and self._area is not None:
            surface.blit(self._copy, self._area)
