"""The call worker: session bootstrap on launch, then API calls, each on a pool thread.

The game thread only calls :meth:`CallWorker.run` (a non-blocking submit that returns
a :class:`~kgen_pygame.runtime.calls.Call`) and :meth:`CallWorker.refresh`. Results go
back through the :class:`~kgen_pygame.runtime.notifier.Notifier` and are settled inside
``KGen.update()``. Every call has a deadline there, so the player hears back even if a
request is stuck; the scheduler runs calls side by side, so one stuck request never
holds the others; and a failed bootstrap fails the calls queued behind it at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from kgen_pygame.api.protocol import Capability, capabilities_of
from kgen_pygame.errors import AuthenticationError, ConfigurationError, InternalError, KGenError
from kgen_pygame.runtime.calls import Call
from kgen_pygame.runtime.gcpolicy import after_reply
from kgen_pygame.runtime.notifier import Refreshed, SessionFailed, SessionReady
from kgen_pygame.schedule import TournamentSchedule

if TYPE_CHECKING:
    from kgen_pygame.api import KGenClient
    from kgen_pygame.models import Session
    from kgen_pygame.runtime.core import Endpoint, Runtime
    from kgen_pygame.runtime.credentials import CredentialStore
    from kgen_pygame.runtime.scheduler import Scheduler

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: ``operation(client, token)``; runs on a worker thread.
Operation = Callable[["KGenClient", str], T]
#: Opens the credential store for an endpoint: ``(store, key)`` (worker thread).
StoreOpener = Callable[["Endpoint"], "tuple[CredentialStore, str]"]

#: What the background refreshes fetch, and the capability each needs (None: always).
REFRESHES: dict[str, tuple[Operation[Any], Capability | None]] = {
    "rewards": (lambda c, t: c.rewards(t), None),
    "balance": (lambda c, t: c.wallet_balance(t), None),
    # Indexed on the worker thread: see kgen_pygame.schedule.
    "tournaments": (lambda c, t: TournamentSchedule(c.active_tournaments(t)), None),
    "joined": (lambda c, t: c.joined_tournaments(t), None),
    "linked": (lambda c, t: c.linked_account(t), "linked_account"),
    "earned": (lambda c, t: c.earned_rewards(t), "loyalty"),
}


class CallWorker:
    """Bootstraps the session and runs calls for the facade, the actions and the panels."""

    def __init__(self, runtime: Runtime, scheduler: Scheduler, open_store: StoreOpener) -> None:
        self._runtime = runtime
        self._scheduler = scheduler
        self._open_store = open_store
        self._refreshes: dict[str, Operation[Any]] = {}
        self._periodic_started = False

    # -- game thread ----------------------------------------------------------------

    def start(self) -> None:
        """Resolve the endpoint and bootstrap the session, in the background."""
        self._scheduler.submit(self._start)

    def run(
        self,
        label: str,
        operation: Operation[T],
        *,
        needs_session: bool = True,
        timeout_s: float | None = None,
        ambiguous_401: bool = False,
    ) -> Call[T]:
        """Queue ``operation`` (never blocks); the result arrives in ``update()``.

        ``ambiguous_401``: the call's 401 may be about what the player typed rather
        than the session (the current generation documents only 401 for a wrong
        one-time code, C15), so the session is checked before it is replaced.
        """
        timeout = self._runtime.config.call_timeout_s if timeout_s is None else timeout_s
        call: Call[T] = Call(label, timeout_s=timeout)
        notifier = self._runtime.notifier
        notifier.watch(call)
        if self._scheduler.stopping:
            notifier.settle(call, None, _closed())
            return call
        self._scheduler.submit(
            partial(self._execute, call, operation, needs_session, ambiguous_401)
        )
        return call

    def refresh(self, *names: str) -> None:
        """Refresh what the HUD and panels show (all when ``names`` is empty)."""
        for name in names or tuple(self._refreshes):
            operation = self._refreshes.get(name)
            if operation is not None:
                self._scheduler.submit(partial(self._refresh, name, operation))

    def bootstrap(self) -> None:
        """Make a new session now (after the sender saw the token rejected)."""
        self._scheduler.submit(self._bootstrap)

    # -- worker threads --------------------------------------------------------------------

    def _start(self) -> None:
        runtime = self._runtime
        try:
            endpoint = runtime.resolve_endpoint()
            store, key = self._open_store(endpoint)
            from kgen_pygame.runtime.session import SessionManager

            runtime.session = SessionManager(
                gamer_id=runtime.gamer_id,
                store=store,
                store_key=key,
                provider=runtime.session_provider(store),
                profile=runtime.config.profile,
                on_ready=self._session_ready,
                on_failed=self._session_failed,
            )
            offered = capabilities_of(runtime.generation)
            self._refreshes = {
                name: operation
                for name, (operation, capability) in REFRESHES.items()
                if capability is None or capability in offered
            }
        except ConfigurationError as error:
            runtime.fatal_error = error
            runtime.notifier.send(SessionFailed(error, retrying=False))
            return
        except Exception as error:
            logger.exception("starting the KGeN runtime failed")
            failure = ConfigurationError(
                f"the KGeN runtime could not start ({type(error).__name__}); see the log"
            )
            runtime.fatal_error = failure
            runtime.notifier.send(SessionFailed(failure, retrying=False))
            return
        finally:
            runtime.endpoint_ready.set()
        self._bootstrap()

    def _bootstrap(self) -> None:
        runtime = self._runtime
        session = runtime.session
        if session is None or self._scheduler.stopping:
            return
        try:
            session.ensure(runtime.client(), player_asked=True)
        except KGenError:
            if session.setup_problem is None:
                self._scheduler.call_later(session.retry_in(), self._bootstrap)

    def _session_ready(self, session: Session) -> None:
        runtime = self._runtime
        endpoint = runtime.endpoint
        sandbox = bool(endpoint and endpoint.embedded_sandbox) or runtime.client().talks_to_sandbox
        runtime.notifier.send(SessionReady(session, sandbox))
        self.refresh()
        if not self._periodic_started:
            self._periodic_started = True
            self._scheduler.call_later(runtime.config.refresh_interval_s, self._periodic)

    def _session_failed(self, error: KGenError, retrying: bool) -> None:
        self._runtime.notifier.send(SessionFailed(error, retrying))

    def _periodic(self) -> None:
        self.refresh()
        self._scheduler.call_later(self._runtime.config.refresh_interval_s, self._periodic)

    def _refresh(self, name: str, operation: Operation[Any]) -> None:
        try:
            value = self._call(operation, needs_session=True, player_asked=False)
        except KGenError as error:
            logger.debug("refresh of %s failed: %s", name, error)
            return
        except Exception:
            logger.exception("refresh of %s failed unexpectedly", name)
            return
        after_reply(value)
        self._runtime.notifier.send(Refreshed(name, value))

    def _execute(
        self, call: Call[T], operation: Operation[T], needs_session: bool, ambiguous_401: bool
    ) -> None:
        notifier = self._runtime.notifier
        try:
            result = self._call(
                operation,
                needs_session=needs_session,
                player_asked=True,
                ambiguous_401=ambiguous_401,
            )
        except KGenError as error:
            notifier.settle(call, None, error)
            return
        except Exception as error:
            logger.exception("a KGeN operation (%s) failed unexpectedly", call.label)
            notifier.settle(
                call,
                None,
                InternalError(f"{call.label} failed inside kgen_pygame ({type(error).__name__})"),
            )
            return
        after_reply(result)
        notifier.settle(call, result, None)

    def _call(
        self,
        operation: Operation[T],
        *,
        needs_session: bool,
        player_asked: bool,
        ambiguous_401: bool = False,
    ) -> T:
        runtime = self._runtime
        client = runtime.client()  # waits for the start-up to finish
        if not needs_session:
            return operation(client, "")
        session = runtime.session
        if session is None:
            raise runtime.fatal_error or _closed()
        token = session.ensure(client, player_asked=player_asked).token
        try:
            return operation(client, token)
        except AuthenticationError:
            if ambiguous_401 and _session_still_works(client, token):
                raise  # the refusal was about the call's input, not the session
            # The token expired or was revoked: make a new session once, silently.
            session.invalidate(token)
            token = session.ensure(client, player_asked=True).token
            return operation(client, token)


def _session_still_works(client: KGenClient, token: str) -> bool:
    """A cheap documented read with the same token: True when it is accepted."""
    try:
        client.wallet_balance(token)
    except AuthenticationError:
        return False
    except KGenError:
        return True  # unreachable or failing now: do not throw a session away over it
    return True


def _closed() -> KGenError:
    from kgen_pygame.errors import UsageError

    return UsageError("KGen is closed")
