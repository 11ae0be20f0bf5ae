"""Phone verification by one-time password, which links a KGeN wallet to the gamer.

A request creates an OTP of ``otp_digits`` digits (the "SMS", readable through
``GET /_sandbox/otp`` whichever generation asked for it) and a 4-digit auth code returned to
the caller. Verification needs both, and an OTP can be used once; a new request (or a resend)
for the same phone supersedes the previous OTP. A *limited* OTP (the default; the
``otp-limits`` extension on the current generation) also expires, allows a limited number of
wrong attempts, and a new one may only come after a cooldown.
"""

from __future__ import annotations

import math
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from .accounts import Principal
from .clock import iso
from .context import Ctx
from .errors import ApiError, validation_error
from .identity import mask_phone, new_auth_code, new_otp, new_uid, new_wallet_address
from .validation import require_object

ACTIVE = "ACTIVE"
USED = "USED"
LOCKED = "LOCKED"
SUPERSEDED = "SUPERSEDED"

_PHONE_RE = re.compile(r"[0-9]{6,15}")
_COUNTRY_RE = re.compile(r"\+?[0-9]{1,4}")
_DIGITS_RE = re.compile(r"[0-9]{1,12}")


@dataclass(frozen=True, slots=True)
class Phone:
    """A validated phone number: ``country_code`` like ``+91`` and national ``number``."""

    country_code: str
    number: str

    @property
    def key(self) -> str:
        """E.164-like form used as the storage key, e.g. ``+919876543210``."""
        return self.country_code + self.number


def parse_phone(obj: dict[str, Any]) -> Phone:
    """Validate ``phone_number`` and ``countryCode`` (strings; JSON integers also accepted)."""
    number = obj.get("phone_number")
    if isinstance(number, int) and not isinstance(number, bool):
        number = str(number)
    if not isinstance(number, str) or not _PHONE_RE.fullmatch(number):
        raise ApiError(400, "INVALID_PHONE_NUMBER", "phone_number must be 6 to 15 digits")
    country = obj.get("countryCode")
    if isinstance(country, int) and not isinstance(country, bool):
        country = str(country)
    if not isinstance(country, str) or not _COUNTRY_RE.fullmatch(country):
        raise ApiError(
            400, "INVALID_COUNTRY_CODE", "countryCode must be '+' followed by 1 to 4 digits"
        )
    return Phone("+" + country.lstrip("+"), number)


def _digits_field(obj: dict[str, Any], key: str, width: int) -> str:
    """A code sent as a digit string or a JSON integer (zero-padded back to ``width``)."""
    value = obj.get(key)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return f"{value:0{width}d}"
    if isinstance(value, str) and _DIGITS_RE.fullmatch(value):
        return value
    if value is None:
        raise validation_error(f"{key} is required")
    raise validation_error(f"{key} must be a string of digits")


def _linked_elsewhere(ctx: Ctx, phone: Phone, gamer_pk: int) -> bool:
    row = ctx.conn.execute(
        "SELECT 1 FROM gamers WHERE linked_phone = ? AND id != ?", (phone.key, gamer_pk)
    ).fetchone()
    return row is not None


def _phone_taken() -> ApiError:
    return ApiError(409, "PHONE_ALREADY_LINKED", "This phone number is linked to another gamer")


def request(
    ctx: Ctx, principal: Principal, body: Any, *, limits: bool = True
) -> dict[str, Any]:
    """Create and "send" a new OTP for a phone (v1 ``otp/_request``, current ``otp/register``)."""
    phone = parse_phone(require_object(body))
    return _send(ctx, principal, phone, limits=limits)


def resend(ctx: Ctx, principal: Principal, body: Any, *, limits: bool = True) -> dict[str, Any]:
    """``POST /fe/users/auth/otp/resend``: a new OTP and auth code for a phone already asked for.

    404 OTP_NOT_REQUESTED when this gamer never requested an OTP for the phone.
    """
    phone = parse_phone(require_object(body))
    asked = ctx.conn.execute(
        "SELECT 1 FROM otps WHERE phone = ? AND gamer_pk = ? LIMIT 1",
        (phone.key, principal.gamer_pk),
    ).fetchone()
    if asked is None:
        raise ApiError(404, "OTP_NOT_REQUESTED", "No OTP was requested for this phone number")
    return _send(ctx, principal, phone, limits=limits)


def _send(ctx: Ctx, principal: Principal, phone: Phone, *, limits: bool) -> dict[str, Any]:
    if _linked_elsewhere(ctx, phone, principal.gamer_pk):
        raise _phone_taken()
    cooldown = ctx.config.otp_resend_cooldown_s
    last = ctx.conn.execute(
        "SELECT created_at FROM otps WHERE phone = ? ORDER BY id DESC LIMIT 1", (phone.key,)
    ).fetchone()
    if limits and last is not None and ctx.now - last["created_at"] < cooldown:
        wait = max(1, math.ceil(cooldown - (ctx.now - last["created_at"])))
        raise ApiError(
            429,
            "OTP_RESEND_TOO_SOON",
            f"Wait {wait} seconds before requesting another OTP",
            extras={"retry_after": wait},
            headers={"Retry-After": str(wait)},
        )
    ctx.conn.execute(
        "UPDATE otps SET status = ? WHERE phone = ? AND status = ?", (SUPERSEDED, phone.key, ACTIVE)
    )
    auth_code = new_auth_code()
    ctx.conn.execute(
        "INSERT INTO otps(gamer_pk, phone, phone_cc, auth_code, code, created_at, expires_at,"
        " attempts_left, status, limited) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            principal.gamer_pk,
            phone.key,
            phone.country_code,
            auth_code,
            new_otp(ctx.config.otp_digits),
            ctx.now,
            ctx.now + ctx.config.otp_ttl_s,
            ctx.config.otp_max_attempts,
            ACTIVE,
            1 if limits else 0,
        ),
    )
    known = ctx.conn.execute("SELECT 1 FROM kgen_accounts WHERE phone = ?", (phone.key,)).fetchone()
    return {
        "authCode": auth_code,
        "isNewUser": known is None,
        "expires_in": ctx.config.otp_ttl_s,
        "resend_after": cooldown,
        "attempts_left": ctx.config.otp_max_attempts,
    }


def _too_many_attempts(ctx: Ctx, row: sqlite3.Row) -> ApiError:
    wait = max(0, math.ceil(ctx.config.otp_resend_cooldown_s - (ctx.now - row["created_at"])))
    return ApiError(
        429,
        "OTP_TOO_MANY_ATTEMPTS",
        "Too many wrong attempts; request a new OTP",
        extras={"attempts_left": 0, "retry_after": wait},
        headers={"Retry-After": str(wait)} if wait else {},
    )


def verify(ctx: Ctx, principal: Principal, body: Any) -> dict[str, Any] | ApiError:
    """Verify an OTP (v1 ``otp/_verify``, current ``otp/verify``) and link the phone.

    Returns the success body, or an :class:`ApiError` to answer with *after* committing, since
    a wrong attempt must be counted even though the answer is an error.
    """
    obj = require_object(body)
    phone = parse_phone(obj)
    auth_code = _digits_field(obj, "authCode", 4)
    code = _digits_field(obj, "otp", ctx.config.otp_digits)
    row = ctx.conn.execute(
        "SELECT * FROM otps WHERE phone = ? AND gamer_pk = ? ORDER BY id DESC LIMIT 1",
        (phone.key, principal.gamer_pk),
    ).fetchone()
    if row is None or row["status"] == SUPERSEDED:
        return ApiError(404, "OTP_NOT_REQUESTED", "No OTP was requested for this phone number")
    if row["status"] == USED:
        return ApiError(400, "OTP_ALREADY_USED", "This OTP has already been used")
    limited = bool(row["limited"])
    if row["status"] == LOCKED:
        return _too_many_attempts(ctx, row)
    if limited and ctx.now >= row["expires_at"]:
        return ApiError(400, "OTP_EXPIRED", "The OTP has expired; request a new one")
    if auth_code != row["auth_code"]:
        return ApiError(
            400, "AUTH_CODE_MISMATCH", "authCode does not belong to the latest OTP request"
        )
    if code != row["code"]:
        if not limited:
            return ApiError(400, "OTP_INVALID", "The OTP is not correct")
        left = int(row["attempts_left"]) - 1
        ctx.conn.execute(
            "UPDATE otps SET attempts_left = ?, status = ? WHERE id = ?",
            (left, LOCKED if left <= 0 else ACTIVE, row["id"]),
        )
        if left <= 0:
            return _too_many_attempts(ctx, row)
        return ApiError(
            400, "OTP_INVALID", "The OTP is not correct", extras={"attempts_left": left}
        )
    if _linked_elsewhere(ctx, phone, principal.gamer_pk):
        return _phone_taken()
    ctx.conn.execute("UPDATE otps SET status = ? WHERE id = ?", (USED, row["id"]))
    account = ctx.conn.execute(
        "SELECT wallet_address FROM kgen_accounts WHERE phone = ?", (phone.key,)
    ).fetchone()
    if account is None:
        kgen_wallet = new_wallet_address()
        ctx.conn.execute(
            "INSERT INTO kgen_accounts(phone, wallet_address, created_at, kgen_id)"
            " VALUES (?, ?, ?, ?)",
            (phone.key, kgen_wallet, ctx.now, new_uid()),
        )
    else:
        kgen_wallet = account["wallet_address"]
    ctx.conn.execute(
        "UPDATE gamers SET linked_phone = ?, linked_phone_cc = ?, kgen_wallet_address = ?,"
        " modified_at = ? WHERE id = ?",
        (phone.key, phone.country_code, kgen_wallet, ctx.now, principal.gamer_pk),
    )
    return {
        "message": "Phone number verified successfully",
        "linked_phone": mask_phone(phone.key, phone.country_code),
        "indigg_wallet_address": kgen_wallet,
    }


def latest_for_sandbox(ctx: Ctx, phone: Phone) -> dict[str, Any] | None:
    """The newest OTP "SMS" sent to a phone, for ``GET /_sandbox/otp``."""
    row = ctx.conn.execute(
        "SELECT * FROM otps WHERE phone = ? ORDER BY id DESC LIMIT 1", (phone.key,)
    ).fetchone()
    if row is None:
        return None
    return {
        "otp": row["code"],
        "authCode": row["auth_code"],
        "expires_at": iso(row["expires_at"]),
        "status": "EXPIRED"
        if row["status"] == ACTIVE and row["limited"] and ctx.now >= row["expires_at"]
        else row["status"],
        "attempts_left": row["attempts_left"],
        "phone_number": phone.number,
        "countryCode": phone.country_code,
    }


def kgen_id(ctx: Ctx, gamer: sqlite3.Row) -> str | None:
    """The KGeN account id of the gamer's linked phone (``indigg_id``), None before linking."""
    if not gamer["linked_phone"]:
        return None
    row = ctx.conn.execute(
        "SELECT kgen_id FROM kgen_accounts WHERE phone = ?", (gamer["linked_phone"],)
    ).fetchone()
    return None if row is None else str(row["kgen_id"])


def national_number(gamer: sqlite3.Row) -> str | None:
    """The linked phone without its country code (``1234567890``), None before linking."""
    phone: str | None = gamer["linked_phone"]
    if not phone:
        return None
    prefix = gamer["linked_phone_cc"] or ""
    return phone[len(prefix) :] if prefix and phone.startswith(prefix) else phone
