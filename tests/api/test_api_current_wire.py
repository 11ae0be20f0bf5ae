"""The current and legacy generations on the wire: the exact bytes of every request.

A raw loopback server records each request as it arrived and answers with the
docs' examples (reference/esports-current/, reference/loyalty-current/, seed 000),
so these tests see precisely what the adapters send: paths, headers, bodies.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest

from kgen_pygame import errors
from kgen_pygame.api import KGenClient
from kgen_pygame.api.current import fanout_key, px_attributes, wire_code
from kgen_pygame.models import OutboundEvent, RewardableEventSpec
from kgen_pygame.redact import registered_secrets
from tests.api.rawserver import RawServer, RecordedRequest, http_response

RawFactory = Callable[..., RawServer]
TOKEN = "jwt_CURRENT_token_123"
CLIENT_ID = "2079857813"
SECRET = "s2s_secret_value_9"


def ok(body: object, status: str = "200 OK") -> bytes:
    return http_response(status, json.dumps(body).encode())


def error(status: str, body: object) -> bytes:
    return http_response(status, json.dumps(body).encode())


def routes(table: dict[str, bytes]) -> Callable[[RecordedRequest], bytes]:
    """Answer by ``"METHOD /path"`` (query string ignored); 404 for anything else."""

    def answer(request: RecordedRequest) -> bytes:
        key = f"{request.method} {request.target.partition('?')[0]}"
        return table.get(key, error("404 Not Found", "NO_SUCH_ROUTE"))

    return answer


@pytest.fixture
def connect() -> Iterator[Callable[..., KGenClient]]:
    made: list[KGenClient] = []

    def make(url: str, *, api: str = "current", secret: str | None = SECRET) -> KGenClient:
        client = KGenClient(url, CLIENT_ID, secret, timeout=(2, 5), api=api)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


def assert_user_call(sent: RecordedRequest, line: str) -> None:
    """A player call: the token in ``user-jwt-token``, never in the URL, no client secret."""
    assert sent.request_line == f"{line} HTTP/1.1"
    assert sent.headers["user-jwt-token"] == TOKEN
    assert TOKEN not in sent.target and "token=" not in sent.target
    assert "x-client-secret" not in sent.headers and "clientsecret" not in sent.headers
    assert sent.headers["content-type"] == "application/json"


def assert_s2s_call(sent: RecordedRequest, line: str) -> None:
    assert sent.request_line == f"{line} HTTP/1.1"
    assert sent.headers["x-client-id"] == CLIENT_ID
    assert sent.headers["x-client-secret"] == SECRET
    assert "user-jwt-token" not in sent.headers


# -- session --------------------------------------------------------------------------

# reference/esports-current/user-session.md (tokens shortened; they are opaque).
S2S_SESSION = {
    "session_id": "4c6ffb9b-090f-4e09-bd3d-c8dab48c6581",
    "user_id": "38331972",
    "name": "",
    "level": 0,
    "screen_height": "",
    "indigg_id": "6002f920-ba07-43c9-be71-22fdae35375b",
    "indigg_wallet_address": "0x99da56df5982ae9155cb9a914cfe3839e41351",
    "third_party_client_id": "2079857813",
    "third_party_client_name": "ESPORTS_PROTOCOL_CALLBREAK",
    "namespaced_third_party_user_id": "2079857813#38331972",
    "wallet_address": "0x84b6f41fb37d0f7293c6cf405fb4b8c7a2c5b9",
    "is_new_user": False,
    "access_token": "eyJ.access_example_token.sig",
    "refresh_token": "eyJ.refresh_example_token.sig",
    "linked_phone": "+918000000001",
    "session_start_time": "2024-09-06 05:10:53.871198445 +0000 UTC",
}


def test_create_session_is_exactly_the_docs(
    raw_server: RawFactory, connect: Callable[..., KGenClient]
) -> None:
    server = raw_server(ok(S2S_SESSION))
    session = connect(server.url).create_session(
        "38331972", username="neo", level=3, device_model="Pixel 8"
    )
    (sent,) = server.requests
    assert_s2s_call(sent, "POST /s2s/session")
    assert sent.body == (
        b'{"user_id":"38331972","username":"neo","level":3,"device_model":"Pixel 8"}'
    )
    assert session.token == "eyJ.access_example_token.sig"
    assert session.refresh_token == "eyJ.refresh_example_token.sig"
    assert session.expires_at is None  # opaque token: claims are never decoded (C6)
    assert session.linked_phone == "+********0001"  # masked: personal data (C5)
    assert session.kgen_wallet_address == "0x99da56df5982ae9155cb9a914cfe3839e41351"
    assert session.kgen_id == "6002f920-ba07-43c9-be71-22fdae35375b"
    assert session.is_new_user is False and session.linked
    assert session.session_id == "4c6ffb9b-090f-4e09-bd3d-c8dab48c6581"
    assert session.started_at is not None and session.started_at.microsecond == 871198
    assert "eyJ" not in repr(session)
    # every token that comes back is scrubbed from logs and errors from now on
    assert {session.token, session.refresh_token} <= set(registered_secrets())


def test_profile_fields_are_the_generation_s(
    raw_server: RawFactory, connect: Callable[..., KGenClient]
) -> None:
    server = raw_server(ok(S2S_SESSION))
    with pytest.raises(errors.ConfigurationError, match="unknown session profile field appId"):
        connect(server.url).create_session("g", appId="x")
    with pytest.raises(errors.ConfigurationError, match="device_model"):
        connect(server.url, api="v1").create_session("g", device_model="Pixel 8")
    with pytest.raises(errors.ConfigurationError, match="none on this API generation"):
        connect(server.url, api="legacy").create_session("g", username="neo")
    with pytest.raises(errors.ConfigurationError, match="needs client_id and client_secret"):
        connect(server.url, secret=None).create_session("g")
    assert server.requests == []


BALANCE = {
    "wallet_address": "0x84b6f41fb37d0f7293c6cf405fcfb4b8c7a2c5b9",
    "earned_balance": 0,
    "bought_balance": 0,
    "bonus_balance": 50,
    "lazy_balance": 50,
    "on_chain_balance": 0,
    "wallet_transaction_error": False,
    "lazy_balance_delta": 50,
    "is_lazy_balance_updated": False,
    "created_at": "",
    "modified_at": "",
    "minWalletBalToWithdraw": 0,
}
LINKED = {
    "UserID": "1234",
    "NameSpacedThirdPartyUserID": "",
    "WalletAddress": "",
    "IndiggWalletAddress": "",
    "LinkedPhone": "1234567890",
    "KGenID": "",
}


def test_get_session_is_built_from_documented_calls(
    raw_server: RawFactory, connect: Callable[..., KGenClient]
) -> None:
    server = raw_server(
        routes(
            {
                "GET /fe/wallet/balance": ok(BALANCE),
                "GET /fe/users/account/linked-mobile-number": ok(LINKED),
            }
        )
    )
    session = connect(server.url).get_session(TOKEN)
    balance_call, linked_call = server.requests
    assert_user_call(balance_call, "GET /fe/wallet/balance")
    assert_user_call(linked_call, "GET /fe/users/account/linked-mobile-number")
    assert session.token == TOKEN and session.session_id == ""
    assert session.wallet_address == BALANCE["wallet_address"]
    assert session.linked_phone == "******7890" and session.gamer_id == "1234"
    assert session.expires_at is None


@pytest.mark.parametrize(
    "not_found",
    [
        {"statusCode": 500, "error": "RECORD_NOT_FOUND", "message": "no linked phone"},
        "RECORD_NOT_FOUND",  # documented-only mode: the bare code
    ],
)
def test_record_not_found_means_not_linked(
    raw_server: RawFactory, connect: Callable[..., KGenClient], not_found: object
) -> None:
    server = raw_server(
        routes(
            {
                "GET /fe/wallet/balance": ok(BALANCE),
                "GET /fe/users/account/linked-mobile-number": error(
                    "500 Internal Server Error", not_found
                ),
            }
        )
    )
    client = connect(server.url)
    assert client.linked_account(TOKEN) is None
    session = client.get_session(TOKEN)
    assert session.linked_phone is None and not session.linked


@pytest.mark.parametrize(
    ("status", "body"),
    [
        ("500 Internal Server Error", {"error": "INTERNAL_ERROR"}),
        ("500 Internal Server Error", "oops"),
        ("503 Service Unavailable", "RECORD_NOT_FOUND"),
    ],
)
def test_other_server_errors_on_the_linked_number_stay_outages(
    raw_server: RawFactory, connect: Callable[..., KGenClient], status: str, body: object
) -> None:
    server = raw_server(error(status, body))
    with pytest.raises(errors.ServerError) as caught:
        connect(server.url).linked_account(TOKEN)
    assert caught.value.operation == "GET /fe/users/account/linked-mobile-number"
    assert caught.value.retryable


def test_bad_token_fails_get_session_with_401(
    raw_server: RawFactory, connect: Callable[..., KGenClient]
) -> None:
    server = raw_server(error("401 Unauthorized", "UN_AUTHORIZED"))
    with pytest.raises(errors.AuthenticationError) as caught:
        connect(server.url).get_session(TOKEN)
    assert caught.value.code == "UN_AUTHORIZED"
    assert str(caught.value) == "GET /fe/wallet/balance failed: 401 UN_AUTHORIZED"
    assert len(server.requests) == 1


# -- events ---------------------------------------------------------------------------

SCORE_OK = ok({"message": "leaderboard score update successful"})


def event(kind: str, value: object, **metadata: object) -> OutboundEvent:
    return OutboundEvent(
        kind=kind,
        value=value,  # type: ignore[arg-type]
        metadata={"playerId": "p1", **metadata},  # type: ignore[dict-item]
        event_id="evt-0001",
        timestamp_ms=1724142733025,
    )


def test_score_with_a_tournament(
    raw_server: RawFactory, connect: Callable[..., KGenClient]
) -> None:
    server = raw_server(SCORE_OK)
    result = connect(server.url).deliver(TOKEN, event("score", 1250, tournamentId="t1", level=2))
    assert result is None
    (sent,) = server.requests
    assert_user_call(sent, "POST /fe/esports/tournaments/t1/score")
    assert sent.headers["idempotency-key"] == "evt-0001"
    # the uid in the path and in metadata.tournamentUID; nothing undocumented (C17)
    assert sent.body == (
        b'{"metadata":{"tournamentUID":"t1"},"payload":{"score":{"value":1250}}}'
    )


def tournament(uid: str) -> dict[str, object]:
    return {"tournament_uid": uid, "buy_in_price": 50, "tournament_status": "STARTED"}


def test_score_without_a_tournament_goes_to_each_joined_live_one(
    raw_server: RawFactory, connect: Callable[..., KGenClient]
) -> None:
    server = raw_server(
        routes(
            {
                "GET /fe/esports/tournaments/participated": ok(["t1", "t2", "t3"]),
                "GET /fe/esports/tournaments/active": ok(
                    [tournament("t3"), tournament("t9"), tournament("t1")]
                ),
                "POST /fe/esports/tournaments/t1/score": SCORE_OK,
                "POST /fe/esports/tournaments/t3/score": SCORE_OK,
            }
        )
    )
    connect(server.url).deliver(TOKEN, event("score", 40))
    lines = [r.request_line for r in server.requests]
    assert sorted(lines[:2]) == [
        "GET /fe/esports/tournaments/active HTTP/1.1",
        "GET /fe/esports/tournaments/participated HTTP/1.1",
    ]
    posts = server.requests[2:]
    assert [p.target for p in posts] == [
        "/fe/esports/tournaments/t1/score",
        "/fe/esports/tournaments/t3/score",
    ]
    assert [p.headers["idempotency-key"] for p in posts] == ["evt-0001:t1", "evt-0001:t3"]
    assert json.loads(posts[1].body) == {
        "metadata": {"tournamentUID": "t3"},
        "payload": {"score": {"value": 40}},
    }


def test_score_with_no_joined_live_tournament_is_delivered_with_nothing_sent(
    raw_server: RawFactory, connect: Callable[..., KGenClient], caplog: pytest.LogCaptureFixture
) -> None:
    server = raw_server(
        routes(
            {
                "GET /fe/esports/tournaments/participated": ok(["t-ended"]),
                "GET /fe/esports/tournaments/active": ok([tournament("t-other")]),
            }
        )
    )
    caplog.set_level("INFO", logger="kgen_pygame.api.current")
    assert connect(server.url).deliver(TOKEN, event("score", 40)) is None
    assert all(r.method == "GET" for r in server.requests) and len(server.requests) == 2
    assert "score event evt-0001 not sent: the player has joined no live tournament" in caplog.text


def test_fanned_out_score_skips_a_tournament_that_went_away(
    raw_server: RawFactory, connect: Callable[..., KGenClient]
) -> None:
    server = raw_server(
        routes(
            {
                "GET /fe/esports/tournaments/participated": ok(["t1", "t3"]),
                "GET /fe/esports/tournaments/active": ok([tournament("t1"), tournament("t3")]),
                "POST /fe/esports/tournaments/t1/score": error(
                    "404 Not Found", "TOURNAMENT_PARTICIPATION_NOT_FOUND"
                ),
                "POST /fe/esports/tournaments/t3/score": SCORE_OK,
            }
        )
    )
    connect(server.url).deliver(TOKEN, event("score", 7))
    assert [r.target for r in server.requests[2:]] == [
        "/fe/esports/tournaments/t1/score",
        "/fe/esports/tournaments/t3/score",
    ]


def test_fanned_out_score_stops_on_an_unexplained_404(
    raw_server: RawFactory, connect: Callable[..., KGenClient]
) -> None:
    # A 404 without a documented tournament code (a wrong base URL) must not count as sent.
    server = raw_server(
        routes(
            {
                "GET /fe/esports/tournaments/participated": ok(["t1"]),
                "GET /fe/esports/tournaments/active": ok([tournament("t1")]),
            }
        )
    )
    with pytest.raises(errors.NotFoundError, match="NO_SUCH_ROUTE"):
        connect(server.url).deliver(TOKEN, event("score", 7))


def test_score_to_an_unjoined_tournament_is_a_404(
    raw_server: RawFactory, connect: Callable[..., KGenClient]
) -> None:
    server = raw_server(error("404 Not Found", "TOURNAMENT_PARTICIPATION_NOT_FOUND"))
    with pytest.raises(errors.NotFoundError) as caught:
        connect(server.url).deliver(TOKEN, event("score", 7, tournamentId="t1"))
    assert caught.value.code == "TOURNAMENT_PARTICIPATION_NOT_FOUND"
    assert not caught.value.retryable


@pytest.mark.parametrize(
    ("kind", "value", "metadata", "body"),
    [
        (
            "achievement",
            5,
            {"level": 2},
            b'{"value":5,"playerId":"p1","level":2,"timestamp":1724142733025}',
        ),
        (
            "levelup",
            "gold",
            {"gameId": "comet"},
            b'{"value":"gold","playerId":"p1","gameId":"comet","timestamp":1724142733025}',
        ),
        (
            "matchResult",
            ["win", "3-1"],
            {"matchId": "m7"},
            b'{"item1":"win","item2":"3-1","playerId":"p1","matchId":"m7",'
            b'"timestamp":1724142733025}',
        ),
    ],
)
def test_analytics_kinds_are_px_tracker_drops(
    raw_server: RawFactory,
    connect: Callable[..., KGenClient],
    kind: str,
    value: object,
    metadata: dict[str, object],
    body: bytes,
) -> None:
    server = raw_server(ok({"msg": "event dropped successfully"}))
    connect(server.url).deliver(TOKEN, event(kind, value, **metadata))
    (sent,) = server.requests
    assert_user_call(sent, f"POST /fe/analytics/px-tracker/events/{kind}/drop")
    assert sent.headers["idempotency-key"] == "evt-0001"
    assert sent.body == body


# reference/loyalty-current/rewards-earned.md
GRANTED = {
    "userID": "FTC_User1",
    "rewardID": "e4e6aa47-9cbc-9b69-4881d54767aa",
    "eventID": "580b7055-a4db6-8e65-631833698934",
    "rewardStatus": "REWARDED",
    "createdAt": "2024-08-20T08:49:34.353794371Z",
    "updatedAt": "2024-08-20T08:49:34.353794371Z",
    "rewardAmount": 100,
}


def test_reward_is_the_loyalty_grant(
    raw_server: RawFactory, connect: Callable[..., KGenClient]
) -> None:
    server = raw_server(ok(GRANTED, "201 Created"))
    reward = connect(server.url).deliver(
        TOKEN, event("reward", "580b7055-a4db6-8e65-631833698934")
    )
    (sent,) = server.requests
    assert_user_call(
        sent, "POST /fe/loyalty/event-reward-user-claims/events/580b7055-a4db6-8e65-631833698934"
    )
    assert sent.headers["idempotency-key"] == "evt-0001"
    assert sent.body == b"" and "x-client-id" not in sent.headers  # player token only (C3)
    assert reward is not None
    assert (reward.reward_id, reward.amount, reward.status, reward.user_id) == (
        "e4e6aa47-9cbc-9b69-4881d54767aa",
        Decimal(100),
        "REWARDED",
        "FTC_User1",
    )


def test_send_event_is_deliver(raw_server: RawFactory, connect: Callable[..., KGenClient]) -> None:
    server = raw_server(ok(GRANTED, "201 Created"))
    reward = connect(server.url).send_event(
        TOKEN, "reward", "ev-1", metadata={"playerId": "p1"}, idempotency_key="k-9",
        timestamp_ms=1,
    )
    assert reward is not None and reward.event_id == GRANTED["eventID"]
    assert server.requests[0].headers["idempotency-key"] == "k-9"


def test_kinds_a_generation_lacks_are_refused_before_sending(
    raw_server: RawFactory, connect: Callable[..., KGenClient]
) -> None:
    server = raw_server(SCORE_OK)
    with pytest.raises(errors.InvalidEventError, match=r"join with kgen\.join_tournament"):
        connect(server.url).deliver(TOKEN, event("tournamentJoined", ["t1"]))
    with pytest.raises(errors.InvalidEventError, match="loyalty rewards exist only"):
        connect(server.url, api="v1").deliver(TOKEN, event("reward", "ev-1"))
    with pytest.raises(errors.InvalidEventError, match="whole number"):
        connect(server.url).deliver(TOKEN, event("score", Decimal("1.5"), tournamentId="t"))
    assert server.requests == []


# -- every other player call -------------------------------------------------------------

LEADERBOARD = {
    "leaderboard": [{"user_id": "user", "score": 30}],
    "price_pool": 40,
    "winners": [{"user_id": "user", "score": 1}],
}


@pytest.mark.parametrize(
    ("call", "reply", "line"),
    [
        (lambda c: c.active_tournaments(TOKEN), [], "GET /fe/esports/tournaments/active"),
        (lambda c: c.joined_tournaments(TOKEN), [], "GET /fe/esports/tournaments/participated"),
        (
            lambda c: c.tournament(TOKEN, "a/b"),
            tournament("a/b"),
            "GET /fe/esports/tournaments/a%2Fb",
        ),
        (
            lambda c: c.leaderboard(TOKEN, "t1"),
            LEADERBOARD,
            "GET /fe/esports/tournaments/t1/leaderboard",
        ),
        (lambda c: c.wallet_balance(TOKEN), BALANCE, "GET /fe/wallet/balance"),
        (
            lambda c: c.transactions(TOKEN),
            {"fromTransactions": [], "last_evaluated_key": ""},
            "GET /fe/wallet/transactions",
        ),
        (
            lambda c: c.transactions(TOKEN, "0xabc"),  # no wallet path parameter here (C10)
            {"toTransactions": []},
            "GET /fe/wallet/transactions",
        ),
        (
            lambda c: c.rewards(TOKEN),
            {"total_claimable_rewards": 0, "claimable_rewards_info": []},
            "GET /fe/esports/rewards/claim",
        ),
        (lambda c: c.historic_statistics(TOKEN), [], "GET /fe/esports/statistics/historic"),
        (
            lambda c: c.earned_rewards(TOKEN),
            {"rewards": [], "offset": ""},
            "GET /fe/loyalty/event-reward-user-claims/user",
        ),
        (
            lambda c: c.linked_account(TOKEN),
            LINKED,
            "GET /fe/users/account/linked-mobile-number",
        ),
    ],
)
def test_get_calls(
    raw_server: RawFactory,
    connect: Callable[..., KGenClient],
    call: Callable[[KGenClient], object],
    reply: object,
    line: str,
) -> None:
    server = raw_server(ok(reply))
    call(connect(server.url))
    (sent,) = server.requests
    assert_user_call(sent, line)
    assert sent.body == b""


@pytest.mark.parametrize(
    ("call", "reply", "line", "body"),
    [
        (
            lambda c: c.join_tournament(TOKEN, "t1", Decimal("50.00")),
            {"message": "user successfully joined the tournament"},
            "POST /fe/esports/tournaments/t1/join",
            b'{"joiningStake":50}',
        ),
        (
            lambda c: c.leave_tournament(TOKEN, "t1"),
            {"message": "user left the tournament successfully"},
            "POST /fe/esports/tournaments/t1/leave",
            b"",
        ),
        (
            lambda c: c.withdraw(TOKEN),
            {"msg": "wallet withdrawl successful"},
            "POST /fe/wallet/withdraw",
            b"",
        ),
        (
            lambda c: c.claim_rewards(TOKEN),
            {"message": "Rewards claimed successfully"},
            "POST /fe/esports/rewards/claim",
            b"",
        ),
        (
            lambda c: c.request_otp(TOKEN, "91", "98765 43219"),
            {"authCode": "2735", "isNewUser": True},
            "POST /fe/users/auth/otp/register",
            b'{"phone_number":"9876543219","countryCode":"+91"}',
        ),
        (
            lambda c: c.resend_otp(TOKEN, "+91", "9876543219"),
            {"authCode": "2735", "isNewUser": True},
            "POST /fe/users/auth/otp/resend",
            b'{"phone_number":"9876543219","countryCode":"+91"}',
        ),
        (
            lambda c: c.verify_otp(TOKEN, "+91", "9876543219", "5496", "964160"),
            {"message": "Users linked successfully"},
            "POST /fe/users/auth/otp/verify",
            b'{"phone_number":"9876543219","countryCode":"+91","authCode":5496,"otp":964160}',
        ),
        (
            lambda c: c.verify_otp(TOKEN, "+91", "9876543219", "0735", "012345"),
            {"message": "Users linked successfully"},
            "POST /fe/users/auth/otp/verify",
            # a leading zero would be lost in a number: sent as text
            b'{"phone_number":"9876543219","countryCode":"+91","authCode":"0735",'
            b'"otp":"012345"}',
        ),
        (
            lambda c: c.store_redirect_url(TOKEN),
            {"url": "https://indigg-uat.reciproci.com/store"},
            "POST /fe/users/k-store/generate-redirect-uri",
            b"",
        ),
    ],
)
def test_post_calls(
    raw_server: RawFactory,
    connect: Callable[..., KGenClient],
    call: Callable[[KGenClient], object],
    reply: object,
    line: str,
    body: bytes,
) -> None:
    server = raw_server(ok(reply))
    call(connect(server.url))
    (sent,) = server.requests
    assert_user_call(sent, line)
    assert sent.body == body


def test_replies_are_read(raw_server: RawFactory, connect: Callable[..., KGenClient]) -> None:
    server = raw_server(ok({"url": "https://indigg-uat.reciproci.com/store"}))
    assert connect(server.url).store_redirect_url(TOKEN) == "https://indigg-uat.reciproci.com/store"
    server = raw_server(ok({"msg": "wallet withdrawl successful"}))
    result = connect(server.url).withdraw(TOKEN)
    assert result.message == "wallet withdrawl successful" and result.amount is None
    server = raw_server(ok({"authCode": 2735, "isNewUser": True}))
    assert connect(server.url).resend_otp(TOKEN, "+91", "9876543219").auth_code == "2735"


@pytest.mark.parametrize(
    ("call", "problem", "capability"),
    [
        (lambda c: c.withdraw(TOKEN, Decimal(5)), errors.NotSupportedError, "partial_withdraw"),
        (lambda c: c.claim_rewards(TOKEN, ["r1"]), errors.NotSupportedError, "selective_claim"),
        (
            lambda c: c.join_tournament(TOKEN, "t1", Decimal("50.5")),
            errors.ConfigurationError,
            "joiningStake",
        ),
        (lambda c: c.tournament(TOKEN, "active"), errors.ConfigurationError, "another call"),
    ],
)
def test_what_this_api_cannot_say_is_refused_before_sending(
    raw_server: RawFactory,
    connect: Callable[..., KGenClient],
    call: Callable[[KGenClient], object],
    problem: type[Exception],
    capability: str,
) -> None:
    server = raw_server(ok({}))
    with pytest.raises(problem, match=capability):
        call(connect(server.url))
    assert server.requests == []


def test_capabilities_per_generation(connect: Callable[..., KGenClient]) -> None:
    current = connect("http://127.0.0.1:9")
    v1 = connect("http://127.0.0.1:9", api="v1")
    legacy = connect("http://127.0.0.1:9", api="legacy")
    for name in ("leave_tournament", "resend_otp", "linked_account", "store_redirect",
                 "loyalty", "rewardable_events"):
        assert current.supports(name) and legacy.supports(name)  # type: ignore[arg-type]
        assert not v1.supports(name)  # type: ignore[arg-type]
    for name in ("session_lookup", "selective_claim", "partial_withdraw"):
        assert v1.supports(name) and not current.supports(name)  # type: ignore[arg-type]
    assert (current.generation, v1.generation, legacy.generation) == ("current", "v1", "legacy")
    assert KGenClient("https://h.example", "id").generation == "current"  # the default


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.leave_tournament(TOKEN, "t1"),
        lambda c: c.resend_otp(TOKEN, "+91", "9876543219"),
        lambda c: c.linked_account(TOKEN),
        lambda c: c.store_redirect_url(TOKEN),
        lambda c: c.earned_rewards(TOKEN),
        lambda c: c.list_rewardable_events(),
        lambda c: c.get_rewardable_event("e"),
        lambda c: c.delete_rewardable_event("e"),
    ],
)
def test_v1_lacks_them_and_says_so_before_sending(
    raw_server: RawFactory, connect: Callable[..., KGenClient], call: Callable[[KGenClient], object]
) -> None:
    server = raw_server(ok({}))
    with pytest.raises(errors.NotSupportedError, match=r"the 'v1' API cannot .*supports\("):
        call(connect(server.url, api="v1"))
    assert server.requests == []


# -- rewardable events (server to server) ---------------------------------------------

EVENT = {
    "eventID": "ee605722-a26c-42e7-3589273d8ce6",
    "eventType": "t5",
    "eventName": "Daily Chest Open - 2 ",
    "eventDescription": "adding event to a user_id",
    "rewardAmount": 1,
    "rewardCategory": "EARNED",
    "entityType": "GAME",
    "entityID": "91c8810c-d819-9707-f8537adbbe5d",
    "isActive": True,
    "isActivityTraceEnabled": False,
    "activityTraceActivityID": "",
    "createdAt": "2024-07-22T17:19:37.980966812Z",
    "updatedAt": "2024-07-22T17:19:37.980966812Z",
}


@pytest.mark.parametrize(
    ("active", "target"),
    [
        (None, "/s2s/loyalty/rewardable-events"),
        (True, "/s2s/loyalty/rewardable-events?isActive=true"),
        (False, "/s2s/loyalty/rewardable-events?isActive=false"),
    ],
)
def test_list_rewardable_events(
    raw_server: RawFactory, connect: Callable[..., KGenClient], active: bool | None, target: str
) -> None:
    server = raw_server(ok({"rewardableEvents": [EVENT], "offset": ""}))
    (found,) = connect(server.url).list_rewardable_events(active)
    (sent,) = server.requests
    assert_s2s_call(sent, f"GET {target}")
    assert found.event_id == EVENT["eventID"] and found.reward_amount == 1
    assert found.entity_id == EVENT["entityID"] and found.is_active


def test_get_put_delete_rewardable_events(
    raw_server: RawFactory, connect: Callable[..., KGenClient]
) -> None:
    server = raw_server(ok(EVENT))
    client = connect(server.url)
    assert client.get_rewardable_event("ee60/5722").name == "Daily Chest Open - 2 "
    assert_s2s_call(server.requests[0], "GET /s2s/loyalty/rewardable-events/ee60%2F5722")

    server = raw_server(ok(EVENT, "201 Created"))
    client = connect(server.url)
    create = RewardableEventSpec(
        event_type="Adding Event",
        name="PlatformProtocols",
        description="PlatformProtocols",
        reward_amount=Decimal(100),
    )
    client.put_rewardable_event(create)
    update = RewardableEventSpec(
        event_type="UpdatedEventType",
        name="UpdatedEventName",
        description="UpdatedEventDescription",
        reward_amount=Decimal("12.5"),
        event_id="dc3806e6-e56b-4da7-90e3-6b8e57307482",
        entity_id="b6410c9d-21e1f3d-9b5fb6dd3fdf",
        is_active=False,
    )
    client.put_rewardable_event(update)
    first, second = server.requests
    assert_s2s_call(first, "PUT /s2s/loyalty/rewardable-events")
    # the docs' create body, field for field and in its order
    assert first.body == (
        b'{"eventType":"Adding Event","eventName":"PlatformProtocols",'
        b'"eventDescription":"PlatformProtocols","entityType":"GAME","rewardAmount":100,'
        b'"rewardCategory":"EARNED","isActive":true,"isActivityTraceEnabled":false,'
        b'"activityTraceActivityID":""}'
    )
    assert second.body == (
        b'{"eventID":"dc3806e6-e56b-4da7-90e3-6b8e57307482","eventType":"UpdatedEventType",'
        b'"eventName":"UpdatedEventName","eventDescription":"UpdatedEventDescription",'
        b'"entityType":"GAME","rewardAmount":12.5,"rewardCategory":"EARNED",'
        b'"entityID":"b6410c9d-21e1f3d-9b5fb6dd3fdf","isActive":false,'
        b'"isActivityTraceEnabled":false,"activityTraceActivityID":""}'
    )

    server = raw_server(http_response("204 No Content"))
    assert connect(server.url).delete_rewardable_event("ee605722") is None
    assert_s2s_call(server.requests[0], "DELETE /s2s/loyalty/rewardable-events/ee605722")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (RewardableEventSpec("t", "n", "d", Decimal(0)), "positive"),
        (RewardableEventSpec("t", "n", "d", Decimal(10) ** 13), "at most"),
        (RewardableEventSpec("", "n", "d", Decimal(1)), "event_type must not be empty"),
        (RewardableEventSpec("t", "n", "d", Decimal(1), event_id="e"), "needs its entity_id"),
        (RewardableEventSpec("t", "n", "d", Decimal(1), entity_id="x"), "no entity id yet"),
        (RewardableEventSpec("t", "n", "d", 1.5), "not float"),  # type: ignore[arg-type]
    ],
)
def test_bad_rewardable_events_are_refused_before_sending(
    raw_server: RawFactory,
    connect: Callable[..., KGenClient],
    spec: RewardableEventSpec,
    message: str,
) -> None:
    server = raw_server(ok(EVENT))
    with pytest.raises(errors.ConfigurationError, match=message):
        connect(server.url).put_rewardable_event(spec)
    assert server.requests == []


def test_rewardable_events_need_the_client_secret(
    raw_server: RawFactory, connect: Callable[..., KGenClient]
) -> None:
    server = raw_server(ok(EVENT))
    with pytest.raises(errors.ConfigurationError, match="needs client_id and client_secret"):
        connect(server.url, secret=None).list_rewardable_events()
    with pytest.raises(errors.ConfigurationError, match="active must be"):
        connect(server.url).list_rewardable_events("yes")  # type: ignore[arg-type]
    assert server.requests == []


@pytest.mark.parametrize(
    ("status", "body", "problem"),
    [
        ("401 Unauthorized", "UN_AUTHORIZED", errors.AuthenticationError),
        ("400 Bad Request", "BAD_REQUEST", errors.InvalidRequestError),
        (
            "400 Bad Request",
            {"statusCode": 400, "error": "BAD_REQUEST", "message": "eventType is required"},
            errors.InvalidRequestError,
        ),
    ],
)
def test_documented_s2s_errors(
    raw_server: RawFactory,
    connect: Callable[..., KGenClient],
    status: str,
    body: object,
    problem: type[errors.APIError],
) -> None:
    server = raw_server(error(status, body))
    with pytest.raises(problem) as caught:
        connect(server.url).delete_rewardable_event("e1")
    assert caught.value.code in ("UN_AUTHORIZED", "BAD_REQUEST")
    assert caught.value.operation == "DELETE /s2s/loyalty/rewardable-events/{eventID}"
    assert SECRET not in str(caught.value) and SECRET not in repr(caught.value)


# -- legacy (seed 000) ------------------------------------------------------------------

# seed 000, L1's example answer.
LEGACY_SESSION = {
    "user_id": "zxzxcaqaaaa",
    "third_party_client_id": "d5b2e760-1b6c-4296-a89f-1da0ffe8c414",
    "third_party_client_name": "Ludo",
    "namespaced_third_party_user_id": "d5b2e760-1b6c-4296-a89f-1da0ffe8c414___zxzxcaqaaaa",
    "wallet_address": "0x8D2Da06cAa8CB2bC03cc8f32e7B9Aa29FaD68CE0",
    "is_new_user": False,
    "access_token": "legacy_access_token_1",
    "refresh_token": "legacy_refresh_token_1",
}


def test_legacy_session(raw_server: RawFactory, connect: Callable[..., KGenClient]) -> None:
    server = raw_server(ok(LEGACY_SESSION))
    session = connect(server.url, api="legacy").create_session("zxzxcaqaaaa")
    (sent,) = server.requests
    assert sent.request_line == "POST /api/proxy/auth/user/session HTTP/1.1"
    assert sent.headers["clientid"] == CLIENT_ID and sent.headers["clientsecret"] == SECRET
    assert "x-client-id" not in sent.headers and "user-jwt-token" not in sent.headers
    assert sent.body == b'{"user_id":"zxzxcaqaaaa"}'
    assert session.token == "legacy_access_token_1"
    assert session.refresh_token == "legacy_refresh_token_1"
    assert session.session_id == "" and session.started_at is None
    assert session.linked_phone is None and not session.linked
    assert session.wallet_address == "0x8D2Da06cAa8CB2bC03cc8f32e7B9Aa29FaD68CE0"


@pytest.mark.parametrize(
    ("reply", "expected"),
    [(ok(GRANTED, "201 Created"), Decimal(100)), (http_response("201 Created"), None)],
)
def test_legacy_grant_sends_client_headers_and_the_player_token(
    raw_server: RawFactory,
    connect: Callable[..., KGenClient],
    reply: bytes,
    expected: Decimal | None,
) -> None:
    server = raw_server(reply)
    reward = connect(server.url, api="legacy").deliver(TOKEN, event("reward", "ev/1"))
    (sent,) = server.requests
    assert sent.request_line == "POST /api/event-reward-user-claims/events/ev%2F1 HTTP/1.1"
    assert sent.headers["clientid"] == CLIENT_ID and sent.headers["clientsecret"] == SECRET
    assert sent.headers["user-jwt-token"] == TOKEN
    assert sent.headers["idempotency-key"] == "evt-0001"
    assert sent.body == b""
    assert (reward.amount if reward else None) == expected


def test_legacy_grant_needs_the_client_secret(
    raw_server: RawFactory, connect: Callable[..., KGenClient]
) -> None:
    server = raw_server(ok(GRANTED))
    with pytest.raises(errors.ConfigurationError, match="needs client_id and client_secret"):
        connect(server.url, api="legacy", secret=None).deliver(TOKEN, event("reward", "e"))
    assert server.requests == []


def test_legacy_is_current_for_everything_else(
    raw_server: RawFactory, connect: Callable[..., KGenClient]
) -> None:
    server = raw_server(SCORE_OK)
    connect(server.url, api="legacy").deliver(TOKEN, event("score", 3, tournamentId="t1"))
    (sent,) = server.requests
    assert_user_call(sent, "POST /fe/esports/tournaments/t1/score")


# -- the small rules ---------------------------------------------------------------------


def test_wire_code() -> None:
    assert wire_code("5496") == 5496 and wire_code("0") == 0
    assert wire_code("0735") == "0735" and wire_code("ab12") == "ab12"
    assert wire_code("١٢") == "١٢"  # non-ASCII digits stay text


def test_fanout_key_is_stable_distinct_and_fits() -> None:
    assert fanout_key("evt-1", "t1") == "evt-1:t1"
    assert fanout_key("evt-1", "t1") != fanout_key("evt-1", "t2")
    odd = fanout_key("e" * 255, "tournament with spaces")
    assert len(odd) <= 255 and " " not in odd
    assert odd == fanout_key("e" * 255, "tournament with spaces")


def test_px_attributes_read_back_losslessly() -> None:
    items = [f"v{n}" for n in range(12)]
    attributes = px_attributes(event("lobbyJoined", items, lobbyId="l1"))
    back = [attributes[f"item{n}"] for n in range(1, len(items) + 1)]
    assert back == items and "value" not in attributes and attributes["lobbyId"] == "l1"
