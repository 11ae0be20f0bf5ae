"""demo_game.kgen_integration: works with the plugin when it runs, degrades when it does not."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pygame
import pytest
import requests

from demo_game import config, kgen_integration
from demo_game.app import App
from demo_game.kgen_integration import KGenLink
from demo_game.scenes import GameOverScene, PlayScene, TitleScene, TournamentChoiceScene
from tests.demo.helpers import REPO, AppFactory, key, steps


def test_switched_off_link_is_a_quiet_no_op() -> None:
    link = KGenLink(enabled=False)
    assert not link.available and not link.ready and not link.overlay_open
    assert link.problem == "switched off (--no-kgen)"
    event = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_a, mod=0, unicode="a", scancode=0)
    assert link.handle_event(event) is False
    assert link.submit_score(10, None) is False
    assert link.open_panel("rewards") is False
    options = link.tournament_options()
    assert [o.uid for o in options] == [None]
    results: list[tuple[bool, str]] = []
    link.join("t-1", lambda ok, message: results.append((ok, message)))
    assert results == [(False, "KGeN is offline")]
    assert link.events_tracked == 0
    link.close()


def test_offline_game_offers_practice_only(make_app: AppFactory) -> None:
    app = make_app()
    key(app, pygame.K_RETURN, "\r")
    scene = app.scene
    labels = [item.label for item in scene.menu.items]  # type: ignore[attr-defined]
    assert labels == ["PRACTICE", "BACK"]


def _step_until(app: App, condition: Callable[[], bool], frames: int = 3000) -> bool:
    """Run frames (pausing briefly so the plugin's threads can work) until `condition`."""
    for _ in range(frames):
        if condition():
            return True
        app.step()
        time.sleep(0.005)
    return condition()


def _sandbox_events(app: App) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = _sandbox_get(app, "/_sandbox/events")
    return events


@pytest.fixture
def make_kgen_app(make_app: AppFactory, monkeypatch: pytest.MonkeyPatch,
                  tmp_path: Path) -> Callable[..., App]:
    """Start the demo with the plugin on its embedded sandbox, speaking `api` (None: the
    plugin's default)."""
    # kgen_pygame ships in this repository: a missing plugin is a bug, not a skip.
    assert kgen_integration.PLUGIN_PROBLEM is None, kgen_integration.PLUGIN_PROBLEM
    monkeypatch.setenv("KGEN_DATA_DIR", str(tmp_path / "kgen"))
    monkeypatch.delenv("KGEN_BASE_URL", raising=False)

    def build(api: str | None = None) -> App:
        app = make_app(kgen=True, seed=5, api=api)
        assert app.ctx.kgen.available, f"KGen() did not start: {app.ctx.kgen.problem}"
        assert _step_until(app, lambda: app.ctx.kgen.ready), "no KGeN session"
        return app

    return build


@pytest.fixture
def kgen_app(make_kgen_app: Callable[..., App]) -> App:
    return make_kgen_app()


def _sandbox_get(app: App, path: str) -> Any:
    plugin = app.ctx.kgen.plugin
    assert plugin is not None and plugin.endpoint is not None
    response = requests.get(f"{plugin.endpoint.base_url}{path}",
                            params={"gamer_id": plugin.gamer_id}, timeout=10)
    response.raise_for_status()
    return response.json()


@pytest.mark.parametrize("api", ["current", "v1"])
def test_tournament_round_reaches_the_sandbox(make_kgen_app: Callable[..., App],
                                              api: str) -> None:
    app = make_kgen_app(api)
    assert app.ctx.kgen.api == api
    key(app, pygame.K_RETURN, "\r")  # title: PLAY
    scene = app.scene
    assert isinstance(scene, TournamentChoiceScene)
    assert _step_until(app, lambda: len(scene.options) > 1), "no tournaments offered"
    key(app, pygame.K_DOWN)  # the first tournament
    chosen = scene.options[1]
    assert chosen.uid is not None
    key(app, pygame.K_RETURN, "\r")
    if chosen.buy_in > 0:
        assert "press Enter again" in scene.message
        key(app, pygame.K_RETURN, "\r")
    assert _step_until(app, lambda: app.scene_name == "play"), scene.message
    play = app.scene
    assert isinstance(play, PlayScene) and play.option.uid == chosen.uid
    play.world.score = 4321  # what the round scored (the rules are tested elsewhere)
    play.world.elapsed = config.ROUND_SECONDS - 0.01
    assert _step_until(app, lambda: app.scene_name == "game_over")
    result = app.ctx.last_result
    assert result is not None and result.reported and result.score == 4321

    def delivered() -> list[dict[str, Any]]:
        return [e for e in _sandbox_events(app)
                if (e["payload"] or {}).get("score", {}).get("value") == 4321]

    assert _step_until(app, lambda: bool(delivered()), frames=2000)
    # v1's eventing names the tournament in metadata.tournamentId; the current score post
    # in its path and metadata.tournamentUID (C17).
    named = "tournamentUID" if api == "current" else "tournamentId"
    assert delivered()[0]["metadata"][named] == chosen.uid
    over = app.scene
    assert isinstance(over, GameOverScene)
    # The results screen says "delivered" only once the plugin's outbox is empty.
    assert _step_until(app, lambda: over.delivered, frames=600)
    assert over.kgen_line == f"{chosen.title} - score delivered to KGeN"
    kinds = {kind for e in _sandbox_events(app) for kind in e["kinds"]}
    if api == "v1":
        assert {"matchJoined", "score", "matchResult"} <= kinds
    else:  # the current API has score posts; match events go as px-tracker drops (C23)
        assert kinds == {"score"}
        assert _sandbox_get(app, "/_sandbox/records")["px_drops"] >= 2
    # LEADERBOARD on the results screen opens the plugin's panel.
    key(app, pygame.K_DOWN)
    key(app, pygame.K_RETURN, "\r")
    assert app.ctx.kgen.overlay_open
    assert app.ctx.kgen.panels_visited == ["leaderboard"]


def _start_practice(app: App) -> PlayScene:
    """Title -> PLAY -> Practice, with real key presses."""
    key(app, pygame.K_RETURN, "\r")
    key(app, pygame.K_RETURN, "\r")  # Practice is the first card
    play = app.scene
    assert isinstance(play, PlayScene)
    return play


def test_kgen_menu_pauses_play_and_sms_is_shown(kgen_app: App) -> None:
    app = kgen_app
    play = _start_practice(app)
    key(app, pygame.K_p, "p")
    key(app, pygame.K_DOWN)
    key(app, pygame.K_DOWN)  # RESUME -> RESTART -> KGEN MENU
    key(app, pygame.K_RETURN, "\r")
    assert app.ctx.kgen.overlay_open and app.ctx.kgen.should_pause
    frozen = play.world.elapsed
    key(app, pygame.K_p, "p")  # eaten by the overlay: the game stays paused underneath
    steps(app, 20)
    assert play.paused and play.world.elapsed == frozen
    from kgen_pygame import events as kgen_events

    pygame.event.post(pygame.event.Event(kgen_events.SANDBOX_SMS, phone="+91 ******3210",
                                         code="654321"))
    app.step()
    sms = app.ctx.notifier.sms
    assert sms is not None and sms.text == "SMS from KGeN: your code is 654321"
    key(app, pygame.K_ESCAPE)  # closes the overlay
    assert _step_until(app, lambda: not app.ctx.kgen.overlay_open, frames=100)
    assert play.paused  # back on our pause menu, not thrown into the action


def test_notice_texts() -> None:
    from decimal import Decimal

    from demo_game.kgen_text import notice_from

    sms = notice_from("SANDBOX_SMS", {"phone": "+91 ******3210", "code": "123456"})
    assert sms is not None and sms.kind == "sms" and sms.code == "123456"
    assert sms.text == "SMS from KGeN: your code is 123456"
    assert notice_from("REWARDS_CHANGED", {"count": 0, "total": Decimal(0)}) is None
    rewards = notice_from("REWARDS_CHANGED", {"count": 2, "total": Decimal("15.50")})
    assert rewards is not None and rewards.text == "2 KGeN rewards to claim!"
    # The plugin's panels toast these actions themselves: no second notice from the demo.
    assert notice_from("WITHDRAW_DONE", {"amount": Decimal("20.00"), "status": "PENDING"}) is None
    assert notice_from("WALLET_LINKED", {"phone": "+91 ******3210"}) is None
    back = notice_from("DELIVERY_PROBLEM", {"recovered": True, "pending": 0})
    assert back is not None and back.kind == "session"
    assert notice_from("SOMETHING_NEW", {}) is None


def test_tournament_rows_and_join_errors() -> None:
    from datetime import UTC, datetime, timedelta
    from decimal import Decimal

    from demo_game.kgen_text import describe_tournament, join_error_text, time_left
    from kgen_pygame import errors, models  # a broken import fails, never skips
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert time_left(now + timedelta(minutes=7, seconds=30), now) == "ends in 7m"
    assert time_left(now + timedelta(hours=1, minutes=5), now) == "ends in 1h 05m"
    assert time_left(now + timedelta(days=2, hours=3), now) == "ends in 2d 3h"
    assert time_left(now - timedelta(seconds=1), now) == "ending now"
    cup = models.Tournament(uid="t1", title="Bronze Cup", description="", status="LIVE",
                            buy_in=Decimal("10.00"), prize_pool=None, participants_count=1,
                            max_players=None, starts_at=None, ends_at=None)
    assert describe_tournament(cup) == "Buy-in 10 | 1 player"
    broke = errors.InvalidRequestError("POST /api/v1/tournaments/t1/_join: 422", status=422,
                                       operation="POST /api/v1/tournaments/t1/_join",
                                       code="INSUFFICIENT_BALANCE")
    assert join_error_text(broke) == "Not enough balance for the buy-in"
    odd = errors.InvalidRequestError("POST ...: 400", status=400, operation="POST ...",
                                     code="SOMETHING_ELSE", server_message="Nope")
    assert join_error_text(odd) == "Nope"
    assert "try again" in join_error_text(errors.NetworkError("connection refused"))


def _pixels_of(surface: pygame.Surface, rect: pygame.Rect, color: tuple[int, int, int]) -> int:
    """How many pixels of `rect` on `surface` are exactly `color` (text drawn in it)."""
    area = surface.subsurface(rect)
    return sum(1 for x in range(rect.width) for y in range(rect.height)
               if area.get_at((x, y))[:3] == color)


PAUSED_TITLE = pygame.Rect(410, 125, 460, 90)  # "PAUSED", drawn in white on the canvas


def test_pause_menu_hides_under_the_kgen_overlay_and_comes_back(kgen_app: App) -> None:
    app = kgen_app
    play = _start_practice(app)
    key(app, pygame.K_p, "p")
    assert play.paused
    assert _pixels_of(app.canvas, PAUSED_TITLE, config.WHITE) > 1000  # "PAUSED" is drawn
    for _ in range(2):
        key(app, pygame.K_DOWN)  # RESUME -> RESTART -> KGEN MENU
    key(app, pygame.K_RETURN, "\r")
    assert app.ctx.kgen.overlay_open
    # From the frame the overlay opens, the game's pause screen is not drawn under it...
    assert _pixels_of(app.canvas, PAUSED_TITLE, config.WHITE) == 0
    steps(app, 5)  # ...nor after OVERLAY_OPENED arrives
    assert play.paused and not play.menus_shown
    assert _pixels_of(app.canvas, PAUSED_TITLE, config.WHITE) == 0
    key(app, pygame.K_ESCAPE)  # the plugin's menu closes
    assert _step_until(app, lambda: not app.ctx.kgen.overlay_open, frames=100)
    app.step()  # OVERLAY_CLOSED
    assert play.paused and play.menus_shown
    assert _pixels_of(app.canvas, PAUSED_TITLE, config.WHITE) > 1000
    assert play.pause_menu.menu.focused is not None
    assert play.pause_menu.menu.focused.label == "RESUME"  # Enter plays on
    key(app, pygame.K_RETURN, "\r")
    assert not play.paused


def test_f1_during_play_pauses_the_round_under_the_overlay(kgen_app: App) -> None:
    app = kgen_app
    play = _start_practice(app)
    assert not play.paused
    key(app, pygame.K_F1)
    assert app.ctx.kgen.overlay_open
    steps(app, 3)  # OVERLAY_OPENED pauses the round; its menu stays hidden
    assert play.paused
    assert _pixels_of(app.canvas, PAUSED_TITLE, config.WHITE) == 0
    key(app, pygame.K_F1)  # F1 again closes the overlay: our pause menu is there
    steps(app, 2)
    assert not app.ctx.kgen.overlay_open and play.paused
    assert _pixels_of(app.canvas, PAUSED_TITLE, config.WHITE) > 1000


def test_title_menu_hides_under_the_kgen_overlay(kgen_app: App) -> None:
    app = kgen_app
    app.step()
    title = app.scene
    assert isinstance(title, TitleScene)
    first_button = title.menu.rects()[0]  # PLAY, focused: its label is drawn in cyan
    assert _pixels_of(app.canvas, first_button, config.CYAN) > 100
    key(app, pygame.K_DOWN)
    key(app, pygame.K_RETURN, "\r")  # KGEN REWARDS opens the plugin's menu
    assert app.ctx.kgen.overlay_open
    assert _pixels_of(app.canvas, first_button, config.CYAN) == 0
    key(app, pygame.K_ESCAPE)
    assert _step_until(app, lambda: not app.ctx.kgen.overlay_open, frames=100)
    app.step()
    assert _pixels_of(app.canvas, title.menu.rects()[1], config.CYAN) > 100


def test_actions_the_plugin_toasts_get_no_second_toast(kgen_app: App) -> None:
    """The plugin's panels toast claim, link, withdraw and join; the demo adds none of its own
    for them, and keeps its notices for what the plugin does not show (a new reward)."""
    from decimal import Decimal

    from kgen_pygame import events as kgen_events

    app = kgen_app
    app.step()
    app.ctx.notifier.toasts.clear()
    pygame.event.post(pygame.event.Event(kgen_events.WALLET_LINKED, phone="+91 ******3210",
                                         kgen_wallet_address="0xabc"))
    pygame.event.post(pygame.event.Event(kgen_events.WITHDRAW_DONE, amount=Decimal("50"),
                                         destination="0xabc", status="PENDING"))
    steps(app, 2)
    assert app.ctx.notifier.toasts == []
    pygame.event.post(pygame.event.Event(kgen_events.REWARDS_CHANGED, count=1,
                                         total=Decimal("25")))
    app.step()
    assert [t.text for t in app.ctx.notifier.toasts] == ["1 KGeN reward to claim!"]


def test_the_demo_uses_only_public_plugin_names() -> None:
    """No `kgen._overlay`-style reach into the plugin's private names (nor getattr to one)."""
    import re

    private_use = re.compile(r"(?:\b(?:kgen|plugin|_kgen)\._[a-z]\w*)"
                             r"|(?:getattr\([^,()]+,\s*[\"']_[a-z])")
    found = []
    for path in sorted((REPO / "demo_game").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if private_use.search(line):
                found.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert found == []
