"""Fixtures for the widget-layer tests: a real (headless) display and the real event path.

Every test drives the UI the way a game does: it posts pygame events with
``pygame.event.post`` (with the attributes SDL/pygame give them), reads them back
with ``pygame.event.get()`` and feeds each one to ``UIRoot.handle``.
"""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from collections.abc import Iterator

import pygame
import pytest

from kgen_pygame.ui import UIRoot


@pytest.fixture
def screen() -> Iterator[pygame.Surface]:
    """A 1280x720 display surface with an empty event queue."""
    pygame.display.init()
    pygame.font.init()
    surface = pygame.display.set_mode((1280, 720))
    pygame.event.clear()
    yield surface
    pygame.event.clear()


@pytest.fixture
def root(screen: pygame.Surface) -> UIRoot:
    """A UI root laid out for the screen."""
    return UIRoot(size=screen.get_size())
