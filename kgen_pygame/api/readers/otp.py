"""OTP replies: the challenge (register / resend / v1 request) and the verification."""

from __future__ import annotations

from kgen_pygame.api.fields import WireObject, blank_to_none
from kgen_pygame.models import OtpChallenge, OtpVerification

__all__ = ["read_otp_challenge", "read_otp_verification"]


def read_otp_challenge(data: object, operation: str) -> OtpChallenge:
    """Read the OTP request reply; ``authCode`` may be text or a number (C15).

    A numeric ``authCode`` is kept as its digits, so the verify call can send it
    back exactly.
    """
    obj = WireObject.of(data, operation)
    return OtpChallenge(
        auth_code=obj.required_text("authCode", "auth_code"),
        is_new_user=bool(obj.flag("isNewUser", "is_new_user")),
        expires_in=obj.seconds("expires_in"),
        resend_after=obj.seconds("resend_after"),
        attempts_left=obj.integer("attempts_left"),
    )


def read_otp_verification(data: object, operation: str) -> OtpVerification:
    """Read the OTP verify reply (``message`` or ``msg``; both texts of C15)."""
    obj = WireObject.of(data, operation)
    return OtpVerification(
        message=obj.text("message", "msg") or "",
        linked_phone=blank_to_none(obj.text("linked_phone")),
        kgen_wallet_address=blank_to_none(
            obj.text("indigg_wallet_address", "kgen_wallet_address")
        ),
    )
