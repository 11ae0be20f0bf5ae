"""``POST /v1/session``: check the request, name the player, mint, answer the public fields.

Order of checks, cheapest and least revealing first: the field set, the
timestamp and nonce formats, the timestamp window, the identity (device key
or ticket), then the nonce is spent, then the platform is called. A request
is refused before any platform call unless all of that passed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, MutableMapping
from typing import TYPE_CHECKING, Any, Final

from kgen_pygame.broker import wire
from kgen_pygame.broker.identity import derive_user_id, user_log_id
from kgen_pygame.broker.platform import Busy, PlatformFailure
from kgen_pygame.broker.replay import NonceCacheFull, Replayed, StaleTimestamp
from kgen_pygame.broker.verifier import (
    VerificationFailed,
    Verifier,
    VerifierBroken,
    checked_user_id,
)
from kgen_pygame.broker.wsgi import HttpError
from kgen_pygame.redact import redact_text, register_secret

if TYPE_CHECKING:
    from kgen_pygame.broker.config import BrokerConfig
    from kgen_pygame.broker.platform import SessionMinter
    from kgen_pygame.broker.replay import ReplayGuard
    from kgen_pygame.models import Session

__all__ = ["SessionRoute"]

logger = logging.getLogger(__name__)

_ENVELOPE: Final = frozenset({"timestamp", "nonce", "profile"})
_MAX_TICKET_CHARS: Final = 4096
_MAX_PROFILE_TEXT: Final = 64


class SessionRoute:
    """The session endpoint's logic, free of WSGI details."""

    def __init__(
        self,
        config: BrokerConfig,
        minter: SessionMinter,
        replay: ReplayGuard,
        verifier: Verifier | None,
    ) -> None:
        self._config = config
        self._minter = minter
        self._replay = replay
        self._verifier = verifier
        self._identity_field = "ticket" if verifier is not None else "device_key"

    def handle(self, data: Mapping[str, Any], log: MutableMapping[str, object]) -> dict[str, Any]:
        """The reply body for *data*; raises HttpError. Puts ``user`` (hash prefix) in *log*."""
        self._check_fields(data)
        timestamp, nonce = self._envelope(data)
        profile = _profile(data.get("profile"))
        try:
            self._replay.check_timestamp(timestamp)
        except StaleTimestamp as stale:
            raise HttpError(
                400,
                wire.STALE_REQUEST,
                f"{stale}; correct the clock by server_time and send a new request",
                extra={"server_time": stale.server_time},
            ) from None
        user_id = self._identify(data)
        log["user"] = user_log_id(user_id)
        try:
            self._replay.remember(nonce, timestamp)
        except Replayed:
            raise HttpError(
                409, wire.REPLAYED_REQUEST, "this request was already received (nonce reused)"
            ) from None
        except NonceCacheFull:
            logger.warning("the nonce cache is full; refusing requests until nonces expire")
            raise HttpError(503, wire.BUSY, "the broker is overloaded", retry_after=5) from None
        session = self._mint(user_id, profile)
        register_secret(session.token)
        return self._reply(session, user_id)

    def _check_fields(self, data: Mapping[str, Any]) -> None:
        if "user_id" in data or "gamer_id" in data:
            raise HttpError(
                400,
                wire.BAD_REQUEST,
                "the user id is never chosen by the caller; the broker derives it from "
                f"the {self._identity_field}",
            )
        allowed = _ENVELOPE | {self._identity_field}
        unknown = sorted(str(key) for key in data if key not in allowed)
        if unknown:
            other = {"ticket": "device_key", "device_key": "ticket"}[self._identity_field]
            if other in unknown:
                raise HttpError(
                    400,
                    wire.BAD_DEVICE_KEY if other == "device_key" else wire.BAD_REQUEST,
                    f"this broker identifies players by {self._identity_field}, not {other}",
                )
            raise HttpError(
                400,
                wire.BAD_REQUEST,
                f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}",
            )

    def _envelope(self, data: Mapping[str, Any]) -> tuple[int, str]:
        try:
            return wire.check_timestamp(data.get("timestamp")), wire.check_nonce(data.get("nonce"))
        except wire.WireFormatError as error:
            raise HttpError(400, wire.BAD_REQUEST, str(error)) from None

    def _identify(self, data: Mapping[str, Any]) -> str:
        if self._verifier is None:
            try:
                device_key = wire.decode_device_key(data.get("device_key"))
            except wire.WireFormatError as error:
                raise HttpError(400, wire.BAD_DEVICE_KEY, str(error)) from None
            return derive_user_id(self._config.broker_key, device_key)
        return self._verify(data.get("ticket"))

    def _verify(self, ticket: object) -> str:
        if not isinstance(ticket, str) or not ticket or len(ticket) > _MAX_TICKET_CHARS:
            raise HttpError(
                400, wire.BAD_REQUEST, f"ticket must be a string of 1 to {_MAX_TICKET_CHARS} chars"
            )
        assert self._verifier is not None
        try:
            return checked_user_id(self._verifier(ticket))
        except VerificationFailed:
            raise HttpError(401, wire.TICKET_REJECTED, "the login ticket was refused") from None
        except VerifierBroken as error:
            logger.error("the verifier misbehaved: %s", error)
        except Exception as error:
            logger.error(
                "the verifier raised %s: %s",
                type(error).__name__,
                redact_text(str(error), [ticket]),
            )
        raise HttpError(500, wire.INTERNAL, "the login ticket could not be checked")

    def _mint(self, user_id: str, profile: Mapping[str, object]) -> Session:
        try:
            return self._minter.mint(user_id, profile)
        except Busy:
            raise HttpError(
                503, wire.BUSY, "the broker is at its limit of platform calls", retry_after=1
            ) from None
        except PlatformFailure as failure:
            raise HttpError(
                502, failure.code, failure.message, retry_after=failure.retry_after
            ) from None

    def _reply(self, session: Session, user_id: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "token": session.token,
            "user_id": user_id,
            "session_id": session.session_id or None,
            "wallet_address": session.wallet_address or None,
            "linked": session.linked,
            "kgen_wallet_address": session.kgen_wallet_address,
            "started_at": _iso(session.started_at),
            "expires_at": _iso(session.expires_at),
            "api": self._config.api,
        }
        assert tuple(body) == wire.SESSION_FIELDS
        return body


def _iso(moment: Any) -> str | None:
    return None if moment is None else str(moment.isoformat())


def _profile(value: object) -> dict[str, object]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise HttpError(400, wire.BAD_REQUEST, "profile must be a JSON object")
    unknown = sorted(str(key) for key in value if key not in wire.PROFILE_FIELDS)
    if unknown:
        raise HttpError(
            400,
            wire.BAD_REQUEST,
            f"profile field(s) {', '.join(unknown)} cannot be set here; allowed: "
            f"{', '.join(sorted(wire.PROFILE_FIELDS))}",
        )
    clean: dict[str, object] = {}
    for key, item in value.items():
        if key in ("level", "rank"):
            if isinstance(item, bool) or not isinstance(item, int) or not 0 <= item < 2**31:
                raise HttpError(400, wire.BAD_REQUEST, f"profile {key} must be an integer >= 0")
        elif not isinstance(item, str) or not 0 < len(item) <= _MAX_PROFILE_TEXT:
            raise HttpError(
                400, wire.BAD_REQUEST, f"profile {key} must be text of 1 to {_MAX_PROFILE_TEXT}"
            )
        clean[key] = item
    return clean
