"""The transport against servers that misbehave on purpose.

Each test asserts the error class and ``retryable`` (what the sender decides
on), that the request ends (within three times the deadline: measured, not a
tight timing), and, through ``leak_watch``, that no token or secret reached a
log line, a message or a repr. Memory is checked with ``tracemalloc``: the
peak must stay far below the size of the body the server offered.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from kgen_pygame import errors
from kgen_pygame.api.transport import DEFAULT_MAX_BODY_BYTES, Transport
from tests.hostile.conftest import HostileFactory, LeakWatch
from tests.hostile.server import (
    Behaviour,
    HostileServer,
    RecordedRequest,
    echo_query,
    gzip_bomb,
    huge_body,
    json_reply,
    never_answer,
    never_read,
    read_request,
    redirect,
    reset_on_accept,
    response_head,
    trickle,
)

FIFTY_MB = 50 * 1024 * 1024
DEADLINE_S = 1.0
# Per-read timeouts far above the deadline: only the deadline can end these requests.
PATIENT_TIMEOUT = (2.0, 30.0)


def transport(url: str, **kwargs: object) -> Transport:
    kwargs.setdefault("timeout", PATIENT_TIMEOUT)
    kwargs.setdefault("deadline", DEADLINE_S)
    return Transport(url, **kwargs)  # type: ignore[arg-type]


def fail(
    watch: LeakWatch,
    url: str,
    *,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    **kwargs: object,
) -> tuple[errors.KGenError, float]:
    """Send one request that must fail; return the error and the seconds it took."""
    with transport(url, **kwargs) as sender:
        started = time.monotonic()
        with pytest.raises(errors.KGenError) as caught:
            sender.request(
                method,
                "/api/v1/rewards",
                operation="GET /api/v1/rewards",
                query=query,
                headers=headers,
            )
        elapsed = time.monotonic() - started
    watch.error(caught.value)
    assert caught.value.__cause__ is None and caught.value.__context__ is None
    return caught.value, elapsed


@contextmanager
def peak_memory() -> Iterator[list[int]]:
    """Measure the peak of Python allocations inside the block (bytes, in result[0])."""
    result = [0]
    tracemalloc.start()
    try:
        yield result
    finally:
        result[0] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


# -- answers that are not KGeN answers -----------------------------------------------------


def test_html_200_is_an_unexpected_answer(hostile_server: HostileFactory, leak_watch: LeakWatch):
    page = b"<!doctype html><html><body>Sign in to the hotel Wi-Fi</body></html>"
    server = hostile_server(json_reply("200 OK", page, content_type="text/html"))
    token = leak_watch.fresh("tok")
    error, _ = fail(leak_watch, server.url, query={"token": token})
    assert type(error) is errors.UnexpectedAnswerError
    assert error.retryable and error.status == 200
    assert "HTML page" in str(error)


def test_html_404_from_a_proxy_is_an_unexpected_answer(
    hostile_server: HostileFactory, leak_watch: LeakWatch
):
    page = b"<html><head><title>404 Not Found</title></head><body>nginx</body></html>"
    server = hostile_server(json_reply("404 Not Found", page, content_type="text/html"))
    error, _ = fail(leak_watch, server.url)
    assert type(error) is errors.UnexpectedAnswerError
    assert error.retryable and error.status == 404


@pytest.mark.parametrize(
    ("reply", "words"),
    [
        # Content-Length promises more than arrives
        (
            json_reply("200 OK", b'{"rewards": [{"id": "r1", "amou', content_length=4000),
            "cut short",
        ),
        # no Content-Length, the connection just ends mid-JSON
        (
            Behaviour(
                lambda conn, _r, _s: conn.sendall(response_head("200 OK") + b'[{"rank": 1, "sc'),
                name="truncated, read to close",
            ),
            "not valid JSON",
        ),
        (json_reply("200 OK", b'{"a": 1}\xff\xfe garbage'), "not UTF-8"),
        (json_reply("200 OK", b'{"score": 1e5, "rows": [1, 2,, 3]}'), "not valid JSON"),
    ],
)
def test_damaged_bodies_are_retryable(
    hostile_server: HostileFactory, leak_watch: LeakWatch, reply: Behaviour, words: str
) -> None:
    server = hostile_server(reply)
    error, _ = fail(leak_watch, server.url)
    assert type(error) is errors.DamagedAnswerError
    assert error.retryable and error.status == 200
    assert words in str(error)


def test_wrong_types_and_absurd_numbers_decode_exactly(
    hostile_server: HostileFactory, leak_watch: LeakWatch
) -> None:
    body = (
        b'{"amount": 1e400, "tiny": -1e-400, "big": 123456789012345678901234567890,'
        b' "score": "lots", "rows": {"not": "a list"}, "count": -5, "ok": null}'
    )
    server = hostile_server(json_reply("200 OK", body))
    with transport(server.url) as sender:
        data = sender.request("GET", "/x", operation="GET /x")
    # Exact: no float overflow to inf, no rounding. Judging the values is the readers' job.
    assert data == {
        "amount": Decimal("1e400"),
        "tiny": Decimal("-1e-400"),
        "big": 123456789012345678901234567890,
        "score": "lots",
        "rows": {"not": "a list"},
        "count": -5,
        "ok": None,
    }


def test_an_integer_too_long_to_convert_is_refused(
    hostile_server: HostileFactory, leak_watch: LeakWatch
) -> None:
    server = hostile_server(json_reply("200 OK", b'{"score": ' + b"9" * 10_000 + b"}"))
    error, _ = fail(leak_watch, server.url)
    assert type(error) is errors.DamagedAnswerError
    assert "too many digits" in str(error)


def test_nan_is_refused(hostile_server: HostileFactory, leak_watch: LeakWatch) -> None:
    server = hostile_server(json_reply("200 OK", b'{"amount": NaN}'))
    error, _ = fail(leak_watch, server.url)
    assert isinstance(error, errors.ProtocolError) and "NaN" in str(error)


# -- huge bodies ---------------------------------------------------------------------------


def test_huge_announced_body_is_refused_before_reading(
    hostile_server: HostileFactory, leak_watch: LeakWatch
) -> None:
    server = hostile_server(huge_body(FIFTY_MB, announce=True))
    with peak_memory() as peak:
        error, elapsed = fail(leak_watch, server.url)
    assert type(error) is errors.AnswerTooLargeError
    assert not error.retryable and error.status == 200
    assert error.limit == DEFAULT_MAX_BODY_BYTES
    assert "announced 52,428,800 bytes" in str(error)
    assert peak[0] < 1024 * 1024  # nothing of the body was read
    assert elapsed < 3 * DEADLINE_S


@pytest.mark.parametrize("chunked", [False, True], ids=["read to close", "chunked"])
def test_huge_unannounced_body_stops_at_the_cap(
    hostile_server: HostileFactory, leak_watch: LeakWatch, chunked: bool
) -> None:
    server = hostile_server(huge_body(FIFTY_MB, announce=False, chunked=chunked))
    with peak_memory() as peak:
        error, elapsed = fail(leak_watch, server.url, deadline=8.0)
    assert type(error) is errors.AnswerTooLargeError
    assert not error.retryable
    assert f"limit is {DEFAULT_MAX_BODY_BYTES:,} bytes" in str(error)
    # Far below the 50 MB offered: the cap, the decoded text and one chunk at most.
    assert peak[0] < 2 * DEFAULT_MAX_BODY_BYTES + 1024 * 1024
    assert elapsed < 3 * 8.0


def test_a_smaller_cap_is_honoured(hostile_server: HostileFactory, leak_watch: LeakWatch):
    server = hostile_server(huge_body(300_000, announce=False))
    error, _ = fail(leak_watch, server.url, max_body_bytes=100_000)
    assert type(error) is errors.AnswerTooLargeError and error.limit == 100_000
    with pytest.raises(errors.ConfigurationError):
        Transport(server.url, max_body_bytes=10)


def test_gzip_bomb_is_refused_by_its_inflated_size(
    hostile_server: HostileFactory, leak_watch: LeakWatch
) -> None:
    server = hostile_server(gzip_bomb(FIFTY_MB))
    with peak_memory() as peak:
        error, _ = fail(leak_watch, server.url, deadline=8.0)
    assert type(error) is errors.AnswerTooLargeError
    assert peak[0] < 2 * DEFAULT_MAX_BODY_BYTES + 1024 * 1024


def test_huge_error_body_keeps_the_status_class(
    hostile_server: HostileFactory, leak_watch: LeakWatch
) -> None:
    server = hostile_server(huge_body(FIFTY_MB, announce=False, status="500 Internal Server Error"))
    with peak_memory() as peak:
        error, _ = fail(leak_watch, server.url, deadline=8.0)
    assert type(error) is errors.ServerError and error.retryable
    assert peak[0] < 8 * 1024 * 1024


# -- slow and silent servers ---------------------------------------------------------------

REWARDS_REPLY = json_reply("200 OK", {"rewards": [], "total": 0})


def _reply_bytes(body: bytes, *, announce: bool = True) -> bytes:
    return response_head("200 OK", content_length=len(body) if announce else None) + body


@pytest.mark.parametrize(
    "start_after",
    [0, "head"],
    ids=["slowloris in the headers", "slowloris in the body"],
)
def test_slowloris_fails_at_the_deadline(
    hostile_server: HostileFactory, leak_watch: LeakWatch, start_after: int | str
) -> None:
    body = b'{"rewards": [' + b'{"id": "r"},' * 40 + b'{"id": "r"}]}'
    data = _reply_bytes(body)
    split = len(data) - len(body) if start_after == "head" else 0
    server = hostile_server(trickle(data, interval=0.05, start_after=split))
    error, elapsed = fail(leak_watch, server.url)
    assert type(error) is errors.RequestTimeout and error.retryable
    assert str(error) == (
        f"GET /api/v1/rewards failed: no complete answer from 127.0.0.1:{server.port} within 1 s"
    )
    assert elapsed < 3 * DEADLINE_S


def test_slowloris_body_without_length_is_not_taken_as_complete(
    hostile_server: HostileFactory, leak_watch: LeakWatch
) -> None:
    # Read-to-close framing: a body cut by the deadline must not look like a short answer.
    body = b"[" + b"1," * 200 + b"1]"
    data = _reply_bytes(body, announce=False)
    server = hostile_server(trickle(data, interval=0.02, start_after=len(data) - len(body)))
    error, elapsed = fail(leak_watch, server.url)
    assert type(error) is errors.RequestTimeout
    assert elapsed < 3 * DEADLINE_S


@pytest.mark.parametrize("behaviour", [never_answer(), never_read()], ids=lambda b: b.name)
def test_silent_servers_fail_at_the_deadline(
    hostile_server: HostileFactory, leak_watch: LeakWatch, behaviour: Behaviour
) -> None:
    server = hostile_server(behaviour)
    error, elapsed = fail(leak_watch, server.url, method="POST")
    assert type(error) is errors.RequestTimeout and error.retryable
    assert "within 1 s" in str(error)
    assert elapsed < 3 * DEADLINE_S


def test_trickle_on_a_reused_keep_alive_connection_fails_at_the_deadline(
    hostile_server: HostileFactory, leak_watch: LeakWatch
) -> None:
    def first_fine_then_trickle(
        conn: socket.socket, _request: RecordedRequest | None, server: HostileServer
    ) -> None:
        body = b'{"ok": true}'
        conn.sendall(response_head("200 OK", content_length=len(body), keep_alive=True) + body)
        if read_request(conn) is None:
            return
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for byte in response_head("200 OK", content_length=len(body)) + body:
            if not server.wait(0.05):
                return
            conn.sendall(bytes([byte]))

    server = hostile_server(Behaviour(first_fine_then_trickle, name="keep-alive, then trickle"))
    with transport(server.url) as sender:
        assert sender.request("GET", "/a", operation="GET /a") == {"ok": True}
        started = time.monotonic()
        with pytest.raises(errors.RequestTimeout) as caught:
            sender.request("GET", "/b", operation="GET /b")
        elapsed = time.monotonic() - started
    leak_watch.error(caught.value)
    assert server.connections == 1  # the second request really reused the connection
    assert elapsed < 3 * DEADLINE_S


def test_slowloris_over_tls_fails_at_the_deadline(
    hostile_server: HostileFactory,
    leak_watch: LeakWatch,
    loopback_tls: tuple[object, Path],
) -> None:
    context, cert = loopback_tls
    body = b'{"rewards": []}'
    data = _reply_bytes(body)
    server = hostile_server(trickle(data, interval=0.05, start_after=10), context)
    session = requests.Session()
    session.verify = str(cert)  # verification stays on, against our own CA
    try:
        error, elapsed = fail(leak_watch, server.url, session=session)
    finally:
        session.close()
    assert type(error) is errors.RequestTimeout
    assert elapsed < 3 * DEADLINE_S


def test_the_default_deadline_ends_a_one_byte_a_second_trickle(
    hostile_server: HostileFactory, leak_watch: LeakWatch
) -> None:
    """The shipped defaults, (3.05, 10) s timeouts and an 8 s deadline, against 1 byte/s."""
    data = _reply_bytes(b'{"rewards": []}')
    server = hostile_server(trickle(data, interval=1.0))
    with Transport(server.url) as sender:
        started = time.monotonic()
        with pytest.raises(errors.RequestTimeout) as caught:
            sender.request("GET", "/api/v1/rewards", operation="GET /api/v1/rewards")
        elapsed = time.monotonic() - started
    leak_watch.error(caught.value)
    assert "within 8 s" in str(caught.value)
    assert elapsed < 3 * 8.0


def test_reset_on_accept_is_a_network_error(
    hostile_server: HostileFactory, leak_watch: LeakWatch
) -> None:
    server = hostile_server(reset_on_accept())
    error, elapsed = fail(leak_watch, server.url)
    assert type(error) is errors.NetworkError and error.retryable
    assert elapsed < 3 * DEADLINE_S


def test_deadline_watch_leaks_no_descriptors(hostile_server: HostileFactory) -> None:
    server = hostile_server(REWARDS_REPLY)
    with transport(server.url) as sender:
        sender.request("GET", "/warm", operation="GET /warm")
        before = len(os.listdir("/proc/self/fd"))
        for _ in range(30):
            sender.request("GET", "/again", operation="GET /again")
        after = len(os.listdir("/proc/self/fd"))
    assert after - before <= 2  # the pool's socket may be replaced; nothing accumulates


def test_deadline_does_not_leak_across_threads(hostile_server: HostileFactory) -> None:
    # A request stalled on one thread must not cut a quick one on another thread.
    slow = hostile_server(never_answer())
    quick = hostile_server(REWARDS_REPLY)
    outcome: list[BaseException] = []

    def stalled() -> None:
        with transport(slow.url) as sender:
            try:
                sender.request("GET", "/s", operation="GET /s")
            except errors.KGenError as error:
                outcome.append(error)

    thread = threading.Thread(target=stalled)
    thread.start()
    with transport(quick.url) as sender:
        for _ in range(5):
            assert sender.request("GET", "/q", operation="GET /q") == {"rewards": [], "total": 0}
    thread.join(timeout=10)
    assert [type(error) for error in outcome] == [errors.RequestTimeout]


# -- error statuses ------------------------------------------------------------------------


def test_500_with_a_huge_retry_after_is_capped(
    hostile_server: HostileFactory, leak_watch: LeakWatch
) -> None:
    server = hostile_server(
        json_reply(
            "500 Internal Server Error",
            {"statusCode": 500, "error": "INTERNAL"},
            headers={"Retry-After": "999999999"},
        )
    )
    error, _ = fail(leak_watch, server.url)
    assert type(error) is errors.ServerError and error.retryable
    assert error.retry_after == 600.0


@pytest.mark.parametrize(
    ("auth", "query", "expected"),
    [
        ("client", None, errors.CredentialsRejected),
        (None, None, errors.CredentialsRejected),  # no session token: a client call
        (None, {"token": "t"}, errors.SessionExpired),
        ("user", None, errors.SessionExpired),
    ],
)
def test_401_tells_credentials_from_session(
    hostile_server: HostileFactory,
    leak_watch: LeakWatch,
    auth: str | None,
    query: dict[str, str] | None,
    expected: type[errors.AuthenticationError],
) -> None:
    server = hostile_server(json_reply("401 Unauthorized", "UN_AUTHORIZED"))
    with transport(server.url) as sender, pytest.raises(errors.AuthenticationError) as caught:
        sender.request("POST", "/s", operation="POST /s", query=query, auth=auth)  # type: ignore[arg-type]
    leak_watch.error(caught.value)
    assert type(caught.value) is expected and not caught.value.retryable


def test_401_naming_the_client_is_credentials_even_on_a_user_call(
    hostile_server: HostileFactory, leak_watch: LeakWatch
) -> None:
    server = hostile_server(
        json_reply("401 Unauthorized", {"error": "INVALID_CLIENT_SECRET", "message": "no"})
    )
    error, _ = fail(leak_watch, server.url, query={"token": leak_watch.fresh("tok")})
    assert type(error) is errors.CredentialsRejected


@pytest.mark.parametrize("status", ["301 Moved Permanently", "302 Found", "307 Temporary Redirect"])
@pytest.mark.parametrize("where", ["on-host", "off-host"])
def test_redirects_are_never_followed_and_never_quoted(
    hostile_server: HostileFactory, leak_watch: LeakWatch, status: str, where: str
) -> None:
    elsewhere = hostile_server(REWARDS_REPLY)
    secret = leak_watch.fresh("tok_LOCATION")
    base = "/api/v1/rewards" if where == "on-host" else elsewhere.url + "/steal"
    server = hostile_server(redirect(status, f"{base}?token={secret}&x-clientSecret=s"))
    target = server if where == "on-host" else elsewhere
    token = leak_watch.fresh("tok")
    error, _ = fail(
        leak_watch,
        server.url,
        query={"token": token},
        headers={"x-clientSecret": leak_watch.fresh("sec")},
    )
    assert type(error) is errors.UnexpectedAnswerError and error.retryable
    assert error.status == int(status.split()[0])
    assert len(server.requests) == 1
    assert len(target.requests) == (1 if target is server else 0)


def test_error_that_echoes_the_query_string_leaks_nothing(
    hostile_server: HostileFactory, leak_watch: LeakWatch
) -> None:
    server = hostile_server(echo_query("400 Bad Request"))
    token, secret = leak_watch.fresh("tok"), leak_watch.fresh("sec")
    error, _ = fail(
        leak_watch, server.url, query={"token": token}, headers={"x-clientSecret": secret}
    )
    # A JSON error of 400 that names the request: the one definite refusal.
    assert type(error) is errors.RequestRefusedError and not error.retryable
    assert error.code == "BAD_REQUEST"
    assert "cannot handle /api/v1/rewards?" in str(error)
    assert server.requests[0].target == f"/api/v1/rewards?token={token}"  # it was really sent


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (json_reply("400 Bad Request", b""), errors.InvalidRequestError),
        (
            json_reply("400 Bad Request", b"Bad Request", content_type="text/plain"),
            errors.InvalidRequestError,
        ),
        (json_reply("422 Unprocessable Entity", {}), errors.InvalidRequestError),
        (
            json_reply("422 Unprocessable Entity", {"error": "BELOW_MIN"}),
            errors.RequestRefusedError,
        ),
        (json_reply("409 Conflict", {"error": "FULL"}), errors.InvalidRequestError),
        (json_reply("408 Request Timeout", b""), errors.APIError),
        (json_reply("429 Too Many Requests", {"error": "SLOW"}), errors.RateLimitError),
    ],
)
def test_only_a_json_400_or_422_is_a_definite_refusal(
    hostile_server: HostileFactory,
    leak_watch: LeakWatch,
    reply: Behaviour,
    expected: type[errors.APIError],
) -> None:
    server = hostile_server(reply)
    error, _ = fail(leak_watch, server.url)
    assert type(error) is expected


def test_the_yield_point_is_called_while_decoding_a_big_body(
    hostile_server: HostileFactory,
) -> None:
    rows = b",".join(b'{"rank": %d, "score": %d, "name": "p"}' % (i, i * 7) for i in range(20_000))
    server = hostile_server(json_reply("200 OK", b'{"leaderboard": [' + rows + b"]}"))
    calls: list[float] = []
    with transport(server.url, yield_point=lambda: calls.append(time.perf_counter())) as sender:
        data = sender.request("GET", "/lb", operation="GET /lb")
    assert isinstance(data, dict) and len(data["leaderboard"]) == 20_000
    assert data["leaderboard"][19_999] == {"rank": 19_999, "score": 139_993, "name": "p"}
    assert len(calls) >= 5


def test_an_owned_session_and_a_given_session_both_get_the_deadline(
    hostile_server: HostileFactory, leak_watch: LeakWatch
) -> None:
    server = hostile_server(never_answer())
    session = requests.Session()
    try:
        error, elapsed = fail(leak_watch, server.url, session=session)
        assert type(error) is errors.RequestTimeout and elapsed < 3 * DEADLINE_S
        # close() took the adapter off the caller's session, which still works elsewhere.
        assert not any(prefix.startswith(server.url) for prefix in session.adapters)
    finally:
        session.close()
