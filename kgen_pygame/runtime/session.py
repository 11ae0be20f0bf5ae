"""Session bootstrap: reuse a stored token, or mint one, and keep it current.

Runs only on worker threads (it talks to the network and the keyring); the game hears
of sessions through the :class:`~kgen_pygame.runtime.notifier.Notifier`.

One lock makes the bootstrap single-flight, and an attempt's outcome is shared: calls
that queued behind a bootstrap that failed get its error at once instead of each
repeating it with the full timeout, and background refreshes do not try again before
the retry time. A call the player asked for (a panel opening, Retry) may start a new
attempt. Renewal is always a new session, made directly or through the session
provider: no refresh endpoint is documented on any generation (C1 in the catalogue).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from kgen_pygame.errors import (
    AuthenticationError,
    ConfigurationError,
    KGenError,
    NetworkError,
    ProtocolError,
    ServerError,
)
from kgen_pygame.models import Session
from kgen_pygame.runtime.backoff import Backoff
from kgen_pygame.runtime.credentials import CredentialStore, TokenRecord

if TYPE_CHECKING:
    from kgen_pygame.api import KGenClient
    from kgen_pygame.config import SessionProvider

logger = logging.getLogger(__name__)

# A token this close to its expiry is replaced before use (a 401 is handled
# transparently anyway, so the margin only saves a round trip).
_EXPIRY_MARGIN = timedelta(seconds=2)
#: Waits between automatic bootstrap attempts after a failure.
BOOTSTRAP_BACKOFF = Backoff(base_s=2.0, factor=2.0, max_s=120.0)

#: Told when a session becomes available (after none, or after a failure).
ReadyListener = Callable[[Session], None]
#: Told when an attempt failed; ``retrying`` is False for a setup problem.
FailedListener = Callable[[KGenError, bool], None]


class SessionManager:
    """Holds the current session and knows how to get a new one."""

    def __init__(
        self,
        *,
        gamer_id: str,
        store: CredentialStore,
        store_key: str,
        provider: SessionProvider | None,
        profile: Mapping[str, Any],
        on_ready: ReadyListener,
        on_failed: FailedListener,
    ) -> None:
        self.gamer_id = gamer_id
        self._store = store
        self._store_key = store_key
        self._provider = provider
        self._profile = dict(profile)
        self._on_ready = on_ready
        self._on_failed = on_failed
        self._lock = threading.Lock()
        self._session: Session | None = None
        self._attempts = 0
        self._failures = 0
        self._last_error: KGenError | None = None
        self._retry_at = 0.0
        #: Set whenever a session is available; cleared when it is invalidated.
        self.changed = threading.Event()

    def current(self) -> Session | None:
        """The session in use, or None (never blocks)."""
        return self._session

    def current_token(self) -> str | None:
        """The token in use, or None (never blocks)."""
        session = self._session
        return None if session is None else session.token

    @property
    def setup_problem(self) -> KGenError | None:
        """The last failure when retrying cannot fix it (wrong credentials or provider)."""
        error = self._last_error
        return error if error is not None and not _retrying_helps(error) else None

    def retry_in(self) -> float:
        """Seconds until background work may try a bootstrap again (0: now)."""
        return max(0.0, self._retry_at - time.monotonic())

    def ensure(self, client: KGenClient, *, player_asked: bool = False) -> Session:
        """A usable session, bootstrapping one if needed (worker threads only).

        ``player_asked`` (a panel opening, a Retry) may start a new attempt before the
        retry time; background work gets the last failure at once instead.
        """
        session = self._session
        if session is not None and not _expiring(session.expires_at):
            return session
        seen = self._attempts
        with self._lock:
            session = self._session
            if session is not None and not _expiring(session.expires_at):
                return session
            error = self._last_error
            if error is not None:
                if self._attempts != seen:
                    raise error  # an attempt failed while we waited: share its outcome
                if not _retrying_helps(error):
                    raise error  # a setup problem: only a new configuration helps
                if not player_asked and time.monotonic() < self._retry_at:
                    raise error
            return self._attempt(client)

    def invalidate(self, token: str) -> None:
        """Forget ``token`` after the server rejected it (if it is still current)."""
        with self._lock:
            if self._session is not None and self._session.token == token:
                logger.info("session token rejected by the server; a new session will be made")
                self._session = None
                self.changed.clear()
                self._forget_stored()

    def update_linked(self, linked_phone: str | None, kgen_wallet: str | None) -> None:
        """Record that the wallet got linked (after a successful OTP verify)."""
        session = self._session
        if session is not None:
            self._session = replace(
                session, linked_phone=linked_phone, kgen_wallet_address=kgen_wallet
            )

    # -- one attempt, under the lock ----------------------------------------------------

    def _attempt(self, client: KGenClient) -> Session:
        had_session = self._last_error is None and self._attempts > 0
        self._attempts += 1
        try:
            session = self._bootstrap(client)
        except KGenError as error:
            self._failures += 1
            self._last_error = error
            retrying = _retrying_helps(error)
            self._retry_at = time.monotonic() + BOOTSTRAP_BACKOFF.delay(
                self._failures, getattr(error, "retry_after", None)
            )
            self._notify_failed(error, retrying)
            raise
        recovered = self._last_error is not None or not had_session
        self._failures = 0
        self._last_error = None
        self._session = session
        self.changed.set()
        if recovered:
            self._notify_ready(session)
        return session

    def _bootstrap(self, client: KGenClient) -> Session:
        stored = self._load_stored()
        if stored is not None:
            try:
                session = client.get_session(stored.token)
                logger.info("reusing the stored KGeN session")
                return _with_stored_fields(session, stored)
            except AuthenticationError:
                logger.info("the stored KGeN session expired or was revoked")
                self._forget_stored()
            except (NetworkError, ProtocolError, ServerError) as error:
                # Offline launch: keep the stored token; the first call that reaches
                # the server tells us whether it is still good.
                logger.info("KGeN unreachable (%s); using the stored session", error)
                return Session(
                    token=stored.token,
                    session_id=stored.session_id or "",
                    gamer_id=self.gamer_id,
                    wallet_address=stored.wallet_address or "",
                    started_at=None,
                    expires_at=stored.expires_at,
                    linked_phone=None,
                    kgen_wallet_address=None,
                    refresh_token=stored.refresh_token,
                )
        session = self._mint(client)
        self._save(session)
        return session

    def _mint(self, client: KGenClient) -> Session:
        if self._provider is None:
            return client.create_session(self.gamer_id, **self._profile)
        try:
            provided = self._provider(self.gamer_id)
        except KGenError:
            raise
        except Exception as error:
            # The provider is the game's own code; say so without its details,
            # which may carry secrets of the game's backend.
            raise ConfigurationError(
                f"the session_provider raised {type(error).__name__}; see the game's logs"
            ) from None
        token = _provided_token(provided)
        session = client.get_session(token)
        return _with_provided_fields(session, provided)

    def _load_stored(self) -> TokenRecord | None:
        try:
            record = self._store.load(self._store_key)
        except Exception as error:  # a broken keyring must never stop the game
            logger.warning("could not read the stored session (%s)", type(error).__name__)
            return None
        if record is None or record.gamer_id != self.gamer_id:
            return None
        if _expiring(record.expires_at):
            return None
        return record

    def _save(self, session: Session) -> None:
        record = TokenRecord(
            token=session.token,
            expires_at=session.expires_at,
            gamer_id=self.gamer_id,
            session_id=session.session_id,
            wallet_address=session.wallet_address,
            refresh_token=session.refresh_token,
        )
        try:
            self._store.save(self._store_key, record)
        except Exception as error:
            logger.warning("could not store the session (%s)", type(error).__name__)

    def _forget_stored(self) -> None:
        try:
            self._store.delete(self._store_key)
        except Exception as error:
            logger.warning("could not delete the stored session (%s)", type(error).__name__)

    def _notify_ready(self, session: Session) -> None:
        try:
            self._on_ready(session)
        except Exception:
            logger.exception("reporting a new KGeN session failed")

    def _notify_failed(self, error: KGenError, retrying: bool) -> None:
        try:
            self._on_failed(error, retrying)
        except Exception:
            logger.exception("reporting a KGeN session failure failed")


def _retrying_helps(error: KGenError) -> bool:
    """False for a setup problem: rejected credentials or a broken session provider."""
    return not isinstance(error, AuthenticationError | ConfigurationError)


def _provided_token(provided: object) -> str:
    if isinstance(provided, str):
        token = provided
    elif isinstance(provided, Mapping):
        value = provided.get("token") or provided.get("access_token") or ""
        token = value if isinstance(value, str) else ""
    else:
        raise ConfigurationError(
            "the session_provider must return a token string or a session mapping"
        )
    if not token.strip():
        raise ConfigurationError("the session_provider returned an empty token")
    return token


def _with_provided_fields(session: Session, provided: object) -> Session:
    """Fill what the API's own answer lacks from the provider's mapping.

    The current generation has no GET session, so a token alone tells no player id;
    the session broker (and most game backends) return ``user_id``, ``session_id`` and
    ``wallet_address`` beside the token.
    """
    if not isinstance(provided, Mapping):
        return session
    changes: dict[str, Any] = {}
    for field_name, keys in (
        ("gamer_id", ("user_id", "gamer_id")),
        ("session_id", ("session_id",)),
        ("wallet_address", ("wallet_address",)),
    ):
        if getattr(session, field_name):
            continue
        for key in keys:
            value = provided.get(key)
            if isinstance(value, str) and value.strip():
                changes[field_name] = value
                break
    return replace(session, **changes) if changes else session


def _expiring(expires_at: datetime | None) -> bool:
    return expires_at is not None and expires_at - _EXPIRY_MARGIN <= datetime.now(UTC)


def _with_stored_fields(session: Session, stored: TokenRecord) -> Session:
    changes: dict[str, Any] = {}
    if session.expires_at is None and stored.expires_at is not None:
        changes["expires_at"] = stored.expires_at
    if session.refresh_token is None and stored.refresh_token is not None:
        changes["refresh_token"] = stored.refresh_token
    if not session.session_id and stored.session_id:
        changes["session_id"] = stored.session_id
    return replace(session, **changes) if changes else session
