"""``KGenClient`` (api ``v1``) against the hostile server.

The same misbehaviours as the transport tests, through the typed client a
game's worker uses: every failure is a :class:`~kgen_pygame.errors.KGenError`
of the class the sender and the panels decide on (never a ``KeyError``,
``TypeError`` or a hang), and no token or secret reaches a message or a log.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal

import pytest

from kgen_pygame import errors
from kgen_pygame.api import KGenClient
from tests.hostile.conftest import HostileFactory, LeakWatch
from tests.hostile.server import (
    CLIENT_ID,
    Behaviour,
    echo_query,
    huge_body,
    json_reply,
    never_answer,
    redirect,
    reset_on_accept,
    response_head,
    trickle,
)

DEADLINE_S = 1.0
ClientCall = Callable[[KGenClient, str], object]


def send_score(client: KGenClient, token: str) -> object:
    client.send_event(
        token,
        "score",
        1200,
        metadata={"playerId": "p1", "tournamentId": "t1"},
        idempotency_key="evt-hostile-1",
        timestamp_ms=1_724_142_733_025,
    )
    return None


CALLS: dict[str, ClientCall] = {
    "send_event": send_score,
    "rewards": lambda client, token: client.rewards(token),
    "leaderboard": lambda client, token: client.leaderboard(token, "t1"),
    "wallet_balance": lambda client, token: client.wallet_balance(token),
}


def failure(
    watch: LeakWatch, url: str, call: ClientCall, **kwargs: object
) -> tuple[errors.KGenError, float]:
    """Run *call* on a fresh client; it must raise a KGenError. Returns it and the seconds."""
    secret = watch.fresh("sec")
    token = watch.fresh("tok")
    kwargs.setdefault("deadline", DEADLINE_S)
    with KGenClient(url, CLIENT_ID, secret, **kwargs) as client:  # type: ignore[arg-type]
        started = time.monotonic()
        with pytest.raises(errors.KGenError) as caught:
            call(client, token)
        elapsed = time.monotonic() - started
    watch.error(caught.value)
    return caught.value, elapsed


@pytest.mark.parametrize("name", CALLS)
@pytest.mark.parametrize(
    ("behaviour", "expected", "retryable"),
    [
        (
            json_reply("200 OK", b"<html>portal</html>", content_type="text/html"),
            errors.UnexpectedAnswerError,
            True,
        ),
        (
            json_reply("200 OK", b'{"leaderboard": [{"rank": 1', content_length=900),
            errors.DamagedAnswerError,
            True,
        ),
        (
            redirect("302 Found", "https://evil.example/?token=tok_LOCATION_x"),
            errors.UnexpectedAnswerError,
            True,
        ),
        (huge_body(50 * 1024 * 1024, announce=False), errors.AnswerTooLargeError, False),
        (
            json_reply(
                "500 Internal Server Error", {"error": "X"}, headers={"Retry-After": "1e12"}
            ),
            errors.ServerError,
            True,
        ),
        (json_reply("401 Unauthorized", "UN_AUTHORIZED"), errors.SessionExpired, False),
        (echo_query("400 Bad Request"), errors.RequestRefusedError, False),
        (reset_on_accept(), errors.NetworkError, True),
        (never_answer(), errors.RequestTimeout, True),
        (
            trickle(
                response_head("200 OK", content_length=40) + b"[" + b" " * 38 + b"]", interval=0.05
            ),
            errors.RequestTimeout,
            True,
        ),
    ],
    ids=lambda value: getattr(value, "name", None) or getattr(value, "__name__", str(value)),
)
def test_user_calls_fail_with_the_right_class(
    hostile_server: HostileFactory,
    leak_watch: LeakWatch,
    name: str,
    behaviour: Behaviour,
    expected: type[errors.KGenError],
    retryable: bool,
) -> None:
    server = hostile_server(behaviour)
    error, elapsed = failure(leak_watch, server.url, CALLS[name], timeout=(2, 30))
    assert type(error) is expected
    assert error.retryable is retryable
    assert elapsed < 3 * max(DEADLINE_S, 8.0 if expected is errors.AnswerTooLargeError else 0)
    if isinstance(error, errors.ServerError):
        assert error.retry_after == 600.0
    assert len(server.requests) <= 1  # nothing was retried or followed behind our back


def test_401_for_ever_tells_configuration_from_session(
    hostile_server: HostileFactory, leak_watch: LeakWatch
) -> None:
    server = hostile_server(json_reply("401 Unauthorized", {"error": "UN_AUTHORIZED"}))
    error, _ = failure(leak_watch, server.url, lambda client, _t: client.create_session("g-1"))
    assert type(error) is errors.CredentialsRejected and not error.retryable
    error, _ = failure(leak_watch, server.url, CALLS["rewards"])
    assert type(error) is errors.SessionExpired
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("leaderboard", {"leaderboard": "everyone", "winners": 5}),
        ("leaderboard", [{"rank": "first", "user_id": 7, "score": {"v": 1}}]),
        ("rewards", {"total_claimable_rewards": "lots", "rewards": [{"amount": [1]}]}),
        ("wallet_balance", {"earned_balance": {"a": 1}, "bonus_balance": True}),
        ("wallet_balance", ["not", "an", "object"]),
    ],
)
def test_wrong_types_are_a_clear_protocol_error(
    hostile_server: HostileFactory, leak_watch: LeakWatch, name: str, body: object
) -> None:
    server = hostile_server(json_reply("200 OK", body))
    error, _ = failure(leak_watch, server.url, CALLS[name])
    assert isinstance(error, errors.ProtocolError)
    assert "unexpected response" in str(error)


def test_absurd_numbers_are_exact_or_refused(
    hostile_server: HostileFactory, leak_watch: LeakWatch
) -> None:
    body = (
        b'{"wallet_address": "0xabc", "earned_balance": 1e400,'
        b' "bonus_balance": 0.10000000000000000001}'
    )
    server = hostile_server(json_reply("200 OK", body))
    with KGenClient(server.url, CLIENT_ID, deadline=DEADLINE_S) as client:
        try:
            balance = client.wallet_balance(leak_watch.fresh("tok"))
        except errors.ProtocolError as error:
            # Readers may refuse amounts beyond a sane bound (issue 11, item 4): clearly.
            leak_watch.error(error)
            assert "earned_balance" in str(error)
        else:
            # Otherwise the value is exact: no float overflow to inf, no rounding.
            assert balance.earned == Decimal("1e400")
            assert balance.bonus == Decimal("0.10000000000000000001")
