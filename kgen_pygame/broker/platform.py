"""Minting sessions on the platform: deadline, bounded retries, a fixed number of slots.

Uses the package's own :class:`~kgen_pygame.api.KGenClient` (``create_session``),
one per broker thread (a client is not thread-safe). Each request gets a
*deadline*: every attempt's connect and read timeouts are cut to the time
left, and a retry is made only if its backoff delay still fits. Retried:
network errors, timeouts, damaged answers, 408/425/429 and 5xx (the
client's ``retryable``); ``create_session`` is create-or-retrieve, so a
repeat is harmless.

At most ``slots`` platform calls run at once. A request that finds every
slot taken is refused at once with :class:`Busy` instead of queueing, so a
slow platform can hold only those threads and ``/healthz`` always has one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from kgen_pygame.broker import wire
from kgen_pygame.errors import APIError, KGenError
from kgen_pygame.runtime.backoff import Backoff

if TYPE_CHECKING:
    from kgen_pygame.api import KGenClient
    from kgen_pygame.broker.config import BrokerConfig
    from kgen_pygame.models import Session

__all__ = ["Busy", "PlatformFailure", "SessionMinter"]

logger = logging.getLogger(__name__)

# An attempt with less time than this left is not started.
_MIN_ATTEMPT_S = 0.05
# Told to callers when the platform gave no Retry-After of its own.
_DEFAULT_RETRY_AFTER_S = 5.0


class Busy(Exception):  # noqa: N818
    """Every platform slot is in use."""


class PlatformFailure(Exception):  # noqa: N818
    """The platform could not mint the session; ``code`` is a :mod:`wire` error code."""

    def __init__(self, code: str, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after


ClientFactory = Callable[[tuple[float, float]], "KGenClient"]


class SessionMinter:
    """Mints platform sessions for the broker's request threads."""

    def __init__(
        self,
        config: BrokerConfig,
        *,
        client_factory: ClientFactory | None = None,
        backoff: Backoff | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._config = config
        self._timeouts = (config.connect_timeout_s, config.read_timeout_s)
        self._make_client = client_factory or self._default_client
        self._backoff = backoff or Backoff(base_s=0.2, factor=2.0, max_s=2.0)
        self._clock = clock
        self._slots = threading.BoundedSemaphore(config.slots)
        self._in_use = 0
        self._count_lock = threading.Lock()
        self._local = threading.local()
        self._clients: list[KGenClient] = []

    @property
    def in_use(self) -> int:
        """Platform calls running now."""
        return self._in_use

    def mint(self, user_id: str, profile: Mapping[str, object]) -> Session:
        """A new session of *user_id*; :class:`Busy` or :class:`PlatformFailure` otherwise."""
        with self._slot():
            return self._mint_within_deadline(user_id, profile)

    def close(self) -> None:
        """Close every client made so far (at shutdown)."""
        for client in list(self._clients):
            client.close()

    @contextmanager
    def _slot(self) -> Iterator[None]:
        if not self._slots.acquire(blocking=False):
            raise Busy("every platform slot is in use")
        with self._count_lock:
            self._in_use += 1
        try:
            yield
        finally:
            with self._count_lock:
                self._in_use -= 1
            self._slots.release()

    def _mint_within_deadline(self, user_id: str, profile: Mapping[str, object]) -> Session:
        deadline = self._clock() + self._config.deadline_s
        attempt = 0
        while True:
            attempt += 1
            client, one_off = self._client_for(deadline - self._clock())
            try:
                return client.create_session(user_id, **profile)
            except KGenError as error:
                failure = error
            finally:
                if one_off:
                    client.close()
            retry_after = failure.retry_after if isinstance(failure, APIError) else None
            if not failure.retryable:
                raise _refused(failure) from None
            if attempt > self._config.platform_retries:
                raise _unavailable(failure, retry_after) from None
            delay = self._backoff.delay(attempt, retry_after, retry_after_cap_s=5.0)
            if self._clock() + delay + _MIN_ATTEMPT_S >= deadline:
                raise _unavailable(failure, retry_after) from None
            logger.info(
                "platform attempt %d failed (%s); retrying", attempt, type(failure).__name__
            )
            time.sleep(delay)

    def _client_for(self, remaining_s: float) -> tuple[KGenClient, bool]:
        """This thread's client, or a one-off one (True) whose timeouts fit *remaining_s*."""
        if remaining_s < _MIN_ATTEMPT_S:
            raise PlatformFailure(wire.PLATFORM_UNAVAILABLE, "no time left before the deadline")
        connect_s, read_s = self._timeouts
        if remaining_s < connect_s + read_s:
            # Only a late retry gets here (the defaults leave the first attempt 1 s to
            # spare): a fresh client whose timeouts fit what is left.
            connect_s = min(connect_s, remaining_s / 2)
            return self._make_client((connect_s, remaining_s - connect_s)), True
        client: KGenClient | None = getattr(self._local, "client", None)
        if client is None or client.closed:
            client = self._make_client(self._timeouts)
            self._local.client = client
            with self._count_lock:
                self._clients.append(client)
        return client, False

    def _default_client(self, timeouts: tuple[float, float]) -> KGenClient:
        from kgen_pygame.api import KGenClient

        config = self._config
        return KGenClient(
            config.platform_url,
            config.client_id,
            config.client_secret,
            timeout=timeouts,
            allow_insecure_http=config.allow_insecure_platform_http,
            api=config.api,
        )


def _unavailable(error: KGenError, retry_after: float | None) -> PlatformFailure:
    logger.warning("the platform could not mint a session: %s", error)
    return PlatformFailure(
        wire.PLATFORM_UNAVAILABLE,
        f"the KGeN platform is unreachable or failing ({type(error).__name__}); try again later",
        retry_after=retry_after if retry_after is not None else _DEFAULT_RETRY_AFTER_S,
    )


def _refused(error: KGenError) -> PlatformFailure:
    # A 4xx here is the broker's problem (client credentials, a platform change), not
    # the player's: log it fully for the operator, tell the caller only the kind.
    logger.error("the platform refused to mint a session: %s", error)
    status = getattr(error, "status", None)
    detail = f"status {status}" if status else type(error).__name__
    return PlatformFailure(
        wire.PLATFORM_ERROR, f"the KGeN platform refused to create the session ({detail})"
    )
