"""Text rendering with the game's own pixel font (assets/fonts/kgen_pixel.png + .json).

The sheet holds white glyphs for ASCII 32..126 in a grid; the JSON file gives the cell size and
each glyph's width (the font is proportional). Rendered strings are cached, so drawing the same
label every frame costs one blit.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import pygame

from demo_game.paths import FONT_IMAGE, FONT_METRICS

ColorValue = tuple[int, int, int]

_CACHE_LIMIT = 768


@dataclass(frozen=True, slots=True)
class FontMetrics:
    """Layout of the glyph sheet."""

    cell_width: int
    cell_height: int
    columns: int
    first_char: int
    last_char: int
    glyph_height: int
    line_height: int
    letter_spacing: int
    widths: tuple[int, ...]

    @classmethod
    def from_json(cls, text: str) -> FontMetrics:
        data = json.loads(text)
        metrics = cls(
            cell_width=int(data["cell_width"]),
            cell_height=int(data["cell_height"]),
            columns=int(data["columns"]),
            first_char=int(data["first_char"]),
            last_char=int(data["last_char"]),
            glyph_height=int(data["glyph_height"]),
            line_height=int(data["line_height"]),
            letter_spacing=int(data["letter_spacing"]),
            widths=tuple(int(w) for w in data["widths"]),
        )
        if len(metrics.widths) != metrics.last_char - metrics.first_char + 1:
            raise ValueError("font metrics: one width per glyph expected")
        return metrics


class BitmapFont:
    """Renders strings from a glyph sheet; results are cached per (text, scale, colours)."""

    def __init__(self, sheet: pygame.Surface, metrics: FontMetrics) -> None:
        self._sheet = sheet
        self.metrics = metrics
        self._cache: OrderedDict[tuple[object, ...], pygame.Surface] = OrderedDict()
        self._fallback = ord("?")

    @classmethod
    def load(cls, image: Path = FONT_IMAGE, metrics: Path = FONT_METRICS) -> BitmapFont:
        """Load the sheet and metrics (convert_alpha() when a display exists)."""
        sheet = pygame.image.load(str(image))
        if pygame.display.get_init() and pygame.display.get_surface() is not None:
            sheet = sheet.convert_alpha()
        return cls(sheet, FontMetrics.from_json(metrics.read_text(encoding="utf-8")))

    # -- measuring ------------------------------------------------------------------------------

    def _code(self, char: str) -> int:
        code = ord(char)
        m = self.metrics
        return code if m.first_char <= code <= m.last_char else self._fallback

    def _advance(self, code: int) -> int:
        return self.metrics.widths[code - self.metrics.first_char] + self.metrics.letter_spacing

    def line_width(self, line: str) -> int:
        """Width in unscaled pixels of one line (without the trailing letter spacing)."""
        if not line:
            return 0
        return sum(self._advance(self._code(c)) for c in line) - self.metrics.letter_spacing

    def size(self, text: str, scale: int = 1) -> tuple[int, int]:
        """Size of `text` rendered at `scale` (no shadow)."""
        lines = text.split("\n")
        width = max(self.line_width(line) for line in lines)
        height = self.metrics.glyph_height + (len(lines) - 1) * self.metrics.line_height
        return max(1, width) * scale, height * scale

    # -- rendering ------------------------------------------------------------------------------

    def _white(self, text: str) -> pygame.Surface:
        key: tuple[object, ...] = ("white", text)
        cached = self._lookup(key)
        if cached is not None:
            return cached
        m = self.metrics
        width, height = self.size(text)
        surface = pygame.Surface((width, height), pygame.SRCALPHA)
        for row, line in enumerate(text.split("\n")):
            x = 0
            y = row * m.line_height
            for char in line:
                code = self._code(char)
                index = code - m.first_char
                src = pygame.Rect(
                    (index % m.columns) * m.cell_width,
                    (index // m.columns) * m.cell_height,
                    m.widths[index],
                    m.glyph_height,
                )
                surface.blit(self._sheet, (x, y), src)
                x += self._advance(code)
        return self._store(key, surface)

    def render(
        self,
        text: str,
        scale: int = 2,
        color: ColorValue = (255, 255, 255),
        shadow: ColorValue | None = None,
    ) -> pygame.Surface:
        """Render `text` (may contain newlines) at an integer `scale`.

        `shadow` adds a one-pixel (scaled) drop shadow in that colour. The returned surface is
        shared by the cache: blit it, do not draw on it (copy() first to change its alpha).
        """
        scale = max(1, int(scale))
        key: tuple[object, ...] = (text, scale, color, shadow)
        cached = self._lookup(key)
        if cached is not None:
            return cached
        base = self._white(text)
        size = (base.get_width() * scale, base.get_height() * scale)
        face = pygame.transform.scale(base, size)
        if color != (255, 255, 255):
            face = face.copy()
            face.fill((*color, 255), special_flags=pygame.BLEND_RGBA_MULT)
        if shadow is None:
            return self._store(key, face)
        out = pygame.Surface((size[0] + scale, size[1] + scale), pygame.SRCALPHA)
        shade = pygame.transform.scale(base, size)
        shade.fill((*shadow, 255), special_flags=pygame.BLEND_RGBA_MULT)
        out.blit(shade, (scale, scale))
        out.blit(face, (0, 0))
        return self._store(key, out)

    def draw(
        self,
        surface: pygame.Surface,
        text: str,
        pos: tuple[float, float],
        *,
        scale: int = 2,
        color: ColorValue = (255, 255, 255),
        shadow: ColorValue | None = None,
        anchor: str = "topleft",
    ) -> pygame.Rect:
        """Render and blit `text` with its `anchor` (any pygame.Rect point name) at `pos`."""
        image = self.render(text, scale, color, shadow)
        rect = image.get_rect()
        setattr(rect, anchor, (round(pos[0]), round(pos[1])))
        surface.blit(image, rect)
        return rect

    # -- cache ----------------------------------------------------------------------------------

    def _lookup(self, key: tuple[object, ...]) -> pygame.Surface | None:
        surface = self._cache.get(key)
        if surface is not None:
            self._cache.move_to_end(key)
        return surface

    def _store(self, key: tuple[object, ...], surface: pygame.Surface) -> pygame.Surface:
        self._cache[key] = surface
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.popitem(last=False)
        return surface

    @property
    def cache_size(self) -> int:
        """Number of cached renders (for tests and diagnostics)."""
        return len(self._cache)
