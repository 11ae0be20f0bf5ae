"""demo_game.local_kgen (``--broker``): a local sandbox and kgen-broker, the game given only
their URLs; the demo's own reading of the sandbox SMS."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pygame
import pytest
import requests

from demo_game.local_kgen import BROKER_KEY_FILE, SANDBOX_DB, LocalKGeN, SmsWatcher
from kgen_pygame import KGen
from tests.facade import conftest as facade_fixtures
from tests.facade.conftest import pump

#: The same pygame display as the facade tests use.
display = facade_fixtures.display


def _game(services: LocalKGeN, data_dir: Path) -> KGen:
    """A game given the two URLs and nothing else, ready."""
    kgen = KGen(game_id="comet-catcher", base_url=services.base_url,
                broker_url=services.broker_url, data_dir=data_dir)
    pump(kgen, lambda: kgen.ready, "a session through the broker")
    return kgen


def test_the_game_gets_urls_only_and_the_broker_names_the_player(
        tmp_path: Path, display: pygame.Surface, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KGEN_BASE_URL", "KGEN_CLIENT_ID", "KGEN_CLIENT_SECRET", "KGEN_API"):
        monkeypatch.delenv(name, raising=False)
    services = LocalKGeN(tmp_path / "kgen", "current").start()
    try:
        kgen = _game(services, tmp_path / "kgen")
        try:
            # The current API has no GET session: the broker's user id names the player.
            player = kgen.gamer_id
            assert player.startswith("dk_") and kgen.session.gamer_id == player
            records = requests.get(f"{services.base_url}/_sandbox/records",
                                   params={"gamer_id": player}, timeout=10).json()
            assert records["exists"] and records["sessions"] == 1
            config = kgen.config
            assert config.client_secret is None and config.client_id is None
            assert config.base_url == services.base_url
            assert config.broker_url == services.broker_url
        finally:
            kgen.close(timeout=3)
    finally:
        services.stop()
    assert (tmp_path / "kgen" / SANDBOX_DB).exists()
    key_file = tmp_path / "kgen" / BROKER_KEY_FILE
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600

    # The next run: the same broker key and device key, so the same player.
    again = LocalKGeN(tmp_path / "kgen", "current").start()
    try:
        kgen = _game(again, tmp_path / "kgen")
        try:
            assert kgen.gamer_id == player
        finally:
            kgen.close(timeout=3)
    finally:
        again.stop()


def test_the_sms_watcher_shows_new_codes_only_while_asked_to(
        tmp_path: Path, display: pygame.Surface) -> None:
    services = LocalKGeN(tmp_path / "kgen", "current").start()
    watcher = SmsWatcher(services.base_url)
    try:
        kgen = _game(services, tmp_path / "kgen")
        try:
            first = kgen.actions.request_otp("+91", "9876543210")
            pump(kgen, lambda: first.done, "a code sent before the watcher looked")
            watcher.gamer_id = kgen.gamer_id
            time.sleep(1.0)  # its first look: what was sent before is not news
            assert watcher.take() == []
            watcher.active = True
            services_otp = {"phone_number": "9123456780", "countryCode": "+44"}
            second = kgen.actions.request_otp("+44", "9123456780")
            pump(kgen, lambda: second.done, "a new code")
            deadline = time.monotonic() + 10
            arrived = []
            while not arrived and time.monotonic() < deadline:
                arrived = watcher.take()
                time.sleep(0.05)
            sent = requests.get(f"{services.base_url}/_sandbox/otp", params=services_otp,
                                timeout=10).json()
            assert [(sms.phone, sms.code) for sms in arrived] == [("+44 ******6780",
                                                                   sent["otp"])]
            time.sleep(1.0)
            assert watcher.take() == []  # each code once
        finally:
            kgen.close(timeout=3)
    finally:
        watcher.stop()
        services.stop()
