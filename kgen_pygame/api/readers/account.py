"""The player's account: the linked mobile number and the KGeN Store redirect."""

from __future__ import annotations

from urllib.parse import urlsplit

from kgen_pygame.api.fields import WireObject, blank_to_none
from kgen_pygame.models import LinkedAccount
from kgen_pygame.redact import mask_phone
from kgen_pygame.urls import is_loopback

__all__ = ["read_linked_account", "read_store_redirect"]


def read_linked_account(data: object, operation: str) -> LinkedAccount | None:
    """Read ``linked-mobile-number``: PascalCase keys (C7); None when no phone is linked.

    The reply carries the phone in clear; it is masked here (personal data). A
    reply with an empty ``LinkedPhone`` means "not linked", like the documented
    500 RECORD_NOT_FOUND (C21, handled by the adapter).
    """
    obj = WireObject.of(data, operation)
    phone = blank_to_none(obj.text("LinkedPhone", "linked_phone", "linkedPhone"))
    if phone is None:
        return None
    return LinkedAccount(
        phone=mask_phone(phone),
        kgen_wallet_address=blank_to_none(
            obj.text("IndiggWalletAddress", "indigg_wallet_address", "kgen_wallet_address")
        ),
        kgen_id=blank_to_none(obj.text("KGenID", "KgenID", "indigg_id", "kgen_id")),
        wallet_address=blank_to_none(obj.text("WalletAddress", "wallet_address")),
        user_id=blank_to_none(obj.text("UserID", "user_id", "userID")),
    )


def read_store_redirect(data: object, operation: str) -> str:
    """Read ``{"url": ...}``: an ``https://`` URL (``http://`` only for loopback).

    The URL is opened in the player's browser, so anything else (``file:``,
    ``javascript:``, no host) is refused as a protocol error.
    """
    obj = WireObject.of(data, operation)
    url = obj.required_text("url", "uri", "redirect_uri", "redirectUri").strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        obj.fail("field 'url' is not a valid URL")
    allowed = parts.scheme == "https" or (parts.scheme == "http" and is_loopback(host))
    if not allowed or not host or any(char.isspace() for char in url):
        obj.fail("field 'url' must be an https:// URL to open in a browser")
    return url
