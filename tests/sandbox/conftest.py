"""Fixtures: a real sandbox on loopback (SQLite file under tmp_path) and HTTP clients whose
every response is validated against the contracts: ``Api`` (v1, docs/openapi.yaml) and
``CurrentApi`` (the current generation and the legacy paths, docs/openapi-current.yaml, in the
sandbox's mode)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from kgen_pygame.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxConfig,
    SandboxServer,
)
from kgen_pygame.sandbox.generations import of_path
from tests.sandbox.contract import CURRENT_OPENAPI_PATH, Contract

CLIENT_HEADERS = {"x-clientID": DEFAULT_CLIENT_ID, "x-clientSecret": DEFAULT_CLIENT_SECRET}
TIMEOUT = 10.0
_UNSET: Any = object()


class ContractClient:
    """A keep-alive HTTP client for one sandbox; each response must match ``checker``."""

    def __init__(self, base_url: str, checker: Any) -> None:
        self.base_url = base_url
        self.checker = checker
        self.http = requests.Session()
        self.http.hooks["response"].append(self._check)

    def _check(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self.checker.check(response)

    def send(
        self,
        method: str,
        path: str,
        *,
        json: Any = _UNSET,
        data: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
        timeout: float = TIMEOUT,
    ) -> requests.Response:
        kwargs: dict[str, Any] = {"params": params, "headers": headers, "timeout": timeout}
        if json is not _UNSET:
            kwargs["json"] = json
        if data is not None:
            kwargs["data"] = data
        return self.http.request(method, self.base_url + path, **kwargs)

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.send(method, path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    def close(self) -> None:
        self.http.close()


class Api(ContractClient):
    """The v1 API: the session token goes in the ``token`` query parameter."""

    def __init__(self, base_url: str, contract: Contract) -> None:
        super().__init__(base_url, contract)
        self.contract = contract

    def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        query = dict(params or {})
        if token is not None:
            query["token"] = token
        return self.send(method, path, params=query, **kwargs)

    # -- conveniences ------------------------------------------------------------------

    def start_session(self, gamer_id: str = "player-1", **profile: Any) -> dict[str, Any]:
        reply = self.post(
            "/api/v1/session", json={"gamer_id": gamer_id, **profile}, headers=CLIENT_HEADERS
        )
        assert reply.status_code in (200, 201), reply.text
        body: dict[str, Any] = reply.json()
        return body

    def token(self, gamer_id: str = "player-1") -> str:
        return str(self.start_session(gamer_id)["token"])

    def live(self, token: str) -> list[dict[str, Any]]:
        reply = self.get("/api/v1/tournaments/_active", token=token)
        assert reply.status_code == 200
        body: list[dict[str, Any]] = reply.json()
        return body

    def tournament_titled(self, token: str, title: str) -> dict[str, Any]:
        for tournament in self.live(token):
            if tournament["title"] == title:
                return tournament
        raise AssertionError(f"no live tournament titled {title!r}")

    def all_tournaments(self) -> list[dict[str, Any]]:
        body: list[dict[str, Any]] = self.get("/_sandbox/tournaments").json()
        return body

    def join(self, token: str, uid: str, stake: Any) -> requests.Response:
        return self.post(
            f"/api/v1/tournaments/{uid}/_join", token=token, json={"joiningStake": stake}
        )

    def score(
        self,
        token: str,
        value: Any,
        *,
        key: str | None = None,
        player: str = "player-1",
        **meta: Any,
    ) -> requests.Response:
        headers = {"Idempotency-Key": key} if key else None
        return self.post(
            "/api/v1/eventing",
            token=token,
            headers=headers,
            json={
                "timestamp": 1_700_000_000_000,
                "metadata": {"playerId": player, **meta},
                "payload": {"score": {"value": value}},
            },
        )

    def create_tournament(self, **fields: Any) -> dict[str, Any]:
        reply = self.post("/_sandbox/tournaments", json={"title": "Test Cup", **fields})
        assert reply.status_code == 201, reply.text
        body: dict[str, Any] = reply.json()
        return body

    def end(self, uid: str) -> dict[str, Any]:
        reply = self.post(f"/_sandbox/tournaments/{uid}/_end")
        assert reply.status_code == 200, reply.text
        body: dict[str, Any] = reply.json()
        return body

    def records(self, gamer_id: str) -> dict[str, Any]:
        body: dict[str, Any] = self.get("/_sandbox/records", params={"gamer_id": gamer_id}).json()
        return body

    def balance(self, token: str) -> dict[str, Any]:
        reply = self.get("/api/v1/wallet/lazyChain/balance", token=token)
        assert reply.status_code == 200
        body: dict[str, Any] = reply.json()
        return body

    def advance(self, seconds: float) -> None:
        reply = self.post("/_sandbox/clock", json={"advance_s": seconds})
        assert reply.status_code == 200


@pytest.fixture(scope="session")
def contract() -> Contract:
    return Contract()


@pytest.fixture
def make_sandbox(tmp_path: Any) -> Iterator[Callable[..., SandboxServer]]:
    servers: list[SandboxServer] = []

    def make(**overrides: Any) -> SandboxServer:
        overrides.setdefault("db_path", tmp_path / f"sandbox-{len(servers)}.sqlite3")
        server = SandboxServer(SandboxConfig(**overrides))
        server.start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def sandbox(make_sandbox: Callable[..., SandboxServer]) -> SandboxServer:
    return make_sandbox()


@pytest.fixture
def api(sandbox: SandboxServer, contract: Contract) -> Iterator[Api]:
    client = Api(sandbox.url, contract)
    yield client
    client.close()


@pytest.fixture
def make_api(contract: Contract) -> Iterator[Callable[[SandboxServer], Api]]:
    clients: list[Api] = []

    def make(server: SandboxServer) -> Api:
        client = Api(server.url, contract)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


# -- the current generation (/s2s, /fe) and the legacy paths ----------------------------------

S2S_HEADERS = {"x-client-id": DEFAULT_CLIENT_ID, "x-client-secret": DEFAULT_CLIENT_SECRET}
LEGACY_HEADERS = {"clientID": DEFAULT_CLIENT_ID, "clientSecret": DEFAULT_CLIENT_SECRET}
EVENT_FIELDS: dict[str, Any] = {
    "eventType": "Achievement",
    "eventName": "First 1,000 points",
    "eventDescription": "Score 1,000 points in one round",
    "entityType": "GAME",
    "rewardAmount": 10,
    "rewardCategory": "EARNED",
    "isActive": True,
    "isActivityTraceEnabled": False,
    "activityTraceActivityID": "",
}


class Contracts:
    """The v1 contract for /api/v1 and /_sandbox, the current one for /s2s, /fe and legacy."""

    def __init__(self, v1: Contract, current: Contract) -> None:
        self.v1, self.current = v1, current

    def check(self, response: requests.Response) -> None:
        path = urlsplit(str(response.request.url)).path
        speaks_current = of_path(path) in ("current", "legacy") or path.startswith("/fe/")
        (self.current if speaks_current else self.v1).check(response)


class CurrentApi(ContractClient):
    """The current generation: the player token goes in the ``user-jwt-token`` header."""

    def __init__(self, server: SandboxServer, contracts: Contracts) -> None:
        super().__init__(server.url, contracts)
        self.server = server
        self.documented_only = server.config.documented_only

    def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        all_headers = dict(headers or {})
        if token is not None:
            all_headers["user-jwt-token"] = token
        return self.send(method, path, headers=all_headers, **kwargs)

    def error_code(self, reply: requests.Response) -> str:
        """The error code, whichever form the mode answers (and checking that form)."""
        body = reply.json()
        if self.documented_only:
            assert isinstance(body, str), body
            return body
        assert isinstance(body, dict) and body["statusCode"] == reply.status_code, body
        return str(body["error"])

    # -- conveniences ------------------------------------------------------------------

    def session(self, user_id: str = "player-1", **profile: Any) -> dict[str, Any]:
        reply = self.post("/s2s/session", json={"user_id": user_id, **profile}, headers=S2S_HEADERS)
        assert reply.status_code == 200, reply.text
        body: dict[str, Any] = reply.json()
        return body

    def token(self, user_id: str = "player-1") -> str:
        return str(self.session(user_id)["access_token"])

    def live(self, token: str) -> list[dict[str, Any]]:
        reply = self.get("/fe/esports/tournaments/active", token=token)
        assert reply.status_code == 200, reply.text
        body: list[dict[str, Any]] = reply.json()
        return body

    def titled(self, token: str, title: str) -> dict[str, Any]:
        for tournament in self.live(token):
            if tournament["title"] == title:
                return tournament
        raise AssertionError(f"no live tournament titled {title!r}")

    def create_tournament(self, **fields: Any) -> str:
        reply = self.post("/_sandbox/tournaments", json={"title": "Test Cup", **fields})
        assert reply.status_code == 201, reply.text
        return str(reply.json()["tournament_uid"])

    def join(self, token: str, uid: str, stake: Any = 0) -> requests.Response:
        return self.post(
            f"/fe/esports/tournaments/{uid}/join", token=token, json={"joiningStake": stake}
        )

    def score(
        self, token: str, uid: str, value: Any, *, key: str | None = None, body_uid: str = ""
    ) -> requests.Response:
        return self.post(
            f"/fe/esports/tournaments/{uid}/score",
            token=token,
            headers={"Idempotency-Key": key} if key else None,
            json={
                "metadata": {"tournamentUID": body_uid or uid},
                "payload": {"score": {"value": value}},
            },
        )

    def board(self, token: str, uid: str) -> dict[str, Any]:
        reply = self.get(f"/fe/esports/tournaments/{uid}/leaderboard", token=token)
        assert reply.status_code == 200, reply.text
        body: dict[str, Any] = reply.json()
        return body

    def balance(self, token: str) -> dict[str, Any]:
        reply = self.get("/fe/wallet/balance", token=token)
        assert reply.status_code == 200, reply.text
        body: dict[str, Any] = reply.json()
        return body

    def put_event(self, **changes: Any) -> dict[str, Any]:
        reply = self.put(
            "/s2s/loyalty/rewardable-events", json={**EVENT_FIELDS, **changes}, headers=S2S_HEADERS
        )
        assert reply.status_code == 201, reply.text
        body: dict[str, Any] = reply.json()
        return body

    def grant(self, token: str, event_id: str, *, key: str | None = None) -> requests.Response:
        return self.post(
            f"/fe/loyalty/event-reward-user-claims/events/{event_id}",
            token=token,
            headers={"Idempotency-Key": key} if key else None,
        )

    def end(self, uid: str) -> None:
        reply = self.post(f"/_sandbox/tournaments/{uid}/_end")
        assert reply.status_code == 200, reply.text

    def records(self, user_id: str) -> dict[str, Any]:
        body: dict[str, Any] = self.get("/_sandbox/records", params={"gamer_id": user_id}).json()
        return body

    def sms(self, phone: str, country: str = "+91") -> dict[str, Any]:
        reply = self.get("/_sandbox/otp", params={"phone_number": phone, "countryCode": country})
        assert reply.status_code == 200, reply.text
        body: dict[str, Any] = reply.json()
        return body

    def link_phone(self, token: str, phone: str = "9876543210") -> None:
        phone_body = {"phone_number": phone, "countryCode": "+91"}
        reply = self.post("/fe/users/auth/otp/register", token=token, json=phone_body)
        assert reply.status_code == 200, reply.text
        code = self.sms(phone)["otp"]
        verify = {**phone_body, "authCode": reply.json()["authCode"], "otp": code}
        reply = self.post("/fe/users/auth/otp/verify", token=token, json=verify)
        assert reply.status_code == 200, reply.text

    def advance(self, seconds: float) -> None:
        assert self.post("/_sandbox/clock", json={"advance_s": seconds}).status_code == 200


@pytest.fixture(scope="session")
def current_contract() -> Contract:
    return Contract(CURRENT_OPENAPI_PATH, closed=True)


@pytest.fixture(scope="session")
def documented_contract() -> Contract:
    return Contract(CURRENT_OPENAPI_PATH, documented_only=True, closed=True)


@pytest.fixture
def make_current(
    make_sandbox: Callable[..., SandboxServer],
    contract: Contract,
    current_contract: Contract,
    documented_contract: Contract,
) -> Iterator[Callable[..., CurrentApi]]:
    """``make_current(documented_only=False, **config)``: a sandbox and its current-gen client."""
    clients: list[CurrentApi] = []

    def make(**overrides: Any) -> CurrentApi:
        server = make_sandbox(**overrides)
        checked = documented_contract if server.config.documented_only else current_contract
        client = CurrentApi(server, Contracts(contract, checked))
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def cur(make_current: Callable[..., CurrentApi]) -> CurrentApi:
    """The current generation, default mode."""
    return make_current()


@pytest.fixture
def doc(make_current: Callable[..., CurrentApi]) -> CurrentApi:
    """The current generation, documented-only mode."""
    return make_current(documented_only=True)


@pytest.fixture(params=["default", "documented-only"])
def both(request: pytest.FixtureRequest, make_current: Callable[..., CurrentApi]) -> CurrentApi:
    """The current generation in each mode (for behaviour the modes share)."""
    return make_current(documented_only=request.param == "documented-only")
