"""While the overlay is open, the worker freezes a big decoded reply out of the collector's
sight; closing the overlay hands everything back (runtime.gcpolicy)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from decimal import Decimal

import pytest

from kgen_pygame.models import Leaderboard, LeaderboardEntry
from kgen_pygame.runtime.gcpolicy import BIG_REPLY_ROWS, after_reply, overlay_open, rows_in


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    overlay_open(True)
    yield
    overlay_open(False)
    gc.unfreeze()
    gc.enable()


def board(rows: int) -> Leaderboard:
    entries = tuple(LeaderboardEntry(rank, f"player-{rank}", rank * 10)
                    for rank in range(1, rows + 1))
    return Leaderboard(entries, Decimal(5), ())


class Panel:
    """Stands for a closed panel: it holds a reference cycle, so only the collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_rows_are_counted_in_lists_and_in_a_models_longest_list() -> None:
    assert rows_in(list(range(12))) == 12
    assert rows_in(board(30)) == 30
    assert rows_in("a string of many characters") == 0
    assert rows_in(None) == 0


def test_a_big_reply_is_frozen_and_survives_collections() -> None:
    reply = board(BIG_REPLY_ROWS)
    assert after_reply(reply)
    frozen = gc.get_freeze_count()
    assert frozen >= BIG_REPLY_ROWS  # the entries at least
    gc.collect()
    # A full collection does not walk them. The count is the whole process's: objects of
    # other threads freed by reference counting leave it too (34 seen under xdist).
    assert gc.get_freeze_count() >= frozen - BIG_REPLY_ROWS // 10
    assert reply.entries[-1].rank == BIG_REPLY_ROWS  # and nothing was lost


def test_closing_the_overlay_unfreezes_so_closed_panels_are_reclaimed() -> None:
    panel = Panel()
    gone = weakref.ref(panel)
    assert after_reply(board(BIG_REPLY_ROWS))  # the panel is alive, so it is frozen too
    del panel
    gc.collect()
    assert gone() is not None  # frozen: no collection frees it
    overlay_open(False)
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert gone() is None


def test_a_small_reply_a_closed_overlay_or_a_disabled_collector_freeze_nothing() -> None:
    assert not after_reply(board(BIG_REPLY_ROWS - 1))
    overlay_open(False)
    assert not after_reply(board(BIG_REPLY_ROWS))
    overlay_open(True)
    gc.disable()
    assert not after_reply(board(BIG_REPLY_ROWS))
    assert gc.get_freeze_count() == 0
