"""The server going away mid-flow: a plain message, a Retry button, and Retry working."""

from __future__ import annotations

from collections.abc import Callable

import pygame
from driver import Driver

from kgen_pygame.panels import messages


def test_server_errors_mid_claim_then_retry(drive: Driver) -> None:
    drive.earn(20, claim=False)
    drive.kgen.open_menu("rewards")
    drive.settle()
    rewards = drive.panel
    assert rewards.row_count == 1

    drive.faults(error_rate=1.0)
    drive.click(rewards.claim_all)
    drive.key(pygame.K_RETURN)
    drive.settle()
    assert rewards.message.text == messages.SERVER
    assert rewards.message.button.visible and rewards.message.button.text == "Retry"
    assert rewards.row_count == 1  # nothing claimed, the list is still there
    assert "api" not in rewards.message.text.lower()

    drive.faults(reset=True)
    drive.click(rewards.message.button)
    drive.settle()
    assert any(t.text == "Claimed 20.00 KGeN" for t in drive.overlay.ui.toasts.visible)
    assert rewards.row_count == 0 and not rewards.message.visible


def test_blackholed_server_times_out_with_a_plain_message(
    make_driver: Callable[..., Driver],
) -> None:
    drive = make_driver(read_timeout_s=1.0)
    drive.ready()
    drive.faults(blackhole=True)
    drive.kgen.open_menu("history")
    history = drive.panel
    drive.frame()
    assert history.status.spinner.visible  # the game keeps running meanwhile
    drive.settle("the timeout", limit_s=20)
    assert history.status.failed
    assert history.status.message.text == messages.TIMEOUT
    assert history.focused is history.status.retry

    drive.faults(reset=True)
    drive.key(pygame.K_RETURN)  # Retry
    drive.settle()
    assert not history.status.visible and history.row_count >= 1


def test_unreachable_server_says_so(make_driver: Callable[..., Driver], sandbox: object) -> None:
    drive = make_driver()
    drive.ready()
    drive.kgen.open_menu("leaderboard")
    drive.settle()
    sandbox.stop(5)  # type: ignore[attr-defined]
    board = drive.panel
    drive.click(board.refresh)
    drive.settle()
    assert board.message.text in (messages.NETWORK, messages.TIMEOUT)
    assert board.message.button.text == "Retry"
