"""What the sender does with each failed delivery: the one table of decisions.

Never losing a score means an event is dead-lettered only when the server definitely
refused *that event*; every answer that could be transient, or wrong-way-round (a
captive portal's redirect, a proxy's HTML page, a 200 with an unexpected body), is
retried, with a longer backoff when the answer repeats.

=====================================================  ==========================
failure                                                 decision
=====================================================  ==========================
``AuthenticationError`` (401/403: ``SessionExpired``,   ``REAUTH``: new session, then retry
``CredentialsRejected``)                                (rejected credentials stop the
                                                        session, events wait)
``NetworkError``, ``RequestTimeout``                   ``RETRY``
``RateLimitError`` (429), ``ServerError`` (5xx),        ``RETRY`` (``Retry-After`` honoured)
408, 425
``ProtocolError``: ``UnexpectedAnswerError`` (3xx,      ``RETRY_SLOWLY``
HTML), ``DamagedAnswerError`` (cut short, not JSON),
``AnswerTooLargeError``, a body of an unknown shape
``RequestRefusedError`` (400/422 with a JSON error)     ``DEAD_LETTER``
to the event's own ``POST``
404/409 to the event's own ``POST`` whose code names    ``DEAD_LETTER``
its target (:data:`TARGET_REFUSALS`: no such
tournament, not joined, no such rewardable event,
already rewarded)
the same answers to a lookup (``GET``: the live         ``RETRY_SLOWLY``
tournaments a score fans out to)
other 4xx (no code: a proxy, a wrong path prefix)       ``RETRY_SLOWLY``
``ConfigurationError``/``NotSupportedError``: the       ``DEAD_LETTER``
stored event cannot be sent on this API generation
anything else (a bug of ours)                           ``RETRY_SLOWLY``
=====================================================  ==========================

A 404 without one of those codes (a wrong base URL, a proxy's page) never dead-letters
an event: a misconfigured deployment must not empty the outbox. Nor does a refused
lookup: every delivery is a ``POST``, so a ``GET`` that fails refused a read the
delivery needed, never the event.
"""

from __future__ import annotations

import enum
from typing import Final

from kgen_pygame.errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    KGenError,
    NotSupportedError,
    ProtocolError,
    RequestRefusedError,
)
from kgen_pygame.runtime.backoff import Backoff

#: 404/409 codes that name what the event itself refers to (its tournament, its
#: rewardable event): the documented ones, and the sandbox's for the loyalty gaps.
TARGET_REFUSALS: Final[dict[int, frozenset[str]]] = {
    404: frozenset(
        {"TOURNAMENT_NOT_FOUND", "TOURNAMENT_PARTICIPATION_NOT_FOUND", "REWARDABLE_EVENT_NOT_FOUND"}
    ),
    409: frozenset({"LOYALTY_EVENT_ALREADY_REWARDED"}),
}

#: Backoff for transient failures (network, 5xx, 429).
TRANSIENT_BACKOFF: Final = Backoff(base_s=0.5, factor=2.0, max_s=60.0)
#: Backoff for answers that should not happen and may repeat (redirects, HTML).
SLOW_BACKOFF: Final = Backoff(base_s=15.0, factor=2.0, max_s=900.0)


class Decision(enum.Enum):
    RETRY = "retry"
    RETRY_SLOWLY = "retry slowly"
    REAUTH = "new session, then retry"
    DEAD_LETTER = "dead-letter"


def decide(error: KGenError) -> Decision:
    """The decision for one failed delivery (see the module's table)."""
    if isinstance(error, AuthenticationError):
        return Decision.REAUTH
    if isinstance(error, APIError):
        if error.retryable:
            return Decision.RETRY
        if not _refuses_the_event(error):
            return Decision.RETRY_SLOWLY
        if isinstance(error, RequestRefusedError):
            return Decision.DEAD_LETTER
        if error.code in TARGET_REFUSALS.get(error.status, frozenset()):
            return Decision.DEAD_LETTER
        return Decision.RETRY_SLOWLY
    if isinstance(error, ProtocolError):
        return Decision.RETRY_SLOWLY
    if isinstance(error, ConfigurationError | NotSupportedError):
        return Decision.DEAD_LETTER
    if error.retryable:
        return Decision.RETRY
    return Decision.RETRY_SLOWLY


def _refuses_the_event(error: APIError) -> bool:
    """True when the refused request was the event's own delivery (a ``POST``)."""
    return not error.operation.upper().startswith("GET ")


def retry_delay(decision: Decision, attempts: int, retry_after: float | None) -> float:
    """Seconds until the next try after ``attempts`` failed ones."""
    backoff = SLOW_BACKOFF if decision is Decision.RETRY_SLOWLY else TRANSIENT_BACKOFF
    return backoff.delay(max(1, attempts), retry_after)
