"""Wallet history (All / In / Out) and statistics."""

from __future__ import annotations

from decimal import Decimal

import pygame
from driver import Driver


def test_history_lists_money_in_and_out_with_tabs(drive: Driver) -> None:
    drive.earn(40)  # +40 reward
    drive.wait_call(drive.kgen.actions.active_tournaments(), "tournaments")
    bronze = next(t for t in drive.kgen.active_tournaments if t.title.startswith("Bronze"))
    drive.wait_call(drive.kgen.actions.join_tournament(bronze.uid), "join")  # -10 entry
    drive.kgen.open_menu("history")
    drive.settle()
    history = drive.panel
    assert history.row_count == 3  # welcome bonus, reward, entry
    assert history.total_in.value == "+90.00" and history.total_out.value == "-10.00"
    rows = {row[1]: row for row in history.table.rows}
    assert set(rows) == {"Bonus", "Reward", "Entry"}
    assert rows["Entry"][4].text == "-10.00" and rows["Reward"][4].text == "+40.00"
    assert rows["Reward"][4].tone == "success"
    assert rows["Bonus"][3].text in ("Completed", "Pending")

    assert history.focused is history.tabs
    drive.key(pygame.K_RIGHT)
    assert history.tabs.selected == 1
    assert {t.direction for t in history.shown} == {"in"} and history.row_count == 2
    drive.key(pygame.K_RIGHT)
    assert [t.kind for t in history.shown] == ["JOIN"] and history.row_count == 1
    drive.key(pygame.K_LEFT)
    drive.key(pygame.K_LEFT)
    assert history.row_count == 3


def test_statistics_summarise_finished_tournaments(drive: Driver) -> None:
    drive.earn(30)  # won alone
    lost = drive.create_tournament("Bot Cup", guaranteed_prize=10, bots=6,
                                   total_players_rewarded=1)
    drive.wait_call(drive.kgen.actions.join_tournament(lost, Decimal(0)), "join")
    drive.end_tournament(lost)  # no score: last place
    drive.key(pygame.K_F1)
    drive.click(drive.panel.stats)
    drive.settle()
    stats = drive.panel
    assert stats.row_count == 2
    assert (stats.played.value, stats.won.value, stats.total.value) == ("2", "1", "30.00")
    assert stats.rate.value == "50%"
    assert stats.summary_line == "Played 2 - won 1 - total won 30.00 KGeN"
    results = sorted(row[2].text for row in stats.table.rows)
    assert results == ["Won", "You Lost"]
    titles = {row[1] for row in stats.table.rows}
    assert all(isinstance(title, str) and title not in ("", "-") for title in titles)


def test_a_history_row_opens_to_show_every_field_in_full(drive: Driver) -> None:
    drive.resize((640, 480))  # where the DETAILS column has to cut the text
    drive.kgen.open_menu("history")
    drive.settle()
    history = drive.panel
    index = next(i for i, t in enumerate(history.shown) if (t.kind or "").upper() == "BONUS")
    bonus = history.shown[index]
    full = bonus.description
    assert full and len(full) > 25
    cut = history.table.drawn_row(index)[history.table.shown_columns.index("DETAILS")]
    assert cut.endswith("\u2026") and cut != full  # what the table can fit

    drive.key(pygame.K_TAB)  # from the tabs to the table
    for _ in range(index + 1):
        drive.key(pygame.K_DOWN)
    drive.key(pygame.K_RETURN)
    entry = drive.panel
    assert drive.overlay.panel_name == "transaction"
    drive.frame()
    drawn = " ".join(entry.drawn_texts())
    assert full in drawn  # wrapped, never cut
    assert "\u2026" not in drawn
    assert "+50.00 KGeN" in drawn and bonus.uid in drawn
    assert f"Your in-game wallet ({bonus.to_wallet})" in drawn  # named, address in full
    drive.key(pygame.K_ESCAPE)
    assert drive.panel is history


def test_clicking_a_row_opens_it_too(drive: Driver) -> None:
    drive.kgen.open_menu("history")
    drive.settle()
    history = drive.panel
    table = history.table
    drive.click_at((table.rect.centerx, table.rect.top + table.header_height + 4))
    assert drive.overlay.panel_name == "transaction"
    assert drive.panel.transaction == history.shown[0]
