"""Choose what the next run counts for: practice, or one of KGeN's active tournaments."""

from __future__ import annotations

import dataclasses
import math

import pygame

from demo_game import config
from demo_game.controls import Action, PointerEvent
from demo_game.kgen_text import TournamentOption
from demo_game.scenes.base import GameContext, Scene
from demo_game.ui import Menu, MenuItem, draw_panel

MAX_TOURNAMENTS = 4
MENU_TOP = 178
REFRESH_SECONDS = 0.5


class TournamentChoiceScene(Scene):
    """A card per option; picking a tournament not yet joined joins it (paying the buy-in)."""

    name = "tournament_choice"

    def __init__(self, ctx: GameContext) -> None:
        super().__init__(ctx)
        self.options: list[TournamentOption] = []
        self.joining: TournamentOption | None = None
        self.confirming: TournamentOption | None = None
        self.message = ""
        self.message_color = config.DIM
        self.refresh_timer = 0.0
        self.menu = Menu(ctx.font, [], (640, 380), width=780, item_height=60, spacing=8,
                         on_move=lambda: ctx.audio.play("click", 0.6))
        self._refresh()
        if ctx.option is not None:  # come back to what was played last
            self.menu.set_items(self.menu.items, keep_label=ctx.option.title)

    def _refresh(self) -> None:
        options = self.ctx.kgen.tournament_options()
        practice, tournaments = options[0], options[1:1 + MAX_TOURNAMENTS]
        self.options = [practice, *tournaments]
        keep = self.menu.focused.label if self.menu.focused else None
        items = [self._item(option) for option in self.options]
        items.append(MenuItem("BACK", self._back, detail="Return to the title screen"))
        self.menu.set_items(items, keep_label=keep)
        total = len(items) * self.menu.item_height + (len(items) - 1) * self.menu.spacing
        self.menu.center = (640, MENU_TOP + total // 2)

    def _item(self, option: TournamentOption) -> MenuItem:
        return MenuItem(option.title.upper()[:30], lambda: self._choose(option),
                        detail=option.detail, badge="JOINED" if option.joined else "")

    def _choose(self, option: TournamentOption) -> None:
        if self.joining is not None:
            return
        self.ctx.audio.play("click")
        if option.uid is None or option.joined:
            self.ctx.router.to_play(option)
            return
        if option.buy_in > 0 and (self.confirming is None or self.confirming.uid != option.uid):
            # Joining spends the player's balance: ask once more before paying.
            self.confirming = option
            self._say(f"Buy-in {option.buy_in_text} - press Enter again to join", config.GOLD)
            return
        self.confirming = None
        self.joining = option
        self._say(f"Joining {option.title}...", config.GOLD)

        def joined(ok: bool, message: str) -> None:
            self.joining = None
            if ok:
                self.ctx.audio.play("chime", 0.7)
                self.ctx.router.to_play(dataclasses.replace(option, joined=True))
            else:
                self._say(message, config.RED)

        self.ctx.kgen.join(option.uid, joined)

    def _say(self, text: str, color: tuple[int, int, int]) -> None:
        self.message = text
        self.message_color = color

    def _back(self) -> None:
        self.ctx.audio.play("click")
        self.ctx.router.to_title()

    def handle_action(self, action: Action) -> None:
        if action is Action.BACK:
            self._back()
            return
        focus = self.menu.focus
        self.menu.handle_action(action)
        self._cancel_confirm_if_moved(focus)

    def handle_pointer(self, event: PointerEvent) -> None:
        focus = self.menu.focus
        self.menu.handle_pointer(event)
        self._cancel_confirm_if_moved(focus)

    def _cancel_confirm_if_moved(self, old_focus: int) -> None:
        if self.confirming is not None and self.menu.focus != old_focus:
            self.confirming = None
            self.message = ""

    def update(self, dt: float) -> None:
        super().update(dt)
        self.ctx.starfield.update(dt)
        self.menu.update(dt)
        self.refresh_timer -= dt
        if self.refresh_timer <= 0 and self.ctx.kgen.available:
            self.refresh_timer = REFRESH_SECONDS
            self._refresh()

    def draw(self, canvas: pygame.Surface) -> None:
        ctx = self.ctx
        font = ctx.font
        ctx.starfield.draw(canvas)
        font.draw(canvas, "CHOOSE YOUR RUN", (640, 62), scale=6, color=config.WHITE,
                  shadow=(40, 12, 70), anchor="midtop")
        if self.message:
            self._draw_message(canvas, 138)
        else:
            font.draw(canvas, self._subtitle(), (640, 130), scale=2, color=config.DIM,
                      anchor="midtop")
        rects = self.menu.rects() if self.menus_shown else []
        if rects:
            frame = rects[0].unionall(rects).inflate(48, 28)
            draw_panel(canvas, frame, alpha=120, edge=(50, 50, 110), radius=26)
            self.menu.draw(canvas)
        self._draw_rules(canvas)
        font.draw(canvas, "Up/Down choose   Enter play   Esc back", (640, 700), scale=2,
                  color=config.DIM, anchor="midbottom")

    def _subtitle(self) -> str:
        kgen = self.ctx.kgen
        if not kgen.available:
            return "KGeN is offline - practice only"
        if not kgen.ready:
            dots = "." * (1 + int(self.age * 3) % 3)
            return f"Connecting to KGeN{dots}"
        if len(self.options) == 1:
            return "No tournaments running right now - practice away"
        return "Tournament scores go to the KGeN leaderboard"

    def _draw_rules(self, canvas: pygame.Surface) -> None:
        """How scoring works, as a strip of little icons above the footer."""
        sprites = self.ctx.sprites
        font = self.ctx.font
        y = 636
        entries: list[tuple[tuple[str, pygame.Surface] | None, str]] = [
            (("shard", sprites.shard), "+10"), (("gold", sprites.shard_gold), "+50"),
            (None, "chain pickups for up to x8"), (("comet", sprites.comet), "costs a life"),
            (None, "3 lives  -  75 seconds")]
        images = [font.render(text, 2, config.WHITE if icon else config.DIM)
                  for icon, text in entries]
        widths = [(28 if icon else 0) + image.get_width() for (icon, _), image in
                  zip(entries, images, strict=True)]
        gap = 44
        x = 640 - (sum(widths) + gap * (len(widths) - 1)) / 2
        for (icon, _), image, width in zip(entries, images, widths, strict=True):
            if icon is not None:
                small = sprites.scaled(icon[0], icon[1], (22, 22))
                canvas.blit(small, small.get_rect(center=(round(x + 10), y)))
            canvas.blit(image, image.get_rect(midleft=(round(x + width - image.get_width()), y)))
            x += width + gap

    def _draw_message(self, canvas: pygame.Surface, y: int) -> None:
        text = self.message
        if self.joining is not None:
            spinner = "|/-\\"[int(self.age * 10) % 4]
            text = f"{spinner} {text}"
        pulse = 0.8 + 0.2 * math.sin(self.age * 6)
        color = tuple(min(255, round(c * pulse)) for c in self.message_color)
        self.ctx.font.draw(canvas, text, (640, y), scale=3,
                           color=(color[0], color[1], color[2]), shadow=config.INK,
                           anchor="center")
