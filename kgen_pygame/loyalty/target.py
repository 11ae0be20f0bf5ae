"""Where ``kgen-events`` sends its calls, and with which credentials.

The same names as the plugin (``docs/integration.md``): ``KGEN_BASE_URL``, ``KGEN_API``,
``KGEN_CLIENT_ID``, ``KGEN_CLIENT_SECRET`` and ``KGEN_ALLOW_INSECURE_HTTP``. The secret
may instead live in the system keyring, under the service ``kgen-events`` and the
client id as user name (``keyring set kgen-events <client id>`` prompts for it). It is
never taken from the command line: arguments show in every process list.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from kgen_pygame.config import API_GENERATIONS, ENV_PREFIX
from kgen_pygame.errors import ConfigurationError, CredentialStoreError
from kgen_pygame.runtime.credentials import KeyringStore, find_keyring_backend
from kgen_pygame.urls import check_base_url

__all__ = ["KEYRING_SERVICE", "Target", "TargetError", "resolve_target"]

KEYRING_SERVICE: Final = "kgen-events"
DEFAULT_API: Final = API_GENERATIONS[0]
_BASE_URL, _API, _ID, _SECRET, _INSECURE = (
    ENV_PREFIX + name for name in ("BASE_URL", "API", "CLIENT_ID", "CLIENT_SECRET",
                                   "ALLOW_INSECURE_HTTP")
)


class TargetError(ConfigurationError):
    """The target or the credentials are missing or wrong; ``credentials`` tells which."""

    def __init__(self, message: str, *, credentials: bool) -> None:
        super().__init__(message)
        self.credentials = credentials


@dataclass(frozen=True, slots=True)
class Target:
    """A platform (or sandbox) URL, its generation and the game's client credentials."""

    base_url: str
    api: str
    client_id: str
    client_secret: str = field(repr=False)
    secret_from: str = "environment"  # noqa: S105 - where, not what

    def describe(self) -> str:
        """One line for the terminal (the secret never appears)."""
        return (f"target {self.base_url} (api {self.api}, client id {self.client_id}, "
                f"secret from the {self.secret_from})")


def resolve_target(
    environ: Mapping[str, str] | None = None,
    *,
    base_url: str | None = None,
    keyring_backend: Callable[[], Any] = find_keyring_backend,
) -> Target:
    """The target from ``--base-url`` or ``KGEN_BASE_URL`` and the credentials' sources.

    Raises :class:`TargetError` naming what is missing; nothing is sent.
    """
    env = os.environ if environ is None else environ
    url = (base_url or env.get(_BASE_URL, "")).strip()
    if not url:
        raise TargetError(
            f"no target: set {_BASE_URL} (or --base-url) to the platform's or a sandbox's "
            "URL; kgen-events never starts a sandbox on its own (--sandbox does, explicitly)",
            credentials=False,
        )
    try:
        insecure = env.get(_INSECURE, "").strip().lower() in ("1", "true", "yes", "on")
        url = check_base_url(url, allow_insecure_http=insecure)
    except ConfigurationError as error:
        raise TargetError(str(error), credentials=False) from None
    api = env.get(_API, "").strip() or DEFAULT_API
    if api != "current":
        raise TargetError(
            f"{_API} is {api!r}: rewardable events exist only on the current generation "
            "(unset it or set it to 'current')",
            credentials=False,
        )
    client_id = env.get(_ID, "").strip()
    if not client_id:
        raise TargetError(f"{_ID} is not set (the game's client id)", credentials=True)
    secret = env.get(_SECRET, "").strip()
    if secret:
        return Target(url, api, client_id, secret)
    stored = _from_keyring(client_id, keyring_backend)
    if not stored:
        raise TargetError(
            f"no client secret: set {_SECRET}, or store it in the system keyring with "
            f"`keyring set {KEYRING_SERVICE} {client_id}`",
            credentials=True,
        )
    return Target(url, api, client_id, stored, "keyring")


def _from_keyring(client_id: str, keyring_backend: Callable[[], Any]) -> str | None:
    backend = keyring_backend()
    if backend is None:
        return None
    try:
        return KeyringStore(backend, KEYRING_SERVICE).load_secret(client_id)
    except CredentialStoreError as error:
        raise TargetError(str(error), credentials=True) from None
