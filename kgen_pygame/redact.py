"""Redaction of URLs, tokens and secrets before they reach logs or error messages.

The KGeN v1 API carries the session token in the query string (``?token=...``)
and the client secret in a header, so anything that prints a URL, a request
line or a header block can leak a credential. This module gives three tools:

- :func:`redact_url` turns a URL into a safe display string (sensitive query
  parameters dropped, user info masked, path kept);
- :func:`redact_text` scrubs free text (log lines, exception text) of
  token-looking query pairs, credential headers, JSON credential fields and
  any explicitly known secret values;
- :class:`RedactingFilter` applies :func:`redact_text` to every log record it
  sees (message, arguments, exception text and stack text).

Known secret values (client secret, session tokens) can be registered once with
:func:`register_secret`; every filter and :func:`redact_text` call then scrubs
them too. Redacted parts read ``[redacted]`` so a log line never contains the
literal ``token=`` of a credential-bearing query string.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

__all__ = [
    "REDACTED",
    "RedactingFilter",
    "forget_secret",
    "guard_logger",
    "is_sensitive_name",
    "mask_phone",
    "redact_text",
    "redact_url",
    "register_secret",
    "registered_secrets",
]

REDACTED = "[redacted]"

# Shorter values are not scrubbed as literal secrets: replacing every "1" or
# "ab" in a log line would destroy the line and protect nothing.
_MIN_SECRET_LENGTH = 4
_MAX_REGISTERED_SECRETS = 256

# A query parameter / header / JSON key is sensitive when its lower-cased name,
# with "-" and "_" removed, contains one of these fragments.
_SENSITIVE_FRAGMENTS = (
    "token",
    "secret",
    "apikey",
    "password",
    "passwd",
    "pwd",
    "signature",
    "jwt",
    "auth",
    "credential",
    "session",
    "otp",
)
_SENSITIVE_EXACT = frozenset({"key", "sig", "code"})

_NAME = r"[A-Za-z0-9_.\-]+"
# "?token=abc", "&apiKey=xyz", also inside request lines such as
# 'GET /api/v1/rewards?token=abc HTTP/1.1'.
_QUERY_PAIR = rf"(?P<sep>^|[?&;\s,(\[{{])(?P<name>{_NAME})=(?P<value>[^&;#\s'\"<>,)\]}}]*)"
# "x-clientSecret: abc", "Authorization: Bearer abc" (header dumps, reprs of dicts).
_HEADER_PAIR = (
    r"(?P<name>(?:x-)?client-?secret|x-client-?id-secret|authorization|proxy-authorization|"
    r"user-jwt-token|x-api-key|cookie|set-cookie)"
    r"(?P<quote>['\"]?)(?P<colon>\s*[:=]\s*)(?P<q2>['\"]?)(?P<value>[^\r\n'\",}]*)"
)
# '"token": "abc"' in JSON or Python dict reprs.
_JSON_PAIR = (
    r"(?P<q>['\"])(?P<name>[A-Za-z0-9_\-]*(?:token|secret|apikey|api_key|password|jwt)"
    r"[A-Za-z0-9_\-]*)(?P=q)(?P<colon>\s*:\s*)(?P<vq>['\"])(?P<value>[^'\"]*)(?P=vq)"
)
# "https://user:pass@host" user info.
_USERINFO = r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)[^/\s@]+@"


@functools.cache
def _pattern(source: str, flags: int = 0) -> re.Pattern[str]:
    # Compiled on first use: importing this module (and so kgen_pygame.errors) stays cheap.
    return re.compile(source, flags)


def is_sensitive_name(name: str) -> bool:
    """Return True if a query parameter, header or field called *name* may carry a secret."""
    folded = name.lower().replace("-", "").replace("_", "")
    if folded in _SENSITIVE_EXACT:
        return True
    return any(fragment in folded for fragment in _SENSITIVE_FRAGMENTS)


class _SecretRegistry:
    """A bounded, thread-safe set of secret values known to this process."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._values: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, value: str) -> None:
        if len(value) < _MIN_SECRET_LENGTH:
            return
        with self._lock:
            self._values[value] = None
            self._values.move_to_end(value)
            while len(self._values) > self._capacity:
                self._values.popitem(last=False)

    def discard(self, value: str) -> None:
        with self._lock:
            self._values.pop(value, None)

    def snapshot(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._values)


_registry = _SecretRegistry(_MAX_REGISTERED_SECRETS)


def register_secret(value: str | None) -> None:
    """Remember *value* (a token or client secret) so every redaction scrubs it.

    Values shorter than four characters are ignored. The registry is bounded;
    the oldest values are forgotten first.
    """
    if value:
        _registry.add(value)


def forget_secret(value: str | None) -> None:
    """Stop scrubbing *value* (for example a token that was replaced)."""
    if value:
        _registry.discard(value)


def registered_secrets() -> tuple[str, ...]:
    """Return the secret values currently registered (newest last)."""
    return _registry.snapshot()


def mask_phone(phone: str) -> str:
    """Mask a phone number for display: every digit but the last four becomes ``*``.

    ``"+918000000001"`` -> ``"+********0001"``, ``"1234567890"`` -> ``"******7890"``.
    Other characters (``+``, spaces, an earlier mask) stay, so masking twice changes
    nothing. A phone number is personal data: it never reaches a log line in full.
    """
    positions = [index for index, char in enumerate(phone) if char.isdigit()]
    hidden = set(positions[:-4]) if len(positions) > 4 else set(positions)
    return "".join("*" if index in hidden else char for index, char in enumerate(phone))


def redact_url(url: str) -> str:
    """Return *url* with user info masked and sensitive query parameters removed.

    ``https://u:p@host/api/v1/rewards?token=abc&page=2`` becomes
    ``https://***@host/api/v1/rewards?[redacted]&page=2``. The path is kept; the
    fragment is dropped. Text that is not a URL is scrubbed as free text.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return redact_text(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = "***@" + netloc.rpartition("@")[2]
    query = _redact_query(parts.query)
    safe = urlunsplit((parts.scheme, netloc, parts.path, query, ""))
    return _scrub_registered(safe, ())


def _redact_query(query: str) -> str:
    if not query:
        return ""
    kept: list[str] = []
    dropped = False
    for pair in re.split(r"[&;]", query):
        if not pair:
            continue
        name = pair.partition("=")[0]
        if is_sensitive_name(name):
            dropped = True
        else:
            kept.append(pair)
    if dropped:
        kept.insert(0, REDACTED)
    return "&".join(kept)


def redact_text(text: str, secrets: Iterable[str | None] = ()) -> str:
    """Return *text* with credentials scrubbed.

    Removes sensitive ``name=value`` query pairs, credential header values,
    JSON/dict credential fields, URL user info, every value in *secrets* and
    every value registered with :func:`register_secret`.
    """
    if not text:
        return text
    # Patterns first: a literal secret replaced first would leave "token=[redacted]"
    # for the query pattern to half-match.
    text = _pattern(_USERINFO).sub(lambda m: m.group("scheme") + "***@", text)
    text = _pattern(_QUERY_PAIR).sub(_replace_query_pair, text)
    text = _pattern(_HEADER_PAIR, re.IGNORECASE).sub(
        lambda m: m.group("name") + m.group("quote") + m.group("colon") + m.group("q2") + REDACTED,
        text,
    )
    text = _pattern(_JSON_PAIR, re.IGNORECASE).sub(
        lambda m: (
            m.group("q")
            + m.group("name")
            + m.group("q")
            + m.group("colon")
            + m.group("vq")
            + REDACTED
            + m.group("vq")
        ),
        text,
    )
    return _scrub_registered(text, secrets)


def _replace_query_pair(match: re.Match[str]) -> str:
    if is_sensitive_name(match.group("name")):
        return match.group("sep") + REDACTED
    return match.group(0)


def _scrub_registered(text: str, extra: Iterable[str | None]) -> str:
    values = [v for v in extra if v and len(v) >= _MIN_SECRET_LENGTH]
    values.extend(registered_secrets())
    # Longest first, so a secret that contains another is replaced whole.
    for value in sorted(set(values), key=len, reverse=True):
        if value in text:
            text = text.replace(value, REDACTED)
    return text


class RedactingFilter(logging.Filter):
    """A logging filter that scrubs credentials from every record it passes.

    Attach it to a handler (it then sees every record the handler emits) or to
    a logger (it then sees records logged on exactly that logger). The record's
    message is rendered with its arguments, scrubbed, and stored back with no
    arguments; exception and stack text are rendered and scrubbed too. The
    filter never drops a record.
    """

    def __init__(self, secrets: Iterable[str] = (), name: str = "") -> None:
        super().__init__(name)
        self._secrets = tuple(s for s in secrets if s)

    def add_secret(self, value: str) -> None:
        """Scrub *value* in every later record seen by this filter."""
        if value:
            self._secrets = (*self._secrets, value)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not kill logging
            message = f"{record.msg!s} {record.args!r}"
        record.msg = redact_text(message, self._secrets)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text, self._secrets)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info, self._secrets)
        return True


_guard_lock = threading.Lock()


def guard_logger(name: str) -> None:
    """Attach one :class:`RedactingFilter` to the logger called *name* (idempotent).

    A logger's filters see every record logged on that exact logger before any
    handler does, so this scrubs third-party debug lines such as urllib3's
    ``"GET /api/v1/rewards?token=... HTTP/1.1" 200`` wherever they are sent.
    """
    logger = logging.getLogger(name)
    with _guard_lock:
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
