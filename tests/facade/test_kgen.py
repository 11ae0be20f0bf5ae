"""The facade end to end: real sandbox on loopback, real SQLite, real pygame events."""

from __future__ import annotations

import logging
from decimal import Decimal
from pathlib import Path
from typing import Any

import pygame
import pytest

from kgen_pygame import KGen, events
from kgen_pygame.errors import ConfigurationError, InvalidEventError, UsageError
from tests.facade.conftest import (
    event_keys,
    join_free_tournament,
    pump,
    sandbox_get,
    sandbox_post,
)


def test_kgen_before_pygame_init_is_a_clear_usage_error(tmp_path: Path) -> None:
    pygame.quit()
    with pytest.raises(UsageError, match=r"pygame\.init\(\)"):
        KGen(data_dir=tmp_path)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"base_url": "ftp://example.com"}, "base_url"),
        ({"base_url": "http://example.com", "client_id": "a", "client_secret": "b"}, "http://"),
        ({"base_url": "https://example.com"}, "session_provider"),
        ({"colour": "red"}, "unknown KGen option"),
        ({"game_id": "has spaces"}, "game_id"),
        ({"client_secret": "only-a-secret"}, "client_id"),
        ({"hud_position": "middle"}, "hud_position must be one of 'top-left'"),
        ({"game_id": 123}, "game_id must be a string, not int"),
        ({"api": "v2"}, "api must be one of 'current', 'v1', 'legacy'"),
        ({"hotkey": "no-such-key"}, "hotkey 'no-such-key' is not a key name"),
        ({"hotkey": True}, "hotkey must be a pygame key code"),
        ({"read_timeout_s": "10"}, "read_timeout_s must be a number of seconds"),
        ({"max_pending_events": 5}, "max_pending_events must be at least 100"),
        ({"show_hud": "yes"}, "show_hud must be True or False"),
        ({"broker_url": "https://broker.example"}, "broker_url needs base_url"),
        (
            {"base_url": "https://p.example", "broker_url": "http://broker.example"},
            "refusing plain http:// to broker.example for broker_url",
        ),
        (
            {"base_url": "https://p.example", "broker_url": "https://b.example",
             "client_id": "c", "client_secret": "s"},
            "remove client_secret",
        ),
        (
            {"base_url": "https://p.example", "broker_url": "https://b.example",
             "session_provider": lambda gamer: "t"},
            "broker_url or session_provider, not both",
        ),
        (
            {"base_url": "https://p.example", "broker_url": "https://b.example",
             "profile": {"email": "a@b.c"}},
            "the broker accepts only the profile fields",
        ),
    ],
)
def test_wrong_configuration_fails_at_construction(
    display: pygame.Surface, tmp_path: Path, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigurationError, match=message):
        KGen(data_dir=tmp_path, **options)


def test_every_option_is_listed_once_in_the_table_the_config_and_the_typed_options() -> None:
    from dataclasses import fields

    from kgen_pygame.config import OPTIONS, KGenConfig, KGenOptions

    assert set(OPTIONS) == {f.name for f in fields(KGenConfig)} == set(KGenOptions.__annotations__)


def test_a_hotkey_can_be_a_key_name(display: pygame.Surface, tmp_path: Path) -> None:
    from kgen_pygame.config import KGenConfig

    assert KGenConfig.resolve(environ={}, hotkey="F1").hotkey == pygame.K_F1
    assert KGenConfig.resolve(environ={}, hotkey="f10").hotkey == pygame.K_F10
    assert KGenConfig.resolve(environ={}, hotkey=pygame.K_TAB).hotkey == pygame.K_TAB


def test_environment_configures_the_plugin(
    display: pygame.Surface, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KGEN_BASE_URL", "https://platform.example")
    monkeypatch.setenv("KGEN_ALLOW_INSECURE_HTTP", "maybe")
    with pytest.raises(ConfigurationError, match="KGEN_ALLOW_INSECURE_HTTP"):
        KGen(data_dir=tmp_path)


def test_session_bootstrap_posts_session_ready(make_kgen: Any) -> None:
    kgen = make_kgen(gamer_id="alice")
    assert not kgen.ready  # the constructor never waits for the network
    seen = pump(kgen, lambda: kgen.ready, "session ready")
    ready = [e for e in seen if e.type == events.SESSION_READY]
    assert len(ready) == 1
    assert ready[0].gamer_id == "alice"
    # A standalone sandbox at a configured URL is recognised by its answers' marker.
    assert ready[0].sandbox is True and kgen.sandbox
    assert ready[0].wallet_address.startswith("0x")
    assert kgen.session is not None and kgen.session.wallet_address == ready[0].wallet_address


def test_scores_reach_the_sandbox_exactly_once(make_kgen: Any, sandbox: Any) -> None:
    kgen = make_kgen(gamer_id="bob")
    join_free_tournament(kgen)
    # No tournament named: each joined live tournament gets it (one on v1's eventing).
    ids = [kgen.track_score(100 + i) for i in range(25)]
    pump(kgen, lambda: kgen.pending_events == 0, "outbox drained")
    keys = event_keys(sandbox, "bob")
    assert sorted(keys) == sorted(ids)


def test_every_payload_kind_is_delivered(make_kgen: Any, sandbox: Any, generation: str) -> None:
    kgen = make_kgen(gamer_id="carol")
    sent = [
        kgen.track("achievement", 3),
        kgen.track("levelup", "level-2", level=2),
        kgen.track("progress", "50%"),
        kgen.track("matchResult", ["won"], matchId="m1"),
        kgen.track("matchJoined", "m1", matchId="m1"),
        kgen.track("lobbyJoined", ["lobby-9"], lobbyId="lobby-9", difficulty=2, areaCode=91),
    ]
    if generation == "v1":
        sent.append(kgen.track("tournamentJoined", ["t1"]))
    pump(kgen, lambda: kgen.ready and kgen.pending_events == 0, "outbox drained")
    if generation == "v1":
        assert sorted(event_keys(sandbox, "carol")) == sorted(sent)
        return
    # The current API has no generic eventing: analytics kinds are px-tracker drops.
    drops = sandbox_get(sandbox, "/_sandbox/deliveries", gamer_id="carol")
    assert sorted(d["idempotency_key"] for d in drops if d["operation"] == "px_drop") == sorted(
        sent
    )


def test_the_current_api_refuses_a_kind_it_has_no_counterpart_for(
    make_kgen: Any, generation: str
) -> None:
    if generation != "current":
        pytest.skip("v1's eventing carries every kind")
    kgen = make_kgen(gamer_id="cleo")
    with pytest.raises(InvalidEventError, match=r"join with kgen.join_tournament\(uid\)"):
        kgen.track("tournamentJoined", ["t1"])
    assert kgen.pending_events == 0


@pytest.mark.parametrize(
    ("kind", "value", "metadata", "error"),
    [
        ("score", "12", {}, InvalidEventError),
        ("score", True, {}, InvalidEventError),
        ("score", 1.5, {}, InvalidEventError),
        ("levelup", 3, {}, InvalidEventError),
        ("matchResult", [1], {}, InvalidEventError),
        ("teleport", 1, {}, InvalidEventError),
        ("score", 10, {"colour": "red"}, InvalidEventError),
        ("score", 10, {"level": "high"}, InvalidEventError),
        ("score", 10, {"playerId": "someone-else"}, InvalidEventError),
    ],
)
def test_bad_tracking_input_raises_before_anything_is_stored(
    make_kgen: Any, kind: str, value: Any, metadata: dict[str, Any], error: type[Exception]
) -> None:
    kgen = make_kgen(gamer_id="dave", overlays=False)
    before = kgen.pending_events
    with pytest.raises(error):
        kgen.track(kind, value, **metadata)
    assert kgen.pending_events == before


def test_scores_tracked_before_the_session_are_sent_after(
    make_kgen: Any, sandbox: Any, tmp_path: Path
) -> None:
    first = make_kgen(gamer_id="erin")
    uid = join_free_tournament(first)
    first.close()
    sandbox_post(sandbox, "/_sandbox/faults", {"error_rate": 1.0})
    # The same player on another install: no stored session, so one must be made.
    kgen = make_kgen(gamer_id="erin", data_dir=tmp_path / "another-install")
    ids = [kgen.track_score(i, tournament_id=uid) for i in range(5)]
    seen = pump(
        kgen,
        lambda: kgen.state.session_error is not None,
        "a failed bootstrap while the server errors",
    )
    assert any(e.type == events.SESSION_FAILED and e.retrying for e in seen)
    assert kgen.pending_events == 5
    sandbox_post(sandbox, "/_sandbox/faults", {"error_rate": 0.0})
    pump(kgen, lambda: kgen.ready and kgen.pending_events == 0, "recovery", limit_s=90)
    assert sorted(event_keys(sandbox, "erin")) == sorted(ids)


def test_token_is_reused_across_launches(make_kgen: Any, sandbox: Any) -> None:
    first = make_kgen(gamer_id="frank", overlays=False)
    pump(first, lambda: first.ready, "first session")
    token = first.session.token
    first.close()
    second = make_kgen(gamer_id="frank", overlays=False)
    pump(second, lambda: second.ready, "second session")
    assert second.session.token == token


def test_a_rejected_token_triggers_a_new_session(
    make_kgen: Any, sandbox: Any, tmp_path: Path, generation: str
) -> None:
    from kgen_pygame.runtime.credentials import TokenRecord, open_credential_store, store_key
    from kgen_pygame.sandbox import DEFAULT_CLIENT_ID as SANDBOX_CLIENT_ID

    # A stored token the server does not know: the plugin must mint a new one.
    store = open_credential_store("kgen-pygame", tmp_path / "game" / "state")
    key = store_key(sandbox.url, SANDBOX_CLIENT_ID, "gina", generation)
    store.save(key, TokenRecord("not-a-real-token", None, "gina", "s-1", "0xabc"))
    kgen = make_kgen(gamer_id="gina", overlays=False)
    uid = join_free_tournament(kgen)
    event_id = kgen.track_score(77, tournament_id=uid)
    pump(kgen, lambda: kgen.ready and kgen.pending_events == 0, "delivery with a new token")
    assert kgen.session.token != "not-a-real-token"
    assert event_keys(sandbox, "gina") == [event_id]


def test_close_never_hangs_and_keeps_undelivered_events(
    make_kgen: Any, sandbox: Any, tmp_path: Path
) -> None:
    first = make_kgen(gamer_id="hana", overlays=False)
    uid = join_free_tournament(first)
    first.close()
    sandbox_post(sandbox, "/_sandbox/faults", {"blackhole": True})
    kgen = make_kgen(gamer_id="hana", overlays=False, read_timeout_s=30)
    event_id = kgen.track_score(5, tournament_id=uid)
    kgen.close(timeout=0.5)
    sandbox_post(sandbox, "/_sandbox/faults", {"blackhole": False})
    again = make_kgen(gamer_id="hana", overlays=False)
    pump(again, lambda: again.pending_events == 0, "delivery on the next launch")
    assert event_keys(sandbox, "hana") == [event_id]


def test_calling_after_close_is_a_usage_error(make_kgen: Any) -> None:
    kgen = make_kgen(gamer_id="ivan", overlays=False)
    kgen.close()
    with pytest.raises(UsageError):
        kgen.track_score(1)
    assert kgen.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_a)) is False


def test_actions_settle_on_the_game_thread(make_kgen: Any) -> None:
    kgen = make_kgen(gamer_id="judy", overlays=False)
    call = kgen.actions.wallet_balance()
    assert not call.done
    results: list[Any] = []
    call.on_done(results.append)
    pump(kgen, lambda: call.done, "wallet balance")
    assert call.ok and results == [call]
    assert call.result.bonus >= Decimal(0)


def test_callbacks_and_pygame_events_for_rewards(make_kgen: Any, sandbox: Any) -> None:
    kgen = make_kgen(gamer_id="kim", overlays=False)
    got: list[Any] = []
    kgen.on("rewards_changed", got.append)
    pump(kgen, lambda: kgen.ready and bool(kgen.active_tournaments), "tournaments")
    free = min(kgen.active_tournaments, key=lambda t: t.buy_in)
    joined = kgen.actions.join_tournament(free.uid)
    pump(kgen, lambda: joined.done, "join")
    assert joined.ok, joined.error
    kgen.track_score(999_999, tournament_id=free.uid)
    pump(kgen, lambda: kgen.pending_events == 0, "score delivery")
    sandbox_post(sandbox, f"/_sandbox/tournaments/{free.uid}/_end")
    kgen.actions.refresh()
    seen = pump(kgen, lambda: bool(got), "rewards changed")
    assert any(e.type == events.REWARDS_CHANGED and e.count >= 1 for e in seen)
    assert kgen.state.unclaimed_total > 0


def test_unknown_callback_name_is_rejected(make_kgen: Any) -> None:
    kgen = make_kgen(gamer_id="lee", overlays=False)
    with pytest.raises(ValueError, match="session_ready"):
        kgen.on("sesion_ready", lambda e: None)


def test_no_token_or_secret_in_logs(
    make_kgen: Any, sandbox: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    kgen = make_kgen(gamer_id="mia", overlays=False)
    kgen.track_score(1, tournament_id=join_free_tournament(kgen))
    pump(kgen, lambda: kgen.ready and kgen.pending_events == 0, "delivery")
    token = kgen.session.token
    from kgen_pygame.sandbox import DEFAULT_CLIENT_SECRET as SANDBOX_CLIENT_SECRET

    text = caplog.text
    assert token not in text
    assert SANDBOX_CLIENT_SECRET not in text
    assert "token=" not in text


def test_session_provider_keeps_the_secret_out_of_the_game(
    display: pygame.Surface, sandbox: Any, tmp_path: Path, generation: str
) -> None:
    import requests

    from kgen_pygame.sandbox import DEFAULT_CLIENT_ID as SANDBOX_CLIENT_ID
    from kgen_pygame.sandbox import DEFAULT_CLIENT_SECRET as SANDBOX_CLIENT_SECRET

    minted: list[str] = []

    def game_backend_mints(gamer_id: str) -> str:
        # Stands in for the game's own server, which holds the client secret.
        if generation == "v1":
            path, body = "/api/v1/session", {"gamer_id": gamer_id}
            headers = {"x-clientID": SANDBOX_CLIENT_ID, "x-clientSecret": SANDBOX_CLIENT_SECRET}
            token_field = "token"
        else:
            path, body = "/s2s/session", {"user_id": gamer_id}
            headers = {"x-client-id": SANDBOX_CLIENT_ID, "x-client-secret": SANDBOX_CLIENT_SECRET}
            token_field = "access_token"
        reply = requests.post(f"{sandbox.url}{path}", json=body, headers=headers, timeout=10)
        reply.raise_for_status()
        minted.append(gamer_id)
        return str(reply.json()[token_field])

    kgen = KGen(
        api=generation, base_url=sandbox.url, session_provider=game_backend_mints,
        gamer_id="nora", data_dir=tmp_path / "game", overlays=False,
    )
    try:
        event_id = kgen.track_score(42, tournament_id=join_free_tournament(kgen))
        pump(kgen, lambda: kgen.ready and kgen.pending_events == 0, "delivery via provider")
        assert minted == ["nora"]
        assert kgen.config.client_secret is None
        assert event_keys(sandbox, "nora") == [event_id]
    finally:
        kgen.close()


def test_a_failing_session_provider_is_reported_not_raised(
    display: pygame.Surface, sandbox: Any, tmp_path: Path
) -> None:
    def broken_backend(gamer_id: str) -> str:
        raise RuntimeError("backend password=hunter2 refused")

    kgen = KGen(
        base_url=sandbox.url, session_provider=broken_backend, gamer_id="omar",
        data_dir=tmp_path / "game", overlays=False,
    )
    try:
        seen = pump(kgen, lambda: kgen.state.session_error is not None, "a session failure")
        failed = [e for e in seen if e.type == events.SESSION_FAILED]
        assert failed and not failed[0].retrying
        assert "hunter2" not in failed[0].message
        assert "session_provider" in failed[0].message
    finally:
        kgen.close()


def test_a_forked_child_can_track_and_the_parent_delivers(
    make_kgen: Any, sandbox: Any
) -> None:
    import os

    kgen = make_kgen(gamer_id="pia")
    uid = join_free_tournament(kgen)
    pid = os.fork()
    if pid == 0:  # child: its events land in the shared outbox
        code = 1
        try:
            kgen.track_score(7, tournament_id=uid)
            kgen.update(1 / 60)  # a no-op in the child, must not touch the parent's threads
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    kgen.track_score(8, tournament_id=uid)
    pump(kgen, lambda: kgen.pending_events == 0, "parent delivers the child's event")
    received = sandbox_get(sandbox, "/_sandbox/events", gamer_id="pia")
    assert sorted(e["payload"]["score"]["value"] for e in received) == [7, 8]


def test_an_unwritable_outbox_holds_events_in_memory_until_it_recovers(
    make_kgen: Any, sandbox: Any, tmp_path: Path
) -> None:
    import sqlite3

    kgen = make_kgen(gamer_id="quinn")
    uid = join_free_tournament(kgen)
    # Another process holds the outbox's write lock for longer than a capture waits.
    blocker = sqlite3.connect(tmp_path / "game" / "outbox.sqlite3", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        first = kgen.track_score(1, tournament_id=uid)
        second = kgen.track_score(2, tournament_id=uid)
        # The caller can tell at once that these are not durable yet...
        assert (first.durable, second.durable) == (False, False)
        assert first.kept and second.kept
        # ...and the game hears it in the next update(), like every plugin event.
        kgen.update()
        problems = [e for e in pygame.event.get() if e.type == events.DELIVERY_PROBLEM]
        assert problems and "memory" in problems[0].reason
        assert kgen.pending_events >= 2
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    pump(kgen, lambda: kgen.pending_events == 0, "the held events stored and delivered")
    received = sandbox_get(sandbox, "/_sandbox/events", gamer_id="quinn")
    assert [e["idempotency_key"] for e in received] == [first, second]


def test_an_unusable_data_dir_is_a_clear_configuration_error(
    display: pygame.Surface, tmp_path: Path
) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    with pytest.raises(ConfigurationError, match="data_dir"):
        KGen(data_dir=not_a_folder / "inside", overlays=False)


def test_power_loss_safe_mode_fsyncs_and_delivers_the_same(make_kgen: Any, sandbox: Any) -> None:
    default = make_kgen(gamer_id="ruth")
    assert default.durability == "crash-safe"
    default.close()
    kgen = make_kgen(gamer_id="rosa", power_loss_safe=True)
    # Read back from SQLite: every commit waits for the disk.
    assert kgen.durability == "power-loss-safe"
    uid = join_free_tournament(kgen)
    ids = [kgen.track_score(value, tournament_id=uid) for value in (10, 20, 30)]
    pump(kgen, lambda: kgen.ready and kgen.pending_events == 0, "delivery")
    assert sorted(event_keys(sandbox, "rosa")) == sorted(ids)
    # Each event went out once: raw deliveries count repeats the stored rows hide.
    records = sandbox_get(sandbox, "/_sandbox/records", gamer_id="rosa")
    assert (records["raw_deliveries"], records["repeated_deliveries"]) == (3, 0), records


def test_a_refused_event_is_kept_reported_and_can_be_requeued(make_kgen: Any) -> None:
    kgen = make_kgen(gamer_id="rita")
    refused: list[Any] = []
    kgen.on("event_refused", refused.append)
    event_id = kgen.track_score(5, tournament_id="no-such-tournament")
    pump(kgen, lambda: bool(refused), "the refusal")
    assert refused[0].event_id == event_id and refused[0].kind == "score"
    assert refused[0].status == 404 and "TOURNAMENT" in refused[0].reason

    report = kgen.delivery_report()
    pump(kgen, lambda: report.done, "the report")
    assert report.ok, report.error
    assert report.result.pending == 0 and report.result.dead_letter_count == 1
    (letter,) = report.result.dead_letters
    assert (letter.event_id, letter.status) == (event_id, 404)

    requeued = kgen.requeue_dead_letters([event_id])
    pump(kgen, lambda: requeued.done, "the requeue")
    assert requeued.result == 1
    pump(kgen, lambda: len(refused) == 2, "refused again (the tournament still does not exist)")
