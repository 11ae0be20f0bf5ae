"""A busy indicator: a ring of dots with a travelling bright head, and an optional caption."""

from __future__ import annotations

import math

import pygame

from kgen_pygame.ui.colours import mix
from kgen_pygame.ui.theme import RGB, Style
from kgen_pygame.ui.widget import Widget

_DOTS = 10
_TURNS_PER_SECOND = 0.9


class Spinner(Widget):
    """Animated while visible (advance with ``update(dt)``); ``text`` is shown beneath."""

    def __init__(self, text: str = "", *, size: float = 44, grow: float = 0.0) -> None:
        super().__init__(grow=grow)
        self._text = text
        self.size = size
        self._phase = 0.0
        self._points: list[tuple[int, int]] = []
        self._colours: list[RGB] = []
        self._dot_radius = 1
        self._caption: pygame.Surface | None = None
        self._fitted = ""
        self._caption_top = 0

    @property
    def text(self) -> str:
        """The caption under the dots."""
        return self._text

    @text.setter
    def text(self, value: str) -> None:
        if value != self._text:
            self._text = value
            self._render_caption()

    def measure(self, style: Style, width: int) -> tuple[int, int]:
        height = style.px(self.size)
        text_width = 0
        if self._text:
            height += style.spacing + style.line_height("small")
            text_width = style.text_width(self._text, "small")
        return (max(style.px(self.size), text_width), height)

    def layout(self, rect: pygame.Rect, style: Style) -> None:
        super().layout(rect, style)
        diameter = style.px(self.size)
        block = diameter + (style.spacing + style.line_height("small") if self._text else 0)
        top = self.rect.centery - block // 2
        centre = (self.rect.centerx, top + diameter // 2)
        self._dot_radius = max(2, diameter // 9)
        orbit = diameter // 2 - self._dot_radius
        self._points = [
            (
                centre[0] + round(orbit * math.sin(2 * math.pi * i / _DOTS)),
                centre[1] - round(orbit * math.cos(2 * math.pi * i / _DOTS)),
            )
            for i in range(_DOTS)
        ]
        # Colours from the bright head back along the tail, fading into the panel.
        theme = style.theme
        self._colours = [
            mix(theme.accent, theme.panel, 0.12 + 0.8 * i / _DOTS) for i in range(_DOTS)
        ]
        self._caption_top = top + diameter + style.spacing
        self._render_caption()

    def _render_caption(self) -> None:
        style = self.style
        if style is None or not self._text:
            self._caption = None
            return
        fitted = style.text.fit(self._text, style.font_key("small"), self.rect.width)
        self._fitted = fitted
        self._caption = style.render(fitted, "small", style.theme.text_muted)

    def own_texts(self) -> tuple[str, ...]:
        return (self._fitted,) if self._caption is not None and self._fitted else ()

    def update(self, dt: float) -> None:
        self._phase = (self._phase + dt * _TURNS_PER_SECOND) % 1.0

    def draw(self, surface: pygame.Surface) -> None:
        if not self._points:
            return
        head = int(self._phase * _DOTS)
        for i, point in enumerate(self._points):
            behind = (head - i) % _DOTS
            radius = self._dot_radius if behind else self._dot_radius + 1
            pygame.draw.circle(surface, self._colours[behind], point, radius)
        if self._caption is not None:
            x = self.rect.centerx - self._caption.get_width() // 2
            surface.blit(self._caption, (x, self._caption_top))
