"""Leaving a joined tournament from its details: offered only where the API can, confirmed
first, and what the server refuses is said plainly."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pygame
from driver import Driver

from kgen_pygame.panels.messages import LEAVE_CLOSED


def _details_of_joined(drive: Driver, title: str, buy_in: int) -> object:
    uid = drive.create_tournament(title, buy_in=buy_in)
    drive.wait_call(drive.kgen.actions.join_tournament(uid, Decimal(buy_in)), "join")
    drive.kgen.open_menu("tournaments", tournament_id=uid)
    drive.settle()
    details = drive.panel
    assert details.uid == uid and details.joined
    return details


def test_leave_a_joined_tournament_after_confirming(drive_on: Driver, generation: str) -> None:
    drive = drive_on
    details = _details_of_joined(drive, "Spring Cup", buy_in=10)
    if not drive.kgen.actions.supports("leave_tournament"):
        assert generation == "v1"  # /api/v1 has no leave: nothing offers it
        assert not details.leave.visible and "Leave" not in drive.drawn()
        return
    assert details.leave.visible and "Leave" in drive.drawn()

    drive.click(details.leave)
    dialog = drive.top
    assert dialog.title == "Leave Spring Cup?"
    assert "Your scores in it stop counting." in dialog.message
    assert "does not promise your entry fee of 10.00 KGeN back" in dialog.message
    drive.key(pygame.K_RETURN)  # a danger dialog focuses "Stay": nothing changes
    assert drive.panel is details and drive.records()["participations"] == 1

    drive.click(details.leave)
    drive.faults(latency_ms=300)  # slow enough to see the progress state
    drive.click(drive.top.button_widgets[1])  # "Leave"
    assert details.leave.text == "Leaving..." and not details.leave.enabled
    drive.settle()
    drive.faults(reset=True)
    assert any(t.text == "You left Spring Cup" for t in drive.overlay.ui.toasts.visible)
    assert not details.joined and not details.leave.visible
    assert details.you_row.value.text == "Not joined yet" and details.join.enabled
    assert drive.records()["participations"] == 0
    drive.until(lambda: details.uid not in drive.kgen.state.joined_ids, "the joined list")
    assert not details.leave.visible  # and the state agreeing changes nothing


def test_a_refused_leave_is_explained(make_driver: Callable[..., Driver]) -> None:
    drive = make_driver(api="current")
    drive.ready()
    details = _details_of_joined(drive, "Late Cup", buy_in=0)
    assert details.leave.visible
    drive.advance_clock(3600 - 30)  # past the registration lock, on the server's clock
    drive.click(details.leave)
    assert "entry fee" not in drive.top.message  # a free tournament has none to lose
    drive.click(drive.top.button_widgets[1])
    drive.settle()
    assert details.message.text == LEAVE_CLOSED
    assert not details.message.button.visible  # retrying would not help
    assert drive.records()["participations"] == 1
