"""The autoplay bot: plays through real pygame events, like a player with a gamepad.

In menus it presses Enter (posted KEYDOWN/KEYUP). In play it steers a virtual analog stick
(posted JOYAXISMOTION events): chase the most valuable reachable shard, sidestep comets by
predicting their closest approach, and keep away from the walls.
"""

from __future__ import annotations

import pygame

from demo_game.scenes import GameOverScene, PlayScene, Scene, TitleScene, TournamentChoiceScene
from demo_game.scripts import key_down, key_up
from demo_game.world import World

VIRTUAL_PAD = 99  # instance id of the bot's virtual gamepad
LOOKAHEAD = 0.6  # seconds of comet prediction (short enough that it sometimes gets hit)
SHIP_CRUISE = 430.0
MENU_WAIT = {TitleScene.name: 0.6, TournamentChoiceScene.name: 0.5, GameOverScene.name: 1.6}


def key_events(key: int, unicode: str = "") -> list[pygame.event.Event]:
    """A full key press (down + up) as real events."""
    return [key_down(key, unicode), key_up(key)]


def steer(world: World) -> pygame.Vector2:
    """The direction (length <= 1) the bot wants to move in this frame."""
    ship = world.ship.pos
    move = _seek_shard(world) + _avoid_comets(world) * 2.2 + _avoid_walls(world)
    if move.length() > 1:
        move = move.normalize()
    if move.length() < 0.05 and ship.distance_to(pygame.Vector2(world.bounds.center)) > 80:
        move = (pygame.Vector2(world.bounds.center) - ship).normalize() * 0.4
    return move


def _seek_shard(world: World) -> pygame.Vector2:
    ship = world.ship.pos
    best: pygame.Vector2 | None = None
    best_value = 0.0
    for shard in world.shards:
        distance = ship.distance_to(shard.pos)
        eta = distance / SHIP_CRUISE
        if eta > shard.lifetime - shard.age - 0.2:
            continue
        danger = sum(1 for c in world.comets if _segment_distance(c.pos, ship, shard.pos)
                     < c.radius + 40)
        value = shard.points / (distance + 80) / (1 + danger * 2)
        if value > best_value:
            best_value, best = value, shard.pos
    if best is None:
        return pygame.Vector2(0, 0)
    offset = best - ship
    if offset.length() < 1:
        return pygame.Vector2(0, 0)
    return offset.normalize() * min(1.0, offset.length() / 60)


def _avoid_comets(world: World) -> pygame.Vector2:
    ship = world.ship
    push = pygame.Vector2(0, 0)
    for comet in world.comets:
        rel = ship.pos - comet.pos
        rel_vel = ship.vel * 0.5 - comet.vel
        speed2 = rel_vel.length_squared()
        t = 0.0 if speed2 < 1 else max(0.0, min(LOOKAHEAD, -rel.dot(rel_vel) / speed2))
        closest = rel + rel_vel * t
        safe = comet.radius + ship.radius + 35
        distance = closest.length()
        if distance >= safe:
            continue
        if distance < 1:
            direction = pygame.Vector2(-comet.vel.y, comet.vel.x)
            closest = direction if direction.length_squared() else pygame.Vector2(0, 1)
        urgency = (safe - distance) / safe * (1.4 - t / LOOKAHEAD)
        push += closest.normalize() * urgency
    return push


def _avoid_walls(world: World) -> pygame.Vector2:
    b = world.bounds
    pos = world.ship.pos
    margin = 90.0
    push = pygame.Vector2(0, 0)
    push.x += max(0.0, margin - (pos.x - b.left)) / margin
    push.x -= max(0.0, margin - (b.right - pos.x)) / margin
    push.y += max(0.0, margin - (pos.y - b.top)) / margin
    push.y -= max(0.0, margin - (b.bottom - pos.y)) / margin
    return push


def _segment_distance(point: pygame.Vector2, a: pygame.Vector2, b: pygame.Vector2) -> float:
    ab = b - a
    length2 = ab.length_squared()
    if length2 == 0:
        return point.distance_to(a)
    t = max(0.0, min(1.0, (point - a).dot(ab) / length2))
    return point.distance_to(a + ab * t)


class Bot:
    """Decides, once per frame, which events to post for the current scene."""

    def __init__(self) -> None:
        self.stick = (0.0, 0.0)
        self._scene_id = 0
        self._waited = 0.0

    def events_for(self, scene: Scene, dt: float) -> list[pygame.event.Event]:
        if id(scene) != self._scene_id:
            self._scene_id = id(scene)
            self._waited = 0.0
        self._waited += dt
        if isinstance(scene, PlayScene):
            if scene.paused:
                return key_events(pygame.K_p) if self._waited > 0.5 else []
            return self._steer_events(steer(scene.world))
        if self.stick != (0.0, 0.0):
            return self._steer_events(pygame.Vector2(0, 0))
        wait = MENU_WAIT.get(scene.name)
        if wait is not None and self._waited >= wait:
            self._waited = -2.0  # one press, then give the scene time to react
            return key_events(pygame.K_RETURN, "\r")
        return []

    def _steer_events(self, move: pygame.Vector2) -> list[pygame.event.Event]:
        x, y = round(move.x, 3), round(move.y, 3)
        events = []
        if x != self.stick[0]:
            events.append(pygame.event.Event(pygame.JOYAXISMOTION, instance_id=VIRTUAL_PAD,
                                             joy=VIRTUAL_PAD, axis=0, value=x))
        if y != self.stick[1]:
            events.append(pygame.event.Event(pygame.JOYAXISMOTION, instance_id=VIRTUAL_PAD,
                                             joy=VIRTUAL_PAD, axis=1, value=y))
        self.stick = (x, y)
        return events
