"""SDL text input (IME) on and off as a text field gains and loses focus.

``pygame.key.start_text_input()`` makes SDL send ``TEXTINPUT``/``TEXTEDITING`` and,
on Steam Deck, Android and similar, shows the on-screen keyboard;
``set_text_input_rect()`` places the IME candidate window next to the field.
Only one field owns text input at a time; this module records which.
"""

from __future__ import annotations

import contextlib

import pygame

_owner: object | None = None
_rect: pygame.Rect | None = None


def start(owner: object, rect: pygame.Rect) -> None:
    """Give text input to ``owner`` and put the IME candidate window at ``rect``."""
    global _owner, _rect
    _owner = owner
    _rect = rect.copy()
    with contextlib.suppress(pygame.error):  # no video system (e.g. drawing off-screen only)
        pygame.key.start_text_input()
        pygame.key.set_text_input_rect(_rect)


def move(owner: object, rect: pygame.Rect) -> None:
    """Update the IME rect after a relayout, if ``owner`` still has text input."""
    global _rect
    if _owner is owner:
        _rect = rect.copy()
        with contextlib.suppress(pygame.error):
            pygame.key.set_text_input_rect(_rect)


def stop(owner: object) -> None:
    """Stop text input if ``owner`` has it (another field may have taken it over)."""
    global _owner, _rect
    if _owner is owner:
        _owner = None
        _rect = None
        with contextlib.suppress(pygame.error):
            pygame.key.stop_text_input()


def owner() -> object | None:
    """The widget that currently has text input, if any."""
    return _owner


def rect() -> pygame.Rect | None:
    """Where the IME candidate window was last placed."""
    return _rect.copy() if _rect is not None else None
