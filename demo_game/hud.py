"""The play screen's heads-up display: score, combo, timer, lives, and centre banners."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from demo_game import config
from demo_game.bitmap_font import BitmapFont
from demo_game.sprites import Sprites
from demo_game.ui import translucent_rect
from demo_game.world import MULTIPLIER_COLORS, World


@dataclass(slots=True)
class Banner:
    """Big centre text that pops in, holds, and fades ("GO!", "SPEED UP!", "NEW BEST!")."""

    text: str
    color: tuple[int, int, int]
    seconds: float = 1.3
    age: float = 0.0
    y: int = 300


class Hud:
    """Draws the HUD for a World; keeps a rolling score counter and the banner queue.

    Everything sits top-left, top-centre and along the bottom: the top-right corner is left
    free for the KGeN plugin's badge.
    """

    def __init__(self, font: BitmapFont, sprites: Sprites, mode_label: str) -> None:
        self.font = font
        self.sprites = sprites
        self.mode_label = mode_label
        self.shown_score = 0.0
        self.banners: list[Banner] = []
        self.clock = 0.0
        self.best = 0

    def banner(self, text: str, color: tuple[int, int, int], seconds: float = 1.3) -> None:
        y = 300 + 90 * len(self.banners)
        self.banners.append(Banner(text, color, seconds, 0.0, min(y, 480)))

    def update(self, dt: float, world: World) -> None:
        self.clock += dt
        gap = world.score - self.shown_score
        self.shown_score += gap * min(1.0, dt * 12) if abs(gap) > 0.5 else gap
        for banner in self.banners:
            banner.age += dt
        self.banners = [b for b in self.banners if b.age < b.seconds]

    def draw(self, canvas: pygame.Surface, world: World) -> None:
        canvas.blit(translucent_rect((300, 134), config.PANEL, 150, 16), (14, 12))
        self._draw_score(canvas, world)
        self._draw_lives(canvas, world)
        self._draw_timer(canvas, world)
        font = self.font
        font.draw(canvas, self.mode_label, (24, 700), scale=2, color=config.DIM,
                  anchor="bottomleft")
        font.draw(canvas, "P pause", (1256, 700), scale=2, color=config.DIM,
                  anchor="bottomright")
        for banner in self.banners:
            self._draw_banner(canvas, banner)

    def _draw_score(self, canvas: pygame.Surface, world: World) -> None:
        font = self.font
        font.draw(canvas, "SCORE", (30, 24), scale=2, color=config.DIM)
        font.draw(canvas, f"{round(self.shown_score):06d}", (30, 46), scale=5,
                  color=config.WHITE, shadow=config.INK)
        multiplier = world.multiplier if world.chain > 0 else 1
        if multiplier > 1:
            color = MULTIPLIER_COLORS[multiplier]
            font.draw(canvas, f"x{multiplier}", (222, 46), scale=5, color=color,
                      shadow=config.INK)
            bar = pygame.Rect(222, 90, 78, 6)
            pygame.draw.rect(canvas, (40, 40, 80), bar, border_radius=3)
            fill = bar.copy()
            fill.width = max(0, round(bar.width * world.combo_fraction))
            if fill.width:
                pygame.draw.rect(canvas, color, fill, border_radius=3)

    def _draw_timer(self, canvas: pygame.Surface, world: World) -> None:
        left = world.time_left
        frac = left / config.ROUND_SECONDS
        bar = pygame.Rect(0, 0, 320, 14)
        bar.midtop = (640, 24)
        canvas.blit(translucent_rect(bar.inflate(8, 8).size, config.PANEL, 170, 10),
                    bar.inflate(8, 8))
        urgent = left < 10
        color = config.CYAN if not urgent else config.RED
        if urgent and int(self.clock * 4) % 2 == 0:
            color = config.ORANGE
        fill = bar.copy()
        fill.width = max(0, round(bar.width * frac))
        if fill.width:
            pygame.draw.rect(canvas, color, fill, border_radius=7)
        seconds = math.ceil(left)
        self.font.draw(canvas, f"{seconds // 60}:{seconds % 60:02d}", (640, 48), scale=3,
                       color=color if urgent else config.WHITE, shadow=config.INK,
                       anchor="midtop")

    def _draw_lives(self, canvas: pygame.Surface, world: World) -> None:
        icon = self.sprites.life
        x = 26
        for i in range(config.START_LIVES):
            if i < world.lives:
                canvas.blit(icon, (x, 104))
            else:
                canvas.blit(self.sprites.tinted("life-lost", icon, (60, 60, 90)), (x, 104))
            x += icon.get_width() + 8
        self.font.draw(canvas, f"BEST {max(self.best, world.score)}", (298, 117), scale=2,
                       color=config.GOLD, anchor="midright")

    def _draw_banner(self, canvas: pygame.Surface, banner: Banner) -> None:
        t = banner.age / banner.seconds
        scale = 9 if banner.age < 0.08 else 8
        image = self.font.render(banner.text, scale, banner.color, shadow=(30, 10, 60))
        alpha = 255 if t < 0.7 else round(255 * (1 - (t - 0.7) / 0.3))
        rise = -18 * t
        rect = image.get_rect(center=(640, round(banner.y + rise)))
        if alpha < 255:
            image = image.copy()
            image.set_alpha(alpha)
        canvas.blit(image, rect)
