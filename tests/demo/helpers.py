"""Helpers shared by the demo tests (fixtures live in conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pygame

from demo_game.app import App

REPO = Path(__file__).resolve().parents[2]

AppFactory = Callable[..., App]


def key(app: App, key_code: int, unicode: str = "") -> None:
    """Press and release a key as real events, then run a frame."""
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key_code, mod=0, unicode=unicode,
                                         scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key_code, mod=0, unicode="",
                                         scancode=0))
    app.step()


def steps(app: App, count: int) -> None:
    """Run `count` frames."""
    for _ in range(count):
        app.step()


def summary_value(stdout: str, name: str) -> str:
    """The value of line `name:` of the run summary `python -m demo_game` prints."""
    import re

    match = re.search(rf"^\s*{re.escape(name)}:\s*(.*)$", stdout, re.MULTILINE)
    assert match, f"no {name!r} line in:\n{stdout}"
    return match.group(1).strip()
