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
    # A 5,000-row answer's re-layout is spread over frames (kgen_pygame.ui.held): the
    # rows are painted at most two frames later.
    assert table.drawn_row(0) is None and board.spread_layout
    drive.frame()
    drive.frame()
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


def test_big_answers_are_sorted_and_totalled_off_the_game_thread(
    drive: Driver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The panels' heavy step (sorting 5,000 entries, totals, the player's own row) runs
    where ``Actions.prepare`` runs it: a worker thread, never the game's."""
    import threading

    from kgen_pygame.panels import history, leaderboard

    threads: list[int] = []
    for owner, name in ((leaderboard.RankedBoard, "of"), (history.SortedHistory, "of")):
        built = getattr(owner, name).__func__

        def spy(cls: Any, *args: Any, _built: Any = built) -> Any:
            threads.append(threading.get_ident())
            return _built(cls, *args)

        monkeypatch.setattr(owner, name, classmethod(spy))
    big = fill_big_lists(tmp_path / "sandbox.sqlite3", drive.kgen.gamer_id, ROWS)
    drive.kgen.open_menu("leaderboard", tournament_id=big.leaderboard_uid)
    drive.settle("the leaderboard")
    drive.kgen.open_menu("history")
    drive.settle("the history")
    assert drive.panel.row_count >= ROWS
    assert len(threads) == 2 and threading.get_ident() not in threads
