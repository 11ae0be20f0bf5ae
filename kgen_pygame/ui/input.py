"""Raw pygame events to device-independent intents.

Widgets never look at keys, buttons or axes: :class:`InputMapper` turns keyboard,
mouse, joystick (``JOY*``) and game controller (``CONTROLLER*``) events into
:class:`Intent` values such as ``Action.NEXT`` or ``Action.ACTIVATE``. Sticks and
hats use a dead-zone with hysteresis, fire once per push and auto-repeat while
held (driven by :meth:`InputMapper.update`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import pygame


class Action(enum.Enum):
    """What the player means, whichever device they used."""

    NEXT = "next"  # Tab, right shoulder
    PREV = "prev"  # Shift+Tab, left shoulder
    UP = "up"
    DOWN = "down"
    LEFT = "left"
    RIGHT = "right"
    ACTIVATE = "activate"  # Enter, Space, gamepad A
    BACK = "back"  # Esc, gamepad B
    SCROLL = "scroll"  # wheel; ``amount`` lines, positive = down
    PAGE_UP = "page_up"
    PAGE_DOWN = "page_down"
    HOME = "home"
    END = "end"
    TEXT = "text"  # committed text (TEXTINPUT)
    COMPOSE = "compose"  # IME composition in progress (TEXTEDITING); ``amount`` = cursor
    ERASE_BACK = "erase_back"  # Backspace
    ERASE_FORWARD = "erase_forward"  # Delete
    PASTE = "paste"  # Ctrl/Cmd+V, Shift+Insert
    POINTER_MOVE = "pointer_move"
    POINTER_DOWN = "pointer_down"
    POINTER_UP = "pointer_up"


class Device(enum.Enum):
    """Where an intent came from (widgets rarely care; the focus ring and text fields do)."""

    KEYBOARD = "keyboard"
    MOUSE = "mouse"
    GAMEPAD = "gamepad"


#: Actions that move focus or a selection; they auto-repeat on gamepads.
DIRECTIONS = frozenset({Action.UP, Action.DOWN, Action.LEFT, Action.RIGHT})
POINTER_ACTIONS = frozenset({Action.POINTER_MOVE, Action.POINTER_DOWN, Action.POINTER_UP})


@dataclass(frozen=True, slots=True)
class Intent:
    """One thing the player asked for. ``pos`` is set for pointer intents and wheel scrolls."""

    action: Action
    device: Device = Device.KEYBOARD
    pos: tuple[int, int] | None = None
    amount: int = 0
    text: str = ""
    key: int | None = None

    @property
    def is_pointer(self) -> bool:
        """True for mouse move/down/up intents."""
        return self.action in POINTER_ACTIONS


#: Every event type an open overlay consumes (everything else is left to the game).
INPUT_EVENT_TYPES = frozenset(
    {
        pygame.KEYDOWN,
        pygame.KEYUP,
        pygame.TEXTINPUT,
        pygame.TEXTEDITING,
        pygame.MOUSEMOTION,
        pygame.MOUSEBUTTONDOWN,
        pygame.MOUSEBUTTONUP,
        pygame.MOUSEWHEEL,
        pygame.JOYAXISMOTION,
        pygame.JOYBALLMOTION,
        pygame.JOYHATMOTION,
        pygame.JOYBUTTONDOWN,
        pygame.JOYBUTTONUP,
        pygame.CONTROLLERAXISMOTION,
        pygame.CONTROLLERBUTTONDOWN,
        pygame.CONTROLLERBUTTONUP,
        pygame.FINGERDOWN,
        pygame.FINGERUP,
        pygame.FINGERMOTION,
        pygame.MULTIGESTURE,
    }
)

_KEY_ACTIONS: dict[int, Action] = {
    pygame.K_UP: Action.UP,
    pygame.K_DOWN: Action.DOWN,
    pygame.K_LEFT: Action.LEFT,
    pygame.K_RIGHT: Action.RIGHT,
    pygame.K_RETURN: Action.ACTIVATE,
    pygame.K_KP_ENTER: Action.ACTIVATE,
    pygame.K_SPACE: Action.ACTIVATE,
    pygame.K_ESCAPE: Action.BACK,
    pygame.K_AC_BACK: Action.BACK,
    pygame.K_BACKSPACE: Action.ERASE_BACK,
    pygame.K_DELETE: Action.ERASE_FORWARD,
    pygame.K_HOME: Action.HOME,
    pygame.K_END: Action.END,
    pygame.K_PAGEUP: Action.PAGE_UP,
    pygame.K_PAGEDOWN: Action.PAGE_DOWN,
}

# Raw joystick buttons in SDL's XInput-style layout (Xbox pads, most PC pads, Steam Deck).
_JOY_BUTTON_ACTIONS: dict[int, Action] = {
    0: Action.ACTIVATE,  # A / Cross
    1: Action.BACK,  # B / Circle
    4: Action.PREV,  # left shoulder
    5: Action.NEXT,  # right shoulder
}

_CONTROLLER_BUTTON_ACTIONS: dict[int, Action] = {
    pygame.CONTROLLER_BUTTON_A: Action.ACTIVATE,
    pygame.CONTROLLER_BUTTON_B: Action.BACK,
    pygame.CONTROLLER_BUTTON_BACK: Action.BACK,
    pygame.CONTROLLER_BUTTON_LEFTSHOULDER: Action.PREV,
    pygame.CONTROLLER_BUTTON_RIGHTSHOULDER: Action.NEXT,
    pygame.CONTROLLER_BUTTON_DPAD_UP: Action.UP,
    pygame.CONTROLLER_BUTTON_DPAD_DOWN: Action.DOWN,
    pygame.CONTROLLER_BUTTON_DPAD_LEFT: Action.LEFT,
    pygame.CONTROLLER_BUTTON_DPAD_RIGHT: Action.RIGHT,
}

# (axis index, negative direction, positive direction) for the left stick.
_JOY_AXES: dict[int, tuple[Action, Action]] = {
    0: (Action.LEFT, Action.RIGHT),
    1: (Action.UP, Action.DOWN),
}
_CONTROLLER_AXES: dict[int, tuple[Action, Action]] = {
    pygame.CONTROLLER_AXIS_LEFTX: (Action.LEFT, Action.RIGHT),
    pygame.CONTROLLER_AXIS_LEFTY: (Action.UP, Action.DOWN),
}
_CONTROLLER_AXIS_MAX = 32767.0


@dataclass(slots=True)
class _Held:
    action: Action
    held: float = 0.0
    next_repeat: float = 0.0


class InputMapper:
    """Stateful translation of pygame events into intents.

    State kept: the last pointer position (a ``MOUSEWHEEL`` event carries none),
    which stick/hat/d-pad directions are held (for the repeat guard and auto-repeat),
    and which joysticks also report as game controllers (their duplicate ``JOY*``
    events are ignored).
    """

    def __init__(
        self,
        *,
        dead_zone: float = 0.5,
        release_zone: float = 0.3,
        repeat_delay: float = 0.45,
        repeat_interval: float = 0.12,
        wheel_lines: int = 3,
    ) -> None:
        self.dead_zone = dead_zone
        self.release_zone = release_zone
        self.repeat_delay = repeat_delay
        self.repeat_interval = repeat_interval
        self.wheel_lines = wheel_lines
        self.pointer_pos: tuple[int, int] | None = None
        #: The device of the latest intent (hints show "Esc" or "B" accordingly).
        self.last_device = Device.KEYBOARD
        self._held: dict[tuple[str, int, int], _Held] = {}
        self._axis_zone: dict[tuple[str, int, int], int] = {}
        self._hats: dict[tuple[int, int], tuple[int, int]] = {}
        self._controller_ids: set[int] = set()
        self._joy_this_tick: set[tuple[int, Action]] = set()

    def reset(self) -> None:
        """Forget held directions (call when an overlay opens or closes)."""
        self._held.clear()
        self._axis_zone.clear()
        self._hats.clear()
        self._joy_this_tick.clear()

    def map(self, event: pygame.event.Event) -> list[Intent]:
        """The intents ``event`` stands for (often none)."""
        intents = self._map(event)
        if intents:
            self.last_device = intents[-1].device
        return intents

    def _map(self, event: pygame.event.Event) -> list[Intent]:
        kind = event.type
        if kind == pygame.KEYDOWN:
            return self._key(event)
        if kind == pygame.TEXTINPUT:
            return [Intent(Action.TEXT, text=str(event.text))] if event.text else []
        if kind == pygame.TEXTEDITING:
            return [Intent(Action.COMPOSE, text=str(event.text), amount=int(event.start))]
        if kind in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            return self._mouse(event)
        if kind == pygame.MOUSEWHEEL:
            return self._wheel(event)
        if kind in (pygame.CONTROLLERBUTTONDOWN, pygame.CONTROLLERBUTTONUP):
            return self._controller_button(event)
        if kind == pygame.CONTROLLERAXISMOTION:
            return self._controller_axis(event)
        if kind in (pygame.JOYBUTTONDOWN, pygame.JOYBUTTONUP):
            return self._joy_button(event)
        if kind == pygame.JOYHATMOTION:
            return self._joy_hat(event)
        if kind == pygame.JOYAXISMOTION:
            return self._joy_axis(event)
        return []

    def update(self, dt: float) -> list[Intent]:
        """Advance held-direction timers by ``dt`` seconds; returns auto-repeat intents."""
        self._joy_this_tick.clear()
        repeats: list[Intent] = []
        for held in self._held.values():
            held.held += dt
            if held.held >= held.next_repeat:
                repeats.append(Intent(held.action, Device.GAMEPAD))
                held.next_repeat = max(held.next_repeat + self.repeat_interval, held.held)
        return repeats

    # keyboard -------------------------------------------------------------------

    def _key(self, event: pygame.event.Event) -> list[Intent]:
        key = int(event.key)
        mod = int(getattr(event, "mod", 0))
        if key == pygame.K_TAB:
            action = Action.PREV if mod & pygame.KMOD_SHIFT else Action.NEXT
            return [Intent(action, key=key)]
        if (key == pygame.K_v and mod & (pygame.KMOD_CTRL | pygame.KMOD_META)) or (
            key == pygame.K_INSERT and mod & pygame.KMOD_SHIFT
        ):
            return [Intent(Action.PASTE, key=key)]
        mapped = _KEY_ACTIONS.get(key)
        return [Intent(mapped, key=key)] if mapped is not None else []

    # mouse ----------------------------------------------------------------------

    def _mouse(self, event: pygame.event.Event) -> list[Intent]:
        pos = (int(event.pos[0]), int(event.pos[1]))
        self.pointer_pos = pos
        if event.type == pygame.MOUSEMOTION:
            return [Intent(Action.POINTER_MOVE, Device.MOUSE, pos=pos)]
        if int(event.button) != 1:  # 4/5 are the legacy wheel events; MOUSEWHEEL covers them
            return []
        action = Action.POINTER_DOWN if event.type == pygame.MOUSEBUTTONDOWN else Action.POINTER_UP
        return [Intent(action, Device.MOUSE, pos=pos)]

    def _wheel(self, event: pygame.event.Event) -> list[Intent]:
        lines = int(event.y)
        if getattr(event, "flipped", False):
            lines = -lines
        if lines == 0:
            return []
        pos = self.pointer_pos
        if pos is None and pygame.mouse.get_focused():
            pos = pygame.mouse.get_pos()
        return [Intent(Action.SCROLL, Device.MOUSE, pos=pos, amount=-lines * self.wheel_lines)]

    # gamepads -------------------------------------------------------------------

    def _controller_button(self, event: pygame.event.Event) -> list[Intent]:
        instance = int(event.instance_id)
        self._controller_ids.add(instance)
        action = _CONTROLLER_BUTTON_ACTIONS.get(int(event.button))
        if action is None:
            return []
        hold_key = ("cbutton", instance, int(event.button))
        if event.type == pygame.CONTROLLERBUTTONUP:
            self._held.pop(hold_key, None)
            return []
        if (instance, action) in self._joy_this_tick:
            return []  # the same press already arrived as a JOYBUTTONDOWN this frame
        if action in DIRECTIONS:
            self._hold(hold_key, action)
        return [Intent(action, Device.GAMEPAD)]

    def _controller_axis(self, event: pygame.event.Event) -> list[Intent]:
        instance = int(event.instance_id)
        self._controller_ids.add(instance)
        pair = _CONTROLLER_AXES.get(int(event.axis))
        if pair is None:
            return []
        value = float(event.value) / _CONTROLLER_AXIS_MAX
        return self._axis(("caxis", instance, int(event.axis)), value, pair)

    def _joy_button(self, event: pygame.event.Event) -> list[Intent]:
        instance = _instance_id(event)
        if instance in self._controller_ids:
            return []
        action = _JOY_BUTTON_ACTIONS.get(int(event.button))
        if action is None or event.type == pygame.JOYBUTTONUP:
            return []
        self._joy_this_tick.add((instance, action))
        return [Intent(action, Device.GAMEPAD)]

    def _joy_hat(self, event: pygame.event.Event) -> list[Intent]:
        instance = _instance_id(event)
        if instance in self._controller_ids:
            return []
        hat = int(getattr(event, "hat", 0))
        x, y = (int(event.value[0]), int(event.value[1]))
        old_x, old_y = self._hats.get((instance, hat), (0, 0))
        self._hats[(instance, hat)] = (x, y)
        intents: list[Intent] = []
        for axis, old, new, (negative, positive) in (
            (0, old_x, x, (Action.LEFT, Action.RIGHT)),
            (1, old_y, y, (Action.DOWN, Action.UP)),  # hat y is +1 for up
        ):
            hold_key = ("hat", instance, hat * 2 + axis)
            if new == old:
                continue
            self._held.pop(hold_key, None)
            if new:
                action = positive if new > 0 else negative
                self._hold(hold_key, action)
                self._joy_this_tick.add((instance, action))
                intents.append(Intent(action, Device.GAMEPAD))
        return intents

    def _joy_axis(self, event: pygame.event.Event) -> list[Intent]:
        instance = _instance_id(event)
        if instance in self._controller_ids:
            return []
        pair = _JOY_AXES.get(int(event.axis))
        if pair is None:
            return []
        return self._axis(("jaxis", instance, int(event.axis)), float(event.value), pair)

    def _axis(
        self, hold_key: tuple[str, int, int], value: float, pair: tuple[Action, Action]
    ) -> list[Intent]:
        zone = self._axis_zone.get(hold_key, 0)
        if zone and abs(value) < self.release_zone:
            new_zone = 0
        elif abs(value) >= self.dead_zone:
            new_zone = 1 if value > 0 else -1
        else:
            new_zone = zone  # between the two thresholds: keep what we had (no chatter)
        if new_zone == zone:
            return []  # the repeat guard: a held stick fires once, repeats come from update()
        self._axis_zone[hold_key] = new_zone
        self._held.pop(hold_key, None)
        if not new_zone:
            return []
        action = pair[1] if new_zone > 0 else pair[0]
        self._hold(hold_key, action)
        return [Intent(action, Device.GAMEPAD)]

    def _hold(self, hold_key: tuple[str, int, int], action: Action) -> None:
        self._held[hold_key] = _Held(action, 0.0, self.repeat_delay)


def _instance_id(event: pygame.event.Event) -> int:
    # pygame 2 gives both instance_id and the deprecated joy; prefer the stable one.
    return int(getattr(event, "instance_id", getattr(event, "joy", -1)))
