"""Issue 12 and 13.4: a sandbox says so on every panel and the HUD, and its "SMS" stays
readable while the code field is open. Runs on the embedded sandbox (no KGeN address)."""

from __future__ import annotations

import dataclasses

import pygame
from driver import Driver

from kgen_pygame.panels.base import SANDBOX_TAG

PHONE = "9876543210"
PANELS = ("menu", "rewards", "withdraw", "link", "tournaments", "leaderboard", "history",
          "stats")


def _tag_pixels(screen: pygame.Surface, frame_top: int, colour: tuple[int, int, int]) -> int:
    """Pixels of the tag colour in the header band of a panel."""
    width = screen.get_width()
    return sum(
        1
        for y in range(frame_top, frame_top + 70, 2)
        for x in range(0, width, 2)
        if tuple(screen.get_at((x, y)))[:3] == colour
    )


def test_the_hud_and_every_panel_carry_the_sandbox_tag(embedded: Driver) -> None:
    drive = embedded
    assert drive.kgen.state.sandbox
    drive.frame()
    assert SANDBOX_TAG in drive.drawn()  # the HUD badge, with nothing open
    hud = drive.overlay.hud.badge.rect
    tag = drive.overlay.ui.theme.tag
    assert any(
        tuple(drive.screen.get_at((x, hud.centery)))[:3] == tag for x in range(hud.left, hud.right)
    )
    for name in PANELS:
        drive.kgen.open_menu(name)
        drive.settle()
        frame = drive.panel.content
        assert SANDBOX_TAG in frame.own_texts(), name
        assert _tag_pixels(drive.screen, frame.panel.top, tag) > 50, name  # drawn, not just held


def test_the_tag_follows_the_session(embedded: Driver) -> None:
    drive = embedded
    drive.kgen.open_menu("rewards")
    drive.settle()
    drive.kgen.state.sandbox = False  # as after a session with a real KGeN server
    drive.frame()
    drive.frame()
    assert SANDBOX_TAG not in drive.drawn()
    drive.kgen.state.sandbox = True
    drive.frame()
    drive.frame()
    assert drive.drawn().count(SANDBOX_TAG) == 2  # the HUD and the panel


def test_a_themed_tag(embedded: Driver) -> None:
    drive = embedded
    ui = drive.overlay.ui
    ui.theme = dataclasses.replace(ui.theme, tag=(0, 210, 255))
    drive.kgen.open_menu("stats")
    drive.settle()
    assert _tag_pixels(drive.screen, drive.panel.content.panel.top, (0, 210, 255)) > 50


def _ask_for_a_code(drive: Driver) -> object:
    drive.key(pygame.K_F1)
    drive.click(drive.panel.link)
    link = drive.panel
    drive.fill(link.phone, PHONE)
    drive.key(pygame.K_RETURN)
    drive.settle()
    assert link.stage == "code"
    drive.frame()
    return link


def test_the_sandbox_sms_stays_readable_while_the_code_field_is_open(embedded: Driver) -> None:
    drive = embedded
    link = _ask_for_a_code(drive)
    code = drive.otp("+91", PHONE)
    note = f"Sandbox SMS to +91 ******3210: your KGeN code is {code}"
    assert note in " ".join(drive.drawn())
    wrong = "000000" if code != "000000" else "111111"
    drive.type(wrong)
    drive.key(pygame.K_RETURN)
    drive.settle()
    drive.frame(20.0)  # long after any notification would have gone
    drawn = " ".join(drive.drawn())
    assert "not right" in drawn and note in drawn  # the typo did not lose the code
    drive.fill(link.code, code)
    drive.key(pygame.K_RETURN)
    drive.settle()
    assert link.stage == "linked"
    assert "Sandbox SMS" not in " ".join(drive.drawn())  # only while the code field is open


def test_a_new_code_replaces_the_note(embedded: Driver) -> None:
    drive = embedded
    link = _ask_for_a_code(drive)
    first = drive.otp("+91", PHONE)
    drive.advance_clock(31)
    drive.frame(31.0)
    drive.click(link.resend)
    drive.settle()
    drive.frame()
    second = drive.otp("+91", PHONE)
    drawn = " ".join(drive.drawn())
    assert f"your KGeN code is {second}" in drawn
    if first != second:
        assert f"your KGeN code is {first}" not in drawn


def test_no_note_without_a_sandbox(drive: Driver) -> None:
    link = _ask_for_a_code(drive)  # a sandbox at an address: the plugin can't know, sends none
    assert not link.sms_note.visible and "Sandbox SMS" not in " ".join(drive.drawn())
