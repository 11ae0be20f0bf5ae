"""Input: keyboard, mouse and gamepad events turned into menu actions and a movement vector.

Held state is tracked from events (not pygame.key.get_pressed()), so posted events - from the
autoplay bot, scripts and tests - drive the game exactly like real hardware.
Gamepads: JOY* events (any joystick) and CONTROLLER* events (SDL game controllers) are both
understood; a device that sends CONTROLLER* events has its duplicate JOY* events ignored.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field

import pygame

log = logging.getLogger(__name__)


class Action(enum.Enum):
    """What a key or button means to menus and scenes."""

    UP = "up"
    DOWN = "down"
    LEFT = "left"
    RIGHT = "right"
    CONFIRM = "confirm"
    BACK = "back"
    PAUSE = "pause"
    MUTE = "mute"


KEY_ACTIONS: dict[int, Action] = {
    pygame.K_UP: Action.UP,
    pygame.K_w: Action.UP,
    pygame.K_DOWN: Action.DOWN,
    pygame.K_s: Action.DOWN,
    pygame.K_LEFT: Action.LEFT,
    pygame.K_a: Action.LEFT,
    pygame.K_RIGHT: Action.RIGHT,
    pygame.K_d: Action.RIGHT,
    pygame.K_RETURN: Action.CONFIRM,
    pygame.K_KP_ENTER: Action.CONFIRM,
    pygame.K_SPACE: Action.CONFIRM,
    pygame.K_ESCAPE: Action.BACK,
    pygame.K_BACKSPACE: Action.BACK,
    pygame.K_p: Action.PAUSE,
    pygame.K_m: Action.MUTE,
}

# Xbox-style layout as SDL reports it for raw joysticks (A, B, Back, Start).
JOY_BUTTON_ACTIONS: dict[int, Action] = {0: Action.CONFIRM, 1: Action.BACK, 6: Action.BACK,
                                         7: Action.PAUSE}

CONTROLLER_BUTTON_ACTIONS: dict[int, Action] = {
    pygame.CONTROLLER_BUTTON_A: Action.CONFIRM,
    pygame.CONTROLLER_BUTTON_B: Action.BACK,
    pygame.CONTROLLER_BUTTON_BACK: Action.BACK,
    pygame.CONTROLLER_BUTTON_START: Action.PAUSE,
    pygame.CONTROLLER_BUTTON_DPAD_UP: Action.UP,
    pygame.CONTROLLER_BUTTON_DPAD_DOWN: Action.DOWN,
    pygame.CONTROLLER_BUTTON_DPAD_LEFT: Action.LEFT,
    pygame.CONTROLLER_BUTTON_DPAD_RIGHT: Action.RIGHT,
}


@dataclass(frozen=True, slots=True)
class Control:
    """One line of the controls help: what it does and how, on each kind of device.

    `short` is the title screen's footer form ("" leaves it out of the footer).
    """

    what: str
    keys: str
    mouse: str = ""
    gamepad: str = ""
    short: str = ""

    @property
    def buttons(self) -> list[str]:
        """Every key and gamepad button of this control ("P", "Esc", "Start")."""
        return [name for names in (self.keys, self.gamepad) if names
                for name in names.split(", ")]


# The controls, defined once: `--help` lists them, the title screen's footer shows the short
# forms and the pause screen says how to resume. The game's keys are KEY_ACTIONS above (a test
# checks they agree); F1 and the KGeN panels belong to the plugin.
MOVE = Control("move (the ship, in menus)", "Arrows, WASD", "point", "left stick, d-pad",
               short="Arrows/WASD/mouse move")
SELECT = Control("select", "Enter, Space", "left click", "A", short="Enter select")
PAUSE = Control("pause / resume a round", "P, Esc", "", "Start", short="P pause")
BACK = Control("back (title screen: quit)", "Esc, Backspace", "", "B, Back",
               short="Esc back/quit")
MUTE = Control("sound on / off", "M", short="M mute")
KGEN_MENU = Control("open / close the KGeN menu", "F1", "click the KGeN badge",
                    short="F1 KGeN")
PANEL_MOVE = Control("in a KGeN panel: next / prev", "Tab, Shift+Tab, arrows", "",
                     "d-pad, stick, RB / LB")
PANEL_PRESS = Control("in a KGeN panel: press / back", "Enter, Space / Esc", "left click",
                      "A / B")
CONTROLS: tuple[Control, ...] = (MOVE, SELECT, PAUSE, BACK, MUTE, KGEN_MENU, PANEL_MOVE,
                                 PANEL_PRESS)


def controls_help() -> str:
    """The controls, one per line (for `--help`): what, then keys, mouse and gamepad."""
    width = max(len(c.what) for c in CONTROLS)
    lines = []
    for c in CONTROLS:
        ways = [c.keys] + [f"{device} {how}" for device, how in
                           (("mouse", c.mouse), ("gamepad", c.gamepad)) if how]
        lines.append(f"  {c.what.ljust(width)}  {';  '.join(ways)}")
    return "\n".join(lines)


def controls_footer() -> str:
    """The short forms, for the title screen's footer."""
    return "   ".join(c.short for c in CONTROLS if c.short)


DIRECTIONS: dict[Action, tuple[int, int]] = {
    Action.UP: (0, -1),
    Action.DOWN: (0, 1),
    Action.LEFT: (-1, 0),
    Action.RIGHT: (1, 0),
}

STICK_DEADZONE = 0.22
STICK_MENU_THRESHOLD = 0.6


@dataclass(slots=True)
class PointerEvent:
    """A mouse event already mapped to canvas coordinates."""

    kind: str  # "move", "down" or "up"
    pos: tuple[float, float]
    button: int = 0


def _axis_value(raw: float) -> float:
    """JOYAXISMOTION gives -1..1; CONTROLLERAXISMOTION gives raw -32768..32767."""
    value = float(raw)
    if abs(value) > 1.0:
        value /= 32767.0
    return max(-1.0, min(1.0, value))


@dataclass(slots=True)
class InputState:
    """Everything held down right now, plus the actions triggered this frame."""

    held: set[Action] = field(default_factory=set)
    stick: pygame.Vector2 = field(default_factory=pygame.Vector2)
    hat: tuple[int, int] = (0, 0)
    controller_ids: set[int] = field(default_factory=set)
    joysticks: dict[int, pygame.joystick.JoystickType] = field(default_factory=dict)
    _stick_menu: dict[str, int] = field(default_factory=lambda: {"x": 0, "y": 0})
    _held_keys: dict[int, Action] = field(default_factory=dict)
    _held_buttons: dict[tuple[str, int, int], Action] = field(default_factory=dict)

    def clear(self) -> None:
        """Forget held input (e.g. when an overlay opens and swallows the key-up events)."""
        self.held.clear()
        self._held_keys.clear()
        self._held_buttons.clear()
        self.stick.update(0, 0)
        self.hat = (0, 0)
        self._stick_menu = {"x": 0, "y": 0}

    def movement(self) -> pygame.Vector2:
        """Combined digital + analog movement, length <= 1."""
        move = pygame.Vector2(0, 0)
        for action in self.held:
            dx, dy = DIRECTIONS.get(action, (0, 0))
            move.x += dx
            move.y += dy
        move.x += self.hat[0]
        move.y -= self.hat[1]  # hat y is +1 for up
        if move.length_squared() > 0:
            move = move.normalize()
        if self.stick.length() > STICK_DEADZONE:
            move += self.stick
        if move.length() > 1:
            move = move.normalize()
        return move

    # -- event translation ----------------------------------------------------------------------

    def handle_event(self, event: pygame.event.Event) -> list[Action]:
        """Update held state from one event and return the actions it triggers."""
        etype = event.type
        if etype == pygame.KEYDOWN:
            action = KEY_ACTIONS.get(event.key)
            if action is None:
                return []
            self._held_keys[event.key] = action
            self._refresh_held()
            return [action]
        if etype == pygame.KEYUP:
            self._held_keys.pop(event.key, None)
            self._refresh_held()
            return []
        if etype == pygame.CONTROLLERBUTTONDOWN:
            self.controller_ids.add(int(event.instance_id))
            return self._button_down("c", event, CONTROLLER_BUTTON_ACTIONS)
        if etype == pygame.CONTROLLERBUTTONUP:
            return self._button_up("c", event)
        if etype == pygame.JOYBUTTONDOWN:
            if self._from_controller(event):
                return []
            return self._button_down("j", event, JOY_BUTTON_ACTIONS)
        if etype == pygame.JOYBUTTONUP:
            return self._button_up("j", event)
        if etype == pygame.CONTROLLERAXISMOTION:
            self.controller_ids.add(int(event.instance_id))
            if event.axis in (pygame.CONTROLLER_AXIS_LEFTX, pygame.CONTROLLER_AXIS_LEFTY):
                is_x = event.axis == pygame.CONTROLLER_AXIS_LEFTX
                return self._axis("x" if is_x else "y", _axis_value(event.value))
            return []
        if etype == pygame.JOYAXISMOTION:
            if self._from_controller(event) or event.axis not in (0, 1):
                return []
            return self._axis("x" if event.axis == 0 else "y", _axis_value(event.value))
        if etype == pygame.JOYHATMOTION:
            if self._from_controller(event):
                return []
            old = self.hat
            self.hat = (int(event.value[0]), int(event.value[1]))
            return self._hat_actions(old, self.hat)
        if etype == pygame.JOYDEVICEADDED:
            self._open_joystick(int(event.device_index))
        elif etype == pygame.JOYDEVICEREMOVED:
            self.joysticks.pop(int(event.instance_id), None)
            self.controller_ids.discard(int(event.instance_id))
            self.clear()
        return []

    def _from_controller(self, event: pygame.event.Event) -> bool:
        instance = getattr(event, "instance_id", None)
        return instance is not None and int(instance) in self.controller_ids

    def _button_down(self, source: str, event: pygame.event.Event,
                     table: dict[int, Action]) -> list[Action]:
        action = table.get(int(event.button))
        if action is None:
            return []
        key = (source, int(getattr(event, "instance_id", 0)), int(event.button))
        self._held_buttons[key] = action
        self._refresh_held()
        return [action]

    def _button_up(self, source: str, event: pygame.event.Event) -> list[Action]:
        key = (source, int(getattr(event, "instance_id", 0)), int(event.button))
        self._held_buttons.pop(key, None)
        self._refresh_held()
        return []

    def _refresh_held(self) -> None:
        self.held = set(self._held_keys.values()) | set(self._held_buttons.values())

    def _axis(self, name: str, value: float) -> list[Action]:
        if name == "x":
            self.stick.x = value
        else:
            self.stick.y = value
        # Menus get one action per push past the threshold (with hysteresis back to centre).
        direction = 0
        if value > STICK_MENU_THRESHOLD:
            direction = 1
        elif value < -STICK_MENU_THRESHOLD:
            direction = -1
        elif abs(value) > STICK_MENU_THRESHOLD / 2:
            return []
        previous = self._stick_menu[name]
        self._stick_menu[name] = direction
        if direction == 0 or direction == previous:
            return []
        if name == "x":
            return [Action.RIGHT if direction > 0 else Action.LEFT]
        return [Action.DOWN if direction > 0 else Action.UP]

    @staticmethod
    def _hat_actions(old: tuple[int, int], new: tuple[int, int]) -> list[Action]:
        actions = []
        if new[0] != old[0] and new[0] != 0:
            actions.append(Action.RIGHT if new[0] > 0 else Action.LEFT)
        if new[1] != old[1] and new[1] != 0:
            actions.append(Action.UP if new[1] > 0 else Action.DOWN)
        return actions

    def _open_joystick(self, device_index: int) -> None:
        try:
            stick = pygame.joystick.Joystick(device_index)
            stick.init()
        except pygame.error as exc:
            log.warning("input: cannot open joystick %d: %s", device_index, exc)
            return
        self.joysticks[stick.get_instance_id()] = stick
        log.info("input: gamepad connected: %s", stick.get_name())
