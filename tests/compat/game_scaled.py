"""(c) A pixel-art game on a small logical surface scaled to the window.

Everything is drawn at 320x180 and ``pygame.transform.scale``-d to a 1280x720 window,
then the overlay is drawn on the window (crisp text, window coordinates for clicks).
The hero walks with the arrow keys, polled through ``kgen.pressed_keys()`` (which reads
all False while a panel is open); the clouds drift on regardless. Full ``flip()``.
Integrated by the lines marked ``# kgen`` (docs/integration.md, "Scaled games").
"""

from __future__ import annotations

from typing import Any

import pygame

from kgen_pygame import KGen  # kgen

LOGICAL = (320, 180)
WINDOW = (1280, 720)
#: The clouds drift on under an open overlay; only the hero stops.
PAUSES_SIMULATION = False


class ScaledGame:
    """One frame per :meth:`frame` call, as the body of the game's ``while`` loop."""

    def __init__(self, **kgen_options: Any) -> None:
        self.window = pygame.display.set_mode(WINDOW)
        self.logical = pygame.Surface(LOGICAL)
        self.kgen = KGen(game_id="compat-scaled", **kgen_options)  # kgen
        self.clock = pygame.time.Clock()
        self.hero = pygame.Rect(40, 130, 8, 12)
        self.coins = 0
        self.cloud_x = 0
        self.running = True

    def input_state(self) -> tuple[object, ...]:
        return (self.hero.topleft, self.coins)

    def frame(self) -> None:
        for event in pygame.event.get():
            if self.kgen.handle_event(event):  # kgen
                continue  # kgen
            if event.type == pygame.QUIT:
                self.running = False
            elif event.type == pygame.KEYDOWN and event.key == pygame.K_SPACE:
                self.coins += 1
                self.kgen.track_score(self.coins)  # kgen
        self.kgen.update(self.clock.tick() / 1000)  # kgen
        keys = self.kgen.pressed_keys()  # kgen (was: pygame.key.get_pressed())
        self.hero.x += keys[pygame.K_RIGHT] - keys[pygame.K_LEFT]
        self.hero.y -= keys[pygame.K_UP] - keys[pygame.K_DOWN]
        self.hero.clamp_ip(self.logical.get_rect())
        self.cloud_x = (self.cloud_x + 1) % LOGICAL[0]
        self.draw()
        pygame.transform.scale(self.logical, self.window.get_size(), self.window)
        self.kgen.draw(self.window)  # kgen
        pygame.display.flip()

    def draw(self) -> None:
        surface = self.logical
        surface.fill((110, 170, 230))
        for i in range(3):
            x = (self.cloud_x + i * 110) % (LOGICAL[0] + 40) - 40
            pygame.draw.ellipse(surface, (245, 245, 255), (x, 20 + 14 * i, 36, 10))
        pygame.draw.rect(surface, (90, 60, 40), (0, 142, LOGICAL[0], 38))
        pygame.draw.rect(surface, (70, 160, 70), (0, 142, LOGICAL[0], 4))
        pygame.draw.rect(surface, (220, 60, 60), self.hero)
        for i in range(self.coins % 20):
            pygame.draw.rect(surface, (250, 210, 60), (4 + 6 * i, 4, 4, 4))

    def close(self) -> None:
        self.kgen.close(timeout=3)  # kgen
