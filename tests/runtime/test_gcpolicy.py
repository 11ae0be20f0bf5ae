"""The worker freezes a big decoded reply out of the collector's sight (runtime.gcpolicy)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from decimal import Decimal

import pytest

from kgen_pygame.models import Leaderboard, LeaderboardEntry
from kgen_pygame.runtime.gcpolicy import BIG_REPLY_ROWS, after_reply, rows_in


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.enable()


def board(rows: int) -> Leaderboard:
    entries = tuple(LeaderboardEntry(rank, f"player-{rank}", rank * 10)
                    for rank in range(1, rows + 1))
    return Leaderboard(entries, Decimal(5), ())


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
    assert gc.get_freeze_count() >= frozen - 10  # a full collection does not walk them
    assert reply.entries[-1].rank == BIG_REPLY_ROWS  # and nothing was lost


def test_a_small_reply_or_a_game_without_the_collector_is_left_alone() -> None:
    assert not after_reply(board(BIG_REPLY_ROWS - 1))
    assert gc.get_freeze_count() == 0
    gc.disable()
    assert not after_reply(board(BIG_REPLY_ROWS))
    assert gc.get_freeze_count() == 0
