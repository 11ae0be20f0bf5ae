"""No token, client secret or ``token=`` query ever reaches a log line or an error.

Every failure path is triggered with a recognisable token and client secret
while all logging (root and kgen_pygame, DEBUG, urllib3 included) is captured;
then every log line and every exception's str(), repr(), args and the formatted
exceptions chained to it are searched for them.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable
from decimal import Decimal

import pytest
import requests

from kgen_pygame import errors
from kgen_pygame.api import KGenClient
from tests.api.rawserver import RawServer, free_port, http_response

TOKEN = "tok_SECRET_abc123"
SECRET = "sec_SECRET_xyz"
CLIENT_ID = "secret-test-client"


def every_user_call(client: KGenClient, token: str) -> list[Callable[[], object]]:
    """One call of every user method of the client."""
    return [
        lambda: client.get_session(token),
        lambda: client.send_event(
            token, "score", 10, metadata={"playerId": "p"}, idempotency_key="k", timestamp_ms=1
        ),
        lambda: client.active_tournaments(token),
        lambda: client.joined_tournaments(token),
        lambda: client.tournament(token, "t-1"),
        lambda: client.join_tournament(token, "t-1", Decimal(1)),
        lambda: client.leaderboard(token, "t-1"),
        lambda: client.wallet_balance(token),
        lambda: client.transactions(token, "0xabc"),
        lambda: client.request_otp(token, "+91", "9876543219"),
        lambda: client.verify_otp(token, "+91", "9876543219", "1234", "123456"),
        lambda: client.rewards(token),
        lambda: client.claim_rewards(token, ["r-1"]),
        lambda: client.withdraw(token, Decimal(1)),
        lambda: client.historic_statistics(token),
    ]


def expect_failure(caught: list[BaseException], call: Callable[[], object]) -> None:
    """Run *call*, which must fail with a KGenError; keep the error for the leak search."""
    try:
        call()
    except errors.KGenError as error:
        caught.append(error)
    else:
        raise AssertionError("the call was expected to fail")


def assert_nothing_leaked(
    caplog: pytest.LogCaptureFixture,
    caught: list[BaseException],
    forbidden: list[str],
    extra: tuple[str, ...] = (),
) -> None:
    """No needle in any log line, nor in any error's str, repr, args or chain."""
    haystacks: list[str] = [caplog.text, *extra]
    haystacks += [record.getMessage() for record in caplog.records]
    for error in caught:
        haystacks += [str(error), repr(error), repr(error.args)]
        # the exception and everything chained to it (source lines of this test aside)
        linked: BaseException | None = error
        while linked is not None:
            haystacks.append("".join(traceback.format_exception_only(linked)))
            linked = linked.__cause__ or linked.__context__
        if isinstance(error, errors.APIError):
            haystacks += [repr(error.server_message), repr(dict(error.details))]
    for text in haystacks:
        for needle in forbidden:
            assert needle not in text, f"{needle!r} leaked into: {text[:300]!r}"


def test_secrets_never_leak(
    caplog: pytest.LogCaptureFixture,
    start_sandbox: Callable[..., str],
    raw_server: Callable[..., RawServer],
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="kgen_pygame")
    caplog.set_level(logging.DEBUG, logger="urllib3")
    caught: list[BaseException] = []
    real_tokens: list[str] = []

    url = start_sandbox(client_id=CLIENT_ID, client_secret=SECRET)
    timeout = (2, 0.5)
    with KGenClient(url, CLIENT_ID, SECRET, timeout=timeout, api="v1") as client:
        # a real token from the server, which must not leak either
        session = client.create_session("gamer-secret")
        real_tokens.append(session.token)
        # 401 with a bad token, on every method
        for call in every_user_call(client, TOKEN):
            expect_failure(caught, call)
        # 4xx with a valid token, on every method that can fail so
        client.request_otp(session.token, "+91", "9876543219")
        for call in every_user_call(client, session.token):
            try:
                call()
            except errors.KGenError as error:
                caught.append(error)
        # faults: 503, HTML 502, dropped, truncated, silent
        for fault in ("error_rate", "html_rate", "drop_rate", "truncate_rate"):
            requests.post(f"{url}/_sandbox/faults", json={"reset": True, fault: 1.0}, timeout=5)
            for call in every_user_call(client, session.token)[:3]:
                expect_failure(caught, call)
        requests.post(f"{url}/_sandbox/faults", json={"reset": True, "blackhole": True}, timeout=5)
        expect_failure(caught, lambda: client.rewards(session.token))
        requests.post(f"{url}/_sandbox/faults", json={"reset": True}, timeout=5)
        expect_failure(
            caught,
            lambda: client.send_event(
                session.token,
                "score",
                1,
                metadata={"playerId": "p", "tournamentId": "nope"},
                idempotency_key="k2",
                timestamp_ms=1,
            )
        )

    # wrong client credentials
    with KGenClient(url, "someone-else", SECRET, api="v1") as wrong:
        expect_failure(caught, lambda: wrong.create_session("gamer-secret"))

    # transport failures on raw sockets: refused, garbage, redirect, TLS mismatch,
    # silence, not JSON, truncated
    targets = [
        f"http://127.0.0.1:{free_port()}",
        raw_server(b"garbage\r\n").url,
        raw_server(
            http_response(
                "302 Found", b"", extra_headers={"Location": f"http://127.0.0.1:1/x?token={TOKEN}"}
            )
        ).url,
        raw_server(http_response("200 OK", b"{}")).url.replace("http://", "https://"),
        raw_server(None).url,
        raw_server(http_response("200 OK", b"<html>hi</html>", content_type="text/html")).url,
        raw_server(http_response("200 OK", b'{"token": "x', content_length=100)).url,
        raw_server(
            http_response("401 Unauthorized", f'{{"message": "bad token {TOKEN}"}}'.encode())
        ).url,
    ]
    for target in targets:
        with KGenClient(target, CLIENT_ID, SECRET, timeout=timeout, api="v1") as client:
            for call in every_user_call(client, TOKEN)[:2]:
                expect_failure(caught, call)

    # configuration and usage errors that are handed the secrets
    for bad in (
        lambda: KGenClient(f"https://h.example/?token={TOKEN}", CLIENT_ID, SECRET, api="v1"),
        lambda: KGenClient(f"https://u:{SECRET}@h.example", CLIENT_ID, SECRET, api="v1"),
        lambda: KGenClient("https://h.example", CLIENT_ID, SECRET, api="v1").rewards(
            TOKEN + "\r\n"
        ),
        lambda: KGenClient("https://h.example", CLIENT_ID, SECRET, api=SECRET),
    ):
        expect_failure(caught, bad)
    closed = KGenClient("https://h.example", CLIENT_ID, SECRET, api="v1")
    closed.close()
    expect_failure(caught, lambda: closed.rewards(TOKEN))

    assert len(caught) >= 55
    kinds = {type(error) for error in caught}
    assert {
        errors.CredentialsRejected,
        errors.SessionExpired,
        errors.NotFoundError,
        errors.InvalidRequestError,
        errors.RequestRefusedError,
        errors.ServerError,
        errors.NetworkError,
        errors.RequestTimeout,
        errors.UnexpectedAnswerError,
        errors.DamagedAnswerError,
        errors.ConfigurationError,
        errors.UsageError,
    } <= kinds

    assert_nothing_leaked(
        caplog,
        caught,
        [TOKEN, SECRET, "token=", *real_tokens],
        extra=(repr(KGenClient("https://h.example", CLIENT_ID, SECRET, api="v1")),),
    )
    # and the logs did see the traffic (so the check above means something)
    assert "/api/v1/rewards" in caplog.text
    assert any(record.name.startswith("urllib3") for record in caplog.records)


# -- the current and legacy generations ----------------------------------------------------

REFRESH = "rfr_SECRET_def456"
ACCESS = "acc_SECRET_ghi789"


def every_current_call(client: KGenClient, token: str) -> list[Callable[[], object]]:
    """One call of every operation of the current (and legacy) generation."""
    from kgen_pygame.models import OutboundEvent, RewardableEventSpec

    def deliver(kind: str, value: object, **metadata: object) -> Callable[[], object]:
        outbound = OutboundEvent(kind, value, {"playerId": "p", **metadata}, "evt-1", 1)  # type: ignore[arg-type]
        return lambda: client.deliver(token, outbound)

    spec = RewardableEventSpec("t", "n", "d", Decimal(5))
    return [
        lambda: client.get_session(token),
        deliver("score", 10, tournamentId="t-1"),
        deliver("score", 10),
        deliver("achievement", 3),
        deliver("reward", "ev-1"),
        lambda: client.active_tournaments(token),
        lambda: client.joined_tournaments(token),
        lambda: client.tournament(token, "t-1"),
        lambda: client.join_tournament(token, "t-1", Decimal(1)),
        lambda: client.leave_tournament(token, "t-1"),
        lambda: client.leaderboard(token, "t-1"),
        lambda: client.wallet_balance(token),
        lambda: client.transactions(token),
        lambda: client.withdraw(token),
        lambda: client.request_otp(token, "+91", "9876543219"),
        lambda: client.resend_otp(token, "+91", "9876543219"),
        lambda: client.verify_otp(token, "+91", "9876543219", "1234", "123456"),
        lambda: client.linked_account(token),
        lambda: client.store_redirect_url(token),
        lambda: client.rewards(token),
        lambda: client.claim_rewards(token),
        lambda: client.historic_statistics(token),
        lambda: client.earned_rewards(token),
        lambda: client.list_rewardable_events(True),
        lambda: client.get_rewardable_event("ev-1"),
        lambda: client.put_rewardable_event(spec),
        lambda: client.delete_rewardable_event("ev-1"),
        # last: a server that echoes a token this client never sent cannot be redacted
        lambda: client.create_session("gamer-secret"),
    ]


def test_current_generation_secrets_never_leak(
    caplog: pytest.LogCaptureFixture, raw_server: Callable[..., RawServer]
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="kgen_pygame")
    caplog.set_level(logging.DEBUG, logger="urllib3")
    caught: list[BaseException] = []

    session_reply = (
        f'{{"access_token": "{ACCESS}", "refresh_token": "{REFRESH}", "user_id": "g",'
        ' "linked_phone": "+918000000001"}'
    ).encode()
    # servers that echo each credential back (one per message: a header-looking echo
    # would hide the rest of its line behind the header pattern)
    echoes = [
        f"bad token {TOKEN}",
        f"bad secret {SECRET}",
        f"unknown refresh token {REFRESH}",
        f"access {ACCESS} expired",
        f"see /fe/x?token={TOKEN}",
    ]
    echo_servers: list[str] = []
    for echo in echoes:
        echo_servers += [
            raw_server(http_response("401 Unauthorized", json.dumps(
                {"statusCode": 401, "error": "UN_AUTHORIZED", "message": echo}).encode())).url,
            raw_server(http_response("500 Internal Server Error", json.dumps(echo).encode())).url,
            raw_server(http_response("400 Bad Request", json.dumps({"msg": echo}).encode())).url,
            raw_server(http_response("200 OK", f"<html>{echo}</html>".encode(),
                                     content_type="text/html")).url,
        ]
    targets = [
        *echo_servers,
        raw_server(http_response("200 OK", b'{"access_token": "x', content_length=100)).url,
        raw_server(
            http_response(
                "307 Temporary Redirect", b"",
                extra_headers={"Location": f"http://127.0.0.1:1/x?token={TOKEN}"},
            )
        ).url,
        raw_server(None).url,
        f"http://127.0.0.1:{free_port()}",
    ]
    for api in ("current", "legacy"):
        # a real session first: its access and refresh tokens must not leak either
        good = raw_server(http_response("200 OK", session_reply))
        with KGenClient(good.url, CLIENT_ID, SECRET, api=api) as client:
            session = client.create_session("gamer-secret")
            assert session.refresh_token == REFRESH and session.token == ACCESS
        for target in targets:
            with KGenClient(target, CLIENT_ID, SECRET, timeout=(2, 0.5), api=api) as client:
                calls = every_current_call(client, TOKEN)
                # the silent server costs a timeout per call: a few calls are enough there
                for call in calls if target != targets[-2] else calls[:3]:
                    expect_failure(caught, call)

    assert len(caught) >= 1000
    kinds = {type(error) for error in caught}
    assert {
        errors.SessionExpired,
        errors.CredentialsRejected,
        errors.RequestRefusedError,
        errors.ServerError,
        errors.NetworkError,
        errors.RequestTimeout,
        errors.DamagedAnswerError,
    } <= kinds
    assert_nothing_leaked(caplog, caught, [TOKEN, SECRET, REFRESH, ACCESS, "token=", "8000000001"])
    assert "/fe/wallet/balance" in caplog.text and "/s2s/loyalty/rewardable-events" in caplog.text
    assert any(record.name.startswith("urllib3") for record in caplog.records)
