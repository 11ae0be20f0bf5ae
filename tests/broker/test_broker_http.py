"""The broker under real waitress, in front of the real sandbox, over loopback HTTP."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from kgen_pygame.broker import BrokerServer
from kgen_pygame.broker.identity import derive_user_id, user_log_id
from kgen_pygame.broker.wire import SESSION_FIELDS, decode_device_key, new_device_key
from kgen_pygame.sandbox import DEFAULT_CLIENT_SECRET, SandboxServer
from tests.broker.helpers import (
    BROKER_KEY,
    TIMEOUT,
    post_session,
    sandbox_records,
    session_body,
)


def test_health_answers_with_the_public_settings_only(broker: BrokerServer) -> None:
    reply = requests.get(broker.url + "/healthz", timeout=TIMEOUT)
    assert reply.status_code == 200
    body = reply.json()
    assert body["status"] == "ok"
    assert body["api"] == "current" and body["identity"] == "device_key"
    assert body["platform_calls_in_flight"] == 0
    assert DEFAULT_CLIENT_SECRET not in reply.text


def test_a_device_key_gets_a_session_of_its_own_player(
    broker: BrokerServer, sandbox: SandboxServer
) -> None:
    device_key = new_device_key()
    reply = post_session(broker, session_body(device_key))
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert tuple(body) == SESSION_FIELDS
    expected = derive_user_id(BROKER_KEY, decode_device_key(device_key))
    assert body["user_id"] == expected and expected.startswith("dk_")
    assert body["linked"] is False and body["api"] == "current"
    assert "refresh_token" not in body and DEFAULT_CLIENT_SECRET not in reply.text
    # The token is a real platform token of that player (the same store serves v1's
    # GET session, which names the player).
    session = requests.get(
        f"{sandbox.url}/api/v1/session", params={"token": body["token"]}, timeout=TIMEOUT
    ).json()
    assert session["user_id"] == expected
    assert session["wallet_address"] == body["wallet_address"]


def test_two_device_keys_are_two_players_and_one_key_is_always_the_same(
    broker: BrokerServer, sandbox: SandboxServer
) -> None:
    first_key, second_key = new_device_key(), new_device_key()
    first = post_session(broker, session_body(first_key)).json()
    second = post_session(broker, session_body(second_key)).json()
    again = post_session(broker, session_body(first_key)).json()
    assert first["user_id"] != second["user_id"]
    assert first["wallet_address"] != second["wallet_address"]
    assert again["user_id"] == first["user_id"]
    assert again["wallet_address"] == first["wallet_address"]
    assert again["token"] != first["token"]
    assert sandbox_records(sandbox, first["user_id"])["sessions"] == 2
    assert sandbox_records(sandbox, second["user_id"])["sessions"] == 1


def test_another_broker_key_derives_other_players(
    make_broker: Callable[..., BrokerServer],
) -> None:
    device_key = new_device_key()
    ours = post_session(make_broker(), session_body(device_key)).json()
    other_key = b"a-completely-different-broker-key-0123456789"
    theirs = post_session(make_broker(broker_key=other_key), session_body(device_key)).json()
    assert ours["user_id"] != theirs["user_id"]


@pytest.mark.parametrize(
    ("device_key", "why"),
    [
        (None, "missing"),
        ("", "empty"),
        (12345, "not a string"),
        ("A" * 42, "31.5 bytes"),
        (new_device_key()[:-2], "too short"),
        (new_device_key() + "AA", "too long"),
        (new_device_key() + "=", "padded"),
        ("+" + new_device_key()[1:], "other alphabet"),
        ("x" * 43, "spare bits set"),
    ],
    ids=["missing", "empty", "not a string", "31.5 bytes", "too short", "too long", "padded",
         "other alphabet", "spare bits set"],  # the random keys must not name the tests
)
def test_a_missing_or_forged_device_key_is_400_and_reaches_no_platform(
    broker: BrokerServer, sandbox: SandboxServer, device_key: Any, why: str
) -> None:
    body = session_body("placeholder")
    if device_key is None:
        del body["device_key"]
    else:
        body["device_key"] = device_key
    reply = post_session(broker, body)
    assert reply.status_code == 400, why
    error = reply.json()
    assert error["error"] == "BAD_DEVICE_KEY", why
    assert "device_key" in error["message"]


def test_a_caller_cannot_choose_the_user_id(broker: BrokerServer, sandbox: SandboxServer) -> None:
    for field in ("user_id", "gamer_id"):
        reply = post_session(broker, session_body(**{field: "someone-else"}))
        assert reply.status_code == 400
        assert reply.json()["error"] == "BAD_REQUEST"
        assert "never chosen by the caller" in reply.json()["message"]
    assert sandbox_records(sandbox, "someone-else")["exists"] is False


def test_unknown_fields_and_profile_fields_are_refused_by_name(broker: BrokerServer) -> None:
    reply = post_session(broker, session_body(colour="blue"))
    assert reply.status_code == 400 and "colour" in reply.json()["message"]
    reply = post_session(broker, session_body(profile={"phonenumber": "9876543210"}))
    assert reply.status_code == 400 and "phonenumber" in reply.json()["message"]
    reply = post_session(broker, session_body(profile={"level": "high"}))
    assert reply.status_code == 400 and "level" in reply.json()["message"]


def test_display_profile_fields_are_accepted(broker: BrokerServer) -> None:
    reply = post_session(broker, session_body(profile={"username": "nova", "level": 3}))
    assert reply.status_code == 200, reply.text


def test_a_replayed_request_is_refused(broker: BrokerServer, sandbox: SandboxServer) -> None:
    body = session_body()
    first = post_session(broker, body)
    replay = post_session(broker, body)
    assert first.status_code == 200
    assert replay.status_code == 409
    assert replay.json()["error"] == "REPLAYED_REQUEST"
    assert sandbox_records(sandbox, first.json()["user_id"])["sessions"] == 1
    # The same nonce with another device key is a replay too: nonces are global.
    other = post_session(broker, {**body, "device_key": new_device_key()})
    assert other.status_code == 409


@pytest.mark.parametrize("offset_s", [-3600, -121, 121, 86_400])
def test_a_timestamp_outside_the_window_is_refused_with_the_broker_time(
    broker: BrokerServer, offset_s: int
) -> None:
    reply = post_session(broker, session_body(timestamp=int(time.time()) + offset_s))
    assert reply.status_code == 400
    body = reply.json()
    assert body["error"] == "STALE_REQUEST"
    assert abs(body["server_time"] - time.time()) < 3600  # a clock, not a garbage value


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("timestamp", "now"),
        ("timestamp", 1.5),
        ("timestamp", True),
        ("nonce", "short"),
        ("nonce", "has spaces in it, sixteen+"),
        ("nonce", 1234567890123456789),
    ],
)
def test_a_malformed_envelope_is_400(broker: BrokerServer, field: str, value: Any) -> None:
    reply = post_session(broker, session_body(**{field: value}))
    assert reply.status_code == 400
    assert reply.json()["error"] == "BAD_REQUEST"


def test_bodies_that_are_not_a_small_json_object_are_refused(broker: BrokerServer) -> None:
    assert post_session(broker, b"{not json").status_code == 400
    assert post_session(broker, b"[1, 2]").status_code == 400
    text = requests.post(broker.url + "/v1/session", data="device_key=x", timeout=TIMEOUT)
    assert text.status_code == 415
    large = json.dumps(session_body(padding="x" * 5000)).encode()
    reply = post_session(broker, large)
    assert reply.status_code == 413 and reply.json()["error"] == "PAYLOAD_TOO_LARGE"


def test_wrong_routes_and_methods_are_json_errors(broker: BrokerServer) -> None:
    missing = requests.get(broker.url + "/v1/sessions?token=abc", timeout=TIMEOUT)
    assert missing.status_code == 404 and missing.json()["error"] == "NOT_FOUND"
    wrong = requests.get(broker.url + "/v1/session", timeout=TIMEOUT)
    assert wrong.status_code == 405 and wrong.json()["error"] == "METHOD_NOT_ALLOWED"


def test_the_rate_limit_is_429_with_retry_after_per_client(
    make_broker: Callable[..., BrokerServer],
) -> None:
    broker = make_broker(rate_per_minute=1.0, rate_burst=2)
    statuses = [post_session(broker, session_body()).status_code for _ in range(2)]
    limited = post_session(broker, session_body())
    assert statuses == [200, 200]
    assert limited.status_code == 429
    assert limited.json()["error"] == "RATE_LIMITED"
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    # Health checks are not limited.
    assert requests.get(broker.url + "/healthz", timeout=TIMEOUT).status_code == 200


def test_a_platform_that_is_down_is_502_and_the_broker_stays_healthy(
    make_broker: Callable[..., BrokerServer], sandbox: SandboxServer
) -> None:
    broker = make_broker(platform_retries=1)
    sandbox.stop()
    reply = post_session(broker, session_body())
    assert reply.status_code == 502
    assert reply.json()["error"] == "PLATFORM_UNAVAILABLE"
    assert int(reply.headers["Retry-After"]) >= 1
    assert requests.get(broker.url + "/healthz", timeout=TIMEOUT).status_code == 200


def test_a_failing_platform_is_retried_then_502(
    make_broker: Callable[..., BrokerServer], sandbox: SandboxServer, json_logs: Any
) -> None:
    broker = make_broker(platform_retries=2)
    sandbox.set_faults(error_rate=1.0)
    reply = post_session(broker, session_body())
    assert reply.status_code == 502 and reply.json()["error"] == "PLATFORM_UNAVAILABLE"
    retries = [line for line in json_logs.getvalue().splitlines() if "retrying" in line]
    assert len(retries) == 2


def test_a_slow_platform_is_cut_at_the_deadline_while_health_answers(
    make_broker: Callable[..., BrokerServer], sandbox: SandboxServer
) -> None:
    broker = make_broker(deadline_s=1.5, read_timeout_s=1.0, connect_timeout_s=0.4)
    sandbox.set_faults(blackhole=True)  # the platform accepts and never answers
    outcome: dict[str, requests.Response] = {}

    def mint() -> None:
        outcome["reply"] = post_session(broker, session_body())

    caller = threading.Thread(target=mint)
    caller.start()
    seen_in_flight = False
    while caller.is_alive():
        health = requests.get(broker.url + "/healthz", timeout=TIMEOUT)
        assert health.status_code == 200
        seen_in_flight = seen_in_flight or health.json()["platform_calls_in_flight"] == 1
        time.sleep(0.05)
    caller.join()
    # The platform never answers, so only the broker's deadline can have ended the call.
    assert outcome["reply"].status_code == 502
    assert outcome["reply"].json()["error"] == "PLATFORM_UNAVAILABLE"
    assert seen_in_flight


def test_when_every_platform_slot_is_taken_the_next_request_is_503_not_queued(
    make_broker: Callable[..., BrokerServer], sandbox: SandboxServer
) -> None:
    broker = make_broker(
        platform_slots=1, deadline_s=5.0, read_timeout_s=4.0, connect_timeout_s=0.5
    )
    sandbox.set_faults(blackhole=True)
    caller = threading.Thread(target=lambda: post_session(broker, session_body()))
    caller.start()
    while requests.get(broker.url + "/healthz", timeout=TIMEOUT).json()[
        "platform_calls_in_flight"
    ] == 0:
        time.sleep(0.02)
    busy = post_session(broker, session_body())
    assert busy.status_code == 503 and busy.json()["error"] == "BUSY"
    assert busy.headers["Retry-After"] == "1"
    sandbox.set_faults()
    caller.join()


def test_access_log_is_one_json_line_per_request_without_secrets(
    broker: BrokerServer, json_logs: Any
) -> None:
    device_key = new_device_key()
    body = session_body(device_key)
    ok = post_session(broker, body).json()
    post_session(broker, body)  # replay
    post_session(broker, session_body("not-a-key"))
    requests.get(broker.url + "/v1/other?token=query-token-value", timeout=TIMEOUT)
    text = json_logs.getvalue()
    access = [
        json.loads(line)
        for line in text.splitlines()
        if json.loads(line)["logger"] == "kgen_pygame.broker.access"
    ]
    assert [entry["status"] for entry in access] == [200, 409, 400, 404]
    first = access[0]
    assert first["method"] == "POST" and first["path"] == "/v1/session"
    assert first["client"] == "127.0.0.1" and first["duration_ms"] >= 0
    assert first["user"] == user_log_id(ok["user_id"])
    assert access[1]["error"] == "REPLAYED_REQUEST" and access[3]["path"] == "(other)"
    for secret in (
        ok["token"],
        ok["user_id"],
        device_key,
        body["nonce"],
        DEFAULT_CLIENT_SECRET,
        BROKER_KEY.decode(),
        "query-token-value",
    ):
        assert secret not in text


def test_the_broker_refuses_requests_it_cannot_fit_in_its_nonce_cache(
    make_broker: Callable[..., BrokerServer],
) -> None:
    broker = make_broker(nonce_cache_size=100, rate_per_minute=0)
    for _ in range(100):
        assert post_session(broker, session_body()).status_code == 200
    full = post_session(broker, session_body())
    assert full.status_code == 503 and full.json()["error"] == "BUSY"



def test_the_platform_connection_is_reused_across_requests(sandbox: SandboxServer) -> None:
    from kgen_pygame.api import KGenClient
    from kgen_pygame.broker.platform import SessionMinter
    from tests.broker.helpers import broker_config

    config = broker_config(sandbox.url)
    made: list[KGenClient] = []

    def counting_factory(timeouts: tuple[float, float]) -> KGenClient:
        client = KGenClient(
            config.platform_url,
            config.client_id,
            config.client_secret,
            timeout=timeouts,
            api=config.api,
        )
        made.append(client)
        return client

    minter = SessionMinter(config, client_factory=counting_factory)
    try:
        for number in range(3):
            assert minter.mint(f"pooled-{number}", {}).token
    finally:
        minter.close()
    assert len(made) == 1 and made[0].closed
