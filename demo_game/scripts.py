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

  A :class:`Stage` names a group of steps and gives it a frame budget; a stage that runs over,
  or a step that raises :class:`FlowError`, fails the flow with a message saying where and why
  (the App then ends the run with exit code 1).

``--script full-flow`` (demo_game/full_flow.py) is the whole KGeN flow built from these pieces.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import pygame

from demo_game.kgen_integration import KGenLink
from demo_game.viewport import Viewport

if TYPE_CHECKING:
    from demo_game.notifications import Notifier
    from demo_game.scenes import Scene

Step = tuple[int, pygame.event.Event]


class ScriptHost(Protocol):
    """What the App offers a script (to read the game and to post input; never to call it)."""

    @property
    def scene_name(self) -> str: ...
    @property
    def scene(self) -> Scene: ...
    @property
    def kgen(self) -> KGenLink: ...
    @property
    def notifier(self) -> Notifier: ...
    @property
    def viewport(self) -> Viewport: ...
    def post(self, event: pygame.event.Event) -> None: ...
    def save_flow_shot(self, filename: str) -> None:
        """Save the last presented frame as `filename` in the --flow-shots folder (if given)."""


class InputScript(Protocol):
    """Drives the game by posting events."""

    @property
    def done(self) -> bool: ...
    @property
    def failure(self) -> str | None:
        """Why the script gave up (the run then ends with exit code 1), or None."""
    @property
    def must_finish(self) -> bool:
        """True when ending the run before the script is done counts as a failure."""
    @property
    def fast_forward(self) -> bool | None:
        """Headless runs skip the frame-rate cap while True (e.g. while the bot plays) and keep
        it while False (the script waits on the network in frames); None: no preference."""
    @property
    def status(self) -> str:
        """One line for the run summary: how far the script got."""
    def on_frame(self, frame: int, host: ScriptHost) -> None: ...


@dataclass(frozen=True, slots=True)
class ScriptSettings:
    """How a script should run (from the command line)."""

    fast: bool = False  # --fast: no pauses for a person to read (CI); default: watchable


ScriptFactory = Callable[[ScriptSettings], InputScript]
SCRIPTS: dict[str, ScriptFactory] = {}
#: Scripts that must start from a new player (the command line gives them a fresh run).
FRESH_PLAYER_SCRIPTS: set[str] = set()


def register(name: str, *, fresh_player: bool = False
             ) -> Callable[[ScriptFactory], ScriptFactory]:
    """Decorator: make a script factory available as ``--script name``.

    `fresh_player`: the script assumes a new player (e.g. a wallet not linked yet), so
    ``python -m demo_game --script name`` always runs it as with ``--fresh``.
    """

    def add(factory: ScriptFactory) -> ScriptFactory:
        SCRIPTS[name] = factory
        if fresh_player:
            FRESH_PLAYER_SCRIPTS.add(name)
        return factory

    return add


def create(name: str, settings: ScriptSettings | None = None) -> InputScript:
    """Build the registered script `name` (KeyError lists the known names)."""
    try:
        factory = SCRIPTS[name]
    except KeyError:
        known = ", ".join(sorted(SCRIPTS)) or "none"
        raise KeyError(f"unknown script {name!r} (known: {known})") from None
    return factory(settings or ScriptSettings())


class Timeline:
    """Posts each event at its frame; done after the last one."""

    failure: str | None = None
    must_finish = False
    fast_forward: bool | None = None

    def __init__(self, steps: Iterable[Step]) -> None:
        self.steps = sorted(steps, key=lambda step: step[0])
        self._next = 0

    @property
    def done(self) -> bool:
        return self._next >= len(self.steps)

    @property
    def status(self) -> str:
        return "done" if self.done else f"{self._next} of {len(self.steps)} events posted"

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


class FlowError(Exception):
    """Raised by a step that finds the game in a state the flow cannot go on from."""


def is_pause(step: FlowStep) -> bool:
    """True while `step` is a pause the flow makes on purpose (see :func:`wait`)."""
    return bool(getattr(step, "pausing", False))


@dataclass(frozen=True, slots=True)
class Stage:
    """Named steps with a frame budget: running over it fails the flow, naming the stage.

    The budget counts the frames spent waiting on the game (the network, a panel, a scene),
    not the flow's own pauses (:func:`wait`), so a slower pace needs no bigger budget.
    `hint` is added to the timeout message (what was being waited for).
    """

    name: str
    steps: tuple[FlowStep, ...]
    timeout_frames: int | None = None
    hint: str = ""


class Flow:
    """Runs steps (or stages of steps) in order; a step returning False is asked again on the
    next frame. Several finished steps may run in one frame (e.g. a post, then a wait)."""

    fast_forward: bool | None = None

    def __init__(self, steps: Iterable[FlowStep | Stage], *, timeout_frames: int | None = None,
                 must_finish: bool = False) -> None:
        self.stages = [item if isinstance(item, Stage) else Stage("", (item,))
                       for item in steps]
        self.steps = [step for stage in self.stages for step in stage.steps]
        self._stage_of = [index for index, stage in enumerate(self.stages)
                          for _ in stage.steps]
        self.timeout_frames = timeout_frames
        self.must_finish = must_finish
        self._index = 0
        self._started_at: int | None = None
        self._stage_spent: dict[int, int] = {}  # frames waited on the game, per stage
        self.failed = False
        self.failure: str | None = None

    @property
    def pausing(self) -> bool:
        """True while the current step is one of the flow's own pauses (for nesting)."""
        return self._index < len(self.steps) and is_pause(self.steps[self._index])

    @property
    def done(self) -> bool:
        return self._index >= len(self.steps) or self.failed

    @property
    def stage(self) -> str:
        """Name of the stage running now ("" for unnamed steps or once finished)."""
        if self._index >= len(self.steps):
            return ""
        return self.stages[self._stage_of[self._index]].name

    @property
    def status(self) -> str:
        if self.failure is not None:
            return f"failed: {self.failure}"
        if self._index >= len(self.steps):
            return "finished"
        where = f" (stage '{self.stage}')" if self.stage else ""
        return f"stopped at step {self._index + 1} of {len(self.steps)}{where}"

    def fail(self, message: str) -> None:
        """Give up with `message` (a flow that hangs must not hang the run)."""
        if not self.failed:
            self.failed = True
            self.failure = message

    def on_frame(self, frame: int, host: ScriptHost) -> None:
        if self.done:
            return
        if self._started_at is None:
            self._started_at = frame
        if self.timeout_frames is not None and frame - self._started_at > self.timeout_frames:
            self.fail(f"the flow did not finish within {self.timeout_frames} frames "
                      f"({self.status})")
            return
        try:
            while not self.done and self._run_step(frame, host):
                self._index += 1
        except FlowError as exc:
            where = f"stage '{self.stage}': " if self.stage else ""
            self.fail(f"{where}{exc}")

    def _run_step(self, frame: int, host: ScriptHost) -> bool:
        number = self._stage_of[self._index]
        stage = self.stages[number]
        step = self.steps[self._index]
        if step(frame, host):
            return True
        if is_pause(step):
            return False
        spent = self._stage_spent.get(number, 0) + 1
        self._stage_spent[number] = spent
        if stage.timeout_frames is not None and spent >= stage.timeout_frames:
            hint = f" ({stage.hint})" if stage.hint else ""
            raise FlowError(f"not done within {stage.timeout_frames} frames{hint}")
        return False


class _Wait:
    """A pause of the flow's own: `frames` frames pass (not counted in a stage's budget)."""

    pausing = True

    def __init__(self, frames: int) -> None:
        self.frames = frames
        self._start: int | None = None

    def __call__(self, frame: int, host: ScriptHost) -> bool:
        if self._start is None:
            self._start = frame
        return frame - self._start >= self.frames


def wait(frames: int) -> FlowStep:
    """Let `frames` frames pass: a pause the flow makes on purpose (e.g. so a person watching
    can read a panel), which a stage's frame budget does not count."""
    return _Wait(frames)


def until(predicate: Callable[[ScriptHost], bool]) -> FlowStep:
    """Wait until `predicate(host)` holds (e.g. ``lambda h: h.kgen.ready``)."""
    return lambda frame, host: predicate(host)


def until_scene(name: str) -> FlowStep:
    """Wait until the game shows scene `name`."""
    return until(lambda host: host.scene_name == name)


def check(predicate: Callable[[ScriptHost], str | None]) -> FlowStep:
    """Fail the flow with the message `predicate(host)` returns (None: all is well, go on)."""

    def step(frame: int, host: ScriptHost) -> bool:
        problem = predicate(host)
        if problem is not None:
            raise FlowError(problem)
        return True

    return step


def call(action: Callable[[ScriptHost], None]) -> FlowStep:
    """Run `action(host)` once (e.g. note something for later steps, save a screenshot)."""

    def step(frame: int, host: ScriptHost) -> bool:
        action(host)
        return True

    return step


def snapshot(filename: str) -> FlowStep:
    """Save the last presented frame in the --flow-shots folder (nothing without the flag)."""
    return call(lambda host: host.save_flow_shot(filename))


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

@register("full-flow", fresh_player=True)
def full_flow(settings: ScriptSettings) -> InputScript:
    """The whole KGeN flow: join, play, win, claim, link with OTP, withdraw, look around."""
    from demo_game.full_flow import FullFlow  # the bot and the scenes import this module
    from demo_game.pace import FAST, WATCHABLE

    return FullFlow(FAST if settings.fast else WATCHABLE)


@register("menu-tour")
def menu_tour(settings: ScriptSettings) -> Timeline:
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
