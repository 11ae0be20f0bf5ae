"""What every scene shares: the services in GameContext, the Router, and the Scene base class."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import pygame

from demo_game.achievements import AchievementTracker, load_achievements
from demo_game.audio import Audio
from demo_game.bitmap_font import BitmapFont
from demo_game.controls import Action, InputState, PointerEvent
from demo_game.entities import Starfield
from demo_game.kgen_integration import KGenLink
from demo_game.kgen_text import TournamentOption
from demo_game.notifications import Notifier
from demo_game.profile import Profile
from demo_game.sprites import Sprites


class Router(Protocol):
    """Scene switching, implemented by the App."""

    def to_title(self) -> None: ...
    def to_tournament_choice(self) -> None: ...
    def to_play(self, option: TournamentOption) -> None: ...
    def to_game_over(self, result: RoundResult) -> None: ...
    def quit(self) -> None: ...


@dataclass(frozen=True, slots=True)
class RoundResult:
    """How a round went; shown by the game over screen."""

    score: int
    previous_best: int
    shards: int
    best_multiplier: int
    seconds: float
    reason: str
    option: TournamentOption
    reported: bool

    @property
    def new_best(self) -> bool:
        return self.score > self.previous_best

    @property
    def best(self) -> int:
        return max(self.score, self.previous_best)


@dataclass(slots=True)
class GameContext:
    """Services and session state shared by all scenes."""

    font: BitmapFont
    sprites: Sprites
    audio: Audio
    kgen: KGenLink
    profile: Profile
    notifier: Notifier
    starfield: Starfield
    input: InputState
    router: Router
    seed: int
    autoplay: bool = False
    rounds_started: int = 0
    last_result: RoundResult | None = None
    option: TournamentOption | None = None
    current_score: int = 0
    scores: list[int] = field(default_factory=list)
    achievements: AchievementTracker = field(
        default_factory=lambda: AchievementTracker(load_achievements()))


class Scene:
    """Base class: scenes override what they need."""

    name = "scene"

    def __init__(self, ctx: GameContext) -> None:
        self.ctx = ctx
        self.age = 0.0

    def handle_action(self, action: Action) -> None:
        """A menu action (from keyboard, gamepad or script)."""

    def handle_pointer(self, event: PointerEvent) -> None:
        """A mouse event in canvas coordinates."""

    def update(self, dt: float) -> None:
        self.age += dt

    def draw(self, canvas: pygame.Surface) -> None:
        """Draw the whole frame on the logical canvas."""

    def on_overlay_opened(self) -> None:
        """The KGeN overlay opened on top of this scene (its OVERLAY_OPENED event)."""

    def on_overlay_closed(self) -> None:
        """The KGeN overlay closed again (its OVERLAY_CLOSED event)."""

    @property
    def menus_shown(self) -> bool:
        """False while a KGeN overlay is open: the game's own menus hide under it, so their
        buttons never show through a panel (they come back when it closes)."""
        return not self.ctx.kgen.overlay_open

    def on_focus_lost(self) -> None:
        """The window lost input focus (alt-tab, click elsewhere)."""
