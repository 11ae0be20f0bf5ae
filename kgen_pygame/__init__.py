"""kgen-pygame: drop-in KGeN rewards and tournaments for pygame games.

Create one :class:`KGen` after ``pygame.init()`` and call its three per-frame
methods from your loop::

    kgen = kgen_pygame.KGen(game_id="my-game")
    ...
    for event in pygame.event.get():
        if kgen.handle_event(event):
            continue          # an open KGeN overlay consumed it
        ...               # your own event handling
    kgen.update(dt)
    ...                   # draw your game
    kgen.draw(screen)     # last, on top
    ...
    kgen.close(timeout=2.0)

Heavy modules (``requests``, the sandbox server, the widget layer) load
lazily so that ``import kgen_pygame`` stays cheap.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

if TYPE_CHECKING:
    from kgen_pygame.api import KGenClient
    from kgen_pygame.config import KGenConfig
    from kgen_pygame.kgen import KGen
    from kgen_pygame.runtime.calls import Call

__all__ = ["Call", "KGen", "KGenClient", "KGenConfig", "__version__", "errors", "events", "models"]

_LAZY = {
    "KGen": ("kgen_pygame.kgen", "KGen"),
    "KGenConfig": ("kgen_pygame.config", "KGenConfig"),
    "KGenClient": ("kgen_pygame.api", "KGenClient"),
    "Call": ("kgen_pygame.runtime.calls", "Call"),
}
_LAZY_MODULES = {"errors", "events", "models"}


def __getattr__(name: str) -> Any:
    import importlib

    if name in _LAZY:
        module_name, attribute = _LAZY[name]
        value = getattr(importlib.import_module(module_name), attribute)
    elif name in _LAZY_MODULES:
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
