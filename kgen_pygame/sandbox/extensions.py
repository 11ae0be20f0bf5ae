"""The one list of sandbox extensions: behaviour the sources leave open and the sandbox fills.

Every extension is on by default and off in documented-only mode
(``SandboxConfig(documented_only=True)``, ``--documented-only``). Route code asks
:func:`enabled`; ``GET /_sandbox/health`` lists the active ones; the contract
(``docs/openapi-current.yaml``, ``x-sandbox-extensions``) lists the same names, which a test
checks. The ``conflicts`` are the catalogue's ids (``current-generation-endpoints.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import SandboxConfig


@dataclass(frozen=True, slots=True)
class Extension:
    """One behaviour the sources do not document."""

    name: str
    summary: str
    conflicts: tuple[str, ...]


ERROR_OBJECT = Extension(
    "error-object",
    'Error bodies are {"statusCode", "error", "message"} objects; documented-only mode answers '
    'the bare code string ("UN_AUTHORIZED").',
    ("C24",),
)
ERROR_CODES = Extension(
    "error-codes",
    "A specific status and code where the docs give none for the operation (401 UN_AUTHORIZED "
    "for wrong client credentials on the session, 404 REWARDABLE_EVENT_NOT_FOUND, "
    "400 INSUFFICIENT_BALANCE, the OTP_* codes...); documented-only mode answers the "
    "operation's documented fallback instead (500 without a body for the session, 401 "
    "UN_AUTHORIZED for OTP calls, 400 BAD_REQUEST elsewhere).",
    ("C5", "C11", "C15", "C18", "C20", "C24", "C25"),
)
IDEMPOTENCY = Extension(
    "idempotency-key",
    "A repeated Idempotency-Key (same player, same operation path) replays the first answer "
    "without doing the work again; reusing a key for a different body is 409 "
    "IDEMPOTENCY_KEY_REUSED. Applies to score posts (both generations), loyalty grants and "
    "px-tracker drops.",
    ("C3", "C17", "C19"),
)
LOYALTY_ONCE = Extension(
    "loyalty-once-per-event",
    "A player is rewarded at most once per rewardable event: a second grant is 409 "
    "LOYALTY_EVENT_ALREADY_REWARDED.",
    ("C3", "C19"),
)
LEAVE_REFUND = Extension(
    "leave-refund",
    "Leaving a tournament refunds the joining stake to the balances it was taken from "
    "(a REFUND transaction).",
    ("C18",),
)
OTP_LIMITS = Extension(
    "otp-limits",
    "OTPs expire (otp_ttl_s), allow otp_max_attempts wrong tries, and a new one for the same "
    "phone waits otp_resend_cooldown_s (429 OTP_RESEND_TOO_SOON with Retry-After).",
    ("C15",),
)
KSTORE_NEEDS_LINK = Extension(
    "kstore-needs-link",
    "The k-store redirect URI is refused (400 PHONE_NOT_LINKED) until the player has linked a "
    "phone number.",
    ("C22",),
)
RESPONSE_EXTRAS = Extension(
    "response-extras",
    "Extra answer fields: OTP register/resend expires_in, resend_after, attempts_left; "
    "leaderboard rank and display_name; statistics tournament_uid, title, score; claim "
    "claimed and amount.",
    ("C9", "C15", "C16", "C30"),
)

ALL: tuple[Extension, ...] = (
    ERROR_OBJECT,
    ERROR_CODES,
    IDEMPOTENCY,
    LOYALTY_ONCE,
    LEAVE_REFUND,
    OTP_LIMITS,
    KSTORE_NEEDS_LINK,
    RESPONSE_EXTRAS,
)


def enabled(config: SandboxConfig, extension: Extension) -> bool:
    """Whether ``extension`` is in force for this sandbox."""
    return extension in active(config)


def active(config: SandboxConfig) -> tuple[Extension, ...]:
    """The extensions in force: all of them, or none in documented-only mode."""
    return () if config.documented_only else ALL
