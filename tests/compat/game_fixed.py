"""(b) A fixed-timestep game with no ``dt`` and a global score.

A ball falls one fixed step per frame (``clock.tick(60)`` caps the rate; the game never
reads a frame time); Space kicks it up and scores a point in the module-level ``SCORE``.
The whole simulation pauses while a KGeN panel is open. Full ``flip()`` every frame.
Integrated by the lines marked ``# kgen`` (docs/integration.md, "Fixed-timestep games").
"""

from __future__ import annotations

from typing import Any

import pygame

from kgen_pygame import KGen  # kgen

SIZE = (800, 600)
STEP = 1 / 60  # seconds of game time per frame, whatever the real frame took
GRAVITY = 900.0
#: The simulation stops under an open overlay.
PAUSES_SIMULATION = True

SCORE = 0


class FixedStepGame:
    """One frame per :meth:`frame` call, as the body of the game's ``while`` loop."""

    def __init__(self, **kgen_options: Any) -> None:
        global SCORE
        SCORE = 0
        self.screen = pygame.display.set_mode(SIZE)
        self.kgen = KGen(game_id="compat-fixed", **kgen_options)  # kgen
        self.clock = pygame.time.Clock()
        self.y, self.vy = 100.0, 0.0
        self.x = 60.0
        self.ticks = 0
        self.running = True

    def input_state(self) -> tuple[object, ...]:
        return (SCORE,)

    def frame(self) -> None:
        for event in pygame.event.get():
            if self.kgen.handle_event(event):  # kgen
                continue  # kgen
            if event.type == pygame.QUIT:
                self.running = False
            elif event.type == pygame.KEYDOWN and event.key == pygame.K_SPACE:
                self.kick()
        self.kgen.update()  # kgen (no dt: the plugin measures the frame itself)
        if not self.kgen.should_pause:  # kgen
            self.step()
        self.draw()
        self.kgen.draw(self.screen)  # kgen
        pygame.display.flip()
        self.clock.tick(60)

    def step(self) -> None:
        self.ticks += 1
        self.vy += GRAVITY * STEP
        self.y += self.vy * STEP
        self.x = 60 + (self.ticks * 5) % (SIZE[0] - 120)
        if self.y > SIZE[1] - 40:
            self.y, self.vy = SIZE[1] - 40, -abs(self.vy) * 0.8

    def kick(self) -> None:
        global SCORE
        self.vy = -420.0
        SCORE += 1
        self.kgen.track_score(SCORE)  # kgen

    def draw(self) -> None:
        self.screen.fill((18, 24, 44))
        for y in range(0, SIZE[1], 40):
            pygame.draw.line(self.screen, (40, 60, 100), (0, y), (SIZE[0], y))
        pygame.draw.circle(self.screen, (250, 200, 80), (round(self.x), round(self.y)), 22)
        pygame.draw.rect(self.screen, (80, 200, 120), (0, SIZE[1] - 18, SIZE[0], 18))

    def close(self) -> None:
        self.kgen.close(timeout=3)  # kgen
