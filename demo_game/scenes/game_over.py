"""Game over: the score counts up, a new best sparkles, Enter plays again, Esc goes to title."""

from __future__ import annotations

import math
import random

import pygame

from demo_game import config
from demo_game.controls import Action, PointerEvent
from demo_game.entities import ParticleSystem
from demo_game.scenes.base import GameContext, RoundResult, Scene
from demo_game.ui import Menu, MenuItem, draw_panel

COUNT_SECONDS = 1.2
DELIVERY_CHECK_SECONDS = 0.5  # how often the results screen asks whether the score arrived


class GameOverScene(Scene):
    """Results card plus PLAY AGAIN / LEADERBOARD / TITLE."""

    name = "game_over"

    def __init__(self, ctx: GameContext, result: RoundResult) -> None:
        super().__init__(ctx)
        self.result = result
        self.fx = ParticleSystem(random.Random(3), limit=500)
        self.firework_timer = 0.0
        self.delivered = False  # the server acknowledged every event, this score included
        self.delivery_timer = 0.0
        items = [MenuItem("PLAY AGAIN", self._again)]
        uid = result.option.uid
        if ctx.kgen.available and uid is not None:  # that tournament's board, final or live
            items.append(MenuItem("LEADERBOARD",
                                  lambda: ctx.kgen.open_panel("leaderboard", tournament_id=uid)))
        elif ctx.kgen.available:
            items.append(MenuItem("KGEN REWARDS", lambda: ctx.kgen.open_panel("rewards")))
        items.append(MenuItem("TITLE", self._title))
        self.menu = Menu(ctx.font, items, (640, 0), width=400, item_height=54, spacing=10,
                         on_move=lambda: ctx.audio.play("click", 0.6))
        total = len(items) * 54 + (len(items) - 1) * 10
        self.menu.center = (640, 478 + total // 2)

    def _again(self) -> None:
        self.ctx.audio.play("click")
        self.ctx.router.to_play(self.result.option)

    def _title(self) -> None:
        self.ctx.audio.play("click")
        self.ctx.router.to_title()

    def handle_action(self, action: Action) -> None:
        if action is Action.BACK:
            self._title()
            return
        self.menu.handle_action(action)

    def handle_pointer(self, event: PointerEvent) -> None:
        self.menu.handle_pointer(event)

    def update(self, dt: float) -> None:
        super().update(dt)
        self.ctx.starfield.speed = 0.6
        self.ctx.starfield.update(dt)
        self.menu.update(dt)
        self.fx.update(dt)
        self._check_delivery(dt)
        if self.result.new_best and self.age > COUNT_SECONDS:
            self.firework_timer -= dt
            if self.firework_timer <= 0 and self.age < COUNT_SECONDS + 4:
                self.firework_timer = 0.45
                rng = self.fx.rng
                side = rng.choice((rng.uniform(110, 300), rng.uniform(980, 1170)))
                pos = (side, rng.uniform(110, 420))
                color = rng.choice((config.GOLD, config.CYAN, config.MAGENTA))
                self.fx.emit(pos, 40, color, speed=(80, 330), size=(6, 14), life=(0.5, 1.1),
                             drag=1.8)
                self.fx.ring(pos, color, speed=300, life=0.5, width=3)

    def _check_delivery(self, dt: float) -> None:
        if self.delivered or not self.result.reported:
            return
        self.delivery_timer -= dt
        if self.delivery_timer <= 0:
            self.delivery_timer = DELIVERY_CHECK_SECONDS
            self.delivered = self.ctx.kgen.pending_events == 0

    @property
    def shown_score(self) -> int:
        t = min(1.0, self.age / COUNT_SECONDS)
        return round(self.result.score * (1 - (1 - t) ** 3))

    def draw(self, canvas: pygame.Surface) -> None:
        ctx = self.ctx
        font = ctx.font
        result = self.result
        ctx.starfield.draw(canvas)
        survived = result.reason == "time up"
        title = "TIME UP!" if survived else "GAME OVER"
        font.draw(canvas, title, (640, 40), scale=10, color=config.CYAN if survived else config.RED,
                  shadow=(40, 12, 70), anchor="midtop")
        card = pygame.Rect(0, 0, 640, 250)
        card.midtop = (640, 150)
        draw_panel(canvas, card, alpha=200)
        font.draw(canvas, "SCORE", (640, card.y + 22), scale=2, color=config.DIM,
                  anchor="midtop")
        font.draw(canvas, str(self.shown_score), (640, card.y + 46), scale=9,
                  color=config.WHITE, shadow=config.INK, anchor="midtop")
        if result.new_best and self.age > COUNT_SECONDS:
            pulse = 0.5 + 0.5 * math.sin(self.age * 8)
            color = (255, round(180 + 60 * pulse), round(60 + 120 * pulse))
            font.draw(canvas, "NEW BEST!", (card.right - 22, card.y + 22), scale=3, color=color,
                      shadow=config.INK, anchor="topright")
        stats = (f"BEST {result.best}     SHARDS {result.shards}     "
                 f"TOP COMBO x{result.best_multiplier}     TIME {int(result.seconds)}s")
        font.draw(canvas, stats, (640, card.y + 150), scale=2, color=config.GOLD,
                  anchor="midtop")
        font.draw(canvas, self.kgen_line, (640, card.y + 196), scale=2, color=config.DIM,
                  anchor="midtop")
        self.fx.draw(canvas, ctx.sprites)
        if not self.menus_shown:
            return
        self.menu.draw(canvas)
        blink = int(self.age * 2) % 2 == 0
        if blink:
            font.draw(canvas, "press Enter to play again  -  Esc for title", (640, 424),
                      scale=2, color=config.WHITE, anchor="midtop")

    @property
    def kgen_line(self) -> str:
        """What became of the score, as far as the game knows: kept here, saved and on its way
        (the plugin's outbox keeps it until KGeN says it arrived), or delivered."""
        result = self.result
        practice = result.option.uid is None
        if not result.reported:
            return ("Practice run - best kept on this computer" if practice
                    else "KGeN offline - score not sent")
        where = "Practice run" if practice else result.option.title
        if self.delivered:
            return f"{where} - score delivered to KGeN"
        return f"{where} - score saved, sending to KGeN..."
