"""Tournaments, details, joining with a stake, and the leaderboard with the player's row."""

from __future__ import annotations

from decimal import Decimal

import pygame
from driver import Driver

from kgen_pygame.panels.messages import player_message


def test_join_with_stake_and_find_yourself_on_the_leaderboard(drive: Driver) -> None:
    drive.key(pygame.K_F1)
    drive.click(drive.panel.tournaments)
    drive.settle()
    tournaments = drive.panel
    assert tournaments.row_count >= 3
    titles = [t.title for t in tournaments.shown]
    bronze = next(i for i, title in enumerate(titles) if title.startswith("Bronze Cup"))
    assert tournaments.table.rows[bronze][1].text == "10.00"  # buy-in
    assert "/" in tournaments.table.rows[bronze][2]  # players of max

    assert tournaments.focused is tournaments.tabs
    drive.key(pygame.K_TAB)
    assert tournaments.focused is tournaments.table
    drive.key(pygame.K_DOWN)  # selects the first row
    for _ in range(bronze):
        drive.key(pygame.K_DOWN)
    assert tournaments.table.selected == bronze
    drive.key(pygame.K_RETURN)
    details = drive.panel
    assert drive.overlay.panel_name == "tournament"
    drive.settle()
    assert details.frame_widget.title.startswith("Bronze Cup")
    assert details.description.text and details.pool.value != "..."
    assert details.join.text == "Join for 10.00 KGeN" and details.you_row.value.text == (
        "Not joined yet")

    drive.click(details.join)
    dialog = drive.top
    assert dialog.title.startswith("Join Bronze Cup") and "10.00 KGeN" in dialog.message
    drive.key(pygame.K_RETURN)
    drive.settle()
    assert any(t.text.startswith("You joined Bronze Cup") for t in drive.overlay.ui.toasts.visible)
    assert details.you_row.value.text.startswith("Joined") and not details.join.enabled
    drive.until(lambda: drive.kgen.state.balance.bonus == 40, "the stake to leave the balance")

    drive.score(details.uid, 3_000)
    drive.click(details.leaderboard)
    board = drive.panel
    drive.settle()
    assert board.row_count >= 100
    own = board.own_index
    assert own is not None and board.table.highlight == own
    assert board.table.rows[own][1].text == f"{drive.kgen.gamer_id} (you)"
    assert own in board.table.visible_rows()  # scrolled into view
    assert board.rank.value == f"#{own + 1}" and board.score.value == "3,000"

    drive.key(pygame.K_ESCAPE)
    assert drive.panel is details
    drive.key(pygame.K_ESCAPE)
    assert drive.panel is tournaments
    drive.settle()
    assert tournaments.table.rows[bronze][4].text == "Joined"
    tabs = tournaments.tabs.rect
    drive.click_at((tabs.left + tabs.width // 2, tabs.centery))  # the "Joined" third
    assert tournaments.tabs.selected == 1
    drive.settle()
    assert [t.title for t in tournaments.shown] == [titles[bronze]]


def test_not_enough_balance_is_explained(drive: Driver) -> None:
    uid = drive.create_tournament("Diamond Cup", buy_in=500, guaranteed_prize=1000)
    drive.kgen.open_menu("tournaments", tournament_id=uid)
    drive.settle()
    details = drive.panel
    assert details.frame_widget.title == "Diamond Cup"
    drive.click(details.join)
    assert "500.00 KGeN" in drive.top.message and "50.00 KGeN" in drive.top.message
    drive.key(pygame.K_RETURN)
    drive.settle()
    assert details.message.text == "You need 500.00 KGeN to join; your balance is 50.00 KGeN."
    assert not details.message.button.visible  # retrying would not help
    assert details.join.enabled  # the player may top up and try again
    drive.key(pygame.K_ESCAPE)
    assert drive.overlay.panel_name == "tournaments"  # details were opened over the list


def test_leaderboard_picker_switches_tournaments(drive: Driver) -> None:
    drive.wait_call(drive.kgen.actions.active_tournaments(), "tournaments")
    drive.kgen.open_menu("leaderboard")
    drive.settle()
    board = drive.panel
    first = board.uid
    assert board.row_count >= 1 and board.picked.text != "Tournament"
    drive.click(board.next)
    drive.settle()
    assert board.uid != first and board.picked.text == board.tournament.title
    drive.click(board.prev)
    drive.settle()
    assert board.uid == first


def test_plain_messages_for_join_errors() -> None:
    from kgen_pygame.errors import InvalidRequestError

    def error(code: str) -> InvalidRequestError:
        return InvalidRequestError("x", status=409, operation="POST /join", code=code)

    assert player_message(error("EXISTING_PARTICIPATION_FOUND")) == (
        "You have already joined this tournament.")
    assert player_message(error("TOURNAMENT_IS_FULL")) == "This tournament is full."
    assert player_message(error("TOURNAMENT_IS_NOT_LIVE")) == (
        "This tournament is not open for entries right now.")


def test_finished_leaderboard_shows_prizes_and_winners(drive: Driver) -> None:
    uid = drive.earn(90, claim=False)  # alone in a one-prize tournament, now ended
    drive.kgen.open_menu("leaderboard", tournament_id=uid)
    drive.settle()
    board = drive.panel
    assert board.picked.text == "Practice Cup"  # looked up: it is not live any more
    assert board.row_count == 1 and board.own_index == 0
    assert board.table.rows[0][3].text == "+90.00" and board.pool.value == "90.00"
    assert board.footer.text == "Final standings - 1 prize paid"


def test_the_leaderboard_opens_on_the_tournament_being_played(drive: Driver) -> None:
    drive.wait_call(drive.kgen.actions.active_tournaments(), "tournaments")
    live = {t.title: t for t in drive.kgen.active_tournaments}
    roll, sprint = live["Daily Free Roll"], live["Sprint #1"]
    for tournament in (roll, sprint):
        drive.wait_call(drive.kgen.actions.join_tournament(tournament.uid), "join")
    drive.wait_call(drive.kgen.actions.joined_tournaments(), "joined")
    drive.kgen.state.playing_tournament_id = sprint.uid  # set from track_score(tournament_id=)
    drive.kgen.open_menu("leaderboard")
    drive.settle()
    board = drive.panel
    assert board.uid == sprint.uid and board.picked.drawn_texts() == ["Sprint #1"]

    drive.kgen.close_menu()
    drive.kgen.state.playing_tournament_id = None  # not playing: a joined one comes first
    drive.kgen.open_menu("leaderboard")
    drive.settle()
    assert drive.panel.uid in (roll.uid, sprint.uid)


def test_an_open_leaderboard_refreshes_when_its_tournament_ends(drive: Driver) -> None:
    uid = drive.create_tournament("Final Cup", guaranteed_prize=90, total_players_rewarded=1)
    drive.wait_call(drive.kgen.actions.join_tournament(uid, Decimal(0)), "join")
    drive.score(uid, 500)
    drive.kgen.state.playing_tournament_id = uid
    drive.kgen.open_menu("leaderboard")
    drive.settle()
    board = drive.panel
    own = board.own_index
    assert own is not None and board.table.drawn_row(own)[-1] == "-"  # no prize yet
    requests = board.refresh.working

    drive.end_tournament(uid)
    drive.kgen.actions.refresh()  # what the plugin's periodic refresh does anyway
    drive.until(lambda: "1 to claim" in " ".join(drive.drawn()), "the HUD's reward")
    drive.until(lambda: (board.table.drawn_row(own) or ("",))[-1] == "+90.00",
                "the Prize column, without pressing Refresh")
    assert not requests and drive.overlay.panel_name == "leaderboard"
    assert "Final standings - 1 prize paid" in board.footer.drawn_texts()
