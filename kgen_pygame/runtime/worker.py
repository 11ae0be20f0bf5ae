"""The call worker: bootstrap on launch, then one API call at a time.

The game thread only calls :meth:`CallWorker.submit`, a non-blocking put.
Results travel back through the :class:`~kgen_pygame.runtime.calls.Inbox`
and are settled inside ``KGen.update()``.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kgen_pygame.errors import (
    AuthenticationError,
    ConfigurationError,
    KGenError,
    UsageError,
)
from kgen_pygame.runtime.backoff import Backoff
from kgen_pygame.runtime.calls import Call
from kgen_pygame.runtime.core import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    Endpoint,
    Runtime,
)

if TYPE_CHECKING:
    from kgen_pygame.api import KGenClient
    from kgen_pygame.models import Session
    from kgen_pygame.runtime.credentials import CredentialStore

logger = logging.getLogger(__name__)

#: ``operation(client, token)``; runs on the worker thread.
Operation = Callable[["KGenClient", str], Any]


@dataclass(order=True, slots=True)
class _Scheduled:
    due: float
    order: int
    action: Callable[[], None] = field(compare=False)


@dataclass(slots=True)
class Job:
    """One queued API operation and the :class:`Call` it settles."""

    operation: Operation
    call: Call[Any]
    needs_session: bool = True


class Hooks:
    """What the worker tells the game thread about (all run via the inbox)."""

    def session_ready(self, session: Session, sandbox: bool) -> None:
        """A session is available."""

    def session_failed(self, error: KGenError, retrying: bool) -> None:
        """Bootstrap failed."""

    def refreshed(self, name: str, value: Any) -> None:
        """A background refresh produced ``value`` for ``name``."""


class CallWorker(threading.Thread):
    """Worker thread for the session bootstrap and the overlays' API calls."""

    def __init__(
        self,
        runtime: Runtime,
        hooks: Hooks,
        open_store: Callable[[Endpoint], tuple[CredentialStore, str]],
    ) -> None:
        super().__init__(name="kgen-call-worker", daemon=True)
        self._runtime = runtime
        self._hooks = hooks
        self._open_store = open_store
        self._jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._timers: list[_Scheduled] = []
        self._order = itertools.count()
        self._client: KGenClient | None = None
        self._backoff = Backoff(base_s=1.0, factor=2.0, max_s=60.0)
        self._bootstrap_attempts = 0
        self._refreshers: dict[str, Operation] = {}

    # -- game thread -------------------------------------------------------

    def submit(self, job: Job) -> None:
        """Queue a job (non-blocking)."""
        self._jobs.put(job)

    def stop(self) -> None:
        """Ask the thread to finish after the current job."""
        self._runtime.stopping.set()
        self._jobs.put(None)

    def refresh_session(self) -> None:
        """Queue a new bootstrap after a 401 (callable from any thread)."""
        self.submit(Job(lambda client, token: None, Call("re-bootstrap")))

    def add_refresher(self, name: str, operation: Operation) -> None:
        """Register a periodic refresh (call before :meth:`start`)."""
        self._refreshers[name] = operation

    def refresh_now(self, *names: str) -> None:
        """Queue an immediate refresh of ``names`` (all when empty)."""
        for name in names or tuple(self._refreshers):
            operation = self._refreshers.get(name)
            if operation is not None:
                self.submit(Job(operation, _RefreshCall(name, self._runtime, self._hooks)))

    # -- worker thread -----------------------------------------------------

    def run(self) -> None:
        try:
            self._resolve_endpoint()
        except KGenError as error:
            self._report_failure(error, retrying=False)
            self._drain_failing(error)
            return
        except Exception as error:
            logger.exception("starting the KGeN runtime failed")
            failure = UsageError(f"the KGeN runtime could not start ({type(error).__name__})")
            self._report_failure(failure, retrying=False)
            self._drain_failing(failure)
            return
        self._schedule(0.0, self._start_session)
        while not self._runtime.stopping.is_set():
            timeout = self._run_due_timers()
            try:
                job = self._jobs.get(timeout=timeout)
            except queue.Empty:
                continue
            if job is None:
                break
            self._execute(job)
        self._close()

    def _resolve_endpoint(self) -> None:
        runtime = self._runtime
        config = runtime.config
        from kgen_pygame.runtime.session import SessionManager

        if config.base_url is None:
            from kgen_pygame.sandbox import SandboxConfig, SandboxServer

            data_dir = config.resolved_data_dir()
            data_dir.mkdir(parents=True, exist_ok=True)
            sandbox = SandboxServer(SandboxConfig(db_path=data_dir / "sandbox.sqlite3"))
            base_url = sandbox.start()
            runtime.sandbox = sandbox
            logger.info("embedded KGeN sandbox listening on %s", base_url)
            endpoint = Endpoint(
                base_url,
                config.client_id or SANDBOX_CLIENT_ID,
                config.client_secret or SANDBOX_CLIENT_SECRET,
                sandbox=True,
            )
        else:
            endpoint = Endpoint(
                config.base_url.rstrip("/"), config.client_id, config.client_secret, sandbox=False
            )
        runtime.endpoint = endpoint
        self._client = runtime.new_client()
        store, key = self._open_store(endpoint)
        runtime.session = SessionManager(
            gamer_id=runtime.gamer_id,
            store=store,
            store_key=key,
            provider=config.session_provider,
            profile=config.profile,
        )
        runtime.endpoint_ready.set()

    def _start_session(self) -> None:
        runtime = self._runtime
        assert runtime.session is not None and self._client is not None
        try:
            session = runtime.session.ensure(self._client)
        except (AuthenticationError, ConfigurationError) as error:
            # Wrong credentials or provider: retrying would only repeat it.
            self._report_failure(error, retrying=False)
            return
        except KGenError as error:
            self._bootstrap_attempts += 1
            delay = self._backoff.delay(self._bootstrap_attempts, error_retry_after(error))
            self._report_failure(error, retrying=True)
            self._schedule(delay, self._start_session)
            return
        self._bootstrap_attempts = 0
        runtime.session_ready.set()
        endpoint = runtime.endpoint
        hooks = self._hooks
        sandbox = bool(endpoint and endpoint.sandbox)
        runtime.inbox.put(lambda: hooks.session_ready(session, sandbox))
        self.refresh_now()
        self._schedule(runtime.config.refresh_interval_s, self._periodic_refresh)

    def _periodic_refresh(self) -> None:
        self.refresh_now()
        self._schedule(self._runtime.config.refresh_interval_s, self._periodic_refresh)

    def _execute(self, job: Job) -> None:
        runtime = self._runtime
        client = self._client
        if client is None or runtime.session is None:
            runtime.inbox.settle(job.call, None, UsageError("the KGeN runtime is not running"))
            return
        token = ""
        try:
            if job.needs_session:
                token = runtime.session.ensure(client).token
            try:
                result = job.operation(client, token)
            except AuthenticationError:
                if not job.needs_session:
                    raise
                runtime.session.invalidate(token)
                token = runtime.session.ensure(client).token
                result = job.operation(client, token)
        except KGenError as error:
            runtime.inbox.settle(job.call, None, error)
            return
        except Exception as error:
            logger.exception("a KGeN operation (%s) failed unexpectedly", job.call.label)
            runtime.inbox.settle(
                job.call, None, UsageError(f"{job.call.label} failed ({type(error).__name__})")
            )
            return
        runtime.inbox.settle(job.call, result, None)

    def _report_failure(self, error: KGenError, *, retrying: bool) -> None:
        if not retrying:
            self._runtime.failed.set()
        hooks = self._hooks
        self._runtime.inbox.put(lambda: hooks.session_failed(error, retrying))

    def _drain_failing(self, error: KGenError) -> None:
        # The runtime could not start: fail every queued and future job fast.
        while not self._runtime.stopping.is_set():
            job = self._jobs.get()
            if job is None:
                break
            self._runtime.inbox.settle(job.call, None, error)

    def _schedule(self, delay_s: float, action: Callable[[], None]) -> None:
        heapq.heappush(
            self._timers, _Scheduled(time.monotonic() + delay_s, next(self._order), action)
        )

    def _run_due_timers(self) -> float:
        now = time.monotonic()
        while self._timers and self._timers[0].due <= now:
            action = heapq.heappop(self._timers).action
            try:
                action()
            except Exception:
                logger.exception("a scheduled KGeN task failed")
            now = time.monotonic()
        return min(self._timers[0].due - now, 1.0) if self._timers else 1.0

    def _close(self) -> None:
        if self._client is not None:
            self._client.close()


class _RefreshCall(Call[Any]):
    """A call whose result goes to the game-thread state instead of a caller."""

    __slots__ = ("_hooks", "_name")

    def __init__(self, name: str, runtime: Runtime, hooks: Hooks) -> None:
        super().__init__(f"refresh {name}")
        self._name = name
        self._hooks = hooks

    def _settle(self, result: Any, error: KGenError | None) -> None:
        super()._settle(result, error)
        if error is None:
            self._hooks.refreshed(self._name, result)
        else:
            logger.debug("refresh of %s failed: %s", self._name, error)


def error_retry_after(error: KGenError) -> float | None:
    """The server's Retry-After for ``error``, when it gave one."""
    value = getattr(error, "retry_after", None)
    return float(value) if isinstance(value, int | float) else None
