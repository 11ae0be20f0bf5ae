"""The scripted flow's pace (watchable by default, --fast for CI), its frame budgets, and the
one definition of the controls."""

from __future__ import annotations

import pygame
import pytest

from demo_game import scripts
from demo_game.controls import (
    BACK,
    JOY_BUTTON_ACTIONS,
    KEY_ACTIONS,
    MOVE,
    MUTE,
    PAUSE,
    SELECT,
    Action,
    Control,
    controls_footer,
)
from demo_game.full_flow import FullFlow
from demo_game.pace import FAST, WATCHABLE
from demo_game.scenes.pause_menu import RESUME_HINT
from demo_game.scenes.title import FOOTER
from tests.demo.helpers import AppFactory


def _pauses(step: object) -> int:
    """Frames of the flow's own pauses inside `step` (nested sequences included)."""
    frames = getattr(step, "frames", None)
    if getattr(step, "pausing", False) is True and isinstance(frames, int):
        return frames
    inner = getattr(step, "inner", None)
    if isinstance(inner, scripts.Flow):
        return sum(_pauses(s) for s in inner.steps)
    chosen = [getattr(step, name, None) for name in ("step", "otherwise")]
    return max((_pauses(s) for s in chosen if s is not None), default=0)


def _pause_by_stage(flow: FullFlow) -> dict[str, int]:
    return {stage.name: sum(_pauses(step) for step in stage.steps)
            for stage in flow.flow.stages}


def test_the_watchable_flow_stops_to_read_where_a_person_would() -> None:
    watchable = _pause_by_stage(FullFlow(WATCHABLE))
    fast = _pause_by_stage(FullFlow(FAST))
    assert watchable.keys() == fast.keys()  # the same flow, only slower
    for stage in ("reward on the HUD", "rewards panel", "link the wallet", "withdraw",
                  "leaderboard", "wallet history", "statistics"):
        assert watchable[stage] - fast[stage] >= 2 * 60, stage  # 2 s or more to read
    # On top of the 75-second round, more than 40 s of pauses to watch it by.
    assert sum(watchable.values()) >= 40 * 60
    assert sum(fast.values()) < sum(watchable.values()) / 3


def test_full_flow_is_watchable_unless_fast_and_always_fresh() -> None:
    assert isinstance(scripts.create("full-flow"), FullFlow)
    assert scripts.create("full-flow").pace is WATCHABLE  # type: ignore[attr-defined]
    fast = scripts.create("full-flow", scripts.ScriptSettings(fast=True))
    assert fast.pace is FAST  # type: ignore[attr-defined]
    assert "full-flow" in scripts.FRESH_PLAYER_SCRIPTS
    assert "menu-tour" not in scripts.FRESH_PLAYER_SCRIPTS


def test_a_stage_budget_counts_waiting_on_the_game_not_the_flows_pauses(
        make_app: AppFactory) -> None:
    app = make_app()
    patient = scripts.Flow([scripts.Stage("read", (scripts.wait(50), scripts.wait(50)), 10)])
    stuck = scripts.Flow([scripts.Stage("stuck", (scripts.wait(50),
                                                  scripts.until(lambda h: False)), 10)])
    for frame in range(200):
        patient.on_frame(frame, app)
        stuck.on_frame(frame, app)
    assert patient.done and patient.failure is None  # 100 frames of pauses, budget 10
    assert stuck.failure is not None and "stage 'stuck'" in stuck.failure
    assert "not done within 10 frames" in stuck.failure


KEYS = {"Arrows": (pygame.K_UP, pygame.K_DOWN, pygame.K_LEFT, pygame.K_RIGHT),
        "WASD": (pygame.K_w, pygame.K_a, pygame.K_s, pygame.K_d), "Enter": (pygame.K_RETURN,),
        "Space": (pygame.K_SPACE,), "P": (pygame.K_p,), "Esc": (pygame.K_ESCAPE,),
        "Backspace": (pygame.K_BACKSPACE,), "M": (pygame.K_m,)}
PAD_BUTTONS = {"A": 0, "B": 1, "Back": 6, "Start": 7}
DIRECTIONS = {Action.UP, Action.DOWN, Action.LEFT, Action.RIGHT}


@pytest.mark.parametrize("control,actions", [
    (MOVE, DIRECTIONS), (SELECT, {Action.CONFIRM}),
    (PAUSE, {Action.PAUSE, Action.BACK}),  # Esc (back) pauses a round
    (BACK, {Action.BACK}), (MUTE, {Action.MUTE}),
])
def test_the_help_names_the_keys_and_buttons_the_game_maps(control: Control,
                                                           actions: set[Action]) -> None:
    for name in control.keys.split(", "):
        assert {KEY_ACTIONS[key] for key in KEYS[name]} <= actions, name
    for name in control.buttons:
        if name in PAD_BUTTONS:
            assert JOY_BUTTON_ACTIONS[PAD_BUTTONS[name]] in actions, name


def test_title_footer_and_pause_hint_come_from_the_same_controls() -> None:
    assert controls_footer() == FOOTER
    for short in ("P pause", "F1 KGeN", "M mute", "Esc back/quit", "Enter select"):
        assert short in FOOTER
    assert RESUME_HINT == "P / Esc / Start to resume"
