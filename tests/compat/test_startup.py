"""What ``KGen(...)`` no longer does on the game thread, and what that must not cost.

The outbox opens and the overlay layer is imported on start-up threads. A score
tracked before the outbox is open waits for it (bounded) and is then truly in the
SQLite file, or, if the file is not open in time, says ``durable=False`` and is stored
as soon as it opens. The overlay is there whenever the game asks for it.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pygame
import pytest

from kgen_pygame import KGen
from kgen_pygame.errors import OutboxError
from kgen_pygame.runtime import recorder
from kgen_pygame.runtime.capture_opener import CaptureOpener
from kgen_pygame.runtime.notifier import Notifier
from kgen_pygame.runtime.outbox import OUTBOX_FILENAME, CaptureHandle
from kgen_pygame.runtime.recorder import EventRecorder
from tests.ui.ui_events import press_key


def stored_ids(path: Path) -> list[str]:
    """Event ids in the outbox file, read with a separate SQLite connection."""
    conn = sqlite3.connect(path)
    try:
        return [str(row[0]) for row in conn.execute("SELECT event_id FROM events")]
    finally:
        conn.close()


def gated_recorder(path: Path, gate: threading.Event) -> tuple[EventRecorder, CaptureOpener]:
    def open_capture() -> CaptureHandle:
        gate.wait(30)
        return CaptureHandle(path)

    opener = CaptureOpener(open_capture)
    threading.Thread(target=opener.open, daemon=True).start()  # as the start-up thread does
    rec = EventRecorder(opener, Notifier(), generation="current", player_id="p", game_id="g")
    return rec, opener


def test_a_score_tracked_while_the_outbox_opens_waits_and_is_durable(tmp_path: Path) -> None:
    path = tmp_path / OUTBOX_FILENAME
    gate = threading.Event()
    rec, _ = gated_recorder(path, gate)
    threading.Timer(0.2, gate.set).start()
    event_id = rec.record("score", 7, {})
    assert event_id.durable
    assert str(event_id) in stored_ids(path)
    rec.close()


def test_past_the_bound_the_score_is_held_and_says_so_then_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recorder, "OPEN_WAIT_S", 0.05)
    path = tmp_path / OUTBOX_FILENAME
    gate = threading.Event()
    rec, opener = gated_recorder(path, gate)
    held = rec.record("score", 8, {})
    assert not held.durable and held.kept
    assert rec.unsaved == 1
    gate.set()
    assert opener.get(10) is not None
    rec.store_held(force=True)
    assert rec.unsaved == 0
    assert str(held) in stored_ids(path)
    rec.close()


def test_a_failed_open_holds_events_and_never_claims_durability(tmp_path: Path) -> None:
    def broken() -> CaptureHandle:
        raise OutboxError("the disk is gone")

    opener = CaptureOpener(broken)
    opener.open()
    rec = EventRecorder(opener, Notifier(), generation="current", player_id="p", game_id="g")
    event_id = rec.record("score", 9, {})
    assert not event_id.durable
    assert rec.pending_count() == 1
    assert "not open" in rec.durability


@pytest.fixture
def screen() -> Any:
    pygame.init()
    yield pygame.display.set_mode((640, 480))
    pygame.quit()


def test_the_overlay_is_there_when_the_game_asks_at_once(
    screen: pygame.Surface, tmp_path: Path
) -> None:
    kgen = KGen(game_id="startup", data_dir=tmp_path, base_url="http://127.0.0.1:9",
                client_id="c", client_secret="s")
    try:
        press_key(pygame.K_F1)  # the very first frame: the hotkey must not be lost
        for event in pygame.event.get():
            kgen.handle_event(event)
        assert kgen.overlay_open
        kgen.update()
        assert kgen.draw(screen) == [screen.get_rect()]
        kgen.close_menu()
        kgen.open_menu("rewards")
        assert kgen.overlay is not None and kgen.overlay_open
    finally:
        kgen.close(timeout=0.5)


def test_track_score_right_after_the_constructor_is_in_the_file(
    screen: pygame.Surface, tmp_path: Path
) -> None:
    kgen = KGen(game_id="startup", data_dir=tmp_path, base_url="http://127.0.0.1:9",
                client_id="c", client_secret="s", overlays=False)
    try:
        event_id = kgen.track_score(42)
        assert event_id.durable
        assert str(event_id) in stored_ids(tmp_path / OUTBOX_FILENAME)
        assert kgen.pending_events == 1
    finally:
        kgen.close(timeout=0.5)
