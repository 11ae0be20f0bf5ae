"""No token, client secret or ``token=`` query ever reaches a log line or an error.

Every failure path is triggered with a recognisable token and client secret
while all logging (root and kgen_pygame, DEBUG, urllib3 included) is captured;
then every log line and every exception's str(), repr(), args and the formatted
exceptions chained to it are searched for them.
"""

from __future__ import annotations

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

    def expect_failure(call: Callable[[], object]) -> None:
        try:
            call()
        except errors.KGenError as error:
            caught.append(error)
        else:
            raise AssertionError("the call was expected to fail")

    url = start_sandbox(client_id=CLIENT_ID, client_secret=SECRET)
    timeout = (2, 0.5)
    with KGenClient(url, CLIENT_ID, SECRET, timeout=timeout) as client:
        # a real token from the server, which must not leak either
        session = client.create_session("gamer-secret")
        real_tokens.append(session.token)
        # 401 with a bad token, on every method
        for call in every_user_call(client, TOKEN):
            expect_failure(call)
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
                expect_failure(call)
        requests.post(f"{url}/_sandbox/faults", json={"reset": True, "blackhole": True}, timeout=5)
        expect_failure(lambda: client.rewards(session.token))
        requests.post(f"{url}/_sandbox/faults", json={"reset": True}, timeout=5)
        expect_failure(
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
    with KGenClient(url, "someone-else", SECRET) as wrong:
        expect_failure(lambda: wrong.create_session("gamer-secret"))

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
        with KGenClient(target, CLIENT_ID, SECRET, timeout=timeout) as client:
            for call in every_user_call(client, TOKEN)[:2]:
                expect_failure(call)

    # configuration and usage errors that are handed the secrets
    for bad in (
        lambda: KGenClient(f"https://h.example/?token={TOKEN}", CLIENT_ID, SECRET),
        lambda: KGenClient(f"https://u:{SECRET}@h.example", CLIENT_ID, SECRET),
        lambda: KGenClient("https://h.example", CLIENT_ID, SECRET).rewards(TOKEN + "\r\n"),
        lambda: KGenClient("https://h.example", CLIENT_ID, SECRET, api=SECRET),
    ):
        expect_failure(bad)
    closed = KGenClient("https://h.example", CLIENT_ID, SECRET)
    closed.close()
    expect_failure(lambda: closed.rewards(TOKEN))

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

    haystacks: list[str] = [caplog.text]
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
    haystacks += [repr(KGenClient("https://h.example", CLIENT_ID, SECRET))]
    forbidden = [TOKEN, SECRET, "token=", *real_tokens]
    for text in haystacks:
        for needle in forbidden:
            assert needle not in text, f"{needle!r} leaked into: {text[:300]!r}"
    # and the logs did see the traffic (so the check above means something)
    assert "/api/v1/rewards" in caplog.text
    assert any(record.name.startswith("urllib3") for record in caplog.records)
