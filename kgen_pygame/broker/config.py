"""Settings of the broker, read from ``KGEN_BROKER_*`` environment variables.

:meth:`BrokerConfig.from_environ` checks everything before the broker binds a
socket and, when something is missing or wrong, raises one
:class:`BrokerConfigError` that lists every problem by its variable name.
Secret values (client secret, broker key) never appear in a message or a
``repr()``. Each secret can come from the variable itself or from a file
named by ``<NAME>_FILE`` (a container secret), not both.
"""

from __future__ import annotations

import ipaddress
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, TypeVar

from kgen_pygame.errors import ConfigurationError

__all__ = ["ENV_PREFIX", "MIN_BROKER_KEY_BYTES", "BrokerConfig", "BrokerConfigError"]

ENV_PREFIX: Final = "KGEN_BROKER_"
#: The broker key must have at least this many bytes (UTF-8) of entropy-bearing text.
MIN_BROKER_KEY_BYTES: Final = 32
_MIN_THREADS = 2  # one thread is always left for /healthz (see platform_slots)
_T = TypeVar("_T")


class BrokerConfigError(ConfigurationError):
    """The broker's settings are incomplete or wrong; the message lists each problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        text = "the KGeN broker cannot start:\n" + "\n".join(f"  - {p}" for p in problems)
        super().__init__(text)


@dataclass(frozen=True, slots=True)
class BrokerConfig:
    """Everything the broker is told. Build with :meth:`from_environ` (or directly in tests).

    Construction validates, so a ``BrokerConfig`` that exists is usable.
    """

    platform_url: str
    client_id: str
    client_secret: str = field(repr=False)
    broker_key: bytes = field(repr=False)
    api: str = "current"
    host: str = "127.0.0.1"
    port: int = 8790
    threads: int = 8
    #: Platform calls at once; the rest of the threads stay free for /healthz.
    platform_slots: int | None = None
    #: ``"module:function"`` of a ticket verifier; replaces device keys when set.
    verifier: str | None = None
    rate_per_minute: float = 30.0
    rate_burst: int = 10
    rate_max_clients: int = 50_000
    replay_window_s: float = 120.0
    nonce_cache_size: int = 100_000
    connect_timeout_s: float = 2.0
    read_timeout_s: float = 5.0
    #: The longest one /v1/session request may spend on the platform, retries included.
    deadline_s: float = 8.0
    platform_retries: int = 2
    max_body_bytes: int = 4096
    #: Address of a reverse proxy whose X-Forwarded-For is believed (``"*"``: any).
    trusted_proxy: str | None = None
    trusted_proxy_count: int = 1
    allow_insecure_platform_http: bool = False
    log_level: str = "INFO"

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise BrokerConfigError(problems)

    @property
    def slots(self) -> int:
        """Platform calls allowed at once (default: all threads but two)."""
        if self.platform_slots is not None:
            return self.platform_slots
        return max(1, self.threads - 2)

    @property
    def uses_verifier(self) -> bool:
        """True when tickets, not device keys, identify players."""
        return self.verifier is not None

    def problems(self) -> list[str]:
        """Every problem of these settings, named by environment variable (empty if none)."""
        from kgen_pygame.api import supported_apis
        from kgen_pygame.api.transport import check_base_url

        found: list[str] = []
        try:
            check_base_url(self.platform_url, allow_insecure_http=self.allow_insecure_platform_http)
        except ConfigurationError as error:
            hint = ""
            if self.platform_url.startswith("http://"):
                hint = f" (or set {ENV_PREFIX}ALLOW_INSECURE_PLATFORM_HTTP=1 knowingly)"
            found.append(f"{ENV_PREFIX}PLATFORM_URL: {error}{hint}")
        if not self.client_id.strip():
            found.append(f"{ENV_PREFIX}CLIENT_ID is empty")
        if not self.client_secret.strip():
            found.append(f"{ENV_PREFIX}CLIENT_SECRET is empty")
        if len(self.broker_key) < MIN_BROKER_KEY_BYTES:
            found.append(
                f"{ENV_PREFIX}KEY is {len(self.broker_key)} bytes; it needs at least "
                f'{MIN_BROKER_KEY_BYTES} (make one with: python -c "import secrets; '
                'print(secrets.token_urlsafe(48))")'
            )
        if self.broker_key == self.client_secret.encode("utf-8"):
            found.append(f"{ENV_PREFIX}KEY must not be the client secret")
        apis = supported_apis()
        if self.api not in apis:
            found.append(
                f"{ENV_PREFIX}API is {self.api!r}; supported: {', '.join(map(repr, apis))}"
            )
        if not self.host.strip():
            found.append(f"{ENV_PREFIX}HOST is empty")
        if not 0 <= self.port <= 65535:
            found.append(f"{ENV_PREFIX}PORT must be between 0 and 65535")
        if not _MIN_THREADS <= self.threads <= 256:
            found.append(f"{ENV_PREFIX}THREADS must be between {_MIN_THREADS} and 256")
        elif self.platform_slots is not None and not 1 <= self.platform_slots < self.threads:
            found.append(
                f"{ENV_PREFIX}PLATFORM_SLOTS must be at least 1 and below "
                f"{ENV_PREFIX}THREADS ({self.threads}), so /healthz always has a thread"
            )
        if self.verifier is not None and not _is_import_spec(self.verifier):
            found.append(f"{ENV_PREFIX}VERIFIER must look like package.module:function")
        if not (math.isfinite(self.rate_per_minute) and self.rate_per_minute >= 0):
            found.append(f"{ENV_PREFIX}RATE_PER_MINUTE must be 0 (off) or a positive number")
        if self.rate_burst < 1:
            found.append(f"{ENV_PREFIX}RATE_BURST must be at least 1")
        if self.rate_max_clients < 1:
            found.append(f"{ENV_PREFIX}RATE_MAX_CLIENTS must be at least 1")
        if not (math.isfinite(self.replay_window_s) and 5 <= self.replay_window_s <= 3600):
            found.append(f"{ENV_PREFIX}REPLAY_WINDOW_S must be between 5 and 3600 seconds")
        if self.nonce_cache_size < 100:
            found.append(f"{ENV_PREFIX}NONCE_CACHE_SIZE must be at least 100")
        for name in ("connect_timeout_s", "read_timeout_s", "deadline_s"):
            value = getattr(self, name)
            if not (math.isfinite(value) and 0 < value <= 120):
                found.append(f"{ENV_PREFIX}{name.upper()} must be seconds in (0, 120]")
        if self.connect_timeout_s + self.read_timeout_s >= self.deadline_s:
            found.append(
                f"{ENV_PREFIX}CONNECT_TIMEOUT_S + {ENV_PREFIX}READ_TIMEOUT_S must be below "
                f"{ENV_PREFIX}DEADLINE_S, so a first attempt fits on a pooled connection"
            )
        if not 0 <= self.platform_retries <= 10:
            found.append(f"{ENV_PREFIX}PLATFORM_RETRIES must be between 0 and 10")
        if not 256 <= self.max_body_bytes <= 1_048_576:
            found.append(f"{ENV_PREFIX}MAX_BODY_BYTES must be between 256 and 1048576")
        if self.trusted_proxy is not None and not _is_proxy_address(self.trusted_proxy):
            found.append(f"{ENV_PREFIX}TRUSTED_PROXY must be an IP address or '*'")
        if not 1 <= self.trusted_proxy_count <= 10:
            found.append(f"{ENV_PREFIX}TRUSTED_PROXY_COUNT must be between 1 and 10")
        if self.log_level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            found.append(f"{ENV_PREFIX}LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR")
        return found

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> BrokerConfig:
        """Read the ``KGEN_BROKER_*`` variables; :class:`BrokerConfigError` lists what is wrong."""
        reader = _EnvReader(os.environ if environ is None else environ)
        values = {
            "platform_url": reader.text("PLATFORM_URL", required=True),
            "client_id": reader.text("CLIENT_ID", required=True),
            "client_secret": reader.secret("CLIENT_SECRET"),
            "broker_key": reader.secret("KEY").encode("utf-8"),
            "api": reader.text("API", default="current"),
            "host": reader.text("HOST", default="127.0.0.1"),
            "port": reader.number("PORT", int, 8790),
            "threads": reader.number("THREADS", int, 8),
            "platform_slots": reader.optional_number("PLATFORM_SLOTS", int),
            "verifier": reader.text("VERIFIER") or None,
            "rate_per_minute": reader.number("RATE_PER_MINUTE", float, 30.0),
            "rate_burst": reader.number("RATE_BURST", int, 10),
            "rate_max_clients": reader.number("RATE_MAX_CLIENTS", int, 50_000),
            "replay_window_s": reader.number("REPLAY_WINDOW_S", float, 120.0),
            "nonce_cache_size": reader.number("NONCE_CACHE_SIZE", int, 100_000),
            "connect_timeout_s": reader.number("CONNECT_TIMEOUT_S", float, 2.0),
            "read_timeout_s": reader.number("READ_TIMEOUT_S", float, 5.0),
            "deadline_s": reader.number("DEADLINE_S", float, 8.0),
            "platform_retries": reader.number("PLATFORM_RETRIES", int, 2),
            "max_body_bytes": reader.number("MAX_BODY_BYTES", int, 4096),
            "trusted_proxy": reader.text("TRUSTED_PROXY") or None,
            "trusted_proxy_count": reader.number("TRUSTED_PROXY_COUNT", int, 1),
            "allow_insecure_platform_http": reader.flag("ALLOW_INSECURE_PLATFORM_HTTP"),
            "log_level": reader.text("LOG_LEVEL", default="INFO").upper(),
        }
        if reader.problems:
            # Report the readable problems now; a half-read config cannot be checked further.
            raise BrokerConfigError(reader.problems)
        return cls(**values)  # type: ignore[arg-type]


class _EnvReader:
    """Reads typed values from the environment and collects what is wrong."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._env = environ
        self.problems: list[str] = []

    def _raw(self, name: str) -> str | None:
        value = self._env.get(ENV_PREFIX + name)
        return None if value is None or not value.strip() else value.strip()

    def text(self, name: str, *, default: str = "", required: bool = False) -> str:
        value = self._raw(name)
        if value is None:
            if required:
                self.problems.append(f"{ENV_PREFIX}{name} is not set")
            return default
        return value

    def secret(self, name: str) -> str:
        """``NAME`` or the contents of the file ``NAME_FILE``; exactly one of them."""
        direct = self._raw(name)
        path = self._raw(name + "_FILE")
        if direct is not None and path is not None:
            self.problems.append(f"set {ENV_PREFIX}{name} or {ENV_PREFIX}{name}_FILE, not both")
            return ""
        if path is not None:
            try:
                value = Path(path).read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError) as error:
                reason = getattr(error, "strerror", None) or type(error).__name__
                self.problems.append(f"{ENV_PREFIX}{name}_FILE {path} cannot be read ({reason})")
                return ""
            if not value:
                self.problems.append(f"{ENV_PREFIX}{name}_FILE {path} is empty")
            return value
        if direct is None:
            self.problems.append(f"{ENV_PREFIX}{name} (or {ENV_PREFIX}{name}_FILE) is not set")
            return ""
        return direct

    def number(self, name: str, kind: Callable[[str], _T], default: _T) -> _T:
        value = self.optional_number(name, kind)
        return default if value is None else value

    def optional_number(self, name: str, kind: Callable[[str], _T]) -> _T | None:
        raw = self._raw(name)
        if raw is None:
            return None
        try:
            return kind(raw)
        except ValueError:
            noun = "an integer" if kind is int else "a number"
            self.problems.append(f"{ENV_PREFIX}{name} must be {noun}, not {raw!r}")
            return None

    def flag(self, name: str) -> bool:
        raw = self._raw(name)
        if raw is None:
            return False
        lowered = raw.lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        self.problems.append(f"{ENV_PREFIX}{name} must be 1/0, true/false, yes/no or on/off")
        return False


def _is_import_spec(spec: str) -> bool:
    module, sep, function = spec.partition(":")
    parts = [*module.split("."), function]
    return bool(sep) and all(part.isidentifier() for part in parts)


def _is_proxy_address(value: str) -> bool:
    if value == "*":
        return True
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
