"""Plain WSGI plumbing: reading a bounded JSON body, JSON replies, HTTP errors."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import Any, Protocol

from kgen_pygame.broker import wire

__all__ = ["HttpError", "StartResponse", "json_reply", "read_json_object"]

Headers = Sequence[tuple[str, str]]


class StartResponse(Protocol):
    def __call__(self, status: str, headers: list[tuple[str, str]], /) -> Any: ...


class HttpError(Exception):
    """A refusal with its status, :mod:`wire` code and message (and extra body fields)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        retry_after: float | None = None,
        extra: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after
        self.extra = dict(extra or {})

    def body(self) -> dict[str, object]:
        return {"error": self.code, "message": self.message, **self.extra}

    def headers(self) -> list[tuple[str, str]]:
        if self.retry_after is None:
            return []
        return [("Retry-After", str(max(1, math.ceil(self.retry_after))))]


def json_reply(
    start_response: StartResponse,
    status: int,
    body: object,
    headers: Headers = (),
) -> Iterable[bytes]:
    """Send *body* as JSON with *status*; never cached."""
    payload = json.dumps(body, separators=(",", ":")).encode("utf-8")
    phrase = HTTPStatus(status).phrase
    start_response(
        f"{status} {phrase}",
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(payload))),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
            *headers,
        ],
    )
    return [payload]


def read_json_object(environ: Mapping[str, Any], limit: int) -> dict[str, Any]:
    """The request body as a JSON object of at most *limit* bytes; HttpError otherwise."""
    content_type = str(environ.get("CONTENT_TYPE", "")).split(";")[0].strip().lower()
    if content_type != "application/json":
        raise HttpError(415, wire.BAD_REQUEST, "send the body as Content-Type: application/json")
    declared = str(environ.get("CONTENT_LENGTH") or "").strip()
    if declared:
        if not declared.isdigit():
            raise HttpError(400, wire.BAD_REQUEST, "Content-Length is not a number")
        if int(declared) > limit:
            raise HttpError(413, wire.TOO_LARGE, f"the body must be at most {limit} bytes")
    stream = environ["wsgi.input"]
    raw = stream.read(min(int(declared), limit + 1) if declared else limit + 1)
    if len(raw) > limit:
        raise HttpError(413, wire.TOO_LARGE, f"the body must be at most {limit} bytes")
    try:
        data = json.loads(raw.decode("utf-8"), parse_float=_refuse_float)
    except (UnicodeDecodeError, ValueError):
        raise HttpError(400, wire.BAD_REQUEST, "the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise HttpError(400, wire.BAD_REQUEST, "the body must be a JSON object")
    return data


def _refuse_float(text: str) -> Any:
    # No field of this protocol is fractional; refusing beats silently rounding.
    raise ValueError(f"fractional number {text} where none is allowed")
