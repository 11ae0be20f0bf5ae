"""Rewards earned (loyalty): a toast while playing, the balance catching up, and the panel
with what was earned, when, for which event and how much."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pygame
from driver import Driver

from kgen_pygame import events
from kgen_pygame.panels.earned import event_label
from kgen_pygame.panels.messages import NO_LOYALTY


def test_a_reward_while_playing_toasts_and_shows_in_the_earned_panel(drive_on: Driver,
                                                                      generation: str) -> None:
    drive = drive_on
    drive.key(pygame.K_F1)
    menu = drive.panel
    if not drive.kgen.actions.supports("loyalty"):
        assert generation == "v1"  # no loyalty on /api/v1: no card, and the panel says so
        assert not menu.earned_rewards.visible and "Rewards earned" not in drive.drawn()
        drive.kgen.open_menu("earned")
        drive.settle()
        earned = drive.panel
        assert earned.status.message.text == NO_LOYALTY and "Retry" not in drive.drawn()
        assert drive.records()["loyalty_rewards"] == 0
        return
    assert menu.earned_rewards.visible and menu.earned_rewards.hint == "Nothing yet"
    drive.key(pygame.K_ESCAPE)
    assert not drive.kgen.overlay_open

    first = drive.rewardable_event("First 1,000 points", 15)
    combo = drive.rewardable_event("A 10x combo", 5)
    before = drive.kgen.state.balance.earned
    drive.kgen.reward_event(first)  # while playing: no panel open
    drive.until(lambda: drive.posted(events.LOYALTY_REWARDED), "the reward to pay out")
    drive.frame()
    assert not drive.kgen.overlay_open
    assert "You earned 15.00 KGeN" in drive.drawn()  # the toast, over the game
    # The balance tiles and the badge catch up: one balance refresh after the reward.
    drive.until(lambda: drive.kgen.state.balance.earned == before + 15, "the new balance")

    drive.kgen.open_menu("earned")
    earned = drive.panel
    assert earned.status.visible  # loading
    drive.settle()
    assert earned.row_count == 1 and earned.count.value == "1"
    assert earned.earned_total.value == "15.00"
    row = earned.table.rows[0]
    assert row[0] == event_label(first) == f"Event {first.split('-')[0][:12]}"
    assert row[2].text == "Paid" and row[3].text == "+15.00"
    assert earned.balance.value != "..."

    drive.kgen.reward_event(combo)  # arrives while the panel is open: shown at once
    drive.until(lambda: earned.row_count == 2, "the second reward in the open panel")
    assert earned.earned_total.value == "20.00"
    assert {row[0] for row in earned.table.rows} == {event_label(first), event_label(combo)}
    records = drive.records()
    assert records["loyalty_rewards"] == 2
    drive.until(lambda: drive.kgen.state.balance.earned == before + 20, "the new balance")
    drive.frame()
    assert earned.balance.value == f"{drive.kgen.state.balance_total:,.2f}"

    drive.key(pygame.K_ESCAPE)
    drive.key(pygame.K_F1)
    # The menu's tile follows the player's state, which its next refresh brings.
    drive.until(lambda: drive.panel.earned_rewards.hint == "2 rewards earned", "the menu tile")
    drive.click(drive.panel.earned_rewards)
    assert drive.overlay.panel_name == "earned"


def test_the_earned_panel_shows_a_failure_with_retry(
        make_driver: Callable[..., Driver]) -> None:
    drive = make_driver(api="current")
    drive.ready()
    drive.faults(error_rate=1.0)
    drive.kgen.open_menu("earned")
    drive.settle()
    earned = drive.panel
    assert earned.status.failed and "Retry" in drive.drawn()
    drive.faults(reset=True)
    drive.click(earned.status.retry)
    drive.settle()
    assert not earned.status.visible and earned.table.visible and earned.row_count == 0
    assert earned.earned_total.value == "0.00"
    assert Decimal(0) == sum((r.amount for r in earned.rewards), Decimal(0))
