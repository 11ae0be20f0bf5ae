"""The backdrop: a gradient sky with soft nebulae and three layers of drifting stars."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import pygame

from demo_game import config
from demo_game.sprites import Sprites


def make_background(sprites: Sprites, size: tuple[int, int], seed: int = 3) -> pygame.Surface:
    """Render the static sky once: vertical gradient plus a few large additive nebula glows."""
    width, height = size
    sky = pygame.Surface(size)
    top, bottom = config.BACKGROUND_TOP, config.BACKGROUND_BOTTOM
    for y in range(height):
        t = y / max(1, height - 1)
        color = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        pygame.draw.line(sky, color, (0, y), (width, y))
    rng = random.Random(seed)
    nebulae = [((40, 20, 90), 0.8), ((90, 20, 80), 0.7), ((10, 50, 100), 0.7),
               ((60, 30, 110), 0.6)]
    for color, strength in nebulae:
        diameter = rng.randint(height // 2, height + height // 3)
        glow = pygame.transform.smoothscale(sprites.glow, (diameter, diameter))
        glow.fill(tuple(round(c * strength) for c in color), special_flags=pygame.BLEND_MULT)
        center = (rng.randint(0, width), rng.randint(0, height))
        sky.blit(glow, glow.get_rect(center=center), special_flags=pygame.BLEND_ADD)
    return sky


@dataclass(slots=True)
class Star:
    x: float
    y: float
    depth: float  # 0 (far, slow, dim) .. 1 (near, fast, bright)
    frame: int
    phase: float


class Starfield:
    """Parallax stars drifting down the screen; `speed` scales with the game's intensity."""

    def __init__(self, sprites: Sprites, size: tuple[int, int] = config.CANVAS_SIZE,
                 count: int = 170, seed: int = 11) -> None:
        self.sprites = sprites
        self.size = size
        self.background = make_background(sprites, size)
        rng = random.Random(seed)
        self.stars: list[Star] = []
        for _ in range(count):
            depth = rng.random() ** 2
            frame = 0 if depth < 0.35 else 1 if depth < 0.7 else rng.choice((1, 2, 2, 3))
            self.stars.append(Star(rng.uniform(0, size[0]), rng.uniform(0, size[1]), depth,
                                   frame, rng.uniform(0, math.tau)))
        self.clock = 0.0
        self.speed = 1.0

    def update(self, dt: float) -> None:
        self.clock += dt
        width, height = self.size
        for star in self.stars:
            velocity = (8 + 70 * star.depth) * self.speed
            star.y += velocity * dt
            star.x -= velocity * 0.18 * dt
            if star.y > height + 6:
                star.y -= height + 12
            if star.x < -6:
                star.x += width + 12

    def draw(self, surface: pygame.Surface, offset: tuple[float, float] = (0.0, 0.0)) -> None:
        surface.blit(self.background, (0, 0))
        add = pygame.BLEND_ADD
        for star in self.stars:
            twinkle = 0.75 + 0.25 * math.sin(self.clock * (1 + star.depth * 3) + star.phase)
            level = (0.3 + 0.7 * star.depth) * twinkle
            image = self.sprites.star(star.frame, level)
            parallax = 0.3 + star.depth * 0.7
            surface.blit(image, (star.x + offset[0] * parallax - 4,
                                 star.y + offset[1] * parallax - 4), special_flags=add)
