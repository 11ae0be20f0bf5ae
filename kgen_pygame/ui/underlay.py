"""What the overlay painted over, kept so it can be put back: dirty-rect games stay clean.

A game that presents only the rectangles it changed (``RenderUpdates``,
``group.clear``, ``display.update(rects)``) never repaints the area under the HUD,
a panel's translucent backdrop or a toast. Drawn there every frame, a translucent
layer would darken further each frame, and after it closes its pixels would stay.
So before painting, :meth:`Underlay.save` copies the pixels about to be covered into
one backing surface, and :meth:`Underlay.restore` puts them back before the game
draws its next frame (``KGen.update``), or at the latest before the next draw.

Cost (full screen while a panel is open): one copy in and one copy out per frame,
measured in benchmarks/constructor_cost.py.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pygame

logger = logging.getLogger(__name__)


def _copy(source: pygame.Surface, target: pygame.Surface, rect: pygame.Rect) -> None:
    """Copy ``rect`` of ``source`` into the same place of ``target``, pixels exactly."""
    if target.get_flags() & pygame.SRCALPHA:
        # A plain blit onto a per-pixel-alpha target blends; clear and add copies.
        target.fill((0, 0, 0, 0), rect)
        target.blit(source, rect, rect, special_flags=pygame.BLEND_RGBA_ADD)
    else:
        target.blit(source, rect, rect)


class Underlay:
    """The pixels under what the overlay drew last, for one target surface."""

    def __init__(self) -> None:
        self._target: pygame.Surface | None = None
        self._backing: pygame.Surface | None = None
        self._saved: list[pygame.Rect] = []
        #: Rectangles put back since the last draw (the game must present them).
        self._restored: list[pygame.Rect] = []

    @property
    def saved(self) -> tuple[pygame.Rect, ...]:
        """The rectangles held (what the last draw covered)."""
        return tuple(self._saved)

    def save(self, surface: pygame.Surface, rects: Sequence[pygame.Rect]) -> None:
        """Keep the pixels of ``surface`` under ``rects`` (call just before painting them)."""
        self.restore()
        bounds = surface.get_rect()
        kept = [rect.clip(bounds) for rect in rects]
        kept = [rect for rect in kept if rect.width and rect.height]
        if not kept:
            return
        backing = self._backing
        if (
            backing is None
            or backing.get_size() != surface.get_size()
            or backing.get_bitsize() != surface.get_bitsize()
            or (backing.get_flags() ^ surface.get_flags()) & pygame.SRCALPHA
        ):
            backing = self._backing = pygame.Surface(surface.get_size(), surface.get_flags(),
                                                     surface)
        for rect in kept:
            _copy(surface, backing, rect)
        self._target = surface
        self._saved = kept

    def restore(self) -> list[pygame.Rect]:
        """Put the held pixels back; returns the rectangles restored (none if nothing held)."""
        target, backing, saved = self._target, self._backing, self._saved
        self._saved = []
        self._target = None
        if target is None or backing is None or not saved:
            return []
        try:
            if target.get_size() != backing.get_size():
                return []  # the window was resized: the game repaints it anyway
            for rect in saved:
                _copy(backing, target, rect)
        except pygame.error:
            logger.debug("the surface the overlay drew on is gone; nothing to restore")
            return []
        self._restored.extend(saved)
        return saved

    def take_restored(self) -> list[pygame.Rect]:
        """The rectangles restored since the last call (then forgets them)."""
        restored, self._restored = self._restored, []
        return restored

    def forget(self) -> None:
        """Drop what is held without putting it back (the surface was repainted or lost)."""
        self._saved = []
        self._target = None
        self._restored = []


def merge(drawn: Sequence[pygame.Rect], restored: Sequence[pygame.Rect]) -> list[pygame.Rect]:
    """``drawn`` plus the ``restored`` rectangles no drawn one already contains."""
    merged = list(drawn)
    merged.extend(rect for rect in restored if not any(d.contains(rect) for d in drawn))
    return merged
