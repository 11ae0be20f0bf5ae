"""The overlay as the game sees it: HUD badge, hotkey, input capture, pause, events, resize."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pygame
import pytest
from driver import Driver

from kgen_pygame import events
from kgen_pygame.panels import Panel
from kgen_pygame.ui import Button, Column, Widget


def test_hud_goes_from_connecting_to_offline_to_balance(
    make_driver: Callable[..., Driver], sandbox: Any
) -> None:
    sandbox.set_faults(error_rate=1.0)
    driver = make_driver()
    hud = driver.overlay.hud
    assert "connecting" in hud.text  # nothing can be known before the first update()
    driver.until(lambda: "offline" in hud.text, "the offline hint after SESSION_FAILED")
    driver.frame()
    assert driver.posted(events.SESSION_FAILED)
    assert hud.badge.rect.right <= driver.screen.get_width()
    assert hud.badge.rect.top < 40 and hud.badge.rect.left > driver.screen.get_width() // 2

    sandbox.set_faults()
    driver.ready()
    driver.until(lambda: "50.00" in hud.text, "the balance on the badge")
    assert "offline" not in hud.text and "connecting" not in hud.text


def test_hud_counts_rewards_and_skips_work_when_nothing_changed(drive: Driver) -> None:
    hud = drive.overlay.hud
    drive.until(lambda: "50.00" in hud.text, "the balance")
    renders = drive.overlay.ui.text.cache.misses
    for _ in range(30):
        drive.frame()
    assert drive.overlay.ui.text.cache.misses == renders  # a steady HUD renders no text

    drive.earn(25, claim=False)
    drive.wait_call(drive.kgen.actions.rewards(), "rewards")
    drive.frame()
    assert "1 to claim" in hud.text


def test_hud_can_be_hidden_and_placed(make_driver: Callable[..., Driver]) -> None:
    hidden = make_driver("hidden-hud", show_hud=False)
    assert hidden.overlay.hud is None and hidden.overlay.ui.hud is None
    hidden.key(pygame.K_F1)
    assert hidden.overlay.panel_name == "menu"  # the hotkey works without a badge

    placed = make_driver("corner-hud", hud_position="bottom-left")
    placed.frame()
    badge = placed.overlay.hud.badge
    assert badge.rect.left < 40
    assert badge.rect.bottom > placed.screen.get_height() - 40


def test_hotkey_click_and_escape_open_and_close_with_events(drive: Driver) -> None:
    kgen = drive.kgen
    drive.key(pygame.K_F1)
    assert kgen.overlay_open and drive.overlay.panel_name == "menu"
    drive.frame()  # the event posted during the last frame is read in this one
    opened = drive.posted(events.OVERLAY_OPENED)
    assert [event.panel for event in opened] == ["menu"]
    assert kgen.should_pause

    drive.key(pygame.K_ESCAPE)
    drive.frame()
    assert not kgen.overlay_open and not kgen.should_pause
    assert [event.panel for event in drive.posted(events.OVERLAY_CLOSED)] == ["menu"]

    drive.click(drive.overlay.hud.badge)
    assert drive.overlay.panel_name == "menu"
    drive.key(pygame.K_F1)  # the hotkey toggles
    assert not kgen.overlay_open


def test_custom_hotkey(make_driver: Callable[..., Driver]) -> None:
    driver = make_driver(hotkey=pygame.K_F9)
    driver.key(pygame.K_F1)
    assert not driver.kgen.overlay_open
    driver.key(pygame.K_F9)
    assert driver.kgen.overlay_open


def test_quit_is_never_consumed_and_open_overlay_takes_input(drive: Driver) -> None:
    drive.post(pygame.QUIT)
    drive.post(pygame.KEYDOWN, key=pygame.K_SPACE, mod=0, unicode=" ", scancode=44)
    handled = drive.frame()
    own = [(e.type, used) for e, used in handled if e.type < pygame.USEREVENT]
    assert own == [(pygame.QUIT, False), (pygame.KEYDOWN, False)]  # closed: all to the game

    drive.kgen.open_menu()
    drive.post(pygame.QUIT)
    drive.post(pygame.KEYDOWN, key=pygame.K_SPACE, mod=0, unicode=" ", scancode=44)
    drive.post(pygame.TEXTINPUT, text="x")
    drive.post(pygame.MOUSEMOTION, pos=(10, 10), rel=(0, 0), buttons=(0, 0, 0), touch=False)
    drive.post(pygame.JOYBUTTONDOWN, joy=0, instance_id=0, button=3)
    drive.post(pygame.CONTROLLERBUTTONDOWN, instance_id=1, button=pygame.CONTROLLER_BUTTON_Y)
    handled = drive.frame()
    used = {e.type: was for e, was in handled if e.type < pygame.USEREVENT}
    assert used[pygame.QUIT] is False
    assert all(was for kind, was in used.items() if kind != pygame.QUIT)
    assert drive.kgen.overlay_open


def test_menu_by_keyboard_and_gamepads(drive: Driver) -> None:
    drive.key(pygame.K_F1)
    menu = drive.panel
    assert menu.focused is menu.rewards
    drive.key(pygame.K_RIGHT)
    assert menu.focused is menu.withdraw
    drive.key(pygame.K_DOWN)
    assert menu.focused is menu.leaderboard
    drive.key(pygame.K_TAB)
    assert menu.focused is menu.stats
    drive.key(pygame.K_RETURN)
    assert drive.overlay.panel_name == "stats"
    drive.settle()
    drive.joy_button(1)  # B: back to the menu
    assert drive.panel is menu

    drive.controller_button(pygame.CONTROLLER_BUTTON_DPAD_LEFT)
    assert menu.focused is menu.leaderboard
    drive.controller_button(pygame.CONTROLLER_BUTTON_A)
    assert drive.overlay.panel_name == "leaderboard"
    drive.settle()
    drive.controller_button(pygame.CONTROLLER_BUTTON_B)
    assert drive.panel is menu
    drive.joy_button(1)
    assert not drive.kgen.overlay_open


def test_menu_card_opens_panel_with_the_mouse(drive: Driver) -> None:
    drive.key(pygame.K_F1)
    drive.click(drive.panel.history)
    assert drive.overlay.panel_name == "history"
    drive.settle()
    assert drive.panel.row_count >= 1  # the welcome bonus
    drive.key(pygame.K_ESCAPE)
    assert drive.overlay.panel_name == "menu"


def test_open_menu_by_name_and_unknown_names(drive: Driver, caplog: Any) -> None:
    for name in ("rewards", "withdraw", "link", "tournaments", "leaderboard", "history",
                 "stats", "statistics", None):
        drive.kgen.open_menu(name)
        drive.settle()
        expected = {"statistics": "stats", None: "menu"}.get(name, name)
        assert drive.overlay.panel_name == expected
    with pytest.raises(ValueError, match="unknown KGeN panel 'nope'; the panels are: menu, "):
        drive.kgen.open_menu("nope")
    assert drive.overlay.panel_name == "menu"  # what was open stays open
    drive.frame()
    opened = drive.posted(events.OVERLAY_OPENED)
    assert len(opened) == 1  # switching panels is not a new opening
    drive.kgen.close_menu()
    drive.frame()
    assert len(drive.posted(events.OVERLAY_CLOSED)) == 1


def test_resize_while_open_keeps_working(drive: Driver) -> None:
    drive.key(pygame.K_F1)
    pygame.display.set_mode((800, 600))
    drive.post(pygame.VIDEORESIZE, w=800, h=600, size=(800, 600))
    drive.frame()
    menu = drive.panel
    screen = pygame.Rect(0, 0, 800, 600)
    assert all(screen.contains(card.rect) for card in menu.cards)
    drive.click(menu.rewards)
    assert drive.overlay.panel_name == "rewards"
    drive.settle()
    assert screen.contains(drive.panel.claim_all.rect)

    pygame.display.set_mode((1280, 720))  # no event this time: the surface size changed
    drive.frame()
    assert drive.panel.claim_all.rect.right > 800
    drive.key(pygame.K_ESCAPE)
    assert drive.overlay.panel_name == "menu"


class _BuggyPanel(Panel):
    name = "buggy"

    def build(self) -> Widget:
        self.boom = Button("Boom", self._explode)
        return self.frame("Buggy", Column(self.boom))

    def _explode(self) -> None:
        raise RuntimeError("a bug in panel code")


class _UndrawablePanel(_BuggyPanel):
    def draw(self, surface: pygame.Surface) -> None:
        raise RuntimeError("cannot draw")


def test_panel_exceptions_are_logged_not_raised(drive: Driver, caplog: Any) -> None:
    with caplog.at_level(logging.ERROR):
        drive.overlay.show(_BuggyPanel(drive.overlay))
        drive.frame()
        drive.click(drive.panel.boom)
        drive.key(pygame.K_RETURN)
    assert "a bug in panel code" in caplog.text
    assert drive.overlay.panel_name == "buggy"  # the game and the overlay go on

    with caplog.at_level(logging.ERROR):
        drive.overlay.show(_UndrawablePanel(drive.overlay))
        drive.frame()
        drive.frame()
    assert "cannot draw" in caplog.text
    assert not drive.kgen.overlay_open  # a panel that cannot draw is closed


@pytest.mark.parametrize("size", [(800, 600), (1280, 720)])
def test_every_panel_fits_the_window(drive: Driver, size: tuple[int, int]) -> None:
    pygame.display.set_mode(size)
    screen = pygame.Rect((0, 0), size)
    for name in ("menu", "rewards", "withdraw", "link", "tournaments", "leaderboard",
                 "history", "stats"):
        drive.kgen.open_menu(name)
        drive.settle()
        frame = drive.panel.content
        assert screen.contains(frame.panel), name
        for widget in frame.content.walk(visible_only=True):
            assert frame.panel.contains(widget.rect) or widget.rect.width == 0, (name, widget)


def test_hud_hints_at_undelivered_scores_until_they_get_through(drive: Driver) -> None:
    hud = drive.overlay.hud
    drive.until(lambda: "50.00" in hud.text, "the balance")
    drive.faults(error_rate=1.0)
    drive.kgen.track_score(10)
    drive.until(lambda: "offline" in hud.text, "the delivery problem hint")
    drive.faults(reset=True)
    drive.until(lambda: "offline" not in hud.text, "delivery to recover")
    assert drive.kgen.pending_events == 0
