"""Configuration of the plugin: keyword arguments, then environment, then defaults.

Every option is documented in ``docs/integration.md``. Validation happens
here, at construction, so a wrong configuration fails loudly on the
developer's machine instead of quietly in a player's game.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from kgen_pygame.errors import ConfigurationError

#: What a session provider returns: the session token minted by the game's
#: own backend, or a mapping shaped like the ``POST /api/v1/session`` reply.
SessionProvider = Callable[[str], "str | Mapping[str, Any]"]

HudPosition = Literal["top-left", "top-right", "bottom-left", "bottom-right"]
_HUD_POSITIONS = ("top-left", "top-right", "bottom-left", "bottom-right")
_GAME_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_GAMER_ID = re.compile(r"^[^\s]{1,128}$")

ENV_PREFIX = "KGEN_"


def _env_bool(value: str, name: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ConfigurationError(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}")


def _env_float(value: str, name: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ConfigurationError(f"{name} must be a number, not {value!r}") from None


def is_loopback_host(host: str) -> bool:
    """True for ``localhost`` and loopback IP addresses (v4 and v6)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class KGenConfig:
    """Everything the plugin can be told. Build with :meth:`resolve`.

    Leave ``base_url`` unset to run against the embedded sandbox, which starts
    on a free loopback port with its development client.
    """

    game_id: str = "pygame-game"
    base_url: str | None = None
    client_id: str | None = field(default=None, repr=False)
    client_secret: str | None = field(default=None, repr=False)
    gamer_id: str | None = None
    session_provider: SessionProvider | None = field(default=None, repr=False)
    api: Literal["v1"] = "v1"
    data_dir: Path | None = None
    allow_insecure_http: bool = False
    plaintext_token_fallback: bool = True
    connect_timeout_s: float = 3.05
    read_timeout_s: float = 10.0
    show_hud: bool = True
    hud_position: HudPosition = "top-right"
    hotkey: int | None = None
    theme: Any = field(default=None, repr=False)
    sandbox_sms: bool = True
    refresh_interval_s: float = 30.0
    max_pending_events: int = 100_000
    max_event_age_days: float = 30.0
    power_loss_safe: bool = False
    profile: Mapping[str, Any] = field(default_factory=dict)

    @property
    def uses_embedded_sandbox(self) -> bool:
        """True when no platform URL is configured."""
        return self.base_url is None

    @classmethod
    def resolve(
        cls, environ: Mapping[str, str] | None = None, **overrides: Any
    ) -> KGenConfig:
        """Merge keyword arguments over ``KGEN_*`` environment variables over defaults.

        Keyword arguments set to ``None`` count as not given.
        """
        env = os.environ if environ is None else environ
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ConfigurationError(f"unknown KGen option(s): {', '.join(unknown)}")
        values: dict[str, Any] = {}
        for name, kind in (
            ("base_url", str),
            ("client_id", str),
            ("client_secret", str),
            ("gamer_id", str),
            ("game_id", str),
            ("data_dir", Path),
            ("allow_insecure_http", bool),
            ("plaintext_token_fallback", bool),
            ("connect_timeout_s", float),
            ("read_timeout_s", float),
            ("hud_position", str),
            ("power_loss_safe", bool),
        ):
            env_name = ENV_PREFIX + name.upper()
            raw = env.get(env_name)
            if raw is None or raw == "":
                continue
            if kind is bool:
                values[name] = _env_bool(raw, env_name)
            elif kind is float:
                values[name] = _env_float(raw, env_name)
            elif kind is Path:
                values[name] = Path(raw).expanduser()
            else:
                values[name] = raw.strip()
        values.update({k: v for k, v in overrides.items() if v is not None})
        if isinstance(values.get("data_dir"), str):
            values["data_dir"] = Path(values["data_dir"]).expanduser()
        config = cls(**values)
        config.validate()
        return config

    def validate(self) -> None:
        """Raise :class:`ConfigurationError` naming the first wrong option."""
        if not _GAME_ID.match(self.game_id):
            raise ConfigurationError(
                "game_id must be 1-64 letters, digits, '.', '_' or '-', starting with a "
                f"letter or digit (got {self.game_id!r})"
            )
        if self.gamer_id is not None and not _GAMER_ID.match(self.gamer_id):
            raise ConfigurationError("gamer_id must be 1-128 characters without spaces")
        if self.base_url is not None:
            self._validate_url(self.base_url)
            if self.session_provider is None and not (self.client_id and self.client_secret):
                raise ConfigurationError(
                    "a platform base_url needs either client_id and client_secret, or a "
                    "session_provider (recommended for shipped games: see docs/integration.md)"
                )
        if self.client_secret and not self.client_id:
            raise ConfigurationError("client_secret is set but client_id is missing")
        if self.session_provider is not None and not callable(self.session_provider):
            raise ConfigurationError("session_provider must be callable: (gamer_id) -> token")
        if self.api != "v1":
            raise ConfigurationError(f"api must be 'v1' (got {self.api!r})")
        if self.hud_position not in _HUD_POSITIONS:
            raise ConfigurationError(f"hud_position must be one of {', '.join(_HUD_POSITIONS)}")
        for name in ("connect_timeout_s", "read_timeout_s", "refresh_interval_s"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not 0 < value <= 600:
                raise ConfigurationError(f"{name} must be a number of seconds in (0, 600]")
        if self.max_pending_events < 100:
            raise ConfigurationError("max_pending_events must be at least 100")
        if self.max_event_age_days <= 0:
            raise ConfigurationError("max_event_age_days must be positive")

    def _validate_url(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigurationError("base_url must look like https://host[:port]")
        if parts.query or parts.fragment or parts.username or parts.password:
            raise ConfigurationError(
                "base_url must not carry a query string, fragment or credentials"
            )
        if (
            parts.scheme == "http"
            and not is_loopback_host(parts.hostname)
            and not self.allow_insecure_http
        ):
            raise ConfigurationError(
                "plain http:// is refused for non-loopback hosts; use https:// or set "
                "allow_insecure_http=True (KGEN_ALLOW_INSECURE_HTTP=1) knowingly"
            )

    def resolved_data_dir(self) -> Path:
        """Where the outbox and the embedded sandbox keep their files."""
        if self.data_dir is not None:
            return self.data_dir
        import platformdirs

        return Path(platformdirs.user_data_dir("kgen-pygame", appauthor=False)) / self.game_id

    def resolved_state_dir(self) -> Path:
        """Where the token file lives when no keyring backend exists."""
        if self.data_dir is not None:
            return self.data_dir / "state"
        import platformdirs

        return Path(platformdirs.user_state_dir("kgen-pygame", appauthor=False)) / self.game_id
