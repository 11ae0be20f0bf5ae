"""The HTTP layer: JSON errors, keep-alive, bodies, lifecycle, logs without secrets."""

from __future__ import annotations

import http.client
import json
import logging
import socket
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from kgen_pygame.sandbox import SandboxConfig, SandboxServer
from tests.sandbox.conftest import CLIENT_HEADERS, Api
from tests.sandbox.contract import Contract


def _address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return str(parts.hostname), int(parts.port or 80)


def _raw_exchange(url: str, data: bytes) -> bytes:
    with socket.create_connection(_address(url), timeout=5) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def test_unknown_route_is_json_404(api: Api) -> None:
    for path in ("/api/v1/nothing", "/", "/_sandbox/nope", "/api/v2/session"):
        reply = api.get(path)
        assert reply.status_code == 404
        assert reply.json() == {
            "statusCode": 404,
            "error": "NOT_FOUND",
            "message": "Route not found",
        }


def test_wrong_method_is_json_405_with_allow(api: Api) -> None:
    token = api.token()
    reply = api.request("DELETE", "/api/v1/rewards", token=token)
    assert reply.status_code == 405
    assert reply.json()["error"] == "METHOD_NOT_ALLOWED"
    assert reply.headers["Allow"] == "GET"
    assert api.request("PUT", "/api/v1/session", json={}).headers["Allow"] == "GET, POST"
    head = api.request("HEAD", "/_sandbox/health")
    assert head.status_code == 405 and head.content == b""


def test_trailing_slash_and_path_parameters(api: Api) -> None:
    token = api.token()
    assert api.get("/api/v1/tournaments/_active/", token=token).status_code == 200
    reply = api.get("/api/v1/tournaments/a%2Fb", token=token)
    assert reply.status_code == 404 and reply.json()["error"] == "TOURNAMENT_NOT_FOUND"


def test_protocol_errors_are_json(sandbox: SandboxServer) -> None:
    for request, status in (
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET /_sandbox/health HTTP/2.0\r\n\r\n", 505),
        (b"FOO /_sandbox/health HTTP/1.1\r\nHost: x\r\n\r\n", 501),
        (b"GET /_sandbox/health HTTP/1.1\r\nbroken header line\r\n\r\n", 400),
    ):
        raw = _raw_exchange(sandbox.url, request)
        head, _, body = raw.partition(b"\r\n\r\n")
        assert head.startswith(f"HTTP/1.1 {status}".encode()), raw
        assert b"Content-Type: application/json" in head
        assert json.loads(body)["statusCode"] == status


def test_keep_alive_reuses_one_connection(sandbox: SandboxServer) -> None:
    conn = http.client.HTTPConnection(*_address(sandbox.url), timeout=5)
    try:
        conn.request("GET", "/_sandbox/health")
        first = conn.getresponse()
        assert first.status == 200 and first.getheader("Content-Length")
        first.read()
        sock = conn.sock
        for _ in range(5):
            conn.request(
                "POST",
                "/api/v1/session",
                body=json.dumps({"gamer_id": "ka"}),
                headers={**CLIENT_HEADERS, "Content-Type": "application/json"},
            )
            reply = conn.getresponse()
            assert reply.status in (200, 201)
            assert int(reply.getheader("Content-Length") or -1) == len(reply.read())
            assert conn.sock is sock
    finally:
        conn.close()


def test_connection_close_is_honoured(sandbox: SandboxServer) -> None:
    raw = _raw_exchange(
        sandbox.url, b"GET /_sandbox/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert b"Connection: close" in raw and raw.endswith(b"}")
    old = _raw_exchange(sandbox.url, b"GET /_sandbox/health HTTP/1.0\r\n\r\n")
    assert old.startswith(b"HTTP/1.1 200")


def test_chunked_request_body(api: Api) -> None:
    def body() -> Iterator[bytes]:
        yield b'{"gamer_id": '
        yield b'"chunky"}'

    reply = api.http.post(
        api.base_url + "/api/v1/session",
        data=body(),
        headers={**CLIENT_HEADERS, "Content-Type": "application/json"},
        timeout=5,
    )
    assert reply.status_code == 201 and reply.json()["gamer_id"] == "chunky"


def test_oversized_body_is_413(
    make_sandbox: Callable[..., SandboxServer], make_api: Callable[[SandboxServer], Api]
) -> None:
    api = make_api(make_sandbox(max_body_bytes=1000))
    reply = api.post("/api/v1/session", json={"gamer_id": "x" * 2000}, headers=CLIENT_HEADERS)
    assert reply.status_code == 413
    assert reply.json()["error"] == "PAYLOAD_TOO_LARGE"


def test_unexpected_failure_is_500_json_and_logged_without_token(
    api: Api, sandbox: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    token = api.token("victim")
    assert api.get("/api/v1/rewards", token=token).status_code == 200
    # Break the database underneath the running server.
    assert sandbox.config.db_path is not None
    with sqlite3.connect(sandbox.config.db_path) as conn:
        conn.execute("DROP TABLE rewards")
    caplog.set_level(logging.DEBUG, logger="kgen_pygame.sandbox")
    reply = api.get("/api/v1/rewards", token=token)
    assert reply.status_code == 500
    assert reply.json() == {
        "statusCode": 500,
        "error": "INTERNAL_ERROR",
        "message": "Internal server error",
    }
    assert "Traceback" not in reply.text and "rewards" not in reply.text
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and "GET /api/v1/rewards" in errors[0].getMessage()
    assert errors[0].exc_info is not None
    for record in caplog.records:
        text = record.getMessage() + (caplog.text or "")
        assert token not in text
        assert "token=" not in text
    # Other routes keep working.
    assert api.get("/api/v1/session", token=token).status_code == 200


def test_logs_never_contain_tokens_or_query_strings(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="kgen_pygame.sandbox")
    token = api.token("quiet")
    api.get("/api/v1/session", token=token)
    api.get("/api/v1/nothing", token=token)
    api.score(token, 1, player="quiet")
    assert any("/api/v1/session" in r.getMessage() for r in caplog.records)
    assert token not in caplog.text
    assert "token=" not in caplog.text
    assert "kgen-sandbox-secret" not in caplog.text


def test_config_repr_hides_the_client_secret(sandbox: SandboxServer) -> None:
    assert "kgen-sandbox-secret" not in repr(sandbox.config)
    assert "kgen-sandbox-secret" not in repr(sandbox)


def test_responses_are_not_cached(api: Api) -> None:
    reply = api.get("/api/v1/session", token=api.token())
    assert reply.headers["Cache-Control"] == "no-store"
    assert reply.headers["Content-Type"] == "application/json; charset=utf-8"


def test_money_is_exact_in_json(api: Api) -> None:
    cup = api.create_tournament(title="Cents", guaranteed_prize=0.1, buy_in=0.2)
    text = api.get(f"/api/v1/tournaments/{cup['tournament_uid']}", token=api.token()).text
    assert '"buy_in_price":0.2,' in text and '"prize_pool":0.1,' in text


def test_stop_closes_connections_and_is_idempotent(tmp_path: Path) -> None:
    server = SandboxServer(SandboxConfig(db_path=tmp_path / "s.sqlite3"))
    url = server.start()
    assert server.start() == url  # already running: same URL
    assert repr(server) == f"SandboxServer({url})"
    conn = http.client.HTTPConnection(*_address(url), timeout=5)
    conn.request("GET", "/_sandbox/health")
    assert conn.getresponse().read()
    server.stop()
    server.stop()
    with pytest.raises(RuntimeError):
        _ = server.url
    with pytest.raises((OSError, http.client.HTTPException)):
        conn.request("GET", "/_sandbox/health")
        conn.getresponse()
    conn.close()
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/_sandbox/health", timeout=2)


def test_context_manager_and_in_memory_database(contract: Contract) -> None:
    with SandboxServer(SandboxConfig(db_path=None)) as server:
        api = Api(server.url, contract)
        assert api.start_session("mem")["is_new_user"] is True
        assert api.get("/_sandbox/health").json()["status"] == "ok"
        api.close()
    assert not server.running


def test_sandbox_clock_only_moves_forward(api: Api) -> None:
    before = api.get("/_sandbox/clock").json()
    assert before["offset_s"] == 0
    reply = api.post("/_sandbox/clock", json={"advance_s": 3600})
    assert reply.json()["offset_s"] == 3600 and reply.json()["now"] > before["now"]
    assert api.post("/_sandbox/clock", json={"advance_s": -1}).status_code == 400
    assert api.post("/_sandbox/clock", json={"advance_s": "soon"}).status_code == 400


def test_sandbox_routes_validate_their_input(api: Api) -> None:
    assert api.get("/_sandbox/records").status_code == 400
    assert api.get("/_sandbox/events", params={"limit": "many"}).status_code == 400
    assert api.get("/_sandbox/events", params={"limit": 0}).status_code == 400
    assert (
        api.get("/_sandbox/otp", params={"phone_number": "x", "countryCode": "+1"}).status_code
        == 400
    )
    assert api.get("/_sandbox/records", params={"gamer_id": "nobody"}).json() == {
        "gamer_id": "nobody",
        "exists": False,
    }
