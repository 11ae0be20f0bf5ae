"""End to end: a real KGen game loop -> kgen-broker (its own process) -> the sandbox (its own).

The game process is this test process; it is given only the platform URL and the
broker URL. The client secret is random for this run and lives only in the
sandbox's and the broker's environments, so finding it anywhere on the game
side (configuration, environment, data dir, logs, the secrets its own code
registered for redaction) would mean it leaked.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pygame
import pytest
import requests

from kgen_pygame import KGen, events
from kgen_pygame.broker_client import BrokerSessionProvider, device_key_name
from kgen_pygame.redact import registered_secrets
from kgen_pygame.runtime.credentials import open_credential_store
from kgen_pygame.runtime.sandbox_tools import end_tournament, read_sandbox_otp
from tests.broker.helpers import TIMEOUT
from tests.broker.processes import Service, clean_environ, service
from tests.facade.conftest import pump

COUNTRY_CODE, PHONE = "+91", "9876500011"


@dataclass
class Deployment:
    platform_url: str
    broker: Service
    client_secret: str
    broker_key: str


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    client_id, client_secret = "e2e-" + secrets.token_hex(4), secrets.token_urlsafe(24)
    broker_key = secrets.token_urlsafe(48)
    sandbox_env = clean_environ(
        {"KGEN_SANDBOX_CLIENT_ID": client_id, "KGEN_SANDBOX_CLIENT_SECRET": client_secret}
    )
    sandbox_args = ["kgen_pygame.sandbox", "--port", "0", "--db", str(tmp_path / "p.sqlite3")]
    with service(sandbox_args, sandbox_env) as platform:
        broker_env = clean_environ(
            {
                "KGEN_BROKER_PLATFORM_URL": platform.url,
                "KGEN_BROKER_CLIENT_ID": client_id,
                "KGEN_BROKER_CLIENT_SECRET": client_secret,
                "KGEN_BROKER_KEY": broker_key,
                "KGEN_BROKER_PORT": "0",
                "KGEN_BROKER_LOG_LEVEL": "DEBUG",
            }
        )
        with service(["kgen_pygame.broker"], broker_env) as broker:
            yield Deployment(platform.url, broker, client_secret, broker_key)


@pytest.mark.parametrize("wiring", ["broker_url", "session_provider"])
def test_a_game_on_the_broker_plays_the_whole_flow_without_the_secret(
    deployment: Deployment,
    display: pygame.Surface,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    wiring: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    data_dir = tmp_path / "game"
    store = open_credential_store(state_dir=data_dir / "state")
    options: dict[str, Any] = {"broker_url": deployment.broker.url}
    if wiring == "session_provider":
        provider = BrokerSessionProvider(deployment.broker.url, store, game_id="comet-catcher")
        options = {"session_provider": provider}
    kgen = KGen(
        game_id="comet-catcher",
        base_url=deployment.platform_url,
        data_dir=data_dir,
        overlays=False,
        **options,
    )
    try:
        seen = pump(kgen, lambda: kgen.ready and bool(kgen.active_tournaments), "session")
        assert any(e.type == events.SESSION_READY for e in seen)
        assert kgen.session is not None
        user_id = kgen.session.gamer_id
        assert user_id.startswith("dk_") and kgen.gamer_id == user_id
        if wiring == "session_provider":
            assert provider.user_id == user_id

        cheapest = min(kgen.active_tournaments, key=lambda t: t.buy_in)
        joined = kgen.actions.join_tournament(cheapest.uid)
        pump(kgen, lambda: joined.done, "join")
        assert joined.ok, joined.error

        kgen.track_score(1200, tournament_id=cheapest.uid)
        kgen.track_score(5200, tournament_id=cheapest.uid)
        pump(kgen, lambda: kgen.pending_events == 0, "score delivery")

        assert end_tournament(deployment.platform_url, cheapest.uid)
        kgen.actions.refresh()
        # The tournament's prize (and, on v1's eventing, the sandbox's score milestones).
        pump(kgen, lambda: kgen.state.unclaimed_count >= 1, "rewards to claim")
        claimed = kgen.actions.claim_rewards()
        pump(kgen, lambda: claimed.done, "claim")
        assert claimed.ok, claimed.error

        challenge = kgen.actions.request_otp(COUNTRY_CODE, PHONE)
        pump(kgen, lambda: challenge.done, "OTP request")
        assert challenge.ok, challenge.error
        code = read_sandbox_otp(deployment.platform_url, COUNTRY_CODE, PHONE)
        assert code is not None
        verified = kgen.actions.verify_otp(COUNTRY_CODE, PHONE, challenge.result.auth_code, code)
        pump(kgen, lambda: verified.done, "OTP verify")
        assert verified.ok, verified.error
        assert kgen.session.linked

        withdrawn = kgen.actions.withdraw()
        pump(kgen, lambda: withdrawn.done, "withdraw")
        assert withdrawn.ok, withdrawn.error
        # The current API answers only a message; v1 also says how much moved.
        assert withdrawn.result.amount is None or withdrawn.result.amount > 0
    finally:
        kgen.close(timeout=3)

    records = requests.get(
        f"{deployment.platform_url}/_sandbox/records",
        params={"gamer_id": user_id},
        timeout=TIMEOUT,
    ).json()
    assert records["score_events"] == 2 and records["best_score"] == 5200
    assert records["claims"] >= 1 and records["linked"] and records["withdrawals"] == 1

    # The secret is nowhere on the game side.
    secret = deployment.client_secret
    config = kgen.config
    assert secret not in repr(config)
    assert all(secret not in repr(getattr(config, f.name)) for f in fields(config))
    assert config.client_secret is None
    assert all(secret not in value for value in os.environ.values())
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path
    assert secret not in caplog.text
    assert secret not in registered_secrets()
    assert deployment.broker_key not in caplog.text
    # And the broker's own log has no token or device key either.
    device_key = store.load_secret(device_key_name("comet-catcher"))
    assert device_key is not None
    assert deployment.broker.stop() == 0
    assert device_key not in deployment.broker.output
    assert secret not in deployment.broker.output
    assert '"status":200' in deployment.broker.output


def test_a_game_whose_broker_is_down_says_it_cannot_reach_kgen_and_keeps_running(
    display: pygame.Surface, tmp_path: Path
) -> None:
    import socket

    with socket.socket() as probe:  # a loopback port with nothing listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    provider = BrokerSessionProvider(
        f"http://127.0.0.1:{port}", open_credential_store(state_dir=tmp_path / "state")
    )
    kgen = KGen(
        base_url="http://127.0.0.1:9",
        session_provider=provider,
        data_dir=tmp_path / "game",
        overlays=False,
    )
    try:
        event_id = kgen.track_score(10)
        seen = pump(kgen, lambda: kgen.state.session_error is not None, "a session failure")
        failed = [e for e in seen if e.type == events.SESSION_FAILED]
        assert failed and failed[0].retrying
        assert "POST /v1/session" in failed[0].message
        assert kgen.pending_events == 1 and event_id  # kept for when KGeN is back
    finally:
        kgen.close(timeout=1)
