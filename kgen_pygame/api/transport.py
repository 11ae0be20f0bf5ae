"""HTTP transport: one ``requests.Session``, bounded work per reply, and the mapping of failures.

The transport knows nothing about any API generation. It sends a request to
``base_url + path`` and returns the decoded JSON (``Decimal`` for non-integer
numbers, repeated keys kept: see :mod:`kgen_pygame.api.jsoncodec`), or raises
one of the :mod:`kgen_pygame.errors`.

Bounded work per reply:

- an **overall deadline** per request (``deadline``, default 8 s: connect,
  headers and body together) on top of the (connect, read) timeouts, so a
  server that trickles bytes or never answers fails with ``RequestTimeout`` at
  the deadline (see :mod:`kgen_pygame.api.deadline`);
- a **size cap** on every body (``max_body_bytes``, default 8 MiB; an error answer's
  body is read to 256 KiB at most, then its status alone decides), read
  streamed and checked against ``Content-Length`` up front and while reading;
- **stepwise JSON decoding** of big bodies, calling ``yield_point`` between
  steps so the game thread gets the GIL (default: a 50 microsecond sleep; a
  plain ``time.sleep(0)`` hands the GIL over unreliably, see
  ``docs/performance.md``). ``yield_point=None`` decodes in one call.

How each answer is classified (``retryable``: the same request may succeed if
sent again later; only ``RequestRefusedError`` refuses the request itself)::

    what happened                                   error                 retryable
    ----------------------------------------------  --------------------  ---------
    refused, reset, dropped, DNS, TLS failure       NetworkError          yes
    connect / read timeout, overall deadline        RequestTimeout        yes
    1xx, 3xx (never followed, Location never read)  UnexpectedAnswerError      yes
    2xx or 4xx with an HTML page                    UnexpectedAnswerError      yes
    2xx cut short, not UTF-8, not JSON, bad gzip    DamagedAnswerError         yes
    2xx body over max_body_bytes                    AnswerTooLargeError        no
    401 on a client-credential call                 CredentialsRejected   no
    401 on a user call, code names the client       CredentialsRejected   no
    401 on a user call otherwise                    SessionExpired        no (re-make
                                                                          the session)
    403 with an auth code (AUTH, TOKEN, CLIENT...)  as 401                no
    400 / 422 with a JSON error (code or message)   RequestRefusedError        no
    other 400 / 422, 403, 409, other 4xx            InvalidRequestError   no
    404                                             NotFoundError         no
    408, 425                                        APIError              yes
    429                                             RateLimitError        yes
    5xx (any body, even HTML or over the cap)       ServerError           yes

An error status whose body is over the cap, cut short or late is classified by
its status and headers alone. Which credential a request uses is the caller's
``auth=`` argument; without it, a request that carries a session token (a
``token`` query parameter, a ``user-jwt-token`` or ``Authorization`` header) is a
user call and any other a client call.

Guarantees: TLS verification always on; no redirects followed (a redirect could
carry the client secret header to another host, and its ``Location`` may hold
a token); plain ``http://`` refused for anything but loopback unless the
caller opts in. Messages name the operation
(``"GET /api/v1/tournaments/{tournamentId}"``), never the URL, so no
query-string token ever reaches an error or a log line. Only this module and
:mod:`kgen_pygame.api.http_adapter` / :mod:`kgen_pygame.api.failures` import
``requests``.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Mapping
from typing import Final
from urllib.parse import urlsplit

import requests

from kgen_pygame.api import jsoncodec
from kgen_pygame.api.body import (
    DEFAULT_MAX_BODY_BYTES,
    BodyTooLarge,
    DeadlinePassed,
    ReceivedBody,
    read_body,
)
from kgen_pygame.api.deadline import DEFAULT_DEADLINE_S, RequestDeadline
from kgen_pygame.api.failures import (
    MAX_RETRY_AFTER_S,
    Auth,
    api_error,
    network_failure,
    parse_retry_after,
)
from kgen_pygame.api.http_adapter import DeadlineAdapter
from kgen_pygame.api.jsoncodec import pause
from kgen_pygame.errors import (
    AnswerTooLargeError,
    ConfigurationError,
    DamagedAnswerError,
    KGenError,
    UnexpectedAnswerError,
)
from kgen_pygame.redact import guard_logger
from kgen_pygame.urls import check_base_url, is_loopback

#: The header a KGeN sandbox puts on every answer (``kgen_pygame.sandbox``): a game that
#: sees it shows "SANDBOX". No platform API sends it.
SANDBOX_MARKER: Final = "X-KGen-Sandbox"

__all__ = [
    "DEFAULT_DEADLINE_S",
    "DEFAULT_MAX_BODY_BYTES",
    "MAX_RETRY_AFTER_S",
    "NO_BODY",
    "Auth",
    "Timeout",
    "Transport",
    "check_base_url",
    "check_deadline",
    "check_max_body_bytes",
    "check_timeout",
    "parse_retry_after",
    "pause",
]

logger = logging.getLogger(__name__)

Timeout = float | tuple[float, float]

_MIN_BODY_BYTES: Final = 1024
# Header names and query parameters that carry a player's session token.
_USER_TOKEN_HEADERS: Final = frozenset({"user-jwt-token", "authorization"})
_USER_TOKEN_QUERY: Final = frozenset({"token"})
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


def check_deadline(seconds: object) -> float:
    """Return the overall request deadline in seconds; it must be a positive finite number."""
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, int | float)
        or not math.isfinite(seconds)
        or seconds <= 0
    ):
        raise ConfigurationError("deadline must be a positive, finite number of seconds")
    return float(seconds)


#: An error answer's body is read only this far: an error message never needs more, and
#: a huge one (a proxy's page) then costs nothing; past it the status alone decides.
ERROR_BODY_BYTES: Final = 256 * 1024


def check_max_body_bytes(limit: object) -> int:
    """Return the body size cap; it must be a whole number of bytes, at least 1024."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < _MIN_BODY_BYTES:
        raise ConfigurationError(
            f"max_body_bytes must be a whole number of bytes, at least {_MIN_BODY_BYTES}"
        )
    return limit


class Transport:
    """Sends JSON requests to one KGeN base URL over a keep-alive session.

    Args:
        base_url: ``https://...`` (or loopback ``http://``), no query or fragment.
        timeout: seconds, or a ``(connect, read)`` pair, for each socket operation.
        deadline: seconds for a whole request (connect, headers and body).
        max_body_bytes: the largest body accepted (decompressed).
        yield_point: called between decoding steps of a big body, on the thread
            that sent the request (the runtime may make it wait for the game's
            idle time); None decodes every body in one call.
        allow_insecure_http: permit ``http://`` to a non-loopback host.
        session: a ``requests.Session`` to use; the transport mounts its
            deadline adapter on it for ``base_url`` only, and never closes it.
        user_agent: the ``User-Agent`` header.

    Not thread-safe (``requests.Session`` is not): use one transport per thread.
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout: Timeout = (3.05, 10.0),
        deadline: float = DEFAULT_DEADLINE_S,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        yield_point: Callable[[], None] | None = pause,
        allow_insecure_http: bool = False,
        session: requests.Session | None = None,
        user_agent: str = "kgen-pygame",
    ) -> None:
        self.base_url = check_base_url(base_url, allow_insecure_http=allow_insecure_http)
        self.timeout = check_timeout(timeout)
        self.deadline = check_deadline(deadline)
        self.max_body_bytes = check_max_body_bytes(max_body_bytes)
        if yield_point is not None and not callable(yield_point):
            raise ConfigurationError("yield_point must be a callable taking no arguments, or None")
        self._yield_point = yield_point
        host = urlsplit(self.base_url).hostname or ""
        self._endpoint = urlsplit(self.base_url).netloc
        self._owns_session = session is None
        self._adapter = DeadlineAdapter()
        if session is None:
            session = requests.Session()
            # Loopback never needs a proxy; HTTP(S)_PROXY would break the sandbox.
            session.trust_env = not is_loopback(host)
            session.mount("https://", self._adapter)
            session.mount("http://", self._adapter)
        else:
            session.mount(self._mount_prefix, self._adapter)
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
        #: True once any answer carried the sandbox's marker header.
        self.answered_by_sandbox = False

    @property
    def _mount_prefix(self) -> str:
        return self.base_url + "/"

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Release pooled connections (and the session, if this transport created it)."""
        if self._closed:
            return
        self._closed = True
        if self._owns_session:
            self._session.close()
            return
        if self._session.adapters.get(self._mount_prefix) is self._adapter:
            del self._session.adapters[self._mount_prefix]
        self._adapter.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        operation: str,
        query: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        body: object = NO_BODY,
        auth: Auth | None = None,
    ) -> object:
        """Send one request and return its decoded JSON body (None if empty).

        *path* is appended to the base URL as is (the caller quotes path
        parameters). *operation* labels the request in every message and log
        line. *auth* says which credential the request authenticates with
        (``"client"`` or ``"user"``); when None it is inferred (see the module
        docstring). Raises the errors of the table in the module docstring.
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
        if auth is None:
            auth = _inferred_auth(query, headers)
        started = time.perf_counter()
        failure: KGenError | None = None
        result: object = None
        deadline = RequestDeadline(self.deadline)
        with deadline:
            response: requests.Response | None = None
            try:
                response = self._session.request(
                    method,
                    self.base_url + path,
                    params=dict(query) if query else None,
                    data=data,
                    headers=all_headers,
                    timeout=self._socket_timeouts(deadline),
                    allow_redirects=False,
                    verify=self._verify,
                    stream=True,
                )
            except Exception as error:  # mapped outside this block, to drop the chain
                failure = self._failure(error, operation, deadline)
            if response is not None:
                try:
                    result = self._answer(response, operation, deadline, auth, started)
                except KGenError as error:
                    failure = error
                finally:
                    response.close()
        if failure is not None:
            logger.debug("%s", failure)
            raise failure.with_traceback(None)
        return result

    # -- the answer -----------------------------------------------------------------

    def _socket_timeouts(self, deadline: RequestDeadline) -> tuple[float, float]:
        left = max(deadline.remaining(), 0.001)
        connect_s, read_s = self.timeout
        return min(connect_s, left), min(read_s, left)

    def _answer(
        self,
        response: requests.Response,
        operation: str,
        deadline: RequestDeadline,
        auth: Auth,
        started: float,
    ) -> object:
        status = response.status_code
        if response.headers.get(SANDBOX_MARKER) is not None:
            self.answered_by_sandbox = True
        if status < 200 or 300 <= status < 400:
            kind = "a redirect" if status >= 300 else "an unexpected status"
            raise UnexpectedAnswerError(
                f"{operation} was answered with {kind} ({status}); redirects are not "
                "followed. Check the base URL (https vs http, host, path prefix)",
                status=status,
            )
        body = self._receive(response, operation, deadline, success=status < 300)
        logger.debug(
            "%s -> %d (%s bytes, %.0f ms)",
            operation,
            status,
            body.size if body is not None else "over the cap:",
            (time.perf_counter() - started) * 1000,
        )
        if status < 300:
            assert body is not None  # _receive raises for a 2xx it could not read
            return self._decode_success(response, body, operation)
        raise self._status_error(response, body, operation, auth)

    def _receive(
        self,
        response: requests.Response,
        operation: str,
        deadline: RequestDeadline,
        *,
        success: bool,
    ) -> ReceivedBody | None:
        """Read the body; for an error status, None when it cannot be read (too big, cut)."""
        failure: KGenError | None = None
        try:
            limit = self.max_body_bytes if success else min(self.max_body_bytes, ERROR_BODY_BYTES)
            return read_body(response, max_bytes=limit, deadline=deadline)
        except BodyTooLarge as error:
            if not success:
                return None
            failure = _too_large(operation, response.status_code, error)
        except DeadlinePassed:
            if not success:
                return None
            failure = self._failure(TimeoutError(), operation, deadline)
        except Exception as error:  # mapped outside this block, to drop the chain
            if not success:
                return None
            failure = self._failure(error, operation, deadline, response.status_code)
        raise failure

    def _decode_success(
        self, response: requests.Response, body: ReceivedBody, operation: str
    ) -> object:
        status = response.status_code
        if body.blank:
            return None
        problem: str | None = None
        if body.text is not None:
            try:
                return jsoncodec.loads(body.text, yield_point=self._yield_point)
            except jsoncodec.InvalidJSONError as error:
                problem = f"a body that is not valid JSON ({error})"
        if _looks_like_html(response, body):
            raise UnexpectedAnswerError(
                f"{operation} was answered with an HTML page instead of JSON (status {status})",
                status=status,
            )
        raise DamagedAnswerError(
            f"{operation} was answered with {problem or 'a body that is not UTF-8 text'} "
            f"(status {status})",
            status=status,
        )

    def _status_error(
        self,
        response: requests.Response,
        body: ReceivedBody | None,
        operation: str,
        auth: Auth,
    ) -> KGenError:
        parsed: object = None
        is_json = False
        if body is not None and body.text is not None and not body.blank:
            try:
                parsed = jsoncodec.loads(body.text, yield_point=self._yield_point)
                is_json = True
            except jsoncodec.InvalidJSONError:
                pass
        is_html = body is not None and not is_json and _looks_like_html(response, body)
        return api_error(
            status=response.status_code,
            operation=operation,
            auth=auth,
            headers=response.headers,
            parsed=parsed,
            is_json=is_json,
            is_html=is_html,
        )

    def _failure(
        self,
        error: Exception,
        operation: str,
        deadline: RequestDeadline,
        status: int | None = None,
    ) -> KGenError:
        return network_failure(
            error,
            operation,
            where=self._endpoint,
            timeouts=self.timeout,
            deadline_s=self.deadline,
            deadline_passed=deadline.fired or deadline.expired,
            status=status,
        )


def _inferred_auth(query: Mapping[str, str] | None, headers: Mapping[str, str] | None) -> Auth:
    """The credential of a request: a session token makes it a user call."""
    if query and any(name.lower() in _USER_TOKEN_QUERY for name in query):
        return "user"
    if headers and any(name.lower() in _USER_TOKEN_HEADERS for name in headers):
        return "user"
    return "client"


def _too_large(operation: str, status: int, error: BodyTooLarge) -> AnswerTooLargeError:
    size = (
        f"announced {error.announced:,} bytes"
        if error.announced is not None and error.announced > error.limit
        else "more bytes"
    )
    return AnswerTooLargeError(
        f"{operation} was answered with a body too large to accept ({size}; the limit is "
        f"{error.limit:,} bytes)",
        status=status,
        limit=error.limit,
    )


def _looks_like_html(response: requests.Response, body: ReceivedBody) -> bool:
    """True when a body that is not JSON is an HTML page (a proxy, a captive portal)."""
    content_type = response.headers.get("Content-Type", "").lower()
    return "html" in content_type or body.head.lstrip()[:1] == b"<"
