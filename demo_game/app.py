"""The main loop: window and letterboxed canvas, event routing, scene switching, shutdown.

Per frame: scripted/bot events are posted, every event is offered to KGeN first, then mapped to
game input; KGeN updates, the scene updates and draws on the 1280x720 canvas; the canvas is
scaled into the window, and KGeN's overlay and the notices are drawn on top at window size.

A script that fails (see demo_game/scripts.py) ends the run with exit code 1 and says why.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pygame

from demo_game import audio as audio_module
from demo_game import config, scripts
from demo_game.audio import Audio
from demo_game.bitmap_font import BitmapFont
from demo_game.bot import Bot
from demo_game.controls import Action, InputState, PointerEvent
from demo_game.entities import Starfield
from demo_game.kgen_integration import KGenLink
from demo_game.kgen_text import Notice, TournamentOption
from demo_game.local_kgen import LocalKGeN, SmsWatcher
from demo_game.notifications import Notifier
from demo_game.profile import Profile
from demo_game.scenes import (
    GameContext,
    GameOverScene,
    PlayScene,
    RoundResult,
    Scene,
    TitleScene,
    TournamentChoiceScene,
)
from demo_game.sprites import Sprites
from demo_game.viewport import Viewport

log = logging.getLogger(__name__)

FIXED_DT = 1.0 / 60.0
MAX_DT = 1.0 / 20.0
POINTER_KINDS = {pygame.MOUSEMOTION: "move", pygame.MOUSEBUTTONDOWN: "down",
                 pygame.MOUSEBUTTONUP: "up"}


class GameSetupError(Exception):
    """The game cannot start (e.g. its asset files are missing); the message says why."""


class NoDisplayError(GameSetupError):
    """SDL found no display and fell back to a driver that shows no window."""


NO_WINDOW_DRIVERS = ("offscreen", "dummy")
NO_DISPLAY_MESSAGE = (
    "no display: SDL found no window system to open a window on (is DISPLAY or "
    "WAYLAND_DISPLAY set?) and fell back to its {driver!r} driver, where the game would run "
    "unseen. Run it on a desktop, or headless on purpose with --frames N, --screenshot PATH or "
    "SDL_VIDEODRIVER=dummy.")


@dataclass(slots=True)
class RunOptions:
    """How to run the game (the CLI fills this in; tests build it directly)."""

    autoplay: bool = False
    frames: int | None = None
    screenshot: Path | None = None
    seed: int | None = None
    fps: int = 60
    window_size: tuple[int, int] = config.CANVAS_SIZE
    script: str | None = None
    kgen: bool = True
    sound: bool = True
    profile_path: Path | None = None
    flow_shots: Path | None = None  # scripts save their key moments here as PNG
    fast: bool = False  # scripts skip the pauses a person watching needs (CI)
    api: str | None = None  # KGeN API generation (None: the plugin's default)
    kgen_data_dir: Path | None = None  # None: the plugin's default (KGEN_DATA_DIR, ...)
    gamer_id: str | None = None  # None: the plugin's player of this install
    # --broker: a local sandbox and session broker (the game gets base_url + broker_url only)
    services: LocalKGeN | None = None
    # Refuse to run unseen: a display-less SDL falls back to a driver that shows no window.
    require_display: bool = False

    @property
    def scripted(self) -> bool:
        """Bot, script or frame limit: use a fixed time step so runs repeat exactly."""
        return self.autoplay or self.script is not None or self.frames is not None


@dataclass(slots=True)
class RunSummary:
    """What the run did; printed at exit."""

    frames: int
    scene: str
    rounds: int
    score: int
    best: int
    events_tracked: int
    panels_visited: list[str] = field(default_factory=list)
    kgen_status: str = ""
    exit_code: int = 0
    events_delivered: int = 0
    script: str = ""  # "name: status" of the input script, if one ran
    player: str = ""  # KGeN's id of the player ("" without KGeN)
    notices: list[str] = field(default_factory=list)  # the game's own notices, in order
    kgen_data: str = ""  # the folder KGeN kept this run's data in
    achievements: list[str] = field(default_factory=list)  # earned in this run (eventTypes)

    def format(self) -> str:
        panels = ", ".join(self.panels_visited) if self.panels_visited else "none"
        lines = [
            "Comet Catcher - run summary",
            f"  frames:           {self.frames}",
            f"  scene:            {self.scene}",
            f"  rounds:           {self.rounds}",
            f"  score:            {self.score}",
            f"  best:             {self.best}",
            f"  events tracked:   {self.events_tracked}",
            f"  events delivered: {self.events_delivered}",
            f"  panels visited:   {panels}",
            f"  notices:          {' | '.join(self.notices) if self.notices else 'none'}",
            f"  achievements:     {', '.join(self.achievements) or 'none'}",
            f"  kgen:             {self.kgen_status}",
        ]
        if self.player:
            lines.append(f"  player:           {self.player}")
        if self.kgen_data:
            lines.append(f"  kgen data:        {self.kgen_data}")
        if self.script:
            lines.append(f"  script:           {self.script}")
        return "\n".join(lines)


class App:
    """Owns pygame, the window and the current scene. Implements the scenes' Router."""

    def __init__(self, options: RunOptions | None = None) -> None:
        self.options = options or RunOptions()
        self.seed = self.options.seed if self.options.seed is not None else random.randrange(10**6)
        self.frame = 0
        self.running = False
        self.exit_code = 0
        self._pending: Callable[[], Scene] | None = None
        self._started = False  # pygame initialised
        self._ready = False  # start() finished
        self._summary: RunSummary | None = None
        self.script_failure: str | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Initialise pygame, open the window, load assets and show the title screen."""
        audio_module.preinit_mixer()
        pygame.init()
        self._started = True
        driver = pygame.display.get_driver()
        if self.options.require_display and driver in NO_WINDOW_DRIVERS:
            pygame.quit()
            self._started = False
            raise NoDisplayError(NO_DISPLAY_MESSAGE.format(driver=driver))
        pygame.display.set_caption(config.WINDOW_CAPTION)
        try:
            icon = pygame.image.load(str(Sprites.icon_path()))
            pygame.display.set_icon(icon)
            self.window = pygame.display.set_mode(self.options.window_size, pygame.RESIZABLE)
            self.canvas = pygame.Surface(config.CANVAS_SIZE).convert()
            sprites = Sprites()
            font = BitmapFont.load()
        except (FileNotFoundError, pygame.error) as exc:
            pygame.quit()
            self._started = False
            raise GameSetupError(
                f"cannot load the game's assets ({exc}); run: python assets/make_assets.py"
            ) from None
        self.viewport = Viewport(self.window.get_size())
        self.headless = pygame.display.get_driver() in NO_WINDOW_DRIVERS
        self.clock = pygame.time.Clock()
        self.bot = Bot() if self.options.autoplay else None
        self.script = (scripts.create(self.options.script,
                                      scripts.ScriptSettings(fast=self.options.fast))
                       if self.options.script else None)
        services = self.options.services
        kgen = KGenLink(enabled=self.options.kgen, api=self.options.api,
                        data_dir=self.options.kgen_data_dir, gamer_id=self.options.gamer_id,
                        base_url=services.base_url if services else None,
                        broker_url=services.broker_url if services else None,
                        sms=SmsWatcher(services.base_url) if services else None,
                        achievement_ids=services.achievement_ids if services else None)
        self.ctx = GameContext(
            font=font,
            sprites=sprites,
            audio=Audio(enabled=self.options.sound),
            kgen=kgen,
            profile=Profile(self.options.profile_path),
            notifier=Notifier(font, sprites.icon),
            starfield=Starfield(sprites),
            input=InputState(),
            router=self,
            seed=self.seed,
            autoplay=self.options.autoplay,
        )
        self.scene: Scene = TitleScene(self.ctx)
        self.running = True
        self._ready = True
        log.info("Comet Catcher running (seed %d, window %dx%d)", self.seed,
                 *self.window.get_size())

    def run(self) -> RunSummary:
        """start(), loop until quit or the frame limit, shutdown(); never raises on Ctrl-C.

        Ctrl-C ends the run cleanly: as KeyboardInterrupt (exit code 130) or as the QUIT event
        SDL turns it into when Python's own handler is not installed (exit code 0). Gamepads
        already plugged in arrive as JOYDEVICEADDED events on the first frame.
        """
        try:
            if not self._ready:
                self.start()
            while self.step():
                pass
        except KeyboardInterrupt:
            log.info("interrupted")
            self.exit_code = 130
        finally:
            summary = self.shutdown()  # KGeN gets to flush its outbox even after a crash
        return summary

    def shutdown(self) -> RunSummary:
        """Save the screenshot, close KGeN and pygame; returns the run summary (idempotent)."""
        if self._summary is not None:
            return self._summary
        if not self._ready:  # stopped while starting up
            if self._started:
                pygame.quit()
            self._summary = RunSummary(0, "starting", 0, 0, 0, 0, exit_code=self.exit_code)
            return self._summary
        self.running = False
        summary = self.summary()
        if self._started:
            if self.options.screenshot is not None:
                self.save_screenshot(self.options.screenshot)
            self.ctx.kgen.close()
            pygame.quit()
        self._summary = summary
        return summary

    def summary(self) -> RunSummary:
        ctx = self.ctx
        in_play = isinstance(self.scene, PlayScene)
        score = ctx.current_score if in_play else (
            ctx.last_result.score if ctx.last_result else 0)
        kgen_status = ctx.kgen.status_text
        if ctx.kgen.api:
            broker = ", through the broker" if ctx.kgen.via_broker else ""
            kgen_status += f" (api {ctx.kgen.api}{broker})"
        if ctx.kgen.problem:
            kgen_status = f"not used: {ctx.kgen.problem}"
        script = ""
        if self.script is not None:
            script = f"{self.options.script or 'custom'}: {self.script.status}"
        return RunSummary(
            frames=self.frame,
            scene=self.scene.name,
            rounds=ctx.rounds_started,
            score=score,
            best=max(ctx.profile.best, ctx.current_score if in_play else 0),
            events_tracked=ctx.kgen.events_tracked,
            panels_visited=list(ctx.kgen.panels_visited),
            kgen_status=kgen_status,
            exit_code=self.exit_code,
            events_delivered=ctx.kgen.events_delivered,
            script=script,
            player=ctx.kgen.gamer_id,
            notices=list(ctx.notifier.history),
            kgen_data=str(ctx.kgen.data_dir or ""),
            achievements=list(ctx.kgen.achievements_rewarded),
        )

    def save_screenshot(self, path: Path) -> None:
        """Write the last presented frame (window size, overlays included) as PNG."""
        path.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(self.window, str(path))

    def save_flow_shot(self, filename: str) -> None:
        """Save the last presented frame as `filename` in the --flow-shots folder, if given."""
        if self.options.flow_shots is not None:
            path = self.options.flow_shots / filename
            self.save_screenshot(path)
            log.info("flow screenshot: %s", path)

    # -- one frame ------------------------------------------------------------------------------

    def step(self) -> bool:
        """Run one frame; False once the game should stop."""
        if not self.running:
            return False
        dt = self._tick()
        if self.script is not None:
            self.script.on_frame(self.frame, self)
            if self.script.failure is not None:
                self._script_failed(self.script.failure)
                return False
        if self.bot is not None:
            for event in self.bot.events_for(self.scene, dt):
                self.post(event)
        for event in pygame.event.get():
            self._dispatch(event)
            if not self.running:
                return False
        self.ctx.kgen.update(dt)
        for notice in self.ctx.kgen.take_notices():
            self._show(notice)
        self.scene.update(dt)
        self._apply_pending()
        self.ctx.notifier.update(dt)
        self._draw()
        self.frame += 1
        if self.options.frames is not None and self.frame >= self.options.frames:
            self.running = False
            script = self.script
            if script is not None and script.must_finish and not script.done:
                self._script_failed(f"--frames {self.options.frames} ended the run first: "
                                    f"{script.status}")
        return self.running

    def _script_failed(self, message: str) -> None:
        """A script gave up: stop with exit code 1 (the summary and stderr say why)."""
        self.script_failure = message
        log.error("script %s failed: %s", self.options.script or "", message)
        self.exit_code = 1
        self.running = False

    def _tick(self) -> float:
        limit = self.options.fps
        fast = self.script.fast_forward if self.script is not None else None
        if fast is None:
            fast = self.options.frames is not None
        if self.headless and fast:
            limit = 0  # as fast as possible: nobody watches a headless run
        elapsed = self.clock.tick(limit) / 1000.0
        if self.options.scripted:
            return FIXED_DT
        return min(MAX_DT, elapsed)

    def _draw(self) -> None:
        self.window = pygame.display.get_surface()
        if self.window.get_size() != self.viewport.window_size:
            self.viewport = Viewport(self.window.get_size())
        self.scene.draw(self.canvas)
        self.viewport.present(self.canvas, self.window, config.LETTERBOX)
        self.ctx.kgen.draw(self.window)
        self.ctx.notifier.draw(self.window)
        pygame.display.flip()

    # -- events ---------------------------------------------------------------------------------

    def post(self, event: pygame.event.Event) -> None:
        """Queue a real pygame event (scripts and the bot drive the game this way)."""
        pygame.event.post(event)

    def _dispatch(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.running = False
            return
        change = self.ctx.kgen.overlay_change(event)
        if change is not None:
            self._overlay_changed(change)
            return
        notice = self.ctx.kgen.notice_for(event)
        if notice is not None:
            self._show(notice)
        if self.ctx.kgen.handle_event(event):
            return  # an open KGeN overlay used it
        if event.type in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED):
            self._resize(event)
            return
        if event.type == pygame.WINDOWFOCUSLOST:
            self.ctx.input.clear()  # keys held while leaving never send their key-up here
            self.scene.on_focus_lost()
            return
        kind = POINTER_KINDS.get(event.type)
        if kind is not None:
            self._pointer(kind, event)
            return
        for action in self.ctx.input.handle_event(event):
            if action is Action.MUTE:
                muted = self.ctx.audio.toggle_mute()
                self.ctx.notifier.toast("Sound off" if muted else "Sound on")
                continue
            self.scene.handle_action(action)
            self._apply_pending()

    def _pointer(self, kind: str, event: pygame.event.Event) -> None:
        pos = self.viewport.to_canvas(event.pos)
        if pos is None:
            return  # on a letterbox bar
        self.scene.handle_pointer(PointerEvent(kind, pos, int(getattr(event, "button", 0))))
        self._apply_pending()

    def _resize(self, event: pygame.event.Event) -> None:
        if event.type == pygame.VIDEORESIZE:
            size = (int(event.w), int(event.h))
        else:
            size = (int(event.x), int(event.y))
        size = (max(1, size[0]), max(1, size[1]))
        if pygame.display.get_surface().get_size() != size:
            # Real resizes already resized the surface; posted ones (tests) need set_mode.
            pygame.display.set_mode(size, pygame.RESIZABLE)
        self.window = pygame.display.get_surface()
        self.viewport = Viewport(self.window.get_size())

    def _show(self, notice: Notice) -> None:
        if notice.kind == "sms":
            self.ctx.notifier.show_sms(notice.phone, notice.code)
            self.ctx.audio.play("pickup_2")
            return
        self.ctx.notifier.toast(notice.text)
        if notice.kind == "reward":
            self.ctx.audio.play("chime")

    def _overlay_changed(self, change: str) -> None:
        """The plugin's OVERLAY_OPENED / OVERLAY_CLOSED: the scene pauses, hides its menus
        while the overlay is open (see Scene.menus_shown) and shows them again after."""
        if change == "opened":
            self.ctx.input.clear()  # the overlay swallows the key-ups of keys held now
            self.scene.on_overlay_opened()
        else:
            self.scene.on_overlay_closed()

    # -- Router (called by scenes) --------------------------------------------------------------

    def _switch(self, factory: Callable[[], Scene]) -> None:
        self._pending = factory

    def _apply_pending(self) -> None:
        if self._pending is not None:
            factory, self._pending = self._pending, None
            self.scene = factory()
            log.debug("scene -> %s", self.scene.name)

    def to_title(self) -> None:
        self._switch(lambda: TitleScene(self.ctx))

    def to_tournament_choice(self) -> None:
        self._switch(lambda: TournamentChoiceScene(self.ctx))

    def to_play(self, option: TournamentOption) -> None:
        self._switch(lambda: PlayScene(self.ctx, option))

    def to_game_over(self, result: RoundResult) -> None:
        self._switch(lambda: GameOverScene(self.ctx, result))

    def quit(self) -> None:
        self.running = False

    # -- ScriptHost -----------------------------------------------------------------------------

    @property
    def scene_name(self) -> str:
        return self.scene.name

    @property
    def kgen(self) -> KGenLink:
        return self.ctx.kgen

    @property
    def notifier(self) -> Notifier:
        return self.ctx.notifier
