"""Big replaced values freed a few hundred objects a frame, not all in the frame they go.

When a refresh replaces 5,000 tournaments (or a table its 5,000 built rows), the old
objects are freed the moment the last reference goes: about 2 ms of the game thread's
frame. The notifier (what refreshes replace) and ``ui.Table`` (replaced rows) hand the
old items here instead, and free :data:`PER_FRAME` of them a frame. Freeing them on a
worker thread would not help: deallocation holds the GIL, so the game thread would wait
for it instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

#: Objects freed a frame (about 0.15 ms for tournaments).
PER_FRAME: Final = 500
#: Fewer items than this are freed at once, as before.
SMALL: Final = 1000


class GradualRelease:
    """Holds replaced items and frees them over the next frames (game thread only)."""

    def __init__(self) -> None:
        self._held: list[list[object]] = []

    def hold(self, items: Iterable[object]) -> None:
        """Keep ``items`` alive until :meth:`step` frees them (small lists go at once)."""
        kept = list(items)
        if len(kept) >= SMALL:
            self._held.append(kept)

    def step(self) -> None:
        """Free the next :data:`PER_FRAME` held items."""
        if not self._held:
            return
        last = self._held[-1]
        del last[-PER_FRAME:]
        if not last:
            self._held.pop()

    def __len__(self) -> int:
        return sum(len(items) for items in self._held)
