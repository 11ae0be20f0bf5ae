"""Round rules: combo multiplier, hits and lives, near misses, the clock, reproducibility."""

from __future__ import annotations

import random

import pygame
import pytest

from demo_game import config
from demo_game.bitmap_font import BitmapFont
from demo_game.entities import Comet, Shard
from demo_game.world import EventKind, World

STILL = pygame.Vector2(0, 0)


@pytest.fixture
def world() -> World:
    w = World(random.Random(1), random.Random(2), BitmapFont.load())
    w._comet_timer = 1e9  # no random comets: each test places its own
    w._shard_timer = 1e9
    return w


def _shard_on_ship(world: World, *, gold: bool = False) -> Shard:
    shard = Shard((world.ship.pos.x, world.ship.pos.y), gold=gold, phase=0.0)
    shard.age = 1.0
    world.shards.append(shard)
    return shard


def test_quick_pickups_build_the_multiplier(world: World) -> None:
    points = []
    for _ in range(10):
        _shard_on_ship(world)
        events = world.update(1 / 60, STILL)
        points += [e.points for e in events if e.kind is EventKind.PICKUP]
    assert points[:3] == [10, 20, 30]
    assert points[-1] == config.SHARD_POINTS * config.MAX_MULTIPLIER
    assert world.score == sum(points)
    assert world.best_multiplier == config.MAX_MULTIPLIER


def test_combo_expires(world: World) -> None:
    _shard_on_ship(world)
    world.update(1 / 60, STILL)
    _shard_on_ship(world)
    world.update(1 / 60, STILL)
    assert world.multiplier == 2
    for _ in range(int(config.COMBO_WINDOW * 60) + 2):
        world.update(1 / 60, STILL)
    assert world.chain == 0
    _shard_on_ship(world, gold=True)
    events = world.update(1 / 60, STILL)
    assert [e.points for e in events] == [config.GOLD_POINTS]


def test_hit_costs_a_life_and_the_combo(world: World) -> None:
    for _ in range(3):
        _shard_on_ship(world)
        world.update(1 / 60, STILL)
    world.comets.append(Comet((world.ship.pos.x, world.ship.pos.y), (100, 0), 20, 0))
    events = world.update(1 / 60, STILL)
    assert [e.kind for e in events] == [EventKind.HIT]
    assert world.lives == config.START_LIVES - 1
    assert world.chain == 0 and world.ship.invulnerable > 0
    # Invulnerable: a second comet right away does nothing.
    world.comets.append(Comet((world.ship.pos.x, world.ship.pos.y), (100, 0), 20, 0))
    assert world.update(1 / 60, STILL) == []


def test_last_life_ends_the_round(world: World) -> None:
    world.lives = 1
    world.comets.append(Comet((world.ship.pos.x, world.ship.pos.y), (100, 0), 20, 0))
    world.update(1 / 60, STILL)
    assert world.over and world.end_reason == "out of lives"
    assert not world.ship_alive


def test_grazing_a_comet_scores_once(world: World) -> None:
    x, y = world.ship.pos
    comet = Comet((x, y + world.ship.radius + 20 + 12), (0, 0), 20, 0)
    world.comets.append(comet)
    first = world.update(1 / 60, STILL)
    second = world.update(1 / 60, STILL)
    assert [e.kind for e in first] == [EventKind.NEAR_MISS]
    assert second == []
    assert world.score == config.NEAR_MISS_POINTS
    assert world.lives == config.START_LIVES


def test_time_up(world: World) -> None:
    world.elapsed = config.ROUND_SECONDS - 0.01
    events = world.update(1 / 60, STILL)
    assert EventKind.ROUND_OVER in [e.kind for e in events]
    assert world.end_reason == "time up"


def test_speed_tiers(world: World) -> None:
    world.elapsed = config.TIER_SECONDS - 0.01
    events = world.update(1 / 60, STILL)
    assert [e.tier for e in events if e.kind is EventKind.TIER_UP] == [1]


def test_ship_accelerates_and_stays_inside(world: World) -> None:
    right = pygame.Vector2(1, 0)
    world.update(1 / 60, right)
    speed_after_one = world.ship.vel.x
    for _ in range(10):
        world.update(1 / 60, right)
    assert 0 < speed_after_one < world.ship.vel.x <= config.SHIP_MAX_SPEED
    for _ in range(300):
        world.update(1 / 60, right)
    assert world.ship.pos.x <= world.bounds.right - world.ship.radius


def test_same_seed_same_round() -> None:
    font = BitmapFont.load()

    def play(seed: int) -> tuple[int, int, int]:
        w = World(random.Random(seed), random.Random(99), font)
        for frame in range(1200):
            w.update(1 / 60, pygame.Vector2(1, 0).rotate(frame * 3))
        return w.score, len(w.comets), w.lives

    assert play(5) == play(5)
