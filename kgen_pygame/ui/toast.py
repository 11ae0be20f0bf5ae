"""Short notifications at the top of the screen that dismiss themselves.

Toasts are queued; at most ``max_visible`` show at once and only visible toasts
age. Time comes from ``update(dt)`` (no clock is read), so tests and paused
games behave predictably. Each toast is rendered once into a small surface;
fading uses surface alpha, not re-rendering.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Literal

import pygame

from kgen_pygame.ui.drawing import new_surface
from kgen_pygame.ui.theme import RGB, Style

ToastTone = Literal["info", "success", "warning", "danger"]


@dataclass(eq=False)
class Toast:
    """One notification. ``age`` counts seconds shown; gone after ``duration``."""

    text: str
    tone: ToastTone = "info"
    duration: float = 3.0
    age: float = 0.0
    surface: pygame.Surface | None = field(default=None, repr=False)
    #: The text as drawn (cut to fit the window), once rendered.
    drawn: str = ""

    @property
    def expired(self) -> bool:
        """True once it has been shown for its whole duration."""
        return self.age >= self.duration


class ToastQueue:
    """Queued toasts, drawn top-centre, newest at the bottom of the stack."""

    def __init__(self, *, max_visible: int = 3, fade: float = 0.2) -> None:
        self.max_visible = max(1, max_visible)
        self.fade = fade
        self._queue: deque[Toast] = deque()
        self._style: Style | None = None

    def push(self, text: str, tone: ToastTone = "info", duration: float = 3.0) -> Toast:
        """Queue a toast; returns it (so it can be dismissed early)."""
        toast = Toast(text, tone, max(0.1, duration))
        self._queue.append(toast)
        return toast

    def dismiss(self, toast: Toast) -> None:
        """Remove ``toast`` now."""
        if toast in self._queue:
            self._queue.remove(toast)

    def clear(self) -> None:
        """Remove every toast."""
        self._queue.clear()

    @property
    def visible(self) -> list[Toast]:
        """The toasts on screen now."""
        return list(self._queue)[: self.max_visible]

    def __len__(self) -> int:
        return len(self._queue)

    def __bool__(self) -> bool:
        return bool(self._queue)

    def update(self, dt: float) -> None:
        """Age the visible toasts by ``dt`` seconds and drop the expired ones."""
        for index, toast in enumerate(self._queue):
            if index >= self.max_visible:
                break
            toast.age += dt
        while self._queue and any(t.expired for t in self.visible):
            for toast in self.visible:
                if toast.expired:
                    self._queue.remove(toast)

    def layout(self, style: Style) -> None:
        """Adopt a new style (window size or theme changed): toasts re-render on next draw."""
        self._style = style
        for toast in self._queue:
            toast.surface = None

    def layout_if_needed(self, style: Style) -> None:
        """Adopt ``style`` unless it is the one in use."""
        if style is not self._style:
            self.layout(style)

    def _render(self, toast: Toast, style: Style) -> pygame.Surface:
        theme = style.theme
        tone: RGB = {
            "info": theme.accent,
            "success": theme.success,
            "warning": theme.warning,
            "danger": theme.danger,
        }[toast.tone]
        max_width = style.size[0] - 2 * style.px(40)
        pad_x, pad_y = style.px(18), style.px(12)
        dot = style.px(10)
        text = style.text.fit(toast.text, style.font_key("body"), max_width - 2 * pad_x - 2 * dot)
        toast.drawn = text
        label = style.render(text, "body", theme.text)
        width = label.get_width() + 2 * pad_x + 2 * dot
        height = label.get_height() + 2 * pad_y
        surface = new_surface((width, height), alpha=True)
        surface.fill((0, 0, 0, 0))
        box = surface.get_rect()
        pygame.draw.rect(surface, (*theme.panel, 246), box, border_radius=style.radius)
        pygame.draw.rect(
            surface, (*tone, 255), box, max(1, style.border), border_radius=style.radius
        )
        pygame.draw.circle(surface, (*tone, 255), (pad_x + dot // 2, height // 2), dot // 2)
        surface.blit(label, (pad_x + 2 * dot, pad_y))
        return surface

    def rects(self, surface: pygame.Surface) -> list[pygame.Rect]:
        """Where :meth:`draw` will put the visible toasts on ``surface`` (renders them)."""
        return [rect for _, rect in self._placed(surface)]

    def draw(self, surface: pygame.Surface) -> list[pygame.Rect]:
        """Draw the visible toasts (call after :meth:`layout`); returns where they went."""
        placed = self._placed(surface)
        for image, rect in placed:
            surface.blit(image, rect)
        return [rect for _, rect in placed]

    def _placed(self, surface: pygame.Surface) -> list[tuple[pygame.Surface, pygame.Rect]]:
        style = self._style
        if style is None or not self._queue:
            return []
        placed: list[tuple[pygame.Surface, pygame.Rect]] = []
        y = style.px(24)
        centre = surface.get_width() // 2
        for toast in self.visible:
            if toast.surface is None:
                toast.surface = self._render(toast, style)
            image = toast.surface
            remaining = toast.duration - toast.age
            fraction = min(1.0, toast.age / self.fade, remaining / self.fade) if self.fade else 1.0
            alpha = max(0, min(255, round(255 * fraction)))
            image.set_alpha(alpha)
            placed.append((image, image.get_rect(topleft=(centre - image.get_width() // 2, y))))
            y += image.get_height() + style.spacing
        return placed
