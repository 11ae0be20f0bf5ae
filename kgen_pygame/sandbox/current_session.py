"""``POST /s2s/session`` and the legacy ``/api/proxy/auth/user/session``: bodies in, answers out.

The same ``user_id`` of the same client is the same player as v1's ``gamer_id``: one gamer
row, one custodial wallet, whichever generation opened the session.
"""

from __future__ import annotations

import json
from typing import Any

from . import otp
from .accounts import OpenedSession, profile_of
from .clock import go_time
from .context import Ctx
from .validation import player_id, present_fields, require_object, short_text, whole_number

# The profile fields of reference/esports-current/user-session.md, in the answer's order.
# Kept apart from the client's list (api/validation.py) on purpose: the sandbox checks the
# client from the sources, so it must not share the client's reading of them.
PROFILE_FIELDS = (
    "name",
    "username",
    "email",
    "device_id",
    "phonenumber",
    "level",
    "rank",
    "date_joined",
    "playertag",
    "location",
    "location_name",
    "device_model",
    "screen_height",
    "screen_width",
    "os_name",
    "os_version",
    "browser_name",
    "fb_login",
    "google_login",
    "app_version",
)
INTEGER_FIELDS = ("level", "rank")
# In the response field list, absent from every example; their type is not documented.
UNTYPED_FIELDS = ("fb_login", "google_login", "app_version")
STRING_FIELDS = tuple(f for f in PROFILE_FIELDS if f not in INTEGER_FIELDS + UNTYPED_FIELDS)
_MAX_FIELD_LEN = 256


def parse_request(body: Any) -> tuple[str, dict[str, Any]]:
    """Validate a session body; returns ``(user_id, profile)`` (400 naming the bad field)."""
    obj = require_object(body)
    user_id = player_id(obj, "user_id")
    profile = {
        **present_fields(
            obj, STRING_FIELDS, short_text, f"a string of at most {_MAX_FIELD_LEN} characters"
        ),
        **present_fields(obj, INTEGER_FIELDS, whole_number, "an integer"),
        **present_fields(
            obj,
            UNTYPED_FIELDS,
            lambda value: short_text(value) or isinstance(value, bool),
            "a string or a boolean",
        ),
    }
    return user_id, profile


def _as_text(value: Any) -> str:
    """A stored profile value as the string the current answer shows ("" when never sent)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    # A value v1 stored in another type (a location object, a numeric date).
    return json.dumps(value, default=str, sort_keys=True)


def namespaced_id(client_id: str, user_id: str, separator: str = "#") -> str:
    """``"<client>#<user>"`` (current) or ``"<client>___<user>"`` (legacy, seed 000)."""
    return f"{client_id}{separator}{user_id}"


def session_json(ctx: Ctx, opened: OpenedSession) -> dict[str, Any]:
    """Every field of ``POST /s2s/session``'s answer (catalogue section 3.1)."""
    gamer = opened.gamer
    profile = profile_of(gamer)
    client_id = str(gamer["client_id"])
    user_id = str(gamer["gamer_id"])
    body: dict[str, Any] = {"session_id": opened.session_id, "user_id": user_id}
    for key in PROFILE_FIELDS:
        value = profile.get(key)
        if key in INTEGER_FIELDS:
            body[key] = value if isinstance(value, int) and not isinstance(value, bool) else 0
        elif key in UNTYPED_FIELDS:
            body[key] = value if isinstance(value, str | bool) else ""
        else:
            body[key] = _as_text(value)
    body.update(
        {
            "indigg_id": otp.kgen_id(ctx, gamer),
            "indigg_wallet_address": gamer["kgen_wallet_address"] or "",
            "third_party_client_id": client_id,
            "third_party_client_name": ctx.config.client_name,
            "namespaced_third_party_user_id": namespaced_id(client_id, user_id),
            "wallet_address": gamer["wallet_address"],
            "is_new_user": opened.created,
            "access_token": opened.token,
            "refresh_token": opened.refresh_token,
            "linked_phone": gamer["linked_phone"] or "",
            "session_start_time": go_time(opened.started_at),
        }
    )
    return body


def legacy_session_json(ctx: Ctx, opened: OpenedSession) -> dict[str, Any]:
    """The answer of seed 000's ``/api/proxy/auth/user/session`` (no session id, no profile)."""
    gamer = opened.gamer
    client_id = str(gamer["client_id"])
    user_id = str(gamer["gamer_id"])
    return {
        "user_id": user_id,
        "third_party_client_id": client_id,
        "third_party_client_name": ctx.config.client_name,
        "namespaced_third_party_user_id": namespaced_id(client_id, user_id, "___"),
        "wallet_address": gamer["wallet_address"],
        "is_new_user": opened.created,
        "access_token": opened.token,
        "refresh_token": opened.refresh_token,
    }
