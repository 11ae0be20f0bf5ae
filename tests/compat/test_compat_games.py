"""Four pygame styles, each integrated by the documented lines only, played headless.

For each game: the KGeN menu opened with F1 reaches the window whole (what the game
presents, rectangle by rectangle for the dirty-rect one, equals the composed surface),
its translucent backdrop does not pile up frame after frame, the game's own input
(posted events and polled key, mouse and joystick state) does nothing while it is open,
nothing of it is left after it closes (the surface equals the same game played without
ever opening it, HUD off), and the scores reach the sandbox.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pygame
import pytest

from tests.compat import game_dirty, game_fixed, game_pointer, game_scaled
from tests.compat.conftest import HeldInput, Window
from tests.facade.conftest import join_free_tournament, pump, sandbox_get
from tests.ui.ui_events import post, press_key

Act = Callable[[HeldInput, int], None]

A_FRAMES, B_FRAMES, C_FRAMES = 24, 30, 24
#: Frames into the open overlay when the screenshot and the first backdrop pixel are taken,
#: and from which the game's own input is posted and held while the overlay is open.
SHOT_AT, INPUT_FROM = 2, 5


def act_dirty(held: HeldInput, frame: int) -> None:
    held.keys = {pygame.K_RIGHT} if frame % 40 < 25 else {pygame.K_LEFT}
    if frame % 5 == 0:
        press_key(pygame.K_SPACE, unicode=" ")


def act_fixed(held: HeldInput, frame: int) -> None:
    if frame % 6 == 0:
        press_key(pygame.K_SPACE, unicode=" ")


def act_scaled(held: HeldInput, frame: int) -> None:
    held.keys = {pygame.K_RIGHT, pygame.K_UP} if frame % 30 < 20 else {pygame.K_LEFT}
    if frame % 7 == 0:
        press_key(pygame.K_SPACE, unicode=" ")


def act_pointer(held: HeldInput, frame: int) -> None:
    held.mouse_pos = (100 + 9 * frame, 200 + 4 * (frame % 10))
    held.mouse_buttons = (frame % 2 == 0, False, False)
    held.stick.axes = [0.75 if frame % 20 < 12 else -0.5, 0.0]
    held.stick.buttons = [frame % 3 == 0, False, False, False]
    if frame % 8 == 0:
        pos = (10 + frame, 580)  # the backdrop, away from the menu's buttons
        post(pygame.MOUSEBUTTONDOWN, pos=pos, button=1, touch=False)
        post(pygame.MOUSEBUTTONUP, pos=pos, button=1, touch=False)


STYLES: dict[str, tuple[ModuleType, type[Any], Act]] = {
    "dirty_rect": (game_dirty, game_dirty.DirtyRectGame, act_dirty),
    "fixed_step": (game_fixed, game_fixed.FixedStepGame, act_fixed),
    "scaled": (game_scaled, game_scaled.ScaledGame, act_scaled),
    "pointer": (game_pointer, game_pointer.PointerGame, act_pointer),
}


def play(game: Any, held: HeldInput, act: Act, frames: int, start: int) -> None:
    for frame in range(start, start + frames):
        act(held, frame)
        game.frame()


def idle(game: Any, held: HeldInput, frames: int) -> None:
    held.clear()
    for _ in range(frames):
        game.frame()


def screen_bytes() -> bytes:
    return pygame.image.tobytes(pygame.display.get_surface(), "RGB")


def presented_bytes(window: Window) -> bytes:
    assert window.presented is not None
    return pygame.image.tobytes(window.presented, "RGB")


def corner(surface: pygame.Surface) -> tuple[int, int]:
    return (2, surface.get_height() - 3)


@pytest.mark.parametrize("style", list(STYLES))
def test_overlay_reaches_the_window_blocks_input_and_leaves_nothing(
    style: str,
    pygame_up: None,
    window: Window,
    held: HeldInput,
    kgen_options: Callable[..., dict[str, Any]],
    sandbox: Any,
) -> None:
    module, game_type, act = STYLES[style]

    # The same game and input, never opened, no HUD: what the window must show at the end.
    baseline = game_type(**kgen_options("baseline", show_hud=False))
    try:
        play(baseline, held, act, A_FRAMES, 0)
        idle(baseline, held, 1 if module.PAUSES_SIMULATION else B_FRAMES + 2)
        play(baseline, held, act, C_FRAMES, A_FRAMES)
        expected_state, expected = baseline.input_state(), screen_bytes()
    finally:
        baseline.close()

    window.presented = None
    held.clear()
    gamer = f"compat-{style}"
    game = game_type(**kgen_options("played", gamer_id=gamer))
    try:
        kgen = game.kgen
        join_free_tournament(kgen)
        start_state = game.input_state()
        play(game, held, act, A_FRAMES, 0)
        paused_state = game.input_state()
        assert paused_state != start_state, "the game's input works while nothing is open"

        held.clear()
        press_key(pygame.K_F1)
        game.frame()
        assert kgen.overlay_open and kgen.should_pause
        screen = pygame.display.get_surface()
        first_dim: Any = None
        for frame in range(B_FRAMES):
            if frame >= INPUT_FROM:
                act(held, A_FRAMES + frame)
            game.frame()
            assert kgen.overlay_open, "the game's input must not close the overlay"
            assert presented_bytes(window) == screen_bytes(), "the whole overlay reaches the window"
            assert game.input_state() == paused_state, "the game's input fired under the overlay"
            dim = window.presented.get_at(corner(screen)) if window.presented else None
            if frame == SHOT_AT:
                first_dim = dim
                _screenshot(window, style)
            elif SHOT_AT < frame < INPUT_FROM:
                assert dim == first_dim, "the translucent backdrop piles up frame after frame"
        assert first_dim is not None and tuple(first_dim) != tuple(
            pygame.Color(255, 0, 255)
        )

        held.clear()
        press_key(pygame.K_F1)
        game.frame()
        assert not kgen.overlay_open
        play(game, held, act, C_FRAMES, A_FRAMES)

        assert game.input_state() == expected_state
        assert presented_bytes(window) == screen_bytes(), "what changed reached the window"
        assert kgen.overlay is not None
        kgen.overlay.ui.restore_underlay()  # take the HUD off: the game's own pixels remain
        assert screen_bytes() == expected, "the overlay left pixels behind"

        final = _final_score(game, module)
        pump(kgen, lambda: kgen.pending_events == 0, "the scores delivered")
        scores = [_score_of(item) for item in sandbox_get(
            sandbox, "/_sandbox/events", gamer_id=kgen.gamer_id, limit=1000)]
        assert final in scores, (final, scores)
    finally:
        game.close()


def _final_score(game: Any, module: ModuleType) -> int:
    if module is game_fixed:
        return int(game_fixed.SCORE)
    if module is game_scaled:
        return int(game.coins)
    if module is game_pointer:
        return int(game.score - game.score % 10)
    return int(game.score)


def _score_of(item: dict[str, Any]) -> Any:
    """The score of one stored event (its payload is ``{"score": {"value": N}}``)."""
    payload = item.get("payload")
    try:
        return payload["score"]["value"]  # type: ignore[index]
    except (TypeError, KeyError, IndexError):
        return None


def _screenshot(window: Window, style: str) -> None:
    folder = os.environ.get("KGEN_COMPAT_SCREENSHOTS")
    if folder and window.presented is not None:
        Path(folder).mkdir(parents=True, exist_ok=True)
        pygame.image.save(window.presented, str(Path(folder) / f"compat_{style}.png"))
