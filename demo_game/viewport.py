"""Letterboxing: fit the fixed logical canvas into any window size and map mouse positions back."""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from demo_game.config import CANVAS_SIZE


@dataclass(frozen=True, slots=True)
class Viewport:
    """Where the canvas lands inside the window, keeping its aspect ratio (bars fill the rest)."""

    window_size: tuple[int, int]
    canvas_size: tuple[int, int] = CANVAS_SIZE

    @property
    def scale(self) -> float:
        ww, wh = self.window_size
        cw, ch = self.canvas_size
        return max(1e-6, min(ww / cw, wh / ch))

    @property
    def rect(self) -> pygame.Rect:
        """The canvas's rectangle in window pixels (centred)."""
        ww, wh = self.window_size
        cw, ch = self.canvas_size
        w = max(1, round(cw * self.scale))
        h = max(1, round(ch * self.scale))
        return pygame.Rect((ww - w) // 2, (wh - h) // 2, w, h)

    def to_canvas(self, pos: tuple[float, float]) -> tuple[float, float] | None:
        """Window position -> canvas position; None when it falls on a letterbox bar."""
        rect = self.rect
        x = (pos[0] - rect.x) / rect.width * self.canvas_size[0]
        y = (pos[1] - rect.y) / rect.height * self.canvas_size[1]
        if 0 <= x < self.canvas_size[0] and 0 <= y < self.canvas_size[1]:
            return (x, y)
        return None

    def to_window(self, pos: tuple[float, float]) -> tuple[int, int]:
        """Canvas position -> window position (tests and the bot use this to aim clicks)."""
        rect = self.rect
        return (
            round(rect.x + pos[0] / self.canvas_size[0] * rect.width),
            round(rect.y + pos[1] / self.canvas_size[1] * rect.height),
        )

    def present(self, canvas: pygame.Surface, window: pygame.Surface,
                bar_color: tuple[int, int, int]) -> None:
        """Draw the canvas onto the window, scaled, with bars around it."""
        rect = self.rect
        if rect.size == canvas.get_size():
            if rect.topleft != (0, 0) or rect.size != window.get_size():
                window.fill(bar_color)
            window.blit(canvas, rect)
            return
        window.fill(bar_color)
        if rect.width < canvas.get_width():
            scaled = pygame.transform.smoothscale(canvas, rect.size)
        else:
            scaled = pygame.transform.scale(canvas, rect.size)
        window.blit(scaled, rect)
