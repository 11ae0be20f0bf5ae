"""What the plugin's threads share: the configuration, where to talk, and the session.

The game thread only reads attributes here; the slow parts (starting the embedded
sandbox, opening the keyring, HTTP) happen on worker threads. Each thread gets its own
:class:`~kgen_pygame.api.KGenClient` (a ``requests.Session`` is not thread-safe).
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kgen_pygame.errors import ConfigurationError, UsageError

if TYPE_CHECKING:
    from pathlib import Path

    from kgen_pygame.api import KGenClient
    from kgen_pygame.config import KGenConfig, SessionProvider
    from kgen_pygame.runtime.credentials import CredentialStore
    from kgen_pygame.runtime.notifier import Notifier
    from kgen_pygame.runtime.pacing import FramePacer
    from kgen_pygame.runtime.session import SessionManager
    from kgen_pygame.sandbox import SandboxServer

logger = logging.getLogger(__name__)

#: How long a worker waits for the endpoint before a call fails.
ENDPOINT_WAIT_S = 10.0


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where and as whom the plugin talks to KGeN."""

    base_url: str
    client_id: str | None = field(repr=False)
    client_secret: str | None = field(repr=False)
    #: True for the embedded sandbox (started by the plugin itself).
    embedded_sandbox: bool


def is_frozen_build() -> bool:
    """True inside a PyInstaller/cx_Freeze/py2exe/Nuitka-style frozen executable."""
    return bool(getattr(sys, "frozen", False))


def check_sandbox_allowed(config: KGenConfig) -> None:
    """A frozen (shipped) build never starts the embedded sandbox unless asked to.

    A release build that forgot ``KGEN_BASE_URL`` would otherwise show players play
    money and an on-screen one-time code.
    """
    if config.uses_embedded_sandbox and config.sandbox is None and is_frozen_build():
        raise ConfigurationError(
            "no base_url is configured in a frozen build: the embedded sandbox is never "
            "started in a shipped game unless you ask for it (KGen(sandbox=True) or "
            "KGEN_SANDBOX=1). Set base_url (KGEN_BASE_URL) to the KGeN platform"
        )
    if config.sandbox is False and config.uses_embedded_sandbox:
        raise ConfigurationError(
            "sandbox=False but no base_url is configured: set base_url (KGEN_BASE_URL) "
            "to the KGeN platform, or allow the embedded sandbox"
        )


class Runtime:
    """Shared state of one :class:`~kgen_pygame.KGen`, for its worker threads."""

    def __init__(
        self,
        config: KGenConfig,
        gamer_id: str,
        data_dir: Path,
        notifier: Notifier,
        pacer: FramePacer,
    ) -> None:
        self.config = config
        self.generation = config.api
        self.gamer_id = gamer_id
        self.data_dir = data_dir
        self.notifier = notifier
        self.pacer = pacer
        self.endpoint: Endpoint | None = None
        self.endpoint_ready = threading.Event()
        self.session: SessionManager | None = None
        self.sandbox: SandboxServer | None = None
        #: The error that stopped the runtime for good (wrong configuration), if any.
        self.fatal_error: ConfigurationError | None = None
        self._local = threading.local()
        self._clients: list[KGenClient] = []
        self._clients_lock = threading.Lock()
        self._closers: list[Callable[[], None]] = []

    def resolve_endpoint(self) -> Endpoint:
        """Start the embedded sandbox when no base URL is configured (worker thread)."""
        config = self.config
        if config.base_url is None:
            from kgen_pygame.sandbox import SandboxConfig, SandboxServer

            sandbox = SandboxServer(SandboxConfig(db_path=self.data_dir / "sandbox.sqlite3"))
            base_url = sandbox.start()
            self.sandbox = sandbox
            logger.info("embedded KGeN sandbox listening on %s", base_url)
            endpoint = Endpoint(
                base_url,
                config.client_id or sandbox.config.client_id,
                config.client_secret or sandbox.config.client_secret,
                embedded_sandbox=True,
            )
        else:
            endpoint = Endpoint(
                config.base_url, config.client_id, config.client_secret, embedded_sandbox=False
            )
        self.endpoint = endpoint
        return endpoint

    def session_provider(self, store: CredentialStore) -> SessionProvider | None:
        """Who mints sessions: the game's provider, the broker's (made here), or None
        (this process, with the client credentials)."""
        config = self.config
        if config.broker_url is None:
            return config.session_provider
        from kgen_pygame.broker_client import BrokerSessionProvider

        provider = BrokerSessionProvider(
            config.broker_url,
            store,
            game_id=config.game_id,
            profile=config.profile,
            timeout=(config.connect_timeout_s, config.read_timeout_s),
            allow_insecure_http=config.allow_insecure_http,
        )
        self._closers.append(provider.close)
        return provider

    def wait_for_endpoint(self) -> Endpoint:
        """The endpoint, once the start-up finished (worker threads); raises when it failed."""
        if not self.endpoint_ready.wait(ENDPOINT_WAIT_S) or self.endpoint is None:
            if self.fatal_error is not None:
                raise self.fatal_error
            raise UsageError("the KGeN runtime is not running (its start-up failed)")
        return self.endpoint

    def client(self) -> KGenClient:
        """This thread's client (made on first use, once the endpoint is known)."""
        client: KGenClient | None = getattr(self._local, "client", None)
        if client is None:
            client = self._new_client(self.wait_for_endpoint())
            self._local.client = client
        return client

    def close_clients(self) -> None:
        """Release every thread's connection pool (at shutdown)."""
        with self._clients_lock:
            clients, self._clients = self._clients, []
        for client in clients:
            client.close()
        for close in self._closers:
            close()

    def _new_client(self, endpoint: Endpoint) -> KGenClient:
        from kgen_pygame.api import KGenClient

        config = self.config
        client = KGenClient(
            endpoint.base_url,
            endpoint.client_id,
            endpoint.client_secret,
            timeout=(config.connect_timeout_s, config.read_timeout_s),
            allow_insecure_http=config.allow_insecure_http,
            api=config.api,
            # A big reply is decoded in small steps, each in the game's idle time.
            yield_point=self.pacer.yield_point,
        )
        with self._clients_lock:
            self._clients.append(client)
        return client
