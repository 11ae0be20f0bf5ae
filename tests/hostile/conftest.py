"""Fixtures of the hostile-server tests: ``hostile_server(behaviour)`` and a leak watch.

``hostile_server`` serves every level (transport, client, the facade's game loop in
``test_game_hostile.py`` and the sender's tests in ``tests/runtime/test_sender.py``):
it starts a :class:`~tests.hostile.server.HostileServer` and stops it at teardown.
"""

from __future__ import annotations

import logging
import ssl
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.api.rawserver import self_signed_tls
from tests.hostile.server import CLIENT_SECRET, TOKEN, Behaviour, HostileServer

HostileFactory = Callable[..., HostileServer]

#: Strings that must never appear in a log line, an error message or a repr.
SECRETS = (TOKEN, CLIENT_SECRET, "token=", "tok_LOCATION_", "sec_LOCATION_")


@pytest.fixture
def hostile_server() -> Iterator[HostileFactory]:
    """Start hostile servers; all are stopped at teardown."""
    started: list[HostileServer] = []

    def start(behaviour: Behaviour, tls: ssl.SSLContext | None = None) -> HostileServer:
        server = HostileServer(behaviour, tls)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


class LeakWatch:
    """Collects every log record and error text of a test, then looks for secrets in them."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self._caplog = caplog
        self.texts: list[str] = []
        self.secrets: list[str] = list(SECRETS)

    def fresh(self, prefix: str) -> str:
        """A secret value no other test used (so the redaction registry does not know it)."""
        value = f"{prefix}_{uuid.uuid4().hex}"
        self.secrets.append(value)
        return value

    def error(self, error: BaseException) -> BaseException:
        """Remember *error*'s message, repr, args and chained exceptions; return it."""
        linked: BaseException | None = error
        while linked is not None:
            self.texts += [str(linked), repr(linked), repr(linked.args)]
            details = getattr(linked, "details", None)
            if details is not None:
                self.texts.append(repr(dict(details)))
            linked = linked.__cause__ or linked.__context__
        return error

    def assert_clean(self) -> None:
        haystacks = [self._caplog.text, *self.texts]
        haystacks += [record.getMessage() for record in self._caplog.records]
        for secret in self.secrets:
            for text in haystacks:
                assert secret not in text, f"{secret!r} leaked into: {text[:300]!r}"


@pytest.fixture
def leak_watch(caplog: pytest.LogCaptureFixture) -> Iterator[LeakWatch]:
    """Capture DEBUG logs of kgen_pygame, urllib3 and requests; assert no secret leaked."""
    for name in ("", "kgen_pygame", "urllib3", "requests"):
        caplog.set_level(logging.DEBUG, logger=name or None)
    watch = LeakWatch(caplog)
    yield watch
    watch.assert_clean()


@pytest.fixture(scope="session")
def loopback_tls(tmp_path_factory: pytest.TempPathFactory) -> tuple[ssl.SSLContext, Path]:
    """A server TLS context for 127.0.0.1 and the path of its self-signed certificate."""
    return self_signed_tls(tmp_path_factory.mktemp("hostile-tls"))
