"""The overlay layer, imported on a start-up thread so ``KGen(...)`` returns at once.

``kgen_pygame.panels`` (every panel, the widget layer, their dataclasses) is the
heaviest import of the package, about 35 ms, more than the whole budget of the
constructor (docs/performance.md). :class:`OverlayLoader` has the start-up thread
(:mod:`kgen_pygame.runtime.startup`) import it; the game thread builds the overlay
from it (registering its callbacks) the first time it asks after the import, or
waits for it (bounded) when it needs the overlay now: ``open_menu()``, a key press
that may be the hotkey, ``KGen.overlay``.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from types import ModuleType
from typing import Generic, TypeVar

logger = logging.getLogger(__name__)

#: How long a caller that needs the overlay now waits for the import (a cold disk).
IMPORT_WAIT_S = 10.0
_MODULE = "kgen_pygame.panels"

_O = TypeVar("_O")


class OverlayLoader(Generic[_O]):
    """Imports the overlay layer in the background; builds the overlay on the game thread."""

    def __init__(self, build: Callable[[ModuleType], _O]) -> None:
        self._build = build
        self._done = threading.Event()
        self._module: ModuleType | None = None
        self._failed = False
        self.overlay: _O | None = None

    @property
    def settled(self) -> bool:
        """True once the overlay is built, or will never be (the import or build failed)."""
        return self.overlay is not None or self._failed

    def get(self, *, wait: bool = False) -> _O | None:
        """The overlay, built on first call after the import; None while it is not ready
        (``wait=True``: waits for the import, up to :data:`IMPORT_WAIT_S`)."""
        if self.overlay is not None or self._failed:
            return self.overlay
        if not self._done.is_set() and (not wait or not self._done.wait(IMPORT_WAIT_S)):
            return None
        module = self._module
        if module is None:
            self._failed = True
            return None
        try:
            self.overlay = self._build(module)
        except Exception:
            self._failed = True
            logger.exception("the KGeN overlay could not be built; the game runs without it")
        return self.overlay

    def load(self) -> None:
        """Import the overlay layer (on the start-up thread); waiters wake up either way."""
        try:
            self._module = importlib.import_module(_MODULE)
        except BaseException:
            logger.exception("the KGeN overlay could not be imported; the game runs without it")
        finally:
            self._done.set()
