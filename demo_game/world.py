"""One round of Comet Catcher: spawning, movement, collisions, score and combo.

The world knows nothing about input devices, sound or KGeN: it takes a movement vector (or a
mouse target) each step and reports what happened as a list of WorldEvents, which the play scene
turns into sounds, screen shake, banners and score tracking. Gameplay randomness comes from
`rng`, cosmetic randomness from `fx_rng`, so a seed and a fixed step replay a round exactly.
"""

from __future__ import annotations

import enum
import math
import random
from dataclasses import dataclass

import pygame

from demo_game import config
from demo_game.bitmap_font import BitmapFont
from demo_game.entities import Comet, ParticleSystem, Popups, Shard, Ship
from demo_game.sprites import Sprites

MULTIPLIER_COLORS: tuple[tuple[int, int, int], ...] = (
    config.CYAN, config.CYAN, (140, 200, 255), (190, 160, 255), config.MAGENTA,
    config.MAGENTA, (255, 140, 160), config.GOLD, config.GOLD,
)


class EventKind(enum.Enum):
    PICKUP = "pickup"
    HIT = "hit"
    NEAR_MISS = "near_miss"
    TIER_UP = "tier_up"
    ROUND_OVER = "round_over"


@dataclass(frozen=True, slots=True)
class WorldEvent:
    """Something the scene should react to."""

    kind: EventKind
    pos: tuple[float, float] = (0.0, 0.0)
    points: int = 0
    multiplier: int = 1
    gold: bool = False
    tier: int = 0
    reason: str = ""


class World:
    """State and rules of a round."""

    def __init__(self, rng: random.Random, fx_rng: random.Random, font: BitmapFont,
                 bounds: pygame.Rect | None = None) -> None:
        self.rng = rng
        self.bounds = bounds or pygame.Rect((0, 0), config.CANVAS_SIZE)
        self.ship = Ship(self.bounds.center)
        self.ship_alive = True
        self.shards: list[Shard] = []
        self.comets: list[Comet] = []
        self.particles = ParticleSystem(fx_rng)
        self.popups = Popups(font)
        self.score = 0
        self.lives = config.START_LIVES
        self.elapsed = 0.0
        self.tier = 0
        self.chain = 0
        self.combo_timer = 0.0
        self.best_multiplier = 1
        self.best_chain = 0  # the longest run of shards caught inside the combo window
        self.hits = 0
        self.shards_collected = 0
        self.comets_dodged = 0
        self.near_misses = 0
        self.over = False
        self.end_reason = ""
        self._comet_timer = 1.6  # a moment of calm at the start
        self._shard_timer = 0.0
        self._exhaust_budget = 0.0
        self._trail_budget = 0.0

    # -- queries --------------------------------------------------------------------------------

    @property
    def multiplier(self) -> int:
        return max(1, min(config.MAX_MULTIPLIER, self.chain))

    @property
    def time_left(self) -> float:
        return max(0.0, config.ROUND_SECONDS - self.elapsed)

    @property
    def combo_fraction(self) -> float:
        """How much of the combo window is left (0..1) - drawn as a bar in the HUD."""
        return max(0.0, self.combo_timer / config.COMBO_WINDOW) if self.chain > 1 else 0.0

    # -- simulation -----------------------------------------------------------------------------

    def update(self, dt: float, control: pygame.Vector2,
               target: pygame.Vector2 | None = None) -> list[WorldEvent]:
        """Advance the round by `dt` seconds; returns what happened."""
        events: list[WorldEvent] = []
        self.particles.update(dt)
        self.popups.update(dt)
        for comet in self.comets:
            comet.update(dt, self.bounds)
        self._emit_comet_trails(dt)
        if self.over:
            self._drop_finished_comets()
            return events
        self.elapsed += dt
        tier = min(4, int(self.elapsed // config.TIER_SECONDS))
        if tier > self.tier:
            self.tier = tier
            events.append(WorldEvent(EventKind.TIER_UP, tier=tier))
        self.ship.steer(dt, control, target)
        self.ship.update(dt, self.bounds)
        self._emit_exhaust(dt)
        for shard in self.shards:
            shard.update(dt, self.ship.pos)
        self.shards = [s for s in self.shards if not s.expired]
        self._tick_combo(dt)
        self._spawn(dt)
        events.extend(self._collect_shards())
        events.extend(self._check_hits())
        self._drop_finished_comets()
        if not self.over and self.elapsed >= config.ROUND_SECONDS:
            self._end("time up")
            events.append(WorldEvent(EventKind.ROUND_OVER, reason=self.end_reason))
        return events

    def _tick_combo(self, dt: float) -> None:
        if self.combo_timer > 0:
            self.combo_timer -= dt
            if self.combo_timer <= 0:
                self.chain = 0

    def _spawn(self, dt: float) -> None:
        self._comet_timer -= dt
        if self._comet_timer <= 0:
            self._spawn_comet()
            interval = max(0.28, 1.2 - 0.18 * self.tier - self.elapsed * 0.003)
            self._comet_timer = interval * self.rng.uniform(0.7, 1.3)
        self._shard_timer -= dt
        if self._shard_timer <= 0 and len(self.shards) < config.SHARDS_ON_SCREEN:
            self._spawn_shard()
            self._shard_timer = 0.35

    def _spawn_comet(self) -> None:
        rng = self.rng
        b = self.bounds
        speed = 180 + 50 * self.tier + rng.uniform(-20, 70)
        radius = rng.uniform(15, 24) if rng.random() < 0.8 else rng.uniform(26, 32)
        lead = radius * 2 + speed * 0.75  # starts off-screen: ~0.75 s of edge warning
        side = rng.randrange(4)
        if side == 0:
            start = (rng.uniform(b.left, b.right), b.top - lead)
        elif side == 1:
            start = (b.right + lead, rng.uniform(b.top, b.bottom))
        elif side == 2:
            start = (rng.uniform(b.left, b.right), b.bottom + lead)
        else:
            start = (b.left - lead, rng.uniform(b.top, b.bottom))
        if rng.random() < 0.35 + 0.08 * self.tier:  # later comets hunt the ship more
            aim = self.ship.pos + pygame.Vector2(rng.uniform(-140, 140), rng.uniform(-140, 140))
        else:
            aim = pygame.Vector2(rng.uniform(b.left + 160, b.right - 160),
                                 rng.uniform(b.top + 120, b.bottom - 120))
        direction = aim - pygame.Vector2(start)
        if direction.length_squared() < 1:
            direction = pygame.Vector2(1, 0)
        velocity = direction.normalize() * speed
        self.comets.append(Comet(start, (velocity.x, velocity.y), radius,
                                 rng.uniform(-120, 120)))

    def _spawn_shard(self) -> None:
        rng = self.rng
        b = self.bounds.inflate(-140, -150)
        gold = rng.random() < config.GOLD_CHANCE
        phase = rng.uniform(0, math.tau)
        pos = pygame.Vector2(b.center)
        for _ in range(14):
            pos = pygame.Vector2(rng.uniform(b.left, b.right), rng.uniform(b.top + 20, b.bottom))
            if pos.distance_to(self.ship.pos) < 170:
                continue
            if any(pos.distance_to(s.pos) < 100 for s in self.shards):
                continue
            break
        self.shards.append(Shard((pos.x, pos.y), gold=gold, phase=phase))

    def _collect_shards(self) -> list[WorldEvent]:
        if not self.ship_alive:
            return []
        events = []
        reach = self.ship.radius + Shard.radius + 6
        kept = []
        for shard in self.shards:
            if shard.pos.distance_to(self.ship.pos) > reach or shard.age < 0.1:
                kept.append(shard)
                continue
            self.chain = self.chain + 1 if self.combo_timer > 0 else 1
            self.best_chain = max(self.best_chain, self.chain)
            self.combo_timer = config.COMBO_WINDOW
            multiplier = self.multiplier
            self.best_multiplier = max(self.best_multiplier, multiplier)
            points = shard.points * multiplier
            self.score += points
            self.shards_collected += 1
            pos = (shard.pos.x, shard.pos.y)
            color = MULTIPLIER_COLORS[multiplier]
            self.particles.emit(pos, 26 if shard.gold else 18, shard.color,
                                speed=(80, 320), size=(6, 14), life=(0.3, 0.7))
            self.particles.emit(pos, 6, config.WHITE, speed=(20, 90), size=(10, 18),
                                life=(0.2, 0.4))
            self.particles.ring(pos, shard.color, speed=380, life=0.35, width=3)
            label = f"+{points}" if multiplier == 1 else f"+{points} x{multiplier}"
            self.popups.add(label, (pos[0], pos[1] - 18), color,
                            scale=4 if shard.gold or multiplier >= 4 else 3)
            events.append(WorldEvent(EventKind.PICKUP, pos, points, multiplier, shard.gold))
        self.shards = kept
        return events

    def _check_hits(self) -> list[WorldEvent]:
        if not self.ship_alive or self.ship.invulnerable > 0:
            return []
        events = []
        for comet in self.comets:
            distance = comet.pos.distance_to(self.ship.pos)
            if distance <= self.ship.radius * 0.8 + comet.radius * 0.85:
                return [self._hit(comet)]
            if not comet.near_missed and distance < self.ship.radius + comet.radius + 26:
                events.append(self._near_miss(comet))
        return events

    def _near_miss(self, comet: Comet) -> WorldEvent:
        """A comet grazed the ship: a few bonus points for living dangerously."""
        comet.near_missed = True
        self.near_misses += 1
        self.score += config.NEAR_MISS_POINTS
        pos = (self.ship.pos.x, self.ship.pos.y - 30)
        self.popups.add(f"CLOSE! +{config.NEAR_MISS_POINTS}", pos, config.ORANGE, scale=2,
                        life=0.7)
        self.particles.emit(((self.ship.pos.x + comet.pos.x) / 2,
                             (self.ship.pos.y + comet.pos.y) / 2), 8, (255, 200, 120),
                            speed=(80, 200), size=(4, 8), life=(0.15, 0.35))
        return WorldEvent(EventKind.NEAR_MISS, pos, config.NEAR_MISS_POINTS)

    def _hit(self, comet: Comet) -> WorldEvent:
        self.lives -= 1
        self.hits += 1
        self.chain = 0
        self.combo_timer = 0.0
        pos = (self.ship.pos.x, self.ship.pos.y)
        push = self.ship.pos - comet.pos
        if push.length_squared() > 0:
            self.ship.vel = push.normalize() * 420
        self.comets.remove(comet)
        burst = self.particles.emit
        burst((comet.pos.x, comet.pos.y), 26, config.ORANGE, speed=(60, 300), size=(8, 20),
              life=(0.4, 1.0))
        burst(pos, 30, (255, 220, 160), speed=(100, 420), size=(6, 14), life=(0.3, 0.8))
        burst(pos, 12, config.RED, speed=(40, 160), size=(16, 28), life=(0.4, 0.9), drag=3.5)
        self.particles.ring(pos, (255, 160, 90), speed=620, life=0.5, width=6)
        if self.lives <= 0:
            self.ship_alive = False
            burst(pos, 60, config.MAGENTA, speed=(60, 520), size=(8, 22), life=(0.6, 1.4))
            self.particles.ring(pos, config.WHITE, speed=900, life=0.7, width=8)
            self._end("out of lives")
        else:
            self.ship.invulnerable = config.INVULNERABLE_SECONDS
        return WorldEvent(EventKind.HIT, pos, reason=self.end_reason)

    def _end(self, reason: str) -> None:
        self.over = True
        self.end_reason = reason
        self.chain = 0
        self.shards = []

    def _drop_finished_comets(self) -> None:
        kept = []
        for comet in self.comets:
            if comet.gone(self.bounds):
                self.comets_dodged += 1
            else:
                kept.append(comet)
        self.comets = kept

    def _emit_exhaust(self, dt: float) -> None:
        if not self.ship.thrusting or not self.ship_alive:
            return
        self._exhaust_budget += dt * 70
        count = int(self._exhaust_budget)
        self._exhaust_budget -= count
        if count:
            vel = (self.ship.vel.x * 0.3, self.ship.vel.y * 0.3)
            color = (255, 150, 70) if self.particles.rng.random() < 0.6 else (255, 90, 200)
            self.particles.emit(self.ship.exhaust_point, count, color, speed=(60, 160),
                                size=(7, 12), life=(0.18, 0.35), angle=self.ship.backward_angle,
                                spread=0.6, base_velocity=vel)

    def _emit_comet_trails(self, dt: float) -> None:
        self._trail_budget += dt * 14
        count = int(self._trail_budget)
        self._trail_budget -= count
        if not count:
            return
        for comet in self.comets:
            back = math.atan2(-comet.vel.y, -comet.vel.x)
            self.particles.emit((comet.pos.x, comet.pos.y), count, (255, 130, 60),
                                speed=(20, 80), size=(comet.radius * 0.6, comet.radius * 1.0),
                                life=(0.3, 0.6), angle=back, spread=0.9)

    # -- drawing --------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface, sprites: Sprites, offset: tuple[float, float],
             clock: float) -> None:
        """Draw the play field (not the HUD) shifted by `offset` (screen shake)."""
        for shard in self.shards:
            shard.draw(surface, sprites, offset, clock)
        for comet in self.comets:
            comet.draw(surface, sprites, offset)
        self.particles.draw(surface, sprites, offset)
        if self.ship_alive:
            self.ship.draw(surface, sprites, offset, clock)
        self.popups.draw(surface, offset)
        self._draw_warnings(surface, clock)

    def _draw_warnings(self, surface: pygame.Surface, clock: float) -> None:
        """Pulsing arrows on the edge where an incoming comet will appear."""
        b = self.bounds
        pulse = 0.55 + 0.45 * math.sin(clock * 14)
        color = (255, round(80 + 90 * pulse), 60)
        for comet in self.comets:
            if comet.entered or b.collidepoint(comet.pos.x, comet.pos.y):
                continue
            x = max(b.left + 22, min(b.right - 22, comet.pos.x))
            y = max(b.top + 22, min(b.bottom - 22, comet.pos.y))
            direction = pygame.Vector2(comet.pos.x - x, comet.pos.y - y)
            if direction.length_squared() == 0:
                continue
            d = direction.normalize()
            n = pygame.Vector2(-d.y, d.x)
            tip = pygame.Vector2(x, y) + d * 12
            base = pygame.Vector2(x, y) - d * 8
            size = 10 + 3 * pulse
            points = [tip, base + n * size, base - n * size]
            pygame.draw.polygon(surface, color, [(p.x, p.y) for p in points])
