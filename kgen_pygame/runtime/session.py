"""Session bootstrap: reuse a stored token, or mint one, and keep it current.

Runs only on worker threads (it talks to the network and the keyring). The
game thread learns about sessions through the inbox. One lock makes the
bootstrap single-flight: two threads that both saw a 401 mint one session.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from kgen_pygame.errors import (
    AuthenticationError,
    ConfigurationError,
    KGenError,
    NetworkError,
    ProtocolError,
)
from kgen_pygame.models import Session
from kgen_pygame.runtime.credentials import CredentialStore, TokenRecord

if TYPE_CHECKING:
    from kgen_pygame.api import KGenClient
    from kgen_pygame.config import SessionProvider

logger = logging.getLogger(__name__)

# A token this close to its expiry is replaced before use (a 401 is handled
# transparently anyway, so the margin only saves a round trip).
_EXPIRY_MARGIN = timedelta(seconds=2)


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
    ) -> None:
        self.gamer_id = gamer_id
        self._store = store
        self._store_key = store_key
        self._provider = provider
        self._profile = dict(profile)
        self._lock = threading.Lock()
        self._session: Session | None = None
        #: Set whenever a session becomes available; waiters re-check the token.
        self.changed = threading.Event()

    def current(self) -> Session | None:
        """The session in use, or None (never blocks)."""
        return self._session

    def current_token(self) -> str | None:
        """The token in use, or None (never blocks)."""
        session = self._session
        return None if session is None else session.token

    def ensure(self, client: KGenClient) -> Session:
        """Return a usable session, bootstrapping one if needed (worker threads only)."""
        session = self._session
        if session is not None and not _expiring(session.expires_at):
            return session
        with self._lock:
            session = self._session
            if session is not None and not _expiring(session.expires_at):
                return session
            session = self._bootstrap(client)
            self._session = session
            self.changed.set()
            return session

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
        if session is None:
            return
        from dataclasses import replace

        self._session = replace(
            session, linked_phone=linked_phone, kgen_wallet_address=kgen_wallet
        )

    def _bootstrap(self, client: KGenClient) -> Session:
        stored = self._load_stored()
        if stored is not None:
            try:
                session = client.get_session(stored.token)
                logger.info("reusing the stored KGeN session")
                return _with_expiry(session, stored.expires_at)
            except AuthenticationError:
                logger.info("the stored KGeN session expired or was revoked")
                self._forget_stored()
            except (NetworkError, ProtocolError) as error:
                # Offline launch: keep the stored token; the first call that
                # reaches the server tells us whether it is still good.
                logger.info("platform unreachable (%s); using the stored session", error)
                return Session(
                    token=stored.token,
                    session_id=stored.session_id or "",
                    gamer_id=self.gamer_id,
                    wallet_address=stored.wallet_address or "",
                    started_at=None,
                    expires_at=stored.expires_at,
                    linked_phone=None,
                    kgen_wallet_address=None,
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
        if isinstance(provided, str):
            token = provided
        elif isinstance(provided, Mapping):
            token = str(provided.get("token") or provided.get("access_token") or "")
        else:
            raise ConfigurationError(
                "the session_provider must return a token string or a session mapping"
            )
        if not token:
            raise ConfigurationError("the session_provider returned an empty token")
        return client.get_session(token)

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


def _expiring(expires_at: datetime | None) -> bool:
    return expires_at is not None and expires_at - _EXPIRY_MARGIN <= datetime.now(UTC)


def _with_expiry(session: Session, expires_at: datetime | None) -> Session:
    if session.expires_at is not None or expires_at is None:
        return session
    from dataclasses import replace

    return replace(session, expires_at=expires_at)
