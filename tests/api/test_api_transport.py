"""The client over real loopback sockets: exact request bytes and every failure mode.

A small raw-socket server writes exact responses (truncated bodies, HTML,
garbage, redirects, silence) and records what the client sent.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Callable
from decimal import Decimal

import pytest
import requests

from kgen_pygame import errors
from kgen_pygame.api import KGenClient
from tests.api.rawserver import RawServer, free_port, http_response

RawFactory = Callable[..., RawServer]
TOKEN = "tok_abc123456"
META = {"playerId": "p1"}


def ok(body: object, status: str = "200 OK") -> bytes:
    return http_response(status, json.dumps(body).encode())


def error_reply(status: str, body: object, headers: dict[str, str] | None = None) -> bytes:
    return http_response(status, json.dumps(body).encode(), extra_headers=headers)


def make_client(url: str, secret: str | None = "sec_value_1", **kwargs: object) -> KGenClient:
    kwargs.setdefault("timeout", (2, 5))
    kwargs.setdefault("api", "v1")  # these tests check the /api/v1 wire format
    return KGenClient(url, "client-1", secret, **kwargs)  # type: ignore[arg-type]


# -- what goes on the wire ---------------------------------------------------------------


def test_create_session_request_and_headers(raw_server: RawFactory) -> None:
    server = raw_server(
        ok({"token": "t-new", "session_id": "s", "wallet_address": "0x1"}, "201 Created")
    )
    with make_client(server.url) as client:
        session = client.create_session("gamer-1", username="neo", level=3)
    (sent,) = server.requests
    assert sent.request_line == "POST /api/v1/session HTTP/1.1"
    assert sent.headers["x-clientid"] == "client-1"
    assert sent.headers["x-clientsecret"] == "sec_value_1"
    assert sent.headers["content-type"] == "application/json"
    assert sent.headers["user-agent"] == "kgen-pygame/0.1.0"
    assert "apikey" not in sent.target.lower()  # the secret never goes into a URL
    assert json.loads(sent.body) == {"gamer_id": "gamer-1", "username": "neo", "level": 3}
    assert session.token == "t-new" and session.gamer_id == "gamer-1"


def test_event_request_is_exactly_the_contract(raw_server: RawFactory) -> None:
    server = raw_server(http_response("200 OK", b"true"))
    with make_client(server.url) as client:
        client.send_event(
            TOKEN,
            "score",
            1250,
            metadata={"playerId": "p1", "tournamentId": "t1", "level": 2},
            idempotency_key="evt-0001",
            timestamp_ms=1724142733025,
        )
    (sent,) = server.requests
    assert sent.request_line == f"POST /api/v1/eventing?token={TOKEN} HTTP/1.1"
    assert sent.headers["idempotency-key"] == "evt-0001"
    assert sent.body == (
        b'{"timestamp":1724142733025,"metadata":{"playerId":"p1","tournamentId":"t1","level":2},'
        b'"payload":{"score":{"value":1250}}}'
    )


def test_user_calls_without_secret_send_no_client_headers(raw_server: RawFactory) -> None:
    server = raw_server(ok([]))
    with make_client(server.url, secret=None) as client:
        assert client.active_tournaments(TOKEN) == []
    (sent,) = server.requests
    assert sent.request_line == f"GET /api/v1/tournaments/_active?token={TOKEN} HTTP/1.1"
    assert "x-clientid" not in sent.headers and "x-clientsecret" not in sent.headers


def test_path_parameters_are_quoted(raw_server: RawFactory) -> None:
    server = raw_server(ok({"tournament_uid": "a/b?c", "buy_in_price": 1}))
    with make_client(server.url) as client:
        client.tournament(TOKEN, "a/b?c")
    assert server.requests[0].target == f"/api/v1/tournaments/a%2Fb%3Fc?token={TOKEN}"


@pytest.mark.parametrize(
    ("call", "reply", "target", "body"),
    [
        (
            lambda c: c.join_tournament(TOKEN, "t1", Decimal("50.00")),
            {"message": "user successfully joined the tournament"},
            "/api/v1/tournaments/t1/_join",
            b'{"joiningStake":50}',
        ),
        (
            lambda c: c.claim_rewards(TOKEN),
            {"message": "Rewards claimed successfully"},
            "/api/v1/rewards/_claim",
            b"{}",
        ),
        (
            lambda c: c.claim_rewards(TOKEN, ["r1", "r2"]),
            {"message": "Rewards claimed successfully"},
            "/api/v1/rewards/_claim",
            b'{"reward_ids":["r1","r2"]}',
        ),
        (
            lambda c: c.withdraw(TOKEN),
            {"status": "SUCCESS", "message": "Withdrawn Successfully"},
            "/api/v1/wallet/_withdraw",
            b"",
        ),
        (
            lambda c: c.withdraw(TOKEN, Decimal("20.5")),
            {"status": "SUCCESS", "message": "Withdrawn Successfully"},
            "/api/v1/wallet/_withdraw",
            b'{"amount":20.5}',
        ),
        (
            lambda c: c.request_otp(TOKEN, "91", "98765 43219"),
            {"authCode": "5255", "isNewUser": False},
            "/api/v1/verification/otp/_request",
            b'{"phone_number":"9876543219","countryCode":"+91"}',
        ),
        (
            lambda c: c.verify_otp(TOKEN, "+91", "9876543219", 5255, 123456),
            {"message": "Phone number verified successfully"},
            "/api/v1/verification/otp/_verify",
            b'{"phone_number":"9876543219","countryCode":"+91","authCode":"5255","otp":"123456"}',
        ),
    ],
)
def test_post_bodies(
    raw_server: RawFactory,
    call: Callable[[KGenClient], object],
    reply: object,
    target: str,
    body: bytes,
) -> None:
    server = raw_server(ok(reply))
    with make_client(server.url) as client:
        call(client)
    (sent,) = server.requests
    assert sent.method == "POST"
    assert sent.target == f"{target}?token={TOKEN}"
    assert sent.body == body
    if not body:
        assert sent.headers.get("content-length") == "0"


@pytest.mark.parametrize(
    ("call", "target"),
    [
        (lambda c: c.get_session(TOKEN), "/api/v1/session"),
        (lambda c: c.joined_tournaments(TOKEN), "/api/v1/tournaments/_session"),
        (lambda c: c.leaderboard(TOKEN, "t1"), "/api/v1/leaderboards/_byTournament/t1"),
        (lambda c: c.wallet_balance(TOKEN), "/api/v1/wallet/lazyChain/balance"),
        (lambda c: c.transactions(TOKEN, "0xabc"), "/api/v1/wallet/lazyChain/transactions/0xabc"),
        (lambda c: c.rewards(TOKEN), "/api/v1/rewards"),
        (lambda c: c.historic_statistics(TOKEN), "/api/v1/statistics/_historic"),
    ],
)
def test_get_targets(
    raw_server: RawFactory, call: Callable[[KGenClient], object], target: str
) -> None:
    # An empty object fits none of these readers: each must say so as a ProtocolError.
    server = raw_server(ok({}))
    with make_client(server.url) as client, pytest.raises(errors.ProtocolError) as caught:
        call(client)
    (sent,) = server.requests
    assert sent.request_line == f"GET {target}?token={TOKEN} HTTP/1.1"
    assert "returned an unexpected response" in str(caught.value)
    assert TOKEN not in str(caught.value)


def test_validation_happens_before_sending(raw_server: RawFactory) -> None:
    server = raw_server(ok({}))
    with (
        make_client(server.url) as client,
        pytest.raises(errors.ConfigurationError, match="6 to 15 digits"),
    ):
        client.request_otp(TOKEN, "+91", "12")
        with pytest.raises(errors.ConfigurationError, match="unknown event kind"):
            client.send_event(TOKEN, "kills", 1, metadata=META, idempotency_key="k", timestamp_ms=1)
        with pytest.raises(errors.ConfigurationError, match="a levelup event needs"):
            client.send_event(
                TOKEN, "levelup", 2, metadata=META, idempotency_key="k", timestamp_ms=1
            )
        with pytest.raises(errors.ConfigurationError, match="uid must be a non-empty"):
            client.leaderboard(TOKEN, "")
        with pytest.raises(errors.ConfigurationError, match="not float"):
            client.join_tournament(TOKEN, "t", 50.0)  # type: ignore[arg-type]
        with pytest.raises(errors.UsageError, match="no session token"):
            client.rewards("")
    with (
        make_client(server.url, secret=None) as client,
        pytest.raises(errors.ConfigurationError, match="needs client_id and client_secret"),
    ):
        client.create_session("g")
    assert server.requests == []


def test_client_configuration_errors() -> None:
    with pytest.raises(errors.ConfigurationError, match="unknown api 'v9'"):
        KGenClient("https://h.example", "id", api="v9")
    with pytest.raises(errors.ConfigurationError, match="without client_id"):
        KGenClient("https://h.example", None, "secret")
    with pytest.raises(errors.ConfigurationError, match="refusing plain http://"):
        KGenClient("http://h.example", "id")
    with pytest.raises(errors.ConfigurationError, match="timeout"):
        KGenClient("https://h.example", "id", timeout=0)
    client = KGenClient("http://h.example", "id", "sec_value_2", allow_insecure_http=True)
    assert "sec_value_2" not in repr(client)
    client.close()
    with pytest.raises(errors.UsageError, match="closed"):
        client.rewards(TOKEN)
    assert "closed" in repr(client)


def test_given_session_is_used_and_not_closed(raw_server: RawFactory) -> None:
    server = raw_server(ok([]))
    session = requests.Session()
    session.verify = False  # ignored: verification always stays on
    client = make_client(server.url, session=session)
    assert client.active_tournaments(TOKEN) == []
    client.close()
    assert session.adapters  # still usable by its owner
    session.close()


# -- network failures ---------------------------------------------------------------------


def test_connection_refused() -> None:
    with (
        make_client(f"http://127.0.0.1:{free_port()}") as client,
        pytest.raises(errors.NetworkError) as caught,
    ):
        client.rewards(TOKEN)
    error = caught.value
    assert type(error) is errors.NetworkError and error.retryable
    assert str(error).startswith("GET /api/v1/rewards failed: could not connect to 127.0.0.1:")
    assert "connection refused" in str(error)
    assert error.__cause__ is None and error.__context__ is None


def test_read_timeout(raw_server: RawFactory) -> None:
    server = raw_server(None)  # accepts, reads the request, never answers
    with (
        make_client(server.url, timeout=(2, 0.3)) as client,
        pytest.raises(errors.RequestTimeout) as caught,
    ):
        client.wallet_balance(TOKEN)
    assert caught.value.retryable
    assert str(caught.value) == (
        f"GET /api/v1/wallet/lazyChain/balance failed: no answer from 127.0.0.1:{server.port}"
        " within 0.3 s"
    )


def test_dropped_connection(raw_server: RawFactory) -> None:
    server = raw_server(b"")  # reads the request, closes without a byte
    with make_client(server.url) as client, pytest.raises(errors.NetworkError) as caught:
        client.rewards(TOKEN)
    assert "closed the connection without answering" in str(caught.value)
    assert caught.value.retryable


def test_garbage_instead_of_http(raw_server: RawFactory) -> None:
    server = raw_server(b"SSH-2.0-OpenSSH_9.6\r\n")
    with make_client(server.url) as client, pytest.raises(errors.NetworkError) as caught:
        client.rewards(TOKEN)
    assert "did not answer with valid HTTP" in str(caught.value)


def test_truncated_body(raw_server: RawFactory) -> None:
    server = raw_server(
        http_response("200 OK", b'{"total_claimable_rewards": 10, "claim', content_length=400)
    )
    with make_client(server.url) as client, pytest.raises(errors.ProtocolError) as caught:
        client.rewards(TOKEN)
    assert str(caught.value) == (
        "GET /api/v1/rewards failed: the answer was cut short (body shorter than announced)"
    )
    assert caught.value.retryable


def test_html_page_with_200(raw_server: RawFactory) -> None:
    page = b"<!DOCTYPE html><html><body>Captive portal</body></html>"
    server = raw_server(http_response("200 OK", page, content_type="text/html"))
    with make_client(server.url) as client, pytest.raises(errors.ProtocolError) as caught:
        client.rewards(TOKEN)
    assert str(caught.value) == (
        "GET /api/v1/rewards was answered with an HTML page instead of JSON (status 200)"
    )
    assert caught.value.retryable


def test_not_json_with_200(raw_server: RawFactory) -> None:
    server = raw_server(http_response("200 OK", b"OK", content_type="text/plain"))
    with make_client(server.url) as client, pytest.raises(errors.ProtocolError) as caught:
        client.rewards(TOKEN)
    assert "a body that is not valid JSON" in str(caught.value)
    assert type(caught.value) is errors.DamagedAnswerError and caught.value.retryable


def test_redirect_is_not_followed(raw_server: RawFactory) -> None:
    target = raw_server(ok([]))
    server = raw_server(
        http_response("302 Found", b"", extra_headers={"Location": target.url + "/api/v1/rewards"})
    )
    with make_client(server.url) as client, pytest.raises(errors.ProtocolError) as caught:
        client.rewards(TOKEN)
    assert "redirect (302)" in str(caught.value)
    assert type(caught.value) is errors.UnexpectedAnswerError and caught.value.retryable
    assert caught.value.status == 302
    assert target.requests == []


def test_tls_verification_cannot_be_switched_off(
    raw_server: RawFactory, self_signed_tls: ssl.SSLContext
) -> None:
    server = raw_server(ok([]), self_signed_tls)
    session = requests.Session()
    session.verify = False
    with (
        make_client(server.url, session=session) as client,
        pytest.raises(errors.NetworkError) as caught,
    ):
        client.active_tournaments(TOKEN)
    assert "TLS certificate of 127.0.0.1" in str(caught.value)
    session.close()


def test_plain_http_to_a_tls_port(raw_server: RawFactory) -> None:
    server = raw_server(ok([]))
    with (
        make_client(server.url.replace("http://", "https://")) as client,
        pytest.raises(errors.NetworkError, match="TLS handshake"),
    ):
        client.active_tournaments(TOKEN)


# -- error statuses -------------------------------------------------------------------------


def test_otp_invalid_message_format(raw_server: RawFactory) -> None:
    server = raw_server(
        error_reply(
            "400 Bad Request",
            {
                "statusCode": 400,
                "error": "OTP_INVALID",
                "message": "Invalid OTP",
                "attempts_left": 2,
            },
        )
    )
    with make_client(server.url) as client, pytest.raises(errors.InvalidRequestError) as caught:
        client.verify_otp(TOKEN, "+91", "9876543219", "5255", "000000")
    error = caught.value
    assert str(error) == (
        "POST /api/v1/verification/otp/_verify failed: 400 OTP_INVALID: Invalid OTP"
        " (2 attempts left)"
    )
    assert (error.status, error.code, error.attempts_left, error.retryable) == (
        400,
        "OTP_INVALID",
        2,
        False,
    )
    assert error.operation == "POST /api/v1/verification/otp/_verify"
    assert error.server_message == "Invalid OTP"


@pytest.mark.parametrize(
    ("status", "body", "cls", "code"),
    [
        (
            "401 Unauthorized",
            {"statusCode": 401, "error": "UN_AUTHORIZED", "message": "x"},
            errors.SessionExpired,
            "UN_AUTHORIZED",
        ),
        (
            "401 Unauthorized",
            {"statusCode": 401, "error": "TOKEN_EXPIRED", "message": "x"},
            errors.SessionExpired,
            "TOKEN_EXPIRED",
        ),
        (
            "403 Forbidden",
            {"statusCode": 403, "error": "FORBIDDEN", "message": "not yours"},
            errors.InvalidRequestError,
            "FORBIDDEN",
        ),
        (
            "403 Forbidden",
            {"statusCode": 403, "error": "CLIENT_MISMATCH", "message": "x"},
            errors.CredentialsRejected,
            "CLIENT_MISMATCH",
        ),
        (
            "404 Not Found",
            {"statusCode": 404, "error": "TOURNAMENT_NOT_FOUND", "message": "x"},
            errors.NotFoundError,
            "TOURNAMENT_NOT_FOUND",
        ),
        (
            "409 Conflict",
            {"statusCode": 409, "error": "TOURNAMENT_IS_FULL", "message": "x"},
            errors.InvalidRequestError,
            "TOURNAMENT_IS_FULL",
        ),
        (
            "422 Unprocessable Entity",
            {"statusCode": 422, "error": "INSUFFICIENT_BALANCE"},
            errors.RequestRefusedError,
            "INSUFFICIENT_BALANCE",
        ),
        (
            "408 Request Timeout",
            {"statusCode": 408, "error": "REQUEST_TIMEOUT"},
            errors.APIError,
            "REQUEST_TIMEOUT",
        ),
        (
            "500 Internal Server Error",
            {"statusCode": 500, "error": "INTERNAL_ERROR"},
            errors.ServerError,
            "INTERNAL_ERROR",
        ),
        (
            "400 Bad Request",
            {"statusCode": 400, "message": ["amount must be positive"], "error": "Bad Request"},
            errors.RequestRefusedError,
            None,
        ),
    ],
)
def test_status_mapping(
    raw_server: RawFactory, status: str, body: object, cls: type[errors.APIError], code: str | None
) -> None:
    server = raw_server(error_reply(status, body))
    with make_client(server.url) as client, pytest.raises(errors.APIError) as caught:
        client.join_tournament(TOKEN, "t1", Decimal(5))
    assert type(caught.value) is cls
    assert caught.value.code == code
    assert caught.value.status == int(status.split()[0])
    assert str(caught.value).startswith(
        f"POST /api/v1/tournaments/{{tournamentId}}/_join failed: {status.split()[0]} "
    )


def test_nestjs_and_msg_bodies_read_into_messages(raw_server: RawFactory) -> None:
    server = raw_server(
        error_reply(
            "400 Bad Request",
            {"statusCode": 400, "message": ["a is bad", "b is bad"], "error": "Bad Request"},
        )
    )
    with make_client(server.url) as client, pytest.raises(errors.InvalidRequestError) as caught:
        client.rewards(TOKEN)
    assert str(caught.value) == "GET /api/v1/rewards failed: 400 Bad Request: a is bad; b is bad"
    server = raw_server(error_reply("400 Bad Request", {"msg": "BAD_REQUEST"}))
    with make_client(server.url) as client, pytest.raises(errors.InvalidRequestError) as caught:
        client.rewards(TOKEN)
    assert str(caught.value) == "GET /api/v1/rewards failed: 400 Bad Request: BAD_REQUEST"


def test_html_error_page(raw_server: RawFactory) -> None:
    page = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    server = raw_server(http_response("502 Bad Gateway", page, content_type="text/html"))
    with make_client(server.url) as client, pytest.raises(errors.ServerError) as caught:
        client.rewards(TOKEN)
    assert str(caught.value) == (
        "GET /api/v1/rewards failed: 502 Bad Gateway (the server sent an HTML page instead of JSON)"
    )
    assert caught.value.retryable and caught.value.code is None


def test_retry_after_header_seconds_and_cap(raw_server: RawFactory) -> None:
    server = raw_server(
        error_reply(
            "503 Service Unavailable",
            {"statusCode": 503, "error": "UNAVAILABLE"},
            {"Retry-After": "7"},
        )
    )
    with make_client(server.url) as client, pytest.raises(errors.ServerError) as caught:
        client.rewards(TOKEN)
    assert caught.value.retry_after == 7.0
    assert str(caught.value).endswith("(retry after 7 s)")
    server = raw_server(
        error_reply("429 Too Many Requests", {"error": "SLOW_DOWN"}, {"Retry-After": "86400"})
    )
    with make_client(server.url) as client, pytest.raises(errors.RateLimitError) as caught2:
        client.rewards(TOKEN)
    assert caught2.value.retry_after == 600.0


def test_retry_after_http_date_and_body_field(raw_server: RawFactory) -> None:
    server = raw_server(
        error_reply(
            "429 Too Many Requests",
            {"error": "OTP_RESEND_TOO_SOON", "retry_after": 30},
            {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"},
        )
    )
    with make_client(server.url) as client, pytest.raises(errors.RateLimitError) as caught:
        client.request_otp(TOKEN, "+91", "9876543219")
    assert caught.value.retry_after == 0.0  # a date in the past means "now"
    server = raw_server(
        error_reply("429 Too Many Requests", {"error": "OTP_RESEND_TOO_SOON", "retry_after": 12.5})
    )
    with make_client(server.url) as client, pytest.raises(errors.RateLimitError) as caught:
        client.request_otp(TOKEN, "+91", "9876543219")
    assert caught.value.retry_after == 12.5 and caught.value.retryable


def test_event_accepted_with_empty_and_object_bodies(raw_server: RawFactory) -> None:
    for reply in (http_response("204 No Content"), ok({"response": True}), ok({"message": "ok"})):
        server = raw_server(reply)
        with make_client(server.url) as client:
            client.send_event(
                TOKEN, "achievement", 3, metadata=META, idempotency_key="k1", timestamp_ms=0
            )
    server = raw_server(ok(False))
    with make_client(server.url) as client, pytest.raises(errors.ProtocolError, match="false"):
        client.send_event(
            TOKEN, "achievement", 3, metadata=META, idempotency_key="k1", timestamp_ms=0
        )


def test_json_with_a_wrong_content_type_is_still_read(raw_server: RawFactory) -> None:
    server = raw_server(http_response("200 OK", b'["t-1"]', content_type="text/html"))
    with make_client(server.url) as client:
        assert client.joined_tournaments(TOKEN) == ["t-1"]


def test_error_details_keep_scalars_but_never_credentials(raw_server: RawFactory) -> None:
    body = {
        "statusCode": 422,
        "error": "BELOW_MIN_WITHDRAW",
        "message": "Earned balance must be at least 20 to withdraw",
        "earned_balance": 5,
        "minWalletBalToWithdraw": 20,
        "token": "tok_leaky_123",
        "nested": {"ignored": True},
    }
    server = raw_server(error_reply("422 Unprocessable Entity", body))
    with make_client(server.url) as client, pytest.raises(errors.InvalidRequestError) as caught:
        client.withdraw(TOKEN)
    assert dict(caught.value.details) == {"earned_balance": 5, "minWalletBalToWithdraw": 20}


def test_an_answer_with_the_sandbox_marker_is_known_to_come_from_a_sandbox(
    raw_server: RawFactory,
) -> None:
    plain = raw_server(ok([]))
    with make_client(plain.url) as client:
        client.active_tournaments(TOKEN)
        assert client.talks_to_sandbox is False
    marked = raw_server(http_response("200 OK", b"[]", extra_headers={"X-KGen-Sandbox": "1"}))
    with make_client(marked.url) as client:
        client.active_tournaments(TOKEN)
        assert client.talks_to_sandbox is True
