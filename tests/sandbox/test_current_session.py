"""POST /s2s/session and the legacy L1 session: fields, credentials, one player for all."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from tests.sandbox.conftest import CLIENT_HEADERS, LEGACY_HEADERS, S2S_HEADERS, Api, CurrentApi

GO_TIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,9})? \+0000 UTC$")


def test_session_answers_every_documented_field(both: CurrentApi) -> None:
    body = both.session("amy")
    assert body["user_id"] == "amy"
    assert body["namespaced_third_party_user_id"] == "kgen-sandbox-client#amy"
    assert body["third_party_client_id"] == "kgen-sandbox-client"
    assert body["third_party_client_name"] == "KGEN_SANDBOX_GAME"
    assert body["is_new_user"] is True
    # Profile fields never sent: "" and 0; no phone linked yet.
    assert body["name"] == body["screen_height"] == body["fb_login"] == ""
    assert body["level"] == body["rank"] == 0
    assert body["indigg_id"] is None and body["indigg_wallet_address"] == ""
    assert body["linked_phone"] == ""
    assert re.fullmatch(r"0x[0-9a-f]{40}", body["wallet_address"])
    assert body["access_token"] != body["refresh_token"]
    assert GO_TIME.match(body["session_start_time"]), body["session_start_time"]
    started = datetime.strptime(body["session_start_time"][:19], "%Y-%m-%d %H:%M:%S")
    assert abs((started.replace(tzinfo=UTC) - datetime.now(UTC)).total_seconds()) < 60


def test_session_is_create_or_retrieve_and_merges_the_profile(cur: CurrentApi) -> None:
    first = cur.session("bob", username="Bobby", level=3, screen_width="1080", fb_login=True)
    again = cur.session("bob", rank=7)
    assert again["is_new_user"] is False
    assert again["wallet_address"] == first["wallet_address"]
    assert again["session_id"] != first["session_id"]
    assert again["access_token"] != first["access_token"]
    assert (again["username"], again["level"], again["rank"]) == ("Bobby", 3, 7)
    assert (again["screen_width"], again["fb_login"]) == ("1080", True)
    # Both tokens stay valid.
    for token in (first["access_token"], again["access_token"]):
        assert cur.get("/fe/wallet/balance", token=token).status_code == 200


def test_trailing_slash_of_the_curl_example(both: CurrentApi) -> None:
    reply = both.post("/s2s/session/", json={"user_id": "slash"}, headers=S2S_HEADERS)
    assert reply.status_code == 200 and reply.json()["user_id"] == "slash"


def test_refresh_token_is_accepted_nowhere(both: CurrentApi) -> None:
    body = both.session("cleo")
    reply = both.get("/fe/wallet/balance", token=body["refresh_token"])
    assert reply.status_code == 401 and both.error_code(reply) == "UN_AUTHORIZED"


def test_wrong_credentials_default_mode_is_401(cur: CurrentApi) -> None:
    for headers in (
        {},
        {"x-client-id": "kgen-sandbox-client", "x-client-secret": "wrong"},
        CLIENT_HEADERS,  # v1's header names are other headers (C4)
    ):
        reply = cur.post("/s2s/session", json={"user_id": "eve"}, headers=headers)
        assert reply.status_code == 401
        assert reply.json() == {
            "statusCode": 401,
            "error": "UN_AUTHORIZED",
            "message": "Invalid client credentials",
        }
    assert cur.records("eve")["exists"] is False


def test_wrong_credentials_documented_only_is_a_bare_500(doc: CurrentApi) -> None:
    reply = doc.post("/s2s/session", json={"user_id": "eve"}, headers={"x-client-id": "x"})
    assert reply.status_code == 500
    assert reply.content == b""
    assert "Content-Type" not in reply.headers
    malformed = doc.post("/s2s/session", data="{", headers=S2S_HEADERS)
    assert malformed.status_code == 500 and malformed.content == b""
    assert doc.records("eve")["exists"] is False


def test_bad_bodies_are_400_in_default_mode(cur: CurrentApi) -> None:
    for body, fragment in (
        ({}, "user_id is required"),
        ({"user_id": "  "}, "user_id must not be blank"),
        ({"user_id": 5}, "user_id must be a string"),
        ({"user_id": "x", "level": 2.5}, "level must be an integer"),
        ({"user_id": "x", "screen_height": 1080}, "screen_height must be a string"),
        ({"user_id": "x", "fb_login": 1}, "fb_login must be a string or a boolean"),
        ([], "request body must be a JSON object"),
    ):
        reply = cur.post("/s2s/session", json=body, headers=S2S_HEADERS)
        assert reply.status_code == 400, body
        assert reply.json()["error"] == "BAD_REQUEST"
        assert fragment in reply.json()["message"]


def test_expired_token_is_401_un_authorized(make_current: Callable[..., CurrentApi]) -> None:
    cur = make_current(token_ttl_s=60)
    token = cur.token("old")
    cur.advance(61)
    reply = cur.get("/fe/esports/tournaments/participated", token=token)
    assert reply.status_code == 401
    assert reply.json()["error"] == "UN_AUTHORIZED"
    assert "expired" in reply.json()["message"]


def test_token_goes_in_the_header_never_the_query(both: CurrentApi) -> None:
    token = both.token("q")
    reply = both.get("/fe/wallet/balance", params={"token": token})
    assert reply.status_code == 401 and both.error_code(reply) == "UN_AUTHORIZED"


def test_the_same_user_id_is_v1_s_gamer_id(cur: CurrentApi, make_api: Callable[..., Api]) -> None:
    v1: Api = make_api(cur.server)
    started = v1.start_session("dana")
    current = cur.session("dana")
    assert current["is_new_user"] is False
    assert current["wallet_address"] == started["wallet_address"]
    assert cur.records("dana")["sessions"] == 2


def test_legacy_session_answers_seed_000_fields(both: CurrentApi) -> None:
    reply = both.post(
        "/api/proxy/auth/user/session", json={"user_id": "lu"}, headers=LEGACY_HEADERS
    )
    assert reply.status_code == 200
    body = reply.json()
    assert set(body) == {
        "user_id",
        "third_party_client_id",
        "third_party_client_name",
        "namespaced_third_party_user_id",
        "wallet_address",
        "is_new_user",
        "access_token",
        "refresh_token",
    }
    assert body["namespaced_third_party_user_id"] == "kgen-sandbox-client___lu"
    assert body["is_new_user"] is True
    # The same player as on /s2s/session, and its token works on /fe.
    assert both.session("lu")["wallet_address"] == body["wallet_address"]
    assert both.get("/fe/wallet/balance", token=body["access_token"]).status_code == 200


def test_legacy_session_needs_the_legacy_header_names(both: CurrentApi) -> None:
    reply = both.post("/api/proxy/auth/user/session", json={"user_id": "lu"}, headers=S2S_HEADERS)
    if both.documented_only:
        assert reply.status_code == 500 and reply.content == b""
    else:
        assert reply.status_code == 401 and reply.json()["error"] == "UN_AUTHORIZED"
