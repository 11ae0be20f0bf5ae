"""Title screen: animated logo, a ship looping through the stars, and the main menu."""

from __future__ import annotations

import math
import random

import pygame

from demo_game import config
from demo_game.controls import Action, PointerEvent, controls_footer
from demo_game.entities import Comet, ParticleSystem, Shard
from demo_game.scenes.base import GameContext, Scene
from demo_game.ui import Menu, MenuItem

LOGO_LINES = ("COMET", "CATCHER")
LOGO_SCALE = 12
LOGO_TOP = 70
FOOTER = controls_footer()  # the same controls `--help` lists


def _logo_color(t: float) -> tuple[int, int, int]:
    """Cyan -> violet -> magenta across the logo."""
    a, b = config.CYAN, config.MAGENTA
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t),
            round(a[2] + (b[2] - a[2]) * t))


class TitleScene(Scene):
    """Press Enter (or click PLAY, or A) to start; Esc quits."""

    name = "title"

    def __init__(self, ctx: GameContext) -> None:
        super().__init__(ctx)
        self.fx = ParticleSystem(random.Random(5), limit=400)
        self.comets: list[Comet] = []
        self.comet_timer = 1.0
        self.rng = random.Random(8)
        self.shards = [Shard((210, 470), gold=False, phase=0.0),
                       Shard((1070, 430), gold=True, phase=2.0)]
        for shard in self.shards:
            shard.lifetime = math.inf
        self.ship_pos = pygame.Vector2(640, 600)
        self.ship_heading = 0.0
        self.menu = Menu(ctx.font, self._items(), (640, 482), width=420, item_height=58,
                         spacing=12, on_move=lambda: ctx.audio.play("click", 0.6))

    def _items(self) -> list[MenuItem]:
        ctx = self.ctx
        items = [MenuItem("PLAY", self._play)]
        if ctx.kgen.available:
            items.append(MenuItem("KGEN REWARDS", self._open_kgen))
        items.append(MenuItem("QUIT", ctx.router.quit))
        return items

    def _play(self) -> None:
        self.ctx.audio.play("click")
        self.ctx.router.to_tournament_choice()

    def _open_kgen(self) -> None:
        self.ctx.audio.play("click")
        self.ctx.kgen.open_panel(None)

    def handle_action(self, action: Action) -> None:
        if action is Action.BACK:
            self.ctx.router.quit()
            return
        self.menu.handle_action(action)

    def handle_pointer(self, event: PointerEvent) -> None:
        self.menu.handle_pointer(event)

    def update(self, dt: float) -> None:
        super().update(dt)
        self.ctx.starfield.speed = 1.0
        self.ctx.starfield.update(dt)
        self.menu.update(dt)
        self.fx.update(dt)
        self._fly_ship(dt)
        self._update_comets(dt)
        for shard in self.shards:
            shard.age += dt

    def _fly_ship(self, dt: float) -> None:
        """A lazy figure-eight under the menu, trailing exhaust."""
        t = self.age * 0.45
        new = pygame.Vector2(640 + math.sin(t) * 470, 615 + math.sin(2 * t) * 45)
        velocity = (new - self.ship_pos) / max(dt, 1e-6)
        if velocity.length() > 1:
            self.ship_heading = math.degrees(math.atan2(-velocity.y, velocity.x))
            back = math.atan2(-velocity.y, -velocity.x)
            tail = (new.x - math.cos(math.radians(self.ship_heading)) * 22,
                    new.y + math.sin(math.radians(self.ship_heading)) * 22)
            self.fx.emit(tail, 1, (255, 150, 70), speed=(40, 110), size=(6, 10),
                         life=(0.2, 0.4), angle=back, spread=0.5)
        self.ship_pos = new

    def _update_comets(self, dt: float) -> None:
        self.comet_timer -= dt
        bounds = pygame.Rect((0, 0), config.CANVAS_SIZE)
        if self.comet_timer <= 0:
            self.comet_timer = self.rng.uniform(2.5, 4.5)
            y = self.rng.uniform(60, 420)
            self.comets.append(Comet((1400, y), (-self.rng.uniform(260, 360),
                                                 self.rng.uniform(40, 120)),
                                     self.rng.uniform(10, 16), self.rng.uniform(-90, 90)))
        for comet in self.comets:
            comet.update(dt, bounds)
            if self.rng.random() < 0.5:
                self.fx.emit((comet.pos.x, comet.pos.y), 1, (255, 130, 60), speed=(10, 40),
                             size=(8, 14), life=(0.3, 0.6))
        self.comets = [c for c in self.comets if not c.gone(bounds)]

    def draw(self, canvas: pygame.Surface) -> None:
        ctx = self.ctx
        ctx.starfield.draw(canvas)
        for comet in self.comets:
            comet.draw(canvas, ctx.sprites, (0, 0))
        self.fx.draw(canvas, ctx.sprites)
        for shard in self.shards:
            shard.draw(canvas, ctx.sprites, (0, 0), self.age)
        image = ctx.sprites.ship_at(self.ship_heading)
        canvas.blit(image, image.get_rect(center=(round(self.ship_pos.x),
                                                  round(self.ship_pos.y))))
        self._draw_logo(canvas)
        if self.menus_shown:
            self.menu.draw(canvas)
        self._draw_footer(canvas)

    def _draw_logo(self, canvas: pygame.Surface) -> None:
        font = self.ctx.font
        glow = self.ctx.sprites.glow_at((70, 40, 140), 760, 0.8)
        canvas.blit(glow, glow.get_rect(center=(640, 175)), special_flags=pygame.BLEND_ADD)
        total = sum(len(line) for line in LOGO_LINES)
        index = 0
        for row, line in enumerate(LOGO_LINES):
            width = font.line_width(line) * LOGO_SCALE
            x = 640 - width / 2
            base_y = LOGO_TOP + row * 118
            for char in line:
                bob = math.sin(self.age * 2.2 - index * 0.45) * 6
                color = _logo_color(index / max(1, total - 1))
                image = font.render(char, LOGO_SCALE, color, shadow=(40, 12, 70))
                canvas.blit(image, (round(x), round(base_y + bob)))
                x += (font.line_width(char) + 1) * LOGO_SCALE
                index += 1
        sparkle = 0.5 + 0.5 * math.sin(self.age * 3)
        font.draw(canvas, "catch shards  -  dodge comets  -  chase the combo", (640, 322),
                  scale=2, color=(round(150 + 60 * sparkle), 190, 240), anchor="center")

    def _draw_footer(self, canvas: pygame.Surface) -> None:
        ctx = self.ctx
        font = ctx.font
        font.draw(canvas, FOOTER, (640, 700), scale=2, color=config.DIM, anchor="midbottom")
        font.draw(canvas, f"BEST {ctx.profile.best}", (24, 700), scale=2, color=config.GOLD,
                  anchor="bottomleft")
        if not ctx.kgen.available:  # otherwise the plugin's own badge shows the status
            rect = font.draw(canvas, ctx.kgen.status_text, (1256, 700), scale=2,
                             color=config.DIM, anchor="bottomright")
            pygame.draw.circle(canvas, config.DIM, (rect.left - 12, rect.centery - 1), 5)
