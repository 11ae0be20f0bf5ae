"""The one rule for a KGeN base URL, used by the configuration and the transport.

A base URL is ``https://host[:port][/prefix]``; plain ``http://`` only for
loopback hosts (the sandbox, a local broker) unless the caller opts in knowingly;
no user info, query string or fragment (credentials and tokens never travel in
a URL we build).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from kgen_pygame.errors import ConfigurationError

__all__ = ["check_base_url", "is_loopback"]


def is_loopback(host: str) -> bool:
    """True for ``localhost`` (and ``*.localhost``) and loopback addresses (127.0.0.0/8, ::1)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(base_url: object, *, allow_insecure_http: bool = False,
                   name: str = "base_url") -> str:
    """Validate a base URL and return it without surrounding spaces or a trailing slash.

    Raises :class:`~kgen_pygame.errors.ConfigurationError` naming ``name``.
    """
    if not isinstance(base_url, str) or not base_url.strip():
        raise ConfigurationError(f"{name} must be a non-empty URL such as https://api.example.com")
    text = base_url.strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise ConfigurationError(f"{name} is not a valid URL (bad host or port)") from None
    if parts.scheme not in ("http", "https"):
        raise ConfigurationError(f"{name} must start with https:// (or http:// for loopback)")
    if not parts.hostname:
        raise ConfigurationError(f"{name} has no host name")
    if "@" in parts.netloc:
        raise ConfigurationError(
            f"{name} must not contain user info (user:password@); pass client credentials "
            "as client_id and client_secret instead"
        )
    if parts.query or parts.fragment:
        raise ConfigurationError(f"{name} must not contain a query string or fragment")
    if parts.scheme == "http" and not allow_insecure_http and not is_loopback(parts.hostname):
        raise ConfigurationError(
            f"refusing plain http:// to {parts.hostname} for {name}: tokens would travel "
            "unencrypted. Use https://, or set allow_insecure_http=True "
            "(KGEN_ALLOW_INSECURE_HTTP=1) for a trusted network"
        )
    return text.rstrip("/")
