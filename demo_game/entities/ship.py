"""The player's ship: accelerates toward the wanted velocity, glides, turns smoothly."""

from __future__ import annotations

import math

import pygame

from demo_game import config
from demo_game.sprites import Sprites


def _angle_of(vec: pygame.Vector2) -> float:
    """Screen-space vector -> pygame rotation degrees (0 = right, counter-clockwise)."""
    return math.degrees(math.atan2(-vec.y, vec.x))


class Ship:
    """Position, velocity and the feel of the controls."""

    def __init__(self, pos: tuple[float, float]) -> None:
        self.pos = pygame.Vector2(pos)
        self.vel = pygame.Vector2(0, 0)
        self.heading = 90.0  # facing up at the start
        self.radius = config.SHIP_RADIUS
        self.invulnerable = 0.0
        self.thrusting = False

    def steer(self, dt: float, control: pygame.Vector2, target: pygame.Vector2 | None) -> None:
        """Move the velocity toward what the player asks for.

        `control` is a stick-like vector (length <= 1); `target` (mouse mode) is a point to fly
        to, slowing down on arrival.
        """
        if target is not None:
            to_target = target - self.pos
            distance = to_target.length()
            wanted = pygame.Vector2(0, 0)
            if distance > 2:
                wanted = to_target / distance * min(config.SHIP_MAX_SPEED, distance * 5.5)
        else:
            wanted = control * config.SHIP_MAX_SPEED
        self.thrusting = wanted.length() > 40
        rate = config.SHIP_ACCEL if self.thrusting else config.SHIP_BRAKE
        change = wanted - self.vel
        limit = rate * dt
        if change.length() > limit:
            change.scale_to_length(limit)
        self.vel += change

    def update(self, dt: float, bounds: pygame.Rect) -> None:
        self.pos += self.vel * dt
        r = self.radius
        if self.pos.x < bounds.left + r or self.pos.x > bounds.right - r:
            self.pos.x = max(bounds.left + r, min(bounds.right - r, self.pos.x))
            self.vel.x *= -0.3
        if self.pos.y < bounds.top + r or self.pos.y > bounds.bottom - r:
            self.pos.y = max(bounds.top + r, min(bounds.bottom - r, self.pos.y))
            self.vel.y *= -0.3
        if self.vel.length() > 30:
            wanted = _angle_of(self.vel)
            diff = (wanted - self.heading + 180) % 360 - 180
            self.heading += diff * (1 - math.exp(-12 * dt))
        self.invulnerable = max(0.0, self.invulnerable - dt)

    @property
    def exhaust_point(self) -> tuple[float, float]:
        """Where engine particles come out (behind the ship)."""
        rad = math.radians(self.heading)
        return (self.pos.x - math.cos(rad) * 24, self.pos.y + math.sin(rad) * 24)

    @property
    def backward_angle(self) -> float:
        """Screen-space angle (radians) pointing out of the engine."""
        rad = math.radians(self.heading)
        return math.atan2(math.sin(rad), -math.cos(rad))

    def draw(self, surface: pygame.Surface, sprites: Sprites, offset: tuple[float, float],
             clock: float) -> None:
        if self.invulnerable > 0 and int(clock * 14) % 2 == 0:
            return
        x, y = self.pos.x + offset[0], self.pos.y + offset[1]
        glow = sprites.glow_at((70, 120, 255), 96, 0.55)
        surface.blit(glow, glow.get_rect(center=(round(x), round(y))),
                     special_flags=pygame.BLEND_ADD)
        image = sprites.ship_at(self.heading)
        surface.blit(image, image.get_rect(center=(round(x), round(y))))
