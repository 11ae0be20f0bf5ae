"""A big reply must not cost the game a full garbage collection.

Decoding a 5,000-row answer creates tens of thousands of objects that live on (the
models the panels show). Enough survivors make CPython's collector run a full
collection, which walks every object of the process, the game's included, with the
GIL held: 30 to 150 ms, on whichever thread happens to allocate next, often the game
thread (``benchmarks/big_lists.py`` counts them).

So, on the worker thread, once such a reply is decoded, :func:`after_reply` runs a
young collection (cheap: it reclaims the cycles that just became garbage) and then
``gc.freeze()``: every object alive at that moment moves to the collector's permanent
generation, which no later collection walks. Frozen objects are still freed by
reference counting when nothing uses them (replies and models hold no cycles); only
garbage *cycles* that already sat in the oldest generation stay until the process
ends. A game that turned the collector off (``gc.disable()``) is left alone.
"""

from __future__ import annotations

import dataclasses
import gc
import logging
from collections.abc import Sized
from typing import Final

logger = logging.getLogger(__name__)

#: A reply with at least this many rows in one list is frozen after it is decoded.
BIG_REPLY_ROWS: Final = 1000


def rows_in(value: object) -> int:
    """The longest list in ``value``: itself when it is a list or tuple, else its fields'."""
    if isinstance(value, list | tuple):
        return len(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        sizes = (
            len(field)
            for field in (getattr(value, item.name) for item in dataclasses.fields(value))
            if isinstance(field, list | tuple) and isinstance(field, Sized)
        )
        return max(sizes, default=0)
    return 0


def after_reply(value: object) -> bool:
    """On the worker, after a reply was decoded into ``value``: freeze it when it is big.

    Returns True when it froze.
    """
    if rows_in(value) < BIG_REPLY_ROWS or not gc.isenabled():
        return False
    gc.collect(1)
    gc.freeze()
    logger.debug("a %d-row reply was decoded: %d objects frozen", rows_in(value),
                 gc.get_freeze_count())
    return True
