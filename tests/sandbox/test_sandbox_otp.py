"""OTP request and verification (phone + KGeN wallet linking)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from kgen_pygame.sandbox import SandboxServer
from tests.sandbox.conftest import Api

PHONE = {"phone_number": "9876543210", "countryCode": "+91"}


def _request(api: Api, token: str, phone: dict[str, Any] = PHONE) -> Any:
    return api.post("/api/v1/verification/otp/_request", token=token, json=phone)


def _sms(api: Api, phone: dict[str, Any] = PHONE) -> dict[str, Any]:
    reply = api.get("/_sandbox/otp", params=phone)
    assert reply.status_code == 200
    body: dict[str, Any] = reply.json()
    return body


def _verify(api: Api, token: str, auth_code: Any, otp: Any, phone: dict[str, Any] = PHONE) -> Any:
    return api.post(
        "/api/v1/verification/otp/_verify",
        token=token,
        json={**phone, "authCode": auth_code, "otp": otp},
    )


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_request_and_verify_links_phone_and_kgen_wallet(api: Api) -> None:
    token = api.token("linker")
    reply = _request(api, token)
    assert reply.status_code == 200
    challenge = reply.json()
    assert re.fullmatch(r"[0-9]{4}", challenge["authCode"])
    assert challenge["isNewUser"] is True
    assert challenge["expires_in"] == 300 and challenge["resend_after"] == 30
    assert challenge["attempts_left"] == 3
    sms = _sms(api)
    assert re.fullmatch(r"[0-9]{6}", sms["otp"]) and sms["authCode"] == challenge["authCode"]
    assert sms["status"] == "ACTIVE"

    verified = _verify(api, token, challenge["authCode"], sms["otp"])
    assert verified.status_code == 200
    body = verified.json()
    assert body["message"] == "Phone number verified successfully"
    assert body["linked_phone"] == "+91******3210"
    assert re.fullmatch(r"0x[0-9a-f]{40}", body["indigg_wallet_address"])

    session = api.get("/api/v1/session", token=token).json()
    assert session["linked_phone"] == "+91******3210"
    assert session["indigg_wallet_address"] == body["indigg_wallet_address"]
    assert api.balance(token)["indigg_wallet_address"] == body["indigg_wallet_address"]
    records = api.records("linker")
    assert records["linked"] is True and records["links"] == 1
    # The phone now has a KGeN account: a later request by the same gamer is not a new user.
    api.advance(31)
    assert _request(api, token).json()["isNewUser"] is False


def test_numeric_auth_code_and_otp_are_accepted(api: Api) -> None:
    token = api.token()
    challenge = _request(api, token).json()
    otp = _sms(api)["otp"]
    reply = _verify(api, token, int(challenge["authCode"]), int(otp))
    assert reply.status_code == 200


@pytest.mark.parametrize(
    ("phone", "code"),
    [
        ({"phone_number": "12345", "countryCode": "+91"}, "INVALID_PHONE_NUMBER"),
        ({"phone_number": "98765-43210", "countryCode": "+91"}, "INVALID_PHONE_NUMBER"),
        ({"phone_number": "9" * 16, "countryCode": "+91"}, "INVALID_PHONE_NUMBER"),
        ({"countryCode": "+91"}, "INVALID_PHONE_NUMBER"),
        ({"phone_number": "9876543210", "countryCode": "XX"}, "INVALID_COUNTRY_CODE"),
        ({"phone_number": "9876543210", "countryCode": "+12345"}, "INVALID_COUNTRY_CODE"),
        ({"phone_number": "9876543210"}, "INVALID_COUNTRY_CODE"),
    ],
)
def test_invalid_phone_or_country_code(api: Api, phone: dict[str, Any], code: str) -> None:
    reply = _request(api, api.token(), phone)
    assert reply.status_code == 400
    assert reply.json()["error"] == code


def test_country_code_without_plus_is_normalised(api: Api) -> None:
    token = api.token()
    assert (
        _request(api, token, {"phone_number": "5550001111", "countryCode": "1"}).status_code == 200
    )
    assert _sms(api, {"phone_number": "5550001111", "countryCode": "+1"})["countryCode"] == "+1"


def test_request_again_too_soon_is_429_with_retry_after(api: Api) -> None:
    token = api.token()
    assert _request(api, token).status_code == 200
    api.advance(10)
    again = _request(api, token)
    assert again.status_code == 429
    assert again.json()["error"] == "OTP_RESEND_TOO_SOON"
    assert again.json()["retry_after"] == 20
    assert again.headers["Retry-After"] == "20"
    api.advance(20)
    assert _request(api, token).status_code == 200


def test_new_request_supersedes_the_old_auth_code(api: Api) -> None:
    token = api.token()
    first = _request(api, token).json()
    first_otp = _sms(api)["otp"]
    api.advance(31)
    second = _request(api, token).json()
    if second["authCode"] == first["authCode"]:  # 1 in 10,000: make the codes differ
        api.advance(31)
        second = _request(api, token).json()
    stale = _verify(api, token, first["authCode"], first_otp)
    assert stale.status_code == 400
    assert stale.json()["error"] == "AUTH_CODE_MISMATCH"
    assert _verify(api, token, second["authCode"], _sms(api)["otp"]).status_code == 200


def test_wrong_otp_counts_attempts_then_locks(api: Api) -> None:
    token = api.token()
    challenge = _request(api, token).json()
    good = _sms(api)["otp"]
    first = _verify(api, token, challenge["authCode"], _wrong(good))
    assert first.status_code == 400
    assert first.json()["error"] == "OTP_INVALID" and first.json()["attempts_left"] == 2
    second = _verify(api, token, challenge["authCode"], _wrong(good))
    assert second.json()["attempts_left"] == 1
    third = _verify(api, token, challenge["authCode"], _wrong(good))
    assert third.status_code == 429
    assert third.json()["error"] == "OTP_TOO_MANY_ATTEMPTS"
    # Even the right code no longer works: a new OTP is needed.
    locked = _verify(api, token, challenge["authCode"], good)
    assert locked.status_code == 429 and locked.json()["error"] == "OTP_TOO_MANY_ATTEMPTS"
    assert _sms(api)["status"] == "LOCKED"
    api.advance(31)
    fresh = _request(api, token).json()
    assert _verify(api, token, fresh["authCode"], _sms(api)["otp"]).status_code == 200


def test_expired_otp(api: Api) -> None:
    token = api.token()
    challenge = _request(api, token).json()
    otp = _sms(api)["otp"]
    api.advance(301)
    reply = _verify(api, token, challenge["authCode"], otp)
    assert reply.status_code == 400
    assert reply.json()["error"] == "OTP_EXPIRED"
    assert _sms(api)["status"] == "EXPIRED"


def test_otp_cannot_be_used_twice(api: Api) -> None:
    token = api.token()
    challenge = _request(api, token).json()
    otp = _sms(api)["otp"]
    assert _verify(api, token, challenge["authCode"], otp).status_code == 200
    again = _verify(api, token, challenge["authCode"], otp)
    assert again.status_code == 400
    assert again.json()["error"] == "OTP_ALREADY_USED"


def test_verify_without_request(api: Api) -> None:
    reply = _verify(api, api.token(), "1234", "123456")
    assert reply.status_code == 404
    assert reply.json()["error"] == "OTP_NOT_REQUESTED"
    assert api.get("/_sandbox/otp", params=PHONE).status_code == 404


def test_otp_of_another_gamer_cannot_be_verified(api: Api) -> None:
    requester, other = api.token("requester"), api.token("other")
    challenge = _request(api, requester).json()
    reply = _verify(api, other, challenge["authCode"], _sms(api)["otp"])
    assert reply.status_code == 404 and reply.json()["error"] == "OTP_NOT_REQUESTED"


@pytest.mark.parametrize(
    "extra",
    [{"authCode": "12a4", "otp": "123456"}, {"authCode": "1234"}, {"authCode": True, "otp": "1"}],
)
def test_verify_body_types(api: Api, extra: dict[str, Any]) -> None:
    token = api.token()
    _request(api, token)
    reply = api.post("/api/v1/verification/otp/_verify", token=token, json={**PHONE, **extra})
    assert reply.status_code == 400
    assert reply.json()["error"] == "VALIDATION_ERROR"


def test_phone_linked_to_another_gamer_is_409(api: Api) -> None:
    owner = api.token("owner")
    challenge = _request(api, owner).json()
    assert _verify(api, owner, challenge["authCode"], _sms(api)["otp"]).status_code == 200
    api.advance(31)
    reply = _request(api, api.token("intruder"))
    assert reply.status_code == 409
    assert reply.json()["error"] == "PHONE_ALREADY_LINKED"


def test_otp_limits_follow_the_config(
    make_sandbox: Callable[..., SandboxServer], make_api: Callable[[SandboxServer], Api]
) -> None:
    api = make_api(make_sandbox(otp_ttl_s=60, otp_resend_cooldown_s=0, otp_max_attempts=1))
    token = api.token()
    challenge = _request(api, token).json()
    assert challenge["expires_in"] == 60 and challenge["attempts_left"] == 1
    assert _request(api, token).status_code == 200  # no cooldown
    challenge = _request(api, token).json()
    wrong = _verify(api, token, challenge["authCode"], _wrong(_sms(api)["otp"]))
    assert wrong.status_code == 429


def test_the_latest_sms_of_a_player_whatever_the_phone(api: Api) -> None:
    """GET /_sandbox/sms?gamer_id=: what a demo that owns its sandbox shows as the SMS."""
    assert api.get("/_sandbox/sms", params={}).status_code == 400
    assert api.get("/_sandbox/sms", params={"gamer_id": "nobody"}).status_code == 404
    token = api.token("texter")
    assert api.get("/_sandbox/sms", params={"gamer_id": "texter"}).status_code == 404
    _request(api, token)
    other = {"phone_number": "9123456780", "countryCode": "+44"}
    api.advance(31)
    challenge = _request(api, token, other).json()
    reply = api.get("/_sandbox/sms", params={"gamer_id": "texter"})
    assert reply.status_code == 200
    sms = reply.json()
    assert sms == {**_sms(api, other), "phone_number": "9123456780", "countryCode": "+44"}
    assert sms["authCode"] == challenge["authCode"] and sms["status"] == "ACTIVE"
    assert api.get("/_sandbox/sms", params={"gamer_id": "linker"}).status_code == 404
