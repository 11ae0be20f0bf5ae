"""Session replies: v1's ``POST``/``GET /api/v1/session`` and the current ``/s2s/session``."""

from __future__ import annotations

from kgen_pygame.api.fields import WireObject, blank_to_none
from kgen_pygame.models import Session
from kgen_pygame.redact import mask_phone

__all__ = ["read_s2s_session", "read_session"]


def read_session(data: object, operation: str, *, gamer_id: str | None = None) -> Session:
    """Read the v1 ``POST /session`` or ``GET /session`` reply.

    ``gamer_id`` fills the field when the reply does not echo it.
    """
    obj = WireObject.of(data, operation)
    return Session(
        token=obj.required_text("token", "access_token"),
        session_id=obj.text("session_id") or "",
        gamer_id=obj.text("gamer_id", "user_id") or gamer_id or "",
        wallet_address=obj.text("wallet_address") or "",
        started_at=obj.timestamp("session_start_time"),
        expires_at=obj.timestamp("token_expires_at", "expires_at"),
        linked_phone=blank_to_none(obj.text("linked_phone")),
        kgen_wallet_address=blank_to_none(
            obj.text("indigg_wallet_address", "kgen_wallet_address")
        ),
        app_id=blank_to_none(obj.text("appId", "app_id")),
        account_id=blank_to_none(obj.text("accountId", "account_id")),
        joined_tournaments=tuple(obj.strings("joined_tournaments") or ()),
        score=obj.score("score"),
        wallet_balance=obj.money("wallet_balance"),
    )


def read_s2s_session(data: object, operation: str, *, user_id: str) -> Session:
    """Read ``POST /s2s/session`` (current) or the legacy IndiGG session reply (L1).

    The token is opaque (C6): ``expires_at`` stays None and its claims are never
    decoded. ``refresh_token`` is kept but no documented endpoint accepts it (C1).
    The reply's ``linked_phone`` is unmasked E.164 (C5); it is masked here, because
    it is personal data. The legacy reply has no ``session_id``,
    ``session_start_time``, ``linked_phone`` or ``indigg_*`` (C28): those stay empty.
    """
    obj = WireObject.of(data, operation)
    phone = blank_to_none(obj.text("linked_phone"))
    return Session(
        token=obj.required_text("access_token"),
        refresh_token=blank_to_none(obj.text("refresh_token")),
        session_id=obj.text("session_id") or "",
        gamer_id=obj.text("user_id") or user_id,
        wallet_address=obj.text("wallet_address") or "",
        started_at=obj.timestamp("session_start_time"),
        expires_at=None,
        linked_phone=None if phone is None else mask_phone(phone),
        kgen_wallet_address=blank_to_none(obj.text("indigg_wallet_address")),
        kgen_id=blank_to_none(obj.text("indigg_id")),
        is_new_user=obj.flag("is_new_user"),
    )
