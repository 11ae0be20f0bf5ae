"""Who the player is: the device key's HMAC, or the user id a verifier vouches for.

Device-key mode (the default) is stateless: ``user_id = "dk_" +
base32(HMAC-SHA256(broker_key, label || device_key))[:32]`` (lower case).
Every broker instance with the same broker key derives the same id, so any
number of them can run behind a load balancer without a database. Without
the device key nobody can produce that player's id, and nothing in a request
names a user id directly.

The broker key must therefore never change: a new key gives every player a
new id (a new, empty account on the platform).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Final

__all__ = ["DEVICE_USER_PREFIX", "derive_user_id", "user_log_id"]

DEVICE_USER_PREFIX: Final = "dk_"
_USER_ID_CHARS = 32  # 160 bits of the HMAC: collisions are out of reach
# Domain separation: the same broker key could one day derive other values.
_LABEL: Final = b"kgen-broker/device-user-id/v1\x00"


def derive_user_id(broker_key: bytes, device_key: bytes) -> str:
    """The platform user id of the player holding *device_key* (raw 32 bytes)."""
    digest = hmac.new(broker_key, _LABEL + device_key, hashlib.sha256).digest()
    encoded = base64.b32encode(digest).decode("ascii").lower()
    return DEVICE_USER_PREFIX + encoded[:_USER_ID_CHARS]


def user_log_id(user_id: str) -> str:
    """What log lines show of a user id: 12 hex digits of its SHA-256.

    Enough to follow one player through the logs, and it says nothing the
    platform could be asked about.
    """
    return hashlib.sha256(user_id.encode("utf-8")).hexdigest()[:12]
