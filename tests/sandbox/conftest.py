"""Fixtures: a real sandbox on loopback (SQLite file under tmp_path) and an HTTP client whose
every response is validated against docs/openapi.yaml."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from kgen_pygame.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxConfig,
    SandboxServer,
)
from tests.sandbox.contract import Contract

CLIENT_HEADERS = {"x-clientID": DEFAULT_CLIENT_ID, "x-clientSecret": DEFAULT_CLIENT_SECRET}
TIMEOUT = 10.0
_UNSET: Any = object()


class Api:
    """A keep-alive HTTP client for one sandbox; each response must match the contract."""

    def __init__(self, base_url: str, contract: Contract) -> None:
        self.base_url = base_url
        self.contract = contract
        self.http = requests.Session()
        self.http.hooks["response"].append(self._check)

    def _check(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self.contract.check(response)

    def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        json: Any = _UNSET,
        data: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
        timeout: float = TIMEOUT,
    ) -> requests.Response:
        query = dict(params or {})
        if token is not None:
            query["token"] = token
        kwargs: dict[str, Any] = {"params": query, "headers": headers, "timeout": timeout}
        if json is not _UNSET:
            kwargs["json"] = json
        if data is not None:
            kwargs["data"] = data
        return self.http.request(method, self.base_url + path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

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

    def close(self) -> None:
        self.http.close()


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
