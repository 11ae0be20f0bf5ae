"""Fonts cached per (face, size) and rendered text cached in an LRU.

Rendering text is the most expensive thing a widget does, so nothing renders
text per frame: widgets ask :class:`TextRenderer` at layout time (or when their
text changes) and the renderer returns the same Surface for the same
``(text, font key, colour)`` until it falls out of the LRU.
"""

from __future__ import annotations

import logging
import os
from collections import OrderedDict
from collections.abc import Sequence

import pygame

logger = logging.getLogger(__name__)

#: (font name or path or None for pygame's default font, pygame font size)
FontKey = tuple[str | None, int]
_ColourKey = tuple[int, ...]

ELLIPSIS = "\u2026"
_FONT_FILE_SUFFIXES = (".ttf", ".otf", ".ttc", ".fon")


class FontCache:
    """Loads each font face and size once. A face that fails to load falls back to the default."""

    def __init__(self) -> None:
        self._fonts: dict[FontKey, pygame.font.Font] = {}
        self._warned: set[str] = set()

    def get(self, key: FontKey) -> pygame.font.Font:
        """The font for ``key``, loaded on first use."""
        font = self._fonts.get(key)
        if font is None:
            font = self._load(key)
            self._fonts[key] = font
        return font

    def __len__(self) -> int:
        return len(self._fonts)

    def _load(self, key: FontKey) -> pygame.font.Font:
        if not pygame.font.get_init():
            pygame.font.init()
        face, size = key
        if face is None:
            return pygame.font.Font(None, size)
        try:
            if os.sep in face or "/" in face or face.lower().endswith(_FONT_FILE_SUFFIXES):
                return pygame.font.Font(face, size)
            return pygame.font.SysFont(face, size)
        except (OSError, pygame.error) as exc:
            if face not in self._warned:
                self._warned.add(face)
                logger.warning(
                    "Font %r could not be loaded (%s); using the default font", face, exc
                )
            return pygame.font.Font(None, size)


class TextCache:
    """An LRU of rendered text surfaces keyed by ``(text, font key, colour)``.

    ``hits`` and ``misses`` count lookups, so tests and benchmarks can check that a
    steady frame renders nothing.
    """

    def __init__(self, fonts: FontCache, max_entries: int = 1024) -> None:
        self._fonts = fonts
        self._entries: OrderedDict[tuple[str, FontKey, _ColourKey], pygame.Surface] = OrderedDict()
        self.max_entries = max(1, max_entries)
        self.hits = 0
        self.misses = 0

    def render(self, text: str, key: FontKey, colour: Sequence[int]) -> pygame.Surface:
        """The rendered surface for ``text``; renders only on a cache miss."""
        cache_key = (text, key, tuple(colour))
        surface = self._entries.get(cache_key)
        if surface is not None:
            self.hits += 1
            self._entries.move_to_end(cache_key)
            return surface
        self.misses += 1
        surface = self._fonts.get(key).render(text, True, cache_key[2])
        self._entries[cache_key] = surface
        if len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        return surface

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        """Drop every cached surface (counters are kept)."""
        self._entries.clear()


class TextRenderer:
    """Fonts, rendered text and text measuring for one UI root."""

    def __init__(self, max_entries: int = 1024) -> None:
        self.fonts = FontCache()
        self.cache = TextCache(self.fonts, max_entries)
        self._widths: OrderedDict[tuple[str, FontKey], int] = OrderedDict()
        self._width_limit = max(256, max_entries * 2)

    def font(self, key: FontKey) -> pygame.font.Font:
        """The cached font for ``key``."""
        return self.fonts.get(key)

    def render(self, text: str, key: FontKey, colour: Sequence[int]) -> pygame.Surface:
        """Rendered text from the LRU (see :class:`TextCache`)."""
        return self.cache.render(text, key, colour)

    def width(self, text: str, key: FontKey) -> int:
        """Pixel width of ``text``; memoised because fitting measures the same strings often."""
        memo_key = (text, key)
        width = self._widths.get(memo_key)
        if width is None:
            width = self.fonts.get(key).size(text)[0]
            self._widths[memo_key] = width
            if len(self._widths) > self._width_limit:
                self._widths.popitem(last=False)
        return width

    def fit(self, text: str, key: FontKey, max_width: int) -> str:
        """``text`` cut with an ellipsis so it is at most ``max_width`` pixels wide."""
        if max_width <= 0:
            return ""
        if self.width(text, key) <= max_width:
            return text
        low, high = 0, len(text)
        while low < high:  # longest prefix that fits with the ellipsis
            middle = (low + high + 1) // 2
            if self.width(text[:middle].rstrip() + ELLIPSIS, key) <= max_width:
                low = middle
            else:
                high = middle - 1
        return text[:low].rstrip() + ELLIPSIS if low else ""

    def wrap(self, text: str, key: FontKey, max_width: int) -> list[str]:
        """Greedy word wrap of ``text`` to ``max_width``; explicit newlines are kept."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            words = paragraph.split()
            if not words:
                lines.append("")
                continue
            line = ""
            for word in words:
                candidate = f"{line} {word}" if line else word
                if self.width(candidate, key) <= max_width or not line:
                    line = candidate
                else:
                    lines.append(line)
                    line = word
                if self.width(line, key) > max_width:  # one word wider than the line
                    line = self.fit(line, key, max_width)
            lines.append(line)
        return lines
