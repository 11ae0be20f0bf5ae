"""(a) A dirty-rect game: ``RenderUpdates``, ``group.clear``, ``display.update(rects)``.

Comets drift over a striped background and keep drifting while the KGeN menu is open
(only the player's input stops); the ship moves with the arrow keys, read every frame
with ``pygame.key.get_pressed()``, and fires with Space (an event). Only the changed
rectangles are ever presented. Integrated by the lines marked ``# kgen`` (see
docs/integration.md, "Dirty-rect games").
"""

from __future__ import annotations

from typing import Any

import pygame

from kgen_pygame import KGen  # kgen

SIZE = (640, 480)
#: The simulation goes on under an open overlay; only the player's input stops.
PAUSES_SIMULATION = False


def striped(size: tuple[int, int]) -> pygame.Surface:
    """A background where a stale or doubled translucent pixel shows."""
    surface = pygame.Surface(size)
    for x in range(0, size[0], 8):
        shade = 40 + (x * 160) // size[0]
        colour = (shade, 90 + (x // 8) % 3 * 30, 200 - shade // 2)
        pygame.draw.rect(surface, colour, (x, 0, 8, size[1]))
    for y in range(0, size[1], 32):
        pygame.draw.line(surface, (230, 230, 240), (0, y), (size[0], y))
    return surface


class Block(pygame.sprite.Sprite):
    """A coloured rectangle sprite with a velocity."""

    def __init__(self, colour: tuple[int, int, int], size: tuple[int, int],
                 center: tuple[int, int], velocity: tuple[int, int] = (0, 0)) -> None:
        super().__init__()
        self.image = pygame.Surface(size)
        self.image.fill(colour)
        self.rect = self.image.get_rect(center=center)
        self.velocity = velocity

    def update(self, *_: Any) -> None:
        self.rect.move_ip(self.velocity)


class DirtyRectGame:
    """One frame per :meth:`frame` call, as the body of the game's ``while`` loop."""

    def __init__(self, **kgen_options: Any) -> None:
        self.screen = pygame.display.set_mode(SIZE)
        self.background = striped(SIZE)
        self.screen.blit(self.background, (0, 0))
        pygame.display.update()
        self.kgen = KGen(game_id="compat-dirty", **kgen_options)  # kgen
        self.clock = pygame.time.Clock()
        self.ship = Block((250, 210, 60), (40, 20), (SIZE[0] // 2, SIZE[1] - 40))
        self.comets = [
            Block((240, 120, 90), (18, 18), (60 + 110 * i, 40 + 50 * i), (3 - i, 2))
            for i in range(5)
        ]
        self.shots = pygame.sprite.Group()
        self.group = pygame.sprite.RenderUpdates(self.ship, *self.comets)
        self.score = 0
        self.running = True

    def input_state(self) -> tuple[object, ...]:
        """What the player's input changes."""
        return (self.ship.rect.topleft, self.score)

    def frame(self) -> None:
        for event in pygame.event.get():
            if self.kgen.handle_event(event):  # kgen
                continue  # kgen
            if event.type == pygame.QUIT:
                self.running = False
            elif event.type == pygame.KEYDOWN and event.key == pygame.K_SPACE:
                self.fire()
        self.kgen.update(self.clock.tick() / 1000)  # kgen
        self.group.clear(self.screen, self.background)
        if not self.kgen.should_pause:  # kgen
            keys = pygame.key.get_pressed()
            self.ship.rect.x += 4 * (keys[pygame.K_RIGHT] - keys[pygame.K_LEFT])
            self.ship.rect.clamp_ip(self.screen.get_rect())
        self.group.update()
        for comet in self.comets:
            comet.rect.x %= SIZE[0] - comet.rect.width
            comet.rect.y %= SIZE[1] - comet.rect.height
        for shot in list(self.shots):
            if shot.rect.bottom < 0:
                shot.kill()
        dirty = self.group.draw(self.screen)
        dirty += self.kgen.draw(self.screen)  # kgen
        pygame.display.update(dirty)

    def fire(self) -> None:
        shot = Block((120, 240, 255), (4, 12), self.ship.rect.midtop, (0, -9))
        self.group.add(shot)
        self.shots.add(shot)
        self.score += 10
        self.kgen.track_score(self.score)  # kgen

    def close(self) -> None:
        self.kgen.close(timeout=3)  # kgen
