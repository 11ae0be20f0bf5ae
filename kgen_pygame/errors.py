"""The exceptions kgen_pygame raises, arranged so callers can catch at the right level.

::

    KGenError
    +-- ConfigurationError (also ValueError)   bad settings or arguments from the game developer
    |   +-- InvalidEventError                  track()/reward_event() input the contract refuses
    +-- UsageError (also RuntimeError)         API misuse: wrong call order, after close(), ...
    +-- NotSupportedError                      the configured API generation has no such call
    +-- InternalError                          a bug in kgen_pygame itself (please report it)
    +-- StorageError                           a local file cannot be used right now
    |   +-- OutboxError                        the event outbox (disk full, locked, read-only)
    |   +-- CredentialStoreError               the token store (keyring or file)
    +-- NetworkError                           refused, reset, dropped, DNS, TLS      retryable
    |   +-- RequestTimeout                     connect or read timeout                retryable
    +-- ProtocolError                          the answer is not what the contract describes
    +-- APIError                               the server answered with an error status
        +-- AuthenticationError                401 (and 403 on authentication)
        +-- InvalidRequestError                400, 409, 422 and other non-retryable 4xx
        |   +-- NotFoundError                  404
        +-- RateLimitError                     429                                    retryable
        +-- ServerError                        5xx                                    retryable

Every error has ``retryable``: True when the same request may succeed later
(network trouble, timeouts, 408, 429, 5xx, a response cut short). Messages and
reprs are plain sentences for a developer; they name the operation
(``"POST /api/v1/eventing"``), never a URL, query string, token or secret. As a
last line of defence every message is passed through
:func:`kgen_pygame.redact.redact_text` when the error is created.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

from kgen_pygame.redact import redact_text

__all__ = [
    "APIError",
    "AuthenticationError",
    "ConfigurationError",
    "CredentialStoreError",
    "InternalError",
    "InvalidEventError",
    "InvalidRequestError",
    "KGenError",
    "NetworkError",
    "NotFoundError",
    "NotSupportedError",
    "OutboxError",
    "ProtocolError",
    "RateLimitError",
    "RequestTimeout",
    "ServerError",
    "StorageError",
    "UsageError",
]

ErrorDetail = str | int | bool | Decimal | None


class KGenError(Exception):
    """Base class of every error raised by kgen_pygame."""

    retryable: bool = False

    def __init__(self, message: str) -> None:
        self.message = redact_text(str(message))
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class ConfigurationError(KGenError, ValueError):
    """A setting or argument from the game developer is wrong (never retryable)."""


class InvalidEventError(ConfigurationError):
    """An event the game tracked breaks the event contract (:mod:`kgen_pygame.event_contract`).

    Raised by ``track()``, ``track_score()`` and ``reward_event()`` before anything is
    stored, so a refused event never reaches the outbox.
    """


class UsageError(KGenError, RuntimeError):
    """The API was used in a way it does not support, e.g. a call after ``close()``."""


class NotSupportedError(KGenError):
    """The configured API generation offers no such operation (e.g. leaving a tournament
    on ``/api/v1``). Check ``kgen.supports(...)`` before offering the action."""


class InternalError(KGenError):
    """Something inside kgen_pygame failed unexpectedly: a bug, not the caller's mistake.

    The message names the operation and the exception type; the traceback is logged.
    """


class StorageError(KGenError):
    """A local file the plugin needs cannot be used right now (nothing was lost)."""


class OutboxError(StorageError):
    """The event outbox file cannot be used right now.

    Raised for what no retry inside the outbox can fix: a directory that cannot be
    written, a full disk, or a file another process kept locked past the busy timeout.
    """


class CredentialStoreError(StorageError):
    """The token store could not be written or read (the message never holds the token)."""


class NetworkError(KGenError):
    """The request did not get an HTTP answer: refused, reset, dropped, DNS or TLS failure."""

    retryable = True


class RequestTimeout(NetworkError):  # noqa: N818 (name fixed by the team brief)
    """Connecting or waiting for the answer took longer than the configured timeout."""


class ProtocolError(KGenError):
    """The server's answer does not fit the contract (not JSON, truncated, wrong shape).

    ``retryable`` is True when the answer was damaged in transit (cut short, not
    JSON at all) and False when it was well-formed JSON of an unknown shape,
    which a retry would only repeat.
    """

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_protocol_error, (self.message, self.retryable))


class APIError(KGenError):
    """The server answered with an error status.

    Attributes:
        status: the HTTP status code.
        code: the machine-readable error code from the body (``"OTP_INVALID"``), if any.
        message: the full developer-facing message (operation, status, code and text).
        server_message: the human text the server sent, if any.
        retry_after: seconds to wait before retrying, from ``Retry-After`` or the body.
        operation: what was attempted, e.g. ``"POST /api/v1/eventing"``.
        details: other scalar fields of the error body (e.g. ``attempts_left``).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        operation: str,
        code: str | None = None,
        server_message: str | None = None,
        retry_after: float | None = None,
        details: Mapping[str, ErrorDetail] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.operation = operation
        self.code = code
        self.server_message = redact_text(server_message) if server_message else server_message
        self.retry_after = retry_after
        self.details: Mapping[str, ErrorDetail] = MappingProxyType(dict(details or {}))

    def __reduce__(self) -> tuple[object, ...]:
        state = {
            "status": self.status,
            "operation": self.operation,
            "code": self.code,
            "server_message": self.server_message,
            "retry_after": self.retry_after,
            "details": dict(self.details),
        }
        return (_rebuild_api_error, (type(self), self.message, state))

    @property
    def retryable(self) -> bool:  # type: ignore[override]
        return self.status in (408, 425, 429) or self.status >= 500

    @property
    def attempts_left(self) -> int | None:
        """Attempts the server says remain (OTP verification), if it said."""
        value = self.details.get("attempts_left")
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return None

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status}, code={self.code!r}, "
            f"operation={self.operation!r}, message={self.message!r})"
        )


class AuthenticationError(APIError):
    """401: the token or client credentials are missing, wrong or expired."""


class InvalidRequestError(APIError):
    """A 4xx the same request cannot fix by retrying (400, 403, 409, 422, ...)."""


class NotFoundError(InvalidRequestError):
    """404: the tournament, reward, OTP request or route does not exist."""


class RateLimitError(APIError):
    """429: too many requests; wait ``retry_after`` seconds (when given) and retry."""


class ServerError(APIError):
    """5xx: the server failed; retry later."""


def _rebuild_protocol_error(message: str, retryable: bool) -> ProtocolError:
    return ProtocolError(message, retryable=retryable)


def _rebuild_api_error(cls: type[APIError], message: str, state: dict[str, object]) -> APIError:
    error = cls.__new__(cls)
    APIError.__init__(error, message, status=0, operation="")
    error.__dict__.update(state)
    error.details = MappingProxyType(dict(state["details"]))  # type: ignore[call-overload]
    return error


# -- Finer classes for delivery and for honest messages (issue 11, transport work) --------
#
#   ProtocolError
#   +-- UnexpectedAnswerError     intact, but not a KGeN answer: 1xx/3xx, HTML page      retryable
#   +-- DamagedAnswerError        cut short, not UTF-8, not JSON, bad compression        retryable
#   +-- AnswerTooLargeError       a 2xx body over the transport's size cap
#   InvalidRequestError
#   +-- RequestRefusedError       400/422 with a JSON error body: the one definite refusal
#   AuthenticationError
#   +-- CredentialsRejected  the game's client id/secret were refused (configuration)
#   +-- SessionExpired       the session token was refused: make a new session, resend

__all__ += [  # extended here so the part above stays untouched
    "AnswerTooLargeError",
    "CredentialsRejected",
    "DamagedAnswerError",
    "RequestRefusedError",
    "SessionExpired",
    "UnexpectedAnswerError",
]


class UnexpectedAnswerError(ProtocolError):
    """The server answered, intact, with something that is not a KGeN answer.

    A redirect (never followed), a 1xx status, or an HTML page: a captive
    portal, a proxy, a wrong base URL. Retryable, because such answers come from
    whatever sits between the game and KGeN and go away with it; they also tend
    to repeat, so a sender should back off longer than for a damaged body.
    ``status`` is the HTTP status received.
    """

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message, retryable=True)
        self.status = status

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_answer_error, (type(self), self.message, self.__dict__.copy()))


class DamagedAnswerError(ProtocolError):
    """The body was damaged on the way: cut short, not UTF-8, not valid JSON, bad compression.

    Retryable: the next answer is likely whole. ``status`` is the HTTP status received.
    """

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message, retryable=True)
        self.status = status

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_answer_error, (type(self), self.message, self.__dict__.copy()))


class AnswerTooLargeError(ProtocolError):
    """A successful (2xx) answer whose body is over the transport's size cap.

    Not retryable: the body is not damaged, it is complete and too big, and
    asking again brings the same bytes (and costs the player the download each
    time). It is not a refusal either: the status (``status``, a 2xx) says the
    server took the request, so a sender keeps the event rather than dead-letter
    it. ``limit`` is the cap in bytes.
    """

    def __init__(self, message: str, *, status: int, limit: int) -> None:
        super().__init__(message, retryable=False)
        self.status = status
        self.limit = limit

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_answer_error, (type(self), self.message, self.__dict__.copy()))


class RequestRefusedError(InvalidRequestError):
    """400 or 422 with a well-formed JSON error body: the server read the request and refused it.

    The only answer that definitely refuses the request itself; every other
    failure may be transient or may not come from KGeN at all. A sender may
    dead-letter an event on this, and on nothing else.
    """


class CredentialsRejected(AuthenticationError):  # noqa: N818 (name fixed by the team brief)
    """The game's client id or client secret were refused.

    Raised for a 401 (or a 403 naming credentials) on a call made with client
    credentials only (session creation), or on any call whose error code names
    the client. The game's configuration is wrong: retrying cannot help.
    """


class SessionExpired(AuthenticationError):  # noqa: N818 (name fixed by the team brief)
    """A call made with a session token was refused for it (401).

    The session expired or was revoked: make a new session (silently) and send
    again. If the new session is refused too, that is :class:`CredentialsRejected`.
    """


def _rebuild_answer_error(
    cls: type[ProtocolError], message: str, state: dict[str, object]
) -> ProtocolError:
    error = cls.__new__(cls)
    KGenError.__init__(error, message)
    error.__dict__.update(state)
    return error
