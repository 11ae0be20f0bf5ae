"""How fast the scripted full flow acts: watchable by default, `--fast` for CI.

Every figure is in frames (60 a second). Only the flow's own pauses change with the pace; what
it waits on (the network, a panel loading) takes what it takes, and the stages' frame budgets
count only that (see demo_game/scripts.py, Stage).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Pace:
    """Frames between and after the flow's inputs."""

    name: str
    step: int  # between two inputs, so menus animate and a watcher can follow
    typing: int  # between two typed keys
    settle: int  # for slides, toasts and fades to finish before a screenshot
    read: int  # where a person reads: the reward on the HUD, the SMS, each panel


#: For a person watching in a real window (the default): about two and a half minutes, the
#: 75-second round included.
WATCHABLE = Pace("watchable", step=30, typing=9, settle=36, read=150)
#: For CI (`--fast`): no reading pauses, inputs as fast as menus animate.
FAST = Pace("fast", step=8, typing=3, settle=36, read=0)
