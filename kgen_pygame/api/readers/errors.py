"""Error bodies, whatever their shape (the transport turns them into APIError)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from kgen_pygame.api.fields import FieldValueError, parse_decimal
from kgen_pygame.errors import ErrorDetail
from kgen_pygame.redact import is_sensitive_name, redact_text

__all__ = ["ErrorBody", "read_error_body"]

_MAX_CODE_LENGTH = 64


@dataclass(frozen=True, slots=True)
class ErrorBody:
    """What an error response said, whatever its shape."""

    code: str | None
    message: str | None
    retry_after: float | None
    details: Mapping[str, ErrorDetail]


_ERROR_KNOWN = frozenset({"statusCode", "status", "error", "code", "message", "msg", "retry_after"})


def read_error_body(data: object) -> ErrorBody:
    """Read an error body in any of the shapes servers use; never raises.

    Shapes: ``{"statusCode", "error": CODE, "message"}`` (ours, C24),
    NestJS ``{"statusCode", "message": str | [str], "error": "Bad Request"}``
    (the reason phrase is not a code), ``{"msg": ...}``, and a bare JSON string:
    the documented code alone (``"UN_AUTHORIZED"``, as the sandbox's
    documented-only mode answers) or a sentence.
    """
    if not isinstance(data, Mapping):
        if isinstance(data, str) and data:
            code = _machine_code(data)
            return ErrorBody(code, None if code else data, None, {})
        return ErrorBody(None, None, None, {})
    code = _machine_code(data.get("code")) or _machine_code(data.get("error"))
    message = _error_message(data.get("message")) or _error_message(data.get("msg"))
    if message is None and code is None:
        message = _error_message(data.get("error"))
    retry_after: float | None = None
    try:
        raw_retry = data.get("retry_after")
        if raw_retry is not None:
            retry_after = float(parse_decimal(raw_retry))
    except FieldValueError:
        retry_after = None
    details: dict[str, ErrorDetail] = {}
    for key, value in data.items():
        if key in _ERROR_KNOWN or not isinstance(key, str) or is_sensitive_name(key):
            continue
        if isinstance(value, str):
            details[key] = redact_text(value)
        elif value is None or isinstance(value, int | bool | Decimal):
            details[key] = value
    return ErrorBody(code, message, retry_after, details)


def _machine_code(value: object) -> str | None:
    """An UPPER_SNAKE machine code, or None for prose like "Bad Request"."""
    if (
        isinstance(value, str)
        and len(value) <= _MAX_CODE_LENGTH
        and value.isascii()
        and value.replace("_", "").isalnum()
        and value.upper() == value
        and any(char.isalpha() for char in value)
    ):
        return value
    return None


def _error_message(value: object) -> str | None:
    if isinstance(value, str):
        return value or None
    if isinstance(value, list):
        parts = [str(item) for item in value if isinstance(item, str | int | Decimal) and str(item)]
        return "; ".join(parts) or None
    return None
