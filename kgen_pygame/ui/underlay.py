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

from kgen_pygame.ui.drawing import touch_band

logger = logging.getLogger(__name__)


def _copy(source: pygame.Surface, area: pygame.Rect, target: pygame.Surface,
          at: tuple[int, int]) -> None:
    """Copy ``area`` of ``source`` to ``at`` on ``target``, pixels exactly."""
    if target.get_flags() & pygame.SRCALPHA:
        # A plain blit onto a per-pixel-alpha target blends; clear and add copies.
        target.fill((0, 0, 0, 0), pygame.Rect(at, area.size))
        target.blit(source, at, area, special_flags=pygame.BLEND_RGBA_ADD)
    else:
        target.blit(source, at, area)


#: Buffers kept for reuse, by size (the HUD, the full screen, a few toasts).
_MAX_BUFFERS = 8


class Underlay:
    """The pixels under what the overlay drew last, for one target surface.

    One buffer per covered rectangle, reused while its size stays (the HUD badge
    and the full-screen backdrop keep theirs), so a steady frame allocates nothing.
    """

    def __init__(self) -> None:
        self._target: pygame.Surface | None = None
        self._held: list[tuple[pygame.Rect, pygame.Surface]] = []
        self._buffers: dict[tuple[tuple[int, int], int, bool], list[pygame.Surface]] = {}
        #: Rectangles put back since the last draw (the game must present them).
        self._restored: list[pygame.Rect] = []
        self._reserved: pygame.Surface | None = None  # made ahead by reserve()

    @property
    def saved(self) -> tuple[pygame.Rect, ...]:
        """The rectangles held (what the last draw covered)."""
        return tuple(rect for rect, _ in self._held)

    def save(self, surface: pygame.Surface, rects: Sequence[pygame.Rect]) -> None:
        """Keep the pixels of ``surface`` under ``rects`` (call just before painting them).

        Puts back what an earlier save held first, if nothing did since.
        """
        self.restore()
        bounds = surface.get_rect()
        for rect in rects:
            area = rect.clip(bounds)
            if area.width and area.height:
                buffer = self._buffer(surface, area.size)
                _copy(surface, area, buffer, (0, 0))
                self._held.append((area, buffer))
        if self._held:
            self._target = surface

    def restore(self) -> list[pygame.Rect]:
        """Put the held pixels back; returns the rectangles restored (none if nothing held)."""
        target, held = self._target, self._held
        self._target, self._held = None, []
        if target is None or not held:
            return []
        restored = [area for area, _ in held]
        try:
            bounds = target.get_rect()
            if not all(bounds.contains(area) for area in restored):
                return []  # the window shrank: the game repaints it anyway
            for area, buffer in held:
                _copy(buffer, buffer.get_rect(), target, area.topleft)
        except pygame.error:
            logger.debug("the surface the overlay drew on is gone; nothing to restore")
            return []
        finally:
            for _, buffer in held:
                self._release(buffer)
        self._restored.extend(restored)
        return restored

    def take_restored(self) -> list[pygame.Rect]:
        """The rectangles restored since the last call (then forgets them)."""
        restored, self._restored = self._restored, []
        return restored

    def reserve(self, surface: pygame.Surface) -> None:
        """Make the buffer a full-screen cover of ``surface`` needs now, so the frame a
        panel first opens does not pay for it; :meth:`touch_reserved` maps its memory."""
        buffer = self._buffer(surface, surface.get_size())
        self._reserved = buffer
        self._release(buffer)

    def touch_reserved(self, part: int, parts: int) -> None:
        """Write band ``part`` of ``parts`` of the reserved buffer while it is unused."""
        buffer = self._reserved
        if buffer is not None and any(buffer is free for pool in self._buffers.values()
                                      for free in pool):
            touch_band(buffer, part, parts)
        else:
            self._reserved = None  # in use, or dropped from the pool: leave it be

    def _buffer(self, surface: pygame.Surface, size: tuple[int, int]) -> pygame.Surface:
        key = (size, surface.get_bitsize(), bool(surface.get_flags() & pygame.SRCALPHA))
        free = self._buffers.get(key)
        if free:
            return free.pop()
        return pygame.Surface(size, surface.get_flags() & pygame.SRCALPHA, surface)

    def _release(self, buffer: pygame.Surface) -> None:
        key = (buffer.get_size(), buffer.get_bitsize(),
               bool(buffer.get_flags() & pygame.SRCALPHA))
        if key not in self._buffers and len(self._buffers) >= _MAX_BUFFERS:
            self._buffers.clear()  # sizes keep changing (toasts, resizes): start over
        self._buffers.setdefault(key, []).append(buffer)


def merge(drawn: Sequence[pygame.Rect], restored: Sequence[pygame.Rect]) -> list[pygame.Rect]:
    """``drawn`` plus the ``restored`` rectangles no drawn one already contains."""
    merged = list(drawn)
    merged.extend(rect for rect in restored if not any(d.contains(rect) for d in drawn))
    return merged
