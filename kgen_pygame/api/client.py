"""KGenClient: the typed, blocking client of the KGeN API, on any of its generations.

Shaped like ``requests``: a small public face over separate parts.

- :mod:`~kgen_pygame.api.validation` checks arguments before anything is sent;
- an *adapter* (:mod:`~kgen_pygame.api.protocol`) speaks one API generation:
  ``api="current"`` (the default: ``/s2s`` + ``/fe``,
  :class:`~kgen_pygame.api.current.CurrentAdapter`), ``api="v1"`` (``/api/v1``,
  :class:`~kgen_pygame.api.v1.V1Adapter`) or ``api="legacy"`` (the current API
  with the IndiGG session and loyalty-grant paths,
  :class:`~kgen_pygame.api.legacy.LegacyAdapter`). Optional operations a
  generation lacks raise :class:`~kgen_pygame.errors.NotSupportedError` before
  anything is sent; ask :meth:`KGenClient.supports` first;
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
    RewardableEvent,
    RewardableEventSpec,
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
    "current": "kgen_pygame.api.current:CurrentAdapter",
    "v1": "kgen_pygame.api.v1:V1Adapter",
    "legacy": "kgen_pygame.api.legacy:LegacyAdapter",
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
        client_secret: the client secret; needed for :meth:`create_session` and the
            rewardable-event calls (server to server). On v1, when both id and
            secret are given they are also sent on user calls, as the v1 docs show;
            the current generation sends them only on ``/s2s`` calls.
        timeout: seconds, or a ``(connect, read)`` pair; every request has one.
        deadline: seconds for a whole request (connect, headers and body), default 8.
        max_body_bytes: the largest response body accepted, default 8 MiB.
        yield_point: called between the decoding steps of a big body (see
            :class:`~kgen_pygame.api.transport.Transport`); None decodes in one call.
        allow_insecure_http: permit ``http://`` to a non-loopback host.
        session: a ``requests.Session`` to use (it is not closed by :meth:`close`).
        api: the API generation: ``"current"`` (default), ``"v1"`` or ``"legacy"``.

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
        api: str = "current",
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
    def talks_to_sandbox(self) -> bool:
        """True once an answer came from a KGeN sandbox (play money: say so on screen)."""
        return self._transport.answered_by_sandbox

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
        if capability is not None:
            self._require(capability)
        return adapter, checked

    # -- session ---------------------------------------------------------------

    def _require(self, capability: Capability) -> None:
        if capability not in self._adapter.capabilities:
            raise NotSupportedError(
                f"the {self.api!r} API cannot {CAPABILITIES[capability]}; "
                f"check supports({capability!r}) first"
            )

    def _server(self, capability: Capability, operation: str) -> ApiAdapter:
        """The adapter for a server-to-server call: capability and credentials checked."""
        self._require(capability)
        if not self._credentials.complete:
            raise ConfigurationError(
                f"{operation} needs client_id and client_secret (a server-to-server call)"
            )
        return self._ready()

    def create_session(self, gamer_id: str, **profile: object) -> Session:
        """Create (or retrieve) the session of *gamer_id*; needs client id and secret.

        *gamer_id* is the game's own player id (``user_id`` on the current API).
        *profile* takes the optional fields of the generation's session call
        (v1: device_id, email, username, level, rank, date_joined, phonenumber,
        name, playertag, location_name, location; current: those and device_model,
        screen_height, screen_width, os_name, os_version, browser_name, fb_login,
        google_login, app_version; legacy: none). Each call returns a new token.
        """
        gamer = validation.check_gamer_id(gamer_id)
        fields = validation.check_profile(profile, self._adapter.profile_fields)
        if not self._credentials.complete:
            raise ConfigurationError(
                "create_session needs client_id and client_secret; a game that must not ship "
                "its secret should get the token from its own backend (session provider)"
            )
        session = self._ready().create_session(gamer, fields)
        register_secret(session.token)
        register_secret(session.refresh_token)
        return session

    def get_session(self, token: str) -> Session:
        """The session a token belongs to; fails with AuthenticationError if it does not work.

        v1 asks ``GET /session`` (joined tournaments and score included); the current
        API has no such call and builds it from the wallet and the linked number.
        """
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
    ) -> LoyaltyReward | None:
        """Send one game event; returns when the server has accepted it.

        A convenience over :meth:`deliver`. *kind* is one of
        :data:`kgen_pygame.event_contract.EVENT_KINDS` deliverable on this generation,
        and *value* must fit it. *metadata* needs ``playerId``. *idempotency_key*
        (the event id) is sent on every try so a repeat counts once where the server
        honours it.
        """
        return self._send(token, kind, value, metadata, idempotency_key, timestamp_ms)

    def deliver(self, token: str, event: OutboundEvent) -> LoyaltyReward | None:
        """Deliver one outbox event (what the plugin's sender calls).

        The event is checked against :mod:`kgen_pygame.event_contract` for this
        client's generation first; a loyalty ``reward`` returns the granted reward
        (None where the server's answer names none).
        """
        return self._send(
            token, event.kind, event.value, event.metadata, event.event_id, event.timestamp_ms
        )

    def _send(
        self,
        token: object,
        kind: object,
        value: object,
        metadata: object,
        event_id: object,
        timestamp_ms: object,
    ) -> LoyaltyReward | None:
        checked_kind = event_contract.check_kind(kind, self.generation)
        wire_value = event_contract.check_value(checked_kind, value)
        clean_metadata = validation.check_metadata(metadata)
        key = validation.check_idempotency_key(event_id)
        timestamp = validation.check_timestamp_ms(timestamp_ms)
        adapter, checked_token = self._user(token)
        return adapter.deliver(
            checked_token,
            OutboundEvent(checked_kind, wire_value, clean_metadata, key, timestamp),
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

    def leave_tournament(self, token: str, uid: str) -> str:
        """Leave a joined tournament (capability ``leave_tournament``)."""
        uid = validation.check_id("uid", uid)
        adapter, token = self._user(token, "leave_tournament")
        return adapter.leave_tournament(token, uid)

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

    def transactions(self, token: str, wallet_address: str | None = None) -> TransactionHistory:
        """Transactions of the gamer's own custodial wallet.

        v1 names the wallet in the path: pass *wallet_address* (the session's), or
        None to have it read from the balance first. The current API needs none.
        """
        address = None
        if wallet_address is not None:
            address = validation.check_id("wallet_address", wallet_address)
        adapter, token = self._user(token)
        return adapter.transactions(token, address)

    def withdraw(self, token: str, amount: Decimal | None = None) -> WithdrawResult:
        """Move the earned balance (or *amount* of it: capability ``partial_withdraw``)
        to the linked KGeN wallet."""
        checked = None if amount is None else validation.check_amount("amount", amount)
        if checked is not None:
            self._require("partial_withdraw")
        adapter, token = self._user(token)
        return adapter.withdraw(token, checked)

    # -- OTP wallet linking ----------------------------------------------------

    def request_otp(self, token: str, country_code: str, phone: str) -> OtpChallenge:
        """Send a one-time code to the phone; keep ``auth_code`` for :meth:`verify_otp`."""
        code = validation.check_country_code(country_code)
        number = validation.check_phone(phone)
        adapter, token = self._user(token)
        return adapter.request_otp(token, code, number)

    def resend_otp(self, token: str, country_code: str, phone: str) -> OtpChallenge:
        """Send the code again (capability ``resend_otp``); keep the new ``auth_code``."""
        code = validation.check_country_code(country_code)
        number = validation.check_phone(phone)
        adapter, token = self._user(token, "resend_otp")
        return adapter.resend_otp(token, code, number)

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

    def linked_account(self, token: str) -> LinkedAccount | None:
        """The linked phone (masked) and KGeN wallet; None when no phone is linked.

        Capability ``linked_account``.
        """
        adapter, token = self._user(token, "linked_account")
        return adapter.linked_account(token)

    def store_redirect_url(self, token: str) -> str:
        """A URL into the KGeN Store to open in the player's browser (capability
        ``store_redirect``; the docs offer it to players with a linked phone)."""
        adapter, token = self._user(token, "store_redirect")
        return adapter.store_redirect_url(token)

    # -- rewards and statistics ------------------------------------------------

    def rewards(self, token: str) -> Rewards:
        """Rewards waiting to be claimed and their total."""
        adapter, token = self._user(token)
        return adapter.rewards(token)

    def claim_rewards(self, token: str, reward_ids: Sequence[str] | None = None) -> ClaimResult:
        """Claim all rewards, or the given ones (capability ``selective_claim``)."""
        ids = validation.check_reward_ids(reward_ids)
        if ids is not None:
            self._require("selective_claim")
        adapter, token = self._user(token)
        return adapter.claim_rewards(token, ids)

    def historic_statistics(self, token: str) -> list[HistoricStat]:
        """One row per ended tournament the gamer joined."""
        adapter, token = self._user(token)
        return adapter.historic_statistics(token)

    # -- loyalty ---------------------------------------------------------------

    def earned_rewards(self, token: str) -> list[LoyaltyReward]:
        """The loyalty rewards the player earned (capability ``loyalty``).

        Rewards are *granted* through :meth:`deliver` with a ``reward`` event, so a
        grant goes through the durable outbox with its idempotency key.
        """
        adapter, token = self._user(token, "loyalty")
        return adapter.earned_rewards(token)

    # -- rewardable events (server to server) ----------------------------------

    def list_rewardable_events(self, active: bool | None = None) -> list[RewardableEvent]:
        """The game's rewardable events: all, or only active (True) / inactive (False)."""
        flag = validation.check_active_filter(active)
        return self._server("rewardable_events", "list_rewardable_events").list_rewardable_events(
            flag
        )

    def get_rewardable_event(self, event_id: str) -> RewardableEvent:
        """One rewardable event by its id."""
        checked = validation.check_id("event_id", event_id)
        return self._server("rewardable_events", "get_rewardable_event").get_rewardable_event(
            checked
        )

    def put_rewardable_event(self, spec: RewardableEventSpec) -> RewardableEvent:
        """Create (``spec.event_id`` None) or replace a rewardable event; returns it."""
        checked = validation.check_rewardable_event(spec)
        return self._server("rewardable_events", "put_rewardable_event").put_rewardable_event(
            checked
        )

    def delete_rewardable_event(self, event_id: str) -> None:
        """Delete a rewardable event."""
        checked = validation.check_id("event_id", event_id)
        self._server("rewardable_events", "delete_rewardable_event").delete_rewardable_event(
            checked
        )
