"""Menu widgets for the game's own screens: a focusable list of buttons and panel helpers.

Keyboard/gamepad move the focus, mouse hover focuses, click or confirm selects.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pygame

from demo_game import config
from demo_game.bitmap_font import BitmapFont
from demo_game.controls import Action, PointerEvent

RGB = tuple[int, int, int]

_translucent_cache: dict[tuple[int, int, RGB, int, int], pygame.Surface] = {}


def translucent_rect(size: tuple[int, int], color: RGB, alpha: int,
                     radius: int = 0) -> pygame.Surface:
    """A cached SRCALPHA rounded rectangle (blitting a cached surface is cheap)."""
    key = (size[0], size[1], color, alpha, radius)
    surface = _translucent_cache.get(key)
    if surface is None:
        surface = pygame.Surface(size, pygame.SRCALPHA)
        pygame.draw.rect(surface, (*color, alpha), surface.get_rect(), border_radius=radius)
        if len(_translucent_cache) > 64:
            _translucent_cache.clear()
        _translucent_cache[key] = surface
    return surface


def draw_panel(surface: pygame.Surface, rect: pygame.Rect, *, alpha: int = 215,
               edge: RGB = config.PANEL_EDGE, radius: int = 18) -> None:
    """A dark translucent card with a thin bright border."""
    surface.blit(translucent_rect(rect.size, config.PANEL, alpha, radius), rect)
    pygame.draw.rect(surface, edge, rect, width=2, border_radius=radius)


@dataclass(slots=True)
class MenuItem:
    """A button: label, optional second line and badge, and what it does."""

    label: str
    on_select: Callable[[], object]
    detail: str = ""
    badge: str = ""
    enabled: bool = True


class Menu:
    """A vertical list of buttons centred on `center` (canvas coordinates)."""

    def __init__(self, font: BitmapFont, items: list[MenuItem], center: tuple[int, int], *,
                 width: int = 440, item_height: int = 62, spacing: int = 14, label_scale: int = 3,
                 on_move: Callable[[], object] | None = None) -> None:
        self.font = font
        self.center = center
        self.width = width
        self.item_height = item_height
        self.spacing = spacing
        self.label_scale = label_scale
        self.on_move = on_move
        self.items: list[MenuItem] = []
        self.focus = 0
        self.glow = 0.0
        self.clock = 0.0
        self.set_items(items)

    def set_items(self, items: list[MenuItem], keep_label: str | None = None) -> None:
        """Replace the buttons, keeping focus on `keep_label` if it is still there."""
        self.items = items
        labels = [item.label for item in items]
        if keep_label in labels:
            self.focus = labels.index(keep_label)
        self.focus = max(0, min(self.focus, len(items) - 1))
        if items and not items[self.focus].enabled:
            self._step(1)

    @property
    def focused(self) -> MenuItem | None:
        return self.items[self.focus] if self.items else None

    def rects(self) -> list[pygame.Rect]:
        """Each button's rectangle, in item order."""
        total = len(self.items) * self.item_height + (len(self.items) - 1) * self.spacing
        top = self.center[1] - total // 2
        left = self.center[0] - self.width // 2
        return [pygame.Rect(left, top + i * (self.item_height + self.spacing), self.width,
                            self.item_height) for i in range(len(self.items))]

    def _step(self, delta: int) -> None:
        count = len(self.items)
        for _ in range(count):
            self.focus = (self.focus + delta) % count
            if self.items[self.focus].enabled:
                return

    def select(self) -> None:
        item = self.focused
        if item is not None and item.enabled:
            item.on_select()

    def handle_action(self, action: Action) -> bool:
        """Up/down move the focus, confirm selects. True if the menu used the action."""
        if not self.items:
            return False
        if action in (Action.UP, Action.DOWN):
            self._step(-1 if action is Action.UP else 1)
            self.glow = 1.0
            if self.on_move:
                self.on_move()
            return True
        if action is Action.CONFIRM:
            self.select()
            return True
        return False

    def handle_pointer(self, event: PointerEvent) -> bool:
        """Hover focuses a button; a left click on it selects it."""
        for index, rect in enumerate(self.rects()):
            if not rect.collidepoint(event.pos) or not self.items[index].enabled:
                continue
            if index != self.focus:
                self.focus = index
                self.glow = 1.0
                if self.on_move and event.kind == "move":
                    self.on_move()
            if event.kind == "down" and event.button == 1:
                self.select()
            return True
        return False

    def update(self, dt: float) -> None:
        self.clock += dt
        self.glow = max(0.0, self.glow - dt * 3)

    def draw(self, surface: pygame.Surface) -> None:
        for index, (item, rect) in enumerate(zip(self.items, self.rects(), strict=True)):
            focused = index == self.focus
            self._draw_item(surface, item, rect, focused)

    def _draw_item(self, surface: pygame.Surface, item: MenuItem, rect: pygame.Rect,
                   focused: bool) -> None:
        font = self.font
        if focused:
            pulse = 0.5 + 0.5 * math.sin(self.clock * 5)
            edge = (round(90 + 60 * pulse), 230, 255)
            surface.blit(translucent_rect(rect.inflate(16, 16).size, config.CYAN,
                                          round(30 + 60 * self.glow), 24),
                         rect.inflate(16, 16))
            draw_panel(surface, rect, alpha=235, edge=edge)
        else:
            draw_panel(surface, rect, alpha=170)
        color = config.WHITE if item.enabled else config.DIM
        if focused:
            color = config.CYAN
        has_detail = bool(item.detail)
        label_y = rect.centery - (round(rect.height * 0.17) if has_detail else 0)
        font.draw(surface, item.label, (rect.x + 28, label_y), scale=self.label_scale,
                  color=color, shadow=config.INK, anchor="midleft")
        if has_detail:
            font.draw(surface, item.detail, (rect.x + 28, rect.centery + round(rect.height * 0.25)),
                      scale=2,
                      color=config.DIM if not focused else config.WHITE, anchor="midleft")
        if item.badge:
            badge = font.render(item.badge, 2, config.INK)
            box = badge.get_rect().inflate(16, 10)
            box.midright = (rect.right - 18, rect.centery)
            pygame.draw.rect(surface, config.GREEN, box, border_radius=8)
            surface.blit(badge, badge.get_rect(center=box.center))
        if focused:
            bounce = math.sin(self.clock * 8) * 3
            font.draw(surface, ">", (rect.x + 8 + bounce, label_y), scale=self.label_scale,
                      color=config.CYAN, anchor="midleft")
