"""The game's side of the session broker: a ready ``session_provider``.

::

    from kgen_pygame.broker_client import BrokerSessionProvider
    from kgen_pygame.runtime.credentials import open_credential_store

    provider = BrokerSessionProvider("https://broker.example.com", open_credential_store(),
                                     game_id="my-game")
    kgen = KGen(game_id="my-game", base_url="https://platform.example.com",
                session_provider=provider)

The game then carries no client secret. On first use the provider makes a
*device key* (32 random bytes) and keeps it in the credential store (system
keyring, else the 0600 token file), under a name derived from ``game_id``.
Every session request sends that key with a fresh timestamp and nonce to
``POST /v1/session``; the broker derives the player's user id from it. Lose
the key (a new machine, a wiped profile) and the player starts as a new
player: it is the player's identity, so treat it like a password.

Games with their own login pass ``ticket=`` (a callable returning the current
login ticket) instead; no device key is made then.

The provider is called by the plugin's session manager on a worker thread,
never the game thread. It raises only :mod:`kgen_pygame.errors`: a broker
that cannot be reached, or answers 429 / 5xx, gives the retryable error the
plugin backs off on; a ticket the broker refuses is an
``AuthenticationError``; any other refusal is a ``ConfigurationError`` (a
retry would repeat it). The device key, the ticket and the token are
registered for redaction, so they never reach a log line.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from kgen_pygame.broker import wire
from kgen_pygame.errors import (
    ConfigurationError,
    InvalidRequestError,
    ProtocolError,
)
from kgen_pygame.redact import register_secret

if TYPE_CHECKING:
    from kgen_pygame.api.transport import Timeout, Transport
    from kgen_pygame.runtime.credentials import CredentialStore

__all__ = ["BrokerSessionProvider", "device_key_name"]

logger = logging.getLogger(__name__)

_OPERATION = f"POST {wire.SESSION_PATH}"
_memory_warning_lock = threading.Lock()
_memory_warned = False


def device_key_name(game_id: str) -> str:
    """The credential-store key of a game's device key (a hash: it names no game)."""
    digest = hashlib.sha256(f"kgen-device-key-v1\0{game_id}".encode()).hexdigest()
    return "device-key-" + digest[:40]


class BrokerSessionProvider:
    """A ``session_provider`` that gets each session from a kgen-broker.

    Args:
        broker_url: where the broker lives (``https://``; ``http://`` only for
            loopback unless *allow_insecure_http*).
        store: where the device key is kept (:func:`~kgen_pygame.runtime.
            credentials.open_credential_store`); unused with *ticket*.
        game_id: names the device key in the store, so two games on one
            machine have two identities.
        ticket: for games with their own login: returns the current login
            ticket; replaces the device key.
        profile: display fields for the session (``username``, ``name``,
            ``playertag``, ``level``, ``rank``).
        timeout: seconds, or ``(connect, read)``, for each request.
    """

    def __init__(
        self,
        broker_url: str,
        store: CredentialStore | None = None,
        *,
        game_id: str = "pygame-game",
        ticket: Callable[[], str] | None = None,
        profile: Mapping[str, object] | None = None,
        timeout: Timeout = (3.05, 10.0),
        allow_insecure_http: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        from kgen_pygame.api.transport import check_base_url, check_timeout

        self.broker_url = check_base_url(broker_url, allow_insecure_http=allow_insecure_http)
        if store is None and ticket is None:
            raise ConfigurationError("BrokerSessionProvider needs a credential store or a ticket")
        unknown = sorted(set(profile or {}) - wire.PROFILE_FIELDS)
        if unknown:
            raise ConfigurationError(
                f"profile field(s) {', '.join(unknown)} cannot be set through the broker; "
                f"allowed: {', '.join(sorted(wire.PROFILE_FIELDS))}"
            )
        self._store = store
        self._key_name = device_key_name(game_id)
        self._ticket = ticket
        self._profile = dict(profile or {})
        self._timeout = check_timeout(timeout)
        self._allow_insecure_http = allow_insecure_http
        self._clock = clock
        self._clock_offset_s = 0
        self._transport: Transport | None = None
        self._lock = threading.Lock()
        #: The user id the broker named in its last reply (not a secret).
        self.user_id: str | None = None

    def __repr__(self) -> str:
        mode = "ticket" if self._ticket is not None else "device key"
        return f"<BrokerSessionProvider {self.broker_url} ({mode})>"

    def __call__(self, gamer_id: str) -> dict[str, Any]:
        """A fresh session from the broker; *gamer_id* is not sent (the broker names the player)."""
        with self._lock:
            identity = self._identity()
            try:
                reply = self._request(identity)
            except InvalidRequestError as error:
                server_time = error.details.get("server_time")
                if error.code != wire.STALE_REQUEST or not isinstance(server_time, int):
                    raise self._refused(error) from None
                # The player's clock is off: go by the broker's and try once more.
                self._clock_offset_s = server_time - int(self._clock())
                logger.info("this machine's clock is %+d s off the broker's", -self._clock_offset_s)
                try:
                    reply = self._request(identity)
                except InvalidRequestError as again:
                    raise self._refused(again) from None
            return self._session(reply)

    def close(self) -> None:
        """Release the connection to the broker."""
        with self._lock:
            if self._transport is not None:
                self._transport.close()
                self._transport = None

    # -- internals ---------------------------------------------------------------

    def _identity(self) -> dict[str, str]:
        if self._ticket is not None:
            ticket = self._ticket()
            if not isinstance(ticket, str) or not ticket:
                raise ConfigurationError("the ticket callable returned no ticket")
            register_secret(ticket)
            return {"ticket": ticket}
        return {"device_key": self._device_key()}

    def _device_key(self) -> str:
        store = self._store
        assert store is not None
        stored = store.load_secret(self._key_name)
        if stored is not None:
            try:
                wire.decode_device_key(stored)
            except wire.WireFormatError:
                logger.warning("the stored device key is damaged; making a new one")
                stored = None
        if stored is not None:
            register_secret(stored)
            return stored
        fresh = wire.new_device_key()
        register_secret(fresh)
        store.save_secret(self._key_name, fresh)
        # Another process of the same game may have saved its key first: use what is stored.
        kept = store.load_secret(self._key_name) or fresh
        register_secret(kept)
        if store.kind == "memory":
            _warn_memory_store_once()
        logger.info("made this install's device key (kept in the %s store)", store.kind)
        return kept

    def _request(self, identity: Mapping[str, str]) -> object:
        body: dict[str, object] = {
            **identity,
            "timestamp": int(self._clock()) + self._clock_offset_s,
            "nonce": wire.new_nonce(),
        }
        if self._profile:
            body["profile"] = self._profile
        return self._connection().request(
            "POST", wire.SESSION_PATH, operation=_OPERATION, body=body
        )

    def _connection(self) -> Transport:
        if self._transport is None or self._transport.closed:
            from kgen_pygame.api.transport import Transport

            self._transport = Transport(
                self.broker_url,
                timeout=self._timeout,
                allow_insecure_http=self._allow_insecure_http,
                user_agent="kgen-pygame-broker-client",
            )
        return self._transport

    def _refused(self, error: InvalidRequestError) -> ConfigurationError:
        return ConfigurationError(f"the KGeN broker refused the session request: {error}")

    def _session(self, reply: object) -> dict[str, Any]:
        if not isinstance(reply, dict):
            raise ProtocolError(f"{_OPERATION} answered something other than a JSON object")
        token = reply.get("token")
        if not isinstance(token, str) or not token:
            raise ProtocolError(f"{_OPERATION} answered without a token")
        register_secret(token)
        user_id = reply.get("user_id")
        self.user_id = user_id if isinstance(user_id, str) else None
        return dict(reply)


def _warn_memory_store_once() -> None:
    global _memory_warned
    with _memory_warning_lock:
        if _memory_warned:
            return
        _memory_warned = True
    logger.warning(
        "the device key is kept in memory only (no keyring, token file switched off): "
        "this player becomes a new KGeN player on the next launch"
    )
