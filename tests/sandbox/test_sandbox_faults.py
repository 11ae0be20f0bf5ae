"""Fault injection on /api/* routes: errors, drops, HTML, truncation, latency, blackhole."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from kgen_pygame.sandbox import Faults, SandboxServer
from tests.sandbox.conftest import CLIENT_HEADERS, Api


def _raw(server: SandboxServer) -> requests.Session:
    """A client without contract checks (fault answers are deliberately off-contract)."""
    return requests.Session()


def _set(api: Api, **faults: Any) -> dict[str, Any]:
    reply = api.post("/_sandbox/faults", json=faults)
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


def test_faults_start_off_and_can_be_read(api: Api, sandbox: SandboxServer) -> None:
    assert api.get("/_sandbox/faults").json() == Faults().as_dict()
    assert sandbox.faults == Faults()


def test_error_fault_answers_503_json_without_handling(api: Api) -> None:
    token = api.token("faulty")
    _set(api, error_rate=1.0)
    reply = api.score(token, 10, key="e1", player="faulty")  # contract-checked: 503 is documented
    assert reply.status_code == 503
    assert reply.json()["error"] == "SERVICE_UNAVAILABLE"
    # Sandbox routes are never faulted; the event was not handled.
    assert api.records("faulty")["events"] == 0
    _set(api, reset=True)
    assert api.score(token, 10, key="e1", player="faulty").status_code == 200
    assert api.records("faulty")["events"] == 1


def test_drop_fault_closes_the_connection_without_reply(api: Api, sandbox: SandboxServer) -> None:
    token = api.token("dropped")
    _set(api, drop_rate=1.0)
    with pytest.raises(requests.ConnectionError):
        _raw(sandbox).post(
            sandbox.url + "/api/v1/eventing",
            params={"token": token},
            json={
                "timestamp": 1,
                "metadata": {"playerId": "dropped"},
                "payload": {"score": {"value": 1}},
            },
            timeout=5,
        )
    _set(api, drop_rate=0.0)
    assert api.records("dropped")["events"] == 0


def test_html_fault_answers_502_html(api: Api, sandbox: SandboxServer) -> None:
    token = api.token()
    _set(api, html_rate=1.0)
    reply = _raw(sandbox).get(sandbox.url + "/api/v1/rewards", params={"token": token}, timeout=5)
    assert reply.status_code == 502
    assert reply.headers["Content-Type"].startswith("text/html")
    assert reply.text.startswith("<!DOCTYPE html>")
    _set(api, reset=True)
    assert api.get("/api/v1/rewards", token=token).status_code == 200


def test_truncate_fault_handles_the_request_but_cuts_the_answer(
    api: Api, sandbox: SandboxServer
) -> None:
    token = api.token("cut")
    _set(api, truncate_rate=1.0)
    raw = _raw(sandbox)
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.ConnectionError)):
        raw.post(
            sandbox.url + "/api/v1/eventing",
            params={"token": token},
            headers={"Idempotency-Key": "cut-1"},
            json={  # the very body api.score() sends: a retry repeats the request exactly
                "timestamp": 1_700_000_000_000,
                "metadata": {"playerId": "cut"},
                "payload": {"score": {"value": 7}},
            },
            timeout=5,
        )
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.ConnectionError)):
        raw.get(sandbox.url + "/api/v1/tournaments/_active", params={"token": token}, timeout=5)
    _set(api, truncate_rate=0.0)
    # The event was handled; the retry with the same key is deduplicated.
    assert api.records("cut")["events"] == 1
    assert api.score(token, 7, key="cut-1", player="cut").status_code == 200
    assert api.records("cut")["events"] == 1


def test_latency_fault_delays_api_calls_only(api: Api, sandbox: SandboxServer) -> None:
    token = api.token()
    _set(api, latency_ms=2000)
    with pytest.raises(requests.exceptions.ReadTimeout):
        _raw(sandbox).get(sandbox.url + "/api/v1/rewards", params={"token": token}, timeout=0.3)
    assert api.get("/_sandbox/health", timeout=5).status_code == 200
    _set(api, latency_ms=50)
    assert api.get("/api/v1/rewards", token=token).status_code == 200
    _set(api, latency_ms=0)


def test_blackhole_holds_requests_until_cleared(api: Api, sandbox: SandboxServer) -> None:
    token = api.token("hole")
    assert sandbox.set_faults(blackhole=True).blackhole is True
    assert api.get("/_sandbox/faults").json()["blackhole"] is True
    with pytest.raises(requests.exceptions.ReadTimeout):
        _raw(sandbox).post(
            sandbox.url + "/api/v1/eventing",
            params={"token": token},
            headers={"Idempotency-Key": "held"},
            json={  # the very body api.score() sends: a retry repeats the request exactly
                "timestamp": 1_700_000_000_000,
                "metadata": {"playerId": "hole"},
                "payload": {"score": {"value": 3}},
            },
            timeout=0.5,
        )
    assert api.get("/_sandbox/health").status_code == 200  # sandbox routes still answer
    sandbox.set_faults(blackhole=False)
    assert api.get("/api/v1/rewards", token=token).status_code == 200
    # The held request is handled once released; a retry with its key counts once.
    assert api.score(token, 3, key="held", player="hole").status_code == 200
    assert api.records("hole")["events"] == 1


def test_stop_releases_blackholed_requests(
    make_sandbox: Callable[..., SandboxServer],
) -> None:
    server = make_sandbox(faults=Faults(blackhole=True))
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(server.url + "/api/v1/rewards", timeout=0.3)
    server.stop()  # must not hang on the held request
    assert not server.running


def test_fault_rates_mix(api: Api) -> None:
    token = api.token()
    _set(api, error_rate=0.5)
    statuses = {api.get("/api/v1/rewards", token=token).status_code for _ in range(60)}
    assert statuses == {200, 503}
    _set(api, reset=True)


def test_set_faults_in_process(api: Api, sandbox: SandboxServer) -> None:
    updated = sandbox.set_faults(Faults(error_rate=1.0))
    assert updated.error_rate == 1.0
    assert api.get("/api/v1/rewards", token="x").status_code == 503
    assert sandbox.set_faults().active is False  # no arguments: clear everything
    assert api.get("/_sandbox/faults").json()["error_rate"] == 0.0
    _set(api, html_rate=0.25)
    assert sandbox.faults.html_rate == 0.25  # changes over HTTP are visible in-process
    with pytest.raises(ValueError):
        sandbox.set_faults(error_rate=2.0)
    with pytest.raises(ValueError):
        sandbox.set_faults(volume=11)


def test_faults_from_the_config(
    make_sandbox: Callable[..., SandboxServer], make_api: Callable[[SandboxServer], Api]
) -> None:
    api = make_api(make_sandbox(faults=Faults(error_rate=1.0)))
    reply = api.post("/api/v1/session", json={"gamer_id": "x"}, headers=CLIENT_HEADERS)
    assert reply.status_code == 503


@pytest.mark.parametrize(
    "body",
    [
        {"error_rate": 2},
        {"error_rate": -0.1},
        {"error_rate": 0.6, "drop_rate": 0.6},
        {"latency_ms": -1},
        {"latency_ms": 1.5},
        {"blackhole": "yes"},
        {"volume": 11},
        [],
    ],
)
def test_fault_settings_are_validated(api: Api, body: Any) -> None:
    reply = api.post("/_sandbox/faults", json=body)
    assert reply.status_code == 400
    assert reply.json()["error"] == "VALIDATION_ERROR"
    assert api.get("/_sandbox/faults").json() == Faults().as_dict()
