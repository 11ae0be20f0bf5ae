"""Additive particles and expanding rings: sparks, exhaust, explosions, pickup bursts."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import pygame

from demo_game.sprites import Sprites

RGB = tuple[int, int, int]


@dataclass(slots=True)
class Particle:
    """One glowing dot that drifts, slows down, shrinks and fades."""

    x: float
    y: float
    vx: float
    vy: float
    life: float
    max_life: float
    size: float
    size_end: float
    color: RGB
    drag: float


@dataclass(slots=True)
class Ring:
    """A shockwave circle that grows and fades."""

    x: float
    y: float
    radius: float
    speed: float
    life: float
    max_life: float
    color: RGB
    width: int


class ParticleSystem:
    """Owns all particles; emitting past `limit` drops the oldest."""

    def __init__(self, rng: random.Random, limit: int = 900) -> None:
        self.rng = rng
        self.limit = limit
        self.particles: list[Particle] = []
        self.rings: list[Ring] = []

    def __len__(self) -> int:
        return len(self.particles)

    def emit(
        self,
        pos: tuple[float, float],
        count: int,
        color: RGB,
        *,
        speed: tuple[float, float] = (60.0, 240.0),
        size: tuple[float, float] = (6.0, 14.0),
        life: tuple[float, float] = (0.3, 0.8),
        angle: float = 0.0,
        spread: float = math.tau,
        drag: float = 2.5,
        base_velocity: tuple[float, float] = (0.0, 0.0),
    ) -> None:
        """Emit `count` particles from `pos` within `spread` radians around `angle`."""
        rnd = self.rng.uniform
        for _ in range(count):
            a = angle + rnd(-spread / 2, spread / 2)
            v = rnd(*speed)
            lifetime = rnd(*life)
            start = rnd(*size)
            self.particles.append(Particle(
                pos[0], pos[1],
                base_velocity[0] + math.cos(a) * v, base_velocity[1] + math.sin(a) * v,
                lifetime, lifetime, start, start * 0.25, color, drag,
            ))
        overflow = len(self.particles) - self.limit
        if overflow > 0:
            del self.particles[:overflow]

    def ring(self, pos: tuple[float, float], color: RGB, *, speed: float = 420.0,
             life: float = 0.45, width: int = 4, radius: float = 8.0) -> None:
        """Add an expanding shockwave ring."""
        self.rings.append(Ring(pos[0], pos[1], radius, speed, life, life, color, width))

    def update(self, dt: float) -> None:
        alive = []
        for p in self.particles:
            p.life -= dt
            if p.life <= 0:
                continue
            damping = math.exp(-p.drag * dt)
            p.vx *= damping
            p.vy *= damping
            p.x += p.vx * dt
            p.y += p.vy * dt
            alive.append(p)
        self.particles = alive
        rings = []
        for r in self.rings:
            r.life -= dt
            if r.life > 0:
                r.radius += r.speed * dt
                r.speed *= math.exp(-3.0 * dt)
                rings.append(r)
        self.rings = rings

    def draw(self, surface: pygame.Surface, sprites: Sprites,
             offset: tuple[float, float] = (0.0, 0.0)) -> None:
        ox, oy = offset
        add = pygame.BLEND_ADD
        for r in self.rings:
            t = r.life / r.max_life
            color = (round(r.color[0] * t), round(r.color[1] * t), round(r.color[2] * t))
            width = max(1, round(r.width * t + 0.5))
            pygame.draw.circle(surface, color, (round(r.x + ox), round(r.y + oy)),
                               round(r.radius), width)
        for p in self.particles:
            t = p.life / p.max_life
            size = p.size_end + (p.size - p.size_end) * t
            image = sprites.glow_at(p.color, round(size), t)
            half = image.get_width() / 2
            surface.blit(image, (p.x + ox - half, p.y + oy - half), special_flags=add)
