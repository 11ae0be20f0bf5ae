"""Fixtures for the compatibility games: a real sandbox, what reaches the window, held input.

SDL's dummy video driver has no window, no keyboard or mouse state that a test can set,
and no joystick. So three things are stood in for, and only those:

* :class:`Window` wraps ``pygame.display.update`` / ``flip`` and copies exactly what
  they would present (only the rectangles passed to ``update(rects)``, the whole
  surface for ``flip()`` / ``update()``) into a "presented" surface: what the player
  would see;
* :class:`HeldInput` answers ``pygame.key.get_pressed()``, ``pygame.mouse.get_pos()``
  and ``get_pressed()`` with state a test sets (real ``ScancodeWrapper`` values);
* :class:`VirtualJoystick` stands in for ``pygame.joystick.Joystick(0)`` (dummy SDL
  has no joystick device).

Events are real: tests post them onto pygame's queue and the games read them with
``pygame.event.get()``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pygame
import pytest

from kgen_pygame.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

RectLike = pygame.Rect | Sequence[int] | None


class Window:
    """What reached the window: a copy of each presented area of the display surface."""

    def __init__(self) -> None:
        self.presented: pygame.Surface | None = None
        self.presents = 0

    def _target(self) -> tuple[pygame.Surface, pygame.Surface]:
        screen = pygame.display.get_surface()
        assert screen is not None, "present() before set_mode()"
        if self.presented is None or self.presented.get_size() != screen.get_size():
            self.presented = pygame.Surface(screen.get_size())
            self.presented.fill((255, 0, 255))  # never presented: magenta
        return screen, self.presented

    def update(self, rects: RectLike | Sequence[RectLike] = None) -> None:
        screen, presented = self._target()
        self.presents += 1
        if rects is None:
            presented.blit(screen, (0, 0))
            return
        if isinstance(rects, pygame.Rect) or (
            isinstance(rects, Sequence) and rects and isinstance(rects[0], int)
        ):
            rects = [rects]  # type: ignore[list-item]
        for rect in rects:  # type: ignore[union-attr]
            if rect is not None:
                area = pygame.Rect(rect)
                presented.blit(screen, area, area)

    def flip(self) -> None:
        self.update(None)


class VirtualJoystick:
    """The part of ``pygame.joystick.JoystickType`` a game polls, with settable state."""

    def __init__(self, _index: int = 0) -> None:
        self.axes = [0.0, 0.0]
        self.buttons = [False] * 4

    def init(self) -> None:
        """Nothing to open."""

    def get_numaxes(self) -> int:
        return len(self.axes)

    def get_axis(self, index: int) -> float:
        return self.axes[index]

    def get_numbuttons(self) -> int:
        return len(self.buttons)

    def get_button(self, index: int) -> bool:
        return self.buttons[index]


class HeldInput:
    """Keyboard, mouse and joystick state as the test sets it."""

    def __init__(self) -> None:
        self.keys: set[int] = set()
        self.mouse_pos = (0, 0)
        self.mouse_buttons = (False, False, False)
        self.stick = VirtualJoystick()
        self._scancodes: dict[int, int] = {}

    def clear(self) -> None:
        self.keys = set()
        self.mouse_buttons = (False, False, False)
        self.stick.axes = [0.0, 0.0]
        self.stick.buttons = [False] * 4

    def get_pressed(self) -> Any:
        real = _REAL["key.get_pressed"]()
        wrapper = type(real)
        held = [False] * len(real)
        for key in self.keys:
            held[self._scancode(wrapper, len(real), key)] = True
        return wrapper(held)

    def _scancode(self, wrapper: Any, size: int, key: int) -> int:
        # pygame 2.6 has no get_scancode_from_key; the wrapper itself maps key -> scancode.
        if key not in self._scancodes:
            for code in range(size):
                probe = [False] * size
                probe[code] = True
                if wrapper(probe)[key]:
                    self._scancodes[key] = code
                    break
            else:
                raise AssertionError(f"no scancode for key {key}")
        return self._scancodes[key]


_REAL: dict[str, Any] = {}


@pytest.fixture
def window(monkeypatch: pytest.MonkeyPatch) -> Window:
    """Record what each ``display.update`` / ``flip`` presents."""
    recorder = Window()
    real_update, real_flip = pygame.display.update, pygame.display.flip

    def update(rects: Any = None) -> None:
        recorder.update(rects)
        real_update() if rects is None else real_update(rects)

    def flip() -> None:
        recorder.flip()
        real_flip()

    monkeypatch.setattr(pygame.display, "update", update)
    monkeypatch.setattr(pygame.display, "flip", flip)
    return recorder


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> HeldInput:
    """Polled input state the test sets (dummy SDL keeps none)."""
    state = HeldInput()
    _REAL["key.get_pressed"] = pygame.key.get_pressed
    monkeypatch.setattr(pygame.key, "get_pressed", state.get_pressed)
    monkeypatch.setattr(pygame.mouse, "get_pos", lambda: state.mouse_pos)
    monkeypatch.setattr(pygame.mouse, "get_pressed", lambda num_buttons=3: state.mouse_buttons)
    monkeypatch.setattr(pygame.joystick, "get_count", lambda: 1)
    monkeypatch.setattr(pygame.joystick, "Joystick", lambda index: state.stick)
    return state


@pytest.fixture
def pygame_up() -> Iterator[None]:
    pygame.init()
    yield
    pygame.quit()


@pytest.fixture
def kgen_options(tmp_path: Path, sandbox: Any) -> Any:
    """Options that point a game's ``KGen`` at the test's sandbox (one data dir per run)."""

    def options(run: str, **extra: Any) -> dict[str, Any]:
        return {
            "base_url": sandbox.url,
            "client_id": DEFAULT_CLIENT_ID,
            "client_secret": DEFAULT_CLIENT_SECRET,
            "data_dir": tmp_path / run,
            **extra,
        }

    return options
