"""HTTP transport: one ``requests.Session`` and the mapping of failures to errors.

The transport knows nothing about any API generation. It sends a request to
``base_url + path`` and returns the decoded JSON (``Decimal`` for non-integer
numbers), or raises one of the :mod:`kgen_pygame.errors`:

- connection refused / reset / dropped, DNS and TLS failures -> ``NetworkError``
- connect or read timeout -> ``RequestTimeout``
- a 2xx body that is HTML, not JSON, or shorter than announced -> ``ProtocolError``
- an error status -> the matching ``APIError`` subclass, with the code, message
  and ``Retry-After`` read tolerantly from whatever error body came back.

Guarantees: explicit (connect, read) timeouts on every request; TLS
verification always on; no redirects followed (a redirect could carry the
client secret header to another host); plain ``http://`` refused for anything
but loopback unless the caller opts in. Messages name the operation
(``"GET /api/v1/tournaments/{tournamentId}"``), never the URL, so no query-string
token ever reaches an error or a log line. This is the only module of the
package that imports ``requests``.
"""

from __future__ import annotations

import email.utils
import http.client
import logging
import math
import socket
import ssl
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Final
from urllib.parse import urlsplit

import requests
import urllib3.exceptions

from kgen_pygame.api import jsoncodec
from kgen_pygame.api.readers import read_error_body
from kgen_pygame.errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    InvalidRequestError,
    KGenError,
    NetworkError,
    NotFoundError,
    ProtocolError,
    RateLimitError,
    RequestTimeout,
    ServerError,
)
from kgen_pygame.redact import guard_logger, redact_text
from kgen_pygame.urls import check_base_url, is_loopback

__all__ = [
    "MAX_RETRY_AFTER_S",
    "NO_BODY",
    "Timeout",
    "Transport",
    "check_base_url",
    "check_timeout",
    "parse_retry_after",
]

logger = logging.getLogger(__name__)

Timeout = float | tuple[float, float]

#: A server asking us to wait longer than this is capped to it.
MAX_RETRY_AFTER_S: Final = 600.0
_MAX_SERVER_MESSAGE = 300
_THIRD_PARTY_LOGGERS = (
    "urllib3",
    "urllib3.connectionpool",
    "urllib3.connection",
    "urllib3.response",
    "urllib3.poolmanager",
    "urllib3.util.retry",
    "requests",
)


class _NoBody:
    def __repr__(self) -> str:
        return "NO_BODY"


#: Pass as ``body`` to send a request without a body (distinct from JSON ``null``).
NO_BODY: Final = _NoBody()


def check_timeout(timeout: object) -> tuple[float, float]:
    """Return ``(connect, read)`` seconds from a number or a pair; both must be > 0."""
    if isinstance(timeout, tuple) and len(timeout) == 2:
        pair = timeout
    elif isinstance(timeout, int | float) and not isinstance(timeout, bool):
        pair = (timeout, timeout)
    else:
        raise ConfigurationError(
            "timeout must be seconds (a number) or a (connect, read) pair of numbers"
        )
    checked: list[float] = []
    for value in pair:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigurationError("timeout values must be numbers of seconds")
        if not math.isfinite(value) or value <= 0:
            raise ConfigurationError("timeout values must be positive and finite")
        checked.append(float(value))
    return checked[0], checked[1]


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


class Transport:
    """Sends JSON requests to one KGeN base URL over a keep-alive session.

    Not thread-safe (``requests.Session`` is not): use one transport per thread.
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout: Timeout = (3.05, 10.0),
        allow_insecure_http: bool = False,
        session: requests.Session | None = None,
        user_agent: str = "kgen-pygame",
    ) -> None:
        self.base_url = check_base_url(base_url, allow_insecure_http=allow_insecure_http)
        self.timeout = check_timeout(timeout)
        host = urlsplit(self.base_url).hostname or ""
        self._endpoint = urlsplit(self.base_url).netloc
        self._owns_session = session is None
        if session is None:
            session = requests.Session()
            # Loopback never needs a proxy; HTTP(S)_PROXY would break the sandbox.
            session.trust_env = not is_loopback(host)
        self._session = session
        # A CA bundle path keeps verification on; False (off) is never honoured.
        self._verify: bool | str = session.verify if isinstance(session.verify, str) else True
        self._headers = {
            "User-Agent": user_agent,
            "Accept": "application/json",
            "Content-Type": "application/json",
        }
        for name in (*_THIRD_PARTY_LOGGERS, __name__):
            guard_logger(name)
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Release pooled connections (only of a session this transport created)."""
        if not self._closed:
            self._closed = True
            if self._owns_session:
                self._session.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        operation: str,
        query: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        body: object = NO_BODY,
    ) -> object:
        """Send one request and return its decoded JSON body (None if empty).

        *path* is appended to the base URL as is (the caller quotes path
        parameters). *operation* labels the request in every message and log line.
        """
        try:
            data = None if body is NO_BODY else jsoncodec.dumps(body)
        except TypeError as error:
            raise ConfigurationError(
                f"{operation}: cannot send the request body: {error}"
            ) from None
        all_headers = dict(self._headers)
        if headers:
            all_headers.update(headers)
        started = time.perf_counter()
        response: requests.Response | None = None
        failure: KGenError | None = None
        try:
            response = self._session.request(
                method,
                self.base_url + path,
                params=dict(query) if query else None,
                data=data,
                headers=all_headers,
                timeout=self.timeout,
                allow_redirects=False,
                verify=self._verify,
            )
        except Exception as error:  # mapped below, outside this block, to drop the chain
            failure = self._failure(error, operation)
        if failure is not None:
            logger.debug("%s", failure)
            raise failure
        assert response is not None
        elapsed_ms = (time.perf_counter() - started) * 1000
        logger.debug(
            "%s -> %d (%d bytes, %.0f ms)",
            operation,
            response.status_code,
            len(response.content),
            elapsed_ms,
        )
        return self._handle(response, operation)

    # -- success and error statuses -------------------------------------------

    def _handle(self, response: requests.Response, operation: str) -> object:
        status = response.status_code
        if 200 <= status < 300:
            return self._decode_success(response, operation)
        if 300 <= status < 400:
            raise ProtocolError(
                f"{operation} was answered with a redirect ({status}); redirects are not "
                "followed. Check the base URL (https vs http, host, path prefix)"
            )
        if status < 200:
            raise ProtocolError(f"{operation} was answered with an unexpected status {status}")
        raise self._api_error(response, operation)

    def _decode_success(self, response: requests.Response, operation: str) -> object:
        content = response.content
        if not content.strip():
            return None
        try:
            return _decode_json(content)
        except (UnicodeDecodeError, jsoncodec.InvalidJSONError) as error:
            if _looks_like_html(response):
                problem = "an HTML page instead of JSON"
            elif isinstance(error, UnicodeDecodeError):
                problem = "a body that is not UTF-8 text"
            else:
                problem = f"a body that is not valid JSON ({error})"
        raise ProtocolError(
            f"{operation} was answered with {problem} (status {response.status_code})",
            retryable=True,
        )

    def _api_error(self, response: requests.Response, operation: str) -> APIError:
        status = response.status_code
        parsed: object = None
        html = False
        if response.content.strip():
            try:
                parsed = _decode_json(response.content)
            except (UnicodeDecodeError, jsoncodec.InvalidJSONError):
                html = _looks_like_html(response)
        body = read_error_body(parsed)
        server_message = _clean_server_message(body.message)
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if retry_after is None and body.retry_after is not None:
            retry_after = min(max(body.retry_after, 0.0), MAX_RETRY_AFTER_S)
        reason = _reason_phrase(status)
        text = f"{operation} failed: {status} {body.code or reason}"
        if server_message:
            text += f": {server_message}"
        elif html:
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
        error_class = _error_class(status, body.code)
        return error_class(
            text,
            status=status,
            operation=operation,
            code=body.code,
            server_message=server_message,
            retry_after=retry_after,
            details=body.details,
        )

    # -- exceptions from requests / urllib3 -----------------------------------

    def _failure(self, error: Exception, operation: str) -> KGenError:
        connect_s, read_s = self.timeout
        where = self._endpoint
        if isinstance(error, KGenError):
            return error
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
            return ProtocolError(
                f"{operation} failed: the answer was cut short (body shorter than announced)",
                retryable=True,
            )
        if isinstance(error, requests.exceptions.ContentDecodingError):
            return ProtocolError(
                f"{operation} failed: the answer could not be decompressed", retryable=True
            )
        if isinstance(
            error, requests.exceptions.InvalidHeader | requests.exceptions.InvalidURL
        ) or (isinstance(error, ValueError) and not isinstance(error, OSError)):
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


def _error_class(status: int, code: str | None) -> type[APIError]:
    if status == 401:
        return AuthenticationError
    if status == 403:
        auth_words = ("AUTH", "TOKEN", "CLIENT", "CREDENTIAL", "SECRET", "API_KEY", "APIKEY")
        if code and any(word in code for word in auth_words):
            return AuthenticationError
        return InvalidRequestError
    if status == 404:
        return NotFoundError
    if status == 429:
        return RateLimitError
    if status >= 500:
        return ServerError
    if status in (408, 425):
        return APIError
    return InvalidRequestError


def _decode_json(content: bytes) -> object:
    return jsoncodec.loads(content.decode("utf-8-sig"))


def _looks_like_html(response: requests.Response) -> bool:
    """True when a body that failed to parse as JSON is an HTML page (proxy, portal)."""
    content_type = response.headers.get("Content-Type", "").lower()
    return "html" in content_type or response.content.lstrip()[:1] == b"<"


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
