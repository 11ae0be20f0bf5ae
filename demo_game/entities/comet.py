"""Comets: rocks with fiery tails that cross the field; touching one costs a life."""

from __future__ import annotations

import math

import pygame

from demo_game.sprites import Sprites

EMBER = (255, 120, 50)


class Comet:
    """A straight-flying hazard with a spinning body and a tail along its path."""

    def __init__(self, pos: tuple[float, float], vel: tuple[float, float], radius: float,
                 spin: float) -> None:
        self.pos = pygame.Vector2(pos)
        self.vel = pygame.Vector2(vel)
        self.radius = radius
        self.spin = spin
        self.angle = 0.0
        self.entered = False
        self.near_missed = False

    @property
    def heading(self) -> float:
        """Direction of travel in pygame rotation degrees."""
        return math.degrees(math.atan2(-self.vel.y, self.vel.x))

    def update(self, dt: float, bounds: pygame.Rect) -> None:
        self.pos += self.vel * dt
        self.angle = (self.angle + self.spin * dt) % 360
        if not self.entered and bounds.collidepoint(self.pos.x, self.pos.y):
            self.entered = True

    def gone(self, bounds: pygame.Rect) -> bool:
        """True once the comet has crossed the field and left it."""
        margin = self.radius * 4 + 40
        outside = not bounds.inflate(margin * 2, margin * 2).collidepoint(self.pos.x, self.pos.y)
        return outside and (self.entered or self._moving_away(bounds))

    def _moving_away(self, bounds: pygame.Rect) -> bool:
        to_center = pygame.Vector2(bounds.center) - self.pos
        return to_center.dot(self.vel) < 0

    def draw(self, surface: pygame.Surface, sprites: Sprites,
             offset: tuple[float, float]) -> None:
        x, y = self.pos.x + offset[0], self.pos.y + offset[1]
        speed = self.vel.length()
        length = round(self.radius * 3 + speed * 0.45)
        tail = sprites.tail_at(self.heading, length, round(self.radius * 2.3))
        direction = self.vel / speed if speed else pygame.Vector2(1, 0)
        back = length / 2 - self.radius * 0.3  # the head end hides behind the rock
        center = (round(x - direction.x * back), round(y - direction.y * back))
        surface.blit(tail, tail.get_rect(center=center), special_flags=pygame.BLEND_ADD)
        glow = sprites.glow_at(EMBER, round(self.radius * 4.2), 0.7)
        surface.blit(glow, glow.get_rect(center=(round(x), round(y))),
                     special_flags=pygame.BLEND_ADD)
        body = sprites.comet_at(self.angle, round(self.radius * 2.5))
        surface.blit(body, body.get_rect(center=(round(x), round(y))))
