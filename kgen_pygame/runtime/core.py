"""What the game thread and the two worker threads share.

The game thread only ever *reads* attributes here or appends to queues; the
slow parts (starting the embedded sandbox, opening the keyring, HTTP) happen
on the worker threads.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kgen_pygame.runtime.calls import Inbox

if TYPE_CHECKING:
    from kgen_pygame.api import KGenClient
    from kgen_pygame.config import KGenConfig
    from kgen_pygame.runtime.session import SessionManager
    from kgen_pygame.sandbox import SandboxServer

logger = logging.getLogger(__name__)

#: The development client of the embedded sandbox (see docs/sandbox.md).
SANDBOX_CLIENT_ID = "kgen-sandbox-client"
SANDBOX_CLIENT_SECRET = "kgen-sandbox-secret"  # noqa: S105 - public dev credential


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where and as whom we talk to KGeN."""

    base_url: str
    client_id: str | None = field(repr=False)
    client_secret: str | None = field(repr=False)
    sandbox: bool


class Runtime:
    """Shared state of one :class:`~kgen_pygame.KGen`."""

    def __init__(self, config: KGenConfig, gamer_id: str) -> None:
        self.config = config
        self.gamer_id = gamer_id
        self.inbox = Inbox()
        self.endpoint: Endpoint | None = None
        self.endpoint_ready = threading.Event()
        self.session: SessionManager | None = None
        self.session_ready = threading.Event()
        self.sandbox: SandboxServer | None = None
        self.stopping = threading.Event()
        #: Set when the runtime gave up for good (wrong configuration).
        self.failed = threading.Event()

    def new_client(self) -> KGenClient:
        """A fresh client for the calling thread (``requests.Session`` is per thread)."""
        from kgen_pygame.api import KGenClient

        endpoint = self.endpoint
        if endpoint is None:
            raise RuntimeError("the endpoint is not resolved yet")
        return KGenClient(
            endpoint.base_url,
            endpoint.client_id,
            endpoint.client_secret,
            timeout=(self.config.connect_timeout_s, self.config.read_timeout_s),
            allow_insecure_http=self.config.allow_insecure_http,
            api=self.config.api,
        )
