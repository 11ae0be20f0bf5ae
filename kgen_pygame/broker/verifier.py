"""The verifier hook: games with their own login tell the broker who the player is.

``KGEN_BROKER_VERIFIER=package.module:function`` names a callable
``verify(ticket: str) -> str`` that checks a ticket issued by the game's own
login server and returns that player's user id. It runs on a broker thread
for every ``POST /v1/session`` that carries a ``ticket``.

- Return the user id (1 to 128 printable characters, no spaces, not starting
  with ``dk_``, which is the device-key namespace).
- Raise :class:`VerificationFailed` (or return ``None`` / ``""``) to refuse:
  the caller gets 401 ``TICKET_REJECTED``.
- Any other exception means the ticket could not be checked (a bug, the login
  server down): the caller gets 500, and the broker logs the exception's
  type and text with the ticket scrubbed out.

``kgen_pygame.broker.hmac_ticket:verify`` is a complete worked example.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import Final

from kgen_pygame.broker.identity import DEVICE_USER_PREFIX
from kgen_pygame.errors import ConfigurationError

__all__ = ["VerificationFailed", "Verifier", "VerifierBroken", "checked_user_id", "load_verifier"]

Verifier = Callable[[str], "str | None"]

_USER_ID: Final = re.compile(r"^[!-~]{1,128}$")  # printable ASCII, no spaces


class VerificationFailed(Exception):  # noqa: N818 - reads as "raise VerificationFailed"
    """Raised by a verifier for a ticket it refuses (forged, expired, unknown)."""


class VerifierBroken(Exception):  # noqa: N818
    """The verifier did something other than return a user id or refuse."""


def load_verifier(spec: str) -> Verifier:
    """Import ``module:function`` and return the callable; ConfigurationError if it cannot."""
    module_name, _, function_name = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except Exception as error:
        raise ConfigurationError(
            f"KGEN_BROKER_VERIFIER: cannot import {module_name} ({type(error).__name__}: {error})"
        ) from None
    function = getattr(module, function_name, None)
    if not callable(function):
        raise ConfigurationError(
            f"KGEN_BROKER_VERIFIER: {module_name} has no callable named {function_name}"
        )
    verifier: Verifier = function
    return verifier


def checked_user_id(returned: object) -> str:
    """The user id a verifier returned, checked; VerificationFailed for None / ""."""
    if returned is None or returned == "":
        raise VerificationFailed("the verifier returned no user id")
    if not isinstance(returned, str):
        raise VerifierBroken(f"the verifier returned {type(returned).__name__}, not a str")
    if not _USER_ID.match(returned):
        raise VerifierBroken("the verifier returned a user id that is not 1-128 printable chars")
    if returned.startswith(DEVICE_USER_PREFIX):
        raise VerifierBroken(
            f"the verifier returned a user id starting with {DEVICE_USER_PREFIX!r}, "
            "which is reserved for device-key players"
        )
    return returned
