"""Flow steps that play the KGeN overlay like a player: real input events, aimed by reading.

Builders for input (key presses with their TEXTINPUT, typing, gamepad buttons and d-pad, mouse
clicks on a widget or on one of the game's own buttons) and for waits on what the overlay shows
(the panel on top, a dialog, an error a panel displays). Reading the overlay tells a step where
it is and where to click - as the plugin's own tests do - but no step ever calls a panel.
Used by demo_game/full_flow.py; see demo_game/scripts.py for Flow, Stage and the basic steps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pygame

from demo_game.scripts import (
    Flow,
    FlowError,
    FlowStep,
    ScriptHost,
    is_pause,
    key_down,
    key_up,
    post,
)

PAD = 7  # instance id of the script's virtual gamepad
PAD_A, PAD_B, PAD_NEXT = 0, 1, 5  # raw joystick buttons (XInput layout)


# -- input events ------------------------------------------------------------------------------

def key_events(key: int, unicode: str = "") -> list[pygame.event.Event]:
    """One key press as SDL reports it: KEYDOWN, TEXTINPUT (printable keys), KEYUP."""
    events = [key_down(key, unicode)]
    if unicode and unicode.isprintable():
        events.append(pygame.event.Event(pygame.TEXTINPUT, text=unicode))
    events.append(key_up(key))
    return events


def pad_button_events(button: int) -> list[pygame.event.Event]:
    """A gamepad button press and release (raw joystick events)."""
    return [pygame.event.Event(kind, instance_id=PAD, joy=PAD, button=button)
            for kind in (pygame.JOYBUTTONDOWN, pygame.JOYBUTTONUP)]


def pad_hat_events(dy: int) -> list[pygame.event.Event]:
    """The d-pad pushed up (+1) or down (-1), then released."""
    return [pygame.event.Event(pygame.JOYHATMOTION, instance_id=PAD, joy=PAD, hat=0,
                               value=value) for value in ((0, dy), (0, 0))]


def click_events(pos: tuple[int, int]) -> list[pygame.event.Event]:
    """The mouse moves to `pos` (window pixels) and clicks the left button."""
    return [
        pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)),
        pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1),
        pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1),
    ]


def pad(button: int) -> FlowStep:
    """Press a gamepad button now."""
    return post(*pad_button_events(button))


def type_keys(text: str | Callable[[], str], every: int = 3) -> FlowStep:
    """Type `text` (or what `text()` gives) one key every `every` frames, like a keyboard."""
    state = {"typed": 0, "last": -every}

    def step(frame: int, host: ScriptHost) -> bool:
        chars = text() if callable(text) else text
        if state["typed"] >= len(chars):
            return True
        if frame - state["last"] < every:
            return False
        state["last"] = frame
        char = chars[state["typed"]]
        state["typed"] += 1
        for event in key_events(ord(char), char):
            host.post(event)
        return state["typed"] >= len(chars)

    return step


# -- reading the overlay (never acting on it) --------------------------------------------------

def top_view(host: ScriptHost) -> Any:
    """The overlay's top view (a panel or a dialog), or None."""
    return host.kgen.overlay_view


def panel(host: ScriptHost, name: str) -> Any:
    """The panel `name` when it is on top of the overlay, else None."""
    view = top_view(host)
    if view is None or getattr(view, "is_dialog", False) or getattr(view, "name", "") != name:
        return None
    return view


def is_on_top(name: str) -> Callable[[ScriptHost], bool]:
    return lambda host: panel(host, name) is not None


def dialog_open(host: ScriptHost) -> bool:
    return bool(getattr(top_view(host), "is_dialog", False))


def panel_problem(host: ScriptHost, name: str, *fields: str) -> str | None:
    """What the panel shows as having gone wrong (load failure, message bar, field errors)."""
    view = panel(host, name)
    if view is None:
        return None
    status = getattr(view, "status", None)
    if status is not None and getattr(status, "failed", False):
        return f"the {name} panel could not load: {status.message.text}"
    message = getattr(getattr(view, "message", None), "text", "")
    if message:
        return f"the {name} panel says: {message}"
    for attr in fields:
        error = getattr(getattr(view, attr, None), "error", None)
        if error:
            return f"the {name} panel's {attr} field says: {error}"
    return None


def until_shown(name: str, ready: Callable[[Any], bool], *fields: str) -> FlowStep:
    """Wait until panel `name` is on top and `ready(panel)`; fail on any error it shows."""

    def step(frame: int, host: ScriptHost) -> bool:
        problem = panel_problem(host, name, *fields)
        if problem is not None:
            raise FlowError(problem)
        view = panel(host, name)
        return view is not None and ready(view)

    return step


def focus(name: str, widget: str, move: Callable[[], list[pygame.event.Event]],
          every: int) -> FlowStep:
    """Move the focus of panel `name` (posting `move()` every `every` frames) onto `widget`."""
    last = {"frame": -every}

    def step(frame: int, host: ScriptHost) -> bool:
        view = panel(host, name)
        if view is None:
            return False
        if view.focused is getattr(view, widget):
            return True
        if frame - last["frame"] >= every:
            last["frame"] = frame
            for event in move():
                host.post(event)
        return False

    return step


def click_widget(name: str, widget: str) -> FlowStep:
    """Click the middle of `widget` of panel `name` with the mouse (once it has an area)."""

    def step(frame: int, host: ScriptHost) -> bool:
        view = panel(host, name)
        target = getattr(view, widget, None) if view is not None else None
        if target is None or not target.visible or not target.enabled:
            return False
        rect = target.focus_rect()
        if rect.width <= 0 or rect.height <= 0:
            return False
        for event in click_events(rect.center):
            host.post(event)
        return True

    return step


def erase(name: str, widget: str) -> FlowStep:
    """End, then Backspace until the text field `widget` of panel `name` is empty."""

    def step(frame: int, host: ScriptHost) -> bool:
        field = getattr(panel(host, name), widget, None)
        if field is None:
            return False
        events = key_events(pygame.K_END)
        for _ in range(len(field.text)):
            events += key_events(pygame.K_BACKSPACE)
        for event in events:
            host.post(event)
        return True

    return step


def click_menu_item(label: str) -> FlowStep:
    """Click the game's own menu button `label` (canvas coordinates mapped to the window)."""

    def step(frame: int, host: ScriptHost) -> bool:
        menu = getattr(host.scene, "menu", None)
        if menu is None:
            return False
        for item, rect in zip(menu.items, menu.rects(), strict=True):
            if item.label == label:
                for event in click_events(host.viewport.to_window(rect.center)):
                    host.post(event)
                return True
        raise FlowError(f"the {host.scene_name} screen has no {label} button")

    return step


class _Sequence:
    """Several steps as one; pausing while the step inside is one of the flow's pauses."""

    def __init__(self, steps: tuple[FlowStep, ...]) -> None:
        self.inner = Flow(steps)

    @property
    def pausing(self) -> bool:
        return self.inner.pausing

    def __call__(self, frame: int, host: ScriptHost) -> bool:
        self.inner.on_frame(frame, host)
        if self.inner.failure is not None:
            raise FlowError(self.inner.failure)
        return self.inner.done


def sequence(*steps: FlowStep) -> FlowStep:
    """Several steps as one (a failure inside fails the outer flow too)."""
    return _Sequence(steps)


class _Unless:
    """Runs one of two steps, chosen on its first frame."""

    def __init__(self, predicate: Callable[[ScriptHost], bool], step: FlowStep,
                 otherwise: FlowStep | None) -> None:
        self.predicate, self.step, self.otherwise = predicate, step, otherwise
        self.chosen: list[FlowStep | None] = []

    @property
    def pausing(self) -> bool:
        return bool(self.chosen) and self.chosen[0] is not None and is_pause(self.chosen[0])

    def __call__(self, frame: int, host: ScriptHost) -> bool:
        if not self.chosen:
            self.chosen.append(self.otherwise if self.predicate(host) else self.step)
        picked = self.chosen[0]
        return True if picked is None else picked(frame, host)


def unless(predicate: Callable[[ScriptHost], bool], step: FlowStep,
           otherwise: FlowStep | None = None) -> FlowStep:
    """Run `step`, or `otherwise` (if given) when `predicate(host)` holds at the start."""
    return _Unless(predicate, step, otherwise)
