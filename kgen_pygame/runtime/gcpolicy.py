"""A big reply shown in a panel must not cost the game a full garbage collection.

Decoding a 5,000-row answer creates tens of thousands of objects that live on (the
models the panels show, their table rows). Enough survivors make CPython's collector run
a full collection, which walks every object of the process, the game's included, with the
GIL held: 30 to 150 ms, on whichever thread happens to allocate next, often the game
thread (``benchmarks/big_lists.py`` counts them).

So, while the overlay is open (:func:`overlay_open`), the worker thread, once such a reply
is decoded, runs a young collection (cheap: it reclaims the cycles that just became
garbage) and then ``gc.freeze()`` (:func:`after_reply`): every object alive at that moment
moves to the collector's permanent generation, which no collection walks. When the
overlay closes, ``gc.unfreeze()`` hands them back to the oldest generation, so the panels
just closed (which hold reference cycles) are reclaimed by a later collection instead of
staying frozen for ever. The price: that later full collection still comes, during play
rather than while a list is on screen. A game that turned the collector off
(``gc.disable()``) is left alone.
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import threading
from collections.abc import Sized
from typing import Final

logger = logging.getLogger(__name__)

#: A reply with at least this many rows in one list is frozen after it is decoded.
BIG_REPLY_ROWS: Final = 1000

_lock = threading.Lock()
_showing = False
_froze = False


def rows_in(value: object) -> int:
    """The longest list in ``value``: its own length when it is a collection (a list, a
    tuple, a :class:`~kgen_pygame.schedule.TournamentSchedule`), else its fields'."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        sizes = (
            len(field)
            for field in (getattr(value, item.name) for item in dataclasses.fields(value))
            if isinstance(field, list | tuple) and isinstance(field, Sized)
        )
        return max(sizes, default=0)
    if isinstance(value, Sized) and not isinstance(value, str | bytes):
        return len(value)
    return 0


def overlay_open(showing: bool) -> None:
    """The overlay opened (True) or closed (False); closing unfreezes what was frozen."""
    global _showing, _froze
    with _lock:
        _showing = showing
        if showing or not _froze:
            return
        _froze = False
    gc.unfreeze()


def after_reply(value: object) -> bool:
    """On the worker, after a reply was decoded into ``value``: freeze it when it is big
    and the overlay is open. Returns True when it froze."""
    global _froze
    if rows_in(value) < BIG_REPLY_ROWS or not gc.isenabled():
        return False
    with _lock:
        if not _showing:
            return False
        gc.collect(1)
        gc.freeze()
        _froze = True
    logger.debug("a %d-row reply was decoded: %d objects frozen", rows_in(value),
                 gc.get_freeze_count())
    return True
