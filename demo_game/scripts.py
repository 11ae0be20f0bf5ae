"""Scripted input for `--script NAME`: real pygame events posted at chosen frames.

A script is any object with ``on_frame(frame, host)``, called at the start of every frame before
the game reads its events; it posts events with ``host.post(event)`` and may look at
``host.scene_name``, ``host.kgen`` (the KGenLink) and ``host.viewport`` (to aim mouse clicks).
Register a factory under a name with :func:`register`; ``--script NAME`` looks it up.

Two ready-made kinds:
- Timeline: a list of (frame, event) pairs; helpers build key taps, held keys and pad presses.
- Flow: steps run one after another, each may wait - for frames, for a scene, for KGeN to be
  ready - before posting events; good for flows whose timing depends on the network:

      Flow([until_scene("title"), press(pygame.K_RETURN), until(lambda h: h.kgen.ready),
            type_text("9876543210"), click_canvas((640, 360)), wait(30)])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

import pygame

from demo_game.kgen_integration import KGenLink
from demo_game.viewport import Viewport

Step = tuple[int, pygame.event.Event]


class ScriptHost(Protocol):
    """What the App offers a script."""

    @property
    def scene_name(self) -> str: ...
    @property
    def kgen(self) -> KGenLink: ...
    @property
    def viewport(self) -> Viewport: ...
    def post(self, event: pygame.event.Event) -> None: ...


class InputScript(Protocol):
    """Drives the game by posting events."""

    @property
    def done(self) -> bool: ...
    def on_frame(self, frame: int, host: ScriptHost) -> None: ...


ScriptFactory = Callable[[], InputScript]
SCRIPTS: dict[str, ScriptFactory] = {}


def register(name: str) -> Callable[[ScriptFactory], ScriptFactory]:
    """Decorator: make a script factory available as ``--script name``."""

    def add(factory: ScriptFactory) -> ScriptFactory:
        SCRIPTS[name] = factory
        return factory

    return add


def create(name: str) -> InputScript:
    """Build the registered script `name` (KeyError lists the known names)."""
    try:
        factory = SCRIPTS[name]
    except KeyError:
        known = ", ".join(sorted(SCRIPTS)) or "none"
        raise KeyError(f"unknown script {name!r} (known: {known})") from None
    return factory()


class Timeline:
    """Posts each event at its frame; done after the last one."""

    def __init__(self, steps: Iterable[Step]) -> None:
        self.steps = sorted(steps, key=lambda step: step[0])
        self._next = 0

    @property
    def done(self) -> bool:
        return self._next >= len(self.steps)

    def on_frame(self, frame: int, host: ScriptHost) -> None:
        while self._next < len(self.steps) and self.steps[self._next][0] <= frame:
            host.post(self.steps[self._next][1])
            self._next += 1


# -- step builders ----------------------------------------------------------------------------

def key_down(key: int, unicode: str = "") -> pygame.event.Event:
    """A KEYDOWN with the attributes real ones carry."""
    return pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=unicode, scancode=0)


def key_up(key: int) -> pygame.event.Event:
    """The matching KEYUP."""
    return pygame.event.Event(pygame.KEYUP, key=key, mod=0, unicode="", scancode=0)


def tap(frame: int, key: int, unicode: str = "", hold: int = 2) -> list[Step]:
    """Press `key` at `frame`, release it `hold` frames later."""
    return [(frame, key_down(key, unicode)), (frame + hold, key_up(key))]


def hold(start: int, end: int, key: int) -> list[Step]:
    """Hold `key` from `start` to `end`."""
    return [(start, key_down(key)), (end, key_up(key))]


def pad_button(frame: int, button: int, *, controller: bool = False,
               instance_id: int = 0) -> list[Step]:
    """A gamepad button press and release (JOY* or CONTROLLER* events)."""
    down, up = ((pygame.CONTROLLERBUTTONDOWN, pygame.CONTROLLERBUTTONUP) if controller
                else (pygame.JOYBUTTONDOWN, pygame.JOYBUTTONUP))
    return [(frame, pygame.event.Event(down, instance_id=instance_id, joy=instance_id,
                                       button=button)),
            (frame + 2, pygame.event.Event(up, instance_id=instance_id, joy=instance_id,
                                           button=button))]


# -- flows: steps that may wait ------------------------------------------------------------

FlowStep = Callable[[int, ScriptHost], bool]  # (frame, host) -> True when the step is done


class Flow:
    """Runs steps in order; a step returning False is asked again on the next frame."""

    def __init__(self, steps: Iterable[FlowStep], *, timeout_frames: int | None = None) -> None:
        self.steps = list(steps)
        self.timeout_frames = timeout_frames
        self._index = 0
        self._started_at: int | None = None
        self.failed = False

    @property
    def done(self) -> bool:
        return self._index >= len(self.steps) or self.failed

    def on_frame(self, frame: int, host: ScriptHost) -> None:
        if self._started_at is None:
            self._started_at = frame
        if self.timeout_frames is not None and frame - self._started_at > self.timeout_frames:
            self.failed = True  # a flow that hangs must not hang the run
        while not self.done and self.steps[self._index](frame, host):
            self._index += 1


def wait(frames: int) -> FlowStep:
    """Let `frames` frames pass."""
    state: dict[str, int] = {}

    def step(frame: int, host: ScriptHost) -> bool:
        start = state.setdefault("start", frame)
        return frame - start >= frames

    return step


def until(predicate: Callable[[ScriptHost], bool]) -> FlowStep:
    """Wait until `predicate(host)` holds (e.g. ``lambda h: h.kgen.ready``)."""
    return lambda frame, host: predicate(host)


def until_scene(name: str) -> FlowStep:
    """Wait until the game shows scene `name`."""
    return until(lambda host: host.scene_name == name)


def post(*events: pygame.event.Event) -> FlowStep:
    """Post events now."""

    def step(frame: int, host: ScriptHost) -> bool:
        for event in events:
            host.post(event)
        return True

    return step


def press(key: int, unicode: str = "") -> FlowStep:
    """A key press: KEYDOWN and KEYUP (plus TEXTINPUT for printable keys, like SDL sends)."""
    events = [key_down(key, unicode)]
    if unicode.isprintable() and unicode:
        events.append(pygame.event.Event(pygame.TEXTINPUT, text=unicode))
    events.append(key_up(key))
    return post(*events)


def type_text(text: str) -> FlowStep:
    """Type `text` as TEXTINPUT events (what text fields read)."""
    return post(*(pygame.event.Event(pygame.TEXTINPUT, text=char) for char in text))


def click_canvas(pos: tuple[float, float], button: int = 1) -> FlowStep:
    """Move the mouse to a canvas position (mapped through the letterbox) and click."""

    def step(frame: int, host: ScriptHost) -> bool:
        return click_window(host.viewport.to_window(pos), button)(frame, host)

    return step


def click_window(pos: tuple[int, int], button: int = 1) -> FlowStep:
    """Move the mouse to a window position (where KGeN overlays live) and click."""
    return post(
        pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)),
        pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button),
        pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button),
    )


# -- built-in scripts -------------------------------------------------------------------------

@register("menu-tour")
def menu_tour() -> Timeline:
    """Title -> tournament choice (look around) -> practice -> fly a bit -> pause -> resume."""
    return Timeline([
        *tap(20, pygame.K_RETURN, "\r"),  # title: PLAY
        *tap(50, pygame.K_DOWN),  # choice: look at the next card...
        *tap(70, pygame.K_UP),  # ...and back to Practice
        *tap(90, pygame.K_RETURN, "\r"),  # play
        *hold(110, 170, pygame.K_RIGHT),
        *hold(150, 210, pygame.K_w),
        *hold(200, 260, pygame.K_LEFT),
        *tap(270, pygame.K_p, "p"),  # pause
        *tap(300, pygame.K_DOWN),  # the menu moves to RESTART...
        *tap(320, pygame.K_UP),  # ...back to RESUME
        *tap(350, pygame.K_RETURN, "\r"),  # resume
        *hold(360, 420, pygame.K_s),
        *tap(430, pygame.K_ESCAPE),  # Esc pauses too
        *pad_button(460, 7),  # gamepad Start resumes
    ])
