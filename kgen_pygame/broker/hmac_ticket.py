"""Worked example of a verifier: HMAC-signed tickets from the game's own login server.

The game's login server, after it has checked the player's password (or
Steam ticket, or anything else), issues a short-lived ticket with
:func:`issue_ticket` under a secret it shares with the broker. The game sends
the ticket to the broker; the broker checks it with :func:`verify`::

    # the game's login server (holds KGEN_BROKER_TICKET_SECRET too)
    ticket = issue_ticket(secret, user_id="player-1234", ttl_s=300)

    # the broker
    KGEN_BROKER_VERIFIER=kgen_pygame.broker.hmac_ticket:verify
    KGEN_BROKER_TICKET_SECRET=<at least 32 characters>

Format: ``v1.<base64url(JSON {"sub": user_id, "exp": unix_seconds})>.<base64url(HMAC-SHA256)>``,
the MAC taken over ``"v1." + payload``. A ticket is refused when its MAC is
wrong, it has expired, or it lives longer than :data:`MAX_TTL_S`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import time
from typing import Final

from kgen_pygame.broker.verifier import VerificationFailed

__all__ = ["MAX_TTL_S", "SECRET_ENV", "issue_ticket", "verify", "verify_ticket"]

SECRET_ENV: Final = "KGEN_BROKER_TICKET_SECRET"  # noqa: S105 - a variable name
MAX_TTL_S: Final = 3600
_VERSION: Final = "v1"
_MIN_SECRET_BYTES: Final = 32


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: bytes, signed: str) -> bytes:
    return hmac.new(secret, signed.encode("ascii"), hashlib.sha256).digest()


def issue_ticket(secret: bytes, user_id: str, *, ttl_s: int = 300, now: float | None = None) -> str:
    """A ticket saying *user_id* logged in, valid for *ttl_s* seconds."""
    if not 0 < ttl_s <= MAX_TTL_S:
        raise ValueError(f"ttl_s must be between 1 and {MAX_TTL_S}")
    expires = int(now if now is not None else time.time()) + ttl_s
    payload = _b64(json.dumps({"sub": user_id, "exp": expires}, separators=(",", ":")).encode())
    signed = f"{_VERSION}.{payload}"
    return f"{signed}.{_b64(_mac(secret, signed))}"


def verify_ticket(secret: bytes, ticket: str, *, now: float | None = None) -> str:
    """The user id in *ticket*; :class:`VerificationFailed` for anything wrong with it."""
    parts = ticket.split(".")
    if len(parts) != 3 or parts[0] != _VERSION:
        raise VerificationFailed("not a v1 ticket")
    signed = f"{parts[0]}.{parts[1]}"
    try:
        given_mac = _unb64(parts[2])
        claims = json.loads(_unb64(parts[1]))
    except (binascii.Error, ValueError):
        raise VerificationFailed("the ticket is not well formed") from None
    if not hmac.compare_digest(given_mac, _mac(secret, signed)):
        raise VerificationFailed("the ticket's signature is wrong")
    if not isinstance(claims, dict):
        raise VerificationFailed("the ticket's payload is not an object")
    user_id, expires = claims.get("sub"), claims.get("exp")
    if not isinstance(user_id, str) or isinstance(expires, bool) or not isinstance(expires, int):
        raise VerificationFailed("the ticket lacks sub or exp")
    current = now if now is not None else time.time()
    if expires <= current:
        raise VerificationFailed("the ticket has expired")
    if expires > current + MAX_TTL_S:
        raise VerificationFailed("the ticket lives longer than allowed")
    return user_id


def verify(ticket: str) -> str:
    """The verifier hook: checks *ticket* under ``KGEN_BROKER_TICKET_SECRET``."""
    secret = os.environ.get(SECRET_ENV, "").encode("utf-8")
    if len(secret) < _MIN_SECRET_BYTES:
        # A configuration problem, not a bad ticket: a 500, and the log says which.
        raise RuntimeError(f"{SECRET_ENV} must be set to at least {_MIN_SECRET_BYTES} bytes")
    return verify_ticket(secret, ticket)
