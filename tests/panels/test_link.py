"""Linking the wallet with a one-time code, driven through posted events."""

from __future__ import annotations

import pygame
from driver import Driver

from kgen_pygame import events
from kgen_pygame.panels.wallets import linked_kgen_wallet

PHONE = "9876543210"


def _open_link(drive: Driver) -> object:
    drive.key(pygame.K_F1)
    drive.click(drive.panel.link)
    assert drive.overlay.panel_name == "link"
    return drive.panel


def _send_code(drive: Driver, phone: str = PHONE) -> object:
    link = _open_link(drive)
    drive.fill(link.phone, phone)
    drive.key(pygame.K_RETURN)  # Enter in the phone field sends the code
    drive.settle()
    assert link.stage == "code"
    return link


def test_link_wallet_with_the_texted_code(drive_on: Driver) -> None:
    drive = drive_on
    link = _open_link(drive)
    assert link.country.text == "+91"
    drive.fill(link.phone, "98765 43210")
    drive.faults(latency_ms=300)  # slow enough to see the progress state
    drive.click(link.send)
    assert link.send.working and link.send.text == "Sending..." and not link.send.enabled
    drive.settle()
    assert link.stage == "code" and link.focused is link.code
    assert "+91 9876543210" in link.sent_to.text
    assert link.expiry.text.startswith("Code expires in 5:00") or "4:5" in link.expiry.text
    assert link.attempts.text == "3 attempts left"
    assert link.resend.text == "Resend in 30s" and not link.resend.enabled

    drive.frame(12.0)  # twelve seconds of game time
    assert "4:4" in link.expiry.text and link.resend.text == "Resend in 18s"

    drive.type(drive.otp("+91", PHONE))
    drive.key(pygame.K_RETURN)
    assert link.confirm.text == "Checking..."
    drive.settle()
    drive.faults(reset=True)
    assert link.stage == "linked"
    assert drive.kgen.state.linked
    assert link.linked_phone.value.text.endswith("3210") and "*" in link.linked_phone.value.text
    assert any(t.text == "Wallet linked" for t in drive.overlay.ui.toasts.visible)
    # The KGeN wallet: from the verify answer (v1), or from the linked-account endpoint.
    drive.settle()
    wallet = linked_kgen_wallet(drive.kgen.state)
    assert wallet and link.linked_wallet.value.text == f"{wallet[:6]}...{wallet[-4:]}"
    drive.frame()
    assert drive.posted(events.WALLET_LINKED)
    assert drive.records()["links"] == 1

    drive.key(pygame.K_RETURN)  # Done
    assert drive.overlay.panel_name == "menu"
    assert "3210" in drive.panel.link.hint
    drive.click(drive.panel.link)
    assert drive.panel.stage == "linked"  # a linked player sees the number, not the form


def test_phone_and_country_are_checked_before_any_request(drive: Driver) -> None:
    link = _open_link(drive)
    cases = [
        ("98765abcde", "digits only"),
        ("12345", "too short"),
        ("1234567890123456", "too long"),
        ("", "Enter your phone number"),
    ]
    for typed, expected in cases:
        drive.fill(link.phone, typed)
        drive.click(link.send)
        assert expected in (link.phone.error or ""), typed
        assert link.stage == "phone" and not link.send.working

    drive.fill(link.phone, PHONE)
    drive.fill(link.country, "+0")
    drive.click(link.send)
    assert "Country codes look like +91" in (link.country.error or "")
    drive.fill(link.country, "")
    drive.click(link.send)
    assert "Enter your country code" in (link.country.error or "")
    drive.frame()
    assert not drive.overlay.busy
    assert drive.records()["otp_requests"] == 0


def test_wrong_code_shows_attempts_left_then_a_new_code_works(drive_on: Driver) -> None:
    drive = drive_on  # "Resend code": the API's resend call where it has one (current)
    link = _send_code(drive)
    right = drive.otp("+91", PHONE)
    wrong = "000000" if right != "000000" else "111111"

    drive.type(wrong)
    drive.key(pygame.K_RETURN)
    drive.settle()
    assert link.code.error == "That code is not right - 2 attempts left."
    assert link.attempts.text == "2 attempts left" and link.code.text == ""

    drive.type("12")
    drive.key(pygame.K_RETURN)  # too short: checked locally
    assert link.code.error == "The code has 6 digits."
    drive.erase(2)

    drive.type(wrong)
    drive.key(pygame.K_RETURN)
    drive.settle()
    assert "1 attempt left" in (link.code.error or "")
    drive.type(wrong)
    drive.key(pygame.K_RETURN)
    drive.settle()
    assert link.code.error == "Too many wrong codes. Ask for a new code."
    assert not link.confirm.enabled and "can't be used" in link.expiry.text

    drive.advance_clock(31)  # the server's resend cooldown ...
    drive.frame(31.0)  # ... and the overlay's countdown
    assert link.resend.enabled and link.resend.text == "Resend code"
    drive.click(link.resend)
    drive.settle()
    assert link.attempts.text == "3 attempts left" and link.confirm.enabled
    drive.type(drive.otp("+91", PHONE))
    drive.key(pygame.K_RETURN)
    drive.settle()
    assert link.stage == "linked"


def test_resend_too_soon_shows_its_own_countdown(drive: Driver) -> None:
    link = _send_code(drive)
    drive.click(link.change)
    assert link.stage == "phone" and link.phone.text == PHONE
    drive.click(link.send)
    drive.settle()
    assert link.stage == "phone"
    assert link.message.text.startswith("Please wait") and "before asking for another code" in (
        link.message.text)
    assert link.send.text.startswith("Send code (") and not link.send.enabled
    before = link.send.text
    drive.frame(10.0)
    assert link.send.text != before  # it counts down
    drive.key(pygame.K_RETURN)  # Enter in the field does not bypass the wait
    assert not drive.overlay.busy

    drive.advance_clock(31)
    drive.frame(31.0)
    assert link.send.enabled and link.send.text == "Send code"
    drive.click(link.send)
    drive.settle()
    assert link.stage == "code"


def test_expired_code_asks_for_a_new_one(drive: Driver) -> None:
    link = _send_code(drive)
    drive.advance_clock(301)
    drive.frame(301.0)
    assert link.expiry.text == "The code has expired. Ask for a new one."
    assert not link.confirm.enabled and link.resend.enabled
