"""Glowing shards to collect: they pop in, bob, pulse, and blink before they fade away."""

from __future__ import annotations

import math

import pygame

from demo_game import config
from demo_game.sprites import Sprites

CYAN_GLOW = (60, 200, 255)
GOLD_GLOW = (255, 180, 40)
MAGNET_RADIUS = 110.0
MAGNET_PULL = 260.0


class Shard:
    """A collectible worth points; gold ones are rarer and worth more."""

    radius = 14.0

    def __init__(self, pos: tuple[float, float], *, gold: bool, phase: float) -> None:
        self.pos = pygame.Vector2(pos)
        self.gold = gold
        self.phase = phase
        self.age = 0.0
        self.lifetime = config.SHARD_LIFETIME * (0.8 if gold else 1.0)

    @property
    def points(self) -> int:
        return config.GOLD_POINTS if self.gold else config.SHARD_POINTS

    @property
    def expired(self) -> bool:
        return self.age >= self.lifetime

    @property
    def color(self) -> tuple[int, int, int]:
        return config.GOLD if self.gold else config.CYAN

    def update(self, dt: float, ship_pos: pygame.Vector2) -> None:
        self.age += dt
        to_ship = ship_pos - self.pos
        distance = to_ship.length()
        if 1 < distance < MAGNET_RADIUS:
            pull = MAGNET_PULL * (1 - distance / MAGNET_RADIUS)
            self.pos += to_ship / distance * pull * dt

    def draw(self, surface: pygame.Surface, sprites: Sprites, offset: tuple[float, float],
             clock: float) -> None:
        remaining = self.lifetime - self.age
        if remaining < 1.5 and int(remaining * 10) % 2 == 0:
            return
        grow = min(1.0, self.age / 0.25)
        bob = math.sin(clock * 3 + self.phase) * 4
        x = self.pos.x + offset[0]
        y = self.pos.y + offset[1] + bob
        pulse = 0.75 + 0.25 * math.sin(clock * 5 + self.phase)
        glow = sprites.glow_at(GOLD_GLOW if self.gold else CYAN_GLOW,
                               round(84 * grow), pulse * grow)
        surface.blit(glow, glow.get_rect(center=(round(x), round(y))),
                     special_flags=pygame.BLEND_ADD)
        image = sprites.shard_gold if self.gold else sprites.shard
        if grow < 1:
            size = max(2, round(image.get_width() * grow))
            image = pygame.transform.smoothscale(image, (size, size))
        surface.blit(image, image.get_rect(center=(round(x), round(y))))
