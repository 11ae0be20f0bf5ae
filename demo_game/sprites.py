"""Loaded images plus caches of their rotated, scaled and tinted variants."""

from __future__ import annotations

import math
from pathlib import Path

import pygame

from demo_game.paths import IMAGES_DIR

RGB = tuple[int, int, int]

ANGLE_STEP = 4  # degrees between cached ship/comet rotations
GLOW_LEVELS = 10  # brightness steps for fading additive sprites


def _load(path: Path, *, alpha: bool) -> pygame.Surface:
    image = pygame.image.load(str(path))
    if pygame.display.get_surface() is None:
        return image
    return image.convert_alpha() if alpha else image.convert()


def _angle_key(degrees: float) -> int:
    return round(degrees / ANGLE_STEP) * ANGLE_STEP % 360


class Sprites:
    """All game images. Additive sprites (glow, particle, stars, tail) are white-on-black RGB."""

    def __init__(self, image_dir: Path = IMAGES_DIR) -> None:
        self.ship = _load(image_dir / "ship.png", alpha=True)
        self.shard = _load(image_dir / "shard.png", alpha=True)
        self.shard_gold = _load(image_dir / "shard_gold.png", alpha=True)
        self.comet = _load(image_dir / "comet.png", alpha=True)
        self.life = _load(image_dir / "life.png", alpha=True)
        self.icon = _load(image_dir / "icon.png", alpha=True)
        self.comet_tail = _load(image_dir / "comet_tail.png", alpha=False)
        self.glow = _load(image_dir / "glow.png", alpha=False)
        self.particle = _load(image_dir / "particle.png", alpha=False)
        stars = _load(image_dir / "stars.png", alpha=False)
        cell = stars.get_height()
        self.star_frames = [stars.subsurface((i * cell, 0, cell, cell)).copy()
                            for i in range(stars.get_width() // cell)]
        self._cache: dict[tuple[object, ...], pygame.Surface] = {}

    @staticmethod
    def icon_path(image_dir: Path = IMAGES_DIR) -> Path:
        """The window icon (loaded before the window exists)."""
        return image_dir / "icon.png"

    def _cached(self, key: tuple[object, ...]) -> pygame.Surface | None:
        return self._cache.get(key)

    def _keep(self, key: tuple[object, ...], surface: pygame.Surface) -> pygame.Surface:
        if len(self._cache) > 4000:  # never expected; guards against unbounded keys
            self._cache.clear()
        self._cache[key] = surface
        return surface

    def ship_at(self, degrees: float, scale: float = 1.0) -> pygame.Surface:
        """The ship rotated to `degrees` (0 = facing right, counter-clockwise positive)."""
        angle = _angle_key(degrees)
        key = ("ship", angle, round(scale, 2))
        return self._cached(key) or self._keep(
            key, pygame.transform.rotozoom(self.ship, angle, scale))

    def comet_at(self, degrees: float, diameter: int) -> pygame.Surface:
        """The comet body rotated and sized."""
        diameter = max(8, diameter // 2 * 2)
        angle = _angle_key(degrees)
        key = ("comet", angle, diameter)
        cached = self._cached(key)
        if cached is not None:
            return cached
        scaled = pygame.transform.smoothscale(self.comet, (diameter, diameter))
        return self._keep(key, pygame.transform.rotate(scaled, angle))

    def tail_at(self, degrees: float, length: int, width: int) -> pygame.Surface:
        """The additive comet tail pointing away from the direction of travel `degrees`."""
        length = max(8, length // 8 * 8)
        width = max(4, width // 4 * 4)
        angle = _angle_key(degrees)
        key = ("tail", angle, length, width)
        cached = self._cached(key)
        if cached is not None:
            return cached
        scaled = pygame.transform.smoothscale(self.comet_tail, (length, width))
        return self._keep(key, pygame.transform.rotate(scaled, angle))

    def glow_at(self, color: RGB, diameter: int, level: float = 1.0) -> pygame.Surface:
        """A soft additive glow of `color` at brightness `level` (0..1, quantised)."""
        diameter = max(2, int(diameter) // 2 * 2)
        steps = max(0, min(GLOW_LEVELS, math.ceil(level * GLOW_LEVELS)))
        key = ("glow", color, diameter, steps)
        cached = self._cached(key)
        if cached is not None:
            return cached
        source = self.glow if diameter > 24 else self.particle
        surface = pygame.transform.smoothscale(source, (diameter, diameter))
        k = steps / GLOW_LEVELS
        surface.fill((round(color[0] * k), round(color[1] * k), round(color[2] * k)),
                     special_flags=pygame.BLEND_MULT)
        return self._keep(key, surface)

    def star(self, frame: int, level: float) -> pygame.Surface:
        """A background star frame dimmed to `level` (quantised)."""
        steps = max(1, min(GLOW_LEVELS, math.ceil(level * GLOW_LEVELS)))
        key = ("star", frame, steps)
        cached = self._cached(key)
        if cached is not None:
            return cached
        surface = self.star_frames[frame % len(self.star_frames)].copy()
        v = round(255 * steps / GLOW_LEVELS)
        surface.fill((v, v, v), special_flags=pygame.BLEND_MULT)
        return self._keep(key, surface)

    def scaled(self, name: str, image: pygame.Surface, size: tuple[int, int]) -> pygame.Surface:
        """`image` smooth-scaled to `size` (cached under `name`)."""
        key = ("scaled", name, size)
        cached = self._cached(key)
        if cached is not None:
            return cached
        return self._keep(key, pygame.transform.smoothscale(image, size))

    def tinted(self, name: str, image: pygame.Surface, color: RGB) -> pygame.Surface:
        """`image` multiplied by `color` (cached under `name`)."""
        key = ("tint", name, color)
        cached = self._cached(key)
        if cached is not None:
            return cached
        surface = image.copy()
        surface.fill((*color, 255), special_flags=pygame.BLEND_RGBA_MULT)
        return self._keep(key, surface)
