"""Issue 13 for players: one rule for each thing a player reads, drawn the same everywhere.

The assertions read the *drawn* text (``drawn_texts()``: what rendering kept for
the last frame, cut and wrapped as the player saw it), not only widget state.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pygame
from driver import Driver

from kgen_pygame.panels.wallets import EXPLAINED
from kgen_pygame.panels.widgets import Tile
from kgen_pygame.ui import Button, Table, Widget
from kgen_pygame.ui.text import ELLIPSIS

SMALLEST = (640, 480)
PANELS = ("menu", "rewards", "withdraw", "link", "tournaments", "leaderboard", "history",
          "stats")


def _row_of(table: Table, first_cell: str) -> tuple[str, ...]:
    for index in table.visible_rows():
        drawn = table.drawn_row(index)
        if drawn and drawn[0] == first_cell:
            return drawn
    raise AssertionError(f"no drawn row starts with {first_cell!r}")


def test_a_tournament_past_its_registration_lock_is_closed_in_list_and_details(
    drive: Driver,
) -> None:
    # Ends in 30 s, so its registration lock (a minute before the end) has passed.
    drive.create_tournament("Last Minute Sprint", starts_in_s=-3000, duration_s=3030)
    drive.kgen.open_menu("tournaments")
    drive.settle()
    tournaments = drive.panel
    assert _row_of(tournaments.table, "Last Minute Sprint")[-1] == "Closed"
    assert _row_of(tournaments.table, "High Roller")[-1] == "Open"

    index = next(i for i, t in enumerate(tournaments.shown) if t.title == "Last Minute Sprint")
    tournaments.table.select(index)
    drive.click(tournaments.details)
    drive.settle()
    details = drive.panel
    drawn = drive.drawn()
    assert "Registration has closed" in drawn and "Closed" in drawn  # the same rule
    assert not details.join.enabled


def test_one_definition_of_joined_for_the_tile_the_header_and_the_tab(drive: Driver) -> None:
    drive.earn(20, claim=False)  # joined "Practice Cup", which has ended since
    drive.wait_call(drive.kgen.actions.active_tournaments(), "tournaments")
    roll = next(t for t in drive.kgen.active_tournaments if t.title == "Daily Free Roll")
    drive.wait_call(drive.kgen.actions.join_tournament(roll.uid), "join")
    drive.wait_call(drive.kgen.actions.joined_tournaments(), "joined")
    live = len(drive.kgen.state.live_tournaments)
    assert len(drive.kgen.state.joined_ids) == 2  # one live, one ended
    summary = f"{live} live \u00b7 1 joined"

    drive.key(pygame.K_F1)
    drive.settle()
    assert summary in drive.panel.tournaments.drawn_texts()  # the menu tile
    drive.click(drive.panel.tournaments)
    drive.settle()
    tournaments = drive.panel
    assert summary in tournaments.summary.drawn_texts()  # the header

    drive.key(pygame.K_RIGHT)  # the focus starts on the tabs: to "Joined"
    drive.frame()
    table = tournaments.table
    assert tournaments.tabs.selected == 1 and table.row_count == 1  # the tab
    assert _row_of(table, "Daily Free Roll")[-1] == "Joined"

    drive.key(pygame.K_RIGHT)  # "Finished": the ended one, apart
    drive.settle()
    assert table.row_count == 1 and _row_of(table, "Practice Cup")[-1] == "Ended"


def test_nothing_out_is_never_minus_zero(drive: Driver) -> None:
    drive.kgen.open_menu("history")
    drive.settle()
    history = drive.panel
    drawn = drive.drawn()
    assert history.total_out.drawn_texts() == ["MONEY OUT", "0.00"]
    assert not any("-0.00" in text for text in drawn)


def test_the_two_wallets_have_one_name_each_everywhere(drive: Driver) -> None:
    drive.earn(30)
    drive.link()
    session = drive.kgen.state.session
    seen: list[str] = []
    for name in ("history", "withdraw", "link"):
        drive.kgen.open_menu(name)
        drive.settle()
        seen.extend(drive.drawn())
    assert f"In-game wallet {session.wallet_address[:6]}" in " ".join(seen)
    assert any(text.startswith("Your KGeN wallet 0x") for text in seen)  # withdraw: goes to
    assert "Your KGeN wallet" in seen  # link: the linked wallet's caption
    assert " ".join(EXPLAINED.split()[:4]) in " ".join(seen)  # one explanation where both show
    for text in seen:
        assert not re.match(r"^(Wallet|KGeN wallet) 0x", text), text  # the old, unnamed forms


def _fill(screen: pygame.Surface, widget: Widget) -> tuple[int, ...]:
    return tuple(screen.get_at((widget.rect.left + 6, widget.rect.centery)))[:3]


def test_the_rewards_card_does_not_look_selected_when_focus_is_elsewhere(drive: Driver) -> None:
    drive.earn(20, claim=False)  # a reward to claim: the card has news, not a highlight
    drive.wait_call(drive.kgen.actions.rewards(), "rewards")
    drive.key(pygame.K_F1)
    drive.settle()
    menu = drive.panel
    drive.key(pygame.K_RIGHT)
    assert menu.focused is menu.withdraw
    drive.frame()
    others = {_fill(drive.screen, card) for card in (menu.link, menu.history, menu.stats)}
    assert len(others) == 1 and _fill(drive.screen, menu.rewards) in others
    assert "1 to claim" in menu.rewards.drawn_texts()


def test_buttons_keep_their_width_whatever_they_say(drive: Driver) -> None:
    drive.key(pygame.K_F1)
    drive.click(drive.panel.link)
    link = drive.panel
    drive.fill(link.phone, "9876543210")
    width = link.send.rect.width
    drive.faults(latency_ms=300)
    drive.click(link.send)
    drive.frame()
    assert link.send.text == "Sending..." and link.send.rect.width == width
    drive.settle()
    drive.faults(reset=True)
    resend, verify = link.resend.rect.width, link.confirm.rect.width
    seen = {link.resend.text}
    for _ in range(3):
        drive.frame(12.0)
        link.request_layout()  # anything may relayout the panel (a message, a resize)
        drive.frame(0.0)
        seen.add(link.resend.text)
        assert link.resend.rect.width == resend, link.resend.text
    assert {"Resend in 18s", "Resend code"} <= seen
    drive.type("000000")
    drive.faults(latency_ms=300)
    drive.key(pygame.K_RETURN)
    link.request_layout()
    drive.frame(0.0)
    assert link.confirm.text == "Checking..." and link.confirm.rect.width == verify
    drive.settle()
    drive.faults(reset=True)


def _cut(texts: list[str]) -> list[str]:
    return [text for text in texts if text.endswith(ELLIPSIS)]


def _check_fits(drive: Driver) -> None:
    panel = drive.panel
    screen = drive.screen.get_rect()
    assert panel is not None and panel.style is not None
    style = panel.style
    for widget in panel.content.walk(visible_only=True):
        assert screen.contains(widget.rect) or widget.rect.width == 0, widget
        if isinstance(widget, Table):
            for column in widget.columns:
                if column.title not in widget.shown_columns:
                    continue
                left, width = widget.column_spans[column.title]
                assert width >= style.px(column.min_width), (panel.name, column.title)
                assert left + width <= widget.rect.right, (panel.name, column.title)
                if not column.cut:
                    position = widget.shown_columns.index(column.title)
                    for row in widget.visible_rows():
                        drawn = widget.drawn_row(row) or ()
                        if position < len(drawn):
                            assert not drawn[position].endswith(ELLIPSIS), (
                                panel.name, column.title, drawn)
        elif isinstance(widget, Tile | Button):
            assert not _cut(list(widget.own_texts())), (panel.name, widget.own_texts())


def test_every_panel_works_at_the_smallest_supported_window(drive: Driver) -> None:
    drive.earn(40, claim=False)
    lost = drive.create_tournament("The Very Long Weekend Championship Finals", bots=4,
                                   guaranteed_prize=10, total_players_rewarded=1)
    drive.wait_call(drive.kgen.actions.join_tournament(lost, Decimal(0)), "join")
    drive.end_tournament(lost)  # "You Lost": the widest word of the RESULT column
    drive.link()
    drive.wait_call(drive.kgen.actions.active_tournaments(), "tournaments")
    drive.resize(SMALLEST)
    for name in PANELS:
        drive.kgen.open_menu(name)
        drive.settle()
        assert drive.overlay.panel_name == name
        _check_fits(drive)
    drive.kgen.open_menu("history")
    drive.settle()
    drive.panel.open_entry(0)
    drive.frame()
    _check_fits(drive)


def test_below_the_smallest_window_nothing_breaks(drive: Driver) -> None:
    drive.resize((520, 400))
    for name in PANELS:
        drive.kgen.open_menu(name)
        drive.settle()
        assert drive.overlay.panel_name == name  # drawn, not closed by a draw failure
