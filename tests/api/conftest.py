"""Fixtures of the API client tests: raw loopback servers and the real sandbox."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kgen_pygame.api import KGenClient
from tests.api.rawserver import RawServer, RecordedRequest
from tests.api.rawserver import self_signed_tls as make_self_signed_tls

SANDBOX_CLIENT_ID = "kgen-sandbox-client"
SANDBOX_CLIENT_SECRET = "kgen-sandbox-secret"


@pytest.fixture
def raw_server() -> Iterator[Callable[..., RawServer]]:
    """Start raw servers that answer with exact bytes; all stopped at teardown."""
    started: list[RawServer] = []

    def start(
        reply: bytes | Callable[[RecordedRequest], bytes] | None,
        tls: ssl.SSLContext | None = None,
    ) -> RawServer:
        server = RawServer(reply, tls)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def start_sandbox(tmp_path: Path) -> Iterator[Callable[..., str]]:
    """Start the real sandbox (SQLite in tmp_path) with config overrides; returns its URL."""
    from kgen_pygame.sandbox import SandboxConfig, SandboxServer

    servers: list[Any] = []

    def start(**overrides: Any) -> str:
        config = SandboxConfig(db_path=tmp_path / f"s{len(servers)}.db", **overrides)
        server = SandboxServer(config)
        servers.append(server)
        return str(server.start()).rstrip("/")

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def sandbox_url(start_sandbox: Callable[..., str]) -> str:
    """The base URL of a fresh sandbox with default settings."""
    return start_sandbox()


@pytest.fixture
def client(sandbox_url: str) -> Iterator[KGenClient]:
    """A client with the sandbox's development credentials."""
    with KGenClient(
        sandbox_url, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, timeout=(2, 10), api="v1"
    ) as kgen_client:
        yield kgen_client


@pytest.fixture(scope="session")
def self_signed_tls(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    """A server TLS context with a fresh self-signed certificate for 127.0.0.1."""
    context, _cert = make_self_signed_tls(tmp_path_factory.mktemp("tls"))
    return context
