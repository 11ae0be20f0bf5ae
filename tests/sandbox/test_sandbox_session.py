"""POST/GET /api/v1/session and authentication of client and user calls."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from kgen_pygame.sandbox import SandboxServer
from tests.sandbox.conftest import CLIENT_HEADERS, Api

WALLET = re.compile(r"^0x[0-9a-f]{40}$")


def test_new_gamer_gets_201_wallet_bonus_and_token(api: Api) -> None:
    reply = api.post(
        "/api/v1/session",
        json={"gamer_id": "alice", "username": "Alice", "level": 3, "location": {"city": "Pune"}},
        headers=CLIENT_HEADERS,
    )
    assert reply.status_code == 201
    body = reply.json()
    assert body["gamer_id"] == "alice"
    assert WALLET.match(body["wallet_address"])
    assert body["token"] and body["session_id"] and body["accountId"] and body["appId"]
    assert body["linked_phone"] is None and body["indigg_wallet_address"] is None
    assert body["is_new_user"] is True
    assert api.balance(body["token"])["bonus_balance"] == 50


def test_same_gamer_is_retrieved_with_a_new_token(api: Api) -> None:
    first = api.start_session("bob")
    reply = api.post("/api/v1/session", json={"gamer_id": "bob"}, headers=CLIENT_HEADERS)
    assert reply.status_code == 200
    second = reply.json()
    assert second["wallet_address"] == first["wallet_address"]
    assert second["accountId"] == first["accountId"]
    assert second["token"] != first["token"]
    assert second["session_id"] != first["session_id"]
    assert second["is_new_user"] is False
    # Both tokens stay valid; the bonus was granted once.
    for token in (first["token"], second["token"]):
        assert api.balance(token)["bonus_balance"] == 50
    assert api.records("bob")["sessions"] == 2


def test_get_session_describes_the_token(api: Api) -> None:
    started = api.start_session("carol")
    reply = api.get("/api/v1/session", token=started["token"])
    assert reply.status_code == 200
    body = reply.json()
    assert body["session_id"] == started["session_id"]
    assert body["user_id"] == "carol"
    assert body["token"] == started["token"]
    assert body["wallet_address"] == started["wallet_address"]
    assert body["score"] == 0 and body["wallet_balance"] == 50
    assert body["joined_tournaments"] == []
    assert isinstance(body["session_start_time"], int)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({}, "gamer_id is required"),
        ({"gamer_id": ""}, "gamer_id"),
        ({"gamer_id": "   "}, "blank"),
        ({"gamer_id": "x" * 129}, "gamer_id"),
        ({"gamer_id": 42}, "gamer_id must be a string"),
        ({"gamer_id": "ok", "level": "high"}, "level must be a number"),
        ({"gamer_id": "ok", "email": ["a"]}, "email"),
        ({"gamer_id": "ok", "location": 5}, "location"),
        (["gamer_id"], "JSON object"),
    ],
)
def test_session_body_is_validated(api: Api, body: object, fragment: str) -> None:
    reply = api.post("/api/v1/session", json=body, headers=CLIENT_HEADERS)
    assert reply.status_code == 400
    assert reply.json()["error"] == "VALIDATION_ERROR"
    assert fragment in reply.json()["message"]


def test_malformed_json_is_a_validation_error(api: Api) -> None:
    headers = {**CLIENT_HEADERS, "Content-Type": "application/json"}
    for data in ('{"gamer_id": ', "NaN", "\xff"):
        reply = api.post("/api/v1/session", data=data.encode("latin-1"), headers=headers)
        assert reply.status_code == 400
        assert reply.json()["error"] == "VALIDATION_ERROR"
    reply = api.post("/api/v1/session", headers=CLIENT_HEADERS)
    assert reply.status_code == 400


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"x-clientID": "kgen-sandbox-client"},
        {"x-clientID": "kgen-sandbox-client", "x-clientSecret": "wrong"},
        {"x-clientID": "someone-else", "x-clientSecret": "kgen-sandbox-secret"},
    ],
)
def test_session_needs_valid_client_credentials(api: Api, headers: dict[str, str]) -> None:
    reply = api.post("/api/v1/session", json={"gamer_id": "mallory"}, headers=headers)
    assert reply.status_code == 401
    assert reply.json()["error"] == "UNAUTHORIZED"
    assert api.records("mallory")["exists"] is False


def test_api_key_query_is_accepted_for_sessions(api: Api) -> None:
    reply = api.post(
        "/api/v1/session", json={"gamer_id": "dave"}, params={"apiKey": "kgen-sandbox-secret"}
    )
    assert reply.status_code == 201
    wrong = api.post("/api/v1/session", json={"gamer_id": "dave"}, params={"apiKey": "nope"})
    assert wrong.status_code == 401


def test_header_names_are_case_insensitive(api: Api) -> None:
    headers = {"X-CLIENTID": "kgen-sandbox-client", "x-clientsecret": "kgen-sandbox-secret"}
    assert (
        api.post("/api/v1/session", json={"gamer_id": "erin"}, headers=headers).status_code == 201
    )


@pytest.mark.parametrize("token", [None, "", "not-a-token"])
def test_user_calls_need_a_known_token(api: Api, token: str | None) -> None:
    reply = api.get("/api/v1/session", token=token)
    assert reply.status_code == 401
    assert reply.json()["error"] == "UN_AUTHORIZED"


def test_expired_token_is_token_expired(api: Api) -> None:
    token = api.token("frank")
    api.advance(86_400 + 1)
    reply = api.get("/api/v1/wallet/lazyChain/balance", token=token)
    assert reply.status_code == 401
    assert reply.json()["error"] == "TOKEN_EXPIRED"
    # A new session works again.
    assert api.balance(api.token("frank"))["bonus_balance"] == 50


def test_short_token_ttl_from_config(
    make_sandbox: Callable[..., SandboxServer], make_api: Callable[[SandboxServer], Api]
) -> None:
    api = make_api(make_sandbox(token_ttl_s=60))
    started = api.start_session("gina")
    assert api.get("/api/v1/session", token=started["token"]).status_code == 200
    api.advance(61)
    reply = api.get("/api/v1/session", token=started["token"])
    assert reply.status_code == 401
    assert reply.json()["error"] == "TOKEN_EXPIRED"


def test_client_headers_are_optional_on_user_calls_but_checked_if_sent(api: Api) -> None:
    token = api.token("hank")
    assert api.get("/api/v1/rewards", token=token).status_code == 200
    assert api.get("/api/v1/rewards", token=token, headers=CLIENT_HEADERS).status_code == 200
    wrong = {"x-clientID": "kgen-sandbox-client", "x-clientSecret": "wrong"}
    reply = api.get("/api/v1/rewards", token=token, headers=wrong)
    assert reply.status_code == 401
    assert reply.json()["error"] == "UNAUTHORIZED"


def test_custom_client_credentials(
    make_sandbox: Callable[..., SandboxServer], make_api: Callable[[SandboxServer], Api]
) -> None:
    api = make_api(make_sandbox(client_id="my-game", client_secret="s3cret"))
    assert (
        api.post("/api/v1/session", json={"gamer_id": "x"}, headers=CLIENT_HEADERS).status_code
        == 401
    )
    headers = {"x-clientID": "my-game", "x-clientSecret": "s3cret"}
    assert api.post("/api/v1/session", json={"gamer_id": "x"}, headers=headers).status_code == 201


def test_state_survives_a_restart_on_the_same_file(
    make_sandbox: Callable[..., SandboxServer],
    make_api: Callable[[SandboxServer], Api],
    tmp_path: object,
) -> None:
    from pathlib import Path

    db = Path(str(tmp_path)) / "persistent.sqlite3"
    first = make_sandbox(db_path=db)
    api = make_api(first)
    started = api.start_session("ivy")
    titles = sorted(t["title"] for t in api.live(started["token"]))
    first.stop()
    api2 = make_api(make_sandbox(db_path=db))
    again = api2.post("/api/v1/session", json={"gamer_id": "ivy"}, headers=CLIENT_HEADERS)
    assert again.status_code == 200
    assert again.json()["wallet_address"] == started["wallet_address"]
    # The old token is still valid and the schedule was not seeded twice.
    assert api2.get("/api/v1/session", token=started["token"]).status_code == 200
    assert sorted(t["title"] for t in api2.live(started["token"])) == titles
