"""Withdrawing earned KGeN: linked or not yet, amounts checked, confirm, result."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pygame
import pytest
from driver import Driver

from kgen_pygame.panels.withdraw import withdraw_outcome


def test_withdraw_everything_earned(drive: Driver) -> None:
    drive.earn(100)
    drive.link()
    drive.kgen.open_menu("withdraw")
    withdraw = drive.panel
    drive.settle()
    assert withdraw.stage == "form"
    assert withdraw.earned.value == "100.00" and withdraw.bonus.value == "50.00"
    assert withdraw.total.value == "150.00" and withdraw.minimum.value == "20.00"
    assert withdraw.amount.text == "100.00"  # default: all earned
    assert "3210" in withdraw.destination.value.text

    drive.click(withdraw.withdraw)
    dialog = drive.top
    assert dialog.title == "Withdraw 100.00 KGeN?" and "3210" in dialog.message
    drive.faults(latency_ms=300)
    drive.key(pygame.K_RETURN)
    assert withdraw.withdraw.text == "Withdrawing..."
    drive.settle()
    drive.faults(reset=True)
    assert withdraw.stage == "result"
    kgen_wallet = drive.kgen.state.session.kgen_wallet_address
    assert withdraw.result.destination_wallet == kgen_wallet
    shown = withdraw.result_wallet.value.text
    assert shown.startswith(f"Your KGeN wallet {kgen_wallet[:6]}")
    assert shown.endswith(kgen_wallet[-4:])
    assert withdraw.result.status == "SUCCESS"  # the sandbox says done, so the panel may
    drive.frame()
    drawn = drive.overlay.ui.drawn_texts()
    assert "Withdrew 100.00 KGeN" in drawn  # title and toast, the same words
    assert drawn.count("Withdrew 100.00 KGeN") == 2 and "Done" in drawn
    drive.until(lambda: withdraw.result_left.value.text == "0.00 KGeN", "the new balance")
    assert drive.records()["withdrawals"] == 1
    drive.key(pygame.K_RETURN)  # Done
    assert not drive.kgen.overlay_open


def test_withdraw_before_linking_walks_through_linking_and_back(drive: Driver) -> None:
    drive.earn(50)
    drive.key(pygame.K_F1)
    drive.click(drive.panel.withdraw)
    drive.settle()
    withdraw = drive.panel
    assert withdraw.stage == "unlinked" and withdraw.focused is withdraw.link
    drive.key(pygame.K_RETURN)
    link = drive.panel
    assert drive.overlay.panel_name == "link" and "Step 1 of 2" in (link.subtitle or "")

    drive.fill(link.phone, "9123456780")
    drive.click(link.send)
    drive.settle()
    drive.type(drive.otp("+91", "9123456780"))
    drive.key(pygame.K_RETURN)
    drive.settle()
    assert drive.panel is withdraw  # back where the player started
    assert withdraw.stage == "form" and withdraw.amount.text == "50.00"

    drive.fill(withdraw.amount, "30")
    drive.key(pygame.K_RETURN)  # Enter in the field asks too
    assert drive.top.title == "Withdraw 30.00 KGeN?"
    drive.key(pygame.K_RETURN)
    drive.settle()
    assert withdraw.stage == "result" and withdraw.result.amount == Decimal("30")
    drive.until(lambda: withdraw.result_left.value.text == "20.00 KGeN", "the new balance")


def _open_linked(drive: Driver, earned: int) -> Any:
    """The withdraw panel of a linked player who has ``earned`` KGeN."""
    drive.earn(earned)
    drive.link()
    drive.kgen.open_menu("withdraw")
    drive.settle()
    return drive.panel


def test_amounts_are_checked_before_asking(drive: Driver) -> None:
    withdraw = _open_linked(drive, 30)
    for typed, expected in [
        ("10", "The minimum withdrawal is 20.00 KGeN."),
        ("1000", "That is more than your earned balance (30.00 KGeN)."),
        ("25.555", "Use at most 2 decimal places."),
        ("0", "The amount must be more than 0."),
        ("", "Enter how much to withdraw."),
        ("2.3.4", "Use one dot for decimals, like 25.50."),
        ("1,5", "Use a dot for decimals and no commas, like 1.5 or 1000."),
        ("-5", "The amount must be more than 0."),
    ]:
        drive.fill(withdraw.amount, typed)
        drive.click(withdraw.withdraw)
        assert withdraw.amount.error == expected, typed
        assert drive.top is withdraw  # no confirm dialog
    drive.fill(withdraw.amount, "abc")  # shown as typed, and explained at once
    assert withdraw.amount.text == "abc"
    assert withdraw.amount.error == "Type just the number, like 25 or 25.50."
    drive.click(withdraw.max)
    assert withdraw.amount.text == "30.00" and withdraw.amount.error is None
    assert drive.records()["withdrawals"] == 0


def test_below_the_minimum_explains_and_blocks(drive: Driver) -> None:
    drive.earn(10)
    drive.link()
    drive.kgen.open_menu("withdraw")
    drive.settle()
    withdraw = drive.panel
    assert not withdraw.withdraw.enabled
    assert "at least 20.00 KGeN" in withdraw.message.text


@pytest.mark.parametrize(
    ("status", "headline", "shown", "toast"),
    [
        ("SUCCESS", "Withdrew 50.00 KGeN", "Done", "success"),
        ("completed", "Withdrew 50.00 KGeN", "Done", "success"),
        ("PENDING", "Withdrawal of 50.00 KGeN requested", "Pending", "info"),
        ("PROCESSING", "Withdrawal of 50.00 KGeN requested", "Processing", "info"),
        ("", "Withdrawal of 50.00 KGeN requested", "Requested - not confirmed yet", "info"),
        ("FAILED", "Withdrawal failed", "Failed", "danger"),
    ],
)
def test_a_withdrawal_is_done_only_when_the_server_says_done(
    status: str, headline: str, shown: str, toast: str
) -> None:
    outcome = withdraw_outcome(status, Decimal(50))
    assert (outcome.headline, outcome.status, outcome.toast_tone) == (headline, shown, toast)


def test_what_the_player_typed_is_what_the_confirm_shows(drive: Driver) -> None:
    withdraw = _open_linked(drive, 30)
    drive.fill(withdraw.amount, "")
    for key in "1,5":  # key by key, as SDL sends it
        drive.post(pygame.TEXTINPUT, text=key)
    drive.frame()
    assert withdraw.amount.text == "1,5"  # never "15"
    assert "1,5" in withdraw.amount.drawn_texts()
    assert withdraw.amount.error == "Use a dot for decimals and no commas, like 1.5 or 1000."
    drive.click(withdraw.withdraw)
    assert drive.top is withdraw  # no confirm for a number the player did not type

    drive.fill(withdraw.amount, "\u0662\u0665")  # Arabic-Indic 25 from an IME: refused, kept
    assert withdraw.amount.text == "\u0662\u0665"
    drive.click(withdraw.withdraw)
    assert drive.top is withdraw and withdraw.amount.error == "Use the digits 0 to 9."

    drive.fill(withdraw.amount, "25.5")
    drive.click(withdraw.withdraw)
    assert drive.top.title == "Withdraw 25.50 KGeN?"
    assert drive.top.message.startswith("25.50 KGeN goes from your in-game wallet to your KGeN")
    drive.key(pygame.K_ESCAPE)
    assert drive.records()["withdrawals"] == 0
