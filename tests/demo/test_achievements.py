"""Comet Catcher's achievements: the file, the goals, once per player, and the sandbox paying."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pygame
import pytest
import requests

from demo_game import config
from demo_game.achievements import (
    ACHIEVEMENTS_FILE,
    COMBO_10,
    FIRST_1000,
    FLAWLESS,
    GOALS,
    AchievementTracker,
    load_achievements,
)
from demo_game.app import App
from demo_game.bitmap_font import BitmapFont
from demo_game.profile import Profile
from demo_game.scenes import PlayScene
from demo_game.world import World
from kgen_pygame.loyalty import load_event_file
from kgen_pygame.loyalty.cli import main as kgen_events
from tests.demo.helpers import key
from tests.demo.test_kgen_integration import make_kgen_app

__all__ = ["make_kgen_app"]


def test_the_file_passes_kgen_events_check_and_every_event_has_a_goal(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert kgen_events(["check", str(ACHIEVEMENTS_FILE)]) == 0
    assert "3 event(s), no problem" in capsys.readouterr().out
    declared = {event.event_type for event in load_event_file(ACHIEVEMENTS_FILE)}
    assert declared == set(GOALS) == {FIRST_1000, COMBO_10, FLAWLESS}
    names = {a.event_type: a.name for a in load_achievements()}
    assert names[FIRST_1000] == "First 1,000 points"


def test_a_file_with_an_unknown_goal_or_a_broken_file_leaves_only_what_the_game_knows(
        tmp_path: Path) -> None:
    extra = tmp_path / "achievements.toml"
    extra.write_text(ACHIEVEMENTS_FILE.read_text(encoding="utf-8")
                     + '\n[events.comet-unknown]\nname = "X"\nreward_amount = "1"\n',
                     encoding="utf-8")
    assert {a.event_type for a in load_achievements(extra)} == set(GOALS)
    extra.write_text("[events.a]\nname = ", encoding="utf-8")
    assert load_achievements(extra) == ()  # the game plays on without achievements


def _world() -> World:
    return World(random.Random(1), random.Random(2), BitmapFont.load())


def test_each_goal_is_reached_by_what_it_says_and_announced_once_a_round() -> None:
    tracker = AchievementTracker(load_achievements())
    world = _world()
    world.score = 999
    assert tracker.reached(world, frozenset()) == []
    world.score = 1000
    assert [a.event_type for a in tracker.reached(world, frozenset())] == [FIRST_1000]
    assert tracker.reached(world, frozenset()) == []  # once a round
    world.best_chain = 10
    assert [a.event_type for a in tracker.reached(world, frozenset())] == [COMBO_10]
    world.over, world.end_reason = True, "time up"
    world.hits, world.lives = 1, config.START_LIVES - 1
    assert tracker.reached(world, frozenset()) == []  # hit once: not flawless
    world.hits, world.lives = 0, config.START_LIVES
    assert [a.event_type for a in tracker.reached(world, frozenset())] == [FLAWLESS]
    tracker.new_round()
    assert tracker.reached(world, frozenset(GOALS)) == []  # earned before: never again


def test_a_round_of_ten_quick_catches_counts_the_chain() -> None:
    from demo_game.entities import Shard

    world = _world()
    for _ in range(10):
        shard = Shard((world.ship.pos.x, world.ship.pos.y), gold=False, phase=0.0)
        shard.age = 1.0
        world.shards.append(shard)
        world.update(1 / 60, pygame.Vector2(0, 0))
    assert world.best_chain >= 10 and GOALS[COMBO_10](world)


def test_earned_achievements_are_saved_with_the_best_score(tmp_path: Path) -> None:
    path = tmp_path / "profile.json"
    profile = Profile(path)
    profile.record(1200)
    profile.mark_earned(FIRST_1000)
    again = Profile(path)
    assert again.best == 1200 and again.earned == {FIRST_1000}
    path.write_text('{"best": 5, "earned": "not a list"}', encoding="utf-8")
    assert Profile(path).earned == frozenset() and Profile(path).best == 5


# -- with the plugin and its embedded sandbox ---------------------------------------------


def _until(app: App, condition: Callable[[], bool], frames: int = 3000) -> bool:
    for _ in range(frames):
        if condition():
            return True
        app.step()
        time.sleep(0.005)
    return condition()


def _records(app: App) -> Any:
    plugin = app.ctx.kgen.plugin
    assert plugin is not None and plugin.endpoint is not None
    reply = requests.get(f"{plugin.endpoint.base_url}/_sandbox/records",
                         params={"gamer_id": plugin.gamer_id}, timeout=10)
    reply.raise_for_status()
    return reply.json()


def _practice(app: App) -> PlayScene:
    if app.scene_name != "title":
        app.to_title()
        _until(app, lambda: app.scene_name == "title")
    key(app, pygame.K_RETURN, "\r")
    key(app, pygame.K_RETURN, "\r")  # Practice is the first card
    play = app.scene
    assert isinstance(play, PlayScene)
    return play


def test_reaching_1000_points_pays_once_per_player_on_the_sandbox(
        make_kgen_app: Callable[..., App], tmp_path: Path) -> None:
    app = make_kgen_app("current")
    app.ctx.profile = Profile(tmp_path / "profile.json")
    link = app.ctx.kgen
    assert _until(app, lambda: FIRST_1000 in link.achievement_ids), "not registered"
    play = _practice(app)
    play.world.score = 1000
    app.step()
    assert link.achievements_rewarded == [FIRST_1000]
    assert app.ctx.profile.earned == {FIRST_1000}
    assert "FIRST 1,000 POINTS" in [banner.text for banner in play.hud.banners]
    assert _until(app, lambda: _records(app)["loyalty_rewards"] == 1), "never paid"
    assert _until(app, lambda: link.pending_events == 0)
    paid = _records(app)["earned_balance"]

    play = _practice(app)  # a later round, and a later run of the same player
    play.world.score = 5000
    app.step()
    assert Profile(tmp_path / "profile.json").earned == {FIRST_1000}
    assert link.achievements_rewarded == [FIRST_1000]
    assert not any("1,000" in banner.text for banner in play.hud.banners)
    assert _until(app, lambda: link.pending_events == 0)
    records = _records(app)
    assert records["loyalty_rewards"] == 1 and records["earned_balance"] == paid


def test_without_loyalty_an_achievement_is_neither_sent_nor_remembered(
        make_kgen_app: Callable[..., App]) -> None:
    app = make_kgen_app("v1")
    play = _practice(app)
    play.world.score = 1000
    app.step()
    assert app.ctx.kgen.achievements_rewarded == []
    assert app.ctx.profile.earned == frozenset()
    assert not any("1,000" in banner.text for banner in play.hud.banners)
