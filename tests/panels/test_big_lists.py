"""Big lists: a 5,000-row leaderboard from a real sandbox opens, and scrolling shows its
first and last rows as drawn text, so building the rows over frames drops none."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pygame
import pytest
from driver import Driver

from kgen_pygame.sandbox.bulk import fill_big_lists

ROWS = 5000


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Any]:
    """The panel tests' sandbox, answering whole 5,000-row lists (``list_rows``)."""
    from kgen_pygame.sandbox import SandboxConfig, SandboxServer

    server = SandboxServer(SandboxConfig(db_path=tmp_path / "sandbox.sqlite3", list_rows=2 * ROWS))
    server.start()
    yield server
    server.stop(5)


def test_a_5000_row_leaderboard_shows_its_first_and_last_rows(
    drive: Driver, tmp_path: Path
) -> None:
    big = fill_big_lists(tmp_path / "sandbox.sqlite3", drive.kgen.gamer_id, ROWS)
    drive.kgen.open_menu("leaderboard", tournament_id=big.leaderboard_uid)
    drive.settle("the leaderboard")
    board = drive.panel
    table = board.table
    assert board.row_count == ROWS
    own = ROWS // 2  # fill_big_lists puts the player mid-table, and the board shows it
    assert table.drawn_row(own) == (
        f"#{own + 1:,}", f"{drive.kgen.gamer_id} (you)", f"{(ROWS - own) * 10:,}", "-"
    )

    drive.key(pygame.K_HOME)
    assert "big-00000" in drive.drawn()
    assert table.drawn_row(0) == ("#1", "big-00000", f"{ROWS * 10:,}", "-")

    drive.key(pygame.K_END)
    last = f"big-{ROWS - 2:05d}"
    assert last in drive.drawn()
    assert table.drawn_row(ROWS - 1) == (f"#{ROWS:,}", last, "10", "-")

    # Every rank is there once, in order (the rows a player did not scroll past too).
    drive.until(lambda: not table.filling, "every row built")
    assert [row[0].text for row in table.rows] == [f"#{rank:,}" for rank in range(1, ROWS + 1)]
