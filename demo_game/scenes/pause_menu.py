"""The pause overlay inside the play scene: resume, restart, KGeN menu, quit to title."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from demo_game import config
from demo_game.controls import PAUSE, Action, PointerEvent
from demo_game.scenes.base import GameContext
from demo_game.ui import Menu, MenuItem, translucent_rect

RESUME_HINT = f"{' / '.join(PAUSE.buttons)} to resume"


class PauseMenu:
    """Shown over the frozen play field; Back or Pause resumes."""

    def __init__(self, ctx: GameContext, *, on_resume: Callable[[], None],
                 on_restart: Callable[[], None], on_quit: Callable[[], None]) -> None:
        self.ctx = ctx
        self.on_resume = on_resume
        items = [MenuItem("RESUME", on_resume), MenuItem("RESTART", on_restart)]
        if ctx.kgen.available:
            items.append(MenuItem("KGEN MENU", lambda: ctx.kgen.open_panel(None)))
        items.append(MenuItem("QUIT TO TITLE", on_quit))
        self.menu = Menu(ctx.font, items, (640, 420), width=400, item_height=56, spacing=12,
                         on_move=lambda: ctx.audio.play("click", 0.6))

    def reset(self) -> None:
        self.menu.focus = 0

    def handle_action(self, action: Action) -> None:
        if action in (Action.BACK, Action.PAUSE):
            self.on_resume()
            return
        self.menu.handle_action(action)

    def handle_pointer(self, event: PointerEvent) -> None:
        self.menu.handle_pointer(event)

    def update(self, dt: float) -> None:
        self.menu.update(dt)

    def draw(self, canvas: pygame.Surface) -> None:
        canvas.blit(translucent_rect(config.CANVAS_SIZE, (4, 4, 16), 150), (0, 0))
        self.ctx.font.draw(canvas, "PAUSED", (640, 170), scale=10, color=config.WHITE,
                           shadow=(40, 12, 70), anchor="center")
        self.ctx.font.draw(canvas, RESUME_HINT, (640, 245), scale=2, color=config.DIM,
                           anchor="center")
        self.menu.draw(canvas)
