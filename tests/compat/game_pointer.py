"""(d) A game driven by mouse and joystick state, polled every frame.

A crosshair follows ``pygame.mouse.get_pos()``; holding the left button paints (a point
a dot); joystick axis 0 steers a paddle and button 0 paints at the paddle. Clicks (an
event) drop a marker. Everything pauses while a KGeN panel is open. Full ``flip()``.
Integrated by the lines marked ``# kgen`` (docs/integration.md, "Mouse and joystick").
The tests give it a virtual joystick: SDL's dummy driver has none.
"""

from __future__ import annotations

from typing import Any

import pygame

from kgen_pygame import KGen  # kgen

SIZE = (800, 600)
#: The whole game pauses under an open overlay.
PAUSES_SIMULATION = True


class PointerGame:
    """One frame per :meth:`frame` call, as the body of the game's ``while`` loop."""

    def __init__(self, **kgen_options: Any) -> None:
        self.screen = pygame.display.set_mode(SIZE)
        self.kgen = KGen(game_id="compat-pointer", **kgen_options)  # kgen
        self.clock = pygame.time.Clock()
        self.stick = pygame.joystick.Joystick(0) if pygame.joystick.get_count() else None
        self.paddle = pygame.Rect(SIZE[0] // 2 - 40, SIZE[1] - 30, 80, 12)
        self.cursor = (0, 0)
        self.dots: list[tuple[int, int]] = []
        self.markers: list[tuple[int, int]] = []
        self.score = 0
        self.running = True

    def input_state(self) -> tuple[object, ...]:
        return (self.cursor, len(self.dots), len(self.markers), self.paddle.x, self.score)

    def frame(self) -> None:
        for event in pygame.event.get():
            if self.kgen.handle_event(event):  # kgen
                continue  # kgen
            if event.type == pygame.QUIT:
                self.running = False
            elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
                self.markers.append(event.pos)
        self.kgen.update()  # kgen
        if not self.kgen.should_pause:  # kgen
            self.poll()
        self.draw()
        self.kgen.draw(self.screen)  # kgen
        pygame.display.flip()

    def poll(self) -> None:
        self.cursor = pygame.mouse.get_pos()
        if pygame.mouse.get_pressed()[0]:
            self.paint(self.cursor)
        if self.stick is not None:
            self.paddle.x += round(8 * self.stick.get_axis(0))
            self.paddle.clamp_ip(self.screen.get_rect())
            if self.stick.get_button(0):
                self.paint(self.paddle.midtop)

    def paint(self, pos: tuple[int, int]) -> None:
        self.dots.append(pos)
        self.score += 1
        if self.score % 10 == 0:
            self.kgen.track_score(self.score)  # kgen

    def draw(self) -> None:
        screen = self.screen
        screen.fill((30, 30, 36))
        for x in range(0, SIZE[0], 50):
            pygame.draw.line(screen, (50, 50, 60), (x, 0), (x, SIZE[1]))
        for dot in self.dots:
            pygame.draw.circle(screen, (120, 220, 255), dot, 4)
        for marker in self.markers:
            pygame.draw.rect(screen, (255, 120, 60), (marker[0] - 5, marker[1] - 5, 10, 10))
        pygame.draw.rect(screen, (200, 200, 220), self.paddle)
        x, y = self.cursor
        pygame.draw.line(screen, (255, 255, 255), (x - 8, y), (x + 8, y))
        pygame.draw.line(screen, (255, 255, 255), (x, y - 8), (x, y + 8))

    def close(self) -> None:
        self.kgen.close(timeout=3)  # kgen
