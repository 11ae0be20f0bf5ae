"""Issue 11.4: absurd values from a server are shown as unavailable, never as nothing,
and never crash a frame. The panels are fed what a reader could hand them (1e26, NaN,
sNaN, infinity): values the sandbox can't be made to send, given through the same
``show_*`` method the panel's own call ends in."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from driver import Driver

from kgen_pygame.models import (
    Leaderboard,
    LeaderboardEntry,
    Reward,
    Rewards,
    Transaction,
    TransactionHistory,
    WalletBalance,
    Winner,
)
from kgen_pygame.panels.formatting import UNAVAILABLE

ABSURD = [Decimal("1e26"), Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity")]
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _frame_ok(drive: Driver, name: str) -> list[str]:
    drive.frame()
    drive.frame()
    assert drive.overlay.panel_name == name  # not closed by a failing draw
    return drive.drawn()


def test_rewards_with_absurd_amounts_are_listed_not_hidden(drive: Driver) -> None:
    drive.kgen.open_menu("rewards")
    drive.settle()
    rewards = drive.panel
    odd = [Reward(f"r{i}", None, f"Prize {i}", v, "UNCLAIMED", NOW) for i, v in enumerate(ABSURD)]
    sent = (*odd, Reward("ok", None, "Fine prize", Decimal("5"), "UNCLAIMED", NOW))
    rewards.show_rewards(Rewards(Decimal("1e26"), sent))
    drawn = _frame_ok(drive, "rewards")
    assert rewards.row_count == 5
    assert not any(text.startswith("No rewards to claim") for text in drawn)
    assert rewards.claimable.drawn_texts() == ["CLAIMABLE", UNAVAILABLE]
    amounts = [rewards.table.drawn_row(i)[-1] for i in range(5)]
    assert amounts == [UNAVAILABLE] * 4 + ["+5.00"]
    drive.click(rewards.claim_all)
    assert drive.top.message.startswith("Every reward goes")  # no false total in the dialog


def test_a_leaderboard_with_absurd_scores_still_shows_its_rows(drive: Driver) -> None:
    drive.wait_call(drive.kgen.actions.active_tournaments(), "tournaments")
    drive.kgen.open_menu("leaderboard")
    drive.settle()
    board = drive.panel
    entries = (
        LeaderboardEntry(1, "whale", 10**40),
        LeaderboardEntry(2, "ghost", Decimal("NaN")),
        LeaderboardEntry(3, drive.kgen.gamer_id, 1200),
    )
    winners = (Winner("whale", Decimal("Infinity"), 1),)
    board.show_board(Leaderboard(entries, Decimal("sNaN"), winners))
    drawn = _frame_ok(drive, "leaderboard")
    assert board.row_count == 3 and "No scores yet - be the first!" not in drawn
    assert board.table.drawn_row(0)[2:] == (UNAVAILABLE, UNAVAILABLE)
    assert board.table.drawn_row(1)[2] == UNAVAILABLE
    assert board.score.drawn_texts() == ["YOUR SCORE", "1,200"]
    assert board.pool.drawn_texts() == ["PRIZE POOL", UNAVAILABLE]


def test_history_with_absurd_amounts(drive: Driver) -> None:
    drive.kgen.open_menu("history")
    drive.settle()
    history = drive.panel
    incoming = tuple(
        Transaction(f"t{i}", "in", None, None, value, "COMPLETED", None, NOW, "Odd", "REWARD")
        for i, value in enumerate(ABSURD)
    )
    history.show_history(TransactionHistory(incoming, ()))
    _frame_ok(drive, "history")
    assert history.row_count == 4
    assert history.total_in.drawn_texts() == ["MONEY IN", UNAVAILABLE]
    assert history.total_out.drawn_texts() == ["MONEY OUT", "0.00"]
    history.open_entry(1)
    drawn = " ".join(_frame_ok(drive, "transaction"))
    assert f"Amount {UNAVAILABLE}" in drawn


def test_an_absurd_balance_in_the_hud_menu_and_withdraw(drive: Driver) -> None:
    drive.link()
    huge = WalletBalance("0xabc", Decimal("1e26"), Decimal(0), Decimal("NaN"), Decimal(0),
                         Decimal(0), Decimal(20))
    before = drive.kgen.state.balance
    drive.kgen.open_menu("menu")  # which refreshes the balance: let that land first
    drive.until(lambda: drive.kgen.state.balance is not before, "the menu's refresh")
    drive.kgen.state.apply_balance(huge)
    drawn = _frame_ok(drive, "menu")
    assert any(text.startswith(f"KGeN  {UNAVAILABLE}") for text in drawn), drawn  # the HUD
    menu = drive.panel
    assert menu.earned.drawn_texts() == ["EARNED", UNAVAILABLE]
    menu.withdraw.press()
    drive.settle()
    withdraw = drive.panel
    withdraw.show_balance(huge)  # as if the balance call had answered this
    drawn = _frame_ok(drive, "withdraw")
    assert not withdraw.withdraw.enabled and withdraw.amount.text == ""
    assert any("can't be shown right now" in text for text in drawn)
