"""Identifiers, addresses, tokens and the masked forms the API shows of them."""

from __future__ import annotations

import hashlib
import secrets
import uuid


def new_uid() -> str:
    """A random UUID4 string, the id format the KGeN API uses."""
    return str(uuid.uuid4())


def new_wallet_address() -> str:
    """A random custodial wallet address: ``0x`` + 40 lowercase hex digits."""
    return "0x" + secrets.token_hex(20)


def derived_address(label: str) -> str:
    """A stable pseudo address for a platform wallet (treasury, tournament escrow...)."""
    return "0x" + hashlib.sha256(label.encode("utf-8")).hexdigest()[:40]


def new_token() -> str:
    """A fresh opaque session token."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> bytes:
    """What the database stores instead of the token itself."""
    return hashlib.sha256(token.encode("utf-8")).digest()


def mask_wallet(address: str | None) -> str | None:
    """``0x7d3c...f0a2`` -> ``0x7d*****f0a2`` (as the transaction history shows addresses)."""
    if not address:
        return address
    if len(address) <= 8:
        return "*****"
    return f"{address[:4]}*****{address[-4:]}"


def mask_phone(phone: str | None, country_code: str | None = None) -> str | None:
    """``+919876543210`` -> ``+91******3210``: country code and last four digits stay."""
    if not phone:
        return phone
    prefix = country_code or ""
    local = phone[len(prefix) :] if prefix and phone.startswith(prefix) else phone
    if len(local) <= 4:
        return prefix + "*" * len(local)
    return prefix + "*" * (len(local) - 4) + local[-4:]


def new_otp(digits: int = 6) -> str:
    """``digits`` random digits (leading zeros allowed)."""
    return f"{secrets.randbelow(10**digits):0{digits}d}"


def new_auth_code() -> str:
    """Four random digits tying an OTP verification to its request."""
    return f"{secrets.randbelow(10_000):04d}"
