"""Errors turned into short sentences a player understands.

The developer-facing text of a :class:`~kgen_pygame.errors.KGenError` names
operations and status codes; players see none of that (and never a token or
URL): only what went wrong in their terms and what to do next.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from kgen_pygame.errors import (
    AnswerTooLargeError,
    APIError,
    AuthenticationError,
    ConfigurationError,
    CredentialsRejected,
    KGenError,
    NetworkError,
    NotSupportedError,
    ProtocolError,
    RateLimitError,
    RequestTimeout,
    ServerError,
    UsageError,
)
from kgen_pygame.panels.formatting import money, plural, whole_seconds

GENERIC = "Something went wrong. Please try again."
NETWORK = "Can't reach KGeN right now. Check your connection and try again."
TIMEOUT = "KGeN is taking too long to answer. Please try again."
SERVER = "KGeN is having trouble right now. Please try again in a moment."
PROTOCOL = "KGeN sent an answer we couldn't read. Please try again."
SESSION = "Your KGeN session has expired. Please try again."
UNAVAILABLE = "KGeN is not available right now."
#: The game's own KGeN configuration was refused: only its developer can fix it.
SETUP = (
    "KGeN refused this game's setup, so KGeN features are off for now. "
    "Trying again won't help: please tell the game's developer."
)
TOO_LARGE = "KGeN sent more than the game can show. Please try again later."
NOT_OFFERED = "That is not available for this game."
#: Leaving was refused because the tournament is over or past its registration lock.
LEAVE_CLOSED = "This tournament can't be left any more: it is over or closed."
#: Said where the API has no loyalty rewards (v1): the Rewards earned panel.
NO_LOYALTY = "Rewards for reaching the game's goals are not offered in this game."

_PLAIN: dict[str, str] = {
    "OTP_EXPIRED": "That code has expired. Ask for a new one.",
    "OTP_ALREADY_USED": "That code was already used. Ask for a new one.",
    "OTP_TOO_MANY_ATTEMPTS": "Too many wrong codes. Ask for a new code.",
    "OTP_NOT_REQUESTED": "Ask for a code first.",
    "AUTH_CODE_MISMATCH": "That code is from an older request. Use the newest code we sent.",
    "INVALID_PHONE_NUMBER": "That phone number doesn't look right.",
    "INVALID_COUNTRY_CODE": "That country code doesn't look right. It looks like +91.",
    "PHONE_ALREADY_LINKED": "That phone number is already linked to another player.",
    "WALLET_NOT_LINKED": "Link your KGeN wallet before withdrawing.",
    "EXISTING_PARTICIPATION_FOUND": "You have already joined this tournament.",
    "TOURNAMENT_IS_FULL": "This tournament is full.",
    "TOURNAMENT_IS_NOT_LIVE": "This tournament is not open for entries right now.",
    "TOURNAMENT_NOT_FOUND": "That tournament no longer exists.",
    "TOURNAMENT_PARTICIPATION_NOT_FOUND": "You are not in this tournament any more.",
    "TOURNAMENT_INVALID_JOINING_STAKE": "The buy-in has changed. Refresh and try again.",
    "NO_CLAIMABLE_REWARDS": "There is nothing to claim right now.",
    "REWARD_NOT_FOUND": "That reward is no longer available.",
    "REWARD_ALREADY_CLAIMED": "That reward was already claimed.",
    "VALIDATION_ERROR": "Something you entered isn't right. Please check it.",
    "TOKEN_EXPIRED": SESSION,
    "UN_AUTHORIZED": SESSION,
    "SERVICE_UNAVAILABLE": SERVER,
}


def _detail_money(error: APIError, *names: str) -> Decimal | None:
    for name in names:
        value = error.details.get(name)
        if isinstance(value, bool) or value is None:
            continue
        try:
            return Decimal(str(value))
        except (InvalidOperation, ValueError):
            continue
    return None


def _otp_invalid(error: APIError) -> str:
    left = error.attempts_left
    if left is None:
        return "That code is not right. Check the text message and try again."
    if left <= 0:
        return "That code is not right, and no attempts are left. Ask for a new code."
    return f"That code is not right - {plural(left, 'attempt')} left."


def _resend_too_soon(error: APIError) -> str:
    if error.retry_after is None:
        return "Please wait a little before asking for another code."
    return f"Please wait {whole_seconds(error.retry_after)} s before asking for another code."


def _below_minimum(error: APIError) -> str:
    minimum = _detail_money(error, "minWalletBalToWithdraw", "min_withdraw")
    if minimum is None:
        return "Your earned balance is below the minimum you can withdraw."
    return f"You can withdraw once you have earned at least {money(minimum)}."


def _exceeds_balance(error: APIError) -> str:
    earned = _detail_money(error, "earned_balance", "earnedBalance")
    if earned is None:
        return "That is more than your earned balance."
    return f"That is more than your earned balance ({money(earned)})."


def _insufficient(error: APIError) -> str:
    required = _detail_money(error, "required")
    balance = _detail_money(error, "balance")
    if required is None or balance is None:
        return "Your balance is too low to join this tournament."
    return f"You need {money(required)} to join; your balance is {money(balance)}."


_FROM_DETAILS: dict[str, Callable[[APIError], str]] = {
    "OTP_INVALID": _otp_invalid,
    "OTP_RESEND_TOO_SOON": _resend_too_soon,
    "BELOW_MIN_WITHDRAW": _below_minimum,
    "AMOUNT_EXCEEDS_BALANCE": _exceeds_balance,
    "INSUFFICIENT_BALANCE": _insufficient,
}


def player_message(error: BaseException | None) -> str:
    """One or two plain sentences for ``error`` (never its developer text)."""
    if error is None:
        return GENERIC
    if isinstance(error, CredentialsRejected):
        return SETUP
    if isinstance(error, APIError):
        code = (error.code or "").upper()
        special = _FROM_DETAILS.get(code)
        if special is not None:
            return special(error)
        if code in _PLAIN:
            return _PLAIN[code]
        if isinstance(error, AuthenticationError):
            return SESSION
        if isinstance(error, RateLimitError):
            if error.retry_after is not None:
                wait = whole_seconds(error.retry_after)
                return f"Too many requests. Please wait {wait} s and try again."
            return "Too many requests. Please wait a moment and try again."
        if isinstance(error, ServerError):
            return SERVER
        return GENERIC
    if isinstance(error, RequestTimeout):
        return TIMEOUT
    if isinstance(error, NetworkError):
        return NETWORK
    if isinstance(error, AnswerTooLargeError):
        return TOO_LARGE
    if isinstance(error, ProtocolError):
        return PROTOCOL
    if isinstance(error, NotSupportedError):
        return NOT_OFFERED
    if isinstance(error, ConfigurationError):
        return "Something you entered isn't right. Please check it."
    if isinstance(error, UsageError):
        return UNAVAILABLE
    if isinstance(error, KGenError):
        return GENERIC
    return GENERIC


def retry_helps(error: BaseException | None) -> bool:
    """False when asking again cannot change the answer: the game's setup was refused,
    or the API does not offer the call. (A refused input is fixed by editing it.)"""
    return not isinstance(error, CredentialsRejected | NotSupportedError | UsageError)


def error_code(error: BaseException | None) -> str | None:
    """The API error code of ``error`` (``"OTP_INVALID"``), if it has one."""
    if isinstance(error, APIError) and error.code:
        return error.code.upper()
    return None
