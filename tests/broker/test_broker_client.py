"""BrokerSessionProvider against the real broker and sandbox: device key kept, errors mapped."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kgen_pygame.broker import BrokerServer
from kgen_pygame.broker.hmac_ticket import SECRET_ENV, issue_ticket
from kgen_pygame.broker.identity import derive_user_id
from kgen_pygame.broker.wire import decode_device_key
from kgen_pygame.broker_client import BrokerSessionProvider, device_key_name
from kgen_pygame.errors import (
    AuthenticationError,
    ConfigurationError,
    NetworkError,
    RateLimitError,
    ServerError,
)
from kgen_pygame.runtime.credentials import FileStore, MemoryStore
from kgen_pygame.sandbox import SandboxServer
from tests.broker.helpers import BROKER_KEY, TICKET_SECRET


def test_the_device_key_is_made_once_and_kept_in_the_store(
    broker: BrokerServer, tmp_path: Path
) -> None:
    store = FileStore(tmp_path / "state" / "credentials.json")
    first = BrokerSessionProvider(broker.url, store, game_id="comet")("ignored-gamer-id")
    key = store.load_secret(device_key_name("comet"))
    assert key is not None
    assert first["user_id"] == derive_user_id(BROKER_KEY, decode_device_key(key))
    if os.name == "posix":
        assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    # A later launch (a new provider over the same store) is the same player.
    again = BrokerSessionProvider(broker.url, store, game_id="comet")("ignored-gamer-id")
    assert again["user_id"] == first["user_id"] and again["token"] != first["token"]
    # Another game on the same machine is another player.
    other = BrokerSessionProvider(broker.url, store, game_id="other-game")("x")
    assert other["user_id"] != first["user_id"]


def test_a_damaged_stored_key_is_replaced(broker: BrokerServer) -> None:
    store = MemoryStore()
    store.save_secret(device_key_name("g"), "not-a-device-key")
    reply = BrokerSessionProvider(broker.url, store, game_id="g")("p")
    assert reply["token"]
    assert store.load_secret(device_key_name("g")) != "not-a-device-key"


def test_a_machine_with_a_wrong_clock_still_gets_a_session(broker: BrokerServer) -> None:
    provider = BrokerSessionProvider(
        broker.url, MemoryStore(), clock=lambda: time.time() - 3 * 3600
    )
    assert provider("p")["token"]
    assert provider("p")["token"]  # the correction is kept


def test_tickets_from_the_game_login(
    make_broker: Callable[..., BrokerServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SECRET_ENV, TICKET_SECRET)
    broker = make_broker(verifier="kgen_pygame.broker.hmac_ticket:verify")
    good = BrokerSessionProvider(
        broker.url, ticket=lambda: issue_ticket(TICKET_SECRET.encode(), "player-9")
    )
    assert good("ignored")["user_id"] == "player-9"
    forged = BrokerSessionProvider(
        broker.url, ticket=lambda: issue_ticket(b"wrong-secret-wrong-secret-wrong-secret", "p")
    )
    with pytest.raises(AuthenticationError) as refused:
        forged("ignored")
    assert "POST /v1/session" in str(refused.value) and "TICKET_REJECTED" in str(refused.value)
    # A device-key provider talking to a ticket broker is a configuration mistake, not a retry.
    with pytest.raises(ConfigurationError, match="refused the session request"):
        BrokerSessionProvider(broker.url, MemoryStore())("p")


def test_broker_and_platform_failures_are_the_retryable_errors(
    make_broker: Callable[..., BrokerServer], sandbox: SandboxServer, tmp_path: Path
) -> None:
    broker = make_broker(platform_retries=0, rate_per_minute=1.0, rate_burst=2)
    provider = BrokerSessionProvider(broker.url, MemoryStore())
    sandbox.set_faults(error_rate=1.0)
    with pytest.raises(ServerError) as failed:
        provider("p")
    assert failed.value.status == 502 and failed.value.retryable
    assert failed.value.retry_after is not None
    sandbox.set_faults()
    provider("p")
    with pytest.raises(RateLimitError) as limited:
        provider("p")
    assert limited.value.retry_after is not None and limited.value.retry_after >= 1
    url = broker.url
    broker.stop()
    with pytest.raises(NetworkError):
        BrokerSessionProvider(url, MemoryStore())("p")


def test_the_provider_refuses_bad_settings() -> None:
    with pytest.raises(ConfigurationError, match="refusing plain http"):
        BrokerSessionProvider("http://broker.example.com", MemoryStore())
    with pytest.raises(ConfigurationError, match="credential store or a ticket"):
        BrokerSessionProvider("https://broker.example.com")
    with pytest.raises(ConfigurationError, match="email"):
        BrokerSessionProvider("https://broker.example.com", MemoryStore(), profile={"email": "x"})


def test_nothing_secret_in_the_provider_repr(broker: BrokerServer) -> None:
    store = MemoryStore()
    provider: Any = BrokerSessionProvider(broker.url, store)
    reply = provider("p")
    text = repr(provider)
    assert reply["token"] not in text
    assert (store.load_secret(device_key_name("pygame-game")) or "?") not in text
