"""Helpers that drive the UI through pygame's real event queue (post, then get, then handle)."""

from __future__ import annotations

import pygame

from kgen_pygame.ui import UIRoot


def post(event_type: int, **attributes: object) -> None:
    """Post one event onto pygame's real queue."""
    assert pygame.event.post(pygame.event.Event(event_type, **attributes))


def press_key(key: int, mod: int = 0, unicode: str = "") -> None:
    """Post a key press and release as SDL delivers them."""
    scancode = (
        pygame.key.get_scancode_from_key(key) if hasattr(pygame.key, "get_scancode_from_key") else 0
    )
    post(pygame.KEYDOWN, key=key, mod=mod, unicode=unicode, scancode=scancode)
    post(pygame.KEYUP, key=key, mod=mod, unicode="", scancode=scancode)


def type_text(text: str) -> None:
    """Post a committed TEXTINPUT (what SDL sends after a key press or an IME commit)."""
    post(pygame.TEXTINPUT, text=text)


def click(pos: tuple[int, int], *, up_pos: tuple[int, int] | None = None) -> None:
    """Post a mouse move, press and release (all in one frame, as a fast click is)."""
    post(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0), touch=False)
    post(pygame.MOUSEBUTTONDOWN, pos=pos, button=1, touch=False)
    release = up_pos if up_pos is not None else pos
    if up_pos is not None:
        post(pygame.MOUSEMOTION, pos=release, rel=(0, 0), buttons=(1, 0, 0), touch=False)
    post(pygame.MOUSEBUTTONUP, pos=release, button=1, touch=False)


def wheel(y: int) -> None:
    """Post a mouse wheel notch (y > 0 scrolls up, as SDL reports it)."""
    post(
        pygame.MOUSEWHEEL,
        x=0,
        y=y,
        flipped=False,
        precise_x=0.0,
        precise_y=float(y),
        touch=False,
        which=0,
    )


def move_mouse(pos: tuple[int, int]) -> None:
    """Post a mouse motion."""
    post(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0), touch=False)


def feed(root: UIRoot) -> list[tuple[int, bool]]:
    """Read the queue like a game loop does and give each event to the UI.

    Returns (event type, consumed) pairs.
    """
    return [(event.type, root.handle(event)) for event in pygame.event.get()]
