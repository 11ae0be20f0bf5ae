"""Client-side checks of arguments, before anything is sent.

Everything that can be known wrong without asking the server is refused here
with a plain message: empty ids, malformed phone numbers and country codes,
money given as float, an event value of the wrong type for its kind, unknown
metadata or profile fields. Bad values raise
:class:`~kgen_pygame.errors.ConfigurationError` (a ``ValueError``); a missing
session token raises :class:`~kgen_pygame.errors.UsageError`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Final

from kgen_pygame import event_contract
from kgen_pygame.errors import ConfigurationError, UsageError
from kgen_pygame.models import RewardableEventSpec

__all__ = [
    "CURRENT_PROFILE_FIELDS",
    "EVENT_METADATA_FIELDS",
    "SESSION_PROFILE_FIELDS",
    "check_active_filter",
    "check_amount",
    "check_auth_code",
    "check_country_code",
    "check_event_value",
    "check_gamer_id",
    "check_id",
    "check_idempotency_key",
    "check_metadata",
    "check_otp",
    "check_phone",
    "check_profile",
    "check_reward_ids",
    "check_rewardable_event",
    "check_stake",
    "check_timestamp_ms",
    "check_token",
]

#: Metadata fields of a sent event: the game's (:mod:`kgen_pygame.event_contract`)
#: and the two the plugin fills in.
EVENT_METADATA_FIELDS: Final[dict[str, type]] = {
    **event_contract.METADATA_KEYS,
    "playerId": str,
    "gameId": str,
}

#: Optional profile fields of ``POST /session`` besides ``gamer_id``.
SESSION_PROFILE_FIELDS: Final = frozenset(
    {
        "device_id",
        "email",
        "username",
        "level",
        "rank",
        "date_joined",
        "phonenumber",
        "name",
        "playertag",
        "location_name",
        "location",
    }
)

#: Optional profile fields of the current ``POST /s2s/session`` besides ``user_id``
#: (reference/esports-current/user-session.md lists them without types, C5).
CURRENT_PROFILE_FIELDS: Final = frozenset(
    {
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
    }
)

#: The largest reward a rewardable event may pay (the readers' bound on amounts).
_MAX_REWARD = Decimal(10) ** 12
_MAX_ID_LENGTH = 256
_MAX_TEXT_VALUE = 1024
_PHONE_SEPARATORS = re.compile(r"[\s\-.()]")
_PHONE = re.compile(r"^\d{6,15}$")
_COUNTRY_CODE = re.compile(r"^\+?(\d{1,4})$")
_OTP = re.compile(r"^\d{4,10}$")
_IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


def _has_control_chars(text: str) -> bool:
    return any(ord(char) < 0x20 or ord(char) == 0x7F for char in text)


def check_token(token: object) -> str:
    """The session token of a user call: a non-empty string."""
    if not isinstance(token, str) or not token.strip():
        raise UsageError("no session token: create or fetch a session before this call")
    if _has_control_chars(token):
        raise ConfigurationError("the session token contains control characters")
    return token


def check_id(name: str, value: object) -> str:
    """A non-empty identifier (tournament uid, wallet address, reward id)."""
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"{name} must be a non-empty string")
    if len(value) > _MAX_ID_LENGTH or _has_control_chars(value):
        raise ConfigurationError(
            f"{name} must be at most {_MAX_ID_LENGTH} characters without control characters"
        )
    return value


def check_gamer_id(gamer_id: object) -> str:
    """The game's own player id: 1 to 128 characters."""
    if not isinstance(gamer_id, str) or not gamer_id.strip():
        raise ConfigurationError("gamer_id must be a non-empty string")
    if len(gamer_id) > 128 or _has_control_chars(gamer_id):
        raise ConfigurationError("gamer_id must be 1 to 128 characters without control characters")
    return gamer_id


def check_phone(phone: object) -> str:
    """Digits only, 6 to 15 of them; spaces, dashes, dots and brackets are removed."""
    if isinstance(phone, int) and not isinstance(phone, bool):
        phone = str(phone)
    if not isinstance(phone, str):
        raise ConfigurationError("the phone number must be a string of digits")
    digits = _PHONE_SEPARATORS.sub("", phone)
    if not _PHONE.match(digits):
        raise ConfigurationError(
            "the phone number must have 6 to 15 digits, without the country code"
        )
    return digits


def check_country_code(country_code: object) -> str:
    """A country calling code such as ``"+91"`` (the "+" is optional on input)."""
    if isinstance(country_code, int) and not isinstance(country_code, bool):
        country_code = str(country_code)
    if not isinstance(country_code, str):
        raise ConfigurationError('the country code must look like "+91"')
    match = _COUNTRY_CODE.match(country_code.strip())
    if not match:
        raise ConfigurationError('the country code must be "+" and 1 to 4 digits, like "+91"')
    return "+" + match.group(1)


def check_otp(otp: object) -> str:
    """The one-time code the player typed: 4 to 10 digits."""
    if isinstance(otp, int) and not isinstance(otp, bool):
        otp = str(otp)
    if not isinstance(otp, str) or not _OTP.match(otp.strip()):
        raise ConfigurationError("the one-time code must be 4 to 10 digits")
    return otp.strip()


def check_auth_code(auth_code: object) -> str:
    """The ``authCode`` returned by the OTP request, as text."""
    if isinstance(auth_code, int) and not isinstance(auth_code, bool):
        auth_code = str(auth_code)
    if not isinstance(auth_code, str) or not auth_code.strip() or _has_control_chars(auth_code):
        raise ConfigurationError("auth_code must be the non-empty authCode from request_otp()")
    return auth_code.strip()


def check_amount(name: str, amount: object) -> Decimal:
    """A positive, finite amount of money as Decimal (int and numeric text accepted).

    A float is refused: binary floats cannot hold most decimal amounts exactly.
    """
    if isinstance(amount, bool | float):
        raise ConfigurationError(f"{name} must be a Decimal or int, not {type(amount).__name__}")
    try:
        if isinstance(amount, Decimal):
            value = amount
        elif isinstance(amount, int):
            value = Decimal(amount)
        elif isinstance(amount, str):
            value = Decimal(amount.strip())
        else:
            raise ConfigurationError(f"{name} must be a Decimal or int")
    except InvalidOperation:
        raise ConfigurationError(f"{name} must be a number") from None
    if not value.is_finite() or value <= 0:
        raise ConfigurationError(f"{name} must be a positive, finite amount")
    return value


def check_stake(stake: object) -> Decimal:
    """A tournament stake: like :func:`check_amount` but 0 is allowed (free entry)."""
    if isinstance(stake, Decimal | int) and not isinstance(stake, bool) and stake == 0:
        return Decimal(0)
    return check_amount("stake", stake)


def check_reward_ids(reward_ids: object) -> list[str] | None:
    """None (claim everything) or a non-empty list of reward ids."""
    if reward_ids is None:
        return None
    if isinstance(reward_ids, str) or not isinstance(reward_ids, Sequence):
        raise ConfigurationError("reward_ids must be a list of reward ids, or None to claim all")
    ids = [check_id("each reward id", item) for item in reward_ids]
    if not ids:
        raise ConfigurationError("reward_ids is empty; pass None to claim every reward")
    return list(dict.fromkeys(ids))


def check_idempotency_key(key: object) -> str:
    """The event id sent as ``Idempotency-Key``: 1 to 255 printable ASCII characters."""
    if not isinstance(key, str) or not _IDEMPOTENCY_KEY.match(key):
        raise ConfigurationError(
            "idempotency_key must be 1 to 255 printable ASCII characters without spaces"
        )
    return key


def check_timestamp_ms(timestamp_ms: object) -> int:
    """Milliseconds since the Unix epoch, as a non-negative integer."""
    if isinstance(timestamp_ms, bool) or not isinstance(timestamp_ms, int) or timestamp_ms < 0:
        raise ConfigurationError("timestamp_ms must be a non-negative integer of milliseconds")
    return timestamp_ms


def check_event_value(kind: object, value: object) -> event_contract.EventValue:
    """Check *value* against the event contract for *kind*; return it in wire form.

    The rules live in :mod:`kgen_pygame.event_contract` (one definition for the
    facade, the client and the sandbox).
    """
    return event_contract.check_value(event_contract.check_kind(kind), value)


def check_metadata(metadata: object) -> dict[str, str | int]:
    """Event metadata as sent: the contract's keys plus ``playerId`` (required) and
    ``gameId``, typed."""
    if not isinstance(metadata, Mapping):
        raise ConfigurationError("metadata must be a dict with at least playerId")
    clean: dict[str, str | int] = {}
    for key in ("playerId", "gameId"):
        value = metadata.get(key)
        if value is not None:
            clean[key] = check_id(f"metadata {key}", value)
    if "playerId" not in clean:
        raise ConfigurationError("metadata must include playerId (the player's id in the game)")
    own = {key: value for key, value in metadata.items() if key not in ("playerId", "gameId")}
    clean.update(event_contract.check_metadata(own))
    return clean


def check_profile(
    profile: Mapping[str, object], allowed: frozenset[str] = SESSION_PROFILE_FIELDS
) -> dict[str, object]:
    """Optional session profile fields; unknown names are refused, None values dropped.

    *allowed* is the generation's list (:data:`SESSION_PROFILE_FIELDS` for v1,
    :data:`CURRENT_PROFILE_FIELDS` for the current API; the legacy session call
    takes none).
    """
    unknown = sorted(key for key in profile if key not in allowed)
    if unknown:
        choices = ", ".join(sorted(allowed)) or "none on this API generation"
        raise ConfigurationError(
            f"unknown session profile field {', '.join(unknown)}; allowed: {choices}"
        )
    clean: dict[str, object] = {}
    for key, value in profile.items():
        if value is None:
            continue
        if isinstance(value, float):
            raise ConfigurationError(f"profile field {key} must not be a float; use int or str")
        if key == "location" and isinstance(value, Mapping):
            clean[key] = dict(value)
        elif isinstance(value, str | int | Decimal):
            clean[key] = value
        else:
            raise ConfigurationError(
                f"profile field {key} must be text or a number, got {type(value).__name__}"
            )
    return clean


def check_active_filter(active: object) -> bool | None:
    """The ``isActive`` filter of the rewardable-events list: True, False or None (all)."""
    if active is not None and not isinstance(active, bool):
        raise ConfigurationError("active must be True, False or None (every event)")
    return active


def _spec_text(name: str, value: object, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise ConfigurationError(f"{name} must be a string")
    if not allow_empty and not value.strip():
        raise ConfigurationError(f"{name} must not be empty")
    if len(value) > _MAX_TEXT_VALUE or _has_control_chars(value):
        raise ConfigurationError(
            f"{name} must be at most {_MAX_TEXT_VALUE} characters without control characters"
        )
    return value


def check_rewardable_event(spec: object) -> RewardableEventSpec:
    """A rewardable event to create (no ``event_id``) or replace (``event_id`` and
    ``entity_id``, as the platform returned them: the update body carries both)."""
    if not isinstance(spec, RewardableEventSpec):
        raise ConfigurationError("the rewardable event must be a RewardableEventSpec")
    _spec_text("event_type", spec.event_type)
    _spec_text("name", spec.name)
    _spec_text("description", spec.description, allow_empty=True)
    _spec_text("reward_category", spec.reward_category)
    _spec_text("entity_type", spec.entity_type)
    _spec_text("activity_trace_activity_id", spec.activity_trace_activity_id, allow_empty=True)
    for flag in ("is_active", "activity_trace_enabled"):
        if not isinstance(getattr(spec, flag), bool):
            raise ConfigurationError(f"{flag} must be True or False")
    amount = check_amount("reward_amount", spec.reward_amount)
    if amount > _MAX_REWARD:
        raise ConfigurationError(f"reward_amount must be at most {_MAX_REWARD:,} KGeN")
    if spec.event_id is None:
        if spec.entity_id is not None:
            raise ConfigurationError(
                "entity_id is set but event_id is not: a new event has no entity id yet"
            )
    else:
        check_id("event_id", spec.event_id)
        if spec.entity_id is None:
            raise ConfigurationError(
                "replacing an event needs its entity_id as the platform returned it "
                "(get_rewardable_event(event_id).entity_id)"
            )
        check_id("entity_id", spec.entity_id)
    return dataclasses.replace(spec, reward_amount=amount)
