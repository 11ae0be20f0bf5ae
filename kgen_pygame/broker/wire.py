"""What the game and the broker say to each other: paths, fields, codes, encodings.

Both sides import this module (the game through
:mod:`kgen_pygame.broker_client`), so each rule is written once. It uses the
standard library only and imports nothing heavy.

``POST /v1/session`` takes a JSON object::

    {"device_key": "<43 characters of base64url>",   # or "ticket": "<the game's login ticket>"
     "timestamp": 1760000000,                         # Unix seconds, the game's clock
     "nonce": "<16 to 64 characters of base64url>",   # new for every request
     "profile": {"username": "nova"}}                 # optional display fields

and answers 200 with :data:`SESSION_FIELDS`, or an error body
``{"error": CODE, "message": "..."}`` (codes below).
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from typing import Final

SESSION_PATH: Final = "/v1/session"
HEALTH_PATH: Final = "/healthz"

#: Bytes of randomness in a device key (made once per install, on the device).
DEVICE_KEY_BYTES: Final = 32
#: Random bytes in a nonce made by :func:`new_nonce`.
NONCE_BYTES: Final = 16
_NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]+$")

#: Profile fields a caller may set on its own session (display only).
PROFILE_FIELDS: Final = frozenset({"username", "name", "playertag", "level", "rank"})

#: Fields of a successful reply (``None`` where the platform gave nothing).
SESSION_FIELDS: Final = (
    "token",
    "user_id",
    "session_id",
    "wallet_address",
    "linked",
    "kgen_wallet_address",
    "started_at",
    "expires_at",
    "api",
)

# Error codes in the ``error`` field of a refusal.
BAD_REQUEST: Final = "BAD_REQUEST"  # 400: not JSON, wrong fields or types
BAD_DEVICE_KEY: Final = "BAD_DEVICE_KEY"  # 400: device key missing or malformed
STALE_REQUEST: Final = "STALE_REQUEST"  # 400: timestamp outside the window (see server_time)
REPLAYED_REQUEST: Final = "REPLAYED_REQUEST"  # 409: nonce already seen in the window
TICKET_REJECTED: Final = "TICKET_REJECTED"  # 401: the verifier refused the ticket
RATE_LIMITED: Final = "RATE_LIMITED"  # 429: with Retry-After
TOO_LARGE: Final = "PAYLOAD_TOO_LARGE"  # 413
NOT_FOUND: Final = "NOT_FOUND"  # 404
METHOD_NOT_ALLOWED: Final = "METHOD_NOT_ALLOWED"  # 405
BUSY: Final = "BUSY"  # 503: every platform slot in use, or the nonce cache full
PLATFORM_UNAVAILABLE: Final = "PLATFORM_UNAVAILABLE"  # 502: down, slow, 5xx, 429
PLATFORM_ERROR: Final = "PLATFORM_ERROR"  # 502: the platform refused (4xx) or answered nonsense
INTERNAL: Final = "INTERNAL"  # 500


class WireFormatError(ValueError):
    """A field does not have the form this protocol requires."""


def new_device_key() -> str:
    """A fresh device key: 32 random bytes, base64url without padding (43 characters)."""
    return encode_base64url(secrets.token_bytes(DEVICE_KEY_BYTES))


def new_nonce() -> str:
    """A fresh nonce: 16 random bytes, base64url without padding (22 characters)."""
    return encode_base64url(secrets.token_bytes(NONCE_BYTES))


def encode_base64url(raw: bytes) -> str:
    """base64url without ``=`` padding."""
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_device_key(value: object) -> bytes:
    """The 32 bytes of a device key in its wire form; :class:`WireFormatError` otherwise.

    Only the canonical encoding is accepted (no padding, no other alphabet, no
    spare bits), so one key has exactly one spelling.
    """
    if not isinstance(value, str) or not value:
        raise WireFormatError("device_key must be a string (base64url of 32 random bytes)")
    if not _BASE64URL.match(value):
        raise WireFormatError("device_key must use the base64url alphabet, without padding")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise WireFormatError("device_key is not valid base64url") from None
    if len(raw) != DEVICE_KEY_BYTES or encode_base64url(raw) != value:
        raise WireFormatError(f"device_key must encode exactly {DEVICE_KEY_BYTES} bytes")
    return raw


def check_nonce(value: object) -> str:
    """A nonce: 16 to 64 base64url characters."""
    if not isinstance(value, str) or not _NONCE.match(value):
        raise WireFormatError("nonce must be 16 to 64 base64url characters, new for each request")
    return value


def check_timestamp(value: object) -> int:
    """Unix seconds as a JSON integer."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise WireFormatError("timestamp must be an integer number of Unix seconds")
    if not 0 < value < 2**40:
        raise WireFormatError("timestamp is not a plausible number of Unix seconds")
    return value
