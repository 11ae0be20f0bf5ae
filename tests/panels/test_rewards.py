"""Claiming rewards won in a tournament: one by one and all at once."""

from __future__ import annotations

from decimal import Decimal

import pygame
from driver import Driver


def _win_a_tournament(drive: Driver) -> None:
    """Join a one-prize tournament, score 1,200 (also a milestone) and end it."""
    uid = drive.create_tournament("Claim Cup", guaranteed_prize=60, total_players_rewarded=1)
    drive.wait_call(drive.kgen.actions.join_tournament(uid, Decimal(0)), "join")
    drive.score(uid, 1200)
    drive.end_tournament(uid)


def test_claim_one_then_all(drive: Driver) -> None:
    _win_a_tournament(drive)
    drive.key(pygame.K_F1)
    drive.click(drive.panel.rewards)
    rewards = drive.panel
    assert rewards.status.visible and rewards.status.spinner.visible  # loading
    drive.settle()
    assert rewards.row_count == 2
    assert rewards.claimable.value == "65.00" and rewards.count.value == "2"
    titles = [row[0] for row in rewards.table.rows]
    assert "Claim Cup - rank #1" in titles and any("milestone" in t.lower() for t in titles)
    assert not rewards.claim_one.enabled  # nothing selected yet

    milestone = next(i for i, t in enumerate(titles) if "milestone" in t.lower())
    assert rewards.focused is rewards.table
    for _ in range(milestone + 1):
        drive.key(pygame.K_DOWN)
    assert rewards.table.selected == milestone
    drive.key(pygame.K_RETURN)  # Enter on a row goes to its Claim button
    assert rewards.focused is rewards.claim_one and rewards.claim_one.text == "Claim 5.00"
    drive.faults(latency_ms=300)  # slow enough to see the progress state
    drive.key(pygame.K_RETURN)
    assert rewards.claim_one.text == "Claiming..." and not rewards.claim_one.enabled
    drive.settle()
    drive.faults(reset=True)
    drive.frame()
    drawn = drive.overlay.ui.drawn_texts()
    assert "Claimed 5.00 KGeN" in drawn  # the toast and the table's "+5.00" agree
    assert rewards.row_count == 1 and rewards.claimable.value == "60.00"

    drive.click(rewards.claim_all)
    dialog = drive.top
    assert dialog.title == "Claim 1 reward?" and "60.00 KGeN" in dialog.message
    drive.key(pygame.K_RETURN)  # Confirm is focused
    drive.settle()
    drive.frame()
    assert "Claimed 60.00 KGeN" in drive.overlay.ui.drawn_texts()
    assert rewards.row_count == 0 and not rewards.claim_all.enabled
    drive.until(lambda: drive.kgen.state.balance.earned == Decimal(65), "the new balance")
    drive.frame()
    assert rewards.balance.value == "115.00"
    assert drive.records()["claims"] == 2


def test_cancelled_claim_changes_nothing(drive: Driver) -> None:
    drive.earn(20, claim=False)
    drive.kgen.open_menu("rewards")
    drive.settle()
    rewards = drive.panel
    drive.click(rewards.claim_all)
    drive.key(pygame.K_ESCAPE)  # dismisses the dialog only
    assert drive.panel is rewards and rewards.row_count == 1
    assert drive.records()["claims"] == 0
