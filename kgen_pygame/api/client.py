"""KGenClient: the typed, blocking client of the KGeN esports API.

Shaped like ``requests``: a small public face over separate parts.

- :mod:`~kgen_pygame.api.validation` checks arguments before anything is sent;
- an *adapter* (:mod:`~kgen_pygame.api.protocol`) speaks one API generation:
  ``api="v1"`` selects :class:`~kgen_pygame.api.v1.V1Adapter` (``/api/v1``).
  The later generation (``/s2s/session`` + ``/fe/...``, with the
  ``user-jwt-token`` header) will be one more adapter class registered in
  ``_ADAPTERS`` under its own name; nothing else here changes;
- :mod:`~kgen_pygame.api.transport` owns the HTTP session, timeouts, TLS and
  the mapping of failures to :mod:`kgen_pygame.errors`;
- :mod:`~kgen_pygame.api.readers` turn responses into :mod:`kgen_pygame.models`.

Every call blocks on the network: run it on a worker thread, never the game
loop. A client is not thread-safe (one ``requests.Session``); give each thread
its own. ``requests`` is imported when the first client is created, not when
this module is imported, so ``import kgen_pygame`` stays cheap.

The session token is passed to every user call, so the caller can swap it
after a re-bootstrap without making a new client.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from kgen_pygame import event_contract
from kgen_pygame.api import jsoncodec, validation
from kgen_pygame.api.body import DEFAULT_MAX_BODY_BYTES
from kgen_pygame.api.deadline import DEFAULT_DEADLINE_S
from kgen_pygame.api.protocol import (
    CAPABILITIES,
    AdapterFactory,
    ApiAdapter,
    Capability,
    ClientCredentials,
)
from kgen_pygame.errors import ConfigurationError, NotSupportedError, UsageError
from kgen_pygame.models import (
    ClaimResult,
    HistoricStat,
    Leaderboard,
    LinkedAccount,
    LoyaltyReward,
    OtpChallenge,
    OtpVerification,
    OutboundEvent,
    Rewards,
    Session,
    Tournament,
    TransactionHistory,
    WalletBalance,
    WithdrawResult,
)
from kgen_pygame.redact import register_secret

if TYPE_CHECKING:
    import requests

    from kgen_pygame.api.transport import Timeout, Transport

__all__ = ["KGenClient", "supported_apis"]

logger = logging.getLogger(__name__)

#: API generation name -> "module:class" of its adapter (imported on first use).
_ADAPTERS: Final[dict[str, str]] = {
    "v1": "kgen_pygame.api.v1:V1Adapter",
    # "fe": "kgen_pygame.api.fe:FeAdapter",  -- the /s2s + /fe generation, later
}


def supported_apis() -> tuple[str, ...]:
    """Names accepted by ``KGenClient(api=...)``."""
    return tuple(_ADAPTERS)


def _adapter_factory(api: str) -> AdapterFactory:
    target = _ADAPTERS.get(api)
    if target is None:
        raise ConfigurationError(
            f"unknown api {api!r}; supported: {', '.join(repr(name) for name in _ADAPTERS)}"
        )
    module_name, _, class_name = target.partition(":")
    factory: AdapterFactory = getattr(importlib.import_module(module_name), class_name)
    return factory


def _generation(api: str) -> event_contract.Generation:
    for name in event_contract.GENERATIONS:
        if name == api:
            return name
    raise ConfigurationError(f"unknown api {api!r}")


def _user_agent() -> str:
    import kgen_pygame

    return f"kgen-pygame/{getattr(kgen_pygame, '__version__', 'dev')}"


class KGenClient:
    """Blocking client of one KGeN deployment.

    Args:
        base_url: where the API lives, e.g. ``"https://platform-api.example.com"``
            or the sandbox's ``"http://127.0.0.1:8123"``. Plain ``http://`` is
            refused for non-loopback hosts unless ``allow_insecure_http=True``.
        client_id: the game's client id (None when the game only has tokens
            minted by its own backend).
        client_secret: the client secret; needed only for :meth:`create_session`.
            When both id and secret are given they are also sent on user calls,
            as the v1 docs show.
        timeout: seconds, or a ``(connect, read)`` pair; every request has one.
        deadline: seconds for a whole request (connect, headers and body), default 8.
        max_body_bytes: the largest response body accepted, default 2 MiB.
        yield_point: called between the decoding steps of a big body (see
            :class:`~kgen_pygame.api.transport.Transport`); None decodes in one call.
        allow_insecure_http: permit ``http://`` to a non-loopback host.
        session: a ``requests.Session`` to use (it is not closed by :meth:`close`).
        api: the API generation; ``"v1"`` (``/api/v1``).

    Raises:
        ConfigurationError: for a bad URL, timeout, api name or credentials.

    Every method raises :class:`~kgen_pygame.errors.KGenError` subclasses only:
    ConfigurationError / UsageError before sending, NetworkError,
    RequestTimeout, ProtocolError or an APIError subclass after.
    """

    def __init__(
        self,
        base_url: str,
        client_id: str | None,
        client_secret: str | None = None,
        *,
        timeout: Timeout = (3.05, 10),
        deadline: float = DEFAULT_DEADLINE_S,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        yield_point: Callable[[], None] | None = jsoncodec.pause,
        allow_insecure_http: bool = False,
        session: requests.Session | None = None,
        api: str = "v1",
    ) -> None:
        if client_id is not None and (not isinstance(client_id, str) or not client_id.strip()):
            raise ConfigurationError("client_id must be a non-empty string or None")
        if client_secret is not None and (
            not isinstance(client_secret, str) or not client_secret.strip()
        ):
            raise ConfigurationError("client_secret must be a non-empty string or None")
        if client_secret is not None and client_id is None:
            raise ConfigurationError("client_secret was given without client_id")
        register_secret(client_secret)
        factory = _adapter_factory(api)
        from kgen_pygame.api.transport import Transport  # imports requests: keep it lazy

        self._transport: Transport = Transport(
            base_url,
            timeout=timeout,
            deadline=deadline,
            max_body_bytes=max_body_bytes,
            yield_point=yield_point,
            allow_insecure_http=allow_insecure_http,
            session=session,
            user_agent=_user_agent(),
        )
        self._credentials = ClientCredentials(client_id, client_secret)
        self._adapter: ApiAdapter = factory(self._transport, self._credentials)
        self.api = api

    @property
    def generation(self) -> event_contract.Generation:
        """The API generation this client speaks (``"current"``, ``"v1"``, ``"legacy"``)."""
        return _generation(self.api)

    # -- lifecycle -------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The validated base URL (no trailing slash)."""
        return self._transport.base_url

    @property
    def closed(self) -> bool:
        return self._transport.closed

    def close(self) -> None:
        """Release the connection pool. Later calls raise UsageError."""
        self._transport.close()

    def __enter__(self) -> KGenClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = " closed" if self.closed else ""
        return (
            f"<KGenClient{state} api={self.api!r} base_url={self.base_url!r} "
            f"client_id={self._credentials.client_id!r}>"
        )

    def _ready(self, token: str | None = None) -> ApiAdapter:
        if self._transport.closed:
            raise UsageError("this KGenClient is closed; create a new one")
        if token is not None:
            register_secret(token)
        return self._adapter

    def _user(
        self, token: object, capability: Capability | None = None
    ) -> tuple[ApiAdapter, str]:
        checked = validation.check_token(token)
        adapter = self._ready(checked)
        if capability is not None and capability not in adapter.capabilities:
            raise NotSupportedError(
                f"the {self.api!r} API has no such operation ({CAPABILITIES[capability]})"
            )
        return adapter, checked

    # -- session ---------------------------------------------------------------

    def create_session(self, gamer_id: str, **profile: object) -> Session:
        """Create (or retrieve) the session of *gamer_id*; needs client id and secret.

        *profile* takes the optional fields of the contract: device_id, email,
        username, level, rank, date_joined, phonenumber, name, playertag,
        location_name, location. Each call returns a new token.
        """
        gamer = validation.check_gamer_id(gamer_id)
        fields = validation.check_profile(profile)
        if not self._credentials.complete:
            raise ConfigurationError(
                "create_session needs client_id and client_secret; a game that must not ship "
                "its secret should get the token from its own backend (session provider)"
            )
        session = self._ready().create_session(gamer, fields)
        register_secret(session.token)
        return session

    def get_session(self, token: str) -> Session:
        """The session a token belongs to (with joined tournaments and score)."""
        adapter, token = self._user(token)
        return adapter.get_session(token)

    # -- eventing --------------------------------------------------------------

    def send_event(
        self,
        token: str,
        kind: str,
        value: object,
        *,
        metadata: Mapping[str, object],
        idempotency_key: str,
        timestamp_ms: int,
    ) -> None:
        """Send one game event; returns when the server has accepted it.

        *kind* is one of :data:`kgen_pygame.event_contract.EVENT_KINDS` and *value* must
        fit it (score: number; achievement: int; levelup/progress: str; the
        rest: list of str). *metadata* needs ``playerId``. *idempotency_key*
        (the event id) is sent on every try so a repeat counts once.
        """
        wire_value = validation.check_event_value(kind, value)
        clean_metadata = validation.check_metadata(metadata)
        key = validation.check_idempotency_key(idempotency_key)
        timestamp = validation.check_timestamp_ms(timestamp_ms)
        adapter, token = self._user(token)
        adapter.deliver(
            token,
            OutboundEvent(
                kind=kind,
                value=wire_value,
                metadata=clean_metadata,
                event_id=key,
                timestamp_ms=timestamp,
            ),
        )

    def deliver(self, token: str, event: OutboundEvent) -> LoyaltyReward | None:
        """Deliver one outbox event (what the plugin's sender calls).

        The event is checked against :mod:`kgen_pygame.event_contract` for this
        client's generation first; a loyalty ``reward`` returns the granted reward.
        """
        kind = event_contract.check_kind(event.kind, self.generation)
        wire_value = event_contract.check_value(kind, event.value)
        clean_metadata = validation.check_metadata(event.metadata)
        key = validation.check_idempotency_key(event.event_id)
        timestamp = validation.check_timestamp_ms(event.timestamp_ms)
        adapter, token = self._user(token)
        return adapter.deliver(
            token,
            OutboundEvent(kind, wire_value, clean_metadata, key, timestamp),
        )

    def supports(self, capability: Capability) -> bool:
        """True when this generation offers the optional operation ``capability``."""
        return capability in self._adapter.capabilities

    # -- tournaments -----------------------------------------------------------

    def active_tournaments(self, token: str) -> list[Tournament]:
        """Tournaments running now."""
        adapter, token = self._user(token)
        return adapter.active_tournaments(token)

    def joined_tournaments(self, token: str) -> list[str]:
        """Uids of every tournament the gamer joined (running or ended)."""
        adapter, token = self._user(token)
        return adapter.joined_tournaments(token)

    def tournament(self, token: str, uid: str) -> Tournament:
        """One tournament; NotFoundError if there is none with *uid*."""
        uid = validation.check_id("uid", uid)
        adapter, token = self._user(token)
        return adapter.tournament(token, uid)

    def join_tournament(self, token: str, uid: str, stake: Decimal) -> str:
        """Join *uid* paying *stake* (must equal its buy-in); returns the server's message."""
        uid = validation.check_id("uid", uid)
        amount = validation.check_stake(stake)
        adapter, token = self._user(token)
        return adapter.join_tournament(token, uid, amount)

    def leaderboard(self, token: str, uid: str) -> Leaderboard:
        """Standings of *uid*, best first, with prize pool and winners."""
        uid = validation.check_id("uid", uid)
        adapter, token = self._user(token)
        return adapter.leaderboard(token, uid)

    # -- wallet ----------------------------------------------------------------

    def wallet_balance(self, token: str) -> WalletBalance:
        """Balances of the gamer's custodial wallet."""
        adapter, token = self._user(token)
        return adapter.wallet_balance(token)

    def transactions(self, token: str, wallet_address: str) -> TransactionHistory:
        """Transactions of *wallet_address* (the gamer's own custodial wallet)."""
        address = validation.check_id("wallet_address", wallet_address)
        adapter, token = self._user(token)
        return adapter.transactions(token, address)

    def withdraw(self, token: str, amount: Decimal | None = None) -> WithdrawResult:
        """Move the earned balance (or *amount* of it) to the linked KGeN wallet."""
        checked = None if amount is None else validation.check_amount("amount", amount)
        adapter, token = self._user(token)
        return adapter.withdraw(token, checked)

    # -- OTP wallet linking ----------------------------------------------------

    def request_otp(self, token: str, country_code: str, phone: str) -> OtpChallenge:
        """Send a one-time code to the phone; keep ``auth_code`` for :meth:`verify_otp`."""
        code = validation.check_country_code(country_code)
        number = validation.check_phone(phone)
        adapter, token = self._user(token)
        return adapter.request_otp(token, code, number)

    def verify_otp(
        self, token: str, country_code: str, phone: str, auth_code: str, otp: str
    ) -> OtpVerification:
        """Check the code the player typed; on success the KGeN wallet is linked."""
        code = validation.check_country_code(country_code)
        number = validation.check_phone(phone)
        checked_auth = validation.check_auth_code(auth_code)
        checked_otp = validation.check_otp(otp)
        adapter, token = self._user(token)
        return adapter.verify_otp(token, code, number, checked_auth, checked_otp)

    def resend_otp(self, token: str, country_code: str, phone: str) -> OtpChallenge:
        """Send the one-time code again (capability ``resend_otp``)."""
        code = validation.check_country_code(country_code)
        number = validation.check_phone(phone)
        adapter, token = self._user(token, "resend_otp")
        return adapter.resend_otp(token, code, number)

    def linked_account(self, token: str) -> LinkedAccount | None:
        """The linked phone (masked) and KGeN wallet, None when not linked
        (capability ``linked_account``)."""
        adapter, token = self._user(token, "linked_account")
        return adapter.linked_account(token)

    def store_redirect_url(self, token: str) -> str:
        """A URL into the KGeN Store for the player's browser (capability
        ``store_redirect``)."""
        adapter, token = self._user(token, "store_redirect")
        return adapter.store_redirect_url(token)

    def leave_tournament(self, token: str, uid: str) -> str:
        """Leave a joined tournament (capability ``leave_tournament``)."""
        uid = validation.check_id("uid", uid)
        adapter, token = self._user(token, "leave_tournament")
        return adapter.leave_tournament(token, uid)

    def earned_rewards(self, token: str) -> list[LoyaltyReward]:
        """Loyalty rewards the player earned (capability ``loyalty``)."""
        adapter, token = self._user(token, "loyalty")
        return adapter.earned_rewards(token)

    # -- rewards and statistics ------------------------------------------------

    def rewards(self, token: str) -> Rewards:
        """Rewards waiting to be claimed and their total."""
        adapter, token = self._user(token)
        return adapter.rewards(token)

    def claim_rewards(self, token: str, reward_ids: Sequence[str] | None = None) -> ClaimResult:
        """Claim the given rewards, or all of them when *reward_ids* is None."""
        ids = validation.check_reward_ids(reward_ids)
        adapter, token = self._user(token)
        return adapter.claim_rewards(token, ids)

    def historic_statistics(self, token: str) -> list[HistoricStat]:
        """One row per ended tournament the gamer joined."""
        adapter, token = self._user(token)
        return adapter.historic_statistics(token)
