"""Fixtures: the real sandbox on loopback, the broker under real waitress in front of it,
and a capture of every log record as the JSON lines the broker writes."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from kgen_pygame.broker import BrokerServer
from kgen_pygame.broker.logs import JsonFormatter
from kgen_pygame.sandbox import SandboxServer
from tests.broker.helpers import broker_config
from tests.facade import conftest as facade_fixtures

#: The same pygame display as the facade tests use (the sandbox fixture is the root one).
display = facade_fixtures.display


@pytest.fixture
def make_broker(sandbox: SandboxServer) -> Iterator[Callable[..., BrokerServer]]:
    """Start brokers (real waitress on a free loopback port) in front of the sandbox."""
    started: list[BrokerServer] = []

    def factory(**overrides: Any) -> BrokerServer:
        overrides.setdefault("platform_url", sandbox.url)
        server = BrokerServer(broker_config(**overrides))
        server.start()
        started.append(server)
        return server

    yield factory
    sandbox.set_faults()  # a blackholed request must not hold a broker thread at teardown
    for server in started:
        server.stop()


@pytest.fixture
def broker(make_broker: Callable[..., BrokerServer]) -> BrokerServer:
    return make_broker()


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    """Every record of every logger at DEBUG, formatted as the broker's JSON lines.

    No redacting filter here: what the code itself logs is what is checked.
    """
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(previous)
