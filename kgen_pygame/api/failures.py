"""Turning what went wrong with a request into a :mod:`kgen_pygame.errors` instance.

Two jobs, both used by :mod:`kgen_pygame.api.transport` only: an error status
with its (already decoded) body becomes the matching ``APIError`` subclass
(:func:`api_error`), and an exception raised by ``requests`` / ``urllib3`` /
the socket becomes a ``NetworkError``, ``RequestTimeout``, ``DamagedAnswerError`` or
``ConfigurationError`` (:func:`network_failure`). The table these implement is
in the transport's docstring. Messages name the operation and the endpoint
(``host:port``), never a URL, a query string or a ``Location``.
"""

from __future__ import annotations

import email.utils
import http.client
import math
import socket
import ssl
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Final, Literal

import requests
import urllib3.exceptions

from kgen_pygame.api.readers import read_error_body
from kgen_pygame.errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    CredentialsRejected,
    DamagedAnswerError,
    InvalidRequestError,
    KGenError,
    NetworkError,
    NotFoundError,
    RateLimitError,
    RequestRefusedError,
    RequestTimeout,
    ServerError,
    SessionExpired,
    UnexpectedAnswerError,
)
from kgen_pygame.redact import redact_text

__all__ = [
    "MAX_RETRY_AFTER_S",
    "Auth",
    "api_error",
    "network_failure",
    "parse_retry_after",
]

#: Which credential a request authenticates with: the game's client id and
#: secret only (session creation), or a player's session token.
Auth = Literal["client", "user"]

#: A server asking us to wait longer than this is capped to it.
MAX_RETRY_AFTER_S: Final = 600.0
_MAX_SERVER_MESSAGE: Final = 300
# A 403 is about authentication when its code holds one of these words.
_AUTH_WORDS: Final = ("AUTH", "TOKEN", "CLIENT", "CREDENTIAL", "SECRET", "API_KEY", "APIKEY")
# An authentication failure is about the game's client credentials (not the
# session) when its code holds one of these words.
_CLIENT_WORDS: Final = ("CLIENT", "CREDENTIAL", "SECRET", "API_KEY", "APIKEY")
_REFUSAL_STATUSES: Final = (400, 422)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Read a ``Retry-After`` header: delta seconds or an HTTP date; capped, never negative."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if not math.isfinite(seconds):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_S)


# -- error statuses --------------------------------------------------------------------


def api_error(
    *,
    status: int,
    operation: str,
    auth: Auth,
    headers: Mapping[str, str],
    parsed: object,
    is_json: bool,
    is_html: bool,
) -> KGenError:
    """The error for an error status (4xx/5xx) whose body decoded to *parsed*.

    *is_json* says the body was valid JSON; *is_html* that it was an HTML page
    instead. A 4xx HTML page did not come from the KGeN API (a proxy, a portal,
    a wrong base URL) and is an :class:`UnexpectedAnswerError`, retryable.
    """
    if is_html and 400 <= status < 500 and status not in (408, 425, 429):
        return UnexpectedAnswerError(
            f"{operation} was answered with an HTML page (status {status}), not by the KGeN "
            "API: a proxy, a captive portal or a wrong base URL",
            status=status,
        )
    body = read_error_body(parsed)
    server_message = _clean_server_message(body.message)
    retry_after = parse_retry_after(headers.get("Retry-After"))
    if retry_after is None and body.retry_after is not None:
        retry_after = min(max(body.retry_after, 0.0), MAX_RETRY_AFTER_S)
    text = f"{operation} failed: {status} {body.code or _reason_phrase(status)}"
    if server_message:
        text += f": {server_message}"
    elif is_html:
        text += " (the server sent an HTML page instead of JSON)"
    attempts = body.details.get("attempts_left")
    if (
        isinstance(attempts, int)
        and not isinstance(attempts, bool)
        and ("attempt" not in (server_message or "").lower())
    ):
        text += f" ({attempts} attempt{'s' if attempts != 1 else ''} left)"
    if retry_after is not None:
        text += f" (retry after {retry_after:g} s)"
    names_request = is_json and bool(body.code or server_message)
    error_class = _error_class(status, body.code, auth, names_request=names_request)
    return error_class(
        text,
        status=status,
        operation=operation,
        code=body.code,
        server_message=server_message,
        retry_after=retry_after,
        details=body.details,
    )


def _error_class(
    status: int, code: str | None, auth: Auth, *, names_request: bool
) -> type[APIError]:
    if status == 401 or (status == 403 and code and any(w in code for w in _AUTH_WORDS)):
        return _authentication_class(code, auth)
    if status == 403:
        return InvalidRequestError
    if status == 404:
        return NotFoundError
    if status == 429:
        return RateLimitError
    if status >= 500:
        return ServerError
    if status in (408, 425):
        return APIError
    if status in _REFUSAL_STATUSES and names_request:
        return RequestRefusedError
    return InvalidRequestError


def _authentication_class(code: str | None, auth: Auth) -> type[AuthenticationError]:
    if auth == "client":
        return CredentialsRejected
    if code and any(word in code for word in _CLIENT_WORDS):
        return CredentialsRejected
    return SessionExpired


def _clean_server_message(message: str | None) -> str | None:
    if not message:
        return None
    text = " ".join(redact_text(message).split())
    if len(text) > _MAX_SERVER_MESSAGE:
        text = text[: _MAX_SERVER_MESSAGE - 3] + "..."
    return text or None


def _reason_phrase(status: int) -> str:
    try:
        return http.client.responses[status]
    except KeyError:
        return "error"


# -- exceptions from requests / urllib3 / sockets --------------------------------------


def network_failure(
    error: Exception,
    operation: str,
    *,
    where: str,
    timeouts: tuple[float, float],
    deadline_s: float,
    deadline_passed: bool,
    status: int | None = None,
) -> KGenError:
    """The error for an exception raised while sending or receiving.

    *deadline_passed* is True when the request's overall deadline expired (its
    connection may have been shut down, so *error* may be any read failure).
    *status* is the HTTP status when the failure came while reading the body.
    """
    connect_s, read_s = timeouts
    if isinstance(error, KGenError):
        return error
    if deadline_passed:
        return RequestTimeout(
            f"{operation} failed: no complete answer from {where} within {deadline_s:g} s"
        )
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return RequestTimeout(
            f"{operation} failed: could not connect to {where} within {connect_s:g} s"
        )
    if isinstance(error, requests.exceptions.ReadTimeout) or _has_cause(
        error, urllib3.exceptions.ReadTimeoutError
    ):
        return RequestTimeout(f"{operation} failed: no answer from {where} within {read_s:g} s")
    if isinstance(error, requests.exceptions.ChunkedEncodingError) or _has_cause(
        error, http.client.IncompleteRead, urllib3.exceptions.IncompleteRead
    ):
        return DamagedAnswerError(
            f"{operation} failed: the answer was cut short (body shorter than announced)",
            status=status,
        )
    if isinstance(error, requests.exceptions.ContentDecodingError):
        return DamagedAnswerError(
            f"{operation} failed: the answer could not be decompressed", status=status
        )
    if isinstance(error, requests.exceptions.InvalidHeader | requests.exceptions.InvalidURL) or (
        isinstance(error, ValueError) and not isinstance(error, OSError)
    ):
        return ConfigurationError(
            f"{operation}: the request has an invalid header or URL ({type(error).__name__})"
        )
    if isinstance(
        error,
        requests.exceptions.RequestException
        | urllib3.exceptions.HTTPError
        | http.client.HTTPException
        | OSError,
    ):
        return NetworkError(f"{operation} failed: {_network_reason(error, where)}")
    return NetworkError(
        f"{operation} failed: unexpected {type(error).__name__} while talking to {where}"
    )


def _chain(error: BaseException) -> Iterator[BaseException]:
    """Every exception reachable from *error* through args, __cause__ and __context__."""
    seen: set[int] = set()
    stack: list[BaseException] = [error]
    while stack and len(seen) < 32:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for arg in current.args:
            if isinstance(arg, BaseException):
                stack.append(arg)
        reason = getattr(current, "reason", None)
        if isinstance(reason, BaseException):
            stack.append(reason)
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                stack.append(linked)


def _has_cause(error: BaseException, *types: type[BaseException]) -> bool:
    return any(isinstance(item, types) for item in _chain(error))


def _network_reason(error: BaseException, where: str) -> str:
    """A short, URL-free reason for a network failure."""
    chain = list(_chain(error))

    def has(*types: type[BaseException]) -> bool:
        return any(isinstance(item, types) for item in chain)

    if has(ssl.SSLCertVerificationError):
        return f"the TLS certificate of {where} could not be verified"
    if has(ssl.SSLError, requests.exceptions.SSLError):
        return f"the TLS handshake with {where} failed"
    if has(ConnectionRefusedError):
        return f"could not connect to {where} (connection refused)"
    if has(socket.gaierror, urllib3.exceptions.NameResolutionError):
        return f"could not resolve the host of {where}"
    if has(http.client.RemoteDisconnected, ConnectionAbortedError, BrokenPipeError):
        return f"{where} closed the connection without answering"
    if has(ConnectionResetError):
        return f"the connection to {where} was reset"
    if has(requests.exceptions.ProxyError):
        return f"the proxy for {where} failed"
    if has(TimeoutError, socket.timeout):
        return f"timed out talking to {where}"
    if has(http.client.BadStatusLine, http.client.HTTPException):
        return f"{where} did not answer with valid HTTP"
    if has(urllib3.exceptions.NewConnectionError):
        return f"could not connect to {where}"
    return f"network error talking to {where} ({type(error).__name__})"
