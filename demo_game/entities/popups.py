"""Floating score popups ("+30") and the big centre banners ("SPEED UP!")."""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from demo_game.bitmap_font import BitmapFont

RGB = tuple[int, int, int]


@dataclass(slots=True)
class Popup:
    """A piece of text that rises and fades; it pops in slightly larger for a few frames."""

    image: pygame.Surface
    big: pygame.Surface
    x: float
    y: float
    vy: float
    life: float
    max_life: float


class Popups:
    """Score popups in world space."""

    def __init__(self, font: BitmapFont) -> None:
        self.font = font
        self.items: list[Popup] = []

    def add(self, text: str, pos: tuple[float, float], color: RGB, *, scale: int = 3,
            life: float = 0.9, rise: float = 70.0) -> None:
        image = self.font.render(text, scale, color, shadow=(20, 10, 40)).copy()
        big = self.font.render(text, scale + 1, color, shadow=(20, 10, 40)).copy()
        self.items.append(Popup(image, big, pos[0], pos[1], -rise, life, life))

    def update(self, dt: float) -> None:
        for item in self.items:
            item.life -= dt
            item.y += item.vy * dt
            item.vy *= 0.96
        self.items = [item for item in self.items if item.life > 0]

    def draw(self, surface: pygame.Surface, offset: tuple[float, float] = (0.0, 0.0)) -> None:
        for item in self.items:
            age = item.max_life - item.life
            image = item.big if age < 0.08 else item.image
            fade = min(1.0, item.life / (item.max_life * 0.45))
            image.set_alpha(round(255 * fade))
            rect = image.get_rect(center=(round(item.x + offset[0]), round(item.y + offset[1])))
            surface.blit(image, rect)
