"""Errors, redaction, exact JSON and argument validation: pure behaviour, no network."""

from __future__ import annotations

import logging
import pickle
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from email.utils import format_datetime

import pytest

from kgen_pygame import errors
from kgen_pygame.api import jsoncodec, validation
from kgen_pygame.api.transport import (
    MAX_RETRY_AFTER_S,
    check_base_url,
    check_timeout,
    parse_retry_after,
)
from kgen_pygame.redact import (
    RedactingFilter,
    forget_secret,
    redact_text,
    redact_url,
    register_secret,
)

# -- errors -------------------------------------------------------------------------


def test_hierarchy_and_builtin_bases() -> None:
    assert issubclass(errors.ConfigurationError, ValueError)
    assert issubclass(errors.UsageError, RuntimeError)
    assert issubclass(errors.RequestTimeout, errors.NetworkError)
    assert issubclass(errors.NotFoundError, errors.InvalidRequestError)
    for cls in (
        errors.AuthenticationError,
        errors.InvalidRequestError,
        errors.RateLimitError,
        errors.ServerError,
    ):
        assert issubclass(cls, errors.APIError)
    for cls in (
        errors.ConfigurationError,
        errors.UsageError,
        errors.NetworkError,
        errors.ProtocolError,
        errors.APIError,
    ):
        assert issubclass(cls, errors.KGenError)


def api_error(cls: type[errors.APIError], status: int) -> errors.APIError:
    return cls(
        f"GET /api/v1/x failed: {status}", status=status, operation="GET /api/v1/x", code="C"
    )


@pytest.mark.parametrize(
    ("cls", "status", "retryable"),
    [
        (errors.AuthenticationError, 401, False),
        (errors.InvalidRequestError, 400, False),
        (errors.InvalidRequestError, 409, False),
        (errors.InvalidRequestError, 422, False),
        (errors.NotFoundError, 404, False),
        (errors.APIError, 408, True),
        (errors.RateLimitError, 429, True),
        (errors.ServerError, 500, True),
        (errors.ServerError, 503, True),
    ],
)
def test_api_error_retryable(cls: type[errors.APIError], status: int, retryable: bool) -> None:
    assert api_error(cls, status).retryable is retryable


def test_other_errors_retryable_flags() -> None:
    assert errors.NetworkError("x").retryable
    assert errors.RequestTimeout("x").retryable
    assert not errors.ConfigurationError("x").retryable
    assert not errors.UsageError("x").retryable
    assert not errors.ProtocolError("x").retryable
    assert errors.ProtocolError("x", retryable=True).retryable


def test_api_error_attributes_repr_and_pickle() -> None:
    error = errors.RateLimitError(
        "POST /api/v1/verification/otp/_request failed: 429 OTP_RESEND_TOO_SOON",
        status=429,
        operation="POST /api/v1/verification/otp/_request",
        code="OTP_RESEND_TOO_SOON",
        server_message="wait",
        retry_after=30.0,
        details={"attempts_left": 2},
    )
    assert (error.status, error.code, error.retry_after) == (429, "OTP_RESEND_TOO_SOON", 30.0)
    assert error.attempts_left == 2
    assert error.args == (error.message,)
    assert repr(error).startswith("RateLimitError(status=429, code='OTP_RESEND_TOO_SOON'")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is errors.RateLimitError
    assert (copy.status, copy.code, copy.retry_after, copy.attempts_left) == (
        429,
        "OTP_RESEND_TOO_SOON",
        30.0,
        2,
    )
    protocol = pickle.loads(pickle.dumps(errors.ProtocolError("cut", retryable=True)))
    assert protocol.retryable and str(protocol) == "cut"


def test_error_messages_are_scrubbed_at_creation() -> None:
    error = errors.NetworkError("GET https://u:pw@h/api/v1/rewards?token=abc123def&x=1 failed")
    assert "abc123def" not in str(error) and "token=" not in str(error) and "pw@" not in str(error)
    assert "abc123def" not in repr(error)
    assert "abc123def" not in "".join(map(str, error.args))


# -- redaction ----------------------------------------------------------------------


def test_redact_url() -> None:
    url = "https://user:pw@api.example.com/api/v1/rewards?token=tok_abc&page=2&apiKey=k1#frag"
    safe = redact_url(url)
    assert safe == "https://***@api.example.com/api/v1/rewards?[redacted]&page=2"
    assert redact_url("http://127.0.0.1:8/api/v1/x") == "http://127.0.0.1:8/api/v1/x"
    assert "s3cr3t" not in redact_url("https://h/p?client_secret=s3cr3t&x-clientSecret=s3cr3t")


def test_redact_text_patterns() -> None:
    line = 'http://127.0.0.1:5 "GET /api/v1/rewards?token=tok_1234 HTTP/1.1" 200 42'
    assert (
        redact_text(line) == 'http://127.0.0.1:5 "GET /api/v1/rewards?[redacted] HTTP/1.1" 200 42'
    )
    headers = "{'x-clientID': 'id', 'x-clientSecret': 'sec_value', 'Authorization': 'Bearer z'}"
    scrubbed = redact_text(headers)
    assert "sec_value" not in scrubbed and "Bearer z" not in scrubbed and "'id'" in scrubbed
    body = '{"token": "tok_xyz_123", "gamer_id": "g"}'
    assert redact_text(body) == '{"token": "[redacted]", "gamer_id": "g"}'
    assert redact_text("token=abcd then more") == "[redacted] then more"
    assert redact_text("value is hunter22", ["hunter22"]) == "value is [redacted]"
    assert redact_text("score=10&level=2") == "score=10&level=2"


def test_registered_secrets_are_scrubbed_everywhere() -> None:
    register_secret("registered-secret-value")
    try:
        assert (
            redact_text("GET /x?token=registered-secret-value HTTP/1.1")
            == "GET /x?[redacted] HTTP/1.1"
        )
        assert "registered-secret-value" not in redact_text("x registered-secret-value y")
        assert "registered-secret-value" not in str(
            errors.KGenError("boom registered-secret-value")
        )
    finally:
        forget_secret("registered-secret-value")
    assert redact_text("x registered-secret-value") == "x registered-secret-value"
    register_secret("abc")  # too short to scrub safely: ignored
    assert redact_text("abc") == "abc"


def test_redacting_filter_scrubs_message_args_and_exception(
    caplog: pytest.LogCaptureFixture,
) -> None:
    logger = logging.getLogger("tests.api.redaction")
    redactor = RedactingFilter(secrets=["sec_SECRET_xyz"])
    logger.addFilter(redactor)
    try:
        with caplog.at_level(logging.DEBUG, logger="tests.api.redaction"):
            logger.debug(
                "calling %s with %r", "/api/v1/x?token=tok_SECRET_abc123", {"s": "sec_SECRET_xyz"}
            )
            try:
                raise ValueError("failed GET /api/v1/y?token=tok_SECRET_abc123")
            except ValueError:
                logger.exception("request failed")
            logger.info("bad format %s %s", "only one")  # a broken record still logs
    finally:
        logger.removeFilter(redactor)
    text = caplog.text
    assert "tok_SECRET_abc123" not in text and "sec_SECRET_xyz" not in text
    assert "token=" not in text
    assert "request failed" in text and "ValueError" in text
    assert len(caplog.records) == 3


# -- JSON ---------------------------------------------------------------------------


def test_json_decimal_round_trip_is_exact() -> None:
    decoded = jsoncodec.loads('{"a": 0.1, "b": 20.10, "c": 3, "d": 1e-7}')
    assert decoded == {"a": Decimal("0.1"), "b": Decimal("20.10"), "c": 3, "d": Decimal("1e-7")}
    encoded = jsoncodec.dumps(
        {"stake": Decimal("12.50"), "whole": Decimal("50.00"), "tiny": Decimal("1E-7"), "n": [1]}
    )
    assert encoded == b'{"stake":12.50,"whole":50,"tiny":1E-7,"n":[1]}'
    assert jsoncodec.loads(encoded.decode()) == {
        "stake": Decimal("12.50"),
        "whole": 50,
        "tiny": Decimal("1E-7"),
        "n": [1],
    }
    assert (
        jsoncodec.dumps({"u": "ünï", "t": (True, None)}) == '{"u":"ünï","t":[true,null]}'.encode()
    )


@pytest.mark.parametrize("bad", [1.5, Decimal("NaN"), Decimal("Infinity"), {1: 2}, object(), b"x"])
def test_json_refuses_unsendable_values(bad: object) -> None:
    with pytest.raises(TypeError):
        jsoncodec.dumps({"v": bad})


@pytest.mark.parametrize("text", ["NaN", '{"a": Infinity}', "{", "<html>", '{"a": 1} x'])
def test_json_refuses_invalid_text(text: str) -> None:
    with pytest.raises(jsoncodec.InvalidJSONError):
        jsoncodec.loads(text)


# -- configuration checks -------------------------------------------------------------


def test_base_url_rules() -> None:
    assert check_base_url("https://api.example.com/") == "https://api.example.com"
    assert check_base_url("https://api.example.com/prefix") == "https://api.example.com/prefix"
    assert check_base_url("http://127.0.0.1:8123") == "http://127.0.0.1:8123"
    assert check_base_url("http://localhost:1") == "http://localhost:1"
    assert check_base_url("http://[::1]:1") == "http://[::1]:1"
    assert check_base_url("http://10.0.0.5", allow_insecure_http=True) == "http://10.0.0.5"
    with pytest.raises(errors.ConfigurationError, match=r"refusing plain http:// to 10\.0\.0\.5"):
        check_base_url("http://10.0.0.5")
    with pytest.raises(errors.ConfigurationError, match="user info") as caught:
        check_base_url("https://me:pw123456@h.example")
    assert "pw123456" not in str(caught.value)
    with pytest.raises(errors.ConfigurationError, match="query string"):
        check_base_url("https://h.example/?token=abcdef")
    for bad in ("", "ftp://h", "https://", "not a url", "https://h:99999"):
        with pytest.raises(errors.ConfigurationError):
            check_base_url(bad)


def test_timeout_rules() -> None:
    assert check_timeout((3.05, 10)) == (3.05, 10.0)
    assert check_timeout(5) == (5.0, 5.0)
    for bad in (None, 0, -1, (1, 0), (1,), float("inf"), True, "3", (1, None)):
        with pytest.raises(errors.ConfigurationError):
            check_timeout(bad)


def test_retry_after_parsing() -> None:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    assert parse_retry_after("30") == 30.0
    assert parse_retry_after("1.5") == 1.5
    assert parse_retry_after("-5") == 0.0
    assert parse_retry_after("999999") == MAX_RETRY_AFTER_S
    date = format_datetime(now + timedelta(seconds=120), usegmt=True)
    assert parse_retry_after(date, now=now) == 120.0
    assert parse_retry_after(format_datetime(now - timedelta(hours=1), usegmt=True), now=now) == 0
    for bad in (None, "", "soon", "nan"):
        assert parse_retry_after(bad) is None


# -- argument validation ------------------------------------------------------------------


def test_phone_and_country_code() -> None:
    assert validation.check_phone("98765 43219") == "9876543219"
    assert validation.check_phone("(987) 654-3219") == "9876543219"
    assert validation.check_phone(9876543219) == "9876543219"
    assert validation.check_country_code("91") == "+91"
    assert validation.check_country_code(" +1 ") == "+1"
    for bad_phone in ("12345", "1234567890123456", "98765abc21", "", None, "+919876543219"):
        with pytest.raises(errors.ConfigurationError, match=r"6 to 15 digits|string of digits"):
            validation.check_phone(bad_phone)
    for bad_code in ("XX", "+12345", "+", "", None, "++91"):
        with pytest.raises(errors.ConfigurationError, match="country code"):
            validation.check_country_code(bad_code)


def test_otp_and_auth_code() -> None:
    assert validation.check_otp(" 123456 ") == "123456"
    assert validation.check_otp(596097) == "596097"
    assert validation.check_auth_code(5496) == "5496"
    for bad in ("12", "12a456", "", None):
        with pytest.raises(errors.ConfigurationError):
            validation.check_otp(bad)
    for bad in ("", "  ", None, "a\nb"):
        with pytest.raises(errors.ConfigurationError):
            validation.check_auth_code(bad)


def test_money_arguments() -> None:
    assert validation.check_amount("amount", Decimal("20.50")) == Decimal("20.50")
    assert validation.check_amount("amount", 20) == Decimal(20)
    assert validation.check_amount("amount", "20.5") == Decimal("20.5")
    assert validation.check_stake(0) == Decimal(0)
    with pytest.raises(errors.ConfigurationError, match="not float"):
        validation.check_amount("amount", 20.5)
    for bad in (True, 0, -1, Decimal("NaN"), "abc", None, [1]):
        with pytest.raises(errors.ConfigurationError):
            validation.check_amount("amount", bad)


def test_ids_tokens_and_keys() -> None:
    assert validation.check_id("uid", "t-1") == "t-1"
    for bad in ("", "   ", None, 5, "a\x00b", "x" * 300):
        with pytest.raises(errors.ConfigurationError):
            validation.check_id("uid", bad)
    with pytest.raises(errors.UsageError, match="no session token"):
        validation.check_token("")
    with pytest.raises(errors.UsageError):
        validation.check_token(None)
    with pytest.raises(errors.ConfigurationError):
        validation.check_token("tok\r\nX-Evil: 1")
    assert validation.check_idempotency_key("0f8e-11") == "0f8e-11"
    for bad in ("", "has space", "new\nline", "é", "x" * 256):
        with pytest.raises(errors.ConfigurationError):
            validation.check_idempotency_key(bad)
    assert validation.check_gamer_id("g" * 128) == "g" * 128
    with pytest.raises(errors.ConfigurationError):
        validation.check_gamer_id("g" * 129)
    assert validation.check_reward_ids(None) is None
    assert validation.check_reward_ids(("a", "b", "a")) == ["a", "b"]
    for bad_ids in ("abc", [], [""], [1]):
        with pytest.raises(errors.ConfigurationError):
            validation.check_reward_ids(bad_ids)


@pytest.mark.parametrize(
    ("kind", "value", "wire"),
    [
        ("score", 1200, 1200),
        ("score", Decimal("12"), 12),
        ("score", 12.0, 12),
        ("achievement", 3, 3),
        ("achievement", Decimal("3"), 3),
        ("levelup", "level-2", "level-2"),
        ("progress", "50%", "50%"),
        ("matchResult", ["m1", "won"], ["m1", "won"]),
        ("matchJoined", ("m1",), ["m1"]),
        ("tournamentJoined", "t1", ["t1"]),
        ("lobbyJoined", ["l1"], ["l1"]),
    ],
)
def test_event_values_by_kind(kind: str, value: object, wire: object) -> None:
    assert validation.check_event_value(kind, value) == wire


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("scores", 1),
        ("score", "100"),
        ("score", True),
        ("score", float("nan")),
        ("score", 12.25),
        ("score", Decimal("12.5")),
        ("score", 10**16),
        ("achievement", 1.5),
        ("achievement", "1"),
        ("levelup", 2),
        ("progress", ""),
        ("matchResult", [1, 2]),
        ("matchResult", []),
        ("lobbyJoined", {"a": 1}),
        (None, 1),
    ],
)
def test_event_values_refused(kind: object, value: object) -> None:
    with pytest.raises(errors.ConfigurationError):
        validation.check_event_value(kind, value)


def test_event_metadata() -> None:
    assert validation.check_metadata(
        {"playerId": "p", "tournamentId": "t", "level": 3, "areaCode": None}
    ) == {"playerId": "p", "tournamentId": "t", "level": 3}
    with pytest.raises(errors.ConfigurationError, match="playerId"):
        validation.check_metadata({"tournamentId": "t"})
    with pytest.raises(errors.ConfigurationError, match="unknown event metadata colour"):
        validation.check_metadata({"playerId": "p", "colour": "red"})
    with pytest.raises(errors.ConfigurationError, match="level must be a whole number"):
        validation.check_metadata({"playerId": "p", "level": "3"})
    with pytest.raises(errors.ConfigurationError):
        validation.check_metadata(["playerId"])


def test_session_profile() -> None:
    assert validation.check_profile(
        {"username": "neo", "level": 3, "location": {"lat": 1}, "email": None}
    ) == {"username": "neo", "level": 3, "location": {"lat": 1}}
    with pytest.raises(errors.ConfigurationError, match="unknown session profile field nick"):
        validation.check_profile({"nick": "x"})
    with pytest.raises(errors.ConfigurationError, match="float"):
        validation.check_profile({"level": 1.5})
