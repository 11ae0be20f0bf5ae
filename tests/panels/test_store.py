"""The KGeN Store entry: only for a linked wallet on an API with a store redirect; its link
opens in the player's browser without the game thread ever waiting for the browser.

The real browser cannot run here, so the overlay's opener is replaced by one that records
the URL and blocks until the test lets it go: frames keep running meanwhile.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import pygame
import pytest
import requests
from driver import Driver

from kgen_pygame.panels.browser import BrowserOpener


class BlockingBrowser:
    """Takes the URL, then holds its thread until released (a browser that is slow to start)."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.threads: list[threading.Thread] = []
        self.started = threading.Event()
        self.release = threading.Event()

    def __call__(self, url: str) -> bool:
        self.urls.append(url)
        self.threads.append(threading.current_thread())
        self.started.set()
        assert self.release.wait(30), "the test never released the browser"
        return True


def test_the_store_opens_in_the_browser_off_the_game_thread(drive_on: Driver,
                                                            generation: str) -> None:
    drive = drive_on
    drive.key(pygame.K_F1)
    menu = drive.panel
    assert not menu.store.visible and "KGeN Store" not in drive.drawn()  # not linked yet
    drive.key(pygame.K_ESCAPE)
    drive.link()
    drive.key(pygame.K_F1)
    menu = drive.panel
    if not drive.kgen.actions.supports("store_redirect"):
        assert generation == "v1"  # /api/v1 has no store: never offered
        assert not menu.store.visible and "KGeN Store" not in drive.drawn()
        return
    assert menu.store.visible and "KGeN Store" in drive.drawn()

    browser = BlockingBrowser()
    drive.overlay.browser.opener = browser
    drive.click(menu.store)
    assert menu.store.hint == "Opening..."
    drive.until(browser.started.is_set, "the browser to be asked")
    frames_before = drive.tick
    for _ in range(30):  # the browser is still "starting": the game goes on
        drive.frame()
    assert drive.tick == frames_before + 30 and not browser.release.is_set()
    assert browser.threads[0] is not threading.main_thread()
    assert any(t.text == "The KGeN Store opens in your browser"
               for t in drive.overlay.ui.toasts.visible)
    assert menu.store.hint == "Spend your KGeN"
    browser.release.set()

    (url,) = browser.urls
    assert url.startswith(f"{drive.sandbox_url}/_sandbox/k-store?ticket=")
    page = requests.get(url, timeout=10)
    assert page.status_code == 200 and "K-Store (sandbox)" in page.text
    assert drive.kgen.gamer_id in page.text  # the link is this player's
    assert url not in " ".join(drive.drawn())  # a hand-off link is never shown


def test_a_store_failure_is_a_toast_and_nothing_opens(
        make_driver: Callable[..., Driver]) -> None:
    drive = make_driver(api="current")
    drive.ready()
    drive.link()
    drive.kgen.open_menu()
    drive.settle()
    menu = drive.panel
    browser = BlockingBrowser()
    drive.overlay.browser.opener = browser
    drive.faults(error_rate=1.0)
    drive.click(menu.store)
    drive.settle()
    drive.faults(reset=True)
    assert any("KGeN is having trouble" in t.text for t in drive.overlay.ui.toasts.visible)
    assert browser.urls == [] and menu.store.hint == "Spend your KGeN"


def test_a_browser_that_fails_is_logged_without_the_url(
        caplog: pytest.LogCaptureFixture) -> None:
    def broken(url: str) -> bool:
        raise OSError(f"cannot start a browser for {url}")

    opener = BrowserOpener(broken)
    with caplog.at_level(logging.DEBUG):
        opener.open("http://127.0.0.1:1/_sandbox/k-store?ticket=secret-ticket").join(10)
        BrowserOpener(lambda _url: False).open("http://127.0.0.1:1/?ticket=t2").join(10)
    text = caplog.text
    assert "opening the player's browser failed (OSError)" in text
    assert "no web browser could be opened" in text
    assert "ticket" not in text and "127.0.0.1" not in text
