"""The round itself: runs the World, turns its events into juice (sound, shake, banners) and
reports scores through the KGeN integration."""

from __future__ import annotations

import random
import uuid

import pygame

from demo_game import config
from demo_game.camera import Shake
from demo_game.controls import Action, PointerEvent
from demo_game.hud import Hud
from demo_game.kgen_text import TournamentOption
from demo_game.scenes.base import GameContext, RoundResult, Scene
from demo_game.scenes.pause_menu import PauseMenu
from demo_game.world import EventKind, World, WorldEvent

HITSTOP_SECONDS = 0.07
SLOWMO_SECONDS = 0.9
END_DELAY_SECONDS = 1.7


def _pickup_sound(multiplier: int) -> str:
    return f"pickup_{min(4, (multiplier + 1) // 2)}"


class PlayScene(Scene):
    """One round. P/Esc/Start pauses; the KGeN overlay also freezes play."""

    name = "play"

    def __init__(self, ctx: GameContext, option: TournamentOption) -> None:
        super().__init__(ctx)
        ctx.rounds_started += 1
        ctx.option = option
        round_seed = ctx.seed * 1009 + ctx.rounds_started
        self.world = World(random.Random(round_seed), random.Random(round_seed + 7919), ctx.font)
        self.option = option
        self.match_id = uuid.uuid4().hex[:16]
        label = "PRACTICE" if option.uid is None else f"TOURNAMENT: {option.title.upper()[:28]}"
        self.hud = Hud(ctx.font, ctx.sprites, label)
        self.previous_best = ctx.profile.best
        self.hud.best = self.previous_best
        self.shake = Shake()
        self.paused = False
        self.pause_menu = PauseMenu(ctx, on_resume=self.resume, on_restart=self._restart,
                                    on_quit=self._quit)
        self.mouse_target: pygame.Vector2 | None = None
        self.hitstop = 0.0
        self.over_timer = 0.0
        self.over_announced = False
        self.finished = False
        self.best_announced = False
        self.max_combo_announced = False
        self.reported_score = 0
        self.report_cooldown = 0.0
        ctx.current_score = 0
        ctx.achievements.new_round()
        ctx.input.clear()
        ctx.kgen.round_started(self.match_id, option.uid)
        ctx.audio.play("start", 0.8)
        self.hud.banner("GO!", config.CYAN, 1.0)

    # -- input ----------------------------------------------------------------------------------

    def handle_action(self, action: Action) -> None:
        if self.paused:
            self.pause_menu.handle_action(action)
            return
        if action in (Action.PAUSE, Action.BACK) and not self.world.over:
            self.pause()

    def handle_pointer(self, event: PointerEvent) -> None:
        if self.paused:
            self.pause_menu.handle_pointer(event)
        elif event.kind == "move":
            self.mouse_target = pygame.Vector2(event.pos)

    def on_overlay_opened(self) -> None:
        # Closing the KGeN overlay lands on our pause menu, so play never resumes by surprise.
        if not self.world.over:
            self.pause()

    def on_overlay_closed(self) -> None:
        if self.paused:
            self.pause_menu.reset()  # back on RESUME: Enter plays on

    def on_focus_lost(self) -> None:
        if not self.world.over:
            self.pause()

    def pause(self) -> None:
        if not self.paused:
            self.paused = True
            self.pause_menu.reset()
            self.ctx.audio.play("click")

    def resume(self) -> None:
        self.paused = False
        self.mouse_target = None
        self.ctx.input.clear()
        self.ctx.audio.play("click")

    def _restart(self) -> None:
        self._abandon()
        self.ctx.router.to_play(self.option)

    def _quit(self) -> None:
        self._abandon()
        self.ctx.router.to_title()

    def _abandon(self) -> None:
        self.ctx.kgen.round_finished(self.match_id, "abandoned", self.option.uid)

    # -- simulation -----------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        super().update(dt)
        if self.paused:
            self.pause_menu.update(dt)
            return
        if self.ctx.kgen.should_pause:
            return
        self.report_cooldown -= dt
        self.shake.update(dt)
        if self.hitstop > 0:
            self.hitstop -= dt
            return
        world = self.world
        time_scale = 1.0
        if world.over:
            self.over_timer += dt
            time_scale = 0.35 if self.over_timer < SLOWMO_SECONDS else 1.0
        control = self.ctx.input.movement()
        if control.length_squared() > 0.01:
            self.mouse_target = None  # keys or stick take over from the mouse
        for event in world.update(dt * time_scale, control, self.mouse_target):
            self._react(event)
        self._check_achievements()
        self.ctx.current_score = world.score
        self.ctx.starfield.speed = 1.0 + world.tier * 0.7
        self.ctx.starfield.update(dt * time_scale)
        self.hud.update(dt, world)
        self._announce_best()
        self._report_best()
        if world.over:
            self._announce_end()
            if self.over_timer >= END_DELAY_SECONDS and not self.finished:
                self._finish()

    def _react(self, event: WorldEvent) -> None:
        ctx = self.ctx
        if event.kind is EventKind.PICKUP:
            ctx.audio.play("gold" if event.gold else _pickup_sound(event.multiplier), 0.8)
            self.shake.add(0.12 if event.gold else 0.04)
            if event.multiplier >= config.MAX_MULTIPLIER and not self.max_combo_announced:
                self.max_combo_announced = True
                self.hud.banner("MAX COMBO!", config.GOLD)
        elif event.kind is EventKind.HIT:
            ctx.audio.play("hit")
            self.shake.add(0.75)
            self.hitstop = HITSTOP_SECONDS
            if self.world.lives == 1:
                self.hud.banner("LAST LIFE!", config.RED)
        elif event.kind is EventKind.NEAR_MISS:
            ctx.audio.play("click", 0.5)
            self.shake.add(0.08)
        elif event.kind is EventKind.TIER_UP:
            ctx.audio.play("speedup", 0.7)
            self.hud.banner("SPEED UP!", config.ORANGE)
            ctx.kgen.level_reached(event.tier, self.match_id, self.option.uid)

    def _check_achievements(self) -> None:
        """An achievement reached for the first time earns its KGeN reward, once per player:
        handed to the plugin's outbox, then remembered in the saved data."""
        ctx = self.ctx
        for achievement in ctx.achievements.reached(self.world, ctx.profile.earned):
            if not ctx.kgen.reward_achievement(achievement.event_type):
                continue  # no KGeN now: said nothing, tried again next round
            ctx.profile.mark_earned(achievement.event_type)
            ctx.audio.play("chime", 0.8)
            self.hud.banner(achievement.name.upper(), config.GOLD, 1.8)
            self.hud.banner(f"+{achievement.reward} KGEN EARNED", config.CYAN, 1.8)

    def _announce_best(self) -> None:
        score = self.world.score
        if not self.best_announced and 0 < self.previous_best < score:
            self.best_announced = True
            self.ctx.audio.play("chime", 0.8)
            self.hud.banner("NEW BEST!", config.GOLD, 1.6)

    def _report_best(self) -> None:
        """A new personal best goes to KGeN during play too - at most every few seconds."""
        score = self.world.score
        if score > max(self.previous_best, self.reported_score) and self.report_cooldown <= 0:
            if self.ctx.kgen.submit_score(score, self.option.uid, match_id=self.match_id):
                self.reported_score = score
            self.report_cooldown = config.BEST_SCORE_REPORT_INTERVAL

    def _announce_end(self) -> None:
        if self.over_announced:
            return
        self.over_announced = True
        survived = self.world.end_reason == "time up"
        self.hud.banner("TIME UP!" if survived else "DESTROYED!",
                        config.CYAN if survived else config.RED, END_DELAY_SECONDS)
        self.ctx.audio.play("chime" if survived else "game_over")
        if not survived:
            self.shake.add(1.0)

    def _finish(self) -> None:
        self.finished = True
        ctx = self.ctx
        world = self.world
        outcome = "survived" if world.end_reason == "time up" else "destroyed"
        reported = ctx.kgen.submit_score(world.score, self.option.uid, match_id=self.match_id)
        ctx.kgen.round_finished(self.match_id, outcome, self.option.uid)
        ctx.profile.record(world.score)
        result = RoundResult(
            score=world.score,
            previous_best=self.previous_best,
            shards=world.shards_collected,
            best_multiplier=world.best_multiplier,
            seconds=min(world.elapsed, config.ROUND_SECONDS),
            reason=world.end_reason,
            option=self.option,
            reported=reported,
        )
        ctx.last_result = result
        ctx.scores.append(world.score)
        ctx.router.to_game_over(result)

    # -- drawing --------------------------------------------------------------------------------

    def draw(self, canvas: pygame.Surface) -> None:
        ctx = self.ctx
        offset = self.shake.offset
        ctx.starfield.draw(canvas, offset)
        self.world.draw(canvas, ctx.sprites, offset, self.age)
        self.hud.draw(canvas, self.world)
        if self.paused and self.menus_shown:
            self.pause_menu.draw(canvas)
